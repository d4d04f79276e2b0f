package vocab

import (
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/classify"
)

// nameCategories are the categories whose terms are names, shown as the
// books print them ("Fireball", "Cone of Cold"), not as a sentence's
// lower-case mention of them.
var nameCategories = map[classify.Category]bool{
	classify.Spell: true, classify.Creature: true, classify.Item: true,
	classify.Location: true, classify.Character: true,
}

// displayText picks a merged name's text: where the base text is all
// lower case and another document prints the name capitalised (in a
// heading or a title), the capitalised form with the highest count wins
// (ties: the first in es order after Merge's sort); ALL-CAPS forms never
// do. Other categories, and names already capitalised, keep base.
func displayText(base string, cat classify.Category, es []Entry) string {
	if !nameCategories[cat] || hasUpper(base) {
		return base
	}
	best, bestN := base, 0
	counts := map[string]int{}
	for _, e := range es {
		if capitalised(e.Text) {
			counts[e.Text] += max(e.Count, 1)
		}
	}
	for _, e := range es {
		if n := counts[e.Text]; n > bestN {
			best, bestN = e.Text, n
		}
	}
	return best
}

func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// capitalised: starts with a capital and is not all capitals.
func capitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return false
	}
	for _, r := range s {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}
