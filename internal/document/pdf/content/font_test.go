package content

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// fontResolver is a fake Resolver: references looked up in a map, streams
// returned unfiltered.
type fontResolver map[cos.Ref]cos.Object

func (r fontResolver) Resolve(o cos.Object) (cos.Object, error) {
	ref, ok := o.(cos.Ref)
	if !ok {
		return o, nil
	}
	v, ok := r[ref]
	if !ok {
		return nil, fmt.Errorf("no object %v", ref)
	}
	return v, nil
}

func (r fontResolver) Decode(s *cos.Stream) ([]byte, error) {
	if s.Dict["Broken"] != nil {
		return nil, errors.New("bad stream")
	}
	return s.Raw, nil
}

func stream(s string) *cos.Stream { return &cos.Stream{Dict: cos.Dict{}, Raw: []byte(s)} }

// widths returns a /Widths array of n copies of w.
func widths(n int, w int64) cos.Array {
	a := make(cos.Array, n)
	for i := range a {
		a[i] = w
	}
	return a
}

func mustLoad(t *testing.T, r Resolver, d cos.Dict) *Font {
	t.Helper()
	if r == nil {
		r = fontResolver{}
	}
	f, err := LoadFont(r, d)
	if err != nil {
		t.Fatalf("LoadFont: %v", err)
	}
	return f
}

// textOf decodes s with f and joins the text, "?" for unmapped codes.
func textOf(f *Font, s string) string {
	var b strings.Builder
	for p := []byte(s); len(p) > 0; {
		c, n := f.Next(p)
		p = p[n:]
		if t, ok := f.Text(c); ok {
			b.WriteString(t)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

func TestSimpleEncodings(t *testing.T) {
	tests := []struct {
		name string
		enc  cos.Object
		code byte
		want string // "" = unmapped
	}{
		{"WinAnsi quoteright", cos.Name("WinAnsiEncoding"), 0x92, "\u2019"},
		{"WinAnsi Euro", cos.Name("WinAnsiEncoding"), 0x80, "€"},
		{"WinAnsi eacute", cos.Name("WinAnsiEncoding"), 0xE9, "é"},
		{"WinAnsi nbsp is space", cos.Name("WinAnsiEncoding"), 0xA0, " "},
		{"WinAnsi unused is bullet", cos.Name("WinAnsiEncoding"), 0x81, "•"},
		{"WinAnsi quotesingle", cos.Name("WinAnsiEncoding"), '\'', "'"},
		{"WinAnsi control", cos.Name("WinAnsiEncoding"), 0x05, ""},
		{"MacRoman eacute", cos.Name("MacRomanEncoding"), 0x8E, "é"},
		{"MacRoman emdash", cos.Name("MacRomanEncoding"), 0xD1, "—"},
		{"MacRoman fi", cos.Name("MacRomanEncoding"), 0xDE, "\ufb01"},
		{"MacRoman dotlessi", cos.Name("MacRomanEncoding"), 0xF5, "ı"},
		{"MacRoman caron", cos.Name("MacRomanEncoding"), 0xFF, "ˇ"},
		{"Standard quoteright", cos.Name("StandardEncoding"), '\'', "\u2019"},
		{"Standard quoteleft", cos.Name("StandardEncoding"), '`', "\u2018"},
		{"Standard fl", cos.Name("StandardEncoding"), 0xAF, "\ufb02"},
		{"Standard germandbls", cos.Name("StandardEncoding"), 0xFB, "ß"},
		{"Standard Lslash", cos.Name("StandardEncoding"), 0xE8, "Ł"},
		{"Standard unused", cos.Name("StandardEncoding"), 0xA0, ""},
		{"PDFDoc emdash", cos.Name("PDFDocEncoding"), 0x84, "—"},
		{"PDFDoc breve", cos.Name("PDFDocEncoding"), 0x18, "˘"},
		{"PDFDoc Euro", cos.Name("PDFDocEncoding"), 0xA0, "€"},
		{"PDFDoc AD unused", cos.Name("PDFDocEncoding"), 0xAD, ""},
		{"no encoding is Standard", nil, 0xAE, "\ufb01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("Foo"),
				"FirstChar": int64(0), "Widths": widths(256, 500)}
			if tt.enc != nil {
				d["Encoding"] = tt.enc
			}
			f := mustLoad(t, nil, d)
			got, ok := f.Text(uint32(tt.code))
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("Text(%#x) = %q, %v; want %q", tt.code, got, ok, tt.want)
			}
		})
	}
}

func TestDifferences(t *testing.T) {
	d := cos.Dict{
		"Subtype": cos.Name("TrueType"), "BaseFont": cos.Name("ABCDEF+Foo"),
		"FirstChar": int64(0), "Widths": widths(256, 500),
		"Encoding": cos.Dict{
			"BaseEncoding": cos.Name("WinAnsiEncoding"),
			"Differences": cos.Array{
				int64(1), cos.Name("fi"), cos.Name("uni00E9"), cos.Name("u1F600"), cos.Name("g123"),
				cos.Name("f_f_i"), cos.Name("a.sc"), cos.Name(".notdef"), cos.Name("uniD800"),
				cos.Name("uni00410042"), cos.Name("T_g123"), cos.Name("Tcommaaccent"),
				int64(0x41), cos.Name("Aacute"), cos.Name("scaron"),
				int64(-5), cos.Name("space"), int64(300), cos.Name("space"), cos.String("junk"),
			},
		},
	}
	f := mustLoad(t, nil, d)
	want := map[uint32]string{
		1: "\ufb01", 2: "é", 3: "\U0001F600", 4: "", 5: "ffi", 6: "a", 7: "", 8: "",
		9: "AB", 10: "", 11: "Ţ", 0x41: "Á", 0x42: "š", 0x43: "C", 0x92: "\u2019",
	}
	for c, w := range want {
		got, ok := f.Text(c)
		if ok != (w != "") || got != w {
			t.Errorf("Text(%#x) = %q, %v; want %q", c, got, ok, w)
		}
	}
	if _, ok := f.Text(300); ok {
		t.Error("code 300 mapped in a simple font")
	}
}

func TestGlyphText(t *testing.T) {
	tests := map[string]string{
		"A": "A", "germandbls": "ß", "dotlessi": "ı", "quotedblbase": "„", "Euro": "€",
		"ellipsis": "…", "bullet": "•", "endash": "–", "emdash": "—", "ffl": "\ufb04",
		"uni20AC": "€", "uni20ac": "€", "u20AC": "€", "u10FFFF": "\U0010FFFF",
		"u110000": "", "uni20A": "", "u20A": "", "uniDFFF": "", "uD800": "",
		"one.oldstyle": "1", "f_i.liga": "fi", "": "", ".": "", "_": "", "a__b": "",
		"g123": "", "cid00012": "", "Abreve": "Ă", "Zdotaccent": "Ż",
	}
	for name, want := range tests {
		got, ok := glyphText(name)
		if ok != (want != "") || got != want {
			t.Errorf("glyphText(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}

func TestEncodingTablesComplete(t *testing.T) {
	for _, id := range []encodingID{encStandard, encWinAnsi, encMacRoman, encPDFDoc} {
		var names [256]string
		baseNames(id, &names)
		for c, n := range names {
			if n == "" {
				continue
			}
			if _, ok := glyphText(n); !ok && n != "apple" {
				t.Errorf("encoding %d code %#x: glyph %q not in the glyph list", id, c, n)
			}
		}
	}
	// Every printable cp1252 code maps in WinAnsi.
	var names [256]string
	baseNames(encWinAnsi, &names)
	for c := 0x20; c < 256; c++ {
		if names[c] == "" {
			t.Errorf("WinAnsi %#x unnamed", c)
		}
	}
}

func TestGlyphTablesSorted(t *testing.T) {
	for i := 1; i < len(aglNames); i++ {
		if aglNames[i-1].name >= aglNames[i].name {
			t.Fatalf("aglNames not sorted at %q", aglNames[i].name)
		}
	}
	for i := 1; i < len(std14Glyphs); i++ {
		if std14Glyphs[i-1] >= std14Glyphs[i] {
			t.Fatalf("std14Glyphs not sorted at %q", std14Glyphs[i])
		}
	}
}

const toUnicodeCMap = `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
4 beginbfchar
<01> <0066006C>
<02> <D83DDE00>
<03> <00e9>
<04> /fi
endbfchar
3 beginbfrange
<10> <12> <0041>
<20> <22> [<0061> <00620063> <D835DC00>]
<30> <31> <D835DC00>
endbfrange
2 beginbfchar
<05> <D800>
<06> <0000>
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end
`

func TestToUnicodeSimple(t *testing.T) {
	r := fontResolver{{Num: 7}: stream(toUnicodeCMap)}
	d := cos.Dict{
		"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("Foo"),
		"FirstChar": int64(0), "Widths": widths(256, 500),
		"ToUnicode": cos.Ref{Num: 7}, "Encoding": cos.Name("WinAnsiEncoding"),
	}
	f := mustLoad(t, r, d)
	want := map[uint32]string{
		1: "fl", 2: "\U0001F600", 3: "é", 4: "\ufb01",
		0x10: "A", 0x11: "B", 0x12: "C", 0x13: "", // 0x13 falls back to WinAnsi: control, unmapped
		0x20: "a", 0x21: "bc", 0x22: "\U0001D400",
		0x30: "\U0001D400", 0x31: "\U0001D401",
		0x05: "",  // unpaired surrogate: unmapped, no WinAnsi name either
		0x06: "",  // <0000>: no text
		0x41: "A", // not in ToUnicode: WinAnsi
	}
	for c, w := range want {
		got, ok := f.Text(c)
		if ok != (w != "") || got != w {
			t.Errorf("Text(%#x) = %q, %v; want %q", c, got, ok, w)
		}
	}
}

// TestIdentityBfrange: fpdf's ToUnicode maps every code to itself with one
// range starting at <0000>; only code 0 means "no text".
func TestIdentityBfrange(t *testing.T) {
	r := fontResolver{{Num: 7}: stream("1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"1 beginbfrange <0000> <FFFF> <0000> endbfrange")}
	d := identityFont(cos.Dict{"DW": int64(500)})
	d["ToUnicode"] = cos.Ref{Num: 7}
	f := mustLoad(t, r, d)
	for c, w := range map[uint32]string{0: "", 0x41: "A", 0xE9: "é", 0x2014: "—", 0xD800: ""} {
		if got, ok := f.Text(c); ok != (w != "") || got != w {
			t.Errorf("Text(%#x) = %q, %v; want %q", c, got, ok, w)
		}
	}
}

func TestParseCMapBounds(t *testing.T) {
	// A bfrange spanning 2^32 codes is clipped to 65,536.
	cm, err := parseCMap([]byte("1 beginbfrange <00000000> <FFFFFFFF> <D800DC00> endbfrange"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cm.uni) != maxBfrangeSpan {
		t.Errorf("entries = %d, want %d", len(cm.uni), maxBfrangeSpan)
	}
	// Too many entries overall.
	var b strings.Builder
	for range 3 {
		b.WriteString("1 beginbfrange <000000> <00FFFF> <0041> endbfrange\n")
	}
	if _, err := parseCMap([]byte(b.String())); !errors.Is(err, ErrUnsupported) {
		t.Errorf("oversized CMap: err = %v", err)
	}
	// Junk is skipped.
	cm, err = parseCMap([]byte("begincodespacerange <00> <FF> junk ) <0000> <FFFF> endcodespacerange beginbfchar ] <41> <0042> endbfchar usecmap /X usecmap /WMode 1 def"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cm.codespace) != 2 || cm.useCMap != "X" || cm.wmode != 1 || len(cm.uni) != 1 {
		t.Errorf("cm = %+v", cm)
	}
}

func identityFont(desc cos.Dict) cos.Dict {
	base := cos.Dict{"Subtype": cos.Name("CIDFontType2"), "BaseFont": cos.Name("Foo"),
		"CIDSystemInfo": cos.Dict{"Registry": cos.String("Adobe"), "Ordering": cos.String("Identity"), "Supplement": int64(0)}}
	for k, v := range desc {
		base[k] = v
	}
	return cos.Dict{"Subtype": cos.Name("Type0"), "BaseFont": cos.Name("Foo"),
		"Encoding": cos.Name("Identity-H"), "DescendantFonts": cos.Array{base}}
}

func TestType0IdentityWidths(t *testing.T) {
	d := identityFont(cos.Dict{
		"DW": int64(800),
		"W": cos.Array{
			int64(1), cos.Array{int64(100), int64(200), 250.5},
			int64(10), int64(20), int64(300),
			int64(0x1234), cos.Array{int64(900)},
			int64(70000), int64(70010), int64(5), // beyond CID 65535: ignored
		},
	})
	d["ToUnicode"] = stream("1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <0048> <1234> <0069> endbfchar 1 beginbfrange <0010> <0012> <0030> endbfrange")
	f := mustLoad(t, nil, d)
	wantW := map[uint32]float64{0: 0.8, 1: 0.1, 2: 0.2, 3: 0.2505, 4: 0.8, 10: 0.3, 15: 0.3, 20: 0.3,
		21: 0.8, 0x1234: 0.9, 0xFFFF: 0.8, 70005: 0.8}
	for c, w := range wantW {
		if got := f.Width(c); math.Abs(got-w) > 1e-6 {
			t.Errorf("Width(%#x) = %v, want %v", c, got, w)
		}
	}
	if got := textOf(f, "\x00\x01\x12\x34\x00\x10\x00\x12\x00\x02\x05"); got != "Hi02??" {
		t.Errorf("text = %q", got)
	}
	// Odd trailing byte: one code of one byte.
	if c, n := f.Next([]byte{0x41}); c != 0x41 || n != 1 {
		t.Errorf("Next(odd) = %#x, %d", c, n)
	}
	if c, n := f.Next([]byte{0x00, 0x20}); f.WordSpace(c, n) {
		t.Error("WordSpace(<0020>) in a 2-byte font")
	}
}

func TestType0DefaultWidth(t *testing.T) {
	f := mustLoad(t, nil, identityFont(nil))
	if w := f.Width(5); w != 1 {
		t.Errorf("Width with no DW or W = %v, want 1", w)
	}
	if _, ok := f.Text(5); ok {
		t.Error("Identity ordering without ToUnicode mapped a code")
	}
}

func TestType0EmbeddedCMap(t *testing.T) {
	enc := stream(`/CMapName /Test-H def /WMode 0 def
2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange
1 begincidrange <20> <7E> 1 endcidrange
1 begincidrange <8140> <817F> 633 endcidrange
1 begincidchar <8150> 2000 endcidchar
endcmap`)
	d := identityFont(cos.Dict{"W": cos.Array{int64(1), int64(95), int64(500), int64(633), int64(640), int64(700), int64(2000), cos.Array{int64(333)}}})
	d["Encoding"] = enc
	d["ToUnicode"] = stream(`2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange
1 beginbfrange <20> <7E> <0020> endbfrange
1 beginbfchar <8140> <3000> endbfchar`)
	f := mustLoad(t, nil, d)
	s := []byte("A\x81\x40B\x81\x50")
	var codes []uint32
	var ns []int
	for p := s; len(p) > 0; {
		c, n := f.Next(p)
		codes, ns = append(codes, c), append(ns, n)
		p = p[n:]
	}
	if fmt.Sprint(codes, ns) != fmt.Sprint([]uint32{0x41, 0x8140, 0x42, 0x8150}, []int{1, 2, 1, 2}) {
		t.Fatalf("codes %x lengths %v", codes, ns)
	}
	if got := textOf(f, string(s)); got != "A\u3000B?" {
		t.Errorf("text = %q", got)
	}
	if w := f.Width(0x41); w != 0.5 {
		t.Errorf("Width(A) = %v", w)
	}
	if w := f.Width(0x8140); w != 0.7 {
		t.Errorf("Width(8140) = %v", w)
	}
	if w := f.Width(0x8150); w != 0.333 {
		t.Errorf("Width(8150) = %v", w)
	}
	if w := f.Width(0x8160); w != 1 { // CID 633+32 = 665: DW
		t.Errorf("Width(8160) = %v", w)
	}
	if c, n := f.Next([]byte(" ")); !f.WordSpace(c, n) {
		t.Error("WordSpace(single byte 32) = false in a mixed-length CMap")
	}
	// Bytes in no range: one code of the shortest length.
	if c, n := f.Next([]byte{0x80}); c != 0x80 || n != 1 {
		t.Errorf("Next(<80>) = %#x, %d", c, n)
	}
}

func TestType0Unsupported(t *testing.T) {
	tests := []struct {
		name string
		edit func(d cos.Dict)
	}{
		{"Identity-V", func(d cos.Dict) { d["Encoding"] = cos.Name("Identity-V") }},
		{"predefined CMap", func(d cos.Dict) { d["Encoding"] = cos.Name("UniJIS-UCS2-H") }},
		{"WMode 1 stream", func(d cos.Dict) {
			d["Encoding"] = stream("/WMode 1 def 1 begincodespacerange <0000> <FFFF> endcodespacerange")
		}},
		{"WMode in stream dict", func(d cos.Dict) {
			s := stream("1 begincodespacerange <0000> <FFFF> endcodespacerange")
			s.Dict["WMode"] = int64(1)
			d["Encoding"] = s
		}},
		{"vertical name", func(d cos.Dict) {
			d["Encoding"] = stream("/CMapName /Foo-V def 1 begincodespacerange <0000> <FFFF> endcodespacerange")
		}},
		{"usecmap", func(d cos.Dict) {
			d["Encoding"] = stream("/UniJIS-UCS2-H usecmap 1 begincodespacerange <0000> <FFFF> endcodespacerange")
		}},
		{"no codespace", func(d cos.Dict) { d["Encoding"] = stream("1 begincidrange <00> <FF> 0 endcidrange") }},
		{"colliding code lengths", func(d cos.Dict) {
			d["Encoding"] = stream("2 begincodespacerange <80> <FF> <0000> <00FF> endcodespacerange")
		}},
		{"Japan1 without ToUnicode", func(d cos.Dict) {
			d["DescendantFonts"].(cos.Array)[0].(cos.Dict)["CIDSystemInfo"] = cos.Dict{"Ordering": cos.String("Japan1")}
		}},
		{"bad descendant", func(d cos.Dict) { d["DescendantFonts"] = cos.Array{cos.Name("x")} }},
		{"descendant subtype", func(d cos.Dict) {
			d["DescendantFonts"].(cos.Array)[0].(cos.Dict)["Subtype"] = cos.Name("Type1")
		}},
		{"malformed W", func(d cos.Dict) {
			d["DescendantFonts"].(cos.Array)[0].(cos.Dict)["W"] = cos.Array{int64(1), cos.Name("x"), int64(3)}
		}},
		{"W width not a number", func(d cos.Dict) {
			d["DescendantFonts"].(cos.Array)[0].(cos.Dict)["W"] = cos.Array{int64(1), cos.Array{cos.Name("x")}}
		}},
		{"undecodable ToUnicode", func(d cos.Dict) {
			s := stream("")
			s.Dict["Broken"] = true
			d["ToUnicode"] = s
		}},
		{"dangling ToUnicode ref", func(d cos.Dict) { d["ToUnicode"] = cos.Ref{Num: 99} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := identityFont(nil)
			tt.edit(d)
			_, err := LoadFont(fontResolver{}, d)
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("err = %v, want ErrUnsupported", err)
			}
		})
	}
}

func TestJapan1WithToUnicode(t *testing.T) {
	d := identityFont(cos.Dict{"CIDSystemInfo": cos.Dict{"Ordering": cos.String("Japan1")}})
	d["ToUnicode"] = stream("1 beginbfchar <0001> <3042> endbfchar")
	f := mustLoad(t, nil, d)
	if got := textOf(f, "\x00\x01"); got != "あ" {
		t.Errorf("text = %q", got)
	}
}

func TestStandard14Widths(t *testing.T) {
	tests := []struct {
		base string
		enc  cos.Object
		code byte
		want float64
	}{
		{"Helvetica", nil, 'a', 0.556},
		{"Helvetica", nil, 0xAE, 0.5}, // fi in StandardEncoding
		{"Helvetica-Bold", nil, 'a', 0.556},
		{"ABCDEF+Arial,Bold", cos.Name("WinAnsiEncoding"), 'W', 0.944},
		{"Arial-BoldItalicMT", cos.Name("WinAnsiEncoding"), 'i', 0.278},
		{"Times-Roman", cos.Name("WinAnsiEncoding"), 0x92, 0.333},
		{"TimesNewRomanPS-ItalicMT", nil, 'm', 0.722},
		{"TimesNewRoman,BoldItalic", nil, 'A', 0.667},
		{"CourierNew", cos.Name("MacRomanEncoding"), 0xAD, 0.6}, // notequal: no metrics, Courier is fixed-pitch
		{"Courier-Oblique", nil, 'x', 0.6},
		{"Helvetica", nil, 0x05, 0},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			d := cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name(tt.base)}
			if tt.enc != nil {
				d["Encoding"] = tt.enc
			}
			f := mustLoad(t, nil, d)
			if got := f.Width(uint32(tt.code)); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Width(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

func TestStandardFontNames(t *testing.T) {
	tests := map[string]string{
		"Helvetica": "Helvetica", "Arial": "Helvetica", "ArialMT": "Helvetica",
		"Arial,Italic": "Helvetica-Oblique", "Arial-BoldMT": "Helvetica-Bold",
		"Helvetica-BoldOblique": "Helvetica-BoldOblique", "Times-Roman": "Times-Roman",
		"TimesNewRomanPSMT": "Times-Roman", "TimesNewRomanPS-BoldMT": "Times-Bold",
		"Times-Italic": "Times-Italic", "CourierNewPS-BoldItalicMT": "Courier-BoldOblique",
		"XYZABC+Courier": "Courier", "Symbol": "Symbol", "ZapfDingbats": "ZapfDingbats",
		"Arial-Black": "", "ArialNarrow": "", "Helvetica-Light": "", "xyzabc+Courier": "",
		"Calibri": "", "": "", "Symbol,Bold": "",
	}
	for in, want := range tests {
		if got := standardFont(in); got != want {
			t.Errorf("standardFont(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSimpleUnsupported(t *testing.T) {
	tests := []struct {
		name string
		d    cos.Dict
	}{
		{"no widths, not standard", cos.Dict{"Subtype": cos.Name("TrueType"), "BaseFont": cos.Name("Calibri")}},
		{"no widths, unknown glyph", cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("Helvetica"),
			"Encoding": cos.Dict{"Differences": cos.Array{int64(65), cos.Name("Abreve")}}}},
		{"no widths, Symbol glyph unknown", cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("Symbol"),
			"ToUnicode": stream("1 beginbfchar <41> <0041> endbfchar"),
			"Encoding":  cos.Dict{"Differences": cos.Array{int64(65), cos.Name("Abreve")}}}},
		{"MacExpert", cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("Foo"),
			"Widths": widths(256, 500), "Encoding": cos.Name("MacExpertEncoding")}},
		{"unknown base encoding", cos.Dict{"Subtype": cos.Name("Type1"), "Widths": widths(256, 500),
			"Encoding": cos.Dict{"BaseEncoding": cos.Name("Foo")}}},
		{"encoding of wrong type", cos.Dict{"Subtype": cos.Name("Type1"), "Widths": widths(256, 500),
			"Encoding": int64(3)}},
		{"differences of wrong type", cos.Dict{"Subtype": cos.Name("Type1"), "Widths": widths(256, 500),
			"Encoding": cos.Dict{"Differences": cos.Name("x")}}},
		{"widths of wrong type", cos.Dict{"Subtype": cos.Name("Type1"), "Widths": cos.Name("x")}},
		{"Type3 without widths", cos.Dict{"Subtype": cos.Name("Type3"),
			"FontMatrix": cos.Array{0.001, int64(0), int64(0), 0.001, int64(0), int64(0)}}},
		{"Type3 without matrix", cos.Dict{"Subtype": cos.Name("Type3"), "Widths": widths(256, 500)}},
		{"Type3 rotated", cos.Dict{"Subtype": cos.Name("Type3"), "Widths": widths(256, 500),
			"FontMatrix": cos.Array{int64(0), 0.001, -0.001, int64(0), int64(0), int64(0)}}},
		{"no subtype", cos.Dict{"Widths": widths(256, 500)}},
		{"CIDFontType2 at top", cos.Dict{"Subtype": cos.Name("CIDFontType2")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFont(fontResolver{}, tt.d)
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("err = %v, want ErrUnsupported", err)
			}
		})
	}
}

func TestSymbolWithToUnicode(t *testing.T) {
	d := cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("Symbol"),
		"FirstChar": int64(32), "Widths": widths(224, 600),
		"ToUnicode": stream("1 beginbfchar <61> <03B1> endbfchar")}
	f := mustLoad(t, nil, d)
	if got := textOf(f, "ab"); got != "αβ" {
		t.Errorf("text = %q", got)
	}
	// Without /Widths: Symbol's own metrics, by its built-in encoding or
	// /Differences.
	delete(d, "Widths")
	d["Encoding"] = cos.Dict{"Differences": cos.Array{int64(1), cos.Name("space"), cos.Name("copyrightsans")}}
	f = mustLoad(t, nil, d)
	for c, w := range map[uint32]float64{1: 0.25, 2: 0.79, 'a': 0.631, 0xFF: 0} {
		if got := f.Width(c); math.Abs(got-w) > 1e-9 {
			t.Errorf("Symbol Width(%#x) = %v, want %v", c, got, w)
		}
	}
	d = cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("ZapfDingbats"),
		"ToUnicode": stream("1 beginbfchar <21> <2701> endbfchar")}
	if w := mustLoad(t, nil, d).Width(0x21); w != 0.974 {
		t.Errorf("ZapfDingbats Width(0x21) = %v", w)
	}
}

func TestMacRomanStandardFontWithoutWidths(t *testing.T) {
	d := cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("Helvetica"), "Encoding": cos.Name("MacRomanEncoding")}
	f := mustLoad(t, nil, d)
	if got := textOf(f, "a\x8e\xad\xd1\xf0"); got != "aé?—?" {
		t.Errorf("text = %q", got)
	}
	for c, w := range map[uint32]float64{'a': 0.556, 0xAD: 0.549, 0xF0: 0, 0xD1: 1} {
		if got := f.Width(c); math.Abs(got-w) > 1e-9 {
			t.Errorf("Width(%#x) = %v, want %v", c, got, w)
		}
	}
}

func TestSimpleWidths(t *testing.T) {
	d := cos.Dict{
		"Subtype": cos.Name("TrueType"), "BaseFont": cos.Name("Foo"),
		"FirstChar": cos.Ref{Num: 3}, "LastChar": int64(34),
		"Widths":         cos.Ref{Num: 4},
		"FontDescriptor": cos.Dict{"MissingWidth": int64(250), "Flags": int64(32)},
	}
	r := fontResolver{{Num: 3}: int64(32), {Num: 4}: cos.Array{int64(278), cos.Ref{Num: 5}, cos.Name("bad")}, {Num: 5}: 355.5}
	f := mustLoad(t, r, d)
	for c, w := range map[uint32]float64{31: 0.25, 32: 0.278, 33: 0.3555, 34: 0.25, 35: 0.25, 255: 0.25, 256: 0, 1000: 0} {
		if got := f.Width(c); math.Abs(got-w) > 1e-9 {
			t.Errorf("Width(%d) = %v, want %v", c, got, w)
		}
	}
	if !f.WordSpace(f.Next([]byte(" "))) || f.WordSpace(f.Next([]byte("a"))) {
		t.Error("WordSpace wrong for a simple font")
	}
	// Hostile FirstChar values.
	for _, first := range []cos.Object{int64(-3), int64(math.MaxInt64), int64(math.MinInt64), 1e300, cos.Name("x")} {
		d := cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("Foo"), "FirstChar": first, "Widths": widths(300, 500)}
		f := mustLoad(t, nil, d)
		_ = f.Width(0)
	}
	d = cos.Dict{"Subtype": cos.Name("Type1"), "FirstChar": int64(-3), "Widths": cos.Array{int64(1), int64(2), int64(3), int64(4000)}}
	if w := mustLoad(t, nil, d).Width(0); w != 4 {
		t.Errorf("negative FirstChar: Width(0) = %v", w)
	}
}

func TestType3(t *testing.T) {
	d := cos.Dict{
		"Subtype":    cos.Name("Type3"),
		"FontMatrix": cos.Array{0.01, int64(0), int64(0), 0.01, int64(0), int64(0)},
		"FontBBox":   cos.Array{int64(0), int64(-25), int64(100), int64(75)},
		"FirstChar":  int64(65), "Widths": cos.Array{int64(50), int64(60)},
		"Encoding": cos.Dict{"Differences": cos.Array{int64(65), cos.Name("A"), cos.Name("g7")}},
	}
	f := mustLoad(t, nil, d)
	if !f.Type3() {
		t.Error("Type3() = false")
	}
	if w := f.Width(65); math.Abs(w-0.5) > 1e-9 {
		t.Errorf("Width(A) = %v", w)
	}
	if w := f.Width(66); math.Abs(w-0.6) > 1e-9 {
		t.Errorf("Width(B) = %v", w)
	}
	if a, dsc := f.Ascent(), f.Descent(); math.Abs(a-0.75) > 1e-9 || math.Abs(dsc+0.25) > 1e-9 {
		t.Errorf("ascent, descent = %v, %v", a, dsc)
	}
	if got := textOf(f, "ABC"); got != "A??" {
		t.Errorf("text = %q", got)
	}
	// Flipped matrix: the box still orders ascent above descent.
	d["FontMatrix"] = cos.Array{int64(1), int64(0), int64(0), int64(-1), int64(0), int64(0)}
	d["FontBBox"] = cos.Array{int64(0), 0.1, int64(1), -0.7}
	f = mustLoad(t, nil, d)
	if a, dsc := f.Ascent(), f.Descent(); math.Abs(a-0.7) > 1e-9 || math.Abs(dsc+0.1) > 1e-9 {
		t.Errorf("flipped: ascent, descent = %v, %v", a, dsc)
	}
}

func TestAscentDescent(t *testing.T) {
	tests := []struct {
		name     string
		fd       cos.Object
		asc, dsc float64
	}{
		// Box extents: the descriptor's values, clamped to 0.75 above and
		// 0.22 below the baseline (boxMetrics).
		{"descriptor", cos.Dict{"Ascent": int64(718), "Descent": int64(-207)}, 0.718, -0.207},
		{"line-spacing metrics", cos.Dict{"Ascent": int64(928), "Descent": int64(-235)}, 0.75, -0.22},
		{"bbox fallback", cos.Dict{"Ascent": int64(0), "FontBBox": cos.Array{int64(-100), int64(-300), int64(1000), int64(700)}}, 0.7, -0.22},
		{"nothing", cos.Dict{}, 0.75, -0.2},
		{"no descriptor", nil, 0.75, -0.2},
		{"positive descent", cos.Dict{"Ascent": int64(700), "Descent": int64(200)}, 0.7, -0.2},
		{"huge", cos.Dict{"Ascent": int64(5000), "Descent": int64(-3000)}, 0.75, -0.22},
		{"tiny", cos.Dict{"Ascent": int64(100), "Descent": int64(-50)}, 0.75, -0.2},
		{"negative ascent", cos.Dict{"Ascent": int64(-700), "Descent": int64(-200)}, 0.75, -0.2},
		{"wrong types", cos.Dict{"Ascent": cos.Name("x"), "Descent": cos.String("y"), "FontBBox": cos.Array{int64(1)}}, 0.75, -0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := cos.Dict{"Subtype": cos.Name("Type1"), "Widths": widths(256, 500)}
			if tt.fd != nil {
				d["FontDescriptor"] = tt.fd
			}
			f := mustLoad(t, nil, d)
			if math.Abs(f.ascent-tt.asc) > 1e-9 || math.Abs(f.descent-tt.dsc) > 1e-9 {
				t.Errorf("ascent, descent = %v, %v; want %v, %v", f.ascent, f.descent, tt.asc, tt.dsc)
			}
		})
	}
}

func TestBuiltinEncoding(t *testing.T) {
	prog := "%!PS-AdobeFont-1.0: CMR10 003.002\n/FontName /CMR10 def\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n" +
		"dup 11 /ff put\ndup 12 /fi put\ndup 65 /A put\ndup 123 /endash put\nreadonly def\ncurrentfile eexec\n\x80\x81binary"
	ff := stream(prog)
	ff.Dict["Length1"] = int64(len(prog) - 8)
	base := func(fd cos.Dict) cos.Dict {
		return cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("ABCDEF+CMR10"),
			"FirstChar": int64(0), "Widths": widths(256, 500), "FontDescriptor": fd}
	}
	f := mustLoad(t, nil, base(cos.Dict{"Flags": int64(4), "FontFile": ff}))
	if got := textOf(f, "\x0b\x0cA{B"); got != "\ufb00\ufb01A–?" {
		t.Errorf("builtin encoding: text = %q", got)
	}
	// Differences over the builtin encoding.
	d := base(cos.Dict{"Flags": int64(4), "FontFile": ff})
	d["Encoding"] = cos.Dict{"Differences": cos.Array{int64(66), cos.Name("B")}}
	if got := textOf(mustLoad(t, nil, d), "AB{"); got != "AB–" {
		t.Errorf("differences over builtin: text = %q", got)
	}
	// StandardEncoding program.
	f = mustLoad(t, nil, base(cos.Dict{"Flags": int64(4), "FontFile": stream("/Encoding StandardEncoding def")}))
	if got := textOf(f, "'"); got != "\u2019" {
		t.Errorf("standard builtin: text = %q", got)
	}
	// Unreadable program: symbolic -> unmapped, non-symbolic -> Standard.
	f = mustLoad(t, nil, base(cos.Dict{"Flags": int64(4), "FontFile": stream("garbage")}))
	if got := textOf(f, "A"); got != "?" {
		t.Errorf("symbolic unreadable: text = %q", got)
	}
	f = mustLoad(t, nil, base(cos.Dict{"Flags": int64(32), "FontFile3": stream("garbage")}))
	if got := textOf(f, "A"); got != "A" {
		t.Errorf("non-symbolic unreadable: text = %q", got)
	}
	// Symbolic TrueType without encoding: unmapped.
	d = base(cos.Dict{"Flags": int64(4), "FontFile2": stream("x")})
	d["Subtype"] = cos.Name("TrueType")
	if got := textOf(mustLoad(t, nil, d), "A"); got != "?" {
		t.Errorf("symbolic TrueType: text = %q", got)
	}
}

func TestHostileDicts(t *testing.T) {
	junk := []cos.Object{nil, int64(-1), int64(math.MaxInt64), 1e308, cos.Name("x"), cos.String("s"),
		cos.Array{}, cos.Array{cos.Name("x"), int64(-1)}, cos.Dict{}, cos.Ref{Num: 1}, cos.Ref{Num: 2}, stream("junk"),
		cos.Array{int64(1), int64(2)}, true}
	r := fontResolver{{Num: 1}: cos.Dict{"Subtype": cos.Name("CIDFontType2")}}
	keys := []cos.Name{"Subtype", "BaseFont", "Encoding", "ToUnicode", "Widths", "FirstChar", "FontDescriptor",
		"DescendantFonts", "FontMatrix", "FontBBox"}
	for _, sub := range []string{"Type1", "TrueType", "Type3", "Type0"} {
		for _, k := range keys {
			for _, v := range junk {
				d := identityFont(nil)
				d["Subtype"] = cos.Name(sub)
				d["Widths"] = widths(10, 1)
				d["FontMatrix"] = cos.Array{0.001, int64(0), int64(0), 0.001, int64(0), int64(0)}
				d[k] = v
				f, err := LoadFont(r, d)
				if err == nil {
					textOf(f, "\x00\x01abc\xff")
					f.Width(0)
					f.Width(math.MaxUint32)
					f.Text(math.MaxUint32)
				}
			}
		}
	}
	// Descendant fields.
	for _, k := range []cos.Name{"W", "DW", "CIDSystemInfo", "FontDescriptor", "Subtype"} {
		for _, v := range junk {
			d := identityFont(cos.Dict{k: v})
			if f, err := LoadFont(r, d); err == nil {
				textOf(f, "\x00\x01")
			}
		}
	}
}

func TestGiantW(t *testing.T) {
	w := cos.Array{}
	for range 2000 {
		w = append(w, int64(0), int64(math.MaxInt32), int64(500))
	}
	_, err := LoadFont(fontResolver{}, identityFont(cos.Dict{"W": w}))
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("giant /W: err = %v", err)
	}
}

func FuzzCMap(f *testing.F) {
	f.Add([]byte(toUnicodeCMap))
	f.Add([]byte("2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange 1 begincidrange <8140> <817F> 633 endcidrange 1 begincidchar <20> 1 endcidchar"))
	f.Add([]byte("1 beginbfrange <0000> <FFFF> [<0041> <D83DDE00> <>] endbfrange"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cm, err := parseCMap(data)
		if err != nil {
			return
		}
		if len(cm.uni) > maxCMapEntries || len(cm.text) > maxCMapText+4*maxCMapDst {
			t.Fatalf("bounds exceeded: %d entries, %d bytes", len(cm.uni), len(cm.text))
		}
		for _, e := range cm.uni {
			if e.off > e.end || int(e.end) > len(cm.text) {
				t.Fatalf("bad entry %+v", e)
			}
		}
		// Load it as a Type0 encoding and ToUnicode.
		d := identityFont(nil)
		d["Encoding"] = &cos.Stream{Dict: cos.Dict{}, Raw: data}
		d["ToUnicode"] = &cos.Stream{Dict: cos.Dict{}, Raw: data}
		if font, err := LoadFont(fontResolver{}, d); err == nil {
			for p := data; len(p) > 0; {
				c, n := font.Next(p)
				if n < 1 || n > len(p) {
					t.Fatalf("Next returned n=%d for %d bytes", n, len(p))
				}
				font.Text(c)
				font.Width(c)
				p = p[n:]
			}
		}
	})
}

func FuzzLoadFont(f *testing.F) {
	f.Add([]byte("<< /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"))
	f.Add([]byte("<< /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [<< /Subtype /CIDFontType2 /W [1 [500 600] 10 20 300] /DW 900 >>] >>"))
	f.Add([]byte("<< /Subtype /Type3 /FontMatrix [0.001 0 0 0.001 0 0] /FirstChar 65 /Widths [500] /Encoding << /Differences [65 /A /f_i /uni00E9] >> >>"))
	f.Add([]byte("<< /Subtype /TrueType /FirstChar -5 /Widths [1 2 3] /FontDescriptor << /Flags 4 /Ascent 900 /Descent 200 >> >>"))
	f.Add([]byte("<< /Subtype /Type1 /Widths [1] /ToUnicode 1 0 R /FontDescriptor << /Flags 4 /FontFile 1 0 R >> >> 1 beginbfchar <41> <0042> endbfchar /Encoding 256 array dup 65 /A put readonly def"))
	f.Add(append([]byte("<< /Subtype /Type1 /Widths [1] /FontDescriptor << /Flags 4 /FontFile3 2 0 R >> >>"),
		buildCFF([3]uint16{34, 391, 109}, []byte{0, 3, 0x61, 0x62, 0x63}, 0)...))
	f.Add([]byte("<< /Subtype /Type0 /Encoding 1 0 R /DescendantFonts [3 0 R] >> 1 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange 1 begincidrange <8140> <817F> 633 endcidrange"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lx := cos.NewLexer(data, 0)
		lx.Refs = true
		o, err := lx.Object()
		if err != nil {
			return
		}
		d, ok := o.(cos.Dict)
		if !ok {
			return
		}
		// 1 0 R and 2 0 R are streams holding the whole input (as a CMap,
		// a Type1 program or a CFF font), 3 0 R is the dictionary itself.
		r := fontResolver{
			{Num: 1}: &cos.Stream{Dict: cos.Dict{}, Raw: data},
			{Num: 2}: &cos.Stream{Dict: cos.Dict{"Subtype": cos.Name("Type1C")}, Raw: data},
			{Num: 3}: d,
		}
		font, err := LoadFont(r, d)
		if err != nil {
			return
		}
		if a, dsc := font.Ascent(), font.Descent(); !(a > 0 && a <= 2 && dsc <= 0 && dsc >= -1) {
			t.Fatalf("ascent %v descent %v", a, dsc)
		}
		for p := data; len(p) > 0; {
			c, n := font.Next(p)
			if n < 1 || n > len(p) {
				t.Fatalf("Next returned n=%d for %d bytes", n, len(p))
			}
			font.Text(c)
			font.Width(c)
			p = p[n:]
		}
	})
}

func BenchmarkIdentityH(b *testing.B) {
	var tu strings.Builder
	tu.WriteString("1 begincodespacerange <0000> <FFFF> endcodespacerange\n100 beginbfchar\n")
	for i := range 100 {
		fmt.Fprintf(&tu, "<%04X> <%04X>\n", i+3, 'A'+i%26)
	}
	tu.WriteString("endbfchar\n")
	w := cos.Array{int64(3), widths(100, 500)}
	d := identityFont(cos.Dict{"W": w})
	d["ToUnicode"] = stream(tu.String())
	f, err := LoadFont(fontResolver{}, d)
	if err != nil {
		b.Fatal(err)
	}
	s := make([]byte, 2000)
	for i := 0; i < len(s); i += 2 {
		s[i+1] = byte(3 + i/2%100)
	}
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		var sum float64
		var nText int
		for p := s; len(p) > 0; {
			c, n := f.Next(p)
			t, _ := f.Text(c)
			nText += len(t)
			sum += f.Width(c)
			p = p[n:]
		}
		if nText == 0 || sum == 0 {
			b.Fatal("nothing decoded")
		}
	}
}

func TestEncodingTablesAgainstCharmaps(t *testing.T) {
	if len(asciiNames) != 0x7F || len(latin1Names) != 0x100 || len(winAnsiHigh) != 0xA1 ||
		len(macRomanHigh) != 0x80 || len(pdfDocHigh) != 0xA1 || len(pdfDocLow) != 0x20 {
		t.Fatal("encoding table lengths wrong")
	}
	check := func(id encodingID, cm *charmap.Charmap, from int, skip map[int]bool) {
		t.Helper()
		var names [256]string
		baseNames(id, &names)
		for c := from; c < 256; c++ {
			if skip[c] {
				continue
			}
			want := string(cm.DecodeByte(byte(c)))
			got, _ := glyphText(names[c])
			if got != want {
				t.Errorf("encoding %d code %#x: %q (%s), charmap says %q", id, c, got, names[c], want)
			}
		}
	}
	// WinAnsi: unused codes are bullets, A0 is space, AD is hyphen.
	check(encWinAnsi, charmap.Windows1252, 0x20, map[int]bool{0x7F: true, 0x81: true, 0x8D: true, 0x8F: true,
		0x90: true, 0x9D: true, 0xA0: true, 0xAD: true})
	// MacRoman: Apple's later Euro at DB (PDF keeps currency), the apple logo,
	// Delta read as the Greek letter, CA (no-break space) read as space.
	check(encMacRoman, charmap.Macintosh, 0x20, map[int]bool{0x7F: true, 0xDB: true, 0xF0: true, 0xC6: true, 0xCA: true})
	check(encPDFDoc, charmap.ISO8859_1, 0xA1, map[int]bool{0xAD: true})
}
