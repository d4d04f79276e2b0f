package extract

import (
	"context"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
)

// TestSection checks the headings a candidate carries: a stack with heading
// levels; without them, headings followed by another heading (or by one
// short block) are section titles and an entry's own heading is not.
func TestSection(t *testing.T) {
	h := func(text string, level int) document.Block {
		return document.Block{Type: document.Heading, Text: text, Level: level, Page: 1}
	}
	long := "The creature lurks in the dark below the hills, and it hunts whatever strays from the road at night. Travellers speak of it in whispers, and nobody has seen it twice and lived to describe the sight."
	tests := []struct {
		name   string
		blocks []document.Block
		want   map[string]string // candidate text -> Section
	}{
		{"no levels", []document.Block{
			h("Bestiary", 0), para("Made-up entries."),
			h("Cavern Dwellers", 0), h("Zuipnyrn", 0), para(long), h("Vavakia", 0), para(long),
		}, map[string]string{"Zuipnyrn": "Bestiary / Cavern Dwellers", "Vavakia": "Bestiary / Cavern Dwellers"}},
		{"the first title stays", []document.Block{
			h("Monsters", 0), para("Made-up entries."),
			h("Caverns", 0), h("Grelk", 0), para(long),
			h("Swamps", 0), h("Skarrow", 0), para(long),
			h("Ruins", 0), h("Ulmoth", 0), para(long),
			h("Hills", 0), h("Vavakia", 0), para(long),
		}, map[string]string{"Grelk": "Monsters / Caverns", "Vavakia": "Monsters / Ruins / Hills"}},
		{"levels", []document.Block{
			h("Spells", 1), h("Cleric Spells", 2), h("Glimmerstep", 3), para(long),
			h("Magic Items", 1), h("Farsight Stone", 2), para(long),
		}, map[string]string{"Glimmerstep": "Spells / Cleric Spells", "Farsight Stone": "Magic Items"}},
		{"entry heading with a long body is no section", []document.Block{
			h("Grelk", 0), para(long), h("Skarrow", 0), para(long),
		}, map[string]string{"Skarrow": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands, err := Extract(context.Background(), &document.Output{Content: tt.blocks}, Options{KeepGeneric: true})
			if err != nil {
				t.Fatal(err)
			}
			for text, want := range tt.want {
				c := find(cands, text, "")
				if c == nil {
					t.Errorf("%q: no candidate", text)
					continue
				}
				if c.Section != want {
					t.Errorf("%q: Section %q, want %q", text, c.Section, want)
				}
			}
		})
	}
}
