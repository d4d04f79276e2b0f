package lexicon

import (
	_ "embed"
	"strings"
	"sync"
)

var (
	//go:embed stopwords.txt
	stopwordsTxt string
	//go:embed labels.txt
	labelsTxt string
	//go:embed fantasy.txt
	fantasyTxt string
	//go:embed generic.txt
	genericTxt string
)

// Lexicon is the immutable set of word lists; safe for concurrent use.
type Lexicon struct {
	stop, generic, labels, fantasy map[string]bool
	labelFirst                     map[string]bool // first words of multi-word labels
}

var (
	once sync.Once
	def  *Lexicon
)

// Default returns the embedded lists, parsed on first use.
func Default() *Lexicon {
	once.Do(func() {
		def = &Lexicon{
			stop:    words(stopwordsTxt, false),
			generic: words(genericTxt, false),
			labels:  words(labelsTxt, true),
			fantasy: words(fantasyTxt, false),
		}
		def.labelFirst = map[string]bool{}
		for l := range def.labels {
			if first, _, ok := strings.Cut(l, " "); ok {
				def.labelFirst[first] = true
			}
		}
	})
	return def
}

// words parses a list: '#' comments; entries separated by white space, or
// one per line when lines is set (for multi-word labels).
func words(s string, lines bool) map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(s, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if lines {
			if line = strings.TrimSpace(line); line != "" {
				m[line] = true
			}
			continue
		}
		for _, w := range strings.Fields(line) {
			m[w] = true
		}
	}
	return m
}

// Stop reports a function word or auxiliary (lower case).
func (l *Lexicon) Stop(w string) bool { return l.stop[w] }

// Generic reports a generic verb or adjective (use, make, see, good, new)
// that is no term on its own but may stand inside a name.
func (l *Lexicon) Generic(w string) bool { return l.generic[w] }

// Label reports a stat-block label, table header or page-furniture word or
// phrase (lower case, single spaces).
func (l *Lexicon) Label(w string) bool { return l.labels[w] }

// LabelStart reports a word that begins a multi-word label ("armor" of
// "armor class").
func (l *Lexicon) LabelStart(w string) bool { return l.labelFirst[w] }

// LabelBytes is Label for a byte slice, without allocating.
func (l *Lexicon) LabelBytes(w []byte) bool { return l.labels[string(w)] }

// Fantasy reports a word of the fantasy lexicon (lower case lemma).
func (l *Lexicon) Fantasy(w string) bool { return l.fantasy[w] }
