package extract

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
)

func heading(s string) document.Block {
	return document.Block{Type: document.Heading, Text: s, Page: 1}
}

// TestPrecisionRules checks the rules that keep junk out of the candidate
// list; each row also names the terms the rule must not lose.
func TestPrecisionRules(t *testing.T) {
	tests := []struct {
		name   string
		blocks []document.Block
		want   []string // "text/pos" that must be candidates (pos may be empty)
		absent []string // "text/pos" that must not be candidates (pos may be empty)
	}{
		{"spell header labels with a colon",
			[]document.Block{heading("Dunewalk"), para("1st-level transmutation\nCasting Time: 1 action\nRange: Touch\nComponents: V, S, M (a feather from a desert hawk)\nDuration: 8 hours")},
			[]string{"Dunewalk/", "desert hawk/phrase"},
			[]string{"action Range", "Touch Components", "S Duration", "V Duration", "hawk Duration", "Components/", "Duration/", "Range/", "Casting Time"}},
		{"label words stay terms without a colon",
			[]document.Block{para("The range of the spell is long, and its duration is short.")},
			[]string{"duration/noun"}, nil},
		{"number words",
			[]document.Block{para("Nineteen days later, sixty riders and a dozen eighteen-year-old squires arrived.")},
			[]string{"riders/noun"},
			[]string{"nineteen", "nineteen days", "sixty", "sixty riders", "dozen"}},
		{"clause titles",
			[]document.Block{heading("Before You Set Out"), heading("What to Carry"), heading("Reading the Dunes"), heading("How We Travel")},
			nil,
			[]string{"You Set Out", "Set Out", "Carry", "Reading the Dunes", "Reading", "We Travel"}},
		{"names survive the clause rule",
			[]document.Block{heading("Speak with Animals"), heading("Detect Evil and Good"), heading("Flaming Sphere")},
			[]string{"Speak with Animals/phrase", "Detect Evil and Good/phrase", "Flaming Sphere/phrase"}, nil},
		{"plural section titles followed by a heading or table",
			[]document.Block{heading("Places of the Steppe"), heading("Veyrasholm"), para("A river city."),
				heading("Goods and Curios"), {Type: document.Table, Text: "Item | Price\nSandglass charm | 25 gp", Page: 1}},
			[]string{"Veyrasholm/", "Sandglass charm/phrase"},
			[]string{"Places of the Steppe", "Goods and Curios"}},
		{"plural item entries stay",
			[]document.Block{heading("Pipes of the Sewers"), para("Wondrous item, uncommon (requires attunement by a bard)."),
				heading("Boots of Elvenkind"), heading("Gauntlets of Ogre Power"), para("Wondrous item.")},
			[]string{"Pipes of the Sewers/phrase", "Boots of Elvenkind/phrase", "Gauntlets of Ogre Power/phrase"}, nil},
		{"plural and singular forms of a heading name merge",
			[]document.Block{heading("The Glass Dunes"), para("Caravans shelter in the lee of the Glass Dunes.")},
			[]string{"Glass Dunes/phrase"}, nil},
		{"generic lowercase phrases",
			[]document.Block{para("A good story buys water. South of the main route, skyglass fetches high prices. The old charts show it, said a personal remark.")},
			[]string{"skyglass/", "route/noun"},
			[]string{"good story", "main route", "high prices", "old charts", "personal remark"}},
		{"game phrases are not generic",
			[]document.Block{para("Its speed cannot be reduced by difficult terrain. An ancient red dragon bites, and the target takes 7 slashing damage.")},
			[]string{"difficult terrain/phrase", "ancient red dragon/phrase", "slashing damage/phrase"}, nil},
		{"lowercase of-names",
			[]document.Block{para("He drank a potion of healing, opened a bag of holding and cast wall of fire at a piece of paper and a curtain of drifting ash.")},
			[]string{"potion of healing/phrase", "bag of holding/phrase", "wall of fire/phrase"},
			[]string{"piece of paper", "curtain of drifting"}},
		{"plural subject before a base verb",
			[]document.Block{para("Goblins ambush travelers near the pass. Dwarves brave the cold.")},
			[]string{"goblins/noun", "travelers/noun", "ambush/verb"},
			[]string{"Goblins ambush travelers", "ambush travelers", "ambush/noun", "Dwarves brave"}},
		{"irregular past between nouns",
			[]document.Block{para("It was the first time a child saw rain.")},
			[]string{"rain/noun"},
			[]string{"child saw rain", "saw rain", "saw/noun"}},
		{"nouns the tagger took for verbs",
			[]document.Block{para("When it rises, walls of sand march across the plain. She treats sand, dust and gravel as ground. No caravan may leave the city gates without a guide. A gentle, constant breeze blows in shrill, piercing notes.")},
			[]string{"walls/noun", "sand/noun", "gates/noun", "gentle/adjective", "shrill/adjective"},
			[]string{"walls/verb", "sand/verb", "gates/verb", "gentle/verb", "shrill/verb"}},
		{"verbs before a subordinate clause stay verbs",
			[]document.Block{para("Its markets sell everything a caravan needs, and it is pulled toward you until the spell ends.")},
			nil,
			[]string{"caravan needs", "spell ends"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands := extractText(t, tt.blocks...)
			for _, w := range tt.want {
				text, pos := splitWant(w)
				if find(cands, text, pos) == nil {
					t.Errorf("missing %s", w)
				}
			}
			for _, a := range tt.absent {
				text, pos := splitWant(a)
				if c := find(cands, text, pos); c != nil {
					t.Errorf("unexpected %q/%s", c.Text, c.POS)
				}
			}
			if t.Failed() {
				for _, c := range cands {
					t.Logf("  %q/%s lemma %q", c.Text, c.POS, c.Lemma)
				}
			}
		})
	}
}

// splitWant splits "text/pos" ("text" alone, or "text/" for any pos).
func splitWant(w string) (string, POS) {
	for i := len(w) - 1; i >= 0; i-- {
		if w[i] == '/' {
			return w[:i], POS(w[i+1:])
		}
	}
	return w, ""
}
