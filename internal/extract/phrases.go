package extract

import (
	"strings"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/lemma"
	"github.com/corpora-tools/corpora/internal/extract/tokenize"
)

// Phrases: the single words, noun phrases, "of" phrases, list items and
// whole segments a segment gives as candidates.

// singles emits nouns, verbs, adjectives and proper nouns.
func (p *phraser) singles(toks []tokenize.Token) {
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
		p.emit(occurrence{pos: pos, lemma: lem, text: p.strs[i], capInner: wi.cap && i > 0, free: p.freeCap(i)}, toks[i].Start, toks[i].End)
	}
}

// freeCap reports a capital on word i that neither the sentence start
// nor a longer name forces: "the Armor table", not "Cure Wounds" or "Zone
// of Truth" (whose name is the phrase).
func (p *phraser) freeCap(i int) bool {
	if i == 0 || !hasUpper(p.strs[i]) {
		return false
	}
	capWord := func(j int) bool { return j >= 0 && j < len(p.strs) && p.infos[j] != nil && hasUpper(p.strs[j]) }
	small := func(j int) bool { return j >= 0 && j < len(p.strs) && smallWords[p.strs[j]] }
	return !capWord(i-1) && !capWord(i+1) && !(small(i-1) && capWord(i-2)) && !(small(i+1) && capWord(i+2))
}

// nounPhrases emits 2-4 word noun phrases: runs of adjectives and nouns
// ending in a noun ("ancient red dragon", "magic missile").
func (p *phraser) nounPhrases(toks []tokenize.Token) {
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
func (p *phraser) ofPhrases(toks []tokenize.Token) {
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
func (p *phraser) genericPhrase(a, b int) bool {
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
func (p *phraser) compound(i int) bool {
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

func (p *phraser) npWord(i int) bool {
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

func (p *phraser) participleOK(i int) bool {
	if i == 0 {
		return true
	}
	switch p.cls[i-1] {
	case tDet, tPossPron, tPOS, tAdj, tCD:
		return true
	}
	return false
}

// whole emits a short segment (a table cell, heading or list line) as one
// phrase: "Little bag of sand", "Bit and bridle". A trailing parenthesis
// is left out: "Acid (vial)".
func (p *phraser) whole(toks []tokenize.Token, cellOrHeading bool, n int) {
	p.wholeRange(toks, 0, n, cellOrHeading)
}

// wholeRange is whole for tokens [a, n) of the segment.
func (p *phraser) wholeRange(toks []tokenize.Token, a, n int, cellOrHeading bool) {
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
func (p *phraser) listItemOK(a, b int) bool {
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
func (p *phraser) listItems(toks []tokenize.Token) {
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
func (p *phraser) titlePhrase(toks []tokenize.Token, a, b int) {
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
func (p *phraser) pluralTitle(a, b int) bool {
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
func (p *phraser) phrase(toks []tokenize.Token, a, b int) {
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
	capInner, free := false, false
	for i := a; i <= b; i++ {
		if p.infos[i] != nil && p.infos[i].cap && (i > 0 || i < b) {
			capInner = true
		}
		if i > 0 && hasUpper(p.strs[i]) {
			free = true
		}
	}
	p.emit(occurrence{pos: Phrase, lemmaB: lb, textB: tb, capInner: capInner, free: free, title: p.title}, toks[a].Start, toks[b].End)
}

// pluralName reports a capitalised word tagged as a singular name that is
// the regular plural of a known noun ("Glass Dunes" in a heading), so the
// phrase shares its key with the same phrase tagged plural elsewhere.
func (p *phraser) pluralName(wi *wordInfo) bool {
	if !strings.HasSuffix(wi.lower, "s") || wi.known {
		return false
	}
	l := p.r.lm.Inflected(wi.lower, lemma.Noun)
	return l != wi.lower && p.r.lm.Has(l, lemma.Noun)
}
