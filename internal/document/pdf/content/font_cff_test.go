package content

import (
	"encoding/binary"
	"testing"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// cffIndexBytes builds a CFF INDEX with 1-byte offsets.
func cffIndexBytes(items ...[]byte) []byte {
	if len(items) == 0 {
		return []byte{0, 0}
	}
	out := []byte{0, byte(len(items)), 1, 1}
	off := 1
	for _, it := range items {
		off += len(it)
		out = append(out, byte(off))
	}
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

// buildCFF builds a bare CFF font with 4 glyphs whose charset (format 0) is
// sids (GIDs 1..3), with the encoding bytes enc, or the predefined encoding
// encOff (0 or 1) when enc is nil.
func buildCFF(sids [3]uint16, enc []byte, encOff int) []byte {
	op := func(v int, o byte) []byte {
		b := []byte{29, 0, 0, 0, 0, o}
		binary.BigEndian.PutUint32(b[1:], uint32(v))
		return b
	}
	head := []byte{1, 0, 4, 1}
	name := cffIndexBytes([]byte("Foo"))
	strs := cffIndexBytes([]byte("myglyph"))
	gsubrs := cffIndexBytes()
	const dictLen = 18
	topLen := len(cffIndexBytes(make([]byte, dictLen)))
	base := len(head) + len(name) + topLen + len(strs) + len(gsubrs)
	charset := []byte{0}
	for _, s := range sids {
		charset = binary.BigEndian.AppendUint16(charset, s)
	}
	charsetOff := base
	encodingOff := base + len(charset)
	if enc == nil {
		encodingOff = encOff
	}
	csOff := base + len(charset) + len(enc)
	dict := append(append(op(charsetOff, 15), op(encodingOff, 16)...), op(csOff, 17)...)
	out := append([]byte{}, head...)
	out = append(out, name...)
	out = append(out, cffIndexBytes(dict)...)
	out = append(out, strs...)
	out = append(out, gsubrs...)
	out = append(out, charset...)
	out = append(out, enc...)
	out = append(out, cffIndexBytes([]byte{14}, []byte{14}, []byte{14}, []byte{14})...)
	return out
}

func sidOf(t *testing.T, name string) uint16 {
	for i, n := range cffISOAdobe {
		if n == name {
			return uint16(i)
		}
	}
	t.Fatalf("no SID for %s", name)
	return 0
}

func TestCFFEncoding(t *testing.T) {
	sids := [3]uint16{sidOf(t, "A"), 391, sidOf(t, "fi")}
	tests := []struct {
		name string
		cff  []byte
		want map[byte]string
		ok   bool
	}{
		{"format 0", buildCFF(sids, []byte{0, 3, 0x61, 0x62, 0x63}, 0),
			map[byte]string{0x61: "A", 0x62: "myglyph", 0x63: "fi", 0x41: ""}, true},
		{"format 1 with supplements", buildCFF(sids, []byte{0x81, 1, 0x41, 1, 1, 0x20, 0, byte(sidOf(t, "space"))}, 0),
			map[byte]string{0x41: "A", 0x42: "myglyph", 0x43: "", 0x20: "space"}, true},
		{"standard", buildCFF(sids, nil, 0), map[byte]string{0x27: "quoteright", 0xAE: "fi"}, true},
		{"expert", buildCFF(sids, nil, 1), nil, false},
		{"bad format", buildCFF(sids, []byte{5, 1}, 0), nil, false},
		{"truncated", buildCFF(sids, []byte{0, 3, 0x61, 0x62, 0x63}, 0)[:40], nil, false},
		{"junk", []byte{1, 0, 4, 1, 0xff, 0xff, 4}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			names, ok := cffEncoding(tt.cff)
			if ok != tt.ok {
				t.Fatalf("ok = %v", ok)
			}
			for c, w := range tt.want {
				if names[c] != w {
					t.Errorf("code %#x = %q, want %q", c, names[c], w)
				}
			}
		})
	}
}

func TestType1CBuiltinEncoding(t *testing.T) {
	ff := &cos.Stream{Dict: cos.Dict{"Subtype": cos.Name("Type1C")},
		Raw: buildCFF([3]uint16{sidOf(t, "A"), sidOf(t, "eacute"), sidOf(t, "fi")}, []byte{0, 3, 1, 2, 3}, 0)}
	d := cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("ABCDEF+Minion"),
		"FirstChar": int64(0), "Widths": widths(256, 500),
		"FontDescriptor": cos.Dict{"Flags": int64(4), "FontFile3": ff}}
	if got := textOf(mustLoad(t, nil, d), "\x01\x02\x03A"); got != "Aé\ufb01?" {
		t.Errorf("text = %q", got)
	}
}

func FuzzCFFEncoding(f *testing.F) {
	f.Add(buildCFF([3]uint16{34, 391, 109}, []byte{0x81, 1, 0x41, 1, 1, 0x20, 0, 1}, 0))
	f.Add(buildCFF([3]uint16{34, 391, 109}, []byte{0, 3, 0x61, 0x62, 0x63}, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		cffEncoding(b)
	})
}

func TestCFFStandardStrings(t *testing.T) {
	if len(cffISOAdobe) != 229 {
		t.Fatalf("len = %d", len(cffISOAdobe))
	}
	for sid, name := range map[int]string{95: "asciitilde", 109: "fi", 150: "onesuperior", 170: "copyright", 171: "Aacute", 228: "zcaron"} {
		if cffISOAdobe[sid] != name {
			t.Errorf("SID %d = %q, want %q", sid, cffISOAdobe[sid], name)
		}
	}
}
