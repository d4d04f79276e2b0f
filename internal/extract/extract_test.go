package extract

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/testutil/golden"
)

func extractText(t *testing.T, blocks ...document.Block) []Candidate {
	t.Helper()
	cands, err := Extract(context.Background(), &document.Output{Content: blocks}, Options{KeepGeneric: true}) // the candidate rules; generic_test.go tests the filter
	if err != nil {
		t.Fatal(err)
	}
	return cands
}

func para(s string) document.Block { return document.Block{Type: document.Paragraph, Text: s, Page: 1} }

func find(cands []Candidate, text string, pos POS) *Candidate {
	for i := range cands {
		if strings.EqualFold(cands[i].Text, text) && (pos == "" || cands[i].POS == pos) {
			return &cands[i]
		}
	}
	return nil
}

// TestCandidateRules checks each candidate rule on fantasy sentences.
func TestCandidateRules(t *testing.T) {
	tests := []struct {
		name   string
		block  document.Block
		want   []string // "text/pos" that must be candidates (pos may be empty)
		absent []string // texts that must not be candidates
	}{
		{"noun phrase", para("An ancient red dragon guards the hoard."), []string{"ancient red dragon/phrase", "red dragon/phrase", "dragon/noun", "hoard/noun"}, []string{"An", "the"}},
		{"of-name", para("She wore a Ring of Protection and cast Wall of Fire at the Cloak of Elvenkind."), []string{"Ring of Protection/phrase", "Wall of Fire/phrase", "Cloak of Elvenkind/phrase"}, nil},
		{"possessive name", para("Mordenkainen's Sword hovers while Heroes' Feast is served."), []string{"Mordenkainen's Sword/phrase", "Heroes' Feast/phrase"}, []string{"'s"}},
		{"capitalised name", para("A Mind Flayer and a Power Word Kill spell."), []string{"Mind Flayer/phrase", "Power Word Kill/phrase"}, nil},
		{"proper noun", para("The wizard Mordenkainen travels to Waterdeep."), []string{"Mordenkainen/proper_noun", "Waterdeep/proper_noun", "wizard/noun"}, nil},
		{"hyphenated", para("The yuan-ti and a half-orc fight."), []string{"yuan-ti/", "half-orc/"}, nil},
		{"verbs and adjectives", para("The necromancer animates the corpses with eldritch power."), []string{"animates/verb", "eldritch/adjective", "corpses/noun"}, nil},
		{"dice and numbers dropped", para("It deals 2d6+3 fire damage to a 1st-level wizard within 60 ft. and DC 15."), []string{"fire damage/phrase", "wizard/noun"}, []string{"2d6+3", "1st-level", "60", "ft.", "DC", "15"}},
		{"stat block labels dropped", para("Armor Class 15 (natural armor)\nHit Points 45 (6d10 + 12)\nSTR 18 (+4) DEX 14 (+2)\nChallenge 3 (700 XP)"), []string{"natural armor/phrase"}, []string{"Armor Class", "Hit Points", "STR", "DEX", "XP"}},
		{"common words dropped, fantasy kept", para("The time of the year made people think, but fire and shadow and light and death remain."), []string{"fire/noun", "shadow/noun", "light/noun", "death/noun"}, []string{"time", "year", "people", "think"}},
		{"stop words dropped", para("They were not able to do it with him."), nil, []string{"They", "were", "not", "with", "him"}},
		{"table cell phrase", document.Block{Type: document.Table, Text: "Item | Cost\nLittle bag of sand | 1 cp\nAcid (vial) | 25 gp", Page: 3}, []string{"Little bag of sand/phrase", "acid/noun"}, []string{"Item", "Cost", "25 gp"}},
		{"title line", document.Block{Type: document.List, Text: "Sending\nTrue Seeing\nSee Invisibility", Page: 1}, []string{"Sending/", "True Seeing/phrase", "See Invisibility/phrase"}, nil},
		{"lemma dedup", para("The dwarves met a dwarf. Dwarves smote goblins; the dwarf smites a goblin."), []string{"dwarves/noun", "smote/verb", "goblins/noun"}, []string{"dwarf", "smites", "goblin"}},
		{"hit points is a label, not a verb", para("The troll regains 10 hit points."), []string{"troll/noun"}, []string{"hit", "Hit Points"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands := extractText(t, tt.block)
			for _, w := range tt.want {
				text, pos, _ := strings.Cut(w, "/")
				if find(cands, text, POS(pos)) == nil {
					t.Errorf("missing %q", w)
				}
			}
			for _, a := range tt.absent {
				if c := find(cands, a, ""); c != nil {
					t.Errorf("unexpected candidate %+v", *c)
				}
			}
			if t.Failed() {
				for _, c := range cands {
					t.Logf("  %q %s %q", c.Text, c.POS, c.Lemma)
				}
			}
		})
	}
}

func TestLemmasAndCounts(t *testing.T) {
	cands := extractText(t,
		document.Block{Type: document.Paragraph, Text: "The dwarves smote the orcs.", Page: 3},
		document.Block{Type: document.Paragraph, Text: "A dwarf stole a sword. Thieves have stolen the swords.", Page: 1},
		document.Block{Type: document.Paragraph, Text: "Another dwarf.", Chapter: 7},
	)
	for _, tt := range []struct {
		text, lemma string
		pos         POS
		count       int
		pages       []int
	}{
		{"dwarves", "dwarf", Noun, 3, []int{1, 3, 7}},
		{"smote", "smite", Verb, 1, []int{3}},
		{"stole", "steal", Verb, 2, []int{1}},
		{"sword", "sword", Noun, 2, []int{1}},
	} {
		c := find(cands, tt.text, tt.pos)
		if c == nil {
			t.Errorf("no candidate %q", tt.text)
			continue
		}
		if c.Lemma != tt.lemma || c.Count != tt.count || !slices.Equal(c.Pages, tt.pages) {
			t.Errorf("%q: lemma %q count %d pages %v, want %q %d %v", tt.text, c.Lemma, c.Count, c.Pages, tt.lemma, tt.count, tt.pages)
		}
	}
}

// TestSpanAndContext checks rune spans into the joined text ("\n\n"
// between blocks) and context sentences.
func TestSpanAndContext(t *testing.T) {
	blocks := []document.Block{
		para("Ærin the Élf met a gnome. Later, the gnome met a beholder."),
		para("A beholder's eye rays petrify. The Mind Flayer waits."),
	}
	var joined []string
	for _, b := range blocks {
		joined = append(joined, b.Text)
	}
	runes := []rune(strings.Join(joined, "\n\n"))
	cands := extractText(t, blocks...)
	for _, c := range cands {
		if c.Span[0] < 0 || c.Span[1] > len(runes) || c.Span[0] >= c.Span[1] {
			t.Fatalf("%q: bad span %v", c.Text, c.Span)
		}
		got := string(runes[c.Span[0]:c.Span[1]])
		if got != c.Text {
			t.Errorf("span %v of %q is %q", c.Span, c.Text, got)
		}
		if !strings.Contains(c.Context, c.Text) {
			t.Errorf("context %q lacks %q", c.Context, c.Text)
		}
		if c.Block == "" || !strings.Contains(c.Block, c.Text) {
			t.Errorf("block window %q lacks %q", c.Block, c.Text)
		}
	}
	if c := find(cands, "gnome", Noun); c == nil || c.Context != "Ærin the Élf met a gnome." {
		t.Errorf("gnome context = %+v", c)
	}
	if c := find(cands, "Mind Flayer", Phrase); c == nil || c.Context != "The Mind Flayer waits." {
		t.Errorf("Mind Flayer context = %+v", c)
	}
}

func TestContextLimitAndPages(t *testing.T) {
	long := strings.Repeat("the ogre walks far and wide across the land, ", 20) + "and a tarrasque rises " + strings.Repeat("again and again and again, ", 20) + "forever."
	var blocks []document.Block
	for p := 1; p <= 80; p++ {
		blocks = append(blocks, document.Block{Type: document.Paragraph, Text: long, Page: 81 - p})
	}
	cands := extractText(t, blocks...)
	c := find(cands, "tarrasque", Noun)
	if c == nil {
		t.Fatal("no tarrasque")
	}
	if n := len([]rune(c.Context)); n > MaxContext || !strings.Contains(c.Context, "tarrasque") {
		t.Errorf("context of %d runes: %q", n, c.Context)
	}
	if len(c.Pages) != MaxPages || !slices.IsSorted(c.Pages) || c.Pages[0] != 1 || c.Count != 80 {
		t.Errorf("pages %v (count %d), want the 50 smallest, sorted", c.Pages, c.Count)
	}
}

func TestOptions(t *testing.T) {
	b := para("The lich and the dragon and the beholder fought the paladin, the wizard and the tarrasque in the dungeon.")
	all := extractText(t, b)
	cands, err := Extract(context.Background(), &document.Output{Content: []document.Block{b}}, Options{MaxCandidates: 3})
	if err != nil || len(cands) != 3 || cands[0].Text != all[0].Text {
		t.Fatalf("MaxCandidates: %d candidates, err %v", len(cands), err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Score > all[i-1].Score {
			t.Fatalf("not sorted by score: %v then %v", all[i-1].Score, all[i].Score)
		}
	}
	cands, _ = Extract(context.Background(), &document.Output{Content: []document.Block{b}}, Options{MinScore: 0.5})
	for _, c := range cands {
		if c.Score < 0.5 {
			t.Errorf("MinScore: %q has %v", c.Text, c.Score)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Extract(ctx, &document.Output{Content: []document.Block{b}}, Options{}); err == nil {
		t.Error("cancelled context: no error")
	}
	if _, err := Extract(context.Background(), nil, Options{}); err == nil {
		t.Error("nil document: no error")
	}
}

// TestGolden extracts testdata/*.json documents and compares the candidate
// JSON with the .golden files; -update rewrites them.
func TestGolden(t *testing.T) {
	for _, name := range []string{"bestiary"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile("testdata/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var doc document.Output
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			cands, err := Extract(context.Background(), &doc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := atomicfile.MarshalJSON(cands)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "testdata/"+name+".golden", got)
			again, _ := Extract(context.Background(), &doc, Options{})
			if b2, _ := atomicfile.MarshalJSON(again); string(b2) != string(got) {
				t.Error("extraction is not deterministic")
			}
		})
	}
}

// FuzzExtract runs arbitrary text through the whole pipeline: no panic,
// spans inside the joined text and matching the candidate's first
// occurrence, contexts within bounds.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Mordenkainen's Sword (2d6+3) strikes the yuan-ti.\nArmor Class 15",
		"Item | Cost\nRing of Protection | 3,500 gp",
		"’s ' 's s' A. B. e.g.\n\n| |",
		"\xff\xfeÆ\u0301 Ring  of\tFire",
	} {
		f.Add(s, "heading", uint8(0), 6)
	}
	f.Add("Power Strike. When you hit, it hurts.", "text", uint8(0), 13)
	f.Add("Ring, legendary (requires attunement)", "text", uint8(2), 0)
	f.Fuzz(func(t *testing.T, s, bt string, role uint8, lead int) {
		// The first block may carry a role and a run-in label (a prefix of
		// its text, whatever it cuts).
		roles := []document.Role{"", document.RoleName, document.RoleTypeLine, document.RoleStats}
		first := document.Block{Type: document.BlockType(bt), Text: s, Page: 2, Role: roles[int(role)%len(roles)]}
		if lead > 0 && lead <= len(s) {
			first.Lead = s[:lead]
		}
		blocks := []document.Block{first, {Type: document.Paragraph, Text: s, Chapter: 1}}
		cands, err := Extract(context.Background(), &document.Output{Content: blocks}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		joined := []rune(s + "\n\n" + s)
		n := len(joined)
		for _, c := range cands {
			if c.Span[0] < 0 || c.Span[1] > n || c.Span[0] >= c.Span[1] {
				t.Fatalf("%q: span %v outside %d runes", c.Text, c.Span, n)
			}
			// The text is the display form (display.go): the span's
			// words, perhaps recased.
			if got := collapse(string(joined[c.Span[0]:c.Span[1]])); !strings.EqualFold(got, c.Text) {
				t.Fatalf("span %v is %q, candidate text %q", c.Span, got, c.Text)
			}
			if len([]rune(c.Context)) > MaxContext || len(c.Pages) > MaxPages || c.Count < 1 {
				t.Fatalf("%q: bad candidate %+v", c.Text, c)
			}
		}
	})
}

// TestConcurrent runs extractions in parallel: the shared models are
// read-only (run with -race).
func TestConcurrent(t *testing.T) {
	b, err := os.ReadFile("testdata/bestiary.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc document.Output
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	want, _ := Extract(context.Background(), &doc, Options{})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := Extract(context.Background(), &doc, Options{})
			if err == nil && len(got) != len(want) {
				err = fmt.Errorf("got %d candidates, want %d", len(got), len(want))
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestBlockLooksAhead checks that a name first seen in a heading carries the
// stat block below it in its Block window, and that the window stops at the
// next heading.
func TestBlockLooksAhead(t *testing.T) {
	doc := &document.Output{Source: "t", Content: []document.Block{
		{Type: document.Heading, Text: "Glimmerfang"},
		{Type: document.Paragraph, Text: "Medium monstrosity, chaotic evil"},
		{Type: document.Paragraph, Text: "Armor Class 14 (natural armor) Hit Points 52 (8d8 + 16) Challenge 3 (700 XP)"},
		{Type: document.Heading, Text: "Shardveil Amulet"},
		{Type: document.Paragraph, Text: "Wondrous item, rare (requires attunement)"},
	}}
	cands, err := Extract(context.Background(), doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, c := range cands {
		switch c.Text {
		case "Glimmerfang":
			found++
			if !strings.Contains(c.Block, "Hit Points 52") || strings.Contains(c.Block, "Wondrous") {
				t.Errorf("Glimmerfang block = %q", c.Block)
			}
		case "Shardveil Amulet":
			found++
			if !strings.Contains(c.Block, "requires attunement") || strings.Contains(c.Block, "Armor Class") {
				t.Errorf("Shardveil Amulet block = %q", c.Block)
			}
		}
	}
	if found != 2 {
		t.Fatalf("found %d of the 2 names in %d candidates", found, len(cands))
	}
}
