package offline

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/corpora-tools/corpora/internal/classify"
)

//go:generate go run ./gen -wordnet /usr/share/wordnet -srd ${CORPORA_SRD_JSON} -out data

var (
	//go:embed data/wordnet.tsv.gz
	wordnetGz []byte
	//go:embed data/morph.tsv
	morphTSV string
	//go:embed data/srd.tsv
	srdTSV string
	//go:embed data/seeds.txt
	seedsTxt string
	//go:embed data/fantasy.txt
	fantasyTxt string
)

// Feature layout, fixed by data/seeds.txt: 16 axes, 8 moods, 9 intents, then
// energies. loadKnowledge checks the file against it.
const (
	featMood   = classify.AxisCount
	featIntent = featMood + 8
	featEnergy = featIntent + 9
)

// energyNames are the energies in seeds.txt order.
var energyNames = [...]string{"fire", "cold", "lightning", "thunder", "acid", "poison", "necrotic", "radiant", "psychic", "force"}

const numFeat = featEnergy + len(energyNames)

// feats is a feature vector: axes, moods, intents, energies.
type feats [numFeat]float64

// sense is what WordNet says about a lemma in one part of speech.
type sense struct {
	feat   string  // encoded features: letter + digit in tenths
	share  float32 // the category's share of the lemma's senses, 0..1
	catIdx uint8   // 1 + index in classify.Categories; 0: no senses in this part of speech
	senses uint8
	proper bool // every sense is a capitalised name
}

// category is the category of the lemma's senses.
func (s *sense) category() classify.Category {
	if s.catIdx == 0 {
		return ""
	}
	return classify.Categories[s.catIdx-1]
}

// word is a WordNet lemma: noun, verb and adjective senses (cat "" if absent).
type word [3]sense

const (
	posN = iota
	posV
	posA
)

// srdEntry is one SRD 5.1 name.
type srdEntry struct {
	name, kind, energy, extra string
	cat                       classify.Category
	feat                      string
}

// knowledge is the parsed embedded data; immutable after load.
type knowledge struct {
	wn         map[string]*word
	exc        [3]map[string]string // irregular inflection -> base, per POS
	srd        map[string]*srdEntry // by lowercase name
	seeds      map[string][]int     // seed word -> features
	seedFilter wordFilter           // the seed words, for a fast "no"
	fantasy    map[string]classify.Category
	srdTail    map[string]*srdEntry // last two words of 3+ word creature names ("red dragon")
}

var (
	knowOnce sync.Once
	know     *knowledge
	knowErr  error
)

// loaded returns the embedded knowledge, parsing it on first use.
func loaded() (*knowledge, error) {
	knowOnce.Do(func() { know, knowErr = loadKnowledge() })
	return know, knowErr
}

var catCodes = map[byte]classify.Category{
	's': classify.Spell, 'c': classify.Creature, 'i': classify.Item, 'l': classify.Location,
	'h': classify.Character, 'm': classify.Material, 'o': classify.Concept, 'a': classify.Action,
}

func loadKnowledge() (*knowledge, error) {
	k := &knowledge{
		wn:      make(map[string]*word, 160000),
		srd:     map[string]*srdEntry{},
		srdTail: map[string]*srdEntry{},
		seeds:   map[string][]int{},
		fantasy: map[string]classify.Category{},
	}
	if err := k.loadSeeds(); err != nil {
		return nil, err
	}
	if err := k.loadWordNet(); err != nil {
		return nil, err
	}
	for i := range k.exc {
		k.exc[i] = map[string]string{}
	}
	for _, line := range strings.Split(morphTSV, "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		i := map[string]int{"n": posN, "v": posV, "a": posA}[f[0]]
		if _, ok := k.exc[i][f[1]]; !ok {
			k.exc[i][f[1]] = f[2]
		}
	}
	for _, line := range strings.Split(srdTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("offline: srd.tsv: bad line %q", line)
		}
		e := &srdEntry{name: f[0], cat: classify.Category(f[1]), kind: f[2], energy: f[3], extra: f[4], feat: f[5]}
		low := strings.ToLower(f[0])
		k.srd[low] = e
		if ws := strings.Fields(low); e.cat == classify.Creature && len(ws) >= 3 {
			tail := strings.Join(ws[len(ws)-2:], " ")
			if _, ok := k.srdTail[tail]; !ok {
				k.srdTail[tail] = e
			}
		}
	}
	for _, line := range strings.Split(fantasyTxt, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		cat, words, _ := strings.Cut(line, ":")
		for _, w := range strings.Fields(words) {
			k.fantasy[strings.ReplaceAll(w, "_", " ")] = classify.Category(cat)
		}
	}
	return k, nil
}

func (k *knowledge) loadSeeds() error {
	var names []string
	for _, line := range strings.Split(seedsTxt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		name, words, _ := strings.Cut(line, ":")
		f := len(names)
		names = append(names, name)
		for _, w := range strings.Fields(words) {
			w = strings.ReplaceAll(w, "_", " ")
			k.seeds[w] = append(k.seeds[w], f)
			k.seedFilter.add(w)
		}
	}
	return checkLayout(names)
}

// checkLayout verifies that seeds.txt lists the features in the order the
// code indexes them.
func checkLayout(names []string) error {
	var want []string
	for _, a := range classify.AxisNames {
		want = append(want, "axis."+a)
	}
	for _, m := range classify.Moods {
		want = append(want, "mood."+string(m))
	}
	for _, in := range classify.Intents {
		want = append(want, "intent."+string(in))
	}
	for _, e := range energyNames {
		want = append(want, "energy."+e)
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		return fmt.Errorf("offline: seeds.txt features %v, want %v", names, want)
	}
	return nil
}

func (k *knowledge) loadWordNet() error {
	zr, err := gzip.NewReader(bytes.NewReader(wordnetGz))
	if err != nil {
		return fmt.Errorf("offline: wordnet.tsv.gz: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("offline: wordnet.tsv.gz: %w", err)
	}
	// Lines are substrings of one string: no allocation per line.
	text := string(data)
	first := true
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if first {
			first = false
			names := strings.Fields(strings.TrimPrefix(line, "#features\t"))
			if err := checkLayout(names); err != nil {
				return fmt.Errorf("offline: wordnet.tsv.gz was generated from other seeds: %w", err)
			}
			continue
		}
		// lemma \t pos \t cat+share \t senses[P] \t features
		var f [5]string
		n := 0
		for n < 4 {
			i := strings.IndexByte(line, '\t')
			if i < 0 {
				break
			}
			f[n], line = line[:i], line[i+1:]
			n++
		}
		f[4] = line
		if n != 4 || len(f[2]) != 2 || f[3] == "" || f[1] == "" {
			return fmt.Errorf("offline: wordnet.tsv.gz: bad line %q", f[0])
		}
		w := k.wn[f[0]]
		if w == nil {
			w = &word{}
			k.wn[f[0]] = w
		}
		p := posN
		switch f[1][0] {
		case 'v':
			p = posV
		case 'a':
			p = posA
		}
		c := catIndex(catCodes[f[2][0]])
		if c < 0 {
			return fmt.Errorf("offline: wordnet.tsv.gz: bad category in line %q", f[0])
		}
		w[p] = sense{
			feat:   f[4],
			catIdx: uint8(c + 1),
			share:  float32(f[2][1]-'0') / 9,
			senses: f[3][0] - '0',
			proper: strings.HasSuffix(f[3], "P"),
		}
	}
	return nil
}

// featChars name features in the encoded strings (see gen/main.go).
const featChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

var featIndex = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(featChars); i++ {
		t[featChars[i]] = int8(i)
	}
	return t
}()

// addEncoded ORs the encoded features, scaled by w, into v.
func addEncoded(v *feats, enc string, w float64) {
	for i := 0; i+1 < len(enc); i += 2 {
		f := featIndex[enc[i]]
		if f < 0 || int(f) >= numFeat {
			continue
		}
		orInto(v, int(f), float64(enc[i+1]-'0')/10*w)
	}
}

// orInto combines evidence as independent probabilities: a + b - ab.
func orInto(v *feats, f int, x float64) {
	if x <= 0 {
		return
	}
	if x > 1 {
		x = 1
	}
	v[f] = v[f] + x - v[f]*x
}
