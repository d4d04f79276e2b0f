package ipreview

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"

	"github.com/corpora-tools/corpora/internal/termkey"
)

func TestDefaultMatches(t *testing.T) {
	b := Default()
	flagged := []struct{ text, franchise string }{
		{"Mind Flayers", "Wizards of the Coast Product Identity"},
		{"mind-flayer", "Wizards of the Coast Product Identity"},
		{"Mindflayer", "Wizards of the Coast Product Identity"},
		{"Illithids", "Wizards of the Coast Product Identity"},
		{"Nazgûl", "Middle-earth (Tolkien Estate)"},
		{"Nazgul", "Middle-earth (Tolkien Estate)"},
		{"Mordenkainen’s Sword", "Wizards of the Coast Product Identity"},
		{"Mordenkainen\u02bcs Faithful Hound", "Greyhawk (Wizards of the Coast)"},
		{"Bigby's Hand", "Wizards of the Coast Product Identity"},
		{"Tasha's Hideous Laughter", "Wizards of the Coast Product Identity"},
		{"Melf's Acid Arrow", "Wizards of the Coast Product Identity"},
		{"Otiluke's Resilient Sphere", "Wizards of the Coast Product Identity"},
		{"Evard's Black Tentacles", "Wizards of the Coast Product Identity"},
		{"Leomund's Tiny Hut", "Wizards of the Coast Product Identity"},
		{"Otto's Irresistible Dance", "Wizards of the Coast Product Identity"},
		{"Heward's Handy Haversack", "Wizards of the Coast Product Identity"},
		{"Eye of Vecna", "Wizards of the Coast Product Identity"},
		{"Sword of Kas", "Wizards of the Coast Product Identity"},
		{"Kas", "Wizards of the Coast Product Identity"},
		{"YUAN-TI ABOMINATION", "Wizards of the Coast Product Identity"},
		{"yuan ti", "Wizards of the Coast Product Identity"},
		{"Faerun", "Forgotten Realms (Wizards of the Coast)"},
		{"the Forgotten Realms", "Wizards of the Coast Product Identity"},
		{"Dungeons and Dragons", "Wizards of the Coast Product Identity"},
		{"Beholder Zombie", "Wizards of the Coast Product Identity"},
		{"The Shire", "Middle-earth (Tolkien Estate)"},
		{"Shire", "Middle-earth (Tolkien Estate)"},
		{"Space Marines", "Warhammer (Games Workshop)"},
		{"Skaven", "Warhammer (Games Workshop)"},
		{"Lightsabers", "Star Wars (Lucasfilm)"},
		{"Hogwarts", "Harry Potter (Wizarding World)"},
		{"Pokémon", "Pokémon (The Pokémon Company)"},
		{"Pokemon", "Pokémon (The Pokémon Company)"},
		{"Sigil", "Planescape (Wizards of the Coast)"},
		{"d20", "Wizards of the Coast Product Identity"},
	}
	for _, tc := range flagged {
		ms := b.Match(tc.text)
		if !slices.ContainsFunc(ms, func(m Match) bool { return m.Franchise == tc.franchise }) {
			t.Errorf("%q: matches %v, want franchise %q", tc.text, ms, tc.franchise)
		}
	}
	clean := []string{
		"Arcane Sword", "Acid Arrow", "Arcane Hand", "Hideous Laughter", "Tiny Hut", "Resilient Sphere",
		"Black Tentacles", "Irresistible Dance", "Floating Disk", "Instant Summons", "Secret Chest",
		"Carrot", "carrots", "Rarity", "Melfi", "Otter", "warp speed", "time warp", "Taurus", "Sigil sequence",
		"sigil", "shire horse", "the shire reeve", "Mind", "Flayer", "mind control", "Cthulhu", "Shub-Niggurath",
		"Yog-Sothoth", "Tiamat", "Orcus", "Demogorgon", "Asmodeus", "Abyss", "Nine Hells", "Hades", "Elysium",
		"Ioun Stone", "Vorpal Sword", "Warhammer", "Balor", "Tarrasque", "Gibbering Mouther", "Fire Bolt",
		"d20 roll", "a d20", "Hippogriff", "Mithral Armor", "Worg", "Halfling", "Kraken", "Chuul", "Cloaker",
		"Kassandra", "Tasha ", "", "   ", "!!!",
	}
	for _, s := range clean {
		if s == "Tasha " {
			continue
		}
		if ms := b.Match(s); len(ms) > 0 {
			t.Errorf("%q flagged: %v", s, ms)
		}
	}
}

func TestEveryFranchiseReported(t *testing.T) {
	b := Default()
	flag, reason := b.FlagFor(nil, "", b.Match("Mordenkainen's Palantír of the Jedi"))
	if flag == nil || !strings.HasPrefix(*flag, FlagPrefix) || strings.ContainsAny(*flag, " ()") {
		t.Fatalf("flag = %v: want the 1.0 machine form blocklist:<franchise>", flag)
	}
	r := &reason
	for _, f := range []string{"Wizards of the Coast Product Identity: Mordenkainen", "Middle-earth (Tolkien Estate): Palantír", "Star Wars (Lucasfilm): Jedi", "Greyhawk (Wizards of the Coast): Mordenkainen"} {
		if !strings.Contains(*r, f) {
			t.Errorf("reason %q lacks %q", *r, f)
		}
	}
	// Franchises in sorted order, names joined within one franchise.
	if got := Reason([]Match{{Franchise: "A", Term: "x"}, {Franchise: "A", Term: "y"}, {Franchise: "B", Term: "z"}}); got != "A: x, y; B: z" {
		t.Errorf("Reason = %q", got)
	}
}

func TestFlagIdempotent(t *testing.T) {
	terms := []classify.Term{
		{Text: "Mind Flayers", Canonical: "mind flayer"},
		{Text: "Fireball", Canonical: "fireball"},
		{Text: "Arcane Sword", Canonical: "Mordenkainen's Sword"},
	}
	stale := "old reason"
	terms[1].IPFlag = &stale
	b := Default()
	if n := b.Flag(terms); n != 2 {
		t.Errorf("flagged %d, want 2", n)
	}
	first := []string{*terms[0].IPFlag, *terms[2].IPFlag}
	if terms[1].IPFlag != nil {
		t.Error("a term that matches nothing kept a flag")
	}
	b.Flag(terms)
	if *terms[0].IPFlag != first[0] || *terms[2].IPFlag != first[1] {
		t.Error("flagging twice changed the flags")
	}
}

func TestExtend(t *testing.T) {
	base := Default()
	tests := []struct {
		name    string
		file    string
		flagged []string
		clean   []string
		wantErr string
	}{
		{"1.0 shape extends", `{"My Setting": ["Zorblax", "Crystal of Zorg"]}`,
			[]string{"Zorblax", "Crystals of Zorg", "Beholder"}, []string{"Crystal"}, ""},
		{"entry options", `{"Mine": [{"term": "Glow", "whole_name": true}, {"term": "Spark", "proper": true}]}`,
			[]string{"Glow", "the glow", "Spark of Life", "Sparks"}, []string{"glow worm", "spark of life"}, ""},
		{"replace", `{"replace": true, "Mine": ["Zorblax"]}`, []string{"Zorblax"}, []string{"Beholder", "Mordenkainen"}, ""},
		{"exclude", `{"exclude": ["beholder", "Sigil"]}`, []string{"Mind Flayer"}, []string{"Beholder", "Sigil"}, ""},
		{"schema_version ignored", `{"schema_version": "2.0", "Mine": ["Zorblax"]}`, []string{"Zorblax"}, nil, ""},
		{"1.0 file with options", `{"Mine": ["Zorblax", {"term": "Glow", "whole_name": true, "proper": true}], "exclude": ["beholder"]}`,
			[]string{"Zorblax's", "Glow", "Mind Flayer"}, []string{"glow", "Beholder"}, ""},
		{"2.0 entry fields", `{"Mine": [{"term": "Zorg", "kind": "shared", "owner": "Me", "except": ["big zorg"], "open_context": ["river"], "alternative": "Zed"},
			{"term": "Flux", "kind": "shared", "needs_context": true, "context": ["Zorblax"]}, {"term": "Zo'rin", "literal": true}]}`,
			[]string{"Zorg", "Flux of Zorblax", "Zo'rin"}, []string{"zorg", "Big Zorg", "Flux", "Zorin"}, ""},
		{"bad kind", `{"Mine": [{"term": "Zorg", "kind": "closed"}]}`, nil, nil, "kind"},
		{"context missing", `{"Mine": [{"term": "Zorg", "needs_context": true}]}`, nil, nil, "needs_context"},
		{"bad context word", `{"Mine": [{"term": "Zorg", "context": ["!!"]}]}`, nil, nil, "no letters"},
		{"not an object", `["a"]`, nil, nil, "invalid blocklist"},
		{"terms not a list", `{"Mine": "Zorblax"}`, nil, nil, "want a list"},
		{"empty term", `{"Mine": [""]}`, nil, nil, "empty term"},
		{"punctuation only", `{"Mine": ["!!"]}`, nil, nil, "no letters"},
		{"bad entry", `{"Mine": [3]}`, nil, nil, "item 1"},
		{"bad replace", `{"replace": "yes"}`, nil, nil, "replace"},
		{"trailing data", `{} {}`, nil, nil, "trailing"},
		{"too many words", `{"Mine": ["a b c d e f g h i j k l m n"]}`, nil, nil, "more than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Extend(base, []byte(tc.file))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.flagged {
				if b.FlagTexts(s) == nil {
					t.Errorf("%q not flagged", s)
				}
			}
			for _, s := range tc.clean {
				if r := b.FlagTexts(s); r != nil {
					t.Errorf("%q flagged: %s", s, *r)
				}
			}
			if b.Hash() == base.Hash() {
				t.Error("hash did not change")
			}
			if ms := b.MatchContext("the Zorg river", "Zorg"); len(ms) > 0 && strings.Contains(tc.file, "open_context") {
				t.Errorf("Zorg in its open context flagged: %+v", ms)
			}
		})
	}
}

func TestLoadBlocklist(t *testing.T) {
	b, err := LoadBlocklist("")
	if err != nil || b != Default() {
		t.Fatalf("default: %v", err)
	}
	if len(b.Hash()) != 64 || b.Len() < 500 {
		t.Errorf("hash %q, %d names", b.Hash(), b.Len())
	}
	path := filepath.Join(t.TempDir(), "bl.json")
	if err := os.WriteFile(path, []byte(`{"Mine": ["Zorblax"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	b2, err := LoadBlocklist(path)
	if err != nil || b2.FlagTexts("Zorblax") == nil || b2.FlagTexts("beholder") == nil {
		t.Fatalf("extended: %v", err)
	}
	b3, _ := LoadBlocklist(path)
	if b2.Hash() != b3.Hash() {
		t.Error("hash not deterministic")
	}
	if _, err := LoadBlocklist(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
	var nilList *Blocklist
	if nilList.Hash() != Default().Hash() || nilList.FlagTexts("beholder") == nil {
		t.Error("nil blocklist does not act as the default")
	}
}

// TestDefaultFileIsTidy: the embedded list parses, every entry is
// reachable, and no name is listed twice in one franchise.
func TestDefaultFileIsTidy(t *testing.T) {
	f, err := parseBlocklistFile(defaultJSON)
	if err != nil {
		t.Fatal(err)
	}
	for name, es := range f.Franchises {
		seen := map[string]bool{}
		for _, e := range es {
			k := strings.Join(termkey.Tokens(e.Term), " ")
			if e.Literal {
				k = "literal " + strings.Join(strings.Fields(termkey.Fold(e.Term)), " ")
			}
			if seen[k] {
				t.Errorf("%s: %q listed twice", name, e.Term)
			}
			seen[k] = true
			if ms := Default().Match(e.Term); !slices.ContainsFunc(ms, func(m Match) bool { return m.Franchise == name && m.Term == e.Term }) {
				if e.MatchesAlone() {
					t.Errorf("%s: %q does not match itself: %v", name, e.Term, ms)
				}
			}
		}
	}
	if !bytes.Contains(defaultJSON, []byte(`"Wizards of the Coast Product Identity"`)) {
		t.Error("no Product Identity franchise")
	}
}

// TestFlagFor: the blocklist's flags are in the 1.0 machine form and are
// the blocklist's to set and clear; a flag set upstream is kept.
func TestFlagFor(t *testing.T) {
	s := func(v string) *string { return &v }
	m := []Match{{Franchise: "Forgotten Realms (Wizards of the Coast)", Term: "Drizzt"}}
	const fr = "Forgotten Realms (Wizards of the Coast): Drizzt"
	cases := []struct {
		prev       *string
		prevReason string
		ms         []Match
		wantFlag   string // "" for nil
		wantReason string
	}{
		{nil, "", m, "blocklist:forgotten-realms", fr},
		{nil, "", nil, "", ""},
		{s("blocklist:greyhawk"), "Greyhawk (Wizards of the Coast): Mordenkainen", nil, "", ""}, // ours, no longer matching: cleared
		{s("Wizards of the Coast Product Identity: beholder"), "", nil, "", ""},                 // an early 2.0 prose flag: ours, recomputed
		{s("classification:ip-suspect"), "", nil, "classification:ip-suspect", "flagged before corpora's IP check (classification:ip-suspect)"},
		{s("classification:ip-suspect"), "", m, "classification:ip-suspect", fr + "; flagged before corpora's IP check (classification:ip-suspect)"},
		// 1.0's own list wrote "blocklist:dnd" and no reason: not ours, kept.
		{s("blocklist:dnd"), "", nil, "blocklist:dnd", "flagged before corpora's IP check (blocklist:dnd)"},
		{s("blocklist:dnd"), "", m, "blocklist:dnd", fr + "; flagged before corpora's IP check (blocklist:dnd)"},
		// ... and stays kept run after run.
		{s("blocklist:dnd"), "flagged before corpora's IP check (blocklist:dnd)", nil, "blocklist:dnd", "flagged before corpora's IP check (blocklist:dnd)"},
		// A flag an earlier run set from a -b list this run lacks: ours, recomputed.
		{s("blocklist:test-franchise-a"), "Test Franchise A: Saltmarsh", nil, "", ""},
		{s("ip-suspect"), "", nil, "ip-suspect", "flagged before corpora's IP check (ip-suspect)"},
		{s("blocklist:forgotten-realms"), "", m, "blocklist:forgotten-realms", fr},
		{s(""), "", nil, "", ""},
	}
	for _, c := range cases {
		flag, reason := Default().FlagFor(c.prev, c.prevReason, c.ms)
		got := ""
		if flag != nil {
			got = *flag
		}
		if got != c.wantFlag || reason != c.wantReason {
			t.Errorf("FlagFor(%v, %q, %v) = %q, %q; want %q, %q", c.prev, c.prevReason, c.ms, got, reason, c.wantFlag, c.wantReason)
		}
	}
}
