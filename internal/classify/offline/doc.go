// Package offline is the embedded default classifier: deterministic, no
// network, no key. It classifies a candidate term from four kinds of
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
//     spell schools a spell, "fire damage" the fire energy and axis.
//
// Names the lexicons have never seen are classified from the last two. The
// knowledge is embedded (data/), loaded once and never modified; gen/ rebuilds
// it from its sources (see gen/main.go and NOTICE).
package offline
