package offline

import (
	"bytes"
	"slices"
	"strings"

	"github.com/corpora-tools/corpora/internal/classify"
)

// catIndex orders categories as classify.Categories does.
func catIndex(c classify.Category) int {
	for i, x := range classify.Categories {
		if x == c {
			return i
		}
	}
	return -1
}

var (
	iSpell     = catIndex(classify.Spell)
	iCreature  = catIndex(classify.Creature)
	iItem      = catIndex(classify.Item)
	iLocation  = catIndex(classify.Location)
	iCharacter = catIndex(classify.Character)
	iMaterial  = catIndex(classify.Material)
	iConcept   = catIndex(classify.Concept)
	iAction    = catIndex(classify.Action)
)

// cue is a phrase in the text around a term and the category it points to.
// Phrases are matched word by word, lowercase; punctuation is ignored.
type cue struct {
	text   string
	cat    int
	weight float64
}

// blockCues are read anywhere in the context sentence and block. Their
// weights are capped per category, so a long stat block does not drown the
// term's own evidence.
var blockCues = []cue{
	// Stat blocks.
	{"armor class", iCreature, 1.5}, {"hit points", iCreature, 0.8}, {"challenge", iCreature, 1},
	{"xp", iCreature, 1.5}, {"multiattack", iCreature, 1.5},
	{"legendary actions", iCreature, 1}, {"passive perception", iCreature, 1.5}, {"senses", iCreature, 0.4},
	{"damage immunities", iCreature, 1}, {"condition immunities", iCreature, 1}, {"damage resistances", iCreature, 0.8},
	{"melee weapon attack", iCreature, 1}, {"natural armor", iCreature, 1.5}, {"speed", iCreature, 0.3},
	{"hit dice", iCreature, 0.5}, {"languages", iCreature, 0.3}, {"saving throws", iCreature, 0.3},
	{"str dex con", iCreature, 1},
	// Items.
	{"wondrous item", iItem, 3}, {"requires attunement", iItem, 3}, {"while wearing", iItem, 1.2}, {"while holding", iItem, 1.2},
	{"you wear", iItem, 0.8}, {"wielding", iItem, 0.6}, {"charges", iItem, 1}, {"gp", iItem, 0.8}, {"magic item", iItem, 1},
	{"this item", iItem, 1.2}, {"magic weapon", iItem, 1.2}, {"bonus to attack and damage rolls", iItem, 1.2},
	{"command word", iItem, 1}, {"attuned", iItem, 1}, {"lb", iItem, 0.4}, {"potion", iItem, 0.5}, {"drink", iItem, 0.4},
	// Spells.
	{"casting time", iSpell, 3}, {"components", iSpell, 1.5}, {"duration", iSpell, 0.5}, {"at higher levels", iSpell, 2},
	{"spell slot", iSpell, 1}, {"cast this spell", iSpell, 1.5}, {"concentration", iSpell, 0.5}, {"cantrip", iSpell, 1},
	{"this spell", iSpell, 1.5}, {"you cast", iSpell, 0.8}, {"spell attack", iSpell, 0.6}, {"ritual", iSpell, 0.3},
	{"spells prepared", iSpell, 2}, {"slots", iSpell, 1}, {"cantrips", iSpell, 1}, {"spell list", iSpell, 1},
	// Spell lists by level: "1st Level", "Cantrips (0 Level)".
	{"0 level", iSpell, 1.5}, {"1st level", iSpell, 1.5}, {"2nd level", iSpell, 1.5}, {"3rd level", iSpell, 1.5},
	{"4th level", iSpell, 1.5}, {"5th level", iSpell, 1.5}, {"6th level", iSpell, 1.5}, {"7th level", iSpell, 1.5},
	{"8th level", iSpell, 1.5}, {"9th level", iSpell, 1.5},
	// Places.
	{"located", iLocation, 0.8}, {"city", iLocation, 0.5}, {"kingdom", iLocation, 0.5}, {"realm", iLocation, 0.5},
	{"village", iLocation, 0.5}, {"region", iLocation, 0.4}, {"plane of", iLocation, 0.6}, {"lies", iLocation, 0.3},
	{"travel", iLocation, 0.3}, {"dungeon", iLocation, 0.3},
	// People.
	{"he", iCharacter, 0.5}, {"she", iCharacter, 0.5}, {"his", iCharacter, 0.4}, {"her", iCharacter, 0.4},
	{"god of", iCharacter, 2}, {"goddess", iCharacter, 2}, {"deity", iCharacter, 1}, {"worship", iCharacter, 0.8},
	// The description's own words, in any system.
	{"this creature", iCreature, 1.2}, {"these creatures", iCreature, 1.5}, {"this beast", iCreature, 1.2},
	{"these beasts", iCreature, 1.5}, {"this monster", iCreature, 1.2}, {"these monsters", iCreature, 1.5},
	{"these things", iCreature, 0.8}, {"hulking", iCreature, 0.6}, {"instinct", iCreature, 1.5}, {"its prey", iCreature, 1},
	{"claws", iCreature, 0.6}, {"fangs", iCreature, 0.6}, {"tentacles", iCreature, 0.6}, {"lair", iCreature, 0.4},
	{"this ring", iItem, 1.5}, {"this weapon", iItem, 1.5}, {"this armor", iItem, 1.5}, {"this sword", iItem, 1.5},
	{"this blade", iItem, 1.2}, {"this staff", iItem, 1.2}, {"this wand", iItem, 1.5}, {"this cloak", iItem, 1.5},
	{"this amulet", iItem, 1.5}, {"this potion", iItem, 1.5}, {"this stone", iItem, 1}, {"this book", iItem, 1},
	{"these arrows", iItem, 1.5}, {"the wielder", iItem, 1.2}, {"the wearer", iItem, 1.2}, {"the bearer", iItem, 1.2},
	{"whoever drinks", iItem, 2}, {"whoever wears", iItem, 2}, {"whoever holds", iItem, 2}, {"when you hold", iItem, 1.2},
	{"when you wear", iItem, 1.2}, {"when you wield", iItem, 1.2}, {"you bear", iItem, 0.8}, {"weight", iItem, 0.6},
	{"crafted", iItem, 0.6}, {"forged", iItem, 0.6},
	{"you call down", iSpell, 1.5}, {"the target must", iSpell, 1}, {"choose a target", iSpell, 1.2}, {"the caster", iSpell, 2},
	{"the spell", iSpell, 1}, {"you dismiss", iSpell, 1}, {"spell ends", iSpell, 1}, {"you conjure", iSpell, 1},
	{"you summon", iSpell, 0.8}, {"you invoke", iSpell, 0.8}, {"ongoing", iSpell, 0.5},
	// A spell's reach and area, in the words of d20 games: "each creature
	// within range", "in the area", "a 20-foot emanation", "must attempt".
	{"within range", iSpell, 1.5}, {"in the area", iSpell, 1}, {"foot radius", iSpell, 0.8}, {"foot cone", iSpell, 1},
	{"foot emanation", iSpell, 1}, {"foot burst", iSpell, 1}, {"foot cube", iSpell, 1}, {"must attempt", iSpell, 0.6},
	{"foot square", iSpell, 0.8}, {"foot line", iSpell, 0.6}, {"you can see within", iSpell, 1},
	{"start of your next turn", iSpell, 0.8},
	// OSR spells: "1 turn per level", "cast upon it".
	{"per level", iSpell, 1}, {"cast upon", iSpell, 1}, {"caster level", iSpell, 1},
	// Stat lines of other systems: Pathfinder-style spells and items, OSR
	// monsters.
	{"traditions", iSpell, 1.5}, {"heightened", iSpell, 1}, {"usage", iItem, 1}, {"bulk", iItem, 1}, {"price", iItem, 0.8},
	{"activate", iItem, 0.6}, {"no appearing", iCreature, 1.5}, {"treasure type", iCreature, 1.5}, {"morale", iCreature, 1},
	{"save as", iCreature, 1}, {"thac0", iCreature, 1.5},
}

// maxCues bounds len(blockCues) (checked by a test).
const maxCues = 192

// cueWords splits each cue into words; cueIndex finds cues by first word.
var (
	cueWords = func() [][]string {
		out := make([][]string, len(blockCues))
		for i, c := range blockCues {
			out[i] = strings.Fields(c.text)
		}
		return out
	}()
	cueIndex = func() map[string][]int {
		m := map[string][]int{}
		for i, w := range cueWords {
			m[w[0]] = append(m[w[0]], i)
		}
		return m
	}()
	cueFilter = func() (f wordFilter) {
		for _, w := range cueWords {
			f.add(w[0])
		}
		return f
	}()
	damageIndex = func() map[string]int {
		m := map[string]int{}
		for i, d := range damageTypes {
			m[d] = i
		}
		return m
	}()
)

// cueCap bounds the evidence block cues give one category.
const cueCap = 4.0

var schools = []string{"abjuration", "conjuration", "divination", "enchantment", "evocation", "illusion", "necromancy", "transmutation"}

var sizes = []string{"tiny", "small", "medium", "large", "huge", "gargantuan"}

var creatureTypes = []string{"aberration", "beast", "celestial", "construct", "dragon", "elemental", "fey", "fiend", "giant", "humanoid", "monstrosity", "ooze", "plant", "undead", "swarm"}

// itemKinds start the line under a magic item's name: "Wand, rare".
var itemKinds = []string{"weapon", "armor", "potion", "ring", "rod", "scroll", "staff", "wand"}

var rarities = []string{"very rare", "uncommon", "common", "rare", "legendary", "artifact"}

var damageTypes = [...]string{"fire", "cold", "lightning", "thunder", "acid", "poison", "necrotic", "radiant", "psychic", "force", "bludgeoning", "piercing", "slashing"}

// contextEvidence is what the text around a term says.
type contextEvidence struct {
	cat        [8]float64 // block cues, by catIndex
	header     [8]float64 // header cues right after the term: strong, by catIndex
	kind       string     // school, creature type or item kind from a header
	extra      string     // level, size or rarity from a header
	energy     string     // the damage type the text mentions most
	damageAxes feats      // axes of every damage type the text mentions
	feat       feats      // seed words in the sentence and near the term
	found      bool       // the term occurs in the block or sentence
	first      bool       // the term is what the text is about: its heading, or named as a spell
	listed     bool       // the term is a whole line of a list of names
	mention    [8]float64 // the words around the term's mentions, by catIndex
	article    bool       // the first mention follows "the" or "a": not a person's name
	runIn      bool       // the term opens its block as a creature's action or trait
	entry      bool       // the term is a heading's entry: it opens its block, or a header line follows it
}

// scratch holds buffers reused across the terms of one Classify call.
type scratch struct {
	blk, sent []byte
	words     [][2]int
}

// maxBlock bounds how much of a block is read.
const maxBlock = 1200

// lowerTable lowercases ASCII bytes and keeps every other byte.
var lowerTable = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if c >= 'A' && c <= 'Z' {
			t[c] = byte(c) + 'a' - 'A'
		}
	}
	return t
}()

// wordFilter is a small Bloom filter over words (first byte, last byte,
// length): it answers "surely not in the set" without a map lookup.
type wordFilter [1024]uint64

func filterKey(w []byte) uint32 {
	return (uint32(w[0])*0x9e37 ^ uint32(w[len(w)-1])*0x85eb ^ uint32(len(w))*0xc2b3) & 0xffff
}

func (f *wordFilter) add(w string) {
	if w != "" {
		k := filterKey([]byte(w))
		f[k>>6] |= 1 << (k & 63)
	}
}

func (f *wordFilter) mayHave(w []byte) bool {
	k := filterKey(w)
	return f[k>>6]&(1<<(k&63)) != 0
}

// lowerASCII appends s, ASCII-lowercased, to dst[:0].
func lowerASCII(dst []byte, s string) []byte {
	dst = append(dst[:0], s...)
	for i, c := range dst {
		dst[i] = lowerTable[c]
	}
	return dst
}

// readContext scans the context sentence and block of a term into ev. lower
// is the term's lowercase text.
func (k *knowledge) readContext(sc *scratch, ev *contextEvidence, lower, sentence, block string, name bool) {
	if sentence == "" && block == "" {
		return
	}
	if len(block) > maxBlock {
		block = block[:maxBlock]
	}
	sc.blk = lowerASCII(sc.blk, block)
	sc.sent = lowerASCII(sc.sent, sentence)
	blk, sent := sc.blk, sc.sent
	term := []byte(lower)

	// Where the term is: the text right after it holds a heading's header line.
	var near, before, lineBefore []byte
	nearStart, nearEnd := -1, -1 // near's offsets in blk
	lineStart := false           // the term opens a line of the block
	for n, t := range [...][]byte{blk, sent} {
		if i := bytes.Index(t, term); i >= 0 && len(term) > 0 {
			ev.found = true
			end := min(len(t), i+len(term)+220)
			near = t[i+len(term) : end]
			before = t[max(0, i-24):i]
			lineBefore = t[max(0, i-200):i]
			if n == 0 {
				nearStart, nearEnd = i+len(term), end
				// A line of its own in a block of several lines: one name of
				// a list ("1st Level / Bane / Bless / Command").
				if (i == 0 || t[i-1] == '\n') && (i+len(term) == len(t) || t[i+len(term)] == '\n') && bytes.Count(t, []byte("\n")) >= 4 {
					ev.listed = true
				}
				if bareLead(t[:i], true) {
					ev.first = true
					// An entry's name is its whole line; "Fear Aura. Any
					// creature ..." is a run-in trait.
					rest := bytes.TrimLeft(t[i+len(term):], " *_\t")
					ev.entry = len(rest) == 0 || rest[0] == '\n'
				}
				lineStart = bareLead(t[max(0, bytes.LastIndexByte(t[:i], '\n')+1):i], false)
			}
			break
		}
	}
	if ev.found {
		ev.readHeader(sc, near)
		if lineStart {
			ev.readSystemLine(near)
		}
		// A header line right after the term makes it a heading, whatever
		// the block: "Hold Monster 5th-level enchantment".
		if lead := bytes.TrimLeft(near, " \n\t*_:,.-—–"); ev.kind != "" && headerLead(string(lead)) {
			ev.first = true
			ev.entry = ev.entry || lineStart
		}
		// "the plane shift spell", "cast fireball": the text names the term
		// as a spell, whatever the words mean.
		after := bytes.TrimLeft(near, " *_")
		after = bytes.TrimPrefix(bytes.TrimPrefix(after, []byte("'s")), []byte("’s"))
		after = bytes.TrimLeft(after, " *_")
		if (wordPrefix(after, "spell") || wordPrefix(after, "spells") || wordPrefix(after, "cantrip")) && !spellCompound(after) {
			ev.header[iSpell] += 5
			ev.first = true
		}
		for _, p := range [...]string{"cast ", "casts ", "casting ", "spell ", "spells "} {
			if bytes.HasSuffix(before, []byte(p)) {
				ev.header[iSpell] += 4
				ev.first = true
			}
		}
		// "barkskin (2 charges)": a spell cast from an item.
		if bytes.HasPrefix(near, []byte(" (")) && len(near) > 3 && near[2] >= '0' && near[2] <= '9' && bytes.HasPrefix(bytes.TrimLeft(near[3:], "0123456789 "), []byte("charge")) {
			ev.header[iSpell] += 4
			ev.first = true
		}
		// "2nd level (3 slots): acid arrow, ...", "3/day each: blade barrier":
		// a spellcasting list.
		if spellList(lineBefore) {
			ev.header[iSpell] += 4
			ev.first = true
		}
		if lineStart && ev.kind == "" && inStatBlock(blk[:max(0, nearStart-len(term))]) && runInAction(near, term) {
			ev.runIn, ev.first = true, true
			ev.header[iAction] += 6
		}
		for _, p := range [...]string{"city of ", "town of ", "village of ", "kingdom of ", "realm of ", "land of ", "plane of "} {
			if bytes.HasSuffix(before, []byte(p)) {
				ev.header[iLocation] += 3
			}
		}
	}

	// The words around the term's mentions.
	mentionCues(sc, ev, blk, term, name)
	if !bytes.Contains(blk, sent) {
		mentionCues(sc, ev, sent, term, name)
	}
	for i, v := range ev.mention {
		ev.mention[i] = min(v, cueCap)
	}

	// One pass over the words of block and sentence: cues, damage, seeds.
	var raw [8]float64
	var seen [maxCues]bool
	var damage [len(damageTypes)]int
	// Cues are read in a window around the term: a heading's section, not
	// the whole block.
	win := blk
	if nearStart >= 0 {
		lo := max(0, nearStart-200)
		win = blk[lo:min(len(blk), nearStart+1000)]
		nearStart, nearEnd = nearStart-lo, nearEnd-lo
	}
	// The sentence is usually inside the window: then one pass reads both,
	// with the sentence's words marked.
	sentStart, sentEnd := -1, -1
	texts := [...][]byte{win, sent}
	if len(sent) > 0 {
		if i := bytes.Index(win, sent); i >= 0 {
			sentStart, sentEnd = i, i+len(sent)
			texts[1] = nil
		}
	}
	for pass, text := range texts {
		if len(text) == 0 {
			continue
		}
		sc.words = splitLowerWords(sc.words[:0], text)
		words := sc.words
		for i, w := range words {
			word := text[w[0]:w[1]]
			if !cueFilter.mayHave(word) {
				// No cue starts with this word.
			} else if cs, ok := cueIndex[string(word)]; ok {
				for _, ci := range cs {
					if ci < maxCues && !seen[ci] && matchWords(text, words[i+1:], cueWords[ci][1:]) {
						seen[ci] = true
						raw[blockCues[ci].cat] += blockCues[ci].weight
					}
				}
			}
			if i > 0 && string(word) == "damage" {
				prev := words[i-1]
				if d, ok := damageIndex[string(text[prev[0]:prev[1]])]; ok {
					damage[d]++
					if pass == 1 || w[0] >= sentStart && w[1] <= sentEnd {
						damage[d]++ // the sentence counts double
					}
				}
			}
			inSent := pass == 1 || w[0] >= sentStart && w[1] <= sentEnd
			if (inSent || w[0] >= nearStart && w[1] <= nearEnd) && k.seedFilter.mayHave(word) {
				if fs, ok := k.seeds[string(word)]; ok {
					for _, f := range fs {
						orInto(&ev.feat, f, 0.12)
					}
				}
			}
		}
	}
	if bytes.Contains(win, []byte(" (+")) {
		raw[iCreature] += 0.8 // ability modifiers: "16 (+3)"
	}
	for i, v := range raw {
		ev.cat[i] = min(v, cueCap)
	}
	// "You touch a creature", "You call down": a description that opens in
	// the second person with a deed is a spell's, in any d20 game.
	if ev.entry && spellOpening(near) {
		ev.cat[iSpell] += openingWeight
	}
	best := -1
	for d, n := range damage {
		if n > 0 && (best < 0 || n > damage[best]) {
			best = d
		}
	}
	if best >= 0 {
		ev.energy = damageTypes[best]
		// Every damage type the text deals shows on its axis, the main one
		// most: a wall of ice that also burns has some fire.
		for d, n := range damage {
			if n > 0 {
				addEncoded(&ev.damageAxes, energyAxes[damageTypes[d]], 0.65+0.35*float64(n)/float64(damage[best]))
			}
		}
	}
}

// wordByte marks the bytes of words: lowercase ASCII letters, digits and
// every byte of a non-ASCII character.
var wordByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
	}
	return t
}()

// splitLowerWords appends the [start, end) offsets of the words of text
// (ASCII letters and digits, and any non-ASCII byte) to dst.
func splitLowerWords(dst [][2]int, text []byte) [][2]int {
	start := -1
	for i := 0; i <= len(text); i++ {
		in := i < len(text) && wordByte[text[i]]
		if in && start < 0 {
			start = i
		}
		if !in && start >= 0 {
			dst = append(dst, [2]int{start, i})
			start = -1
		}
	}
	return dst
}

// matchWords reports whether the words at the start of next spell want.
func matchWords(text []byte, next [][2]int, want []string) bool {
	if len(next) < len(want) {
		return false
	}
	for j, w := range want {
		if string(text[next[j][0]:next[j][1]]) != w {
			return false
		}
	}
	return true
}

// headerWords maps the words of header lines to their static names.
var headerWords = func() map[string]string {
	m := map[string]string{}
	for _, list := range [][]string{schools, sizes, creatureTypes, itemKinds, rarities} {
		for _, w := range list {
			m[w] = w
		}
	}
	m["beasts"] = "beast"
	m["wondrous"] = "wondrous item"
	m["very"] = "very rare"
	m["cantrip"] = "cantrip"
	m["level"] = "level"
	return m
}()

// readHeader looks for a heading's header line in the words right after the
// term: "1st-level evocation", "Large aberration, lawful evil",
// "Wondrous item, rare (requires attunement)", "Weapon (longsword), rare".
func (ev *contextEvidence) readHeader(sc *scratch, near []byte) {
	near = near[:min(len(near), 160)]
	sc.words = splitLowerWords(sc.words[:0], near)
	words := sc.words[:min(len(sc.words), 24)]
	w := func(i int) string {
		if i < 0 || i >= len(words) {
			return ""
		}
		return headerWords[string(near[words[i][0]:words[i][1]])]
	}
	sawComma := false
	for i := range words {
		if i > 0 && bytes.IndexByte(near[words[i-1][1]:words[i][0]], ',') >= 0 {
			sawComma = true
		}
		x := w(i)
		if x == "" {
			continue
		}
		switch {
		case i < 8 && slices.Contains(schools, x) && ev.header[iSpell] == 0:
			if w(i-1) == "level" || w(i-2) == "level" || w(i-3) == "level" || w(i+1) == "cantrip" {
				ev.header[iSpell] += 6
				ev.kind = x
				if w(i+1) == "cantrip" {
					ev.extra = "cantrip"
				}
			}
		case i < 8 && slices.Contains(sizes, x) && ev.header[iCreature] == 0:
			if t := w(i + 1); slices.Contains(creatureTypes, t) {
				ev.header[iCreature] += 6
				ev.kind, ev.extra = t, x
			}
		case i < 3 && x == "wondrous item" && ev.header[iItem] == 0:
			ev.header[iItem] += 6
			ev.kind = x
		case i < 3 && slices.Contains(itemKinds, x) && ev.header[iItem] == 0:
			// "Weapon (longsword)", "Ring, rare": the kind then a bracket or comma.
			rest := bytes.TrimLeft(near[words[i][1]:], " *_")
			if len(rest) > 0 && (rest[0] == '(' || rest[0] == ',') {
				ev.header[iItem] += 6
				ev.kind = x
			}
		case i < 14 && sawComma && slices.Contains(rarities, x) && ev.extra == "":
			if x == "very rare" && w(i+1) != "rare" {
				continue
			}
			ev.header[iItem] += 1.5
			ev.extra = x
		}
	}
}

// spellList reports whether the text before a term ends in a spellcasting
// list: a label such as "1st level (4 slots):", "at will:", "3/day each:"
// followed only by other names and commas.
func spellList(before []byte) bool {
	i := bytes.LastIndexByte(before, ':')
	if i < 0 || bytes.ContainsAny(before[i+1:], ".;:\n()") {
		return false
	}
	label := bytes.TrimRight(before[:i], " *_")
	// "cast one of the following spells from it: ..."
	if bytes.Contains(label[max(0, len(label)-60):], []byte("following spells")) {
		return true
	}
	for _, l := range [...]string{"slots)", "slot)", "at will", "each", "cantrips", "spells"} {
		if bytes.HasSuffix(label, []byte(l)) {
			return true
		}
	}
	return false
}

// spellCompound reports whether the "spell" after a term starts a compound
// the term modifies: "warlock spell lists", "spell save DC".
func spellCompound(after []byte) bool {
	i := 0
	for i < len(after) && wordByte[after[i]] {
		i++ // skip "spell"
	}
	rest := bytes.TrimLeft(after[i:], " ")
	for _, w := range [...]string{"list", "lists", "slot", "slots", "save", "attack", "attacks", "ability", "book", "books", "level", "levels"} {
		if wordPrefix(rest, w) {
			return true
		}
	}
	return false
}

// wordPrefix reports whether text starts with the word w.
func wordPrefix(text []byte, w string) bool {
	return bytes.HasPrefix(text, []byte(w)) && (len(text) == len(w) || !wordByte[text[len(w)]])
}

// headerLead reports whether text starts like a header line.
func headerLead(text string) bool {
	if text == "" {
		return false
	}
	if text[0] >= '0' && text[0] <= '9' || strings.HasPrefix(text, "level ") {
		return true
	}
	for _, list := range [][]string{sizes, schools, itemKinds, {"wondrous item"}} {
		for _, h := range list {
			if strings.HasPrefix(text, h) {
				return true
			}
		}
	}
	return false
}

// bareLead reports whether the text before a term is only markup and an
// article: the term opens its block (or line), as "The Sterling Hand" does.
func bareLead(before []byte, block bool) bool {
	cut := " #*_\t"
	if block {
		cut += "\n"
	}
	b := bytes.TrimLeft(before, cut)
	for _, a := range [...]string{"the ", "a ", "an "} {
		if string(b) == a {
			return true
		}
	}
	return len(b) == 0
}

// openingWeight is the evidence of a description opening "You touch".
const openingWeight = 2.0

// notDeeds are the verbs after an opening "You" that say what the reader
// can, has or wears, as items, features and rules do: "You can use an
// action", "You gain a +1 bonus", "You wear this cloak".
var notDeeds = map[string]bool{
	"can": true, "may": true, "must": true, "gain": true, "gains": true, "have": true, "are": true, "know": true,
	"learn": true, "need": true, "get": true, "lose": true, "add": true, "use": true, "were": true, "might": true,
	"could": true, "should": true, "would": true, "will": true, "do": true, "don't": true, "cannot": true,
	"can't": true, "also": true, "receive": true, "wear": true, "wield": true, "hold": true, "carry": true,
	"drink": true, "eat": true, "find": true, "see": true, "hear": true,
}

// spellOpening reports a description (the first line after an entry's name)
// that opens "you" and a deed: "You touch a skull", "You ring a spectral
// bell". near is the lowercase text after the name.
func spellOpening(near []byte) bool {
	for _, line := range bytes.Split(near, []byte("\n")) {
		line = bytes.TrimLeft(line, " \t*_")
		if len(line) == 0 {
			continue
		}
		rest, ok := bytes.CutPrefix(line, []byte("you "))
		if !ok {
			return false
		}
		verb, _, _ := bytes.Cut(rest, []byte(" "))
		verb = bytes.TrimRight(verb, ",.;:")
		return len(verb) > 1 && !notDeeds[string(verb)]
	}
	return false
}
