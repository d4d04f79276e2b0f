package termkey

import (
	"strings"
	"unicode"
)

// Key returns the identity of a term across documents, used to merge
// entries in consolidation and to find a term's review decision: folded
// (NFKC, case, diacritics, space, apostrophe and hyphen variants), with
// apostrophes and hyphens removed so "Fire-ball" and "Fireball" meet, "&"
// read as "and", other punctuation as space, and the head noun made
// singular: the last word, or in "X of Y" the last word of X, so
// "Fireballs", "Boots of Speed" and "Boot of Speed" meet while "Mass"
// and "Bag of Tricks" stay as they are.
func Key(s string) string {
	s = Fold(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\'' || r == '-' || unicode.Is(unicode.Mn, r):
			continue
		case r == '&':
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			space = true
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	words := strings.Fields(b.String())
	if len(words) == 0 {
		return ""
	}
	head := len(words) - 1
	for i := 1; i < len(words); i++ {
		if words[i] == "of" {
			head = i - 1
			break
		}
	}
	words[head] = Singular(words[head])
	return strings.Join(words, " ")
}
