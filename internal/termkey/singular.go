package termkey

import "github.com/corpora-tools/corpora/internal/extract/lemma"

// plurals are the plurals WordNet does not undo: setting creatures it does
// not list ("pegasi", "slaadi"), and plurals it keeps as lemmas of their
// own ("people", "dice") that a term should still share with the singular.
var plurals = map[string]string{
	"pegasi": "pegasus", "slaadi": "slaad", "people": "person", "dice": "die",
}

// Singular returns the singular of one folded word, so that plural and
// singular meet ("harpies" and "harpy", "liches" and "lich", "wolves" and
// "wolf"): WordNet's, by lemma.Lemmatizer.Singular. Words of three letters
// or fewer are left alone ("gas", "kas").
func Singular(w string) string {
	if len(w) <= 3 {
		return w
	}
	if s, ok := plurals[w]; ok {
		return s
	}
	return lemma.Default().Singular(w)
}
