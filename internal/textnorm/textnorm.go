package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fold maps one rune to its normal form: -1 drops it, ' ' makes it a space.
func fold(r rune) rune {
	switch r {
	case '\u00AD', // soft hyphen
		'\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', // zero-width
		'\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', // bidi marks
		'\u2061', '\u2062', '\u2063', '\u2064', '\uFFFC':
		return -1
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2043', '\u2212', '\uFE63', '\uFF0D', '\u02D7', '\u058A', '\u1806':
		return '-'
	case '\u2014', '\u2015', '\u2E3A', '\u2E3B':
		return '\u2014' // dashes that separate words stay one em dash
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u02BC', '\u02BB', '\u02B9', '\u02BD', '\u2032', '\u2035', '\uFF07', '\u00B4', '\u0060', '\u055A', '\uA78C':
		return '\''
	case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u2036', '\u00AB', '\u00BB', '\uFF02', '\u301D', '\u301E':
		return '"'
	case '\u2026':
		return '…'
	case '\t', '\v', '\f', '\u0085':
		return ' '
	case '\r':
		return '\n'
	case '\uFFFD':
		return '\uFFFD'
	}
	if r == '\n' {
		return r
	}
	if unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) {
		return ' '
	}
	if unicode.IsControl(r) || (r >= 0xE000 && r <= 0xF8FF) {
		// Private-use glyphs are unmapped font codes, never words.
		return -1
	}
	return r
}

// String normalises s: NFKC, then the folds above. Line breaks are kept
// (CR and CRLF become LF); runs of spaces within a line collapse to one and
// lines are trimmed of trailing spaces.
func String(s string) string {
	if s == "" || cleanASCII(s) {
		return s // the common case: nothing to fold, and NFKC changes no ASCII
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	// Fold before and after NFKC: dropping a control character can bring a
	// base letter and a combining mark together, and NFKC can produce runes
	// that fold (U+2002 becomes a space). Two rounds reach the fixed point.
	// foldPass is idempotent, so when the folded text is already NFKC (all
	// ASCII text is) the rounds after the first change nothing.
	s = foldPass(s)
	if norm.NFKC.IsNormalString(s) {
		return s
	}
	s = foldPass(norm.NFKC.String(s))
	if !norm.NFKC.IsNormalString(s) {
		s = foldPass(norm.NFKC.String(s))
	}
	return s
}

// cleanASCII reports whether s is printable ASCII and line breaks that
// String would leave as they are: no character that folds, no run of
// spaces, no space at the start or end of a line.
func cleanASCII(s string) bool {
	prev := byte('\n')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prev == ' ' || prev == '\n' {
				return false
			}
		case c == '\n':
			if prev == ' ' {
				return false
			}
		case c < 0x21 || c > 0x7E || c == '`':
			return false
		}
		prev = c
	}
	return prev != ' '
}

// foldASCII is fold for one ASCII byte.
func foldASCII(c byte) rune {
	switch {
	case c >= 0x21 && c <= 0x7E && c != '`':
		return rune(c)
	case c == ' ' || c == '\t' || c == '\v' || c == '\f':
		return ' '
	case c == '\n' || c == '\r':
		return '\n'
	case c == '`':
		return '\''
	}
	return -1 // the other control characters
}

func foldPass(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	lineStart := true
	for i := 0; i < len(s); {
		var r rune
		if c := s[i]; c < utf8.RuneSelf {
			r = foldASCII(c)
			i++
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			r = fold(r)
			i += size
		}
		switch r {
		case -1:
			continue
		case ' ':
			if !lineStart {
				space = true
			}
			continue
		case '\n':
			space = false
			lineStart = true
			b.WriteByte('\n')
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		lineStart = false
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
	}
	if b.Len() == len(s) && b.String() == s {
		return s
	}
	return b.String()
}

// Line normalises s and folds its line breaks into spaces.
func Line(s string) string {
	s = String(s)
	if strings.IndexByte(s, '\n') < 0 {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// JoinLines joins the physical lines of one paragraph into one line, joining
// words hyphenated at a line end: "hyphen-" + "ated" gives "hyphenated", while
// a hyphen that belongs to the word ("half-" + "orc", "yuan-" + "ti" when
// keepHyphen says so, or a capital after the hyphen as in "Jean-" + "Luc")
// stays. keepHyphen may be nil. Lines should already be normalised.
func JoinLines(lines []string, keepHyphen func(left, right string) bool) string {
	var b strings.Builder
	for i, ln := range lines {
		ln = strings.TrimSpace(ln)
		if ln == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			cur := b.String()
			if strings.HasSuffix(cur, "-") && endsWithLetterHyphen(cur) {
				left := lastWord(cur[:len(cur)-1])
				right := firstWord(ln)
				r, _ := utf8.DecodeRuneInString(ln)
				if unicode.IsLower(r) && (keepHyphen == nil || !keepHyphen(left, right)) {
					// Drop the hyphen: a line-end break inside a word.
					s := cur[:len(cur)-1]
					b.Reset()
					b.WriteString(s)
					b.WriteString(ln)
					continue
				}
				b.WriteString(ln) // real hyphen: keep, no space
				continue
			}
			b.WriteByte(' ')
		}
		b.WriteString(ln)
	}
	return b.String()
}

func endsWithLetterHyphen(s string) bool {
	if len(s) < 2 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:len(s)-1])
	return unicode.IsLetter(r)
}

func lastWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' })
	return s[i+1:]
}

func firstWord(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if i < 0 {
		return s
	}
	return s[:i]
}

// GarbageRatio returns the share of letters-or-symbols in s that are the
// replacement character or private-use glyphs: a high ratio means a text layer
// whose font has no Unicode mapping, which OCR should replace.
func GarbageRatio(s string) float64 {
	total, bad := 0, 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		total++
		if r == '\uFFFD' || (r >= 0xE000 && r <= 0xF8FF) || (unicode.IsControl(r)) {
			bad++
		}
	}
	if total == 0 {
		return 0
	}
	return float64(bad) / float64(total)
}
