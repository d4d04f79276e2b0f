package offline

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"
)

// kindFeatures are what a spell school, creature type or item kind implies,
// in the encoded form of the data files (letters listed in lexical.go).
var kindFeatures = map[string]string{
	"abjuration": "k6q6z8", "conjuration": "o4q6B8", "divination": "l6q6D8", "enchantment": "m6q6E8",
	"evocation": "i4q6y8", "illusion": "m4f3l3q6E5G5", "necromancy": "h5g3r6F8", "transmutation": "q6C8",
	"aberration": "m4h3v8y5", "beast": "g3t8y5", "celestial": "e6u8y4z4", "construct": "i3c3q6y5",
	"dragon": "i3d3t6s3y7", "elemental": "t7y6B3", "fey": "m3g3w8E5", "fiend": "a3f4r8y6", "giant": "c4i4t6y6",
	"humanoid": "x6y5", "monstrosity": "i3t7y6", "ooze": "b3h3v6y5", "plant": "g6t8y4", "undead": "h5f4r8F7y5", "swarm": "t7y5",
	"weapon": "i5x8y8", "armor": "k7x7z8", "wondrous item": "q6A6", "wondrous-items": "q6A6", "potion": "g3q5A6",
	"ring": "k2q6A5", "rod": "i2q6A5", "staff": "q7y4A4", "wand": "i2q7y5", "scroll": "q7A6",
	"adventuring-gear": "A7", "tools": "A7", "mounts-and-vehicles": "A6", "condition": "G5", "damage-type": "y5", "class": "s4",
}

// catFeatures are weak defaults per category, so that every term gets a mood
// and an intent.
var catFeatures = [8]string{
	"q5A2", // spell
	"t4y4", // creature
	"q3A4", // item
	"t3A4", // location
	"s4A4", // character
	"t3A4", // material
	"q3A4", // concept
	"x3A4", // action
}

// energyAxes is the axis evidence an energy carries.
var energyAxes = map[string]string{
	"fire": "a8", "cold": "b7", "lightning": "d7i2", "thunder": "d5i4", "acid": "c5b3", "poison": "g3f3",
	"necrotic": "f5h6", "radiant": "e8", "psychic": "m8", "force": "i8",
	"bludgeoning": "i4", "piercing": "i4", "slashing": "i4",
}

// classify builds a Term from the candidate's own words and its context.
// Finalize sets the code-owned fields afterwards.
//
// prior is evidence from outside the term (its siblings), or nil. entry
// reports whether the term is what its block is about: a heading's entry.
func (k *knowledge) classify(sc *scratch, cand extract.Candidate, opts Options, prior *[8]float64) (t classify.Term, entry bool) {
	text := strings.Join(strings.Fields(cand.Text), " ")
	if text == "" {
		text = strings.Join(strings.Fields(cand.Lemma), " ")
	}
	words := splitWords(text)
	lower := strings.ToLower(text)
	pos := posN
	switch cand.POS {
	case extract.Verb:
		pos = posV
	case extract.Adjective:
		pos = posA
	}

	var cat [8]float64
	var lex feats // evidence from the term's own words
	var kind, extra, energy string
	known := false // some lexicon knows the term or its head
	inSRD := false // the SRD lexicon knows the term

	// The head: the last content word before "of" ("Wand of Fireballs").
	headEnd := len(words)
	for i, w := range words {
		if i > 0 && (w.lower == "of" || w.lower == "from" || w.lower == "against") {
			headEnd = i
			break
		}
	}
	head := -1
	for i := headEnd - 1; i >= 0; i-- {
		if !functionWords[words[i].lower] && !isNumberish(words[i].lower) {
			head = i
			break
		}
	}
	headLemma := ""

	// 1. The SRD lexicon.
	if !opts.NoSRD {
		if e := k.srdLookup(lower, words, head); e != nil {
			cat[catIndex(e.cat)] += 6
			addEncoded(&lex, e.feat, 1)
			kind, extra, energy = e.kind, e.extra, e.energy
			known, inSRD = true, true
		} else if len(words) >= 2 {
			tail := words[len(words)-2].lower + " " + words[len(words)-1].lower
			if b, ok := k.lemma(words[len(words)-1].lower, posN); ok {
				tail = words[len(words)-2].lower + " " + b
			}
			if e := k.srdTail[tail]; e != nil {
				cat[catIndex(e.cat)] += 3
				addEncoded(&lex, e.feat, 0.7)
				kind, energy = e.kind, e.energy
			}
		}
	}

	// 2. WordNet: the whole phrase, then its head, then the other words.
	if len(words) > 1 {
		if w := k.wn[lower]; w != nil && w[posN].catIdx != 0 && !w[posN].proper {
			s := &w[posN]
			cat[catIndex(s.category())] += 3 * (0.4 + 0.6*float64(s.share))
			addEncoded(&lex, s.feat, 1)
			known = true
		}
	}
	if head >= 0 {
		hw := words[head].lower
		weight := 2.5
		if len(words) == 1 {
			weight = 3
		}
		base, s := k.lookup(hw, pos)
		switch {
		case s != nil && !s.proper:
			headLemma = base
			// A kind of person ("guard", "merchant") is a creature: a
			// being that can appear many times. A character is one named
			// individual (prompt.go's definitions).
			ci := catIndex(s.category())
			if ci == iCharacter {
				ci = iCreature
			}
			cat[ci] += weight * (0.4 + 0.6*float64(s.share))
			addEncoded(&lex, s.feat, 1)
			if fc, ok := k.fantasy[base]; ok && pos == posN {
				cat[catIndex(fc)] += 3
			}
			k.seedFeatures(base, &lex, 1)
			k.affixFeatures(base, &lex, 0.8, true)
			known = true
		case s != nil: // a name WordNet knows: Tiamat, Paris
			cat[catIndex(s.category())] += weight * float64(s.share)
			addEncoded(&lex, s.feat, 1)
			known = true
		default:
			if ac := k.affixFeatures(hw, &lex, 1, false); ac != "" {
				ci := catIndex(ac)
				if ci == iCharacter {
					ci = iCreature // "bloodwarrior": a role, so a kind
				}
				cat[ci] += 1.5
			}
		}
	}
	switch cand.POS {
	case extract.Verb:
		cat[iAction] += 3
	case extract.Adjective:
		cat[iConcept] += 2
	}
	for i, w := range words {
		if i == head || functionWords[w.lower] || isNumberish(w.lower) {
			continue
		}
		// "Orc Shaman", "Gnoll Tracker": a people before the head names a kind.
		if i < head && k.fantasy[w.lower] == classify.Creature {
			cat[iCreature] += 1.5
		}
		weight := 0.6
		if i > headEnd {
			weight = 0.75 // "of Fireballs" names the theme
		}
		if base, s := k.lookup(w.lower, posN); s != nil && !s.proper {
			addEncoded(&lex, s.feat, weight)
			k.seedFeatures(base, &lex, weight)
			k.affixFeatures(base, &lex, weight*0.8, true)
		} else {
			k.affixFeatures(w.lower, &lex, weight, false)
		}
	}

	// 3. Context: how much it says about this term depends on whether the
	// term is what the block is about.
	var ev contextEvidence
	name := k.isName(words)
	k.readContext(sc, &ev, lower, cand.Context, cand.Block, titleCase(words))
	// A coined name used as a kind ("an ankheg", "the zuipnyrns").
	species := !inSRD && !known && speciesUse(cand.Block+"\n"+cand.Context, text)
	if species {
		cat[iCreature] += speciesWeight
	}
	if !inSRD {
		k.nameShape(&cat, words, head, headEnd)
		if !species {
			k.personShape(&cat, words, headEnd, ev.article)
		}
	}
	subject := 0.2
	switch {
	case ev.first:
		subject = 1
	case ev.listed:
		subject = 0.9
	case !known:
		subject = 0.9
	case name || cand.POS == extract.ProperNoun:
		subject = 0.75
	case titleCase(words):
		subject = 0.6
	}
	// The chapter or section an entry sits in ("Bestiary", "Magic Items").
	entry = ev.entry || headingOnly(cand, text) || extract.OwnLine(cand.Block, text)
	if c := sectionCategory(cand.Section); c >= 0 && entry {
		cat[c] += sectionWeight
	}
	if prior != nil {
		for i := range cat {
			cat[i] += prior[i]
		}
	}
	var ctxCat [8]float64
	for i := range cat {
		ctxCat[i] = ev.header[i]*subject + ev.cat[i]*subject*0.8 + ev.mention[i]*subject
		cat[i] += ctxCat[i]
	}

	// Category.
	best, second := 0, -1
	for i := 1; i < len(cat); i++ {
		if cat[i] > cat[best] {
			best = i
		}
	}
	for i := range cat {
		if i != best && (second < 0 || cat[i] > cat[second]) {
			second = i
		}
	}
	category := classify.Categories[best]
	top := cat[best]
	if top == 0 {
		switch {
		case cand.POS == extract.Verb:
			category = classify.Action
		case cand.POS == extract.Adjective:
			category = classify.Concept
		case !known && headingOnly(cand, text):
			// An unknown name standing alone as a heading: in a sourcebook
			// most such entries are creatures (a bestiary's "Aboleth").
			category = classify.Creature
		case ev.article && titleCase(words):
			// "the Mirrorpan", "a Weirdtide": a person's name takes no
			// article; a place's often does.
			category = classify.Location
		case name || cand.POS == extract.ProperNoun && !known && titleCase(words):
			category = classify.Character
		case !known:
			// An unknown common noun in a fantasy book is most often a
			// creature (ankheg, bulette); confidence stays at its floor.
			category = classify.Creature
		default:
			category = classify.Concept
		}
		best = catIndex(category)
	}
	// A header names the kind of a term the block is about.
	if kind == "" && subject >= 0.6 && ev.kind != "" && ev.header[best] > 0 {
		kind, extra = ev.kind, ev.extra
	}

	// 4. Features: the term's words, its kind, its category, the context.
	f := lex
	if kf, ok := kindFeatures[kind]; ok {
		// A kind (school, creature type) is strong evidence of mood and
		// intent: counted twice there, once on the axes.
		addEncoded(&f, kf, 1)
		var moodIntent feats
		addEncoded(&moodIntent, kf, 1)
		for i := featMood; i < featEnergy; i++ {
			orInto(&f, i, moodIntent[i])
		}
	}
	addEncoded(&f, catFeatures[best], 1)
	for i := range f {
		orInto(&f, i, ev.feat[i]*subject)
	}
	if ev.energy != "" && subject >= 0.5 && (best == iSpell || best == iCreature || best == iItem) {
		if energy == "" {
			energy = ev.energy
		}
		for i := 0; i < featMood; i++ {
			orInto(&f, i, ev.damageAxes[i]*subject)
		}
	}
	if energy != "" && !isPhysical(energy) {
		if e := energyIndex(energy); e >= 0 {
			orInto(&f, featEnergy+e, 0.9)
		}
	}
	// The strongest energy among the features, if strong enough.
	chosen, ev2 := "", 0.0
	for i, name := range energyNames {
		if v := f[featEnergy+i]; v >= 0.45 && v > ev2 {
			chosen, ev2 = name, v
		}
	}
	if chosen == "" && isPhysical(energy) {
		chosen = energy
	}
	if chosen != "" {
		addEncoded(&f, energyAxes[chosen], 1)
		if best == iSpell || best == iCreature || best == iItem {
			orInto(&f, featIntent, 0.35) // offensive
		}
	}
	// Axes feed intents: a ward protects, sight divines, binding controls.
	orInto(&f, featIntent+1, f[10]*0.5) // ward -> defensive
	orInto(&f, featIntent+1, f[6]*0.3)  // life -> defensive (healing)
	orInto(&f, featIntent+5, f[11]*0.5) // sight -> divination
	orInto(&f, featIntent+6, f[12]*0.4) // mind -> enchantment
	orInto(&f, featIntent+8, f[9]*0.5)  // binding -> control
	orInto(&f, featIntent+2, f[14]*0.4) // space -> utility
	orInto(&f, featIntent+7, f[7]*0.35) // void -> necromancy

	t = classify.Term{
		Category: category,
		Energy:   chosen,
		Tags:     tagsFor(kind, extra, chosen),
	}
	for i := range t.Axes {
		t.Axes[i] = round2(f[i])
	}
	t.Mood = classify.Moods[argmax(f[featMood:featIntent])]
	intents := f[featIntent:featEnergy]
	ti := argmax(intents)
	t.Intent = classify.Intents[ti]
	t.SecondaryIntents = secondary(intents, ti)
	t.Confidence = classify.Score(confidence(top, cat[second]))
	t.Canonical = k.canonical(text, lower, words, head, headLemma, pos, name)
	if t.Canonical == "" {
		t.Canonical = "unknown" // an empty candidate still gets a valid term
	}
	return t, entry
}

// srdLookup finds a term in the SRD lexicon by its name, its name without
// "the", or its name with a singular head.
func (k *knowledge) srdLookup(lower string, words []tokenWord, head int) *srdEntry {
	lower = strings.ReplaceAll(lower, "’", "'")
	if e := k.srd[lower]; e != nil {
		return e
	}
	if e := k.srd[strings.TrimPrefix(lower, "the ")]; e != nil {
		return e
	}
	if head >= 0 {
		if b, ok := k.lemma(words[head].lower, posN); ok && b != words[head].lower {
			if e := k.srd[strings.Replace(lower, words[head].lower, b, 1)]; e != nil {
				return e
			}
		}
	}
	return nil
}

// seedFeatures adds the features a seed word names directly.
func (k *knowledge) seedFeatures(w string, v *feats, weight float64) {
	for _, f := range k.seeds[w] {
		orInto(v, f, 0.9*weight)
	}
}

func energyIndex(e string) int {
	for i, n := range energyNames {
		if n == e {
			return i
		}
	}
	return -1
}

func isPhysical(e string) bool {
	return e == "bludgeoning" || e == "piercing" || e == "slashing"
}

// headingOnly reports whether the term is all its block and sentence say:
// a heading of its own.
func headingOnly(cand extract.Candidate, text string) bool {
	b := strings.TrimSpace(cand.Block)
	c := strings.TrimSpace(cand.Context)
	return (b == "" || strings.EqualFold(b, text)) && (c == "" || strings.EqualFold(c, text)) && (b != "" || c != "")
}

func titleCase(words []tokenWord) bool {
	any := false
	for _, w := range words {
		if functionWords[w.lower] {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w.surface)
		if !unicode.IsUpper(r) {
			return false
		}
		any = true
	}
	return any
}

// argmax returns the index of the largest value, the first on ties.
func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// secondary lists up to two other intents that score close to the main one.
func secondary(v []float64, top int) []classify.Intent {
	var out []classify.Intent
	used := map[int]bool{top: true}
	for len(out) < 2 {
		b := -1
		for i, x := range v {
			if !used[i] && x >= 0.4 && x >= 0.6*v[top] && (b < 0 || x > v[b]) {
				b = i
			}
		}
		if b < 0 {
			break
		}
		used[b] = true
		out = append(out, classify.Intents[b])
	}
	return out
}

// confidence grows with the category evidence and with its margin over the
// runner-up; no evidence at all gives 0.1.
func confidence(top, second float64) float64 {
	if top <= 0 {
		return 0.1
	}
	margin := (top - math.Max(second, 0)) / top
	c := 0.1 + 0.85*(1-math.Exp(-top/4))*(0.4+0.6*margin)
	return round2(math.Min(c, 0.95))
}

func tagsFor(kind, extra, energy string) []string {
	var tags []string
	if kind != "" {
		if kind == "wondrous-items" {
			kind = "wondrous item"
		}
		tags = append(tags, strings.ReplaceAll(kind, "-", " "))
	}
	switch {
	case extra == "" || extra == "mundane" || extra == "varies":
	case extra == "0" || extra == "cantrip":
		tags = append(tags, "cantrip")
	case len(extra) == 1 && extra[0] >= '1' && extra[0] <= '9':
		tags = append(tags, "level "+extra)
	default:
		tags = append(tags, extra)
	}
	if energy != "" {
		tags = append(tags, energy)
	}
	return tags
}

func round2(v float64) float64 {
	return math.Round(math.Min(math.Max(v, 0), 1)*100) / 100
}
