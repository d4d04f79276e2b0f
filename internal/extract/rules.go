package extract

import "github.com/corpora-tools/corpora/internal/extract/lexicon"

// The word lists of the tagging and phrase rules, kept as data beside the
// other lists (lexicon/rules.txt, where each is described).
var (
	phraseRules   = lexicon.PhraseRules()
	traitWords    = phraseRules.TraitWords    // a Pathfinder trait line: "UNCOMMON CE LARGE DRAGON"
	clauseTitles  = phraseRules.ClauseTitles  // a title worded as a clause: "Before You Set Out"
	compounds     = phraseRules.Compounds     // noun compounds: "hit points", "saving throw"
	subordinators = phraseRules.Subordinators // a clause opens: "until", "while"
	colonLabels   = phraseRules.ColonLabels   // block header labels: "Casting Time:"
	statLeads     = phraseRules.StatLeads     // stat-line leads before a number: "Speed 30 ft."
	lineLeads     = phraseRules.LineLeads     // stat-line leads: "Senses", "Languages"
	connectors    = phraseRules.Connectors    // inside names: "Ring of Protection"
	genericHeads  = phraseRules.GenericHeads  // after a name, not of it: "the fireball spell"
)
