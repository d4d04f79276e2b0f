package content

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// testFont is a simple font: one byte per code, every code 0.5 wide,
// ascent 0.8, descent -0.2; codes below 0x80 are ASCII, 0x01 is the "fi"
// ligature, 0x02 maps to nothing on purpose, 0x03 to a control character,
// and codes from 0x80 have no Unicode.
type testFont struct{ text [256]string }

func newTestFont() *testFont {
	f := &testFont{}
	for c := 0x04; c < 0x80; c++ {
		f.text[c] = string(rune(c))
	}
	f.text[0x01] = "fi"
	f.text[0x03] = "\x07"
	f.text['\t'] = "\t"
	return f
}

func (f *testFont) Next(s []byte) (uint32, int) { return uint32(s[0]), 1 }
func (f *testFont) Text(code uint32) (string, bool) {
	if code >= 0x80 {
		return "", false
	}
	return f.text[code], true
}
func (f *testFont) Width(uint32) float64              { return 0.5 }
func (f *testFont) Ascent() float64                   { return 0.8 }
func (f *testFont) Descent() float64                  { return -0.2 }
func (f *testFont) WordSpace(code uint32, n int) bool { return code == 32 && n == 1 }
func (f *testFont) Style() FontStyle                  { return 0 }
func (f *testFont) Family() uint32                    { return 0 }

var _ glyphFont = (*testFont)(nil)

// fakeFile serves objects by reference and streams undecoded.
type fakeFile struct {
	objs    map[cos.Ref]cos.Object
	decodes atomic.Int32
}

func (f *fakeFile) Resolve(o cos.Object) (cos.Object, error) {
	r, ok := o.(cos.Ref)
	if !ok {
		return o, nil
	}
	v, ok := f.objs[r]
	if !ok {
		return nil, fmt.Errorf("no object %v", r)
	}
	return v, nil
}

func (f *fakeFile) Decode(s *cos.Stream) ([]byte, error) {
	f.decodes.Add(1)
	if s.Dict["Broken"] == true {
		return nil, errors.New("bad stream")
	}
	return s.Raw, nil
}

var (
	refF1     = cos.Ref{Num: 1}
	refBadF   = cos.Ref{Num: 3}
	refBrokeF = cos.Ref{Num: 4}
	refImage  = cos.Ref{Num: 10}
)

// testLoader loads every font dictionary as the test font, except those
// marked /Unsupported or /Broken.
func testLoader(_ Resolver, d cos.Dict) (glyphFont, error) {
	if d["Unsupported"] == true {
		return nil, fmt.Errorf("%w: test font", ErrUnsupported)
	}
	if d["Broken"] == true {
		return nil, errors.New("broken test font")
	}
	return newTestFont(), nil
}

// testPage builds a file with fonts /F1 (test font), /FU (unsupported),
// /FB (broken), /FD (a direct dictionary), the image /Im, and the forms
// given as name -> stream.
func testPage(forms map[string]*cos.Stream) (*fakeFile, cos.Dict) {
	f := &fakeFile{objs: map[cos.Ref]cos.Object{
		refF1:     cos.Dict{"Type": cos.Name("Font")},
		refBadF:   cos.Dict{"Unsupported": true},
		refBrokeF: cos.Dict{"Broken": true},
		refImage:  &cos.Stream{Dict: cos.Dict{"Subtype": cos.Name("Image")}},
	}}
	xo := cos.Dict{"Im": refImage}
	n := int32(20)
	for name, s := range forms {
		r := cos.Ref{Num: n}
		n++
		f.objs[r] = s
		xo[cos.Name(name)] = r
	}
	res := cos.Dict{
		"Font": cos.Dict{
			"F1": refF1,
			"FU": refBadF,
			"FB": refBrokeF,
			"FD": cos.Dict{"Type": cos.Name("Font")},
		},
		"XObject": xo,
	}
	return f, res
}

var letterBox = [4]float64{0, 0, 612, 792}

func runTest(t testing.TB, content string, forms map[string]*cos.Stream, lim Limits) (*Page, error) {
	t.Helper()
	f, res := testPage(forms)
	return Run(context.Background(), f, newFontCache(testLoader), res, []byte(content), letterBox, lim)
}

// g is a glyph as the tests write it: text and box, with size.
type g struct {
	text       string
	l, b, r, t float64
	size       float64
}

func glyphsOf(p *Page) []g {
	var out []g
	for _, x := range p.Glyphs {
		s := x.Text
		if x.Unmapped {
			s = "?"
		}
		out = append(out, g{s, round(x.L), round(x.B), round(x.R), round(x.T), round(x.Size)})
	}
	return out
}

func round(v float32) float64 { return math.Round(float64(v)*1000) / 1000 }

func TestRunGlyphs(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    []g
	}{
		{"Tj", "BT /F1 10 Tf 100 700 Td (AB) Tj ET", []g{
			{"A", 100, 698, 105, 708, 10}, {"B", 105, 698, 110, 708, 10}}},
		{"TJ kerning right", "BT /F1 10 Tf 100 700 Td [(A) -500 (B)] TJ ET", []g{
			{"A", 100, 698, 105, 708, 10}, {"B", 110, 698, 115, 708, 10}}},
		{"TJ kerning left", "BT /F1 10 Tf 100 700 Td [(A)500(B)]TJ ET", []g{
			{"A", 100, 698, 105, 708, 10}, {"B", 100, 698, 105, 708, 10}}},
		{"TJ leading number", "BT /F1 10 Tf 100 700 Td [-1000 (A)] TJ ET", []g{
			{"A", 110, 698, 115, 708, 10}}},
		{"Tc", "BT /F1 10 Tf 1 Tc 100 700 Td (AB) Tj ET", []g{
			{"A", 100, 698, 105, 708, 10}, {"B", 106, 698, 111, 708, 10}}},
		{"Tw on space only", "BT /F1 10 Tf 2 Tw 100 700 Td (A B) Tj ET", []g{
			{"A", 100, 698, 105, 708, 10}, {" ", 105, 698, 110, 708, 10}, {"B", 112, 698, 117, 708, 10}}},
		{"Tz scales width", "BT /F1 10 Tf 50 Tz 100 700 Td (AB) Tj ET", []g{
			{"A", 100, 698, 102.5, 708, 10}, {"B", 102.5, 698, 105, 708, 10}}},
		{"Tz scales Tc", "BT /F1 10 Tf 50 Tz 2 Tc 100 700 Td (AB) Tj ET", []g{
			{"A", 100, 698, 102.5, 708, 10}, {"B", 103.5, 698, 106, 708, 10}}},
		{"oblique", "BT /F1 10 Tf 1 0 0.2 1 100 100 Tm (AB) Tj ET", []g{
			{"A", 99.6, 98, 106.6, 108, 10.198}, {"B", 104.6, 98, 111.6, 108, 10.198}}},
		{"anisotropic scale", "BT /F1 10 Tf 2 0 0 3 100 100 Tm (A) Tj ET", []g{
			{"A", 100, 94, 110, 124, 30}}},
		{"Td TD T*", "BT /F1 10 Tf 100 700 Td (A) Tj 0 -20 TD (B) Tj T* (C) Tj ET", []g{
			{"A", 100, 698, 105, 708, 10}, {"B", 100, 678, 105, 688, 10}, {"C", 100, 658, 105, 668, 10}}},
		{"TL and quote", "BT /F1 10 Tf 15 TL 100 700 Td (A) Tj (B) ' ET", []g{
			{"A", 100, 698, 105, 708, 10}, {"B", 100, 683, 105, 693, 10}}},
		{"double quote sets Tw Tc", "BT /F1 10 Tf 15 TL 100 700 Td 1 2 (A B) \" ET", []g{
			{"A", 100, 683, 105, 693, 10}, {" ", 107, 683, 112, 693, 10}, {"B", 115, 683, 120, 693, 10}}},
		{"Tm scale", "BT /F1 1 Tf 12 0 0 12 100 700 Tm (AB) Tj ET", []g{
			{"A", 100, 697.6, 106, 709.6, 12}, {"B", 106, 697.6, 112, 709.6, 12}}},
		{"Tm resets line", "BT /F1 10 Tf 5 5 Td 0 0 0 0 0 0 1 0 0 1 100 700 Tm (A) Tj 0 -10 Td (B) Tj ET", []g{
			{"A", 100, 698, 105, 708, 10}, {"B", 100, 688, 105, 698, 10}}},
		{"cm scale", "2 0 0 2 0 0 cm BT /F1 10 Tf 10 10 Td (A) Tj ET", []g{
			{"A", 20, 16, 30, 36, 20}}},
		{"cm after BT", "BT /F1 10 Tf 1 0 0 1 50 0 cm 10 10 Td (A) Tj ET", []g{
			{"A", 60, 8, 65, 18, 10}}},
		{"q Q restore CTM", "q 2 0 0 2 0 0 cm Q BT /F1 10 Tf 10 10 Td (A) Tj ET", []g{
			{"A", 10, 8, 15, 18, 10}}},
		{"q Q restore font size", "BT /F1 10 Tf q /F1 20 Tf Q 10 10 Td (A) Tj ET", []g{
			{"A", 10, 8, 15, 18, 10}}},
		{"unbalanced Q", "Q Q 1 0 0 1 5 0 cm BT /F1 10 Tf (A) Tj ET", []g{
			{"A", 5, -2, 10, 8, 10}}},
		{"Ts rise", "BT /F1 10 Tf 100 700 Td 5 Ts (A) Tj 0 Ts (B) Tj ET", []g{
			{"A", 100, 703, 105, 713, 10}, {"B", 105, 698, 110, 708, 10}}},
		{"Tf zero: no glyphs", "BT /F1 0 Tf (AB) Tj /F1 10 Tf (C) Tj ET", []g{
			{"C", 0, -2, 5, 8, 10}}},
		{"negative Tf under a mirrored Tm", "BT /F1 -1 Tf -10 0 0 -10 100 700 Tm (A) Tj ET", []g{
			{"A", 100, 698, 105, 708, 10}}},
		{"invisible text is text", "BT 3 Tr /F1 10 Tf (A) Tj 7 Tr (B) Tj ET", []g{
			{"A", 0, -2, 5, 8, 10}, {"B", 5, -2, 10, 8, 10}}},
		{"ligature, control, mapped-to-nothing, tab", "BT /F1 10 Tf (\001\002\003\tA) Tj ET", []g{
			{"fi", 0, -2, 5, 8, 10}, {" ", 15, -2, 20, 8, 10}, {"A", 20, -2, 25, 8, 10}}},
		{"direct font dictionary", "BT /FD 10 Tf (A) Tj ET", []g{
			{"A", 0, -2, 5, 8, 10}}},
		{"too few operands ignored", "BT /F1 10 Tf 100 700 Td 5 Td Tj 1 2 3 Tm 7 Tf (A) Tj ET", []g{
			{"A", 100, 698, 105, 708, 10}}},
		{"marked content, paths, dicts, unknown ops", `/Span <</ActualText (X) /Nested <<>> >> BDC
			0 0 m 10 10 l S 1 0 0 rg /GS0 gs [1 2] 0 d foo bar true false null
			BT /F1 10 Tf (A) Tj ET EMC /Sh sh`, []g{
			{"A", 0, -2, 5, 8, 10}}},
		{"hex string", "BT /F1 10 Tf <4142> Tj ET", []g{
			{"A", 0, -2, 5, 8, 10}, {"B", 5, -2, 10, 8, 10}}},
		{"operators without spaces", "BT/F1 10 Tf[(A)-1000(B)]TJ(C)Tj ET", []g{
			{"A", 0, -2, 5, 8, 10}, {"B", 15, -2, 20, 8, 10}, {"C", 20, -2, 25, 8, 10}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := runTest(t, tt.content, nil, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got := glyphsOf(p)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestRunSpaceFlag(t *testing.T) {
	p, err := runTest(t, "BT /F1 10 Tf (A B) Tj ET", nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Glyphs) != 3 || !p.Glyphs[1].Space || p.Glyphs[0].Space || p.Glyphs[2].Space {
		t.Errorf("space flags wrong: %+v", p.Glyphs)
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string
		lim     Limits
		want    error // nil: no error
	}{
		{"rotated", "BT /F1 10 Tf 0 1 -1 0 100 100 Tm (A) Tj ET", Limits{}, ErrUnsupported},
		{"rotated by cm", "0 1 -1 0 0 0 cm BT /F1 10 Tf (A) Tj ET", Limits{}, ErrUnsupported},
		{"skewed", "BT /F1 10 Tf 1 0 0.7 1 100 100 Tm (A) Tj ET", Limits{}, ErrUnsupported},
		{"skewed vertically", "BT /F1 10 Tf 1 0.2 0 1 100 100 Tm (A) Tj ET", Limits{}, ErrUnsupported},
		{"slightly rotated is fine", "BT /F1 10 Tf 1 0.0001 -0.0001 1 100 100 Tm (A) Tj ET", Limits{}, nil},
		{"mirrored", "BT /F1 10 Tf -1 0 0 1 100 100 Tm (A) Tj ET", Limits{}, ErrUnsupported},
		{"upside down", "BT /F1 10 Tf 1 0 0 -1 100 100 Tm (A) Tj ET", Limits{}, ErrUnsupported},
		{"negative Tf", "BT /F1 -10 Tf (A) Tj ET", Limits{}, ErrUnsupported},
		{"negative Tz", "BT /F1 10 Tf -100 Tz (A) Tj ET", Limits{}, ErrUnsupported},
		{"rotated without text", "BT /F1 10 Tf 0 1 -1 0 100 100 Tm () Tj ET", Limits{}, nil},
		{"missing font", "BT /F9 10 Tf (A) Tj ET", Limits{}, ErrUnsupported},
		{"missing font unused", "BT /F9 10 Tf ET", Limits{}, nil},
		{"unsupported font", "BT /FU 10 Tf (A) Tj ET", Limits{}, ErrUnsupported},
		{"broken font", "BT /FB 10 Tf (A) Tj ET", Limits{}, ErrUnsupported},
		{"no font", "BT (A) Tj ET", Limits{}, ErrUnsupported},
		{"unmapped over 5%", "BT /F1 10 Tf (ABCDEFGHI\x80) Tj ET", Limits{}, ErrUnsupported},
		{"unmapped under 5%", "BT /F1 10 Tf (ABCDEFGHIJABCDEFGHIJABCDEFGHIJ\x80) Tj ET", Limits{}, nil},
		{"operator budget", strings.Repeat("q Q ", 20), Limits{MaxOps: 10}, ErrLimit},
		{"operator budget met", strings.Repeat("q Q ", 5), Limits{MaxOps: 10}, nil},
		{"glyph budget", "BT /F1 10 Tf (ABCDEF) Tj ET", Limits{MaxGlyphs: 5}, ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runTest(t, tt.content, nil, tt.lim)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRunUnmappedGlyph(t *testing.T) {
	p, err := runTest(t, "BT /F1 10 Tf (ABCDEFGHIJABCDEFGHIJABCDEFGHIJ\x80\x20) Tj ET", nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	u := p.Glyphs[30]
	if !u.Unmapped || u.Text != "" || u.R <= u.L {
		t.Errorf("unmapped glyph = %+v", u)
	}
}

func formStream(content string, d cos.Dict) *cos.Stream {
	if d == nil {
		d = cos.Dict{}
	}
	d["Subtype"] = cos.Name("Form")
	return &cos.Stream{Dict: d, Raw: []byte(content)}
}

func TestRunForms(t *testing.T) {
	t.Run("matrix and state restored", func(t *testing.T) {
		forms := map[string]*cos.Stream{
			"X1": formStream("q 2 0 0 2 0 0 cm BT /F1 10 Tf 0 0 Td (A) Tj ET", cos.Dict{
				"Matrix": cos.Array{int64(1), int64(0), int64(0), int64(1), int64(50), 10.0},
			}),
		}
		p, err := runTest(t, "q /X1 Do BT /F1 10 Tf (B) Tj ET Q", forms, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		want := []g{{"A", 50, 6, 60, 26, 20}, {"B", 0, -2, 5, 8, 10}}
		if got := glyphsOf(p); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got  %v\nwant %v", got, want)
		}
	})
	t.Run("own resources", func(t *testing.T) {
		f, res := testPage(nil)
		own := cos.Dict{"Font": cos.Dict{"G": refF1}}
		f.objs[cos.Ref{Num: 30}] = formStream("BT /G 10 Tf (A) Tj ET", cos.Dict{"Resources": own})
		res["XObject"].(cos.Dict)["X"] = cos.Ref{Num: 30}
		p, err := Run(context.Background(), f, newFontCache(testLoader), res, []byte("/X Do 1 0 0 1 0 20 cm /X Do"), letterBox, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Glyphs) != 2 {
			t.Errorf("got %d glyphs, want 2", len(p.Glyphs))
		}
		if n := f.decodes.Load(); n != 1 {
			t.Errorf("form decoded %d times, want once per page", n)
		}
	})
	t.Run("Q inside a form stops at the form", func(t *testing.T) {
		forms := map[string]*cos.Stream{"X": formStream("Q Q Q 1 0 0 1 7 0 cm", nil)}
		p, err := runTest(t, "q 1 0 0 1 100 0 cm /X Do BT /F1 10 Tf (A) Tj ET Q", forms, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Glyphs[0].L != 100 {
			t.Errorf("A at %v, want 100", p.Glyphs[0].L)
		}
	})
	t.Run("cycle skipped", func(t *testing.T) {
		forms := map[string]*cos.Stream{"X1": formStream("/X1 Do BT /F1 10 Tf (A) Tj ET", nil)}
		p, err := runTest(t, "/X1 Do", forms, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Glyphs) != 1 {
			t.Errorf("got %d glyphs, want 1", len(p.Glyphs))
		}
	})
	t.Run("mutual cycle skipped", func(t *testing.T) {
		forms := map[string]*cos.Stream{
			"X1": formStream("/X2 Do BT /F1 10 Tf (A) Tj ET", nil),
			"X2": formStream("/X1 Do BT /F1 10 Tf (B) Tj ET", nil),
		}
		p, err := runTest(t, "/X1 Do", forms, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Glyphs) != 2 {
			t.Errorf("got %d glyphs, want 2", len(p.Glyphs))
		}
	})
	t.Run("depth limit", func(t *testing.T) {
		forms := map[string]*cos.Stream{}
		for i := 0; i < 5; i++ {
			forms[fmt.Sprintf("X%d", i)] = formStream(fmt.Sprintf("/X%d Do", i+1), nil)
		}
		if _, err := runTest(t, "/X0 Do", forms, Limits{MaxFormDepth: 3}); !errors.Is(err, ErrLimit) {
			t.Errorf("err = %v, want ErrLimit", err)
		}
		if _, err := runTest(t, "/X0 Do", forms, Limits{MaxFormDepth: 5}); err != nil {
			t.Errorf("err = %v, want nil", err)
		}
	})
	t.Run("undecodable form", func(t *testing.T) {
		forms := map[string]*cos.Stream{"X": formStream("", cos.Dict{"Broken": true})}
		if _, err := runTest(t, "/X Do", forms, Limits{}); !errors.Is(err, ErrUnsupported) {
			t.Errorf("err = %v, want ErrUnsupported", err)
		}
	})
	t.Run("missing xobject ignored", func(t *testing.T) {
		if _, err := runTest(t, "/Nope Do", nil, Limits{}); err != nil {
			t.Error(err)
		}
	})
}

func TestRunImageCover(t *testing.T) {
	tests := []struct {
		name    string
		content string
		forms   map[string]*cos.Stream
		want    float64
	}{
		{"none", "BT /F1 10 Tf (A) Tj ET", nil, 0},
		{"full page", "q 612 0 0 792 0 0 cm /Im Do Q", nil, 1},
		{"half", "q 306 0 0 792 0 0 cm /Im Do Q", nil, 0.5},
		{"largest counts", "q 306 0 0 792 0 0 cm /Im Do Q q 61.2 0 0 792 0 0 cm /Im Do Q", nil, 0.5},
		{"clipped to the box", "q 612 0 0 792 306 0 cm /Im Do Q", nil, 0.5},
		{"rotated", "q 0 792 -612 0 612 0 cm /Im Do Q", nil, 1},
		{"off page", "q 100 0 0 100 -200 0 cm /Im Do Q", nil, 0},
		{"in a form", "/X Do", map[string]*cos.Stream{"X": formStream("612 0 0 396 0 0 cm /Im Do", nil)}, 0.5},
		{"inline", "q 612 0 0 792 0 0 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := runTest(t, tt.content, tt.forms, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(p.ImageCover-tt.want) > 1e-9 {
				t.Errorf("ImageCover = %v, want %v", p.ImageCover, tt.want)
			}
		})
	}
}

func TestRunInlineImage(t *testing.T) {
	const text = " BT /F1 10 Tf (A) Tj ET"
	tests := []struct {
		name string
		img  string
	}{
		{"EI inside unfiltered data of known size", "BI /W 3 /H 3 /BPC 8 /CS /G ID \nEI (X)Tj EI"},
		{"EI inside data with /L", "BI /W 4 /H 1 /F /AHx /L 10 ID  EI (X) Tj EI"},
		{"EI inside data with /Length", "BI /W 4 /H 1 /F [/AHx] /Length 10 ID  EI (X) Tj EI"},
		{"image mask", "BI /IM true /W 16 /H 1 ID \x20EI EI"},
		{"scan", "BI /W 4 /H 1 /F /DCT ID \xff\xd8EIE EIEI\n EI"},
		{"no white space before data", "BI /W 1 /H 1 /BPC 8 /CS /G ID\x41 EI"},
		{"wrong /L falls back to scanning", "BI /W 4 /H 1 /L 2 /F /Fl ID abcd EI"},
		{"empty data", "BI /W 0 /H 0 ID EI"},
		{"binary", "BI /W 9 /H 1 /CS /RGB /BPC 8 ID \x00\x01\x02(\x03\x04)\xff\xfe\xfd\xfc\xfb\xfa\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00 EI"},
		{"array colour space", "BI /W 1 /H 1 /BPC 8 /CS [/Indexed /RGB 1 <000000FFFFFF>] ID \x01 EI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := runTest(t, "BT /F1 10 Tf ET "+tt.img+text, nil, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := glyphsOf(p); len(got) != 1 || got[0].text != "A" {
				t.Errorf("glyphs %v, want only A", got)
			}
		})
	}
	t.Run("unterminated", func(t *testing.T) {
		p, err := runTest(t, "BT /F1 10 Tf (A) Tj ET BI /W 4 /H 1 ID abc (B) Tj", nil, Limits{})
		if err != nil || len(p.Glyphs) != 1 {
			t.Errorf("glyphs %v, err %v", glyphsOf(p), err)
		}
	})
}

// cancelAfter is a context whose Err reports cancellation after n calls.
type cancelAfter struct {
	context.Context
	n atomic.Int32
}

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestRunContext(t *testing.T) {
	f, res := testPage(nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, f, newFontCache(testLoader), res, []byte("q Q"), letterBox, Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	c := &cancelAfter{Context: context.Background()}
	c.n.Store(1)
	content := []byte(strings.Repeat("q Q ", 5000))
	if _, err := Run(c, f, newFontCache(testLoader), res, content, letterBox, Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled mid-page", err)
	}
}

func TestFontCache(t *testing.T) {
	var loads atomic.Int32
	load := func(r Resolver, d cos.Dict) (glyphFont, error) {
		loads.Add(1)
		return testLoader(r, d)
	}
	c := newFontCache(load)
	f, _ := testPage(nil)
	direct := cos.Dict{"Type": cos.Name("Font")}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				if _, err := c.get(f, refF1); err != nil {
					t.Error(err)
				}
				if _, err := c.get(f, direct); err != nil {
					t.Error(err)
				}
				if _, err := c.get(f, refBadF); !errors.Is(err, ErrUnsupported) {
					t.Errorf("err = %v", err)
				}
			}
		}()
	}
	wg.Wait()
	if n := loads.Load(); n != 3 {
		t.Errorf("%d loads, want 3 (errors cached too)", n)
	}
	if _, err := c.get(f, cos.Ref{Num: 99}); err == nil {
		t.Error("missing font object: no error")
	}
	if _, err := c.get(f, int64(3)); !errors.Is(err, ErrUnsupported) {
		t.Errorf("non-dictionary font: err = %v", err)
	}
}

// The zero-allocation promise: operators and numbers do not allocate.
func TestRunAllocations(t *testing.T) {
	content := []byte(syntheticPage(3000))
	f, res := testPage(nil)
	fonts := newFontCache(testLoader)
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := Run(context.Background(), f, fonts, res, content, letterBox, Limits{}); err != nil {
			t.Fatal(err)
		}
	})
	// The page, its glyph slice (grown at most a few times), the lexer,
	// operand buffers and the font-by-name map.
	if allocs > 40 {
		t.Errorf("%v allocations per page", allocs)
	}
}

// syntheticPage is a text page of about n glyphs in the style of common
// generators: a TJ per line with kerning, Td between lines, a font change
// and some graphics.
func syntheticPage(n int) string {
	var b strings.Builder
	b.WriteString("q 0.1 0 0 0.1 0 0 cm 1 0 0 RG 100 100 m 200 200 l S Q\nBT\n/F1 10 Tf\n72 720 Td\n")
	words := []string{"Lorem", "ipsum", "dolor", "sit", "amet,", "consectetur", "adipiscing", "elit."}
	glyphs := 0
	for line := 0; glyphs < n; line++ {
		b.WriteString("[(")
		for w := 0; w < 9 && glyphs < n; w++ {
			word := words[(line+w)%len(words)]
			b.WriteString(word[:len(word)/2])
			b.WriteString(")-18.5(")
			b.WriteString(word[len(word)/2:])
			b.WriteString(" ")
			glyphs += len(word) + 1
		}
		b.WriteString(")]TJ\n0 -12 Td\n")
		if line%20 == 19 {
			b.WriteString("ET\nBT /F1 9.5 Tf 72 700 Td\n")
		}
	}
	b.WriteString("ET\n")
	return b.String()
}

func BenchmarkRun(b *testing.B) {
	content := []byte(syntheticPage(3000))
	f, res := testPage(nil)
	fonts := newFontCache(testLoader)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Run(context.Background(), f, fonts, res, content, letterBox, Limits{})
		if err != nil || len(p.Glyphs) < 3000 {
			b.Fatal(err, len(p.Glyphs))
		}
	}
}

func FuzzRun(f *testing.F) {
	seeds := []string{
		"BT /F1 10 Tf 100 700 Td [(A) -500 (B)] TJ ET",
		"q 2 0 0 2 0 0 cm /X Do Q /Im Do",
		"BI /W 4 /H 2 /BPC 8 /CS /G ID \n EI (X) Tj \n EI BT /F1 10 Tf (A) Tj ET",
		"BT /F1 10 Tf 15 TL (A) ' 1 2 (B) \" T* 0 -2 TD ET",
		"/Span <</ActualText (X)>> BDC [1 [2 <<>>] (x)] TJ EMC",
		syntheticPage(50),
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	forms := map[string]*cos.Stream{
		"X": formStream("BT /F1 10 Tf (A) Tj ET /X Do /Y Do", cos.Dict{"Matrix": cos.Array{2.0, 0.0, 0.0, 2.0, 1.0, 1.0}}),
		"Y": formStream("q 1 0 0 1 5 5 cm BI /W 1 /H 1 ID x EI Q", nil),
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, res := testPage(forms)
		p, err := Run(context.Background(), fl, newFontCache(testLoader), res, data, letterBox, Limits{MaxOps: 100000})
		if err == nil {
			if p == nil || p.ImageCover < 0 || p.ImageCover > 1 {
				t.Fatalf("bad page %+v", p)
			}
			for _, g := range p.Glyphs {
				for _, v := range []float32{g.L, g.B, g.R, g.T, g.Size} {
					if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
						t.Fatalf("non-finite glyph %+v", g)
					}
				}
			}
		}
	})
}

func TestRunDuplicates(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"fake bold", "BT /F1 10 Tf 100 700 Td (Heading) Tj ET BT /F1 10 Tf 100.3 700 Td (Heading) Tj ET", "Heading"},
		{"shadow", "BT /F1 10 Tf 101 699 Td (Title One) Tj ET BT /F1 10 Tf 100 700 Td (Title One) Tj ET", "Title One"},
		{"shadow with graphics between", "BT /F1 10 Tf 101 699 Td (Title) Tj ET 0 0 m 5 5 l S BT /F1 10 Tf 100 700 Td (Title) Tj ET", "Title"},
		{"same word on the next line", "BT /F1 10 Tf 100 700 Td (Word) Tj 0 -12 Td (Word) Tj ET", "WordWord"},
		{"same word further right", "BT /F1 10 Tf 100 700 Td (Word) Tj 30 0 Td (Word) Tj ET", "WordWord"},
		{"other size", "BT /F1 10 Tf 100 700 Td (Word) Tj /F1 11 Tf (Word) Tj ET", "WordWord"},
		{"glyph drawn twice", "BT /F1 10 Tf [(H) 500 (H) (i)] TJ ET", "Hi"},
		{"double letters kept", "BT /F1 10 Tf (Hoop) Tj ET", "Hoop"},
		{"six objects back is too far", "BT /F1 10 Tf 100 700 Td (Hi) Tj 0 -20 Td (a) Tj (b) Tj (c) Tj (d) Tj (e) Tj 0 20 Td 1 0 Td (Hi) Tj ET", "HiabcdeHi"},
		{"five objects back", "BT /F1 10 Tf 100 700 Td (Hi) Tj 0 -20 Td (a) Tj (b) Tj (c) Tj (d) Tj 0 20 Td 1 0 Td (Hi) Tj ET", "Hiabcd"},
		{"form is its own stream", "BT /F1 10 Tf 100 700 Td (Hi) Tj ET /X Do", "HiHi"},
	}
	// The form draws "Hi" far enough from the page's for the glyph filter
	// but where the object filter would drop it, were it in the same stream.
	forms := map[string]*cos.Stream{"X": formStream("BT /F1 10 Tf 101 701 Td (Hi) Tj ET", nil)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := runTest(t, tt.content, forms, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, g := range p.Glyphs {
				b.WriteString(g.Text)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A real font: a WinAnsi TrueType font with /Widths and a descriptor.
func TestRunRealFont(t *testing.T) {
	w := cos.Array{}
	for c := 32; c <= 255; c++ {
		w = append(w, int64(500+c))
	}
	font := cos.Dict{
		"Type":      cos.Name("Font"),
		"Subtype":   cos.Name("TrueType"),
		"BaseFont":  cos.Name("ABCDEF+SomeSans"),
		"FirstChar": int64(32),
		"LastChar":  int64(255),
		"Widths":    w,
		"Encoding":  cos.Name("WinAnsiEncoding"),
		"FontDescriptor": cos.Dict{
			"Type": cos.Name("FontDescriptor"), "FontName": cos.Name("ABCDEF+SomeSans"),
			"Flags": int64(32), "Ascent": int64(900), "Descent": int64(-300),
			"FontBBox": cos.Array{int64(-100), int64(-300), int64(1000), int64(900)},
		},
	}
	f := &fakeFile{objs: map[cos.Ref]cos.Object{{Num: 5}: font}}
	res := cos.Dict{"Font": cos.Dict{"T": cos.Ref{Num: 5}}}
	p, err := Run(context.Background(), f, NewFontCache(), res, []byte("BT /T 10 Tf 100 700 Td (Caf\xe9 A\x97) Tj ET"), letterBox, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []g{
		{"C", 100, 697.8, 105.67, 707.5, 10},
		{"a", 105.67, 697.8, 111.64, 707.5, 10},
		{"f", 111.64, 697.8, 117.66, 707.5, 10},
		{"é", 117.66, 697.8, 124.99, 707.5, 10},
		{" ", 124.99, 697.8, 130.31, 707.5, 10},
		{"A", 130.31, 697.8, 135.96, 707.5, 10},
		{"—", 135.96, 697.8, 142.47, 707.5, 10},
	}
	got := glyphsOf(p)
	for i := range got {
		got[i].l, got[i].r = math.Round(got[i].l*100)/100, math.Round(got[i].r*100)/100
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if !p.Glyphs[4].Space {
		t.Error("code 32 is not a space")
	}
}

// Forms drawing each other twice at every level multiply the work; their
// bytes count towards the operator budget.
func TestRunFormBomb(t *testing.T) {
	forms := map[string]*cos.Stream{}
	for i := 0; i < 11; i++ {
		forms[fmt.Sprintf("X%d", i)] = formStream(fmt.Sprintf("/X%d Do /X%d Do", i+1, i+1), nil)
	}
	forms["X11"] = formStream("BT /F1 0 Tf ("+strings.Repeat("x", 100000)+") Tj ET", nil)
	if _, err := runTest(t, "/X0 Do", forms, Limits{}); !errors.Is(err, ErrLimit) {
		t.Errorf("err = %v, want ErrLimit", err)
	}
}

// Forms without text are read once per document and replayed after.
func TestRunFormRecords(t *testing.T) {
	img := cos.Ref{Num: 10}
	bg := formStream("q 612 0 0 396 0 0 cm /I Do Q 0 0 m 612 792 l S", cos.Dict{
		"Resources": cos.Dict{"XObject": cos.Dict{"I": img}},
		"Matrix":    cos.Array{1.0, 0.0, 0.0, 1.0, 0.0, 396.0},
	})
	inner := formStream("q 306 0 0 792 0 0 cm /I Do Q", cos.Dict{"Resources": cos.Dict{"XObject": cos.Dict{"I": img}}})
	outer := formStream("0.5 0 0 1 0 0 cm /In Do", cos.Dict{"Resources": cos.Dict{"XObject": cos.Dict{"In": cos.Ref{Num: 31}}}})
	text := formStream("BT /F1 10 Tf (A) Tj ET", nil)
	inherits := formStream("q 612 0 0 792 0 0 cm /Im Do Q", nil)
	missing := formStream("q 612 0 0 792 0 0 cm /Nope Do Q", nil)
	tests := []struct {
		name    string
		content string
		cover   float64
		records bool
	}{
		{"background with image", "/BG Do", 0.5, true},
		{"background moved", "1 0 0 1 0 -396 cm /BG Do", 0.5, true},
		{"background scaled", "0.5 0 0 1 0 0 cm /BG Do", 0.25, true},
		{"nested forms", "/Out Do", 0.25, true},
		{"text is not recorded", "/Text Do", 0, false},
		{"inherited resources are not recorded", "/Inh Do", 1, false},
		{"inherited resources are not recorded, even for a missing name", "/Miss Do", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, res := testPage(nil)
			f.objs[cos.Ref{Num: 30}] = bg
			f.objs[cos.Ref{Num: 31}] = inner
			f.objs[cos.Ref{Num: 32}] = outer
			f.objs[cos.Ref{Num: 33}] = text
			f.objs[cos.Ref{Num: 34}] = inherits
			f.objs[cos.Ref{Num: 35}] = missing
			xo := res["XObject"].(cos.Dict)
			xo["BG"], xo["Out"], xo["Text"], xo["Inh"], xo["Miss"] = cos.Ref{Num: 30}, cos.Ref{Num: 32}, cos.Ref{Num: 33}, cos.Ref{Num: 34}, cos.Ref{Num: 35}
			fonts := newFontCache(testLoader)
			var first *Page
			for page := 0; page < 3; page++ {
				before := f.decodes.Load()
				p, err := Run(context.Background(), f, fonts, res, []byte(tt.content), letterBox, Limits{})
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(p.ImageCover-tt.cover) > 1e-9 {
					t.Errorf("page %d: ImageCover = %v, want %v", page, p.ImageCover, tt.cover)
				}
				if page == 0 {
					first = p
					continue
				}
				if fmt.Sprint(p.Glyphs) != fmt.Sprint(first.Glyphs) {
					t.Errorf("page %d: glyphs %v, first page %v", page, p.Glyphs, first.Glyphs)
				}
				if decoded := f.decodes.Load() > before; decoded == tt.records {
					t.Errorf("page %d: decoded again = %v, recorded = %v", page, decoded, tt.records)
				}
			}
		})
	}
	t.Run("depth limit holds on replay", func(t *testing.T) {
		f, res := testPage(nil)
		f.objs[cos.Ref{Num: 31}] = inner
		f.objs[cos.Ref{Num: 32}] = outer
		res["XObject"].(cos.Dict)["Out"] = cos.Ref{Num: 32}
		fonts := newFontCache(testLoader)
		if _, err := Run(context.Background(), f, fonts, res, []byte("/Out Do"), letterBox, Limits{}); err != nil {
			t.Fatal(err)
		}
		if _, err := Run(context.Background(), f, fonts, res, []byte("/Out Do"), letterBox, Limits{MaxFormDepth: 1}); !errors.Is(err, ErrLimit) {
			t.Errorf("err = %v, want ErrLimit", err)
		}
		if _, err := Run(context.Background(), f, fonts, res, []byte("/Out Do"), letterBox, Limits{MaxFormDepth: 2}); err != nil {
			t.Errorf("err = %v, want nil", err)
		}
	})
}

// Pages of one document are interpreted in parallel with one FontCache.
func TestRunParallel(t *testing.T) {
	forms := map[string]*cos.Stream{
		"BG": formStream("q 612 0 0 792 0 0 cm /I Do Q", cos.Dict{"Resources": cos.Dict{"XObject": cos.Dict{"I": refImage}}}),
		"T":  formStream("BT /F1 10 Tf (Text) Tj ET", nil),
	}
	f, res := testPage(forms)
	fonts := newFontCache(testLoader)
	content := []byte("/BG Do /T Do BT /FD 12 Tf 100 700 Td (Page) Tj ET " + syntheticPage(200))
	want, err := Run(context.Background(), f, fonts, res, content, letterBox, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				p, err := Run(context.Background(), f, fonts, res, content, letterBox, Limits{})
				if err != nil {
					t.Error(err)
					return
				}
				if p.ImageCover != want.ImageCover || fmt.Sprint(p.Glyphs) != fmt.Sprint(want.Glyphs) {
					t.Error("pages differ")
					return
				}
			}
		}()
	}
	wg.Wait()
}

// A form without /Resources uses the resources of whatever draws it.
func TestRunFormInheritsFromEachDrawer(t *testing.T) {
	f, res := testPage(nil)
	shared := formStream("BT /G 10 Tf (A) Tj ET", nil)
	f.objs[cos.Ref{Num: 40}] = shared
	f.objs[cos.Ref{Num: 41}] = formStream("1 0 0 1 0 100 cm /S Do", cos.Dict{"Resources": cos.Dict{
		"Font":    cos.Dict{"G": refF1},
		"XObject": cos.Dict{"S": cos.Ref{Num: 40}},
	}})
	res["XObject"].(cos.Dict)["S"] = cos.Ref{Num: 40}
	res["XObject"].(cos.Dict)["W"] = cos.Ref{Num: 41}
	// On the page, /G is not a font: the page's own draw fails, the
	// wrapper's succeeds.
	if _, err := Run(context.Background(), f, newFontCache(testLoader), res, []byte("/W Do"), letterBox, Limits{}); err != nil {
		t.Errorf("through the wrapper: %v", err)
	}
	if _, err := Run(context.Background(), f, newFontCache(testLoader), res, []byte("/W Do /S Do"), letterBox, Limits{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("from the page: err = %v, want ErrUnsupported (font /G missing)", err)
	}
}
