// Package ud speaks Universal Dependencies: it maps the tagger's Penn
// Treebank tags to universal parts of speech (UPOS) and writes sentences as
// CoNLL-U, the format in which every treebank and tagger of the field is
// compared. `corpora extract --conllu` uses it to show what the tagger saw.
//
// The mapping follows the conventions of the UD English treebanks (EWT):
// forms of be are AUX, have and do are AUX before a verb of their clause
// and VERB otherwise, modals are AUX; "to" before a verb, "not", "n't" and
// the possessive 's are PART; possessive determiners and relative
// which/that are PRON; subordinating prepositions are SCONJ.
package ud
