package extract

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
)

// TestDisplayText checks that a name is shown as the book prints it, and a
// plain word stays lowercase.
func TestDisplayText(t *testing.T) {
	typeLine := func(s string) document.Block {
		return document.Block{Type: document.Paragraph, Text: s, Page: 1, Role: document.RoleTypeLine}
	}
	nameLine := func(s string) document.Block {
		return document.Block{Type: document.Paragraph, Text: s, Page: 1, Role: document.RoleName}
	}
	tests := []struct {
		name   string
		blocks []document.Block
		lemma  string
		want   string
	}{
		{"heading with a type line names the spell",
			[]document.Block{para("The wizard casts fireball at the goblins."), heading("Fireball"), typeLine("3rd-level evocation"), para("A bright streak flashes.")},
			"fireball", "Fireball"},
		{"a phrase title over a lowercase mention",
			[]document.Block{para("She cast cone of cold twice."), heading("Cone of Cold"), typeLine("5th-level evocation")},
			"cone of cold", "Cone of Cold"},
		{"a name line",
			[]document.Block{para("The thief stole a blightstone from the vault."), nameLine("Blightstone")},
			"blightstone", "Blightstone"},
		{"an all-caps title gives way to the running text's capitals",
			[]document.Block{heading("FIREBALL"), typeLine("3rd-level evocation"), para("Casting it, the wizard invokes Fireball again.")},
			"fireball", "Fireball"},
		{"an all-caps title alone is title-cased",
			[]document.Block{para("She cast cone of cold twice."), heading("CONE OF COLD"), typeLine("5th-level evocation")},
			"cone of cold", "Cone of Cold"},
		{"a freely capitalised name",
			[]document.Block{para("Once, the gnome met a beholder."), para("Later the Beholder fled, and the Beholder wept.")},
			"beholder", "Beholder"},
		{"a stylised name keeps its capitals",
			[]document.Block{para("Everyone in the tavern feared the McGuffin and spoke of the McGuffin in whispers.")},
			"mcguffin", "McGuffin"},
		{"a plain word at sentence starts stays lowercase",
			[]document.Block{para("Combat begins. The combat ends when combat stops."), para("Combat is fast.")},
			"combat", "combat"},
		{"a heading with no type line is a section title, not a name",
			[]document.Block{para("Each round of combat lasts six seconds."), heading("Combat"), para("The combat rules follow.")},
			"combat", "combat"},
		{"one capital among many lowercase is no name",
			[]document.Block{para("The Armor table lists armor. Wear armor, buy armor, mend armor, and sell armor.")},
			"armor", "armor"},
		{"a word inside a capitalised name is not freed by it",
			[]document.Block{para("Cast Cure Wounds on the wounds, then cure the wounds.")},
			"wound", "wounds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range extractText(t, tt.blocks...) {
				if c.Lemma == tt.lemma {
					if c.Text != tt.want {
						t.Errorf("text %q, want %q", c.Text, tt.want)
					}
					return
				}
				got = append(got, c.Lemma+"="+c.Text)
			}
			t.Errorf("no candidate with lemma %q in %v", tt.lemma, got)
		})
	}
}

func TestTitleCase(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"FIREBALL", "Fireball"},
		{"CONE OF COLD", "Cone of Cold"},
		{"RING OF THE NPC", "Ring of the NPC"},
		{"YUAN-TI", "Yuan-ti"},
	} {
		if got := titleCase(tt.in, loadResources().lm); got != tt.want {
			t.Errorf("titleCase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
