package lemma

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed wordnet.dat.gz
var data []byte

// POS is a WordNet part of speech.
type POS uint8

// The WordNet parts of speech; their values are the bits of the index mask.
const (
	Noun      POS = 1
	Verb      POS = 2
	Adjective POS = 4
	Adverb    POS = 8
)

// rule is one morphy detachment rule: a suffix and its replacement.
type rule struct{ suffix, repl string }

var rules = map[POS][]rule{
	Noun:      {{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
	Verb:      {{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}},
	Adjective: {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
	Adverb:    nil,
}

// Lemmatizer holds the WordNet data. It is immutable and safe for
// concurrent use.
type Lemmatizer struct {
	index map[string]uint32 // low 4 bits: POS mask; the rest: SemCor count
	exc   map[POS]map[string][]string
	// compound holds the last three letters of the noun exceptions a
	// compound may end in (see guessSingular), so most words skip the
	// search.
	compound map[string]bool
}

var (
	once    sync.Once
	def     *Lemmatizer
	loadErr error
)

// Default returns the Lemmatizer built from the embedded data, loaded on
// first use.
func Default() *Lemmatizer {
	once.Do(func() { def, loadErr = Load(bytes.NewReader(data)) })
	if loadErr != nil {
		// The embedded file is generated and tested; failing here is a
		// build defect, not an input problem.
		panic(fmt.Sprintf("lemma: embedded wordnet.dat.gz: %v", loadErr))
	}
	return def
}

// Load reads a data file in the format gen writes (gzip'd).
func Load(r io.Reader) (*Lemmatizer, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("lemma data: %w", err)
	}
	l := &Lemmatizer{
		index: make(map[string]uint32, 90000),
		exc:   map[POS]map[string][]string{Noun: {}, Verb: {}, Adjective: {}, Adverb: {}},
	}
	sc := bufio.NewScanner(zr)
	section := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			section++
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case section == 0 && (len(f) == 2 || len(f) == 3):
			m, err := strconv.Atoi(f[1])
			if err != nil {
				return nil, fmt.Errorf("lemma data: line %q: %w", line, err)
			}
			v := uint32(m & 15)
			if len(f) == 3 {
				c, err := strconv.Atoi(f[2])
				if err != nil {
					return nil, fmt.Errorf("lemma data: line %q: %w", line, err)
				}
				v |= uint32(c) << 4
			}
			l.index[f[0]] = v
		case section == 1 && len(f) == 3:
			p := map[string]POS{"n": Noun, "v": Verb, "a": Adjective, "r": Adverb}[f[0]]
			if p == 0 {
				return nil, fmt.Errorf("lemma data: bad part of speech in %q", line)
			}
			l.exc[p][f[1]] = strings.Fields(f[2])
		default:
			return nil, fmt.Errorf("lemma data: malformed line %q", line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("lemma data: %w", err)
	}
	if len(l.index) == 0 {
		return nil, fmt.Errorf("lemma data: empty index")
	}
	l.compound = map[string]bool{}
	for w := range l.exc[Noun] {
		if len(w) >= 5 || w == "men" {
			l.compound[w[len(w)-3:]] = true
		}
	}
	return l, nil
}

// Has reports whether word is a WordNet lemma of part of speech p.
func (l *Lemmatizer) Has(word string, p POS) bool {
	return l.index[word]&uint32(p) != 0
}

// Known reports whether word is a WordNet lemma of any part of speech.
func (l *Lemmatizer) Known(word string) bool {
	_, ok := l.index[word]
	return ok
}

// Count is the SemCor tag count of lemma over all its senses: how often it
// occurs in tagged general English (0 when WordNet has no tagged sense).
func (l *Lemmatizer) Count(lemma string) int {
	return int(l.index[lemma] >> 4)
}

// Lemma returns the dictionary form of word (lower case expected) as part
// of speech p, or word itself when WordNet cannot reduce it.
func (l *Lemmatizer) Lemma(word string, p POS) string {
	if bases, ok := l.exc[p][word]; ok {
		for _, b := range bases {
			if l.Has(b, p) {
				return b
			}
		}
		return bases[0]
	}
	if l.Has(word, p) {
		return word
	}
	for _, r := range rules[p] {
		if len(word) <= len(r.suffix) || !strings.HasSuffix(word, r.suffix) {
			continue
		}
		stem := word[:len(word)-len(r.suffix)]
		if r.repl != "" {
			stem += r.repl
		}
		// The first rule that yields a lemma wins, so "hoped" gives "hope"
		// (ed -> e) before "hop" (ed -> "").
		if l.Has(stem, p) {
			return stem
		}
	}
	return word
}

// Inflected is Lemma for a word the tagger marked as inflected (a plural,
// a past tense, a comparative): the rules are tried before accepting the
// word itself, so "minutes" gives "minute" and "bones" gives "bone" although
// WordNet also lists "minutes" and "bones" as lemmas.
func (l *Lemmatizer) Inflected(word string, p POS) string {
	if bases, ok := l.exc[p][word]; ok {
		for _, b := range bases {
			if l.Has(b, p) {
				return b
			}
		}
		return bases[0]
	}
	for _, r := range rules[p] {
		if len(word) <= len(r.suffix) || !strings.HasSuffix(word, r.suffix) {
			continue
		}
		stem := word[:len(word)-len(r.suffix)]
		if r.repl != "" {
			stem += r.repl
		}
		if l.Has(stem, p) {
			return stem
		}
	}
	return word
}

// Frequent returns the n lemmas with the highest SemCor counts, most
// frequent first (ties in alphabetical order).
func (l *Lemmatizer) Frequent(n int) []string {
	type wc struct {
		w string
		c uint32
	}
	all := make([]wc, 0, 8192)
	for w, v := range l.index {
		if c := v >> 4; c > 0 {
			all = append(all, wc{w, c})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].c != all[j].c {
			return all[i].c > all[j].c
		}
		return all[i].w < all[j].w
	})
	if n > len(all) {
		n = len(all)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = all[i].w
	}
	return out
}

// Singular returns the singular of the noun w (lower case), made so that a
// plural and its singular meet. Words ending in -ss, -us or -is are their
// own singular ("abyss", "nimbus", "crisis"). A regular plural of a WordNet
// noun loses its ending ("axes" gives "axe", "arms" gives "arm") unless w is
// itself the more frequent lemma ("species", "physics"); then come the
// exception lists ("dwarves", "fungi"; a Latin plural in -a only when its
// singular ends in -on, "criteria", so that names like "Tymora" stay);
// a word WordNet knows is its own singular ("glass", "chaos", "always").
// A word WordNet does not know (a setting's coined name) is read by
// guessSingular.
func (l *Lemmatizer) Singular(w string) string {
	if strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is") {
		return w
	}
	stem := ""
	for _, r := range rules[Noun] {
		if s, ok := strings.CutSuffix(w, r.suffix); ok && s != "" && l.Has(s+r.repl, Noun) {
			stem = s + r.repl
			break
		}
	}
	v, inIndex := l.index[w]
	known := v&uint32(Noun) != 0
	if stem != "" && (!known || l.Count(stem) > int(v>>4)) {
		return stem
	}
	if b := l.irregular(w); b != "" {
		return b
	}
	if inIndex {
		return w
	}
	return l.guessSingular(w)
}

// irregular returns the singular the noun exception list gives w, or "".
func (l *Lemmatizer) irregular(w string) string {
	bases, ok := l.exc[Noun][w]
	if !ok {
		return ""
	}
	b := bases[0]
	for _, x := range bases {
		if l.Has(x, Noun) {
			b = x
			break
		}
	}
	if strings.HasSuffix(w, "a") && !strings.HasSuffix(b, "on") {
		return ""
	}
	return b
}

// guessSingular is Singular for a word WordNet does not know: a compound
// whose last part (after at least three letters; "men" or five letters
// or more) is an irregular plural of a common noun ("lizardmen", "drowelves"; not "-amen" or "-omen" names),
// else the detachment rules without the dictionary check, longest ending
// first. An -os ending, and an "s" after a non-letter ("d20s"), are kept.
func (l *Lemmatizer) guessSingular(w string) string {
	for i := 3; i+3 <= len(w) && l.compound[w[len(w)-3:]]; i++ {
		part := w[i:]
		if part == "men" && strings.ContainsRune("aeioy", rune(w[i-1])) {
			break
		}
		if len(part) < 5 && part != "men" {
			continue
		}
		if b := l.irregular(part); b != "" {
			return w[:i] + b
		}
	}
	n := len(w)
	switch {
	case strings.HasSuffix(w, "os"):
		return w
	case strings.HasSuffix(w, "ies"):
		if n > 4 {
			return w[:n-3] + "y"
		}
		return w[:n-1]
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"),
		strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zzes"):
		return w[:n-2]
	case strings.HasSuffix(w, "oes") && n > 5:
		return w[:n-2]
	case strings.HasSuffix(w, "s"):
		if r, _ := utf8.DecodeLastRuneInString(w[:n-1]); !unicode.IsLetter(r) {
			return w
		}
		return w[:n-1]
	}
	return w
}
