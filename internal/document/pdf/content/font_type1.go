package content

import (
	"bytes"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// maxType1Clear bounds the clear-text part of a Type1 program we scan.
const maxType1Clear = 1 << 20

// type1Encoding reads the built-in encoding of an embedded Type1 program
// (FontFile): "/Encoding StandardEncoding def", or "/Encoding 256 array ...
// dup <code> /<name> put ... def" in the clear-text part before eexec. ok is
// false when the stream cannot be decoded or holds neither form.
func (l *loader) type1Encoding(s *cos.Stream) (*[256]string, bool) {
	data, err := l.r.Decode(s)
	if err != nil {
		return nil, false
	}
	if n, ok := cos.Int(s.Dict["Length1"]); ok && n > 0 && n < int64(len(data)) {
		data = data[:n]
	}
	if i := bytes.Index(data, []byte("eexec")); i >= 0 {
		data = data[:i]
	}
	if len(data) > maxType1Clear {
		data = data[:maxType1Clear]
	}
	i := bytes.Index(data, []byte("/Encoding"))
	if i < 0 {
		return nil, false
	}
	lx := cos.NewLexer(data, i+len("/Encoding"))
	var names [256]string
	t := lx.Next()
	switch {
	case t.Kind == cos.TokKeyword && string(t.Bytes) == "StandardEncoding":
		baseNames(encStandard, &names)
		return &names, true
	case t.Kind != cos.TokNumber:
		return nil, false
	}
	// dup <code> /<name> put, until def.
	var prev [3]cos.Token // the three tokens before the current one (Kind and Num only)
	var prevName string
	for {
		t := lx.Next()
		switch t.Kind {
		case cos.TokEOF:
			return nil, false
		case cos.TokName:
			prevName = string(t.Bytes)
		case cos.TokKeyword:
			switch string(t.Bytes) {
			case "def", "readonly":
				return &names, true
			case "put":
				if prev[0].Kind == cos.TokKeyword && prev[1].Kind == cos.TokNumber && prev[1].Int &&
					prev[2].Kind == cos.TokName && prev[1].Num >= 0 && prev[1].Num < 256 {
					names[int(prev[1].Num)] = prevName
				}
			}
		}
		prev[0], prev[1], prev[2] = prev[1], prev[2], cos.Token{Kind: t.Kind, Int: t.Int, Num: t.Num}
	}
}
