// Package extract turns a DocumentOutput into candidate terms (SPEC section
// 5): it tokenises, splits sentences, tags parts of speech, lemmatises,
// builds 1-4 word candidates, drops junk, ranks by fantasy relevance and
// records count, pages, a context sentence and the first span.
//
// The stages live in subpackages: tokenize (tokens and sentences of
// sourcebook text), tagger (averaged-perceptron part-of-speech tagger with
// an embedded model), lemma (WordNet morphy with embedded data) and lexicon
// (stop words, labels, fantasy lexicon). This package wires them together:
//
//   - tags are corrected for game prose (fixTags): WordNet readings veto
//     impossible tags, context rules fix "spells/VBZ", "hit/VB points",
//     "A dwarf stole/NN a sword";
//   - candidate rules emit single nouns, verbs, adjectives and proper nouns;
//     noun phrases ("ancient red dragon"); capitalised names with connectors
//     ("Ring of Protection", "Detect Evil and Good"); possessive names
//     ("Mordenkainen's Sword"); and whole short table cells, headings and
//     table-row leads ("Little bag of sand");
//   - stop words, generic words, numbers, dice, stat-block labels and the
//     CommonWords most frequent general-English lemmas (unless in the
//     fantasy lexicon) are dropped;
//   - candidates are deduplicated by lemma and part of speech (capitalised
//     forms of known nouns fold into the noun) and scored 0..1.
//
// Extraction streams: an Extractor takes one block at a time and keeps only
// the candidates, so memory grows with the vocabulary, not the book.
package extract
