package offline

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/classify"
)

// Rules for names no lexicon knows: the shape of the name itself (its head
// noun, a title before it, two unknown capitalised words) and what the text
// around its mentions says (a place takes "in" and "the road to", a person
// "she" and "a one-eyed woman named").

// placeHeads are head nouns that make a capitalised name a place:
// "Glasswind Steppe", "Hall of Embers", "Pilgrim's Stair".
var placeHeads = wordSet(`isle isles island islands steppe steppes pass sea seas road roads oasis dune dunes
	flat flats rock rocks shoal shoals stair stairs hall halls shrine spire reach reaches forest forests wood woods
	mountain mountains mount peak peaks hill hills vale valley lake river marsh marshes fen fens swamp bay harbour harbor
	coast cape gate gates keep tower temple abbey monastery citadel castle fortress city town village desert waste wastes
	plain plains field fields heath moor moors cavern caverns cave caves crater canyon gorge cliff cliffs falls strait straits
	reef trail bridge market crossing ford springs barrens expanse highlands lowlands march marches mire glade grove downs
	deeps depths ruins catacombs isthmus archipelago lagoon delta tundra jungle wilds wildwood basin ridge summit hollow
	quarter district court palace sanctuary cathedral chapel tavern inn docks wharf port harbourage`)

// placePrefixes open a place name: "Port Saltmarrow", "Mount Ashen".
var placePrefixes = wordSet(`port mount lake cape fort castle isle river lake`)

// personTitles open a person's name: "Brother Hesk", "Captain Orla".
var personTitles = wordSet(`brother sister mother father lord lady captain king queen prince princess sir dame
	master mistress elder abbot abbess duke duchess baron baroness count countess archmage magister uncle aunt
	saint general commander chancellor emperor empress friar deacon bishop grandmother grandfather matron patriarch
	matriarch warden marshal admiral sergeant lieutenant knight magus`)

// personNouns are roles a text gives a person: "a one-eyed woman named
// Derra", "the hermit Osk", "Ysolde is a guide".
var personNouns = wordSet(`woman women man men girl boy wife husband widow widower merchant guide captain priest
	priestess hermit sage elder prince princess warden scholar master mistress smith blacksmith trader harbourmaster
	innkeeper knight wizard witch sorcerer sorceress druid cleric bard ranger monk nun pilgrim healer mage apprentice
	chieftain chief queen king lord lady soldier sailor fisherman hunter thief noble nobleman noblewoman pyromancer child
	son daughter brother sister mother father grandmother grandfather uncle aunt cousin servant steward scribe herald
	alchemist artisan caravaneer guard mercenary captain-general abbot abbess hero heroine villain warlord tyrant
	prophet oracle seer shaman crone hag-woman poet minstrel baker cook farmer shepherd miner ferryman boatman navigator
	pirate smuggler bandit outlaw assassin spy envoy ambassador emissary councillor mayor governor regent heir`)

// placeOfNouns precede "of" before a place: "the monasteries of Sel
// Amaranth", "the wardens of Briarholt".
var placeOfNouns = wordSet(`city town village kingdom realm land lands plane isle island isles streets street gates
	gate walls ruins people folk monks monasteries monastery wardens lord lady king queen prince duke ruler rulers citizens
	markets harbour harbor port north south east west outskirts edge heart road roads shores shore coast mines towers
	temple temples docks cliffs hills mountains forest forests borders border province capital fields farms villages
	towns cities inhabitants map maps`)

// placePreps precede a place: "in Tollmarrow", "across the Glass Dunes".
var placePreps = wordSet(`in at into near beyond across toward towards through around outside inside reach reached
	reaches visit visited within beneath`)

// itemVerbs precede "the" before an item: "lit the Lanthorn of Saint
// Ambrel", "wielding the Brand of Vorhollow".
var itemVerbs = wordSet(`lit lights carried carries carrying wielded wields wielding wore wearing drank drinks
	brandished brandishes sheathed unsheathed donned dons`)

// castVerbs precede a spell: "cast fireball", "casting the shield spell".
var castVerbs = wordSet(`cast casts casting recast`)

// suchAsSpells reports whether before ends in a list of spells opened by
// "spells such as": "spells such as burning hands and ".
func suchAsSpells(before []byte) bool {
	j := bytes.LastIndex(before, []byte(" such as "))
	if j < 0 || bytes.ContainsAny(before[j:], ".;:") {
		return false
	}
	return bytes.HasSuffix(before[:j], []byte("spell")) || bytes.HasSuffix(before[:j], []byte("spells"))
}

// eventWords precede an event: "before the Drowning Year", "during a Weirdtide".
var eventWords = wordSet(`during after before until since`)

// materialVerbs precede a substance: "harvest skyglass", "quarried obsidian".
var materialVerbs = wordSet(`harvest harvests harvested mine mines mined quarry quarried smelt smelted forged carved
	refine refined`)

// materialMeasures precede "of" before a substance: "a shard of skyglass".
var materialMeasures = wordSet(`shard shards piece pieces chunk chunks lump lumps block blocks ingot ingots vial flask
	pinch handful sliver slivers pound pounds ounce ounces bar bars nugget nuggets dust powder sheet sheets scrap scraps
	made`)

// personVerbs follow a person's name: "Osk Brennavar, who trades", "Torvic
// says".
var personVerbs = wordSet(`who whom says said asks asked replies replied smiles smiled laughs laughed whispers whispered
	knows knew wears wore owes owed hires hired claims claimed believes believed wants wanted fears feared hopes hoped
	teaches taught rules ruled`)

// placeVerbs follow a place's name: "Vorhollow sits in the shadow".
var placeVerbs = wordSet(`where lies lay sits stands stood rises borders overlooks`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// nameShape adds what the form of a capitalised name says about its
// category: a place head noun or prefix, a title before a name, or two
// unknown words (a given name and a family name).
func (k *knowledge) nameShape(cat *[8]float64, words []tokenWord, head, headEnd int) {
	if len(words) == 1 && strings.Contains(words[0].lower, "-") {
		// "Warden-Captain", "Harbour-Master": a title or role.
		parts := strings.Split(words[0].lower, "-")
		if personTitles[parts[len(parts)-1]] || personNouns[parts[len(parts)-1]] || personTitles[parts[0]] {
			cat[iCharacter] += 3
		}
		return
	}
	if len(words) < 2 || head < 0 || !titleCase(words) {
		return
	}
	last := len(words) - 1
	switch {
	case placeHeads[words[head].lower] && !strings.HasSuffix(words[head].lower, "'s"):
		cat[iLocation] += 4
	case placePrefixes[words[0].lower] && !possessive(words[0]) && !k.knownWord(words[1].lower):
		cat[iLocation] += 4
	case headEnd == len(words) && personTitles[words[0].lower] && !possessive(words[0]) && !k.knownWord(words[last].lower):
		cat[iCharacter] += 4
	}
}

// personShape adds the evidence of a name shaped like a given name and a
// family name, unless the text puts an article before it ("the Gravelight
// Sigil").
func (k *knowledge) personShape(cat *[8]float64, words []tokenWord, headEnd int, article bool) {
	if !article && len(words) >= 2 && len(words) <= 3 && headEnd == len(words) && titleCase(words) &&
		!placeHeads[words[len(words)-1].lower] && !personTitles[words[0].lower] && k.personName(words) {
		cat[iCharacter] += 2.5
	}
}

// personName reports whether words look like a given name and a family
// name: capitalised words that WordNet does not know as ordinary words, the
// last without a creature's or an item's word part.
func (k *knowledge) personName(words []tokenWord) bool {
	for _, w := range words {
		if possessive(w) || utf8.RuneCountInString(w.lower) < 3 || k.knownWord(w.lower) || k.knownVerbOrAdj(w.lower) {
			return false
		}
		if k.fantasy[w.lower] == classify.Creature {
			return false // "Orc Bloodwarrior": a people and a role
		}
	}
	last := words[len(words)-1].lower
	if strings.HasSuffix(last, "er") {
		if _, ok := k.lemma(strings.TrimSuffix(last, "r"), posV); ok { // shambler
			return false
		}
		if _, ok := k.lemma(strings.TrimSuffix(last, "er"), posV); ok {
			return false
		}
	}
	var scratch feats
	switch k.affixFeatures(last, &scratch, 0, false) {
	case "", "location", "concept":
		return true
	}
	return false
}

func possessive(w tokenWord) bool {
	return strings.HasSuffix(w.surface, "'s") || strings.HasSuffix(w.surface, "’s")
}

// maxMentions bounds how many mentions of a term mentionCues reads.
const maxMentions = 4

// mentionCues reads the words around the mentions of a term in text:
// prepositions and nouns before it, appositions and verbs after it. name
// says the term is capitalised: only names take the place and person cues.
func mentionCues(sc *scratch, ev *contextEvidence, text, term []byte, name bool) {
	if len(term) == 0 {
		return
	}
	from := 0
	for n := 0; n < maxMentions; n++ {
		j := bytes.Index(text[from:], term)
		if j < 0 {
			return
		}
		i := from + j
		end := i + len(term)
		from = end
		if i > 0 && wordByte[text[i-1]] || end < len(text) && wordByte[text[end]] {
			continue // inside another word
		}
		sc.words = splitLowerWords(sc.words[:0], text[max(0, i-48):i])
		pre, preText := sc.words, text[max(0, i-48):i]
		w := func(back int) string {
			if back > len(pre) {
				return ""
			}
			p := pre[len(pre)-back]
			return string(preText[p[0]:p[1]])
		}
		w1, w2, w3 := w(1), w(2), w(3)
		det := w1 == "the" || w1 == "a" || w1 == "an"
		prep, of := w1, w2
		if det {
			prep, of = w2, w3
		}
		if det && n == 0 {
			ev.article = true
		}
		switch {
		case prep == "of" && materialMeasures[of]:
			ev.mention[iMaterial] += 1.5
		case materialVerbs[prep]:
			ev.mention[iMaterial] += 1.5
		case prep == "from" && (of == "made" || materialVerbs[of]):
			ev.mention[iMaterial] += 1.5
		case eventWords[prep]:
			ev.mention[iConcept] += 1.5
		}
		// Spells: "cast the X spell", "spells such as X and Y".
		switch {
		case castVerbs[w1] || det && castVerbs[w2]:
			ev.mention[iSpell] += 4
			ev.first = true
		case suchAsSpells(text[max(0, i-100):i]):
			ev.mention[iSpell] += 3
			ev.first = true
		}
		if name {
			switch {
			case prep == "of" && placeOfNouns[of]:
				ev.mention[iLocation] += 3
			case prep == "of" && !det && w3 == "the" && !personNouns[of]:
				ev.mention[iLocation] += 0.8 // "the bell of Vespergloam"
			case itemVerbs[prep] && det:
				ev.mention[iItem] += 2 // "lit the Lanthorn of Saint Ambrel"
			case placePreps[prep]:
				ev.mention[iLocation] += 1.2
			case prep == "to" || prep == "from":
				ev.mention[iLocation] += 0.5
			case w1 == "named":
				ev.mention[iCharacter] += 2
			case personNouns[w1] && w2 != "of" && bytes.HasSuffix(preText, []byte(w1+" ")):
				ev.mention[iCharacter] += 2
			}
		}
		// After the term.
		post := text[end:min(len(text), end+64)]
		post = bytes.TrimPrefix(post, []byte("'s"))
		post = bytes.TrimPrefix(post, []byte("’s"))
		sc.words = splitLowerWords(sc.words[:0], post)
		after := sc.words[:min(len(sc.words), 8)]
		aw := func(i int) string {
			if i >= len(after) {
				return ""
			}
			return string(post[after[i][0]:after[i][1]])
		}
		first := aw(0)
		if (first == "spell" || first == "spells" || first == "cantrip") && after[0][0] == 1 && !spellCompound(post[1:]) {
			ev.mention[iSpell] += 5 // "the plane shift spell"
			ev.first = true
		}
		if !name || len(after) == 0 {
			continue
		}
		switch {
		case placeHeads[first] && after[0][0] == 1 && post[0] == ' ':
			ev.mention[iLocation] += 2 // "the Thornwick Forest"
		case personVerbs[first]:
			ev.mention[iCharacter] += 1.5
		case placeVerbs[first]:
			ev.mention[iLocation] += 1
		}
		// "X is a broad, weathered woman", "X, the Glass Town".
		appos := bytes.HasPrefix(post, []byte(", the ")) || bytes.HasPrefix(post, []byte(", a ")) || bytes.HasPrefix(post, []byte(", an "))
		if first == "is" || first == "was" || appos {
			for a := 1; a < len(after) && a <= 7; a++ {
				x := aw(a)
				if personNouns[x] {
					ev.mention[iCharacter] += 2
					break
				}
				if placeHeads[x] || placeOfNouns[x] && x != "people" && x != "lord" && x != "lady" && x != "king" && x != "queen" {
					ev.mention[iLocation] += 2
					break
				}
			}
		}
	}
}

// runInAction reports whether the term opens its block as a run-in heading
// ("Thorned Bite. Melee Weapon Attack: ...", "Spore Cloud (Recharge 6).
// The shambler ..."), and whether what follows reads like a creature's
// action or trait.
func runInAction(near, term []byte) bool {
	near = bytes.TrimLeft(near, "*_ ")
	if bytes.HasPrefix(near, []byte("(")) {
		j := bytes.IndexByte(near, ')')
		if j < 0 || j > 40 {
			return false
		}
		inner := near[1:j]
		if !bytes.Contains(inner, []byte("recharge")) && !bytes.Contains(inner, []byte("/day")) && !bytes.Contains(inner, []byte("costs")) {
			return false
		}
		near = bytes.TrimLeft(near[j+1:], "*_ ")
	}
	if !bytes.HasPrefix(near, []byte(".")) && !bytes.HasPrefix(near, []byte(":")) {
		return false
	}
	body := near[1:]
	if j := bytes.IndexByte(body, '\n'); j >= 0 {
		body = body[:j]
	}
	// A creature's action speaks of "the drake" and "each creature"; an
	// item's or a spell's description speaks to "you".
	// A body that names the term again describes a thing ("Swarm of
	// Centipedes. A creature reduced to 0 hit points by a swarm of
	// centipedes ...").
	if bytes.Contains(body, []byte("you")) || bytes.Contains(body, term) {
		return false
	}
	for _, c := range [...]string{"weapon attack", "hit:", "saving throw", "creature", "target", "damage", "advantage", "recharge"} {
		if bytes.Contains(body, []byte(c)) {
			return true
		}
	}
	return false
}

// inStatBlock reports whether the text before a run-in heading holds a
// stat block's labels, or is empty (the heading opens its paragraph): the
// heading can then be a creature's action or trait.
func inStatBlock(before []byte) bool {
	if len(bytes.TrimSpace(before)) == 0 {
		return true // the heading opens its paragraph
	}
	for _, l := range [...]string{"armor class", "hit points", "challenge", "actions", "speed"} {
		if bytes.Contains(before, []byte(l)) {
			return true
		}
	}
	return false
}
