package entry

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
)

func TestStatLine(t *testing.T) {
	tests := []struct {
		s, label string
		want     bool
	}{
		// D&D 5e.
		{"Armor Class 15 (natural armor)", "", true},
		{"Hit Points 135 (18d10 + 36)", "", true},
		{"Speed 30 ft., fly 60 ft.", "", true},
		{"STR DEX CON INT WIS CHA", "", true},
		{"21 (+5) 9 (−1) 15 (+2) 18 (+4) 15 (+2) 18 (+4)", "", true},
		{"Challenge 10 (5,900 XP)", "", true},
		{"Languages Deep Speech, telepathy 120 ft.", "Languages", true},
		{"Damage Immunities poison", "Damage Immunities", true},
		{"Senses darkvision 60 ft., passive Perception 10", "", false},
		{"Senses darkvision 60 ft., passive Perception 10", "Senses", true},
		// Pathfinder 2e.
		{"Creature 5", "", true},
		{"Perception +12; darkvision", "", true},
		{"AC 22; Fort +14, Ref +10, Will +8", "", true},
		{"HP 90; Immunities fire", "", true},
		{"Str +4, Dex +2, Con +3, Int -1, Wis +1, Cha +0", "", true},
		// OSR.
		{"HD 3, AC 5, MV 120'", "", true},
		{"AC 7 [12], HD 1+1 (5hp), Att 1 × weapon (1d6), THAC0 18, MV 90' (30'), SV D12 W13, ML 8", "", true},
		{"Armour Class: 5, Hit Dice: 3, Move: 12", "", true},
		{"Armor Class: 4 [15], Hit Dice: 5, Attacks: 2 claws (1d6), Move: 9", "", true},
		// Dungeon World.
		{"Bite (d8+1 damage) · 10 HP · 3 Armor", "", true},
		{"Sword (d6 damage) · 3 HP · 1 Armor", "", true},
		// Prose that starts like a stat label stays prose.
		{"Speed is how far a creature moves in a round.", "", false},
		{"Languages are spoken across the realm.", "", false},
		{"Challenge the dragon and you will die.", "", false},
		{"Hit points measure how hard a creature is to kill.", "", false},
		{"The creature has an AC of 5 and fights on.", "", false},
	}
	for _, tt := range tests {
		if got := StatLine(tt.s, tt.label); got != tt.want {
			t.Errorf("StatLine(%q, %q) = %v, want %v", tt.s, tt.label, got, tt.want)
		}
	}
}

func TestNameLike(t *testing.T) {
	tests := []struct {
		s     string
		lines int
		want  bool
	}{
		{"Fireball", 1, true},
		{"Amulet of Proof against Detection and Location", 1, true},
		{"Talisman of the Snow Queen", 1, true},
		{"Mordenkainen's Magnificent Mansion", 2, true},
		{"This is a sentence in bold.", 1, false},
		{"d6 Encounter", 1, false},
		{"d100 Effect", 1, false},
		{"1998", 1, false},
		{"Three, four,", 1, false},
		{"A very long bold paragraph that keeps going on and on well past any name", 1, false},
		{"Name", 3, false},
	}
	for _, tt := range tests {
		if got := NameLike(tt.s, tt.lines); got != tt.want {
			t.Errorf("NameLike(%q, %d) = %v, want %v", tt.s, tt.lines, got, tt.want)
		}
	}
}

func TestMark(t *testing.T) {
	p := func(text string, st document.Style) document.Block {
		return document.Block{Type: document.Paragraph, Text: text, Style: st}
	}
	h := func(text string, level int) document.Block {
		return document.Block{Type: document.Heading, Text: text, Level: level}
	}
	blocks := []document.Block{
		h("The Book", 1), // 0: title
		p("A sourcebook of things.", document.Italic),               // 1: subtitle, not a type line
		h("Magic Items", 2),                                         // 2
		p("Ring of Invisibility", document.Bold),                    // 3: name
		p("Ring, legendary (requires attunement)", document.Italic), // 4: type line
		p("While wearing this ring, you can turn invisible.", ""),
		h("Boots of Striding and Springing", 3),       // 6: deepest heading over a type line
		p("Wondrous item, uncommon", document.Italic), // 7
		p("You gain speed.", ""),
		p("3rd Level", document.Bold), // 9: over a list: a heading, no role
		{Type: document.List, Text: "Fireball"},
		p("A bold sentence that ends.", document.Bold), // 11: not a name
		p("Body text.", ""),
		p("Bold Name", document.Bold),    // 13: followed by bold: not a name
		p("Another Bold", document.Bold), // 14
	}
	Mark(blocks, nil, 3)
	want := []struct {
		typ   document.BlockType
		role  document.Role
		level int
	}{
		{document.Heading, "", 1},
		{document.Paragraph, "", 0},
		{document.Heading, "", 2},
		{document.Heading, document.RoleName, 4},
		{document.Paragraph, document.RoleTypeLine, 0},
		{document.Paragraph, "", 0},
		{document.Heading, document.RoleName, 3},
		{document.Paragraph, document.RoleTypeLine, 0},
		{document.Paragraph, "", 0},
		{document.Heading, "", 4},
		{document.List, "", 0},
		{document.Paragraph, "", 0},
		{document.Paragraph, "", 0},
		{document.Paragraph, "", 0},
		{document.Paragraph, "", 0},
	}
	for i, w := range want {
		b := blocks[i]
		if b.Type != w.typ || b.Role != w.role || b.Level != w.level {
			t.Errorf("block %d %q: %s/%s/%d, want %s/%s/%d", i, b.Text, b.Type, b.Role, b.Level, w.typ, w.role, w.level)
		}
	}
}
