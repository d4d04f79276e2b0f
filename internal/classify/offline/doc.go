// Package offline is the embedded default classifier: deterministic, no
// network, no key. It classifies a candidate term from five kinds of
// evidence, each weighed by how much it says about this term:
//
//   - the SRD 5.1 lexicon (spells, monsters, magic items, equipment,
//     conditions), generated from the SRD JSON;
//   - WordNet 3.0: the category of a word's senses (lexicographer file and
//     hypernym anchors) and features spread from seed words through WordNet
//     relations;
//   - morphology: the head noun of a phrase ("Wand of Fireballs" is a wand),
//     compounds of known words ("Cindersong" is cinder + song) and affixes
//     (pyro-, necro-, -mancy, -ling, -bane);
//   - cues in the term's context sentence and text block: stat-block labels
//     mean a creature, "Wondrous item" and prices an item, "Casting Time" and
//     spell schools a spell, "fire damage" the fire energy and axis;
//   - the shape of a name and the words around its mentions (names.go): a
//     place head noun ("Glasswind Steppe", "Hall of Embers") or prefix
//     ("Port X"), a title ("Brother X"), two unknown capitalised words (a
//     person); "in X", "the monasteries of X", "X, the Glass Town" for a
//     place; "a woman named X", "X says", "X is a guide" for a person; "cast
//     X", "the X spell", "spells such as X" for a spell; "harvest X", "a
//     shard of X" for a material; and a run-in heading in a stat block
//     ("Thorned Bite. Melee Weapon Attack: ...") for a creature's action;
//   - evidence that holds beyond one game (evidence.go), each rule with its
//     own weight: the chapter or section an entry sits in ("Bestiary",
//     "Spells", "Magic Items", "Gods"); type and stat lines of other
//     systems right under an entry's name ("Creature 5", "Spell 2", "Item
//     3", "Solitary, Large", "HD 3, AC 5, MV 120'", "Level 1 Ongoing",
//     "Close, 2 weight"); the description's own words ("these creatures",
//     "whoever drinks", "you call down"); a coined name used as a kind ("a
//     vavakia", "the zuipnyrns"), which no person's name is; and the
//     entry's siblings: entries under one heading vote, and an entry whose
//     own evidence is weak (confidence < 0.6) is classified again with the
//     section's majority as prior evidence.
//
// The categories follow classify.CategoryDefinitions, which the LLM prompt
// shares: a kind of person ("guard", "archmage") is a creature; a character
// is one named individual.
//
// Names the lexicons have never seen are classified from the last four. The
// knowledge is embedded (data/), loaded once and never modified; gen/ rebuilds
// it from its sources (see gen/main.go and NOTICE).
package offline
