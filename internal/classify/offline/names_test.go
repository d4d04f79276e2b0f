package offline

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"
)

// cand builds a candidate for an invented name from its sentence and block.
func cand(text string, pos extract.POS, context, block string) extract.Candidate {
	return extract.Candidate{Text: text, POS: pos, Context: context, Block: block}
}

// TestNameRules checks each rule for names no lexicon knows, on invented
// names and contexts, with and without the SRD lexicon.
func TestNameRules(t *testing.T) {
	P, N, Ph := extract.ProperNoun, extract.Noun, extract.Phrase
	for _, tc := range []struct {
		rule string
		cand extract.Candidate
		want classify.Category
	}{
		// The head noun of a capitalised name.
		{"place head", cand("Quorlan Steppe", Ph, "The Quorlan Steppe is empty.", ""), classify.Location},
		{"place head", cand("Vennick Isles", Ph, "Ships avoid the Vennick Isles.", ""), classify.Location},
		{"place head", cand("Tarrowgast Pass", Ph, "Tarrowgast Pass", ""), classify.Location},
		{"place head", cand("Hall of Whispers", Ph, "The elders meet in the Hall of Whispers.", ""), classify.Location},
		{"place head", cand("Beggar's Stair", Ph, "Beggar's Stair", "Beggar's Stair\nA thousand steps cut into the cliff."), classify.Location},
		{"place head", cand("Oskal Flats", Ph, "Nothing grows on the Oskal Flats.", ""), classify.Location},
		{"place head", cand("Marnhelm Rock", Ph, "Marnhelm Rock", ""), classify.Location},
		{"place prefix", cand("Port Quillane", Ph, "Port Quillane trades in salt.", ""), classify.Location},
		// A title before a name.
		{"title", cand("Brother Anselk", Ph, "Brother Anselk keeps the bees.", ""), classify.Character},
		{"title", cand("Captain Yrsa", Ph, "Captain Yrsa keeps her own counsel.", ""), classify.Character},
		{"title", cand("Mother Grelle", Ph, "Mother Grelle", ""), classify.Character},
		{"hyphenated role", cand("Reeve-Marshal", P, "Nobody argues with the Reeve-Marshal.", ""), classify.Character},
		// Two unknown capitalised words: a given name and a family name.
		{"person name", cand("Tavish Quorrendel", Ph, "Tavish Quorrendel", "Tavish Quorrendel\nA retired sellsword who runs the ferry."), classify.Character},
		{"person name", cand("Ilvane Dusksworn", Ph, "A quiet woman named Ilvane Dusksworn keeps the lighthouse.", ""), classify.Character},
		{"person name", cand("Orm Feldravik", Ph, "The smugglers fear the hermit Orm Feldravik, who sees every sail.", ""), classify.Character},
		// A name after "the": no person's name.
		{"article", cand("Graskelmoor", P, "Travellers cross the Graskelmoor at night.", ""), classify.Location},
		// Places from the words around their mentions.
		{"place preps", cand("Dunnavrel", P, "I have sent a letter to the council in Dunnavrel.", ""), classify.Location},
		{"place of", cand("Ossmere Vale", Ph, "The shepherds of Ossmere Vale keep black sheep.", ""), classify.Location},
		{"place of", cand("Kel Varosh", Ph, "The pilgrims climb to the monasteries of Kel Varosh in the east.", ""), classify.Location},
		{"place of", cand("Threnlow", P, "Ask for the bell of Threnlow.", ""), classify.Location},
		{"place apposition", cand("Ashkarra", P, "Ashkarra, the Copper City", "Ashkarra, the Copper City\nIts streets are paved with slag."), classify.Location},
		{"place after", cand("Wrenmoss", P, "the Wrenmoss Forest is old.", ""), classify.Location},
		// People from the words around their mentions.
		{"person is-a", cand("Hessaly", P, "Hessaly is a tall, weathered woman.", ""), classify.Character},
		{"person verbs", cand("Brannoc", P, "Brannoc says the bridge will hold.", ""), classify.Character},
		// Items from the verbs before them.
		{"item verb", cand("Lamp of Saint Orvane", Ph, "She lit the Lamp of Saint Orvane and waited.", ""), classify.Item},
		// Materials from the words before them.
		{"material", cand("dawnsilt", N, "Miners harvest dawnsilt from the riverbed.", ""), classify.Material},
		{"material", cand("gloomore", N, "The key is forged from a shard of gloomore.", ""), classify.Material},
		{"material compound", cand("frostglass", N, "", ""), classify.Material},
		// A creature's actions and traits in its stat block.
		{"run-in action", cand("Rending Pincers", Ph, "Rending Pincers.",
			"Hit Points 40 (6d10 + 6)\nSpeed 30 ft.\nChallenge 2 (450 XP)\nRending Pincers. Melee Weapon Attack: +5 to hit, reach 5 ft., one target. Hit: 9 (2d6 + 2) slashing damage."), classify.Action},
		{"run-in action", cand("Choking Spores", Ph, "Choking Spores (Recharge 5-6).",
			"Choking Spores (Recharge 5-6). The mold exhales spores. Each creature within 10 feet must succeed on a DC 12 Constitution saving throw."), classify.Action},
		{"run-in trait", cand("Brittle Hide", Ph, "Brittle Hide.",
			"Armor Class 12\nHit Points 30\nBrittle Hide. A creature that hits the beetle with a melee attack takes 3 (1d6) piercing damage."), classify.Action},
		// Spells named in running text.
		{"cast", cand("veilsnare", N, "The witch can cast veilsnare at will.", ""), classify.Spell},
		{"the X spell", cand("Orrin's Lantern", Ph, "A creature lit by the Orrin's Lantern spell sheds dim light.", ""), classify.Spell},
		{"spell list", cand("hushcinder", N, "While holding the rod, you can cast one of the following spells from it: hushcinder, or see invisibility.", ""), classify.Spell},
		{"spell list at line end", cand("Veyl's Quiet", Ph, "3rd level (3 slots): counterspell, Veyl's Quiet", ""), classify.Spell},
		{"spells such as", cand("mirrorgale", N, "Spells such as fog cloud and mirrorgale block sight.", ""), classify.Spell},
	} {
		for _, opts := range []Options{{}, {NoSRD: true}} {
			got := one(t, NewWithOptions(opts), tc.cand)
			if got.Category != tc.want {
				t.Errorf("%s: %q (NoSRD=%v) = %s (%.2f), want %s", tc.rule, tc.cand.Text, opts.NoSRD, got.Category, got.Confidence, tc.want)
			}
		}
	}
}

// TestNameRulesKeepKnown checks that the rules leave alone what they must:
// an item's description is not a creature's action, a variant creature that
// its paragraph names again is not an action, a thing after "spellcasting"
// is not a spell.
func TestNameRulesKeepKnown(t *testing.T) {
	for _, tc := range []struct {
		rule string
		cand extract.Candidate
		not  classify.Category
	}{
		{"run-in item", cand("Orb of Far Seeing", extract.Phrase, "Orb of Far Seeing.",
			"Orb of Far Seeing. While you hold this orb, you can use an action to see a creature you have met."), classify.Action},
		{"run-in variant", cand("Swarm of Glowmites", extract.Phrase, "Swarm of Glowmites.",
			"Swarm of Glowmites. A creature reduced to 0 hit points by a swarm of glowmites glows for an hour."), classify.Action},
		{"spellcasting", cand("Quellorath", extract.ProperNoun, "The Quellorath's spellcasting ability is Wisdom.",
			"Large monstrosity\nArmor Class 15\nHit Points 80\nInnate Spellcasting. The Quellorath's spellcasting ability is Wisdom."), classify.Spell},
		{"spell list", cand("warlock", extract.Noun, "Add these to the warlock spell lists.", ""), classify.Spell},
		{"possessive title", cand("Warden's Bramblemail", extract.Phrase, "Warden's Bramblemail", ""), classify.Character},
	} {
		got := one(t, NewWithOptions(Options{NoSRD: true}), tc.cand)
		if got.Category == tc.not {
			t.Errorf("%s: %q = %s, want anything else", tc.rule, tc.cand.Text, got.Category)
		}
	}
}
