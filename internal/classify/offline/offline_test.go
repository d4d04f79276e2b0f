package offline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"
)

func one(t *testing.T, c *Classifier, cand extract.Candidate) classify.Term {
	t.Helper()
	if cand.Lemma == "" {
		cand.Lemma = cand.Text
	}
	res, err := c.Classify(context.Background(), classify.Request{Source: "book.pdf", Terms: []extract.Candidate{cand}})
	if err != nil {
		t.Fatalf("%q: %v", cand.Text, err)
	}
	if len(res.Terms) != 1 {
		t.Fatalf("%q: %d terms", cand.Text, len(res.Terms))
	}
	return res.Terms[0]
}

func noun(s string) extract.Candidate { return extract.Candidate{Text: s, POS: extract.Noun} }

// Invented names, known only from their context: what generalisation means.
var (
	glimmerfang = extract.Candidate{Text: "Glimmerfang", POS: extract.ProperNoun,
		Context: "Glimmerfang Medium monstrosity, chaotic evil",
		Block:   "Glimmerfang\nMedium monstrosity, chaotic evil\nArmor Class 15 (natural armor)\nHit Points 45 (6d8 + 18)\nSpeed 40 ft.\nSTR DEX CON INT WIS CHA\n16 (+3) 14 (+2) 16 (+3) 3 (-4) 12 (+1) 6 (-2)\nChallenge 3 (700 XP)\nBite. Melee Weapon Attack: +5 to hit, reach 5 ft., one target. Hit: 10 (2d6 + 3) piercing damage."}
	shardveil = extract.Candidate{Text: "Shardveil Amulet", POS: extract.Phrase,
		Context: "Shardveil Amulet Wondrous item, rare (requires attunement)",
		Block:   "Shardveil Amulet\nWondrous item, rare (requires attunement)\nWhile wearing this amulet, you can't be targeted by divination magic."}
	cindersong = extract.Candidate{Text: "Cindersong", POS: extract.ProperNoun,
		Context: "Cindersong 1st-level evocation",
		Block:   "Cindersong\n1st-level evocation\nCasting Time: 1 action\nRange: 60 feet\nComponents: V, S\nDuration: Instantaneous\nA chorus of embers fills a 10-foot cube. Each creature in it must make a Dexterity saving throw, taking 3d6 fire damage on a failed save."}
	grimwalker = extract.Candidate{Text: "Grimwalker", POS: extract.ProperNoun,
		Context: "The Grimwalker shambles forward.",
		Block:   "Grimwalker\nMedium undead, neutral evil\nArmor Class 12\nHit Points 22 (5d8)\nDamage Immunities poison\nChallenge 1/2 (100 XP)\nLife Drain. Melee Weapon Attack: +3 to hit. Hit: 5 (1d6 + 2) necrotic damage."}
	frostbrand = extract.Candidate{Text: "Blade of Rimefall", POS: extract.Phrase,
		Context: "Blade of Rimefall Weapon (any sword), very rare (requires attunement)",
		Block:   "Blade of Rimefall\nWeapon (any sword), very rare (requires attunement)\nYou gain a +2 bonus to attack and damage rolls made with this magic weapon. On a hit, the target takes an extra 2d6 cold damage."}
	veilstep = extract.Candidate{Text: "Veilstep", POS: extract.ProperNoun,
		Context: "Veilstep 2nd-level conjuration",
		Block:   "Veilstep\n2nd-level conjuration\nCasting Time: 1 bonus action\nRange: Self\nYou teleport up to 30 feet to an unoccupied space that you can see."}
	varnhold = extract.Candidate{Text: "Varnhold", POS: extract.ProperNoun,
		Context: "The caravan reached the city of Varnhold at dusk."}
)

func TestCategory(t *testing.T) {
	c := New()
	for _, tc := range []struct {
		cand extract.Candidate
		want classify.Category
	}{
		{noun("wolf"), classify.Creature},
		{noun("goblin"), classify.Creature},
		{noun("dragon"), classify.Creature},
		{noun("sword"), classify.Item},
		{noun("amulet"), classify.Item},
		// A kind of person is a creature; a character is one named individual.
		{noun("wizard"), classify.Creature},
		{noun("blacksmith"), classify.Creature},
		{extract.Candidate{Text: "Guard", POS: extract.ProperNoun, Context: "Guard", Block: "Guard\nMedium humanoid (any race), any alignment\nArmor Class 16"}, classify.Creature},
		{extract.Candidate{Text: "Iomedae", POS: extract.ProperNoun, Context: "Iomedae is the goddess of valor, and her paladins swear oaths to her."}, classify.Character},
		{noun("castle"), classify.Location},
		{noun("swamp"), classify.Location},
		{noun("iron"), classify.Material},
		{noun("obsidian"), classify.Material},
		{noun("courage"), classify.Concept},
		{noun("fireball"), classify.Spell},
		{extract.Candidate{Text: "burning", POS: extract.Verb}, classify.Action},
		{extract.Candidate{Text: "ancient red dragons", POS: extract.Phrase}, classify.Creature},
		{extract.Candidate{Text: "Wand of Fireballs", POS: extract.Phrase}, classify.Item},
		{extract.Candidate{Text: "Ring of Protection", POS: extract.Phrase}, classify.Item},
		{extract.Candidate{Text: "Cone of Cold", POS: extract.Phrase}, classify.Spell}, // SRD lexicon
		{extract.Candidate{Text: "Thornling", POS: extract.ProperNoun}, classify.Creature},
		{extract.Candidate{Text: "Ravenspire", POS: extract.ProperNoun}, classify.Location},
		{glimmerfang, classify.Creature},
		{shardveil, classify.Item},
		{cindersong, classify.Spell},
		{grimwalker, classify.Creature},
		{frostbrand, classify.Item},
		{veilstep, classify.Spell},
		{varnhold, classify.Location},
	} {
		if got := one(t, c, tc.cand); got.Category != tc.want {
			t.Errorf("%q: category %s, want %s", tc.cand.Text, got.Category, tc.want)
		}
	}
}

// TestInventedWithoutLexicon checks that invented names are classified from
// context alone, and that the SRD lexicon is not what makes them work.
func TestInventedWithoutLexicon(t *testing.T) {
	c := NewWithOptions(Options{NoSRD: true})
	for _, tc := range []struct {
		cand   extract.Candidate
		want   classify.Category
		energy string
		axis   string
	}{
		{glimmerfang, classify.Creature, "", ""},
		{shardveil, classify.Item, "", ""},
		{cindersong, classify.Spell, "fire", "fire"},
		{grimwalker, classify.Creature, "necrotic", "void"},
		{frostbrand, classify.Item, "cold", "water"},
		{veilstep, classify.Spell, "", "space"},
	} {
		got := one(t, c, tc.cand)
		if got.Category != tc.want {
			t.Errorf("%q: category %s, want %s", tc.cand.Text, got.Category, tc.want)
		}
		if tc.energy != "" && got.Energy != tc.energy {
			t.Errorf("%q: energy %q, want %q", tc.cand.Text, got.Energy, tc.energy)
		}
		if tc.axis != "" && got.Axes[classify.AxisIndex(tc.axis)] < 0.5 {
			t.Errorf("%q: axis %s = %.2f, want >= 0.5 (%v)", tc.cand.Text, tc.axis, got.Axes[classify.AxisIndex(tc.axis)], got.Axes)
		}
		if got.Confidence < 0.5 {
			t.Errorf("%q: confidence %.2f with a clear header, want >= 0.5", tc.cand.Text, got.Confidence)
		}
	}
}

func TestAxes(t *testing.T) {
	c := New()
	for _, tc := range []struct {
		cand extract.Candidate
		axis string
	}{
		{noun("fire"), "fire"}, {noun("inferno"), "fire"},
		{noun("ocean"), "water"}, {noun("glacier"), "water"},
		{noun("mountain"), "earth"}, {noun("boulder"), "earth"},
		{noun("wind"), "air"}, {noun("tempest"), "air"},
		{noun("sunlight"), "light"}, {noun("lantern"), "light"},
		{noun("darkness"), "shadow"}, {noun("shadow"), "shadow"},
		{noun("healing"), "life"}, {noun("vine"), "life"},
		{noun("oblivion"), "void"}, {noun("decay"), "void"},
		{noun("hammer"), "force"}, {noun("impact"), "force"},
		{noun("chain"), "binding"}, {noun("shackle"), "binding"},
		{noun("shield"), "ward"}, {noun("barrier"), "ward"},
		{noun("eye"), "sight"}, {noun("clairvoyance"), "sight"},
		{noun("telepathy"), "mind"}, {noun("dream"), "mind"},
		{noun("clock"), "time"}, {noun("haste"), "time"},
		{noun("portal"), "space"}, {extract.Candidate{Text: "teleport", POS: extract.Verb}, "space"},
		{noun("destiny"), "fate"}, {noun("luck"), "fate"},
		{extract.Candidate{Text: "Wand of Fireballs", POS: extract.Phrase}, "fire"},
		{extract.Candidate{Text: "Pyrothane", POS: extract.ProperNoun}, "fire"},
		{extract.Candidate{Text: "Frostmaw", POS: extract.ProperNoun}, "water"},
	} {
		got := one(t, c, tc.cand)
		if v := got.Axes[classify.AxisIndex(tc.axis)]; v < 0.5 {
			t.Errorf("%q: axis %s = %.2f, want >= 0.5 (%v)", tc.cand.Text, tc.axis, v, got.Axes)
		}
	}
}

func TestIntent(t *testing.T) {
	c := New()
	spell := func(name, header, body string) extract.Candidate {
		return extract.Candidate{Text: name, POS: extract.ProperNoun, Context: name + " " + header, Block: name + "\n" + header + "\nCasting Time: 1 action\n" + body}
	}
	for _, tc := range []struct {
		cand extract.Candidate
		want classify.Intent
	}{
		{noun("sword"), classify.Offensive},
		{noun("armor"), classify.Defensive},
		{noun("lantern"), classify.Utility},
		{spell("Emberlash", "1st-level evocation", "The target takes 2d8 fire damage."), classify.Offensive},
		{spell("Aegis of Dawn", "3rd-level abjuration", "You and your allies gain resistance."), classify.Defensive},
		{spell("Callwyrm", "4th-level conjuration", "A spirit appears in an unoccupied space."), classify.Summoning},
		{spell("Skinshift", "2nd-level transmutation", "The creature's body changes."), classify.Transformation},
		{spell("Farglimpse", "3rd-level divination", "You learn where the object is."), classify.Divination},
		{spell("Velvet Words", "2nd-level enchantment", "The target is charmed by you."), classify.Enchantment},
		{spell("Gravecall", "3rd-level necromancy", "A corpse rises as a zombie."), classify.Necromancy},
		{noun("restraint"), classify.Control},
		{noun("scrying"), classify.Divination},
	} {
		if got := one(t, c, tc.cand); got.Intent != tc.want {
			t.Errorf("%q: intent %s (secondary %v), want %s", tc.cand.Text, got.Intent, got.SecondaryIntents, tc.want)
		}
	}
}

func TestMood(t *testing.T) {
	c := New()
	for _, tc := range []struct {
		cand extract.Candidate
		want classify.Mood
	}{
		{noun("wizard"), classify.Arcane},
		{noun("grimoire"), classify.Arcane},
		{noun("demon"), classify.Dark},
		{noun("corpse"), classify.Dark},
		{noun("knight"), classify.Heroic},
		{noun("champion"), classify.Heroic},
		{noun("wolf"), classify.Primal},
		{noun("jungle"), classify.Primal},
		{noun("angel"), classify.Divine},
		{noun("temple"), classify.Divine},
		{noun("tentacle"), classify.Eldritch},
		{noun("aberration"), classify.Eldritch},
		{noun("pixie"), classify.Whimsical},
		{noun("prank"), classify.Whimsical},
		{noun("spear"), classify.Martial},
		{noun("soldier"), classify.Martial},
	} {
		if got := one(t, c, tc.cand); got.Mood != tc.want {
			t.Errorf("%q: mood %s, want %s", tc.cand.Text, got.Mood, tc.want)
		}
	}
}

func TestCanonical(t *testing.T) {
	c := New()
	for _, tc := range []struct {
		cand extract.Candidate
		want string
	}{
		{noun("fireballs"), "fireball"},
		{noun("Fireball"), "fireball"},
		{noun("wolves"), "wolf"},
		{extract.Candidate{Text: "ancient red dragons", POS: extract.Phrase}, "ancient red dragon"},
		{extract.Candidate{Text: "Ancient Red Dragon", POS: extract.Phrase}, "ancient red dragon"},
		{extract.Candidate{Text: "Mordenkainen's Sword", POS: extract.Phrase}, "Mordenkainen's Sword"},
		{extract.Candidate{Text: "Wands of Fireballs", POS: extract.Phrase}, "wand of fireballs"},
		{extract.Candidate{Text: "burning", POS: extract.Verb}, "burn"},
		{extract.Candidate{Text: "Tiamat", POS: extract.ProperNoun}, "Tiamat"},
		{glimmerfang, "Glimmerfang"},
		{shardveil, "Shardveil Amulet"},
	} {
		if got := one(t, c, tc.cand); got.Canonical != tc.want {
			t.Errorf("%q: canonical %q, want %q", tc.cand.Text, got.Canonical, tc.want)
		}
	}
}

func TestConfidence(t *testing.T) {
	c := New()
	unknown := one(t, c, extract.Candidate{Text: "Zorblax", POS: extract.ProperNoun})
	if unknown.Confidence > 0.2 {
		t.Errorf("unknown word without context: confidence %.2f, want <= 0.2", unknown.Confidence)
	}
	for _, cand := range []extract.Candidate{noun("wolf"), glimmerfang, cindersong} {
		if got := one(t, c, cand); got.Confidence < 0.6 {
			t.Errorf("%q: confidence %.2f, want >= 0.6", cand.Text, got.Confidence)
		}
	}
	if a, b := one(t, c, noun("gloomwort")), one(t, c, noun("sword")); a.Confidence >= b.Confidence {
		t.Errorf("word parts only (%.2f) should be less sure than a dictionary word (%.2f)", a.Confidence, b.Confidence)
	}
}

func TestResultShape(t *testing.T) {
	c := New()
	if c.Backend() != "offline" || c.PromptVersion() == "" {
		t.Fatalf("backend %q prompt %q", c.Backend(), c.PromptVersion())
	}
	if c.Model() == NewWithOptions(Options{NoSRD: true}).Model() {
		t.Errorf("the model name must tell the lexicon-less classifier apart")
	}
	cands := []extract.Candidate{noun("wolf"), cindersong, noun("sword"), {Text: "", POS: extract.Noun}, {Text: "!!! ??", POS: extract.Phrase}}
	cands[0].Lemma, cands[0].Count, cands[0].Pages = "wolf", 3, []int{4, 9}
	res, err := c.Classify(context.Background(), classify.Request{Source: "Books/Tome.pdf", Terms: cands})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Terms) != len(cands) {
		t.Fatalf("%d terms for %d candidates", len(res.Terms), len(cands))
	}
	for i, tm := range res.Terms {
		if tm.Text != cands[i].Text {
			t.Errorf("term %d is %q, want %q (request order)", i, tm.Text, cands[i].Text)
		}
		if err := classify.Repair(&tm); err != nil {
			t.Errorf("term %q does not validate: %v", tm.Text, err)
		}
		if tm.Classifier != "offline/"+c.Model() || tm.Source != "Books/Tome.pdf" || tm.Genre != "fantasy" {
			t.Errorf("code-owned fields not set: %+v", tm)
		}
	}
	if w := res.Terms[0]; w.ID != "tome-pdf-wolf" || w.Count != 3 || !slices.Equal(w.Pages, []int{4, 9}) {
		t.Errorf("wolf: %+v", w)
	}
	if res.Usage != (classify.Usage{}) {
		t.Errorf("usage %+v, want zero", res.Usage)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Classify(ctx, classify.Request{Terms: []extract.Candidate{noun("wolf")}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestDeterministic classifies the same terms twice, with two classifiers,
// and once from several goroutines: the JSON must be byte-identical.
func TestDeterministic(t *testing.T) {
	cands := []extract.Candidate{noun("wolf"), noun("fire"), glimmerfang, shardveil, cindersong, grimwalker, frostbrand, veilstep, varnhold,
		{Text: "ancient red dragons", POS: extract.Phrase}, {Text: "Mordenkainen's Sword", POS: extract.Phrase}, noun("Zorblax")}
	run := func(c *Classifier) []byte {
		res, err := c.Classify(context.Background(), classify.Request{Source: "a.pdf", Terms: cands})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res.Terms)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := run(New())
	if second := run(New()); !bytes.Equal(first, second) {
		t.Fatalf("two runs differ:\n%s\n%s", first, second)
	}
	done := make(chan []byte, 4)
	for range 4 {
		go func() { done <- run(New()) }()
	}
	for range 4 {
		if b := <-done; !bytes.Equal(first, b) {
			t.Fatalf("concurrent run differs")
		}
	}
}

func TestRuleTables(t *testing.T) {
	if len(blockCues) > maxCues {
		t.Fatalf("%d block cues, at most %d", len(blockCues), maxCues)
	}
	k, err := loaded()
	if err != nil {
		t.Fatal(err)
	}
	for kind, enc := range kindFeatures {
		if len(enc)%2 != 0 {
			t.Errorf("kind %q: bad encoding %q", kind, enc)
		}
	}
	for _, c := range k.fantasy {
		if catIndex(c) < 0 {
			t.Errorf("fantasy.txt: unknown category %q", c)
		}
	}
	for name, e := range k.srd {
		if catIndex(e.cat) < 0 {
			t.Errorf("srd.tsv %q: unknown category %q", name, e.cat)
		}
	}
}
