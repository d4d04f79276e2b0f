package content

//go:generate go run ./gen/glyphlist

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// aglEntry is one Adobe Glyph List entry: a glyph name and its code point.
type aglEntry struct {
	name string
	r    rune
}

// aglLookup finds name in the glyph list.
func aglLookup(name string) (rune, bool) {
	i := sort.Search(len(aglNames), func(i int) bool { return aglNames[i].name >= name })
	if i < len(aglNames) && aglNames[i].name == name {
		return aglNames[i].r, true
	}
	return 0, false
}

// glyphText returns the Unicode text of a glyph name by the Adobe Glyph List
// specification's rules: drop everything from the first period ("a.sc" is
// "a"), split ligature components on underscores ("f_f_i" is "ffi"), and map
// each component through the list, "uniXXXX[XXXX...]" (BMP code points, no
// surrogates) or "uXXXX" to "uXXXXXX". Unlike the specification, a name with
// any unknown component is unmapped as a whole: a half-read ligature is worse
// than an unmapped glyph.
func glyphText(name string) (string, bool) {
	if i := strings.IndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	if name == "" {
		return "", false
	}
	var buf [32]byte
	out := buf[:0]
	for comp := range strings.SplitSeq(name, "_") {
		if comp == "" {
			return "", false
		}
		var ok bool
		out, ok = appendComponent(out, comp)
		if !ok || len(out) > 64 {
			return "", false
		}
	}
	return string(out), true
}

// appendComponent appends the text of one glyph-name component.
func appendComponent(out []byte, comp string) ([]byte, bool) {
	if r, ok := aglLookup(comp); ok {
		return utf8.AppendRune(out, r), true
	}
	if hex, ok := strings.CutPrefix(comp, "uni"); ok && len(hex) >= 4 && len(hex)%4 == 0 {
		start := len(out)
		for i := 0; i < len(hex); i += 4 {
			v, ok := parseHex(hex[i : i+4])
			if !ok || v >= 0xD800 && v <= 0xDFFF {
				return out[:start], false
			}
			out = utf8.AppendRune(out, rune(v))
		}
		return out, true
	}
	if hex, ok := strings.CutPrefix(comp, "u"); ok && len(hex) >= 4 && len(hex) <= 6 {
		v, ok := parseHex(hex)
		if !ok || v >= 0xD800 && v <= 0xDFFF || v > utf8.MaxRune {
			return out, false
		}
		return utf8.AppendRune(out, rune(v)), true
	}
	return out, false
}

// parseHex parses up to 8 hex digits (either case).
func parseHex(s string) (uint32, bool) {
	if s == "" || len(s) > 8 {
		return 0, false
	}
	var v uint32
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint32(d)
	}
	return v, true
}
