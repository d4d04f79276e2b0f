package extract

import (
	"strings"

	"github.com/corpora-tools/corpora/internal/extract/lemma"
	"github.com/corpora-tools/corpora/internal/extract/tagger"
	"github.com/corpora-tools/corpora/internal/extract/tokenize"
)

// Tag fixes: corrections of the tagger's errors that game text provokes.

// fixTags corrects tagger errors that fantasy rulebooks provoke: first
// lexically (a tag WordNet allows no reading for), then from context.
func (p *phraser) fixTags(toks []tokenize.Token) {
	p.fixLexical()
	p.fixMissedVerb()
	p.fixContext()
	p.fixFalseVerbs()
}

// fixFalseVerbs turns verb tags that the context rules out into nouns or
// adjectives: "walls/VBZ of sand", "treats sand/VB, dust", "have
// advantage/VB on", "the city gates/VBZ without", "a gentle/VB, constant
// breeze", "in shrill/VB, piercing notes".
func (p *phraser) fixFalseVerbs() {
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
func (p *phraser) fixMissedVerb() {
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
func (p *phraser) plainVerb(i int, prev, next tagClass) bool {
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

func (p *phraser) fixLexical() {
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
			case c == tAdv && !strings.HasSuffix(wi.lower, "ly"):
				// "Shortbow 25 gp": an adverb not in -ly is one of a closed
				// set the lexicon knows, so an unknown one is a noun.
				if wi.cap {
					p.set(i, r.tags.NNP, tProper)
				} else {
					p.set(i, r.tags.NN, tNoun)
				}
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
func (p *phraser) finiteBefore(i int) bool {
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

func (p *phraser) fixContext() {
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
			!(prev == tCC) == !p.finiteBefore(i) && next != tMD && !next.verb() && !p.compound(i-1) &&
			p.subjectBefore(i) && !(i+1 < len(p.strs) && subjectPronouns[strings.ToLower(p.strs[i+1])]):
			// "the yuan-ti hisses", "a creature that fails", "... and
			// strikes": a subject and no verb yet make the -s word a verb.
			p.set(i, r.tags.VBZ, tVBZ)
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
			!wi.stop && (p.infos[i-1].cap || !wi.known) && !((c == tAdj || c == tAdv) && wi.known):
			// Capitalised inside a sentence next to another capital: a
			// name ("Mind Flayer", "Power Word Kill").
			p.set(i, r.tags.NNP, tProper)
		}
	}
}

// subjectPronouns cannot follow a verb as its object: "the services they
// get" has no verb in "services".
var subjectPronouns = map[string]bool{"i": true, "we": true, "they": true, "he": true, "she": true}

// subjectBefore reports whether the word before the -s word at i can be
// a subject it agrees with: a relative pronoun or a conjunction (checked
// by the caller), a name written in lower case letters ("Tiamat", not the
// modifier "US"), or a noun with a determiner ("the yuan-ti", "its old
// master", "the wall of fire"), not a bare noun modifier ("cheap air
// tickets").
func (p *phraser) subjectBefore(i int) bool {
	prev := p.cls[i-1]
	if prev != tNoun && prev != tProper {
		return true
	}
	if prev == tProper {
		return p.infos[i-1] != nil && !p.infos[i-1].allCaps
	}
	for j := i - 2; j >= 0; j-- {
		switch p.cls[j] {
		case tDet, tPossPron, tPOS:
			return true
		case tAdj, tNoun, tNouns, tCD:
			continue
		case tIN:
			if p.strs[j] == "of" { // "the wall of fire lasts"
				continue
			}
		}
		return false
	}
	return false
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

func (p *phraser) set(i int, t tagger.Tag, c tagClass) { p.tags[i], p.cls[i] = t, c }
