package extract

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/lemma"
	"github.com/corpora-tools/corpora/internal/extract/tagger"
	"github.com/corpora-tools/corpora/internal/extract/tokenize"
)

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
func (p *pipeline) readings(wi *wordInfo) uint8 {
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

// pipeline is the per-Extractor scratch state: token, sentence and tag
// buffers reused across blocks, and the word cache.
type pipeline struct {
	r  *resources
	ex *Extractor
	tg *tagger.Tagger

	words map[string]*wordInfo
	toks  []tokenize.Token
	sents []tokenize.Sentence
	strs  []string
	// folded are the words of a capitals sentence as tagged (tagInput).
	folded []string
	infos  []*wordInfo
	tags   []tagger.Tag
	cls    []tagClass
	kbuf   []byte
	tbuf   []byte
	lbuf   []byte
	spans  [][2]int

	// debug, when set (tests), sees each segment's words and final tags.
	debug func(strs, tags []string)

	// labelInfo stands in for the wordInfo of a word used as a label.
	labelInfo wordInfo

	// current block
	text      string
	btype     document.BlockType
	page      int
	runeBase  int
	curByte   int
	curRune   int
	sentStart int
	sentEnd   int
	segFrom   int  // current segment: tokens [segFrom, segTo) of the block
	clause    bool // the segment is a title worded as a clause
	title     bool // the phrase being emitted may be a section title (pluralTitle)
	segTo     int
	maxWords  int           // the longest phrase emitted now, in words
	role      document.Role // the block's role (a type line gives no names)
	lead      bool          // the block is a run-in label
}

func newPipeline(r *resources, ex *Extractor) *pipeline {
	return &pipeline{r: r, ex: ex, tg: r.tm.NewTagger(), words: map[string]*wordInfo{},
		labelInfo: wordInfo{label: true, stop: true, wn: wnDone}, maxWords: maxPhraseWords}
}

// info returns the cached facts about token text w.
func (p *pipeline) info(w string) *wordInfo {
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

func (p *pipeline) lemmaOf(wi *wordInfo, c tagClass) string {
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
func (p *pipeline) nounLemma(w string, plural bool) string {
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

// block runs one block through tokenise, split, tag and candidate rules.
func (p *pipeline) block(ctx context.Context, text string, bt document.BlockType, page, runeBase int) error {
	p.text, p.btype, p.page, p.runeBase = text, bt, page, runeBase
	p.curByte, p.curRune = 0, 0
	p.toks = tokenize.Tokens(p.toks[:0], text)
	p.sents = tokenize.Sentences(p.sents[:0], text, p.toks)
	for n, s := range p.sents {
		if n%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		p.sentStart, p.sentEnd = p.toks[s.From].Start, p.toks[s.To-1].End
		// Table cells are tagged and searched one by one; the row stays the
		// context sentence. In a list or table every line is an item (a
		// list set in columns): a term never runs from one into the next.
		from := s.From
		lines := bt == document.List || bt == document.Table
		for i := s.From; i <= s.To; i++ {
			if i == s.To || p.toks[i].Kind == tokenize.Cell {
				if i > from {
					p.segment(from, i, i < s.To || from > s.From)
				}
				from = i + 1
			} else if lines && i > from && strings.IndexByte(text[p.toks[i-1].End:p.toks[i].Start], '\n') >= 0 {
				p.segment(from, i, false)
				from = i
			}
		}
	}
	p.text = ""
	return nil
}

// segment tags tokens [from, to) and emits their candidates. cell says the
// segment is a table cell.
func (p *pipeline) segment(from, to int, cell bool) {
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
func (p *pipeline) tagRange(toks []tokenize.Token, cell bool) {
	p.strs = p.strs[:0]
	p.infos = p.infos[:0]
	for _, t := range toks {
		w := p.text[t.Start:t.End]
		p.strs = append(p.strs, w)
		if t.Kind == tokenize.Word {
			p.infos = append(p.infos, p.info(w))
			p.ex.words++
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
		// "True Seeing", "Power Word Kill".
		for i, wi := range p.infos {
			if wi != nil && wi.cap && !p.cls[i].noun() && !connectors[wi.lower] &&
				(!wi.stop || i > 0 && p.infos[i-1] != nil && p.infos[i-1].cap) {
				p.set(i, p.r.tags.NNP, tProper)
			}
		}
	}
}

// tagInput returns the words to tag: the segment's words, except that a
// sentence set in capitals ("THE PEOPLE ARE GOOD.") is tagged as if
// written in sentence case, since the model knows capitals only as the
// mark of a name; its tags then pass the same filters as any other case.
func (p *pipeline) tagInput() []string {
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
func (p *pipeline) lowerI() []string {
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
func (p *pipeline) traitLine() bool {
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
func (p *pipeline) titleSegment(toks []tokenize.Token, cell bool) bool {
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
func (p *pipeline) clauseTitle() bool {
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
func (p *pipeline) ownLine() bool {
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

// fixTags corrects tagger errors that fantasy rulebooks provoke: first
// lexically (a tag WordNet allows no reading for), then from context.
func (p *pipeline) fixTags(toks []tokenize.Token) {
	p.fixLexical()
	p.fixMissedVerb()
	p.fixContext()
	p.fixFalseVerbs()
}

// fixFalseVerbs turns verb tags that the context rules out into nouns or
// adjectives: "walls/VBZ of sand", "treats sand/VB, dust", "have
// advantage/VB on", "the city gates/VBZ without", "a gentle/VB, constant
// breeze", "in shrill/VB, piercing notes".
func (p *pipeline) fixFalseVerbs() {
	r := p.r
	n := len(p.cls)
	for i := 1; i < n; i++ {
		wi, pw := p.infos[i], p.infos[i-1]
		c, prev := p.cls[i], p.cls[i-1]
		if wi == nil || wi.stop || wi.cap || !(c == tVerb || c == tVBZ) {
			continue
		}
		next, nextStr := tOther, ""
		if i+1 < n {
			next, nextStr = p.cls[i+1], p.strs[i+1]
		}
		wn := p.readings(wi)
		plural := strings.HasSuffix(wi.lower, "s")
		switch {
		case c == tVBZ && plural && nextStr == "of" && !(prev.noun() || prev == tPron) && wn&wnNoun != 0:
			p.set(i, r.tags.NNS, tNouns) // "walls of sand"
		case c == tVBZ && plural && (prev == tNoun || prev == tNouns) && pw != nil && !pw.stop && next == tIN && !subordinators[nextStr] &&
			p.finiteBefore(i-1) && wn&wnNoun != 0:
			p.set(i, r.tags.NNS, tNouns) // "leave the city gates without"
		case c == tVBZ:
		case pw == nil && p.strs[i-1] != "," && p.strs[i-1] != ";":
		case pw != nil && (pw.lower == "have" || pw.lower == "has" || pw.lower == "had") && p.tags[i] != r.tags.VBN && wn&wnNoun != 0:
			p.set(i, r.tags.NN, tNoun) // "have advantage on"
		case (prev == tVBZ || prev == tVBD) && pw != nil && !pw.stop && !pw.generic && wn&wnNoun != 0 &&
			(nextStr == "," || next == tCC || next == tIN || nextStr == "." || next.noun()):
			p.set(i, r.tags.NN, tNoun) // "treats sand, dust"
		case (prev == tDet || prev == tIN || prev == tPossPron || prev == tAdj) && pw != nil && !relative(pw.lower) &&
			(nextStr == "," || next == tAdj || next.noun()) && wn&wnAdj != 0:
			p.set(i, r.tags.JJ, tAdj) // "a gentle, constant breeze"
		}
	}
}

// fixMissedVerb finds the verb of a clause tagged as a noun: "A dwarf
// stole a sword" (NN followed by a determiner, no verb before it).
func (p *pipeline) fixMissedVerb() {
	r := p.r
	for i := 1; i+1 < len(p.cls); i++ {
		wi := p.infos[i]
		c, prev, next := p.cls[i], p.cls[i-1], p.cls[i+1]
		if wi != nil && !wi.stop && !wi.cap && (c == tNoun || c == tAdj) && p.plainVerb(i, prev, next) {
			continue
		}
		if wi == nil || wi.stop || wi.cap || !(c == tNoun || c == tAdj) || !(next == tDet || next == tPossPron) ||
			!(prev == tNoun || prev == tAdj || prev == tNouns) || p.finiteBefore(i) || p.readings(wi)&wnVerb == 0 {
			continue
		}
		switch {
		case !r.lm.Has(wi.lower, lemma.Verb) || strings.HasSuffix(wi.lower, "ed"):
			p.set(i, r.tags.VBD, tVBD)
		case strings.HasSuffix(wi.lower, "s"):
			p.set(i, r.tags.VBZ, tVBZ)
		default:
			p.set(i, r.tags.VBP, tVerb)
		}
		if prev == tAdj && p.infos[i-1] != nil && p.readings(p.infos[i-1])&wnNoun != 0 {
			p.set(i-1, r.tags.NN, tNoun)
		}
	}
}

// plainVerb retags the noun at i between two nouns as the clause's verb
// when its form says so, and reports whether it did: a plural subject
// before a base-form verb ("Goblins ambush travelers") or an irregular
// past form ("a child saw rain"), with no finite verb before it.
func (p *pipeline) plainVerb(i int, prev, next tagClass) bool {
	r := p.r
	wi := p.infos[i]
	object := next == tPron || next == tDet || next == tPossPron // "Guides cross it", "saw the rain"
	if !(next.noun() || next == tAdj || object) || p.infos[i+1] == nil || p.infos[i+1].stop && !object ||
		p.cls[i] == tAdj && !object {
		return false
	}
	pw := p.infos[i-1]
	// A plural subject; sentence-initial "Guides" comes tagged NNP.
	pluralSubj := pw != nil && !pw.stop && (prev == tNouns || prev == tPropers ||
		prev == tProper && i == 1 && strings.HasSuffix(pw.lower, "s") && r.lm.Inflected(pw.lower, lemma.Noun) != pw.lower)
	switch {
	case pluralSubj && r.lm.Has(wi.lower, lemma.Verb) &&
		!strings.HasSuffix(wi.lower, "s") && !p.compound(i-1) && (object || !p.r.lx.Fantasy(wi.lower)) && !p.finiteBefore(i):
		p.set(i, r.tags.VBP, tVerb)
	case (prev == tNoun || prev == tNouns) && irregularPast(r.lm, wi.lower):
		p.set(i, r.tags.VBD, tVBD)
	default:
		return false
	}
	return true
}

// irregularPast reports a past-tense form whose verb lemma is another word
// ("saw" of "see", "stole" of "steal"), not a regular -ed form.
func irregularPast(lm *lemma.Lemmatizer, w string) bool {
	if strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "s") {
		return false
	}
	l := lm.Inflected(w, lemma.Verb)
	return l != w && lm.Has(l, lemma.Verb)
}

func (p *pipeline) fixLexical() {
	r := p.r
	for i, wi := range p.infos {
		if wi == nil || !wi.clean {
			continue
		}
		c := p.cls[i]
		tag := p.tags[i]
		if (wi.lower == "more" || wi.lower == "less") && c == tAdj && i+1 < len(p.cls) && p.cls[i+1] == tAdj {
			p.set(i, r.tags.RBR, tAdv) // "more powerful"
			continue
		}
		if wi.stop {
			continue
		}
		if r.punct[tag] {
			p.set(i, r.tags.NN, tNoun) // "Hourglass/$ 25 gp": a word is no symbol
			c, tag = tNoun, r.tags.NN
		}
		if c == tPron {
			p.set(i, r.tags.NN, tNoun) // "Each elf": not a pronoun
			c = tNoun
		}
		wn := p.readings(wi)
		if wn&(wnNoun|wnVerb|wnAdj) == 0 && !p.r.lm.Known(p.lemmaOf(wi, tNouns)) {
			switch {
			case wi.cap && (c == tNoun || c == tAdj):
				p.set(i, r.tags.NNP, tProper) // "Tiamat", "Vecna"
			case (c == tVerb || c == tVBZ) && !wi.cap && !strings.HasSuffix(wi.lower, "s"):
				p.set(i, r.tags.NN, tNoun) // "druidcraft": an unknown word is a name, not a verb
			case c == tAdj && i > 0 && p.cls[i-1] == tDet && i+1 < len(p.cls) && !p.cls[i+1].noun() && p.cls[i+1] != tAdj,
				c == tAdj && i > 0 && p.cls[i-1] == tDet && i+1 < len(p.cls) && p.cls[i+1] == tNouns && p.infos[i+1] != nil && p.readings(p.infos[i+1])&wnVerb != 0:
				p.set(i, r.tags.NN, tNoun) // "the yuan-ti hisses"
			}
			continue
		}
		plural := strings.HasSuffix(wi.lower, "s")
		switch {
		case c.verb() && wn&wnVerb == 0 && wn&wnNoun != 0:
			if plural && c == tVBZ {
				p.set(i, r.tags.NNS, tNouns)
			} else {
				p.set(i, r.tags.NN, tNoun) // "weave magic"
			}
		case c.verb() && wn&wnVerb == 0 && wn&wnAdj != 0:
			p.set(i, r.tags.JJ, tAdj)
		case c == tNouns && wn&wnNoun == 0 && wn&wnVerb != 0 && plural:
			p.set(i, r.tags.VBZ, tVBZ) // "that fails"
		case c == tAdj && wn&wnAdj == 0 && wn&wnNoun != 0:
			p.set(i, r.tags.NN, tNoun) // "the cleric"
		case c == tNoun && wn&wnNoun == 0 && wn&wnVerb != 0:
			if r.lm.Has(wi.lower, lemma.Verb) {
				p.set(i, r.tags.VB, tVerb)
			} else {
				p.set(i, r.tags.VBN, tVBN) // "damage dealt"
			}
		case c == tNoun && wn&wnNoun == 0 && wn&wnAdj != 0:
			p.set(i, r.tags.JJ, tAdj)
		case c == tNoun && wn == wnDone && r.lm.Has(wi.lower, lemma.Adverb):
			p.set(i, r.tags.RB, tAdv) // "randomly"
		case (tag == r.tags.VBP || tag == r.tags.VBZ) && !plural && !r.lm.Has(wi.lower, lemma.Verb) && wn&wnVerb != 0:
			p.set(i, r.tags.VBD, tVBD) // "smote", "stole", "hid"
		case c == tVBD && plural && !strings.HasSuffix(wi.lower, "ed"):
			p.set(i, r.tags.VBZ, tVBZ) // "engulfs"
		}
	}
}

func relative(w string) bool { return w == "that" || w == "which" || w == "who" }

// finiteBefore reports a finite verb in the clause before token i.
func (p *pipeline) finiteBefore(i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch p.cls[j] {
		case tVBZ, tVBD, tMD:
			return true
		case tVerb:
			if p.tags[j] == p.r.tags.VBP {
				return true
			}
		}
		if p.infos[j] == nil && (p.strs[j] == "," || p.strs[j] == ";") || relative(p.strs[j]) {
			return false
		}
	}
	return false
}

func (p *pipeline) fixContext() {
	r := p.r
	for i := range p.cls {
		wi := p.infos[i]
		if wi == nil {
			continue
		}
		prev := tOther
		if i > 0 {
			prev = p.cls[i-1]
		}
		if i+1 < len(p.cls) && p.infos[i+1] != nil {
			for _, second := range compounds[wi.lower] {
				if p.infos[i+1].lower == second {
					p.set(i, r.tags.NN, tNoun)
					if strings.HasSuffix(second, "s") {
						p.set(i+1, r.tags.NNS, tNouns)
					} else {
						p.set(i+1, r.tags.NN, tNoun)
					}
				}
			}
		}
		c := p.cls[i]
		next := tOther
		if i+1 < len(p.cls) {
			next = p.cls[i+1]
		}
		switch {
		case c == tNouns && strings.HasSuffix(wi.lower, "s") && i > 0 && p.readings(wi)&wnVerb != 0 &&
			(prev == tNoun || prev == tProper || relative(p.strs[i-1]) || prev == tCC && p.finiteBefore(i-1)) &&
			!(prev == tCC) == !p.finiteBefore(i) && next != tMD && !next.verb() && !p.compound(i-1):
			// "the yuan-ti hisses", "a creature that fails", "... and
			// strikes": a subject and no verb yet make the -s word a verb.
			p.set(i, r.tags.VBZ, tVBZ)
		case c == tAdj && i > 0 && prev == tDet && (next == tOther || next == tIN || next.verb() || next == tMD || next == tCC) &&
			p.readings(wi)&wnNoun != 0 && !p.infos[i].stop:
			p.set(i, r.tags.NN, tNoun) // "as a ritual."
		case c == tNoun && prev == tDet && next == tAdj && i+2 < len(p.cls) && p.cls[i+2].noun() && p.readings(wi)&wnAdj != 0:
			p.set(i, r.tags.JJ, tAdj) // "the ancient red dragon"
		case c == tNoun && prev == tDet && (next == tNoun || next == tNouns) && adjectiveForm(wi.lower) &&
			p.infos[i+1] != nil && !p.infos[i+1].stop && r.lm.Has(wi.lower, lemma.Adjective):
			p.set(i, r.tags.JJ, tAdj) // "the ancient dragon"
		case c == tAdv && strings.HasSuffix(wi.lower, "ly") && (next == tNoun || next == tNouns) && !wi.stop &&
			p.infos[i+1] != nil && r.lm.Has(wi.lower, lemma.Adjective):
			p.set(i, r.tags.JJ, tAdj) // "breathed deadly fire": no adverb modifies a noun
		case c == tVBZ && !(i > 0 && relative(p.strs[i-1])) && (i == 0 || prev == tDet || prev == tAdj || prev == tPossPron || prev == tPOS || prev == tCD ||
			prev == tIN || prev.verb() || prev == tMD || prev == tTO):
			// "some spells", "cast spells", "his spells": a verb cannot
			// follow these, so the -s word is a plural noun.
			p.set(i, r.tags.NNS, tNouns)
		case c == tAdj && (prev == tNoun || prev == tAdj || prev == tDet) && i+1 < len(p.cls) &&
			(p.cls[i+1] == tVBZ || p.cls[i+1] == tVBD || p.cls[i+1] == tMD):
			// "a fire elemental emerges": the word before the verb heads
			// the subject.
			p.set(i, r.tags.NN, tNoun)
		case c == tVerb && (prev == tDet || prev == tPossPron || prev == tPOS || prev == tAdj) && p.r.lx.Fantasy(wi.lower):
			p.set(i, r.tags.NN, tNoun)
		case wi.cap && !wi.allCaps && i > 0 && p.infos[i-1] != nil && (c == tVerb || c == tVBZ || c == tVBD || c == tAdj || c == tAdv) &&
			!wi.stop && (p.infos[i-1].cap || !wi.known):
			// Capitalised inside a sentence next to another capital: a
			// name ("Mind Flayer", "Power Word Kill").
			p.set(i, r.tags.NNP, tProper)
		}
	}
}

// adjectiveForm reports a word with an adjective's ending ("ancient",
// "venomous", "mystic"), which before a noun is rather an adjective than
// a noun modifier.
func adjectiveForm(w string) bool {
	for _, suf := range []string{"ent", "ous", "ful", "ive", "less", "ish", "ible", "able", "ic"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			return true
		}
	}
	return false
}

func (p *pipeline) set(i int, t tagger.Tag, c tagClass) { p.tags[i], p.cls[i] = t, c }

// markLabels hides stat-block labels from the candidate rules: known
// label phrases ("Armor Class") and the capitalised words that open a line
// and precede a number ("Challenge 3 (700 XP)", "Speed 30 ft.").
func (p *pipeline) markLabels(toks []tokenize.Token) {
	lb := p.lbuf[:0]
	for i := 0; i+1 < len(p.infos); i++ {
		if p.infos[i] == nil || !p.r.lx.LabelStart(p.infos[i].lower) {
			continue
		}
		for n := 5; n >= 2; n-- {
			if i+n > len(p.infos) {
				continue
			}
			lb = lb[:0]
			ok := true
			for k := i; k < i+n; k++ {
				if p.infos[k] == nil {
					ok = false
					break
				}
				if k > i {
					lb = append(lb, ' ')
				}
				lb = append(lb, p.infos[k].lower...)
			}
			if ok && p.r.lx.LabelBytes(lb) {
				for k := i; k < i+n; k++ {
					p.infos[k] = &p.labelInfo
				}
				break
			}
		}
	}
	p.lbuf = lb
	p.markColonLabels()
	statLine := p.role == document.RoleStats || p.statPairs(toks) >= 3
	for i := 0; i+1 < len(toks); i++ {
		wi := p.infos[i]
		if wi == nil || wi.label {
			continue
		}
		lineStart := p.lineStartAt(p.segFrom + i)
		// "Senses darkvision 60 ft.", "Languages Abyssal", and the same
		// run into the line before it ("poisoned Senses darkvision"); not
		// inside a name ("Keen Senses").
		if lineLeads[wi.lower] && (lineStart || wi.cap && i > 0 && !(p.infos[i-1] != nil && p.infos[i-1].cap)) {
			p.infos[i] = &p.labelInfo
			continue
		}
		// In a stat block, or a line of three or more "Label number"
		// pairs, any capitalised word before its number is a label, so
		// systems with labels of their own are read too ("Parry 6;
		// Toughness 8", "Agility d8, Smarts d6, Vigor d8").
		if !(statLeads[wi.lower] || statLine && wi.cap) || !lineStart && !wi.cap {
			continue
		}
		// A stat label before its number, wherever a layout put it:
		// "Challenge 5 (1,800 XP)", "Hit Points 45", "Perception +12",
		// "Creature 5", "HD 3, AC 5, MV 120'".
		// At a line start a label may run to three words ("Hit Dice 2");
		// in mid-line it is one word, so it cannot take the name before
		// a price for itself ("Item Cost Speed Galley 30,000 gp").
		n := i + 1
		for lineStart && n < len(toks) && n < i+3 && p.infos[n] != nil && p.infos[n].cap && p.infos[n].clean {
			n++
		}
		if n < len(toks) && p.numeric(toks, n) { // "Save F2", "Agility d8"
			for k := i; k < n; k++ {
				p.infos[k] = &p.labelInfo
			}
			i = n
		}
	}
}

// statPairs counts the "Label number" pairs of the segment: a capitalised
// word directly followed by a number or dice, opening the segment, a line
// or a part after a comma or semicolon ("Parry 7; Toughness 9"). A table
// row run together by a layout ("Shortbow 25 gp ... Whip 2 gp") has its
// pairs in mid-line, not after separators.
func (p *pipeline) statPairs(toks []tokenize.Token) int {
	n := 0
	for i := 0; i+1 < len(toks); i++ {
		wi := p.infos[i]
		if wi == nil || !wi.cap || !wi.clean || !p.numeric(toks, i+1) {
			continue
		}
		if i == 0 || p.strs[i-1] == "," || p.strs[i-1] == ";" || p.lineStartAt(p.segFrom+i) {
			n++
		}
	}
	return n
}

// numeric reports a number, dice or a code with digits ("d8", "F2") at
// token i of the segment.
func (p *pipeline) numeric(toks []tokenize.Token, i int) bool {
	k := toks[i].Kind
	return k == tokenize.Number || k == tokenize.Dice || k == tokenize.Word && strings.ContainsAny(p.strs[i], "0123456789")
}

// markColonLabels hides the capitalised header labels of spell and item
// blocks that end in a colon ("Casting Time: 1 action", "Range: Touch"),
// so no phrase straddles two header lines ("action Range", "V Duration").
func (p *pipeline) markColonLabels() {
	for k := 1; k < len(p.strs); k++ {
		if p.strs[k] != ":" {
			continue
		}
		for n := 1; n <= 2 && n <= k; n++ {
			a := k - n
			first := p.infos[a]
			if first == nil || !first.cap || first.label {
				continue
			}
			key := first.lower
			if n == 2 {
				if p.infos[a+1] == nil {
					continue
				}
				key += " " + p.infos[a+1].lower
			}
			if colonLabels[key] {
				for i := a; i < k; i++ {
					p.infos[i] = &p.labelInfo
				}
				break
			}
		}
	}
}

// lineStartAt reports whether token g of the block is the first on its line.
func (p *pipeline) lineStartAt(g int) bool {
	return g == 0 || strings.IndexByte(p.text[p.toks[g-1].End:p.toks[g].Start], '\n') >= 0
}

// usable reports a word token that may be part of a candidate.
func usable(wi *wordInfo) bool {
	return wi != nil && wi.clean && !wi.label
}

// singles emits nouns, verbs, adjectives and proper nouns.
func (p *pipeline) singles(toks []tokenize.Token) {
	r := p.r
	for i, wi := range p.infos {
		if !usable(wi) || wi.stop || wi.generic || wi.runes < 3 {
			continue
		}
		c := p.cls[i]
		var pos POS
		switch {
		case c == tProper || c == tPropers:
			if !wi.cap || (i == 0 && wi.known && !wi.allCaps) {
				// Sentence-initial capital of a common word: its WordNet
				// reading decides.
				wn := p.readings(wi)
				switch {
				case wn&wnNoun != 0 || wn == wnDone:
					if c == tPropers {
						c = tNouns
					} else {
						c = tNoun
					}
					pos = Noun
				case wn&wnAdj != 0:
					c, pos = tAdj, Adjective
				default:
					c, pos = tVerb, Verb
				}
			} else {
				pos = ProperNoun
			}
		case c.noun():
			pos = Noun
		case c == tVBN || c == tVBD:
			pos = Verb
			// "blinded", "grappled": conditions; but a past tense between
			// its subject and its object ("the wizard cast a spell") is the
			// clause's verb.
			finite := c == tVBD && i > 0 && i+1 < len(p.cls) && (p.cls[i-1].noun() || p.cls[i-1] == tPron)
			if finite {
				next := p.cls[i+1]
				finite = next == tDet || next == tPossPron || next == tAdj || next.noun()
			}
			if !finite && (r.lm.Has(wi.lower, lemma.Adjective) || r.lx.Fantasy(wi.lower)) {
				pos = Adjective
			}
		case c.verb():
			pos = Verb
		case c == tAdj:
			pos = Adjective
		default:
			continue
		}
		if pos == ProperNoun && p.role == document.RoleTypeLine {
			continue // "Group, Large": a type line names nothing
		}
		var lem string
		switch pos {
		case ProperNoun:
			lem = p.strs[i]
		case Adjective:
			if c == tVBN || c == tVBD {
				lem = wi.lower
			} else {
				lem = p.lemmaOf(wi, tAdj)
			}
		default:
			lem = p.lemmaOf(wi, c)
		}
		if pos != ProperNoun && (r.common[lem] || r.lx.Stop(lem) || r.lx.Generic(lem)) {
			continue
		}
		p.emit(occurrence{pos: pos, lemma: lem, text: p.strs[i], capInner: wi.cap && i > 0}, toks[i].Start, toks[i].End)
	}
}

// nounPhrases emits 2-4 word noun phrases: runs of adjectives and nouns
// ending in a noun ("ancient red dragon", "magic missile").
func (p *pipeline) nounPhrases(toks []tokenize.Token) {
	n := len(p.infos)
	for i := 0; i < n; {
		if !p.npWord(i) {
			i++
			continue
		}
		j := i
		for j < n && p.npWord(j) {
			j++
		}
		// Run [i, j). A participle may open it only after a determiner or
		// adjective-like word: "a flaming sphere", not "by casting spells".
		start := i
		for start < j && !p.infos[start].cap && (p.cls[start] == tVBG || p.cls[start] == tVBN) &&
			(p.infos[start].generic || !p.participleOK(start)) {
			start++
		}
		for b := start + 1; b < j; b++ {
			// Phrases end at the run's head, or before a generic head
			// ("magic missile" in "magic missile spell").
			if !p.cls[b].noun() || b+1 < j && !(b+2 == j && genericHeads[p.infos[b+1].lower] && !p.compound(b)) {
				continue
			}
			for a := max(start, b-3); a < b; a++ {
				if (p.cls[a] == tVBG || p.cls[a] == tVBN) && a != start && !p.infos[a].cap {
					continue
				}
				if p.genericPhrase(a, b) {
					continue
				}
				p.phrase(toks, a, b)
			}
		}
		i = j
	}
}

// ofPhrases emits lowercase "noun of noun" names in running text: "bag of
// holding", "potion of healing", "wall of fire". The object is a bare noun
// or gerund (no determiner, not followed by more of the noun phrase), and
// the head must be a fantasy word or the object a gerund, so "piece of
// paper" and "taste of iron" are left out.
func (p *pipeline) ofPhrases(toks []tokenize.Token) {
	r := p.r
	n := len(p.infos)
	for i := 1; i+1 < n; i++ {
		of := p.infos[i]
		if of == nil || of.lower != "of" || of.cap {
			continue
		}
		h, o := p.infos[i-1], p.infos[i+1]
		if !usable(h) || !usable(o) || h.cap || o.cap || h.stop || o.stop || h.generic || o.generic ||
			h.runes < 3 || o.runes < 3 || !(p.cls[i-1] == tNoun || p.cls[i-1] == tNouns) {
			continue
		}
		gerund := p.cls[i+1] == tVBG || p.cls[i+1] == tNoun && strings.HasSuffix(o.lower, "ing")
		if !(p.cls[i+1] == tNoun || gerund) || i+2 < n && p.infos[i+2] != nil && !p.infos[i+2].stop &&
			!(p.cls[i+2].verb() && p.cls[i+2] != tVBG || p.cls[i+2] == tMD || p.cls[i+2] == tAdv) {
			continue // "curtain of drifting ash": the object goes on
		}
		hl := p.lemmaOf(h, p.cls[i-1])
		if r.common[hl] {
			continue
		}
		if gerund || r.lx.Fantasy(hl) {
			p.phrase(toks, i-1, i+1)
		}
	}
}

// genericPhrase reports a lowercase noun phrase with nothing fantastic or
// name-like in it: no capital, no word of the fantasy lexicon, none unknown
// to WordNet, and either a generic modifier ("good story", "main route",
// "high prices") or only everyday words ("blue water", "bright sky").
// Compounds the rules know ("hit points") are kept.
func (p *pipeline) genericPhrase(a, b int) bool {
	r := p.r
	everyday := true
	for i := a; i <= b; i++ {
		wi := p.infos[i]
		if wi.cap || p.compound(i) {
			return false
		}
		l := p.lemmaOf(wi, p.cls[i])
		// A generic adjective in front is no fantasy word even when the
		// lexicon lists it ("good" the alignment, in "good story").
		modifier := i == a && wi.generic && p.cls[i] == tAdj
		if !modifier && (r.lx.Fantasy(wi.lower) || r.lx.Fantasy(l)) || !r.lm.Known(l) && !r.lm.Known(wi.lower) {
			return false
		}
		if !r.general[l] {
			everyday = false
		}
	}
	return everyday || p.infos[a].generic && p.cls[a] == tAdj
}

// compound reports whether tokens i and i+1 form a known noun compound.
func (p *pipeline) compound(i int) bool {
	if i+1 >= len(p.infos) || p.infos[i] == nil || p.infos[i+1] == nil {
		return false
	}
	for _, second := range compounds[p.infos[i].lower] {
		if p.infos[i+1].lower == second {
			return true
		}
	}
	return false
}

func (p *pipeline) npWord(i int) bool {
	wi := p.infos[i]
	if !usable(wi) || wi.stop {
		return false
	}
	switch p.cls[i] {
	case tNoun, tNouns, tProper, tPropers, tAdj, tVBG, tVBN:
		return true
	}
	return false
}

func (p *pipeline) participleOK(i int) bool {
	if i == 0 {
		return true
	}
	switch p.cls[i-1] {
	case tDet, tPossPron, tPOS, tAdj, tCD:
		return true
	}
	return false
}

// names emits capitalised multi-word names, with connectors.
func (p *pipeline) names(toks []tokenize.Token) {
	n := len(p.infos)
	for i := 0; i < n; {
		if !p.capWord(i) {
			i++
			continue
		}
		j := i + 1
		for j < n {
			if p.capWord(j) {
				j++
				continue
			}
			if j+1 < n && p.infos[j] != nil && connectors[p.infos[j].lower] && !p.infos[j].cap && p.capWord(j+1) &&
				!(j+2 < n && toks[j+2].Kind == tokenize.Clitic) {
				// Not into an owner: "Sword and Bigby's Hand".
				j += 2
				continue
			}
			if j+2 < n && p.infos[j] != nil && p.strs[j] == "of" &&
				p.infos[j+1] != nil && p.strs[j+1] == "the" && p.capWord(j+2) &&
				!(j+3 < n && toks[j+3].Kind == tokenize.Clitic) {
				// "Talisman of the Snow Queen"
				j += 3
				continue
			}
			break
		}
		// Name [i, j): strip function words at the edges ("The", "When"),
		// keep stop words used as names ("Indomitable Might", "Second Wind").
		a, b := i, j-1
		for a < b && p.edgeWord(a) {
			a++
		}
		for b > a && p.edgeWord(b) {
			b--
		}
		// In running text a name longer than a phrase needs an "of" after
		// its head ("Periapt of Proof against Poison"); a name set on its
		// own line may be as long as the book makes it.
		if b > a && (b-a < maxPhraseWords || b-a < p.maxWords && (p.maxWords == maxSetName || p.infos[a+1] != nil && p.strs[a+1] == "of")) {
			p.titlePhrase(toks, a, b)
		}
		i = j
	}
}

// edgeWord reports a word that cannot open or close a name.
func (p *pipeline) edgeWord(i int) bool {
	wi := p.infos[i]
	if !wi.stop {
		return false
	}
	switch wi.lower {
	case "the", "a", "an", "this", "that", "these", "those", "when", "if", "as", "while", "each", "every", "all", "some", "any", "no":
		return true
	}
	switch p.cls[i] {
	case tNoun, tNouns, tProper, tPropers, tAdj, tCD:
		return false
	}
	return true
}

func (p *pipeline) capWord(i int) bool {
	wi := p.infos[i]
	return usable(wi) && wi.cap
}

// possessives emits "Mordenkainen's Sword", "Heroes' Feast", "Thieves' Tools".
func (p *pipeline) possessives(toks []tokenize.Token) {
	n := len(p.infos)
	for i := 1; i+1 < n; i++ {
		if toks[i].Kind != tokenize.Clitic || (p.strs[i] != "'s" && p.strs[i] != "'" && p.strs[i] != "'S") {
			continue
		}
		owner := p.infos[i-1]
		if !usable(owner) || !owner.cap {
			continue
		}
		// Capitalised words before the owner belong to it: "Dark One's
		// Blessing".
		first := i - 1
		for first > 0 && i-first < 3 && p.capWord(first-1) && !p.edgeWord(first-1) {
			first--
		}
		if owner.stop && first == i-1 {
			continue
		}
		end := -1
		for j := i + 1; j < n && j <= i+3 && j-first <= 4; j++ {
			wj := p.infos[j]
			if !usable(wj) || wj.stop || !(wj.cap || p.cls[j].noun() || p.cls[j] == tAdj) {
				break
			}
			if wj.cap || p.cls[j].noun() {
				end = j
			}
		}
		if end > 0 {
			if !owner.stop {
				p.phrase(toks, i-1, end)
			}
			if first < i-1 {
				p.phrase(toks, first, end)
			}
		}
	}
}

// whole emits a short segment (a table cell, heading or list line) as one
// phrase: "Little bag of sand", "Bit and bridle". A trailing parenthesis
// is left out: "Acid (vial)".
func (p *pipeline) whole(toks []tokenize.Token, cellOrHeading bool, n int) {
	p.wholeRange(toks, 0, n, cellOrHeading)
}

// wholeRange is whole for tokens [a, n) of the segment.
func (p *pipeline) wholeRange(toks []tokenize.Token, a, n int, cellOrHeading bool) {
	for i := a; i < n; i++ {
		if s := p.strs[i]; s == "(" || s == "[" {
			n = i
			break
		}
	}
	for n > a && p.infos[n-1] == nil && toks[n-1].Kind == tokenize.Punct {
		n--
	}
	if n-a < 2 {
		return
	}
	for i := a; i < n; i++ {
		wi := p.infos[i]
		if toks[i].Kind == tokenize.Clitic && i > a {
			continue
		}
		if !usable(wi) {
			return
		}
		if wi.stop && (i == a || i == n-1 || !connectors[wi.lower] && !((wi.lower == "a" || wi.lower == "an") && p.strs[i-1] == "of")) {
			return // "Horseshoes of a Zephyr" is whole, "Touch a Creature" is not a name
		}
		if p.cls[i] == tVerb || p.cls[i] == tVBZ || p.cls[i] == tVBD || p.cls[i] == tMD {
			if !wi.cap && !cellOrHeading {
				return
			}
		}
	}
	p.titlePhrase(toks, a, n-1)
}

// listItemOK reports a list item [a, b) shaped like a name: it opens with
// a noun, adjective or capital ("including the target", "particularly
// alder" do not), and a lowercase item joins its words only with "of"
// ("cone of cold", "wall of force"; not "black for evil", "immunity to
// acid"). A capitalised item takes any connector ("Speak with Animals").
func (p *pipeline) listItemOK(a, b int) bool {
	for i := a; i < b; i++ {
		if s := p.strs[i]; s == "(" || s == "[" {
			b = i
			break
		}
	}
	if a >= b || p.infos[a] == nil || !(p.cls[a].noun() || p.cls[a] == tAdj || p.infos[a].cap) {
		return false
	}
	named := true
	for i := a; i < b; i++ {
		if wi := p.infos[i]; wi != nil && !wi.stop && !wi.cap {
			named = false
		}
	}
	if named {
		return true
	}
	for i := a; i < b; i++ {
		if wi := p.infos[i]; wi != nil && (wi.stop && wi.lower != "of" || i > a && p.cls[i].verb()) {
			return false // "gray layers resembling bands of stone"
		}
	}
	return true
}

// Longest candidates, in words: a phrase found in running text, a name
// with connectors in running text ("Ring of Protection against Fire"), a
// list item, and a name the book sets on a line of its own (a heading,
// name line, run-in label or table cell: "Amulet of Proof against
// Detection and Location").
const (
	maxPhraseWords = 4
	maxProseName   = 6
	maxListItem    = 6
	maxSetName     = 10
)

// listItems emits each item of a comma or semicolon list as one candidate:
// "cone of cold (5 charges), fireball (5th-level version, 5 charges), or
// wall of force" gives "cone of cold" and "wall of force". The list is
// what follows the last colon; separators inside parentheses do not count;
// it needs three items, and its inner items must be short (prose with
// commas is no list). An item is taken whole only under the rules of
// whole: no verb, no stop word at an edge.
func (p *pipeline) listItems(toks []tokenize.Token) {
	n := len(toks)
	start, seps, depth := 0, 0, 0
	for i := 0; i < n; i++ {
		switch p.strs[i] {
		case "(", "[":
			depth++
		case ")", "]":
			depth = max(depth-1, 0)
		case ":":
			if depth == 0 {
				start, seps = i+1, 0
			}
		case ",", ";":
			if depth == 0 && i > start {
				seps++
			}
		}
	}
	if seps < 2 {
		return
	}
	type item struct{ a, b int }
	var items []item
	depth = 0
	from := start
	for i := start; i <= n; i++ {
		if i < n {
			switch p.strs[i] {
			case "(", "[":
				depth++
				continue
			case ")", "]":
				depth = max(depth-1, 0)
				continue
			case ",", ";":
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		items = append(items, item{from, i})
		from = i + 1
	}
	words := func(it item) int {
		w := 0
		for k := it.a; k < it.b; k++ {
			if p.strs[k] == "(" || p.strs[k] == "[" {
				break
			}
			if p.infos[k] != nil {
				w++
			}
		}
		return w
	}
	for k := 1; k+1 < len(items); k++ {
		if words(items[k]) > maxListItem {
			return
		}
	}
	keep := p.maxWords
	p.maxWords = maxListItem
	for _, it := range items {
		a := it.a
		for a < it.b && p.infos[a] != nil && (p.infos[a].lower == "and" || p.infos[a].lower == "or" || p.infos[a].lower == "nor") {
			a++
		}
		if words(item{a, it.b}) <= maxListItem && p.listItemOK(a, it.b) {
			p.wholeRange(toks, a, it.b, false)
		}
	}
	p.maxWords = keep
}

// titlePhrase is phrase for a name or whole segment, marking plural
// section titles.
func (p *pipeline) titlePhrase(toks []tokenize.Token, a, b int) {
	p.title = p.pluralTitle(a, b)
	p.phrase(toks, a, b)
	p.title = false
}

// pluralTitle reports a heading made of plain plural nouns joined by a
// connector: "Places of the Steppe", "Goods and Curios", "Dangers of the
// Crossing". It opens with a plural common noun, has a connector, and no
// word is in the fantasy lexicon or unknown to WordNet (those make names:
// "Boots of Elvenkind"). Item entries such as "Pipes of the Sewers" read
// the same, so the phrase is only marked (occurrence.title); the Extractor
// drops it when the heading turns out to open a section (the next block is
// a heading or table), not an entry.
func (p *pipeline) pluralTitle(a, b int) bool {
	lm, lx := p.r.lm, p.r.lx
	first := p.infos[a]
	if first == nil || !first.cap || a+1 > b || p.infos[a+1] == nil || !connectors[p.infos[a+1].lower] {
		return false
	}
	if p.btype != document.Heading {
		return false
	}
	l := p.nounLemma(first.lower, true)
	if !(p.cls[a] == tNouns || p.cls[a] == tPropers || l != first.lower && !lm.Has(first.lower, lemma.Noun)) ||
		!strings.HasSuffix(first.lower, "s") || !lm.Has(l, lemma.Noun) && !lm.Has(first.lower, lemma.Noun) {
		return false
	}
	for i := a; i <= b; i++ {
		wi := p.infos[i]
		if wi == nil {
			return false
		}
		if wi.stop || connectors[wi.lower] {
			continue
		}
		// "goods" is no plural of the alignment "good".
		l := lm.Lemma(wi.lower, lemma.Noun)
		if lx.Fantasy(wi.lower) || lx.Fantasy(l) && wi.lower != "goods" || !lm.Known(l) && !lm.Known(p.nounLemma(wi.lower, true)) {
			return false
		}
	}
	return true
}

// phrase emits tokens [a, b] (inclusive) as a phrase when it has 2 to
// p.maxWords words.
func (p *pipeline) phrase(toks []tokenize.Token, a, b int) {
	for _, s := range p.spans {
		if s[0] == a && s[1] == b {
			return
		}
	}
	words := 0
	anyContent := false
	tb, lb := p.tbuf[:0], p.lbuf[:0]
	for i := a; i <= b; i++ {
		wi := p.infos[i]
		if toks[i].Kind == tokenize.Clitic {
			tb = append(tb, p.strs[i]...)
			lb = append(lb, strings.ToLower(p.strs[i])...)
			continue
		}
		if wi == nil || !wi.clean || i > a && toks[i-1].End == toks[i].Start {
			return // words not set apart ("A.AA") are no phrase: its text would not be the span's
		}
		words++
		if !wi.stop {
			anyContent = true
		}
		if i > a {
			tb = append(tb, ' ')
			lb = append(lb, ' ')
		}
		tb = append(tb, p.strs[i]...)
		if i == b && (p.cls[i] == tNouns || p.cls[i] == tPropers || p.cls[i] == tProper && p.pluralName(wi)) {
			lb = append(lb, p.nounLemma(wi.lower, true)...)
		} else {
			lb = append(lb, wi.lower...)
		}
	}
	p.tbuf, p.lbuf = tb, lb
	if words < 2 || words > p.maxWords || !anyContent || utf8.RuneCount(lb) < 5 {
		return
	}
	if p.r.lx.LabelBytes(lb) {
		return
	}
	p.spans = append(p.spans, [2]int{a, b})
	capInner := false
	for i := a; i <= b; i++ {
		if p.infos[i] != nil && p.infos[i].cap && (i > 0 || i < b) {
			capInner = true
		}
	}
	p.emit(occurrence{pos: Phrase, lemmaB: lb, textB: tb, capInner: capInner, title: p.title}, toks[a].Start, toks[b].End)
}

// pluralName reports a capitalised word tagged as a singular name that is
// the regular plural of a known noun ("Glass Dunes" in a heading), so the
// phrase shares its key with the same phrase tagged plural elsewhere.
func (p *pipeline) pluralName(wi *wordInfo) bool {
	if !strings.HasSuffix(wi.lower, "s") || wi.known {
		return false
	}
	l := p.r.lm.Inflected(wi.lower, lemma.Noun)
	return l != wi.lower && p.r.lm.Has(l, lemma.Noun)
}

// emit hands an occurrence at bytes [start, end) of the block to the
// Extractor, which fills context, span and block window on first sight.
func (p *pipeline) emit(o occurrence, start, end int) {
	p.ex.add(o, p.page, func(c *Candidate) {
		s := p.runeAt(start)
		c.Span = Span{p.runeBase + s, p.runeBase + s + utf8.RuneCountInString(p.text[start:end])}
		c.Context = context300(p.text[p.sentStart:p.sentEnd], start-p.sentStart, end-p.sentStart)
		c.Block = window(p.text, start, end, BlockWindow)
	})
}

// runeAt converts a byte offset of the current block to a rune offset,
// moving a cursor (offsets mostly increase).
func (p *pipeline) runeAt(b int) int {
	if b >= p.curByte {
		p.curRune += utf8.RuneCountInString(p.text[p.curByte:b])
	} else {
		p.curRune -= utf8.RuneCountInString(p.text[b:p.curByte])
	}
	p.curByte = b
	return p.curRune
}

// context300 returns the sentence s with white space collapsed, cut to
// MaxContext runes around the occurrence at bytes [start, end).
func context300(s string, start, end int) string {
	if utf8.RuneCountInString(s) > MaxContext {
		a, b := start, end
		budget := MaxContext - utf8.RuneCountInString(s[start:end])
		if budget < 0 {
			budget = 0
			b = start
			for n := 0; b < len(s) && n < MaxContext; n++ {
				_, w := utf8.DecodeRuneInString(s[b:])
				b += w
			}
		}
		left := budget / 2
		for n := 0; a > 0 && n < left; n++ {
			_, w := utf8.DecodeLastRuneInString(s[:a])
			a -= w
		}
		right := budget - utf8.RuneCountInString(s[a:start])
		for n := 0; b < len(s) && n < right; n++ {
			_, w := utf8.DecodeRuneInString(s[b:])
			b += w
		}
		// Cut at word boundaries when that loses little.
		if i := strings.IndexByte(s[a:start], ' '); a > 0 && i >= 0 && i < 20 {
			a += i + 1
		}
		// (An occurrence longer than MaxContext was cut inside itself:
		// b is before its end.)
		if b >= end {
			if i := strings.LastIndexByte(s[end:b], ' '); b < len(s) && i >= 0 && len(s[end:b])-i < 20 {
				b = end + i
			}
		}
		s = s[a:b]
	}
	return collapse(s)
}

// collapse copies s with runs of white space made one space.
func collapse(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			space = true
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	return sb.String()
}

// window returns a copy of about size bytes of s around [start, end), cut
// at character boundaries.
func window(s string, start, end, size int) string {
	if len(s) <= size {
		return strings.Clone(s)
	}
	half := (size - (end - start)) / 2
	a := max(0, start-max(half, 0))
	b := min(len(s), end+max(half, 0))
	for a > 0 && !utf8.RuneStart(s[a]) {
		a--
	}
	for b < len(s) && !utf8.RuneStart(s[b]) {
		b++
	}
	return strings.Clone(s[a:b])
}
