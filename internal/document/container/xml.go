package container

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
)

// ctxEvery is how many tokens pass between two looks at the context.
const ctxEvery = 4096

// Decoder reads XML tokens under the depth and token limits. It is lenient
// about common mistakes (missing end tags, stray ampersands) the way real
// packages need, and it refuses documents that declare entities: encoding/xml
// never expands them, and a package that declares them is hostile or broken.
type Decoder struct {
	// Name is the archive entry the XML comes from ("word/document.xml"),
	// named in syntax errors; empty leaves it out.
	Name   string
	ctx    context.Context
	d      *xml.Decoder
	lim    document.Limits
	depth  int
	tokens int
}

// NewDecoder returns a Decoder reading data, decoded with DecodeText first
// (UTF-16 packages exist, and encoding/xml reads only UTF-8).
func NewDecoder(ctx context.Context, data []byte, lim document.Limits) *Decoder {
	d := xml.NewDecoder(bytes.NewReader(DecodeText(data)))
	d.Strict = false
	d.Entity = xml.HTMLEntity // &nbsp; and friends, as fixed strings: no expansion
	d.CharsetReader = charsetReader
	return &Decoder{ctx: ctx, d: d, lim: lim.WithDefaults()}
}

// ErrEntities marks a document that declares XML entities.
var ErrEntities = errors.New("XML declares entities (DTD internal subset); refused")

// Token returns the next token with namespaces resolved, as
// encoding/xml.Decoder.Token does, or io.EOF at the end. Tokens are only
// valid until the next call. Depth and token limits give errors wrapping
// document.ErrLimit; syntax errors wrap document.ErrMalformed.
func (x *Decoder) Token() (xml.Token, error) {
	tok, err := x.d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, &reasonError{x.syntaxReason(err), document.ErrMalformed}
	}
	x.tokens++
	if x.tokens > x.lim.MaxXMLTokens {
		return nil, fmt.Errorf("%w: more than %d XML tokens", document.ErrLimit, x.lim.MaxXMLTokens)
	}
	if x.tokens%ctxEvery == 0 && x.ctx != nil {
		if err := x.ctx.Err(); err != nil {
			return nil, err
		}
	}
	switch t := tok.(type) {
	case xml.StartElement:
		x.depth++
		if x.depth > x.lim.MaxXMLDepth {
			return nil, fmt.Errorf("%w: XML nested deeper than %d elements", document.ErrLimit, x.lim.MaxXMLDepth)
		}
	case xml.EndElement:
		x.depth--
	case xml.Directive:
		if bytes.Contains(t, []byte("<!ENTITY")) || bytes.Contains(t, []byte("<!entity")) {
			return nil, fmt.Errorf("%w: %w", document.ErrMalformed, ErrEntities)
		}
	}
	return tok, nil
}

// reasonError is an error whose message is exactly msg while it still
// matches a sentinel: "malformed XML at line 3: ..." is ErrMalformed.
type reasonError struct {
	msg      string
	sentinel error
}

func (r *reasonError) Error() string { return r.msg }
func (r *reasonError) Unwrap() error { return r.sentinel }

// syntaxReason words an encoding/xml error for a user: "malformed XML in
// word/document.xml at line 3: unexpected EOF".
func (x *Decoder) syntaxReason(err error) string {
	where := ""
	if x.Name != "" {
		where = " in " + x.Name
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("malformed XML%s at line %d: %s", where, se.Line, se.Msg)
	}
	msg := strings.TrimPrefix(err.Error(), "xml: ")
	if errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "cut short (unexpected end of file)"
	}
	return "malformed XML" + where + ": " + msg
}

// Depth is the number of elements open after the last token.
func (x *Decoder) Depth() int { return x.depth }

// Skip consumes tokens up to and including the end of the element whose
// start was the last token returned.
func (x *Decoder) Skip() error {
	target := x.depth - 1
	for x.depth > target {
		if _, err := x.Token(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
	return nil
}

// Text returns the character data inside the element whose start was the
// last token returned, consuming it and its end tag; child elements' text is
// included, up to MaxTextField bytes (the rest is consumed and dropped).
func (x *Decoder) Text() (string, error) {
	var b bytes.Buffer
	target := x.depth - 1
	for x.depth > target {
		tok, err := x.Token()
		if err != nil {
			if err == io.EOF {
				break
			}
			return b.String(), err
		}
		if cd, ok := tok.(xml.CharData); ok && b.Len() < MaxTextField {
			b.Write(cd[:min(len(cd), MaxTextField-b.Len())])
		}
	}
	return strings.ToValidUTF8(b.String(), ""), nil
}

// MaxTextField bounds the bytes Decoder.Text keeps: it reads metadata and
// titles, one line each, and a hostile 5 MB title must not be held whole.
// It is a few times FieldRunes so that whitespace folding still leaves a
// full field.
const MaxTextField = 16 << 10

// Attr returns the value of the attribute with local name local, whatever
// its namespace.
func Attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// charsetReader accepts the encodings XML packages declare. Packages are
// UTF-8 or UTF-16 by specification; a declaration of anything else is
// usually wrong about a UTF-8 file, so the bytes are read as they are.
func charsetReader(_ string, r io.Reader) (io.Reader, error) { return r, nil }
