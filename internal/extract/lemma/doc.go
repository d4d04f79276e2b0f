// Package lemma reduces English words to their dictionary form with WordNet's
// morphy algorithm: the exception lists first (dwarves -> dwarf, smote ->
// smite), then the detachment rules per part of speech, accepting only forms
// that are WordNet lemmas. Words WordNet does not know are returned unchanged,
// except by Singular, the one singulariser of term identity (termkey), which
// also reads a setting's coined plurals ("liches", "lizardmen").
//
// The data (lemma index, exception lists and SemCor tag counts, a general
// English frequency) is embedded from wordnet.dat.gz, which `go generate`
// rebuilds from Debian's wordnet-base; see LICENSE-WordNet.txt.
package lemma

//go:generate go run ./gen -wordnet /usr/share/wordnet -o wordnet.dat.gz
