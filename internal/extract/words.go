package extract

import (
	"strings"
	"unicode"

	"github.com/corpora-tools/corpora/internal/extract/lemma"
)

// Words and lemmas: what the rules know about each distinct token text.

// maxWordCache bounds the per-extraction word cache; past it the cache is
// reset, so hostile text with endless distinct tokens cannot grow it.
const maxWordCache = 200_000

// wordInfo is what the rules need about one distinct token text.
type wordInfo struct {
	lower    string
	cap      bool // first letter upper case
	allCaps  bool
	clean    bool // letters with internal - ' / . only
	stop     bool // function word
	generic  bool // generic verb or adjective
	label    bool
	runes    int
	known    bool // a WordNet lemma as written (lower case)
	noun     string
	nounPl   string // plural noun lemma, with a fallback for unknown words
	verb     string
	adj      string
	hasLemma uint8
	wn       uint8 // WordNet readings, as written or inflected: wnNoun|wnVerb|wnAdj, wnDone once computed
}

const (
	wnNoun = 1 << iota
	wnVerb
	wnAdj
	wnDone
)

// readings returns which parts of speech WordNet allows for the word.
func (p *phraser) readings(wi *wordInfo) uint8 {
	if wi.wn&wnDone == 0 {
		lm := p.r.lm
		w := wi.lower
		wi.wn = wnDone
		if lm.Has(w, lemma.Noun) || lm.Has(lm.Inflected(w, lemma.Noun), lemma.Noun) {
			wi.wn |= wnNoun
		}
		if lm.Has(w, lemma.Verb) || lm.Has(lm.Inflected(w, lemma.Verb), lemma.Verb) {
			wi.wn |= wnVerb
		}
		if lm.Has(w, lemma.Adjective) || lm.Has(lm.Inflected(w, lemma.Adjective), lemma.Adjective) {
			wi.wn |= wnAdj
		}
	}
	return wi.wn
}

// info returns the cached facts about token text w.
func (p *phraser) info(w string) *wordInfo {
	if wi, ok := p.words[w]; ok {
		return wi
	}
	if len(p.words) >= maxWordCache {
		clear(p.words)
	}
	wi := &wordInfo{clean: true}
	lower := w
	upper := 0
	letters := 0
	for i, r := range w {
		switch {
		case unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) || unicode.IsTitle(r) {
				upper++
				if i == 0 {
					wi.cap = true
				}
			}
		case unicode.Is(unicode.Mn, r):
		case r == '-' || r == '\'' || r == '/' || r == '.':
		default:
			wi.clean = false
		}
		wi.runes++
	}
	if letters == 0 {
		wi.clean = false
	}
	wi.allCaps = upper > 1 && upper == letters
	if upper > 0 {
		lower = strings.ToLower(w)
	} else {
		lower = strings.Clone(w)
	}
	wi.lower = lower
	lx := p.r.lx
	wi.stop = lx.Stop(lower)
	wi.generic = lx.Generic(lower)
	wi.label = lx.Label(strings.TrimSuffix(lower, "."))
	wi.known = p.r.lm.Known(lower)
	p.words[strings.Clone(w)] = wi
	return wi
}

func (p *phraser) lemmaOf(wi *wordInfo, c tagClass) string {
	lm := p.r.lm
	switch {
	case c == tNouns || c == tPropers:
		if wi.hasLemma&1 == 0 {
			wi.nounPl, wi.hasLemma = p.nounLemma(wi.lower, true), wi.hasLemma|1
		}
		return wi.nounPl
	case c.noun():
		if wi.hasLemma&2 == 0 {
			wi.noun, wi.hasLemma = lm.Lemma(wi.lower, lemma.Noun), wi.hasLemma|2
		}
		return wi.noun
	case c.verb():
		if wi.hasLemma&4 == 0 {
			if c == tVerb {
				wi.verb = lm.Lemma(wi.lower, lemma.Verb)
			} else {
				wi.verb = lm.Inflected(wi.lower, lemma.Verb)
			}
			wi.hasLemma |= 4
		}
		return wi.verb
	default:
		if wi.hasLemma&8 == 0 {
			wi.adj, wi.hasLemma = lm.Lemma(wi.lower, lemma.Adjective), wi.hasLemma|8
		}
		return wi.adj
	}
}

// nounLemma lemmatises a noun; plural says the tagger saw a plural, so a
// word WordNet does not know loses a regular plural ending (tieflings ->
// tiefling, liches -> lich).
func (p *phraser) nounLemma(w string, plural bool) string {
	if !plural {
		return p.r.lm.Lemma(w, lemma.Noun)
	}
	l := p.r.lm.Inflected(w, lemma.Noun)
	if l != w || !plural || p.r.lm.Known(w) || len(w) < 5 {
		return l
	}
	switch {
	case strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

// usable reports a word token that may be part of a candidate.
func usable(wi *wordInfo) bool {
	return wi != nil && wi.clean && !wi.label
}
