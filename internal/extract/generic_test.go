package extract

import (
	"context"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/lexicon"
)

// TestGenericReason checks each rule of the generic-term filter.
func TestGenericReason(t *testing.T) {
	en, lx := lexicon.PlainEnglish(), lexicon.Default()
	tests := []struct {
		text  string
		pos   POS
		named bool // capitalised inside a sentence
		want  string
	}{
		// Plain English: common words with no game sense.
		{"afternoon", Noun, false, reasonPlain},
		{"arrives", Verb, false, reasonPlain},
		{"abrasive", Adjective, false, reasonPlain},
		{"Various parts", Phrase, false, reasonMod},
		{"abrasive", Adjective, true, reasonPlain}, // an adjective is no name
		// Fantasy and game words are kept, alone or inside a phrase.
		{"fire", Noun, false, ""},
		{"shadow", Noun, false, ""},
		{"ward", Noun, false, ""},
		{"bind", Verb, false, ""},
		{"hit points", Phrase, false, ""},
		{"rich soil", Phrase, false, reasonPlain},
		{"burning field", Phrase, false, reasonPlain}, // a field
		{"burning hands", Phrase, false, ""},
		{"New towns", Phrase, false, reasonMod}, // a sentence's start
		// Concrete nouns with a game sense, rare and coined words.
		{"horse", Noun, false, ""},
		{"halberd", Noun, false, ""},
		{"zuipnyrn", Noun, false, ""},
		{"Vavakia", ProperNoun, false, ""},
		// Names made of common words stand as headings or capitalised.
		{"Cure Light Wounds", Phrase, true, ""},
		{"Hold Person", Phrase, true, ""},
		{"Farsight Stone", Phrase, true, ""},
		{"Tinkerer", ProperNoun, true, ""},
		// A plain modifier describes a term rather than names a kind.
		{"nearest steading", Phrase, false, reasonMod},
		{"listed deity", Phrase, false, reasonMod},
		{"new steadings", Phrase, false, reasonMod},
		{"nearby villages", Phrase, false, reasonMod},
		{"smaller steads", Phrase, false, reasonMod},
		{"lower tag", Phrase, false, reasonMod},
		{"monster problem", Phrase, false, reasonPlain}, // a plain head
		{"fire damage", Phrase, false, ""},
		{"bag of holding", Phrase, false, ""},
		{"successive tag", Phrase, false, reasonMod},
		{"dangerous tunnels", Phrase, false, reasonMod},
		{"red dragon", Phrase, false, ""},
		{"displacer beast", Phrase, false, ""}, // an agent noun, not a comparative
		{"ancient dragon", Phrase, false, ""},
		{"Listed Deity", Phrase, true, ""}, // a name
		// Fragments never become terms, named or not.
		{"Atk", ProperNoun, true, reasonLabel},
		{"Usage worn cloak", Phrase, false, reasonLabel},
		{"Bulk L", Phrase, true, reasonLabel},
		{"vice versa", Phrase, false, reasonStock},
		{"authors Dan Dillon", Phrase, true, reasonCredit},
		{"Cover illustration", Phrase, true, reasonCredit},
		{"degrees Fahrenheit", Phrase, false, reasonUnit},
		{"Acrobatics and Stealth", Phrase, false, reasonPair},
		{"Range touch", Phrase, false, reasonLabel},      // Pathfinder-style spell line
		{"creature Duration", Phrase, true, reasonLabel}, // two fields of one
		{"Area of Effect", Phrase, true, reasonLabel},    // a label's name
		{"Bulk Trader", Phrase, true, reasonLabel},       // (a cost of the rule)
		{"sloop Gull", Phrase, true, reasonApposition},   // a noun before a name
		{"smuggling sloop Gull", Phrase, true, reasonApposition},
		{"ring of Protection", Phrase, true, ""},  // across "of"
		{"level 3 Fireball", Phrase, true, ""},    // a number first
		{"Made-up", Adjective, true, reasonPlain}, // plain words hyphenated
		{"eel-bodied hound", Phrase, false, ""},   // a creature in it
		{"fire-breathing", Adjective, false, ""},  // a fantasy word in it
		{"Cantrip Ongoing", Phrase, true, reasonTags},
		{"Level 1 Ongoing", Phrase, true, reasonTags},
		{"Solitary, Large", Phrase, true, reasonTags},
		{"Derro use dogmole juggernauts", Phrase, false, reasonClause},
		{"Creating the world", Phrase, true, reasonSection},
		{"Making a Village", Phrase, true, reasonSection},
		// ... but a named pair, a fantasy gerund or a unit in a name stays.
		{"Sword and Sorcery", Phrase, true, ""},
		{"Burning of the Sky", Phrase, true, ""},
		{"Lock of Years", Phrase, true, ""},          // an OSR spell
		{"Boots of Seven Leagues", Phrase, true, ""}, // an item
		{"span of hours", Phrase, false, reasonUnit},
	}
	// A heading names a verb or adjective too ("Shatter", "Slow"); a spell
	// is named in lower case in running text.
	for _, w := range []string{"Shatter", "Slow"} {
		if got := genericReason(en, lx, w, strings.ToLower(w), Verb, 1, true, false, ""); got != "" {
			t.Errorf("heading %q: %q", w, got)
		}
	}
	// A sentence-case heading opened by a plain modifier is a section title.
	if got := genericReason(en, lx, "New towns", "new town", Phrase, 1, true, false, ""); got != reasonMod {
		t.Errorf("heading New towns: %q", got)
	}
	if got := genericReason(en, lx, "New Moon Blade", "new moon blade", Phrase, 1, true, false, ""); got != "" {
		t.Errorf("heading New Moon Blade: %q", got)
	}
	// A phrase the book repeats is a term.
	if got := genericReason(en, lx, "ranged attack", "ranged attack", Phrase, repeatedPhrase, false, false, ""); got != "" {
		t.Errorf("repeated ranged attack: %q", got)
	}
	if got := genericReason(en, lx, "shatter", "shatter", Verb, 1, false, false, "You can cast shatter once a day."); got != "" {
		t.Errorf("cast shatter: %q", got)
	}
	if got := genericReason(en, lx, "cure wounds", "cure wound", Phrase, 1, false, false, "It casts the cure wounds spell."); got != "" {
		t.Errorf("cure wounds spell: %q", got)
	}
	for _, tt := range tests {
		lemma := tt.text
		if got := genericReason(en, lx, tt.text, lemma, tt.pos, 1, false, tt.named, ""); got != tt.want {
			t.Errorf("genericReason(%q, %s, named=%v) = %q, want %q", tt.text, tt.pos, tt.named, got, tt.want)
		}
	}
}

// TestGenericInContext checks the rules that read the candidate's sentence
// and capitals, with the cases of other books that would break them.
func TestGenericInContext(t *testing.T) {
	en, lx := lexicon.PlainEnglish(), lexicon.Default()
	tests := []struct {
		text, lemma string
		pos         POS
		count       int
		heading     bool
		capped      bool
		context     string
		want        string
	}{
		// A capital that only opens the sentence, on a describing word.
		{"New towns", "new town", Phrase, 1, false, true, "New towns immediately gain market.", reasonMod},
		{"Various parts", "various part", Phrase, 1, false, true, "- Various parts of the map are blank.", reasonMod},
		// ... but a participle there names a kind (5e's equipment chapter),
		// a table cell keeps its capitals, and so does a title-case name.
		{"Padded armor", "padded armor", Phrase, 1, false, true, "Padded armor consists of quilted layers of cloth.", ""},
		{"Little bag of sand", "little bag of sand", Phrase, 1, false, true, "Little bag of sand | 1 cp | 1 lb.", ""},
		{"New Moon Blade", "new moon blade", Phrase, 1, false, true, "New Moon Blade glows at night.", ""},
		{"New towns", "new town", Phrase, repeatedPhrase, false, true, "New towns immediately gain market.", ""},
		// A plain plural capitalised once: a list or label, no name.
		{"Crosses", "cross", Noun, 1, false, true, "Pigton, Crosses, Battlemoore, Torsea", reasonPlain},
		// ... but not a singular place name, a coined one, a heading, a
		// kind the book repeats, or a game word.
		{"Shambles", "shambles", Noun, 1, false, true, "Brindenburg, Shambles, Covaner", ""},
		{"Zuipnyrns", "zuipnyrn", Noun, 1, false, true, "The Zuipnyrns hunt in packs.", ""},
		{"Crosses", "cross", Noun, 1, true, true, "Crosses", ""},
		{"Crosses", "cross", Noun, 2, false, true, "Pigton, Crosses, Battlemoore", ""},
		{"Wolves", "wolf", Noun, 1, false, true, "Wolves, Bears and Boars", ""},
		// A common noun's belongings after a determiner.
		{"GM's fronts", "gm's front", Phrase, 1, false, true, "The movement of the GM's fronts will shape the world.", reasonOwner},
		{"player's notes", "player's note", Phrase, 1, false, false, "Check the player's notes.", reasonOwner},
		// ... but a named owner, a title-case name, an owner with no
		// determiner, a plural possessive or a repeated phrase stay.
		{"Tenser's floating disk", "tenser's floating disk", Phrase, 1, false, true, "You cast Tenser's floating disk.", ""},
		{"Nulty's Harbor", "nulty's harbor", Phrase, 1, false, true, "Mayhill, Nulty's Harbor, Castonshire", ""},
		{"Dragon's Breath", "dragon's breath", Phrase, 1, false, true, "The Dragon's Breath is a potion.", ""},
		{"thieves' tools", "thief tool", Phrase, 1, false, false, "You need thieves' tools.", ""},
		{"GM's fronts", "gm's front", Phrase, repeatedPhrase, false, true, "The movement of the GM's fronts.", ""},
		// A present participle describes what it precedes ...
		{"adventuring life", "adventuring life", Phrase, 1, false, false, "Much of the adventuring life is spent in tombs.", reasonMod},
		{"rising tension", "rising tension", Phrase, 1, false, false, "The village feels the rising tension.", reasonMod},
		// ... but not a kind of creature or thing, a fantasy participle,
		// or a lower-case name its sentence marks as one.
		{"riding horse", "riding horse", Phrase, 1, false, false, "It uses the statistics for a riding horse.", ""},
		{"burning hands", "burning hand", Phrase, 1, false, false, "Flames like burning hands.", ""},
		{"shocking grasp", "shocking grasp", Phrase, 1, false, false, "the target of *shocking grasp* takes damage", ""},
		{"shocking grasp", "shocking grasp", Phrase, 1, false, false, "You cast shocking grasp.", ""},
		{"dancing lights", "dancing light", Phrase, 1, false, false, "At will: dancing lights, minor illusion, vicious mockery", ""},
		{"minor illusion", "minor illusion", Phrase, 1, false, false, "At will: dancing lights, minor illusion, vicious mockery", ""},
		{"dancing lights", "dancing light", Phrase, 1, false, false, "Fireflies make dancing lights over the marsh.", reasonMod},
		// An adjective derived from a plain word, which SCOWL's sizes may
		// lack: "organizational" (organization).
		{"organizational tools", "organizational tool", Phrase, 1, false, false, "Fronts are organizational tools, not maps.", reasonMod},
		{"logistical problems", "logistical problem", Phrase, 1, false, false, "It has logistical problems.", reasonMod},
		{"magical tools", "magical tool", Phrase, 1, false, false, "It has magical tools.", ""},
		// A common noun capitalised inside prose is the word (1.0 filtered
		// it in any case) unless the book keeps naming it; in a list of
		// names it is one.
		{"People", "people", Noun, 1, false, true, "They met the People.", reasonPlain},
		{"Place", "place", Noun, 2, false, true, "The Group went to the Place.", reasonPlain},
		{"Protection", "protection", Noun, 1, false, true, "Ring of Protection | 3,500 gp", reasonPlain},
		{"Blight", "blight", Noun, repeatedPhrase, false, true, "The farmers fear the Blight.", ""},
		{"Place", "place", Noun, 1, false, true, "Riverton, Place, Stonebridge", ""},
		{"Place", "place", Noun, 1, false, true, "Riverton, Place, Stonebridge: see the Placename table.", ""},
		// Fantasy words common English also has stay in running prose.
		{"fireball", "fireball", Noun, 1, false, false, "The wizard cast a fireball.", ""},
		{"sorcery", "sorcery", Noun, 1, false, false, "They feared her sorcery.", ""},
	}
	for _, tt := range tests {
		if got := genericReason(en, lx, tt.text, tt.lemma, tt.pos, tt.count, tt.heading, tt.capped, tt.context); got != tt.want {
			t.Errorf("genericReason(%q, count %d, heading %v, capped %v, %q) = %q, want %q", tt.text, tt.count, tt.heading, tt.capped, tt.context, got, tt.want)
		}
	}
}

// TestKeepGeneric checks the hook: plain English is dropped and counted by
// default, kept with KeepGeneric; a heading's name made of common words
// stays either way.
func TestKeepGeneric(t *testing.T) {
	doc := &document.Output{Content: []document.Block{
		{Type: document.Heading, Text: "Hold Person", Page: 1},
		{Type: document.Paragraph, Text: "Every afternoon the wizard arrives with an abrasive cloak, and vice versa.", Page: 1},
	}}
	var dropped int
	cands, err := Extract(context.Background(), doc, Options{Dropped: &dropped})
	if err != nil {
		t.Fatal(err)
	}
	if find(cands, "afternoon", "") != nil || find(cands, "arrives", "") != nil {
		t.Errorf("plain English kept: %v", texts(cands))
	}
	for _, w := range []string{"Hold Person", "wizard", "cloak"} {
		if find(cands, w, "") == nil {
			t.Errorf("%q dropped: %v", w, texts(cands))
		}
	}
	if dropped == 0 {
		t.Error("Dropped not counted")
	}
	all, err := Extract(context.Background(), doc, Options{KeepGeneric: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(cands)+dropped {
		t.Errorf("KeepGeneric: %d candidates, want %d + %d dropped", len(all), len(cands), dropped)
	}
}

func texts(cs []Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Text
	}
	return out
}

func TestOwnLine(t *testing.T) {
	for _, tt := range []struct {
		block, text string
		want        bool
	}{
		{"Cleric Spells\n\nSanctify\n\nRote\n\nFood or water", "Sanctify", true},
		{"## Repair\nYou mend it.", "Repair", true},
		{"You repair the cart and mend it.", "repair", false},
		{"The Repair spell\nmends", "Repair", false},
	} {
		if got := OwnLine(tt.block, tt.text); got != tt.want {
			t.Errorf("ownLine(%q, %q) = %v", tt.block, tt.text, got)
		}
	}
}
