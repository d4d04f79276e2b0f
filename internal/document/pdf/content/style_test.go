package content

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

func TestStyleFromName(t *testing.T) {
	tests := []struct {
		name         string
		bold, italic bool
	}{
		{"Helvetica", false, false},
		{"Helvetica-Bold", true, false},
		{"Times-BoldItalic", true, true},
		{"ABCDEF+MinionPro-SemiboldIt", true, true},
		{"MinionPro-It", false, true},
		{"Arial,BoldItalic", true, true},
		{"TimesNewRomanPS-BoldMT", true, false},
		{"TimesNewRomanPS-ItalicMT", false, true},
		{"DejaVuSerif-Bold", true, false},
		{"DejaVuSans-Oblique", false, true},
		{"HelveticaNeueLTStd-BdCn", true, false},
		{"MrsEaves-Heavy", true, false},
		{"Roboto-Black", true, false},
		{"ScalaSansBold", true, false},
		{"GaramondItalic", false, true},
		{"Blackadder", false, false}, // a family name, not a weight
		{"BlackletterRegular", false, false},
		{"Bookinsanity-Regular", false, false},
		{"Mrs-Eaves-SmallCaps", false, false},
		{"LibreBaskerville-Light", false, false},
	}
	for _, tt := range tests {
		s, _ := styleFromName(tt.name)
		if s.Bold() != tt.bold || s.Italic() != tt.italic {
			t.Errorf("%s: bold %v italic %v, want %v %v", tt.name, s.Bold(), s.Italic(), tt.bold, tt.italic)
		}
	}
}

func TestFontStyleFromDescriptor(t *testing.T) {
	base := func(name string, fd cos.Dict) cos.Dict {
		return cos.Dict{"Subtype": cos.Name("TrueType"), "BaseFont": cos.Name(name), "FirstChar": int64(32),
			"Widths": widths(95, 500), "FontDescriptor": fd}
	}
	tests := []struct {
		name string
		d    cos.Dict
		want FontStyle
	}{
		{"plain", base("Foo", cos.Dict{"Flags": int64(32), "StemV": int64(80)}), 0},
		{"ForceBold flag", base("Foo", cos.Dict{"Flags": int64(32 | 1<<18)}), StyleBold},
		{"Italic flag", base("Foo", cos.Dict{"Flags": int64(32 | 1<<6)}), StyleItalic},
		{"FontWeight 700", base("Foo", cos.Dict{"FontWeight": int64(700)}), StyleBold},
		{"FontWeight 400", base("Foo", cos.Dict{"FontWeight": int64(400)}), 0},
		{"ItalicAngle", base("Foo", cos.Dict{"ItalicAngle": -12.5}), StyleItalic},
		{"thick stem", base("Foo", cos.Dict{"StemV": int64(165)}), StyleBold},
		{"thick stem of a regular face", base("Foo-Regular", cos.Dict{"StemV": int64(165)}), 0},
		{"name and descriptor", base("Foo-Bold", cos.Dict{"ItalicAngle": int64(-10)}), StyleBold | StyleItalic},
		{"Type0 descendant", cos.Dict{"Subtype": cos.Name("Type0"), "BaseFont": cos.Name("ABCDEF+Body"),
			"DescendantFonts": cos.Array{cos.Dict{"FontDescriptor": cos.Dict{"FontWeight": int64(800)}}}}, StyleBold},
	}
	for _, tt := range tests {
		if got := fontStyle(fontResolver{}, tt.d); got != tt.want {
			t.Errorf("%s: style %b, want %b", tt.name, got, tt.want)
		}
	}
	f, err := LoadFont(fontResolver{}, base("X-BoldItalic", nil))
	if err != nil {
		t.Fatal(err)
	}
	if f.Style() != StyleBold|StyleItalic {
		t.Errorf("LoadFont style %b", f.Style())
	}
}

// Symbol and ZapfDingbats without ToUnicode read through their built-in
// encodings, embedded or not, so list bullets keep a page on the fast path.
func TestSymbolicStandardFonts(t *testing.T) {
	tests := []struct {
		name string
		d    cos.Dict
		code uint32
		want string
	}{
		{"Symbol bullet", cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("Symbol")}, 0xB7, "•"},
		{"Symbol alpha", cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("Symbol")}, 'a', "α"},
		{"embedded SymbolMT", cos.Dict{"Subtype": cos.Name("TrueType"), "BaseFont": cos.Name("ABCDEF+SymbolMT"),
			"FirstChar": int64(0), "Widths": widths(256, 460),
			"FontDescriptor": cos.Dict{"Flags": int64(4), "FontFile2": &cos.Stream{}}}, 0xB7, "•"},
		{"ZapfDingbats black circle", cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("ZapfDingbats")}, 0x6C, "●"},
		{"ZapfDingbats check mark", cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("ZapfDingbats"),
			"Widths": widths(256, 500)}, 0x34, "✔"},
		{"ZapfDingbats circled digit", cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("ZapfDingbats")}, 0xAC, "①"},
		{"ZapfDingbats arrow", cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("ZapfDingbats")}, 0xD5, "→"},
		{"ZapfDingbats last", cos.Dict{"Subtype": cos.Name("Type1"), "BaseFont": cos.Name("ZapfDingbats")}, 0xFE, "➾"},
	}
	for _, tt := range tests {
		f, err := LoadFont(fontResolver{}, tt.d)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got, ok := f.Text(tt.code); !ok || got != tt.want {
			t.Errorf("%s: Text(%#x) = %q %v, want %q", tt.name, tt.code, got, ok, tt.want)
		}
		if f.Width(tt.code) <= 0 {
			t.Errorf("%s: no width", tt.name)
		}
	}
}

func TestFamilyOf(t *testing.T) {
	same := [][]string{
		{"DejaVuSerif", "ABCDEF+DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"},
		{"TimesNewRomanPSMT", "TimesNewRomanPS-BoldMT", "TimesNewRomanPS-ItalicMT"},
		{"Arial", "Arial,Bold", "ArialBold", "Arial-BoldItalicMT"},
	}
	for _, g := range same {
		for _, n := range g[1:] {
			if familyOf(n) != familyOf(g[0]) {
				t.Errorf("%s and %s: different families", g[0], n)
			}
		}
	}
	if familyOf("DejaVuSans-Oblique") == familyOf("DejaVuSerif-Italic") {
		t.Error("DejaVu Sans and Serif: one family")
	}
	if familyOf("") != 0 {
		t.Error("no name: want 0")
	}
}
