package classify

import (
	"errors"
	"slices"
	"testing"

	"github.com/corpora-tools/corpora/internal/extract"
)

func TestRepair(t *testing.T) {
	tm := Term{Intent: " Attack", Category: "Monster", Mood: "HOLY", Energy: "Fire", Canonical: " ancient  red dragon ",
		Confidence: 1.4, SecondaryIntents: []Intent{"control", "offensive", "bogus", "control"}, Tags: []string{"Dragon", "dragon", " big "}}
	tm.Axes[0] = 1.7
	tm.Axes[1] = -0.2
	if err := Repair(&tm); err != nil {
		t.Fatal(err)
	}
	if tm.Intent != Offensive || tm.Category != Creature || tm.Mood != Divine || tm.Energy != "fire" {
		t.Fatalf("enums not repaired: %+v", tm)
	}
	if tm.Axes[0] != 1 || tm.Axes[1] != 0 || tm.Confidence != 1 {
		t.Fatalf("ranges not clamped: %v %v", tm.Axes, tm.Confidence)
	}
	if len(tm.SecondaryIntents) != 1 || tm.SecondaryIntents[0] != Control {
		t.Fatalf("secondary = %v", tm.SecondaryIntents)
	}
	if tm.Canonical != "ancient red dragon" || len(tm.Tags) != 2 || tm.Tags[0] != "big" {
		t.Fatalf("canonical/tags = %q %v", tm.Canonical, tm.Tags)
	}
}

func TestRepairRejects(t *testing.T) {
	tm := Term{Intent: "teleporting", Category: "spell", Mood: "arcane", Canonical: "x"}
	if err := Repair(&tm); !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
}

func TestFinalizeSetsCodeOwnedFields(t *testing.T) {
	tm := Term{ID: "model-made", Source: "model", Intent: "utility", Category: "item", Mood: "arcane", Canonical: "Ring of Protection"}
	c := extract.Candidate{Text: "Ring of Protection", Lemma: "ring of protection", POS: extract.Phrase, Count: 3, Pages: []int{2, 5}}
	if err := Finalize(&tm, "books/Tome of Ash.pdf", c, "offline/1"); err != nil {
		t.Fatal(err)
	}
	if tm.ID != "tome-of-ash-pdf-ring-of-protection" || tm.Source != "books/Tome of Ash.pdf" || tm.Genre != "fantasy" || tm.Count != 3 {
		t.Fatalf("got %+v", tm)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Mordenkainen's Sword": "mordenkainens-sword",
		"Nazgûl":               "nazgul",
		"a/b/Tome.PDF":         "tome-pdf",
		"!!!":                  "x",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAxesJSON(t *testing.T) {
	var a Axes
	a[0] = 0.456
	b, _ := a.MarshalJSON()
	var back Axes
	if err := back.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	if back[0] != 0.46 {
		t.Fatalf("round trip: %v from %s", back[0], b)
	}
}

// TestRepairReadsWhatModelsWrite: closed fields are read through case,
// spacing, separators and synonyms; an unreadable optional field is dropped
// and named instead of failing the term; only the required fields fail it.
func TestRepairReadsWhatModelsWrite(t *testing.T) {
	cases := []struct {
		energy, intent, category, mood string
		wantEnergy                     string
		wantDropped                    int
		wantErr                        bool
	}{
		{"fire", "offensive", "spell", "arcane", "fire", 0, false},
		{" Fire and Cold ", "offensive", "spell", "arcane", "fire", 0, false},
		{"fire/cold", "Offensive", "Spell", "Arcane", "fire", 0, false},
		{"cold, fire", "offensive", "spell", "arcane", "cold", 0, false},
		{"electricity", "offensive", "spell", "arcane", "lightning", 0, false},
		{"none", "utility", "item", "arcane", "", 0, false},
		{"N/A", "utility", "item", "arcane", "", 0, false},
		{"x/day", "utility", "creature", "dark", "", 1, false},
		{"Player's Handbook", "utility", "concept", "arcane", "", 1, false},
		{"", "crowd-control", "creature/undead", "Mystical", "", 0, false},
		{"", "offensive, control", "monster", "grim", "", 0, false},
		{"fire", "teleporting", "spell", "arcane", "fire", 0, true},
		{"fire", "offensive", "vibe", "arcane", "fire", 0, true},
	}
	for _, c := range cases {
		tm := Term{Energy: c.energy, Intent: Intent(c.intent), Category: Category(c.category), Mood: Mood(c.mood), Canonical: "x"}
		dropped, err := RepairNoting(&tm)
		if (err != nil) != c.wantErr {
			t.Errorf("%+v: err = %v", c, err)
			continue
		}
		if tm.Energy != c.wantEnergy || len(dropped) != c.wantDropped {
			t.Errorf("%+v: energy %q, dropped %v", c, tm.Energy, dropped)
		}
		if err == nil && (!slices.Contains(Intents, tm.Intent) || !slices.Contains(Categories, tm.Category) || !slices.Contains(Moods, tm.Mood)) {
			t.Errorf("%+v: left %+v", c, tm)
		}
	}
}
