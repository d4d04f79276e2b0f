package termkey

import (
	"strings"
	"unicode"

	"github.com/corpora-tools/corpora/internal/textnorm"
)

// Word is one comparison word of a text, as Words splits it.
type Word struct {
	// Word is folded, apostrophes removed, a possessive 's dropped, and
	// singular.
	Word string
	// Lit is Word with its in-word apostrophes kept ("shai'tan").
	Lit string
	// Upper: the original began with an upper-case letter.
	Upper bool
	// Joined: only a hyphen separates the word from the one before
	// ("Under-dark"), so the two may be one name's parts.
	Joined bool
}

// Words splits s into words: runs of letters and digits, with apostrophes
// inside a word joined ("tanar'ri" is "tanarri") and a possessive "'s"
// dropped ("Bigby's" is "bigby"); "&" is the word "and"; every other
// character (hyphens included) separates words. Each word is made
// singular.
func Words(s string) []Word {
	ascii := isASCII(s)
	if !ascii {
		// ASCII needs no folding: its apostrophes, hyphens and spaces are
		// already the plain ones, and every other mark separates words.
		s = textnorm.Line(s)
	}
	var out []Word
	var cur []rune
	upper := false
	// sep counts the separators since the last word; hyphen is whether
	// the only one was a hyphen.
	sep, hyphen := 0, false
	flush := func() {
		if len(cur) == 0 {
			return
		}
		w := string(cur)
		// Drop a possessive: the word ended with "'s" or "'".
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'S")
		lit := strings.TrimRight(w, "'")
		w = strings.ReplaceAll(w, "'", "")
		if w != "" {
			t := Word{Word: Singular(foldWord(w, ascii)), Upper: upper, Joined: len(out) > 0 && sep == 1 && hyphen}
			t.Lit = t.Word
			if lit != w {
				t.Lit = Singular(foldWord(lit, ascii))
			}
			out = append(out, t)
			sep, hyphen = 0, false
		}
		cur = cur[:0]
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if len(cur) == 0 {
				upper = unicode.IsUpper(r) || unicode.IsTitle(r)
			}
			cur = append(cur, r)
		case r == '\'' && len(cur) > 0:
			cur = append(cur, r)
		case r == '&':
			flush()
			out = append(out, Word{Word: "and", Lit: "and"})
			sep, hyphen = 0, false
		default:
			flush()
			sep++
			hyphen = r == '-'
		}
	}
	flush()
	return out
}

// Tokens returns the comparison words of s: folded, split on everything
// but letters, digits and in-word apostrophes, possessives dropped and
// every word singular. "Mind-Flayers" and "mind flayer" give the same tokens.
func Tokens(s string) []string {
	toks := Words(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Word
	}
	return out
}
