package offline

import (
	"context"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"
)

func TestSectionCategory(t *testing.T) {
	for _, tt := range []struct {
		section string
		want    int
	}{
		{"Bestiary", iCreature},
		{"Chapter 5: Monsters / Cavern Dwellers", iCreature},
		{"Dungeon World: Spells and Magic Items / Cleric Spells", iSpell},
		{"Dungeon World: Spells and Magic Items / Magic Items", iItem},
		{"Spells and Magic Items", -1}, // names two: says nothing
		{"Equipment / Adventuring Gear", iItem},
		{"Gods of the North", iCharacter},
		{"Spell Components", -1}, // "spell" modifying another word
		// A kind in the singular before a listing word lists its entries:
		// 5e's "Spell Descriptions", other books' "Magic Item List".
		{"Spell Descriptions", iSpell},
		{"Chapter 10: Spellcasting / Spell Descriptions", iSpell},
		{"Magic Item Descriptions", iItem},
		{"Monster Entries", iCreature},
		{"Creature Catalog", iCreature},
		{"Item Creation", -1}, // a rule, not a list
		{"Creature Types", -1},
		{"Spell Lists / Bard Spells", iSpell},
		{"Introduction", -1},
		{"", -1},
	} {
		if got := sectionCategory(tt.section); got != tt.want {
			t.Errorf("sectionCategory(%q) = %d, want %d", tt.section, got, tt.want)
		}
	}
}

func TestSystemLine(t *testing.T) {
	for _, tt := range []struct {
		line string
		want int
		w    float64
	}{
		{"creature 5", iCreature, systemWeight},
		{"creature -1", iCreature, systemWeight},
		{"spell 2", iSpell, systemWeight},
		{"cantrip 1", iSpell, systemWeight},
		{"item 3", iItem, systemWeight},
		{"solitary, large", iCreature, systemWeight},
		{"horde, small, stealthy", iCreature, systemWeight},
		{"hd 3, ac 5, mv 120', atk 1 bite (1d8), ml 8", iCreature, statWeight},
		{"bite (d8+1 damage) · 10 hp · 3 armor", iCreature, statWeight},
		{"level 1 ongoing", iSpell, tagWeight},
		{"rote", iSpell, tagWeight},
		{"close, 2 weight", iItem, tagWeight},
		{"1 ammo, 1 weight", iItem, tagWeight},
		{"uncommon, medium, fey", -1, 0},
		{"group", -1, 0}, // a word, not a tag line
		{"the creature 5 feet away attacks", -1, 0},
	} {
		got, w := systemLine([]byte(tt.line))
		if got != tt.want || w != tt.w {
			t.Errorf("systemLine(%q) = %d, %v; want %d, %v", tt.line, got, w, tt.want, tt.w)
		}
	}
	// Only a name ending its line has a type line under it: "Bite" inside a
	// stat line is no entry.
	var ev contextEvidence
	ev.readSystemLine([]byte(" (d8+1 damage) · 10 hp · 3 armor"))
	if ev.header != [8]float64{} {
		t.Errorf("a run-in term read a type line: %v", ev.header)
	}
	ev.readSystemLine([]byte("\n*creature 3*\nperception +9"))
	if ev.header[iCreature] != systemWeight {
		t.Errorf("heading then type line: %v", ev.header)
	}
}

func TestSpeciesUse(t *testing.T) {
	for _, tt := range []struct {
		text, name string
		want       bool
	}{
		{"Vavakia\nA vavakia rarely fights fair.", "Vavakia", true},
		{"Zuipnyrn\nThe zuipnyrns of the marshes hunt in packs.", "Zuipnyrn", true},
		{"You don't have an ankheg living under your field.", "Ankheg", true},
		{"There's a reason they call it a conflagration of fire beetles.", "Fire Beetle", true},
		{"Mordenkainen wrote these spells. Mordenkainen's tower stands alone.", "Mordenkainen", false},
		{"Iomedae is the goddess of valor; her paladins serve Iomedae.", "Iomedae", false},
	} {
		if got := speciesUse(tt.text, tt.name); got != tt.want {
			t.Errorf("speciesUse(%q, %q) = %v", tt.text, tt.name, got)
		}
	}
}

// TestEvidenceRules classifies made-up entries of other systems, with and
// without their type lines, by one rule at a time.
func TestEvidenceRules(t *testing.T) {
	c := NewWithOptions(Options{NoSRD: true})
	head := func(name, block, section string) extract.Candidate {
		return extract.Candidate{Text: name, Lemma: name, POS: extract.ProperNoun, Context: name, Block: name + "\n" + block, Section: section}
	}
	for _, tt := range []struct {
		name string
		cand extract.Candidate
		want classify.Category
	}{
		{"pf2 creature line", head("Firegeist", "Creature 1 (Elemental, Fire)\nIt burns what it touches.", ""), classify.Creature},
		{"pf2 spell line", head("Glimmerstep", "Spell 1\nYou vanish and reappear nearby.", ""), classify.Spell},
		{"pf2 item line", head("Farsight Stone", "Item 3\nLook through the hole to see far.", ""), classify.Item},
		{"osr stat line", head("Grelk", "HD 3, AC 5, MV 120', ML 8\nSquat reptiles of flooded ruins.", ""), classify.Creature},
		{"dw tag line", head("Cave Rat", "Horde, Small\nGnaw (d6 damage) · 7 HP · 1 Armor", ""), classify.Creature},
		{"dw item line", head("Arrows of Acheron", "1 ammo, 1 weight\nCrafted in darkness by a blind fletcher.", ""), classify.Item},
		{"section: bestiary", head("Skarrow", "Carrion birds the size of a dog follow every army.", "Bestiary"), classify.Creature},
		{"section: spells", head("Sever", "One limb of a creature you touch is cut off.", "Cleric Spells"), classify.Spell},
		{"section: items", head("Ned's Head", "It talks, and never shuts up.", "Magic Items"), classify.Item},
		{"description: you call down", head("Ashen Veil", "You call down a curtain of ash. The target must succeed at a save or be blinded.", ""), classify.Spell},
		{"description: you deed", head("Tolling Dirge", "You ring a spectral bell. Each living creature in the area must attempt a Will save.", ""), classify.Spell},
		{"description: within range", head("Thornlash", "A whip of thorns strikes a creature you can see within range.", ""), classify.Spell},
		{"description: the caster", head("Lock of Years", "A door so sealed cannot be opened by anyone but the caster until dispel magic is cast upon it.", ""), classify.Spell},
		{"description: osr duration", head("Glimmerwisp", "A cold light follows the caster for 1 turn per level.", ""), classify.Spell},
		{"section: spell descriptions", head("Gravesong", "Corpses rise as zombies.", "Spell Descriptions"), classify.Spell},
		{"item opening: you can", head("Quiet Boots", "You can walk without a sound while you wear these boots.", ""), classify.Item},
		{"creature trait: each creature within", head("Fire Wyrm", "Each creature within 5 feet of the wyrm takes fire damage. Its bite burns.", "Bestiary"), classify.Creature},
		{"description: whoever drinks", head("Draught of Gallows", "Whoever drinks this potion feels nothing for an hour.", ""), classify.Item},
		{"species: articles and plurals", head("Vavakia", "A vavakia lures its prey. Vavakias sing.", ""), classify.Creature},
		{"generic NPC with a stat block", head("Tinkerer", "Creature 1\nThey mend pots and sell toys.", ""), classify.Creature},
		{"generic NPC, plain", head("Caravan Guard", "Caravan guards are hired in every market town.", ""), classify.Creature},
	} {
		got := one(t, c, tt.cand)
		if got.Category != tt.want {
			t.Errorf("%s: %q = %s (%.2f), want %s", tt.name, tt.cand.Text, got.Category, got.Confidence, tt.want)
		}
	}
}

// TestSiblings checks that entries under one heading share a category when
// their own evidence is weak, and keep theirs when it is strong.
func TestSiblings(t *testing.T) {
	c := NewWithOptions(Options{NoSRD: true})
	entry := func(name, block string) extract.Candidate {
		return extract.Candidate{Text: name, Lemma: name, POS: extract.ProperNoun, Context: name, Block: name + "\n" + block, Section: "The Drowned Coast"}
	}
	cands := []extract.Candidate{
		entry("Grelk", "Creature 2\nSquat reptiles of flooded ruins."),
		entry("Skarrow", "Creature 1\nCarrion birds."),
		entry("Mire Drake", "Creature 7\nIt breathes swamp gas."),
		entry("Ulmoth", "It waits under the jetty for the unwary."), // weak alone
		entry("Farsight Stone", "Item 3\nLook through the hole to see far."),
	}
	res, err := c.Classify(context.Background(), classify.Request{Source: "t", Terms: cands})
	if err != nil {
		t.Fatal(err)
	}
	want := []classify.Category{classify.Creature, classify.Creature, classify.Creature, classify.Creature, classify.Item}
	for i, tm := range res.Terms {
		if tm.Category != want[i] {
			t.Errorf("%q = %s, want %s", tm.Text, tm.Category, want[i])
		}
	}
	// Alone, the weak entry has no creature evidence.
	if got := one(t, c, cands[3]); got.Category == classify.Creature {
		t.Errorf("Ulmoth alone is a creature (%.2f): the test proves nothing", got.Confidence)
	}
}

// TestSharedDefinitions classifies the examples of the category
// definitions the LLM prompt shares (classify.CategoryDefinitions) as
// entries under a heading of their kind; the creature and character
// examples, which the definitions are about, also stand alone.
func TestSharedDefinitions(t *testing.T) {
	c := New()
	sections := map[classify.Category]string{
		classify.Spell: "Spells", classify.Creature: "Bestiary", classify.Item: "Magic Items", classify.Location: "Places",
		classify.Character: "Gods", classify.Material: "Materials", classify.Concept: "Rules",
	}
	for _, d := range classify.CategoryDefinitions {
		for _, ex := range d.Examples {
			pos := extract.ProperNoun
			if len(splitWords(ex)) > 1 {
				pos = extract.Phrase
			}
			cand := extract.Candidate{Text: ex, Lemma: ex, POS: pos, Context: ex, Block: ex, Section: sections[d.Category]}
			if d.Category == classify.Creature || d.Category == classify.Character {
				cand = extract.Candidate{Text: ex, Lemma: ex, POS: pos}
			}
			got := one(t, c, cand)
			if got.Category != d.Category {
				t.Errorf("%q = %s, want %s", ex, got.Category, d.Category)
			}
		}
	}
}

// TestSpellOpening checks the second-person opening of a description, with
// the openings of items, features and moves that are no spell's.
func TestSpellOpening(t *testing.T) {
	for _, tt := range []struct {
		near string
		want bool
	}{
		{"\nyou ring a spectral bell. each living creature", true},   // Pathfinder-style spell
		{"\n\nyou touch a skull or a bone and ask it", true},         // 5e-style spell, blank line first
		{"\nyou call down a curtain of drifting ash", true},          // Dungeon World
		{"\nyou can use an action to speak its command word", false}, // an item
		{"\nyou gain a +1 bonus to attack and damage rolls", false},  // a magic weapon
		{"\nyou wear this cloak and blend into shadows", false},      // worn
		{"\nwhen you rub this golden oil onto a weapon", false},      // an item's use
		{"\nwhen you discern realities, roll+wis", false},            // a move
		{"\nthis hulking predator drags itself", false},              // a creature
		{"\n*2nd-level necromancy*\n\nyou touch a creature", false},  // a type line first: the type line decides
		{" is a spell you cast", false},                              // not an entry's own line
	} {
		if got := spellOpening([]byte(tt.near)); got != tt.want {
			t.Errorf("spellOpening(%q) = %v, want %v", tt.near, got, tt.want)
		}
	}
}
