// Command gen builds the offline classifier's embedded knowledge from its
// sources. It is deterministic: the same inputs give byte-identical outputs.
//
//	go run ./gen -wordnet /usr/share/wordnet -srd /path/to/srd/json/2014 -out data
//
// Inputs:
//   - WordNet 3.0 database files (Debian package wordnet-base, installed at
//     /usr/share/wordnet): data.{noun,verb,adj,adv}, index.*, *.exc.
//   - The SRD 5.1 structured data (5e-SRD-*.json, CC-BY-4.0), for example the
//     test corpus's srd/json/2014 folder.
//   - data/seeds.txt: hand-written seed words per axis, mood, intent, energy.
//
// Outputs in -out:
//   - wordnet.tsv.gz: one line per lemma and part of speech (n, v, a): the
//     category and its share (0-9) among the lemma's senses, the number of
//     senses (P when every sense is a capitalised name), and the features
//     spread from the seeds (a letter per feature in seeds.txt order and a
//     digit in tenths).
//   - morph.tsv: WordNet's irregular inflections (noun.exc, verb.exc, adj.exc).
//   - srd.tsv: SRD names with category, kind, energy and description features.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func main() {
	wn := flag.String("wordnet", "/usr/share/wordnet", "WordNet 3.0 database folder")
	srd := flag.String("srd", os.Getenv("CORPORA_SRD_JSON"), "SRD 5.1 JSON folder (5e-SRD-*.json); default $CORPORA_SRD_JSON")
	out := flag.String("out", "data", "output folder (must hold seeds.txt)")
	flag.Parse()
	if *srd == "" {
		fmt.Fprintln(os.Stderr, "gen: -srd or CORPORA_SRD_JSON is required (the SRD 5.1 json/2014 folder)")
		os.Exit(2)
	}
	if err := run(*wn, *srd, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(wnDir, srdDir, outDir string) error {
	seeds, err := readSeeds(filepath.Join(outDir, "seeds.txt"))
	if err != nil {
		return err
	}
	w, err := loadWordNet(wnDir)
	if err != nil {
		return err
	}
	data, err := w.lexicon(seeds)
	if err != nil {
		return err
	}
	if err := writeGzip(filepath.Join(outDir, "wordnet.tsv.gz"), data); err != nil {
		return err
	}
	morph, err := morphology(wnDir)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(outDir, "morph.tsv"), morph, 0o644); err != nil {
		return err
	}
	s, err := srdLexicon(srdDir, seeds)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, "srd.tsv"), s, 0o644)
}

// ---------------------------------------------------------------- seeds

type seedSet struct {
	names []string         // feature names in file order
	words map[string][]int // seed word -> features
	list  map[int][]string // feature -> words
}

func readSeeds(path string) (*seedSet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := &seedSet{words: map[string][]int{}, list: map[int][]string{}}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		name, rest, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%s: bad line %q", path, line)
		}
		f := len(s.names)
		s.names = append(s.names, strings.TrimSpace(name))
		for _, w := range strings.Fields(rest) {
			s.words[w] = append(s.words[w], f)
			s.list[f] = append(s.list[f], w)
		}
	}
	if len(s.names) > len(featChars) {
		return nil, fmt.Errorf("%s: %d features, at most %d", path, len(s.names), len(featChars))
	}
	return s, nil
}

// featChars name features in the compact encoding: one letter per feature
// followed by a digit in tenths.
const featChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

func encodeFeatures(v []float64) string {
	var b strings.Builder
	for i, x := range v {
		d := int(math.Round(x * 10))
		if d > 9 {
			d = 9
		}
		if d >= 2 {
			b.WriteByte(featChars[i])
			b.WriteByte(byte('0' + d))
		}
	}
	return b.String()
}

// glossFeatures scores text by the seed words it contains.
func glossFeatures(s *seedSet, text string, per, capv float64) []float64 {
	v := make([]float64, len(s.names))
	for _, tok := range tokens(text) {
		fs, ok := s.words[tok]
		if !ok && strings.HasSuffix(tok, "s") {
			fs = s.words[strings.TrimSuffix(tok, "s")]
		}
		for _, f := range fs {
			v[f] = math.Min(capv, v[f]+per)
		}
	}
	return v
}

func tokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '_')
	})
}

// ---------------------------------------------------------------- wordnet

type ptr struct {
	sym string
	key string
}

type synset struct {
	key     string // pos + offset
	lexfile int
	words   []string
	proper  []bool // word form capitalised in WordNet (a name: Zeus, Paris)
	ptrs    []ptr
	gloss   string
}

type wordNet struct {
	syn   map[string]*synset
	index map[string]map[byte][]string // lemma -> pos -> synset keys in sense order
}

func posKey(p string) byte {
	if p == "s" {
		return 'a'
	}
	return p[0]
}

func loadWordNet(dir string) (*wordNet, error) {
	w := &wordNet{syn: map[string]*synset{}, index: map[string]map[byte][]string{}}
	for _, f := range []string{"noun", "verb", "adj", "adv"} {
		if err := w.readData(filepath.Join(dir, "data."+f)); err != nil {
			return nil, err
		}
		if err := w.readIndex(filepath.Join(dir, "index."+f)); err != nil {
			return nil, err
		}
	}
	return w, nil
}

func (w *wordNet) readData(path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue
		}
		head, gloss, _ := strings.Cut(line, " | ")
		f := strings.Fields(head)
		if len(f) < 5 {
			return fmt.Errorf("%s: short line %q", path, line)
		}
		lex, _ := strconv.Atoi(f[1])
		s := &synset{key: string(posKey(f[2])) + f[0], lexfile: lex, gloss: gloss}
		n, _ := strconv.ParseInt(f[3], 16, 32)
		i := 4
		for j := 0; j < int(n); j++ {
			word := f[i]
			if k := strings.IndexByte(word, '('); k > 0 { // adjective markers like (p)
				word = word[:k]
			}
			s.words = append(s.words, strings.ToLower(word))
			s.proper = append(s.proper, word[0] >= 'A' && word[0] <= 'Z')
			i += 2
		}
		pc, _ := strconv.Atoi(f[i])
		i++
		for j := 0; j < pc; j++ {
			s.ptrs = append(s.ptrs, ptr{sym: f[i], key: string(posKey(f[i+2])) + f[i+1]})
			i += 4
		}
		w.syn[s.key] = s
	}
	return sc.Err()
}

func (w *wordNet) readIndex(path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		lemma, pos := f[0], posKey(f[1])
		n, _ := strconv.Atoi(f[2])
		pc, _ := strconv.Atoi(f[3])
		offs := f[4+pc+2:]
		if len(offs) != n {
			return fmt.Errorf("%s: bad index line %q", path, line)
		}
		m := w.index[lemma]
		if m == nil {
			m = map[byte][]string{}
			w.index[lemma] = m
		}
		for _, o := range offs {
			m[pos] = append(m[pos], string(pos)+o)
		}
	}
	return sc.Err()
}

// senseWeight lowers later (rarer) senses.
func senseWeight(i int) float64 {
	return []float64{1, 0.75, 0.6, 0.5, 0.42, 0.36, 0.32, 0.28}[min(i, 7)]
}

// anchors map well-known synsets (word, sense index) to a category; the
// nearest anchor on a synset's hypernym path decides its category, before
// the lexicographer file.
var anchors = []struct {
	word  string
	sense int
	cat   byte
}{
	{"imaginary_being", 0, 'c'}, {"spiritual_being", 0, 'c'}, {"monster", 0, 'c'}, {"organism", 0, 'c'},
	{"animal", 0, 'c'}, {"demon", 0, 'c'}, {"fairy", 0, 'c'}, {"giant", 0, 'c'},
	{"deity", 0, 'h'}, {"person", 0, 'h'},
	{"structure", 0, 'l'}, {"building", 0, 'l'}, {"geographical_area", 0, 'l'}, {"region", 0, 'l'},
	{"body_of_water", 0, 'l'}, {"road", 0, 'l'}, {"room", 0, 'l'}, {"celestial_body", 0, 'l'},
	{"natural_elevation", 0, 'l'}, {"geological_formation", 0, 'l'}, {"land", 0, 'l'}, {"area", 0, 'l'},
	{"incantation", 0, 's'},
	{"substance", 0, 'm'}, {"material", 0, 'm'}, {"body_part", 0, 'm'}, {"gemstone", 0, 'm'}, {"rock", 0, 'm'},
	{"instrumentality", 2, 'i'}, {"weapon", 0, 'i'}, {"covering", 1, 'i'}, {"commodity", 0, 'i'},
}

// lexCat maps lexicographer files to categories.
func lexCat(lex int) byte {
	switch lex {
	case 5: // noun.animal
		return 'c'
	case 18: // noun.person
		return 'h'
	case 6: // noun.artifact
		return 'i'
	case 15: // noun.location
		return 'l'
	case 8, 13, 17, 20, 27: // body, food, object, plant, substance
		return 'm'
	case 4: // noun.act
		return 'a'
	}
	if lex >= 29 && lex <= 43 { // verbs
		return 'a'
	}
	return 'o'
}

func (w *wordNet) categoryOf(key string, anchor map[string]byte) byte {
	s := w.syn[key]
	// Breadth-first up the hypernyms: the nearest anchor decides.
	seen := map[string]bool{key: true}
	frontier := []string{key}
	for depth := 0; depth < 20 && len(frontier) > 0; depth++ {
		var best byte
		for _, k := range frontier {
			if c, ok := anchor[k]; ok && (best == 0 || c < best) {
				best = c
			}
		}
		if best != 0 {
			return best
		}
		var next []string
		for _, k := range frontier {
			for _, p := range w.syn[k].ptrs {
				if (p.sym == "@" || p.sym == "@i") && !seen[p.key] {
					seen[p.key] = true
					next = append(next, p.key)
				}
			}
		}
		sort.Strings(next)
		frontier = next
	}
	return lexCat(s.lexfile)
}

// spread propagates each feature from its seed synsets through hyponym,
// derivation, similarity and pertainym links, 0.7 per step, 3 steps at most.
func (w *wordNet) spread(seeds *seedSet) map[string][]float64 {
	nf := len(seeds.names)
	score := map[string][]float64{}
	get := func(k string) []float64 {
		v := score[k]
		if v == nil {
			v = make([]float64, nf)
			score[k] = v
		}
		return v
	}
	for f := 0; f < nf; f++ {
		best := map[string]float64{}
		var frontier []string
		for _, word := range seeds.list[f] {
			for _, pos := range []byte("nva") {
				for i, k := range w.index[word][pos] {
					if i >= 2 {
						break
					}
					v := 1.0 - 0.2*float64(i)
					if v > best[k] {
						if _, ok := best[k]; !ok {
							frontier = append(frontier, k)
						}
						best[k] = v
					}
				}
			}
		}
		for step := 0; step < 3 && len(frontier) > 0; step++ {
			sort.Strings(frontier)
			var next []string
			for _, k := range frontier {
				v := best[k] * 0.7
				if v < 0.2 {
					continue
				}
				for _, p := range w.syn[k].ptrs {
					switch p.sym {
					case "~", "~i", "+", "&", "\\", "^", "<":
					default:
						continue
					}
					if v > best[p.key] {
						if _, ok := best[p.key]; !ok {
							next = append(next, p.key)
						}
						best[p.key] = v
					}
				}
			}
			frontier = next
		}
		for k, v := range best {
			get(k)[f] = v
		}
	}
	// Glosses carry evidence too ("breathing fire" in dragon's gloss).
	for k, s := range w.syn {
		gloss := s.gloss
		if i := strings.IndexByte(gloss, '"'); i >= 0 { // drop example sentences
			gloss = gloss[:i]
		}
		g := glossFeatures(seeds, gloss, 0.45, 0.6)
		for f, x := range g {
			if x > 0 {
				v := get(k)
				v[f] = math.Max(v[f], x)
			}
		}
	}
	return score
}

func (w *wordNet) lexicon(seeds *seedSet) ([]byte, error) {
	anchor := map[string]byte{}
	for _, a := range anchors {
		keys := w.index[a.word]['n']
		if a.sense >= len(keys) {
			return nil, fmt.Errorf("anchor %s#%d not in WordNet", a.word, a.sense)
		}
		anchor[keys[a.sense]] = a.cat
	}
	score := w.spread(seeds)
	lemmas := make([]string, 0, len(w.index))
	for l := range w.index {
		lemmas = append(lemmas, l)
	}
	sort.Strings(lemmas)
	var b bytes.Buffer
	fmt.Fprintf(&b, "#features\t%s\n", strings.Join(seeds.names, " "))
	nf := len(seeds.names)
	for _, l := range lemmas {
		if strings.ContainsAny(l, "0123456789.") || strings.Count(l, "_") > 3 {
			continue
		}
		for _, pos := range []byte("nva") {
			keys := w.index[l][pos]
			if len(keys) == 0 {
				continue
			}
			feat := make([]float64, nf)
			cats := map[byte]float64{}
			total := 0.0
			for i, k := range keys {
				sw := senseWeight(i)
				if v := score[k]; v != nil {
					for f, x := range v {
						feat[f] = math.Max(feat[f], sw*x)
					}
				}
				var c byte = 'o'
				switch pos {
				case 'n':
					c = w.categoryOf(k, anchor)
				case 'v':
					c = 'a'
				}
				// The first (most frequent) sense dominates the category.
				cw := math.Pow(0.5, float64(i))
				cats[c] += cw
				total += cw
			}
			var best byte
			for _, c := range []byte("scilhmoa") {
				if best == 0 || cats[c] > cats[best] {
					best = c
				}
			}
			share := int(math.Round(cats[best] / total * 9))
			proper := ""
			if pos == 'n' && w.allProper(l, keys) {
				proper = "P"
			}
			fmt.Fprintf(&b, "%s\t%c\t%c%d\t%d%s\t%s\n", strings.ReplaceAll(l, "_", " "), pos, best, share, min(len(keys), 9), proper, encodeFeatures(feat))
		}
	}
	return b.Bytes(), nil
}

// allProper reports whether every sense of lemma is written capitalised.
func (w *wordNet) allProper(lemma string, keys []string) bool {
	for _, k := range keys {
		s := w.syn[k]
		i := slices.Index(s.words, lemma)
		if i < 0 || !s.proper[i] {
			return false
		}
	}
	return true
}

func writeGzip(path string, data []byte) error {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func morphology(dir string) ([]byte, error) {
	var b bytes.Buffer
	for _, f := range []string{"noun", "verb", "adj"} {
		data, err := os.ReadFile(filepath.Join(dir, f+".exc"))
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(data), "\n") {
			fs := strings.Fields(line)
			if len(fs) < 2 || strings.ContainsAny(fs[0], "_0123456789") {
				continue
			}
			fmt.Fprintf(&b, "%c\t%s\t%s\n", f[0], fs[0], fs[1])
		}
	}
	return b.Bytes(), nil
}

// ---------------------------------------------------------------- SRD

type ref struct {
	Index string `json:"index"`
	Name  string `json:"name"`
}

type srdEntry struct {
	name, cat, kind, energy, extra string
	feat                           []float64
}

func readJSON(dir, name string, v any) error {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func joinDesc(d any) string {
	switch x := d.(type) {
	case string:
		return x
	case []any:
		var parts []string
		for _, p := range x {
			parts = append(parts, joinDesc(p))
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// physical damage types do not make an energy for monsters.
var physical = map[string]bool{"bludgeoning": true, "piercing": true, "slashing": true}

func srdLexicon(dir string, seeds *seedSet) ([]byte, error) {
	var entries []srdEntry
	axisOf := map[string]string{"fire": "axis.fire", "cold": "axis.water", "lightning": "axis.air", "thunder": "axis.air",
		"acid": "axis.earth", "necrotic": "axis.void", "radiant": "axis.light", "psychic": "axis.mind", "force": "axis.force"}
	add := func(e srdEntry, desc string) {
		e.feat = glossFeatures(seeds, e.name+" "+e.name+" "+desc, 0.15, 0.6)
		// Every damage type the description deals shows on its axis.
		low := strings.ToLower(desc)
		for _, d := range sortedKeys(map[string]int{"fire": 0, "cold": 0, "lightning": 0, "thunder": 0, "acid": 0, "necrotic": 0, "radiant": 0, "psychic": 0, "force": 0}) {
			if strings.Contains(low, d+" damage") {
				if f := slices.Index(seeds.names, axisOf[d]); f >= 0 {
					e.feat[f] = math.Max(e.feat[f], 0.6)
				}
			}
		}
		entries = append(entries, e)
	}

	var spells []struct {
		Name   string `json:"name"`
		Desc   any    `json:"desc"`
		Level  int    `json:"level"`
		School ref    `json:"school"`
		Damage struct {
			Type ref `json:"damage_type"`
		} `json:"damage"`
	}
	if err := readJSON(dir, "5e-SRD-Spells.json", &spells); err != nil {
		return nil, err
	}
	for _, s := range spells {
		add(srdEntry{name: s.Name, cat: "spell", kind: s.School.Index, energy: s.Damage.Type.Index, extra: strconv.Itoa(s.Level)}, joinDesc(s.Desc))
	}

	var monsters []struct {
		Name    string `json:"name"`
		Size    string `json:"size"`
		Type    string `json:"type"`
		Actions []struct {
			Desc   string `json:"desc"`
			Damage []struct {
				Type ref `json:"damage_type"`
			} `json:"damage"`
		} `json:"actions"`
	}
	if err := readJSON(dir, "5e-SRD-Monsters.json", &monsters); err != nil {
		return nil, err
	}
	for _, m := range monsters {
		count := map[string]int{}
		var desc []string
		for _, a := range m.Actions {
			desc = append(desc, a.Desc)
			for _, d := range a.Damage {
				if t := d.Type.Index; t != "" && !physical[t] {
					count[t]++
				}
			}
		}
		energy := ""
		for _, t := range sortedKeys(count) {
			if energy == "" || count[t] > count[energy] {
				energy = t
			}
		}
		kind := strings.ToLower(m.Type)
		if i := strings.IndexAny(kind, " ("); i > 0 { // "swarm of tiny beasts"
			kind = kind[:i]
		}
		add(srdEntry{name: m.Name, cat: "creature", kind: kind, energy: energy, extra: strings.ToLower(m.Size)}, strings.Join(desc, " "))
	}

	var items []struct {
		Name     string `json:"name"`
		Category ref    `json:"equipment_category"`
		Rarity   struct {
			Name string `json:"name"`
		} `json:"rarity"`
		Desc []string `json:"desc"`
	}
	if err := readJSON(dir, "5e-SRD-Magic-Items.json", &items); err != nil {
		return nil, err
	}
	for _, it := range items {
		add(srdEntry{name: it.Name, cat: "item", kind: it.Category.Index, extra: strings.ToLower(it.Rarity.Name)}, strings.Join(it.Desc, " "))
	}

	var equipment []struct {
		Name     string `json:"name"`
		Category ref    `json:"equipment_category"`
		Damage   struct {
			Type ref `json:"damage_type"`
		} `json:"damage"`
		Desc []string `json:"desc"`
	}
	if err := readJSON(dir, "5e-SRD-Equipment.json", &equipment); err != nil {
		return nil, err
	}
	for _, e := range equipment {
		add(srdEntry{name: e.Name, cat: "item", kind: e.Category.Index, energy: e.Damage.Type.Index, extra: "mundane"}, strings.Join(e.Desc, " "))
	}

	simple := []struct{ file, cat, kind string }{
		{"5e-SRD-Conditions.json", "concept", "condition"},
		{"5e-SRD-Damage-Types.json", "concept", "damage-type"},
		{"5e-SRD-Magic-Schools.json", "concept", "school"},
		{"5e-SRD-Races.json", "creature", "race"},
		{"5e-SRD-Subraces.json", "creature", "race"},
		{"5e-SRD-Classes.json", "character", "class"},
		{"5e-SRD-Languages.json", "concept", "language"},
	}
	for _, s := range simple {
		var list []struct {
			Name string `json:"name"`
			Desc any    `json:"desc"`
		}
		if err := readJSON(dir, s.file, &list); err != nil {
			return nil, err
		}
		for _, x := range list {
			energy := ""
			if s.kind == "damage-type" {
				energy = strings.ToLower(x.Name)
			}
			add(srdEntry{name: x.Name, cat: s.cat, kind: s.kind, energy: energy}, joinDesc(x.Desc))
		}
	}

	// One entry per lowercase name; the first source in the order above wins
	// (a spell named like an item stays a spell).
	seen := map[string]bool{}
	var lines []string
	for _, e := range entries {
		key := strings.ToLower(e.name)
		if seen[key] {
			continue
		}
		seen[key] = true
		lines = append(lines, strings.Join([]string{e.name, e.cat, e.kind, e.energy, e.extra, encodeFeatures(e.feat)}, "\t"))
	}
	slices.Sort(lines)
	var b bytes.Buffer
	b.WriteString("# SRD 5.1 lexicon, generated by gen/ from the SRD 5.1 JSON (CC-BY-4.0, Wizards of the Coast; see NOTICE).\n")
	b.WriteString("# name\tcategory\tkind\tenergy\textra\tfeatures\n")
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
