// Package extract turns a DocumentOutput into candidate terms (SPEC section
// 5): it tokenises, splits sentences, tags parts of speech, lemmatises,
// builds candidates (phrases of 1-4 words; names as long as the book sets
// them), drops junk, ranks by fantasy relevance and records count, pages,
// a context sentence and the first span.
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
//   - lowercase "noun of noun" names with a fantasy head or a gerund
//     object ("wall of fire", "bag of holding");
//   - stop words (number words included), generic words, numbers, dice,
//     stat-block labels (also "Range:", "Duration:" header labels, so no
//     phrase straddles two header lines) and the CommonWords most frequent
//     general-English lemmas (unless in the fantasy lexicon) are dropped;
//   - precision rules: headings worded as clauses ("Before You Set Out",
//     "Reading the Dunes") name nothing; plural section headings ("Places
//     of the Steppe") are dropped when a heading or table follows them;
//     lowercase noun phrases with a generic modifier or only everyday
//     words and nothing fantastic ("main route", "high prices") are
//     dropped; verbs the tagger missed ("Goblins ambush travelers", "a
//     child saw rain") and nouns it took for verbs ("walls of sand") are
//     retagged;
//   - the structure a book marks with type style (document.Block Role and
//     Lead) bounds every term: a name line or heading comes out whole up to
//     ten words ("Amulet of Proof against Detection and Location"), a name
//     in prose up to six when "of" follows its head; a type line gives no
//     names and reaches the classifier as Candidate.TypeLine of the name
//     above it; a run-in label ("Power Strike.") is a segment of its own,
//     and no term when it labels a stat line; each item of a comma or
//     semicolon list is a candidate of its own ("cone of cold (5 charges),
//     fireball, or wall of force"); stat labels of D&D 5e, Pathfinder 2e and
//     old-school games before their numbers are labels wherever a layout
//     puts them ("Goblin Challenge 1/4", "Perception +12", "HD 3, AC 5");
//   - candidates are deduplicated by lemma and part of speech (capitalised
//     forms of known nouns fold into the noun) and scored 0..1.
//   - the generic-term filter (generic.go) drops plain English with no
//     fantasy or game sense (common SCOWL words without a creature, item or
//     person sense, unless the keep-list has them: "afternoon", "Various
//     parts", "nearest steading", "monster problem", "adventuring life",
//     "organizational tools", a plain plural capitalised once: "Crosses")
//     and fragments (stock phrases, bylines, units, label pairs, tag lines,
//     stat labels of other systems, a common noun's belongings: "the GM's
//     fronts", a noun in apposition: "sloop Gull"); a name standing as a
//     heading or capitalised inside a sentence (not only at its start: "New
//     towns immediately gain"), a spell named in lower case ("the cure
//     wounds spell", "At will: dancing lights") and a phrase the book
//     repeats stay. Options.KeepGeneric keeps everything and
//     Options.Dropped counts what was dropped;
//   - each candidate carries the section headings its first occurrence sits
//     under (section.go, Candidate.Section): with heading levels a stack,
//     without them the headings a heading follows directly.
//
// Extraction streams: an Extractor takes one block at a time and keeps only
// the candidates, so memory grows with the vocabulary, not the book.
package extract
