package offline

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/classify"
)

// tokenWord is one word of a term: its surface form and lowercase form with
// possessive and punctuation removed.
type tokenWord struct {
	surface string
	lower   string
}

// splitWords splits a term into words on spaces and punctuation other than
// apostrophes and hyphens inside words.
func splitWords(s string) []tokenWord {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-' || r == '+')
	})
	out := make([]tokenWord, 0, len(fields))
	for _, f := range fields {
		f = strings.Trim(f, "'-")
		if f == "" {
			continue
		}
		low := strings.ToLower(f)
		low = strings.TrimSuffix(low, "'s")
		out = append(out, tokenWord{surface: f, lower: low})
	}
	return out
}

// functionWords join the parts of a name and never carry its meaning.
var functionWords = map[string]bool{
	"of": true, "the": true, "and": true, "or": true, "a": true, "an": true, "in": true, "on": true,
	"to": true, "from": true, "with": true, "against": true, "for": true, "at": true, "by": true,
}

// nounRules and friends are WordNet's rules of detachment (morphy).
var (
	nounRules = [][2]string{{"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}, {"ves", "f"}, {"ves", "fe"}, {"s", ""}}
	verbRules = [][2]string{{"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}, {"s", ""}}
	adjRules  = [][2]string{{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}}
)

// lemma returns the WordNet base form of w in part of speech pos, and whether
// WordNet knows it.
func (k *knowledge) lemma(w string, pos int) (string, bool) {
	if x := k.wn[w]; x != nil && x[pos].catIdx != 0 {
		return w, true
	}
	if b, ok := k.exc[pos][w]; ok {
		if x := k.wn[b]; x != nil && x[pos].catIdx != 0 {
			return b, true
		}
	}
	rules := nounRules
	switch pos {
	case posV:
		rules = verbRules
	case posA:
		rules = adjRules
	}
	for _, r := range rules {
		if strings.HasSuffix(w, r[0]) && len(w) > len(r[0])+1 {
			b := w[:len(w)-len(r[0])] + r[1]
			if x := k.wn[b]; x != nil && x[pos].catIdx != 0 {
				return b, true
			}
		}
	}
	return w, false
}

// lookup finds w in WordNet in the preferred part of speech, else any.
func (k *knowledge) lookup(w string, pos int) (string, *sense) {
	if b, ok := k.lemma(w, pos); ok {
		return b, &k.wn[b][pos]
	}
	for _, p := range [...]int{posN, posV, posA} {
		if p == pos {
			continue
		}
		if b, ok := k.lemma(w, p); ok {
			return b, &k.wn[b][p]
		}
	}
	return w, nil
}

// isBase reports whether w is a WordNet base form (no morphology), as the
// parts of a compound are.
func (k *knowledge) isBase(w string) bool {
	x := k.wn[w]
	return x != nil && (x[posN].catIdx != 0 && !x[posN].proper || x[posV].catIdx != 0 || x[posA].catIdx != 0)
}

// knownWord reports whether w is an ordinary word: in WordNet as something
// other than a capitalised name only.
func (k *knowledge) knownWord(w string) bool {
	_, s := k.lookup(w, posN)
	return s != nil && !s.proper
}

// affix is a word part with what it says about a word.
type affix struct {
	part string
	cat  classify.Category // "" when it says nothing about the category
	feat string            // encoded features, as in the data files
}

// Feature letters for the rule tables below (see seeds.txt order):
// a fire, b water, c earth, d air, e light, f shadow, g life, h void, i force,
// j binding, k ward, l sight, m mind, n time, o space, p fate;
// q arcane, r dark, s heroic, t primal, u divine, v eldritch, w whimsical, x martial;
// y offensive, z defensive, A utility, B summoning, C transformation,
// D divination, E enchantment, F necromancy, G control;
// H fire, I cold, J lightning, K thunder, L acid, M poison, N necrotic,
// O radiant, P psychic, Q force (energies).
var prefixes = []affix{
	{"pyro", "", "a8H6"}, {"fire", "", "a8H7"}, {"flame", "", "a8H7"}, {"ember", "", "a7H5"}, {"cinder", "", "a7H5"}, {"ash", "", "a5h2"},
	{"cryo", "", "b7I7"}, {"frost", "", "b7I7"}, {"ice", "", "b7I7"}, {"rime", "", "b6I6"}, {"snow", "", "b6I5"},
	{"hydro", "", "b8"}, {"aqua", "", "b8"}, {"tide", "", "b7"}, {"sea", "", "b7"}, {"brine", "", "b6"},
	{"geo", "", "c7"}, {"terra", "", "c7"}, {"stone", "", "c8"}, {"rock", "", "c7"}, {"iron", "", "c5i3x3"}, {"earth", "", "c8"},
	{"aero", "", "d7"}, {"storm", "", "d7J4t3"}, {"wind", "", "d7"}, {"sky", "", "d6"}, {"thunder", "", "d5i4K7"}, {"lightning", "", "d6J7"}, {"shock", "", "d4J5"},
	{"lumi", "", "e7"}, {"photo", "", "e6"}, {"sun", "", "e8O5"}, {"light", "", "e7"}, {"dawn", "", "e6"}, {"glimmer", "", "e6"}, {"gleam", "", "e6"}, {"star", "", "e6q3"}, {"radi", "", "e6O5"},
	{"umbr", "", "f7"}, {"shadow", "", "f8r4"}, {"night", "", "f7r3"}, {"dusk", "", "f6"}, {"gloom", "", "f7r4"}, {"dark", "", "f7r5"}, {"shade", "", "f6"},
	{"necro", "", "h6f4r7F8N6"}, {"death", "", "h7r7F7N5"}, {"grave", "", "h5r6F6"}, {"bone", "", "h3r5F5"}, {"blood", "", "g5r6"}, {"soul", "", "g4F5m3"},
	{"vita", "", "g7"}, {"bio", "", "g6"}, {"life", "", "g8"}, {"heal", "", "g7z6"}, {"thorn", "", "g5t5"}, {"root", "", "g5t5"}, {"leaf", "", "g5t5"},
	{"void", "", "h8v5"}, {"null", "", "h6"}, {"chaos", "", "v5p3"},
	{"chrono", "", "n8"}, {"tempo", "", "n6"},
	{"tele", "", "o6"}, {"astral", "", "o7v3"}, {"planar", "", "o6"}, {"blink", "", "o6"},
	{"psi", "", "m7P6"}, {"psycho", "", "m7P6"}, {"mind", "", "m8P5"}, {"dream", "", "m6"}, {"spirit", "", "m4u4"},
	{"holy", "", "e5u8O5"}, {"sacred", "", "u7"}, {"divine", "", "u8"}, {"hell", "", "a5r8"}, {"demon", "", "r8"}, {"doom", "", "p7r5"}, {"fate", "", "p8"}, {"luck", "", "p7"},
	{"war", "", "x7y4"}, {"battle", "", "x7y4"}, {"blade", "", "x6y5"}, {"shield", "", "k7z6x3"}, {"ward", "", "k7z6"}, {"venom", "", "M7r4"}, {"acid", "", "L7c3"},
}

var suffixes = []affix{
	{"mancy", classify.Concept, "q7"}, {"mancer", classify.Character, "q7"}, {"craft", classify.Concept, "q4"},
	{"ling", classify.Creature, ""}, {"kin", classify.Creature, ""}, {"spawn", classify.Creature, "r4"}, {"fiend", classify.Creature, "r7"},
	{"fang", classify.Creature, "t6y4"}, {"claw", classify.Creature, "t6y4"}, {"maw", classify.Creature, "t5r3y4"}, {"wing", classify.Creature, "d5t4"},
	{"horn", classify.Creature, "t5"}, {"tooth", classify.Creature, "t5"}, {"hound", classify.Creature, "t6"}, {"wolf", classify.Creature, "t7"},
	{"wyrm", classify.Creature, "t5"}, {"drake", classify.Creature, "t5"}, {"beast", classify.Creature, "t7"}, {"worm", classify.Creature, "t5"},
	{"blade", classify.Item, "x6y5i3"}, {"bane", classify.Item, "y5p3"}, {"brand", classify.Item, "x5y5a3"}, {"sword", classify.Item, "x7y5"},
	{"staff", classify.Item, "q5"}, {"helm", classify.Item, "k5x5"}, {"mail", classify.Item, "k6x5z5"}, {"plate", classify.Item, "k6x5z5"},
	{"stone", classify.Material, "c6"}, {"steel", classify.Material, "c4x4"}, {"silver", classify.Material, "c3e3"},
	{"heim", classify.Location, ""}, {"hold", classify.Location, ""}, {"keep", classify.Location, "k3"}, {"gard", classify.Location, ""},
	{"burg", classify.Location, ""}, {"dale", classify.Location, "t3"}, {"vale", classify.Location, "t3"}, {"moor", classify.Location, "t3"},
	{"fell", classify.Location, "c3"}, {"spire", classify.Location, ""}, {"reach", classify.Location, ""}, {"haven", classify.Location, "k3"},
	{"ford", classify.Location, "b3"}, {"port", classify.Location, "b3"}, {"wood", classify.Location, "g4t5"}, {"deep", classify.Location, "f4"},
	{"song", "", "m3w3"}, {"ward", "", "k7z6"}, {"weave", "", "q5"}, {"veil", "", "f5k3"}, {"shroud", "", "f6k3"},
}

// prefixByFirst and suffixByLast index the affixes by their first and last
// byte, in table order.
var (
	prefixByFirst = func() (t [256][]int) {
		for i, a := range prefixes {
			t[a.part[0]] = append(t[a.part[0]], i)
		}
		return t
	}()
	suffixByLast = func() (t [256][]int) {
		for i, a := range suffixes {
			t[a.part[len(a.part)-1]] = append(t[a.part[len(a.part)-1]], i)
		}
		return t
	}()
)

// affixFeatures looks at word parts of an unknown word: a known prefix or
// suffix, or a split into two known words ("cindersong" = cinder + song).
// It returns the category the parts suggest (or "") and their features.
// For a word WordNet knows, only true compounds count (fire + ball).
func (k *knowledge) affixFeatures(w string, v *feats, weight float64, known bool) classify.Category {
	var cat classify.Category
	if w == "" {
		return ""
	}
	for _, i := range prefixByFirst[w[0]] {
		a := &prefixes[i]
		if strings.HasPrefix(w, a.part) && len(w) > len(a.part)+2 && (!known || k.isBase(w[len(a.part):])) {
			addEncoded(v, a.feat, weight)
			k.partFeatures(w[len(a.part):], v, weight*0.8)
			break
		}
	}
	for _, i := range suffixByLast[w[len(w)-1]] {
		a := &suffixes[i]
		if strings.HasSuffix(w, a.part) && len(w) > len(a.part)+2 && (!known || k.isBase(w[:len(w)-len(a.part)])) {
			addEncoded(v, a.feat, weight)
			cat = a.cat
			k.partFeatures(w[:len(w)-len(a.part)], v, weight*0.8)
			return cat
		}
	}
	// Compound of two known words: the longest known head wins.
	if !known && utf8.RuneCountInString(w) >= 6 {
		for i := 3; i <= len(w)-3; i++ {
			left, right := w[:i], w[i:]
			if k.isBase(left) && k.isBase(right) {
				k.partFeatures(left, v, weight*0.8)
				k.partFeatures(right, v, weight)
				if _, s := k.lookup(right, posN); s != nil && float64(s.share) >= 0.6 {
					switch s.category() {
					case classify.Creature, classify.Item, classify.Location:
						cat = s.category()
					}
				}
				if c, ok := k.fantasy[right]; ok {
					cat = c
				}
				if compoundMaterials[right] {
					cat = classify.Material // "skyglass", "frostglass"
				}
				return cat
			}
		}
	}
	return cat
}

// compoundMaterials end compounds that name a substance: "skyglass".
var compoundMaterials = wordSet(`glass stone steel iron silver gold copper bronze brass salt ore crystal silk leather
	ash dust sand clay coal amber pearl jade obsidian oil resin wax glass metal wood bone`)

// partFeatures adds the features of a known word part.
func (k *knowledge) partFeatures(w string, v *feats, weight float64) {
	if fs, ok := k.seeds[w]; ok {
		for _, f := range fs {
			orInto(v, f, 0.8*weight)
		}
	}
	if _, s := k.lookup(w, posN); s != nil {
		addEncoded(v, s.feat, weight)
	}
}

// canonical is the singular dictionary form of a term: lowercase for common
// words and phrases with the head noun made singular ("ancient red dragons"
// gives "ancient red dragon"), the original capitalisation for names
// ("Mordenkainen's Sword").
func (k *knowledge) canonical(text, lower string, words []tokenWord, head int, headLemma string, pos int, name bool) string {
	if name || head < 0 {
		return text
	}
	if headLemma == "" || headLemma == words[head].lower || pos == posA {
		return lower
	}
	// Replace the head word, found as the head-th content word of the text.
	fields := strings.Fields(lower)
	seen := -1
	for i, f := range fields {
		core := strings.Trim(f, ",.;:!?()[]\"'")
		if core == "" {
			continue
		}
		seen++
		if seen == head && strings.TrimSuffix(core, "'s") == words[head].lower {
			fields[i] = strings.Replace(f, words[head].lower, headLemma, 1)
			return strings.Join(fields, " ")
		}
	}
	return lower
}

// isName reports whether a term is a proper name: capitalised words that
// WordNet does not know as ordinary words ("Mordenkainen's Sword",
// "Glimmerfang"), or WordNet's own names ("Tiamat").
func (k *knowledge) isName(words []tokenWord) bool {
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w.surface)
		if !unicode.IsUpper(r) || functionWords[w.lower] {
			continue
		}
		if x := k.wn[w.lower]; x != nil && x[posN].proper {
			return true
		}
		if !k.knownWord(w.lower) && !k.knownVerbOrAdj(w.lower) && !isNumberish(w.lower) {
			return true
		}
	}
	return false
}

func (k *knowledge) knownVerbOrAdj(w string) bool {
	if _, ok := k.lemma(w, posV); ok {
		return true
	}
	_, ok := k.lemma(w, posA)
	return ok
}

func isNumberish(w string) bool {
	return strings.IndexFunc(w, unicode.IsLetter) < 0
}
