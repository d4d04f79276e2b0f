package ipreview

import (
	"strings"
	"testing"
)

func TestSingular(t *testing.T) {
	tests := map[string]string{
		"fireballs": "fireball", "harpies": "harpy", "liches": "lich", "wolves": "wolf", "werewolves": "werewolf",
		"dwarves": "dwarf", "elves": "elf", "zombies": "zombie", "pixies": "pixie", "boxes": "box", "masses": "mass",
		"heroes": "hero", "foes": "foe", "axes": "axe", "pegasi": "pegasus", "slaadi": "slaad", "lizardmen": "lizardman",
		"women": "woman", "auras": "aura", "flayers": "flayer", "beholders": "beholder",
		// singular words that look plural stay
		"mass": "mass", "abyss": "abyss", "gas": "gas", "kas": "kas", "chaos": "chaos", "nimbus": "nimbus",
		"orcus": "orcus", "species": "species", "hades": "hades", "omen": "omen", "ioun": "ioun", "glabrezu": "glabrezu",
		"d20s": "d20s", "fire": "fire", "tau": "tau",
	}
	for in, want := range tests {
		if got := Singular(in); got != want {
			t.Errorf("Singular(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKey(t *testing.T) {
	groups := [][]string{
		{"Fireball", "fireballs", "Fire-ball", "FIREBALL", " fire\u2010ball ", "Fireball\u00a0"},
		{"Mind Flayer", "mind flayers", "Mind\u00a0Flayer", "mind  flayer"},
		{"Boots of Speed", "Boot of Speed", "boots of speed"},
		{"Bag of Tricks", "Bags of Tricks"},
		{"Mordenkainen's Sword", "Mordenkainen’s Sword", "Mordenkainen\u02bcs Sword", "mordenkainens sword"},
		{"Faerûn", "Faerun", "FAERÛN"},
		{"Dungeons & Dragons", "Dungeons and Dragons"},
		{"yuan-ti", "Yuan-Ti", "yuanti"},
		{"ﬁre", "fire", "Fires"},
	}
	for _, g := range groups {
		want := Key(g[0])
		for _, s := range g[1:] {
			if got := Key(s); got != want {
				t.Errorf("Key(%q) = %q, want %q (as %q)", s, got, want, g[0])
			}
		}
	}
	apart := [][2]string{
		{"Mass", "Ma"}, {"Bag of Tricks", "Bag of Trick"}, {"Abyss", "Abys"}, {"Gas", "Ga"},
		{"fire ball", "fireball"}, {"Ring of Protection", "Rings of Protections"},
	}
	for _, p := range apart {
		if Key(p[0]) == Key(p[1]) {
			t.Errorf("Key(%q) == Key(%q) = %q", p[0], p[1], Key(p[0]))
		}
	}
	if Key("  ") != "" || Key("!!") != "" {
		t.Error("Key of nothing is not empty")
	}
}

func TestTokens(t *testing.T) {
	tests := map[string]string{
		"Mind-Flayers":                   "mind flayer",
		"Bigby's Hand":                   "bigby hand",
		"tanar’ri":                       "tanarri",
		"D&D":                            "d and d",
		"Nazgûl":                         "nazgul",
		"d20 (when used as a trademark)": "d20 when used as a trademark",
		"Mordenkainen\u02bcs  Sword":     "mordenkainen sword",
	}
	for in, want := range tests {
		if got := strings.Join(Tokens(in), " "); got != want {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
}
