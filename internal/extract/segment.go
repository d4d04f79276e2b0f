package extract

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/lemma"
	"github.com/corpora-tools/corpora/internal/extract/tokenize"
)

// Segmenting: a block into sentences and segments (a sentence, a table
// cell, a heading), each tagged, with its titles and trait lines found.

// segment tags tokens [from, to) and emits their candidates. cell says the
// segment is a table cell.
func (p *phraser) segment(from, to int, cell bool) {
	p.segFrom, p.segTo = from, to
	toks := p.toks[from:to]
	p.tagRange(toks, cell)
	p.spans = p.spans[:0]
	p.markLabels(toks)
	if p.debug != nil {
		names := p.r.tm.Classes()
		tags := make([]string, len(p.tags))
		for i, t := range p.tags {
			tags[i] = names[t]
		}
		p.debug(p.strs, tags)
	}
	traits := p.traitLine()
	if traits {
		keep := p.role
		p.role = document.RoleTypeLine
		defer func() { p.role = keep }()
	}
	p.singles(toks)
	if p.role == document.RoleTypeLine {
		// "Ring, legendary (requires attunement)", "Large dragon, chaotic
		// evil": what the entry is, not a name; it reaches the classifier
		// as Candidate.TypeLine of the name above.
		return
	}
	p.nounPhrases(toks)
	p.ofPhrases(toks)
	// A name set on a line of its own comes out whole, however long.
	set := (p.btype == document.Heading && from == 0 && to == len(p.toks) || cell) && !endsWithTerminal(p.strs)
	p.maxWords = maxProseName
	if set {
		p.maxWords = maxSetName
	}
	if !p.clause {
		p.names(toks)
	}
	p.maxWords = maxPhraseWords
	p.possessives(toks)
	if p.clause {
		return
	}
	if p.btype != document.Heading {
		p.listItems(toks)
	}
	if cell || p.btype == document.Heading || p.btype == document.Table || !endsWithTerminal(p.strs) {
		if set {
			p.maxWords = maxSetName
		}
		p.whole(toks, cell || p.btype == document.Heading || p.btype == document.Table, len(toks))
		p.maxWords = maxPhraseWords
	}
	// A table row without cell separators (PDF): the words before a price
	// or weight name the item ("Light hammer 2 gp 2 lb.").
	for k := 2; k < len(toks)-1 && k <= 5; k++ {
		if toks[k].Kind == tokenize.Number {
			if u := p.infos[k+1]; u != nil && u.label && p.lineStartAt(p.segFrom) {
				p.whole(toks, true, k)
			}
			break
		}
	}
}

// tagRange fills strs, infos, tags and cls for toks, with the fantasy
// corrections applied.
func (p *phraser) tagRange(toks []tokenize.Token, cell bool) {
	p.strs = p.strs[:0]
	p.infos = p.infos[:0]
	for _, t := range toks {
		w := p.text[t.Start:t.End]
		p.strs = append(p.strs, w)
		if t.Kind == tokenize.Word {
			p.infos = append(p.infos, p.info(w))
		} else {
			p.infos = append(p.infos, nil)
		}
	}
	p.tags = p.tg.Tag(p.tagInput(), p.tags[:0])
	p.cls = p.cls[:0]
	for _, t := range p.tags {
		p.cls = append(p.cls, p.r.class[t])
	}
	p.fixTags(toks)
	p.clause = false
	if p.titleSegment(toks, cell) {
		if p.clause = p.clauseTitle(); p.clause {
			// "Before You Set Out", "Reading the Dunes": a chapter title
			// that is a clause names nothing.
			return
		}
		// A heading, list line or cell in title case is a name: "Sending",
		// "True Seeing", "Power Word Kill". A title-case line in running
		// text keeps its known adjectives ("Great Service", "Too
		// Expensive"): a review title, not an entry's name.
		prose := !cell && p.btype == document.Paragraph
		for i, wi := range p.infos {
			if wi != nil && wi.cap && !p.cls[i].noun() && !connectors[wi.lower] &&
				(!wi.stop || i > 0 && p.infos[i-1] != nil && p.infos[i-1].cap) &&
				!(prose && p.cls[i] == tAdj && !wi.allCaps && wi.known && p.readings(wi)&wnAdj != 0) {
				p.set(i, p.r.tags.NNP, tProper)
			}
		}
	}
}

// tagInput returns the words to tag: the segment's words, except that a
// sentence set in capitals ("THE PEOPLE ARE GOOD.") is tagged as if
// written in sentence case, since the model knows capitals only as the
// mark of a name; its tags then pass the same filters as any other case.
func (p *phraser) tagInput() []string {
	caps := 0
	for i, wi := range p.infos {
		switch {
		case wi == nil:
		case wi.allCaps:
			caps++
		case wi.runes > 1 || !wi.cap && i > 0:
			return p.lowerI() // a word in lower or mixed case
		}
	}
	if caps < 2 || !endsWithTerminal(p.strs) {
		return p.strs // a heading, a label, a trait line: capitals as set
	}
	p.folded = p.folded[:0]
	for i, w := range p.strs {
		if wi := p.infos[i]; wi != nil && (wi.allCaps || wi.runes == 1 && wi.cap) {
			if len(p.folded) == 0 {
				r, n := utf8.DecodeRuneInString(wi.lower)
				w = string(unicode.ToUpper(r)) + wi.lower[n:]
			} else if wi.lower != "i" {
				w = wi.lower
			}
			// The candidate rules, too, see the word as if in sentence
			// case: capitals do not make "PEOPLE" a name.
			p.infos[i] = p.info(w)
		}
		p.folded = append(p.folded, w)
	}
	return p.folded
}

// lowerI returns the segment's words with a pronoun "i", as typed in
// informal text, given to the tagger as "I": the model knows only the
// capital, and takes "i" for a noun that derails the words after it.
func (p *phraser) lowerI() []string {
	if !slices.Contains(p.strs, "i") {
		return p.strs
	}
	p.folded = append(p.folded[:0], p.strs...)
	for i, w := range p.folded {
		if w == "i" {
			p.folded[i] = "I"
		}
	}
	return p.folded
}

// traitLine reports a segment of at least three words, all in capitals,
// with a rarity or size among them: a trait line, which like a type line
// says what the entry is and names nothing.
func (p *phraser) traitLine() bool {
	words, trait := 0, false
	for i, wi := range p.infos {
		if wi == nil {
			if p.strs[i] == "," {
				continue
			}
			return false
		}
		if !wi.allCaps && !(wi.runes == 1 && wi.cap) {
			return false
		}
		words++
		trait = trait || traitWords[wi.lower]
	}
	return trait && words >= 3
}

// titleSegment reports a short segment without terminal punctuation whose
// words are all capitalised, connectors aside.
func (p *phraser) titleSegment(toks []tokenize.Token, cell bool) bool {
	if endsWithTerminal(p.strs) || len(p.infos) > 6 {
		return false
	}
	if !cell && p.btype == document.Paragraph && len(p.infos) > 1 {
		// In running text only a line of its own counts.
		if !p.ownLine() {
			return false
		}
	}
	words := 0
	for i, wi := range p.infos {
		if wi == nil {
			if toks[i].Kind == tokenize.Clitic {
				continue
			}
			return false
		}
		if !wi.cap && !(i > 0 && connectors[wi.lower]) {
			return false
		}
		words++
	}
	return words >= 1 && words <= 5
}

// clauseTitle reports a title segment worded as a clause: it holds a
// pronoun, wh-word or subordinator, or opens with a gerund and a determiner
// ("Reading the Dunes").
func (p *phraser) clauseTitle() bool {
	for i, wi := range p.infos {
		if wi == nil {
			continue
		}
		if clauseTitles[wi.lower] {
			return true
		}
		if i == 0 && strings.HasSuffix(wi.lower, "ing") && len(p.infos) > 2 && p.infos[1] != nil &&
			(p.infos[1].lower == "the" || p.infos[1].lower == "a" || p.infos[1].lower == "an" || p.infos[1].lower == "your") &&
			p.r.lm.Has(p.r.lm.Inflected(wi.lower, lemma.Verb), lemma.Verb) {
			return true
		}
	}
	return false
}

// ownLine reports whether the current segment is a whole line of the block.
// It looks only at the gaps next to the segment, so it costs nothing on
// long lines.
func (p *phraser) ownLine() bool {
	if !p.lineStartAt(p.segFrom) {
		return false
	}
	if p.segTo >= len(p.toks) {
		return true
	}
	return strings.IndexByte(p.text[p.toks[p.segTo-1].End:p.toks[p.segTo].Start], '\n') >= 0
}

func endsWithTerminal(strs []string) bool {
	if len(strs) == 0 {
		return false
	}
	switch strs[len(strs)-1] {
	case ".", "!", "?", ":", ";", "...", "…":
		return true
	}
	return false
}
