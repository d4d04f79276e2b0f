package termkey

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/corpora-tools/corpora/internal/textnorm"
)

// Fold returns s in the form used for comparison: NFKC with every space,
// hyphen and apostrophe variant folded (textnorm.Line), diacritics removed,
// lower-cased, ß as ss. Punctuation is kept; Tokens splits on it.
func Fold(s string) string {
	return stripMarksLower(textnorm.Line(s))
}

// foldWord is Fold for one word of an already normalised text.
func foldWord(w string, ascii bool) string {
	if ascii {
		for i := 0; i < len(w); i++ {
			if c := w[i]; 'A' <= c && c <= 'Z' {
				return strings.ToLower(w)
			}
		}
		return w
	}
	return stripMarksLower(w)
}

// stripMarksLower removes diacritics (NFD, drop combining marks, NFC),
// lower-cases and writes ß as ss.
func stripMarksLower(w string) string {
	if !isASCII(w) {
		w = norm.NFD.String(w)
		w = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, w)
		w = norm.NFC.String(w)
	}
	w = strings.ToLower(w)
	if strings.ContainsRune(w, 'ß') {
		w = strings.ReplaceAll(w, "ß", "ss")
	}
	return w
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
