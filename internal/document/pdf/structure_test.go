package pdf

import (
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document/pdf/layout"
)

// ln builds a line of a 300-point column starting at x 50: text with the
// style of each word ("B" bold, "I" italic, "." regular), its left indent
// and its width as a fraction of the column.
func ln(text, styles string, indent, fill float32) layout.Line {
	ws := strings.Fields(text)
	wst := make([]uint8, len(ws))
	for i := range ws {
		c := byte('.')
		if i < len(styles) {
			c = styles[i]
		} else if len(styles) > 0 {
			c = styles[len(styles)-1]
		}
		switch c {
		case 'B':
			wst[i] = stBold
		case 'I':
			wst[i] = stItalic
		}
	}
	l := 50 + indent
	return layout.Line{Text: text, Box: layout.Box{L: l, R: l + fill*300, B: 0, T: 10}, Size: 10, Cells: 1, WordStyles: wst}
}

func TestSplitBlock(t *testing.T) {
	tests := []struct {
		name  string
		lines []layout.Line
		want  []string // segments, lines joined by " / "; a leading "*" marks a list item, "!" stats, "lead:" a run-in label
	}{
		{"name, type line and body by style",
			[]layout.Line{ln("Talisman of the Snow Queen", "B", 0, 0.5), ln("Wondrous item, legendary", "I", 0, 0.4),
				ln("While you wear this talisman, cold cannot", ".", 0, 1), ln("harm you.", ".", 0, 0.2)},
			[]string{"Talisman of the Snow Queen", "Wondrous item, legendary", "While you wear this talisman, cold cannot / harm you."}},
		{"run-in label opens a paragraph",
			[]layout.Line{ln("The ring glows when touched and hums", ".", 0, 1), ln("softly at night, like a cat.", ".", 0, 1),
				ln("Frost Ward. As an action, you raise", "BB.", 0, 1), ln("a wall of ice.", ".", 0, 0.3)},
			[]string{"The ring glows when touched and hums / softly at night, like a cat.", "lead:Frost Ward.|Frost Ward. As an action, you raise / a wall of ice."}},
		{"a bold word inside a line is no label",
			[]layout.Line{ln("You cast the spell and the target glows", ".", 0, 1), ln("Fireball strikes each creature within", "B.", 0, 1)},
			[]string{"You cast the spell and the target glows / Fireball strikes each creature within"}},
		{"first-line indent splits paragraphs without spacing",
			[]layout.Line{ln("The first paragraph runs on and on and", ".", 0, 1), ln("ends here at the margin of the column.", ".", 0, 1),
				ln("The second starts indented and goes", ".", 10, 0.97), ln("on to its own end.", ".", 0, 0.4)},
			[]string{"The first paragraph runs on and on and / ends here at the margin of the column.", "The second starts indented and goes / on to its own end."}},
		{"hanging indent keeps its item whole",
			[]layout.Line{ln("Dragons are large reptilian creatures", ".", 0, 1), ln("of ancient origin and great power", ".", 10, 0.97), ln("and they hoard gold.", ".", 10, 0.5)},
			[]string{"Dragons are large reptilian creatures / of ancient origin and great power / and they hoard gold."}},
		{"short last line ends a paragraph",
			[]layout.Line{ln("A paragraph that ends on a short line.", ".", 0, 0.4), ln("Another paragraph starts on the next", ".", 0, 1), ln("line without any indent.", ".", 0, 0.5)},
			[]string{"A paragraph that ends on a short line.", "Another paragraph starts on the next / line without any indent."}},
		{"stat lines, one block each, a wrapped one whole",
			[]layout.Line{ln("Armor Class 17 (natural armor)", "BB.", 0, 0.5), ln("Hit Points 135 (18d10 + 36)", "BB.", 0, 0.5),
				ln("Damage Immunities acid, cold, fire;", "BB.", 0, 1), ln("bludgeoning from nonmagical attacks", ".", 0, 0.7),
				ln("The aboleth lairs in lightless lakes.", ".", 0, 0.7)},
			[]string{"!Armor Class 17 (natural armor)", "!Hit Points 135 (18d10 + 36)", "!Damage Immunities acid, cold, fire; bludgeoning from nonmagical attacks", "The aboleth lairs in lightless lakes."}},
		{"bullets are list items",
			[]layout.Line{ln("• Stoneskin", ".", 0, 0.2), ln("• Wall of Fire", ".", 0, 0.2)},
			[]string{"*Stoneskin", "*Wall of Fire"}},
		{"a column of one-item lines reads one item per line",
			[]layout.Line{ln("Dancing Lights", ".", 0, 0.3), ln("Light", ".", 0, 0.1), ln("Mage Hand", ".", 0, 0.2), ln("Minor Illusion", ".", 0, 0.3)},
			[]string{"Dancing Lights", "Light", "Mage Hand", "Minor Illusion"}},
		{"a long name on two bold lines stays one",
			[]layout.Line{ln("Amulet of Proof against Detection", "B", 0, 0.9), ln("and Location", "B", 0, 0.3), ln("Wondrous item, uncommon", "I", 0, 0.5)},
			[]string{"Amulet of Proof against Detection / and Location", "Wondrous item, uncommon"}},
		{"a narrow column of capitalised prose lines with a stop stays one",
			[]layout.Line{ln("The Old Keep", ".", 0, 0.5), ln("Stands Alone", ".", 0, 0.5), ln("On the Hill.", ".", 0, 0.5)},
			[]string{"The Old Keep / Stands Alone / On the Hill."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var infos []lineInfo
			for _, l := range tt.lines {
				infos = append(infos, analyseLine(l))
			}
			var got []string
			for _, seg := range splitBlock(infos, 10, false) {
				var parts []string
				for _, li := range seg.lines {
					parts = append(parts, li.s)
				}
				s := strings.Join(parts, " / ")
				switch {
				case seg.list:
					s = "*" + s
				case seg.stats:
					s = "!" + strings.Join(parts, " ")
				case seg.lead != "":
					s = "lead:" + seg.lead + "|" + s
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("segments:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
