package content

import (
	"hash/fnv"
	"math"
	"strings"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// FontStyle is the weight and slant a font is set in, as far as its
// dictionary says: books mark names, type lines and run-in labels with bold
// and italic type, so the layout needs to know.
type FontStyle uint8

// The style bits.
const (
	StyleBold FontStyle = 1 << iota
	StyleItalic
)

// Bold reports a bold (semibold, heavy, black) font.
func (s FontStyle) Bold() bool { return s&StyleBold != 0 }

// Italic reports an italic or oblique font.
func (s FontStyle) Italic() bool { return s&StyleItalic != 0 }

// Style returns the font's weight and slant.
func (f *Font) Style() FontStyle { return f.style }

// Family returns a number for the font's family, the same for every weight
// and slant of it ("DejaVuSerif", "DejaVuSerif-Bold"); 0 when the font has
// no name. A book sets its names in another family than its text as often
// as in bold.
func (f *Font) Family() uint32 { return f.family }

// familyOf hashes the family part of a PostScript font name.
func familyOf(name string) uint32 {
	if len(name) > 7 && name[6] == '+' {
		name = name[7:]
	}
	if i := strings.IndexAny(name, "-,"); i >= 0 {
		name = name[:i]
	}
	low := strings.ToLower(name)
	for _, suf := range []string{"bolditalic", "boldoblique", "bold", "italic", "oblique", "mt", "ps"} {
		low = strings.TrimSuffix(low, suf)
	}
	if low == "" {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(low))
	return max(h.Sum32(), 1)
}

// Font descriptor flags that say a style.
const (
	flagItalic    = 1 << 6
	flagForceBold = 1 << 18
)

// fontStyle reads the style of font dictionary d from its name and its
// font descriptor (for a Type0 font, its descendant's). Any error only
// means "no evidence".
func fontStyle(r Resolver, d cos.Dict) FontStyle {
	l := loader{r: r}
	name, _ := d["BaseFont"].(cos.Name)
	nameStyle, regular := styleFromName(string(name))
	s := nameStyle
	fd, _ := l.dict(d, "FontDescriptor")
	if sub, _ := d["Subtype"].(cos.Name); sub == "Type0" {
		if o, err := l.get(d, "DescendantFonts"); err == nil {
			if a, ok := o.(cos.Array); ok && len(a) > 0 {
				if v, err := l.resolve(a[0]); err == nil {
					if desc, ok := v.(cos.Dict); ok {
						fd, _ = l.dict(desc, "FontDescriptor")
					}
				}
			}
		}
	}
	if fd == nil {
		return s
	}
	if v, ok, _ := l.num(fd, "Flags"); ok && v >= 0 && v < 1<<32 {
		fl := int64(v)
		if fl&flagForceBold != 0 {
			s |= StyleBold
		}
		if fl&flagItalic != 0 {
			s |= StyleItalic
		}
	}
	if v, ok, _ := l.num(fd, "FontWeight"); ok && v >= 600 && v <= 1000 {
		s |= StyleBold
	}
	if v, ok, _ := l.num(fd, "ItalicAngle"); ok && math.Abs(v) >= 3 && math.Abs(v) <= 45 {
		s |= StyleItalic
	}
	// A thick vertical stem is a bold face, unless the name says the face
	// is a regular one (some makers write one StemV for the whole family).
	if v, ok, _ := l.num(fd, "StemV"); ok && v >= 140 && v < 1000 && !regular && s&StyleBold == 0 && nameStyle == 0 {
		s |= StyleBold
	}
	return s
}

// styleFromName reads weight and slant from a PostScript font name
// ("ABCDEF+MinionPro-SemiboldIt", "Arial,BoldItalic", "DejaVuSerif-Bold",
// "HelveticaNeueLTStd-BdCn"). regular reports a name that says the face is
// an upright book weight ("-Regular", "-Roman", "-Light").
func styleFromName(name string) (s FontStyle, regular bool) {
	if len(name) > 7 && name[6] == '+' {
		name = name[7:]
	}
	lower := strings.ToLower(name)
	style := lower
	if i := strings.LastIndexAny(lower, "-,"); i >= 0 {
		style = lower[i+1:]
	} else {
		// No separator: only the end of the name says the style
		// ("ArialBold", "GaramondItalic"), so a family named
		// "Blackletter" stays regular.
		for _, suf := range []string{"bolditalic", "boldoblique", "bold", "italic", "oblique", "heavy", "black", "semibold", "demibold"} {
			if strings.HasSuffix(lower, suf) {
				style = suf
				break
			}
		}
		if style == lower {
			return 0, false
		}
	}
	style = strings.TrimSuffix(strings.TrimSuffix(style, "mt"), "ps")
	for _, w := range []string{"bold", "black", "heavy", "demi", "ultra", "extrab", "fett"} {
		if strings.Contains(style, w) {
			s |= StyleBold
		}
	}
	// Abbreviated weights: Bd, Blk, Hv, Sb at the start of the style part.
	for _, w := range []string{"bd", "blk", "hv", "sb", "db", "xb", "eb"} {
		if strings.HasPrefix(style, w) {
			s |= StyleBold
		}
	}
	if strings.Contains(style, "italic") || strings.Contains(style, "oblique") || strings.Contains(style, "slant") ||
		strings.Contains(style, "kursiv") || strings.HasSuffix(style, "it") || strings.HasSuffix(style, "itcn") ||
		strings.HasSuffix(style, "ital") || style == "i" || style == "bi" {
		s |= StyleItalic
	}
	if style == "b" || style == "bi" {
		s |= StyleBold
	}
	switch style {
	case "regular", "roman", "book", "normal", "light", "medium", "text", "plain", "r":
		regular = true
	}
	return s, regular
}

// zapfText returns the Unicode of a ZapfDingbats glyph name ("a71" is
// U+25CF, the black circle lists use as a bullet), through the font's
// built-in encoding: the Unicode Dingbats block follows Zapf's order, with
// the glyphs Unicode already had elsewhere (stars, arrows, card suits,
// circled digits, geometric shapes) at their older places.
func zapfText(name string) (string, bool) {
	code := -1
	for c, g := range zapfBuiltin {
		if g.name == name && name != "" {
			code = c
			break
		}
	}
	r := zapfRune(code)
	if r == 0 {
		return "", false
	}
	return string(r), true
}

// zapfRune maps a code of ZapfDingbats' built-in encoding to Unicode; 0
// when the code has no glyph.
func zapfRune(c int) rune {
	switch c {
	case 0x20:
		return ' '
	case 0x25:
		return 0x260E
	case 0x2A:
		return 0x261B
	case 0x2B:
		return 0x261E
	case 0x48:
		return 0x2605
	case 0x6C:
		return 0x25CF
	case 0x6E:
		return 0x25A0
	case 0x73:
		return 0x25B2
	case 0x74:
		return 0x25BC
	case 0x75:
		return 0x25C6
	case 0x77:
		return 0x25D7
	case 0xA8:
		return 0x2663
	case 0xA9:
		return 0x2666
	case 0xAA:
		return 0x2665
	case 0xAB:
		return 0x2660
	case 0xD5:
		return 0x2192
	case 0xD6:
		return 0x2194
	case 0xD7:
		return 0x2195
	case 0xF0:
		return 0
	}
	switch {
	case c >= 0x21 && c <= 0x7E:
		return rune(0x2700 + c - 0x20)
	case c >= 0x80 && c <= 0x8D:
		return rune(0x2768 + c - 0x80)
	case c >= 0xA1 && c <= 0xA7:
		return rune(0x2761 + c - 0xA1)
	case c >= 0xAC && c <= 0xB5:
		return rune(0x2460 + c - 0xAC)
	case c >= 0xB6 && c <= 0xFE:
		return rune(0x2776 + c - 0xB6)
	}
	return 0
}

// StyleFromName returns the weight and slant a PostScript font name says
// ("Minion-BoldIt"), for engines that know only the name.
func StyleFromName(name string) FontStyle {
	s, _ := styleFromName(name)
	return s
}

// FamilyOf returns the family number of a PostScript font name, as
// Font.Family does, for engines that know only the name.
func FamilyOf(name string) uint32 { return familyOf(name) }
