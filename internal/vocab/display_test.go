package vocab

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
)

func TestDisplayTextPrefersTheBooksCapitalisation(t *testing.T) {
	e := func(text string, n int) Entry { return Entry{Term: classify.Term{Text: text, Count: n}} }
	tests := []struct {
		base string
		cat  classify.Category
		es   []Entry
		want string
	}{
		{"fireball", classify.Spell, []Entry{e("fireball", 11), e("Fireball", 2)}, "Fireball"},
		{"cone of cold", classify.Spell, []Entry{e("cone of cold", 3), e("Cone of Cold", 1), e("Cone of cold", 4)}, "Cone of cold"},
		{"fireball", classify.Spell, []Entry{e("fireball", 11), e("FIREBALL", 5)}, "fireball"},
		{"acid", classify.Concept, []Entry{e("acid", 1), e("Acid", 3)}, "acid"},
		{"Owlbear", classify.Creature, []Entry{e("Owlbear", 1), e("OwlBear", 9)}, "Owlbear"},
		{"wyvern", classify.Creature, []Entry{e("wyvern", 2)}, "wyvern"},
	}
	for _, tc := range tests {
		if got := displayText(tc.base, tc.cat, tc.es); got != tc.want {
			t.Errorf("%q %s: %q, want %q", tc.base, tc.cat, got, tc.want)
		}
	}
}
