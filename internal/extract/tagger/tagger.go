package tagger

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/extract/lemma"
)

//go:embed model.txt.gz
var modelData []byte

// lexiconData is the en-lexicon word list (see LICENSE): a word, a tab and
// its Penn tags, most frequent first, separated by "|", a line.
//
//go:embed lexicon.txt.gz
var lexiconData []byte

// Lexicon returns the embedded lexicon, loaded on first use.
var Lexicon = sync.OnceValue(func() map[string]string {
	zr, err := gzip.NewReader(bytes.NewReader(lexiconData))
	if err != nil {
		panic(fmt.Sprintf("tagger: embedded lexicon.txt.gz: %v", err))
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		panic(fmt.Sprintf("tagger: embedded lexicon.txt.gz: %v", err))
	}
	lex := make(map[string]string, 110_000)
	for _, line := range strings.Split(string(b), "\n") {
		if w, tags, ok := strings.Cut(line, "\t"); ok {
			lex[w] = tags
		}
	}
	return lex
})

// LexClass is the tags the lexicon gives word w in lower case, or "-".
// (Its capitalised entries come from sentence starts: "Acid" is JJ.)
func LexClass(lex map[string]string, w string) string {
	if lex == nil {
		return "-"
	}
	if t, ok := lex[strings.ToLower(w)]; ok {
		return t
	}
	return "-"
}

// Tag is a Penn Treebank tag, an index into the model's class list.
type Tag uint8

// Feature templates, in the order gen numbers them.
const (
	fBias = iota
	fSuffix
	fPref1
	fTag1
	fTag2
	fTag12
	fWord
	fTag1Word
	fWord1
	fSuffix1
	fWord2
	fWordN1
	fSuffixN1
	fWordN2
	// corpora's templates, learnt by gen -train (prose has no weights
	// for them). Word parts are of the lower-cased word.
	fSuf1    // i suffix1: last byte
	fSuf2    // i suffix2
	fSuf4    // i suffix4
	fPre2    // i prefix2
	fPre3    // i prefix3
	fShape   // i shape (see Shape)
	fWN      // i wordnet: the word's WordNet readings (see WNClass)
	fShape1  // i-1 shape
	fShapeN1 // i+1 shape
	fWN1     // i-1 wordnet
	fWNN1    // i+1 wordnet
	fFirst   // first word's shape (sentence-initial capitals)
	fTag1Suf // i-1 tag + i suffix3
	fWordN1W // i word + i+1 word (normalised)
	fWord1W  // i-1 word + i word (normalised)
	fLex     // i lex: the word's tags in the lexicon (see LexClass)
	fLex1    // i-1 lex
	fLexN1   // i+1 lex
	numTemplates
)

// Templates are the feature template names, indexed by template number,
// as gen writes them into feature keys.
var Templates = [numTemplates]string{
	"bias", "i suffix", "i pref1", "i-1 tag", "i-2 tag", "i tag+i-2 tag", "i word",
	"i-1 tag+i word", "i-1 word", "i-1 suffix", "i-2 word", "i+1 word", "i+1 suffix", "i+2 word",
	"i suffix1", "i suffix2", "i suffix4", "i prefix2", "i prefix3", "i shape", "i wordnet",
	"i-1 shape", "i+1 shape", "i-1 wordnet", "i+1 wordnet", "first shape", "i-1 tag+i suffix3",
	"i word+i+1 word", "i-1 word+i word", "i lex", "i-1 lex", "i+1 lex",
}

// TemplateParts is the number of parts after each template's name.
var TemplateParts = [numTemplates]int{0, 1, 1, 1, 1, 2, 1, 2, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1}

// Shape is the word's shape: upper-case letters become X, lower-case x,
// digits d, runs of one kind one character, other bytes stay
// ("Wizard" Xx, "U.S." X.X., "3-4" d-d).
func Shape(w string) string {
	var b []byte
	var last byte
	for _, r := range w {
		var c byte
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLetter(r):
			c = 'x'
		case unicode.IsDigit(r):
			c = 'd'
		case r < utf8.RuneSelf:
			c = byte(r)
		default:
			c = '*'
		}
		if c != last || c != 'X' && c != 'x' && c != 'd' {
			b = append(b, c)
		}
		last = c
	}
	return string(b)
}

// WNClass is the WordNet readings of lower-case word w: for noun, verb,
// adjective and adverb, 0 (none), 1 (w is a lemma) or 2 (w inflects one:
// "breathed", "dragons").
func WNClass(lm *lemma.Lemmatizer, w string) string {
	if lm == nil {
		return ""
	}
	var b [4]byte
	for i, p := range []lemma.POS{lemma.Noun, lemma.Verb, lemma.Adjective, lemma.Adverb} {
		switch {
		case lm.Has(w, p):
			b[i] = '1'
		case lm.Has(lm.Inflected(w, p), p):
			b[i] = '2'
		default:
			b[i] = '0'
		}
	}
	return string(b[:])
}

// Suffix and Prefix return the last and first n bytes of s (all of a
// shorter s).
func Suffix(s string, n int) string { return s[len(s)-min(len(s), n):] }

// Prefix returns the first n bytes of s.
func Prefix(s string, n int) string { return s[:min(len(s), n)] }

// slot is one entry of the feature table (key 0: empty).
type slot struct {
	key   uint64
	start uint32
	count uint32
}

// Model is an immutable averaged-perceptron tagging model, safe for
// concurrent use; tag with a Tagger from NewTagger.
type Model struct {
	classes []string
	byName  map[string]Tag
	dict    map[string]Tag // words whose tag is (almost) always the same

	// Open-addressing table from feature key to a run of entries; one
	// slot is one cache line fetch.
	slots []slot
	mask  uint64

	cls []uint8
	wt  []int32

	tagHash   []uint64 // per class, hash of its name
	startHash [2]uint64
	endHash   [2]uint64

	lm       *lemma.Lemmatizer // for the wordnet features; nil: none
	lex      map[string]string // for the lex features; nil: none
	extended bool              // the model has weights for corpora's templates
}

var emptyHash = hashString("")

var (
	once    sync.Once
	def     *Model
	loadErr error
)

// Default returns the embedded model, loaded on first use.
func Default() *Model {
	once.Do(func() {
		def, loadErr = Load(bytes.NewReader(modelData))
		if def != nil {
			def.lm = lemma.Default()
			def.lex = Lexicon()
		}
	})
	if loadErr != nil {
		// The embedded file is generated and tested: a build defect.
		panic(fmt.Sprintf("tagger: embedded model.txt.gz: %v", loadErr))
	}
	return def
}

// hashString is FNV-1a.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// key combines a template and the hashes of its parts.
func key(tid int, a, b uint64) uint64 {
	h := uint64(tid+1) * 0x9E3779B97F4A7C15
	h ^= a
	h *= 0xBF58476D1CE4E5B9
	h ^= b + 0x94D049BB133111EB
	h ^= h >> 31
	h *= 0x94D049BB133111EB
	h ^= h >> 29
	if h == 0 {
		h = 1 // 0 marks an empty slot
	}
	return h
}

// Load reads a model in the format gen writes (gzip'd), whose wordnet
// features use lm (nil: they never fire).
func LoadWith(r io.Reader, lm *lemma.Lemmatizer, lex map[string]string) (*Model, error) {
	m, err := Load(r)
	if m != nil {
		m.lm, m.lex = lm, lex
	}
	return m, err
}

// Load reads a model in the format gen writes (gzip'd), without WordNet.
func Load(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("tagger model: %w", err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	if !sc.Scan() {
		return nil, fmt.Errorf("tagger model: empty")
	}
	m := &Model{classes: strings.Fields(sc.Text()), byName: map[string]Tag{}, dict: map[string]Tag{}}
	if len(m.classes) == 0 || len(m.classes) > 255 {
		return nil, fmt.Errorf("tagger model: %d classes", len(m.classes))
	}
	for i, c := range m.classes {
		m.byName[c] = Tag(i)
		m.tagHash = append(m.tagHash, hashString(c))
	}
	m.startHash = [2]uint64{hashString("-START-"), hashString("-START2-")}
	m.endHash = [2]uint64{hashString("-END-"), hashString("-END2-")}

	type feat struct {
		key   uint64
		start uint32
		n     uint8
	}
	var feats []feat
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		switch {
		case len(f) == 3 && f[0] == "d":
			c, err := strconv.Atoi(f[2])
			if err != nil || c < 0 || c >= len(m.classes) {
				return nil, fmt.Errorf("tagger model: bad dictionary line %q", sc.Text())
			}
			m.dict[f[1]] = Tag(c)
		case len(f) == 5 && f[0] == "f":
			tid, err := strconv.Atoi(f[1])
			if err != nil || tid < 0 || tid >= numTemplates {
				return nil, fmt.Errorf("tagger model: bad feature line %q", sc.Text())
			}
			if tid >= fSuf1 {
				m.extended = true
			}
			ft := feat{key: key(tid, hashString(f[2]), hashString(f[3])), start: uint32(len(m.cls))}
			for _, cw := range strings.Fields(f[4]) {
				cs, ws, ok := strings.Cut(cw, ":")
				c, err1 := strconv.Atoi(cs)
				w, err2 := strconv.Atoi(ws)
				if !ok || err1 != nil || err2 != nil || c < 0 || c >= len(m.classes) {
					return nil, fmt.Errorf("tagger model: bad weight %q", cw)
				}
				m.cls = append(m.cls, uint8(c))
				m.wt = append(m.wt, int32(w))
				ft.n++
			}
			feats = append(feats, ft)
		default:
			return nil, fmt.Errorf("tagger model: malformed line %q", sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("tagger model: %w", err)
	}
	size := 1
	for size < 2*len(feats) {
		size <<= 1
	}
	m.slots = make([]slot, size)
	m.mask = uint64(size - 1)
	for _, ft := range feats {
		i := ft.key & m.mask
		for m.slots[i].key != 0 && m.slots[i].key != ft.key {
			i = (i + 1) & m.mask
		}
		m.slots[i] = slot{key: ft.key, start: ft.start, count: uint32(ft.n)}
	}
	return m, nil
}

// Classes returns the tag names, indexed by Tag.
func (m *Model) Classes() []string { return m.classes }

// Name returns the Penn Treebank name of t.
func (m *Model) Name(t Tag) string {
	if int(t) < len(m.classes) {
		return m.classes[t]
	}
	return ""
}

// Lookup returns the Tag named name.
func (m *Model) Lookup(name string) (Tag, bool) {
	t, ok := m.byName[name]
	return t, ok
}

// MustLookup returns the Tag named name and panics when the model has no
// such tag; for the fixed Penn Treebank names callers compile in.
func (m *Model) MustLookup(name string) Tag {
	t, ok := m.byName[name]
	if !ok {
		panic("tagger: no tag " + name)
	}
	return t
}

// Tagger tags sentences with a Model, reusing its scratch space. It is not
// safe for concurrent use; make one per goroutine.
//
// Most of the perceptron's features depend on one word only (the word
// itself, or a neighbour at a fixed offset) or on the two previous tags, so
// the Tagger caches their summed weights per distinct word and per tag
// pair; a token then costs six vector additions and one table lookup.
type Tagger struct {
	m      *Model
	scores []int32
	lower  []byte

	words map[string]*wordVecs
	pads  [4]*wordVecs // -START-, -START2-, -END-, -END2-
	pos   []*wordVecs  // per position of the current sentence, with pads
	pairs [][]int32    // by p1*(nc+2)+p2: bias and tag features, lazily
	nc    int
}

// wordVecs are the cached feature sums of one word in each role.
type wordVecs struct {
	hash                 uint64  // of the normalised word, for "i-1 tag+i word"
	suf3, shape          uint64  // hashes of the lower-case suffix3 and of the shape
	wn                   string  // WNClass of the lower-case word
	self, p1, p2, n1, n2 []int32 // as the word, as i-1, i-2, i+1, i+2
}

// maxCachedWords bounds the word cache; past it the cache is reset.
const maxCachedWords = 20_000

// NewTagger returns a Tagger using m.
func (m *Model) NewTagger() *Tagger {
	nc := len(m.classes)
	t := &Tagger{m: m, scores: make([]int32, nc), words: map[string]*wordVecs{}, nc: nc,
		pairs: make([][]int32, (nc+2)*(nc+2))}
	for k, pad := range []string{"-START-", "-START2-", "-END-", "-END2-"} {
		t.pads[k] = t.vectors(pad, hashString(pad), hashString(pad[len(pad)-3:]))
	}
	return t
}

// vectors computes the feature sums of raw word w whose normalised form
// hashes to word and its last three bytes to suffix.
func (t *Tagger) vectors(w string, word, suffix uint64) *wordVecs {
	nc := t.nc
	buf := make([]int32, 5*nc)
	v := &wordVecs{hash: word, self: buf[:nc], p1: buf[nc : 2*nc], p2: buf[2*nc : 3*nc], n1: buf[3*nc : 4*nc], n2: buf[4*nc:]}
	empty := hashString("")
	t.addTo(v.self, key(fSuffix, hashString(w[len(w)-min(len(w), 3):]), empty))
	if w != "" {
		t.addTo(v.self, key(fPref1, prefHash(w[0]), empty))
	}
	t.addTo(v.self, key(fWord, word, empty))
	t.addTo(v.p1, key(fWord1, word, empty))
	t.addTo(v.p1, key(fSuffix1, suffix, empty))
	t.addTo(v.p2, key(fWord2, word, empty))
	t.addTo(v.n1, key(fWordN1, word, empty))
	t.addTo(v.n1, key(fSuffixN1, suffix, empty))
	t.addTo(v.n2, key(fWordN2, word, empty))

	lw := strings.ToLower(w)
	v.wn = WNClass(t.m.lm, lw)
	shape, wn := hashString(Shape(w)), hashString(v.wn)
	v.suf3, v.shape = hashString(Suffix(lw, 3)), shape
	t.addTo(v.self, key(fSuf1, hashString(Suffix(lw, 1)), empty))
	t.addTo(v.self, key(fSuf2, hashString(Suffix(lw, 2)), empty))
	t.addTo(v.self, key(fSuf4, hashString(Suffix(lw, 4)), empty))
	t.addTo(v.self, key(fPre2, hashString(Prefix(lw, 2)), empty))
	t.addTo(v.self, key(fPre3, hashString(Prefix(lw, 3)), empty))
	t.addTo(v.self, key(fShape, shape, empty))
	t.addTo(v.self, key(fWN, wn, empty))
	t.addTo(v.p1, key(fShape1, shape, empty))
	t.addTo(v.n1, key(fShapeN1, shape, empty))
	t.addTo(v.p1, key(fWN1, wn, empty))
	t.addTo(v.n1, key(fWNN1, wn, empty))
	lx := hashString(LexClass(t.m.lex, w))
	t.addTo(v.self, key(fLex, lx, empty))
	t.addTo(v.p1, key(fLex1, lx, empty))
	t.addTo(v.n1, key(fLexN1, lx, empty))
	return v
}

// wordVectors returns the cached vectors of raw word w.
func (t *Tagger) wordVectors(w string) *wordVecs {
	if v, ok := t.words[w]; ok {
		return v
	}
	if len(t.words) >= maxCachedWords {
		clear(t.words)
	}
	word, suffix := t.normHashes(w)
	v := t.vectors(w, word, suffix)
	t.words[strings.Clone(w)] = v
	return v
}

// pair returns the bias and previous-tag features for tags p1, p2 (class
// indices; nc and nc+1 stand for -START- and -START2-).
func (t *Tagger) pair(p1, p2 int) []int32 {
	i := p1*(t.nc+2) + p2
	if v := t.pairs[i]; v != nil {
		return v
	}
	v := make([]int32, t.nc)
	h1, h2 := t.tagHash(p1), t.tagHash(p2)
	empty := hashString("")
	t.addTo(v, key(fBias, empty, empty))
	t.addTo(v, key(fTag1, h1, empty))
	t.addTo(v, key(fTag2, h2, empty))
	t.addTo(v, key(fTag12, h1, h2))
	t.pairs[i] = v
	return v
}

func (t *Tagger) tagHash(c int) uint64 {
	switch c {
	case t.nc:
		return t.m.startHash[0]
	case t.nc + 1:
		return t.m.startHash[1]
	}
	return t.m.tagHash[c]
}

// addTo adds the weights of feature k to v.
func (t *Tagger) addTo(v []int32, k uint64) {
	saved := t.scores
	t.scores = v
	t.add(k)
	t.scores = saved
}

func (t *Tagger) add(k uint64) {
	m := t.m
	i := k & m.mask
	for {
		sl := &m.slots[i]
		if sl.key == k {
			cls, wt := m.cls[sl.start:sl.start+sl.count], m.wt[sl.start:sl.start+sl.count]
			scores := t.scores
			for j, c := range cls {
				scores[c] += wt[j]
			}
			return
		}
		if sl.key == 0 {
			return
		}
		i = (i + 1) & m.mask
	}
}

// normHashes returns the hashes of prose's normalised form of w and of its
// last three bytes, without allocating for ASCII words.
func (t *Tagger) normHashes(w string) (word, suffix uint64) {
	if w == "" {
		return hashString(""), hashString("")
	}
	var n string
	switch {
	case w[0] != '-' && strings.IndexByte(w, '-') >= 0:
		n = "!HYPHEN"
	case len(w) == 4 && isInt(w):
		n = "!YEAR"
	case w[0] >= '0' && w[0] <= '9':
		n = "!DIGITS"
	}
	if n != "" {
		return hashString(n), hashString(n[len(n)-3:])
	}
	b := t.lower[:0]
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			b = append(b[:0], strings.ToLower(w)...)
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	t.lower = b
	return hashBytes(b), hashBytes(b[max(0, len(b)-3):])
}

func hashBytes(s []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range s {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// isInt mirrors strconv.Atoi succeeding on a 4-byte string.
func isInt(s string) bool {
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i = 1
	}
	if i == len(s) {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Tag tags one sentence of words (token texts as written) and returns the
// tags, appended to out[:0].
func (t *Tagger) Tag(words []string, out []Tag) []Tag {
	m := t.m
	out = out[:0]
	n := len(words)
	t.pos = append(t.pos[:0], t.pads[0], t.pads[1])
	for _, w := range words {
		t.pos = append(t.pos, t.wordVectors(w))
	}
	t.pos = append(t.pos, t.pads[2], t.pads[3])
	p1, p2 := t.nc, t.nc+1
	scores := t.scores
	for i := 0; i < n; i++ {
		if tag, ok := m.dict[words[i]]; ok {
			out = append(out, tag)
			p2, p1 = p1, int(tag)
			continue
		}
		c := i + 2
		copy(scores, t.pair(p1, p2))
		self, a, b, d, e := t.pos[c].self, t.pos[c-1].p1, t.pos[c-2].p2, t.pos[c+1].n1, t.pos[c+2].n2
		for k := range scores {
			scores[k] += self[k] + a[k] + b[k] + d[k] + e[k]
		}
		h1 := t.tagHash(p1)
		t.add(key(fTag1Word, h1, t.pos[c].hash))
		if m.extended {
			if i == 0 {
				t.add(key(fFirst, t.pos[c].shape, emptyHash))
			}
			t.add(key(fTag1Suf, h1, t.pos[c].suf3))
			t.add(key(fWordN1W, t.pos[c].hash, t.pos[c+1].hash))
			t.add(key(fWord1W, t.pos[c-1].hash, t.pos[c].hash))
		}
		best := 0
		for k := 1; k < len(scores); k++ {
			if scores[k] > scores[best] {
				best = k
			}
		}
		out = append(out, Tag(best))
		p2, p1 = p1, best
	}
	if m.extended {
		t.fix(out)
	}
	return out
}

// fix corrects two errors of the trained model on game prose, where a
// word WordNet knows is tagged an adjective:
//
//   - a past tense that WordNet knows only as an inflected verb, between
//     a subject and an object ("Dwarves smote goblins"), is VBD;
//   - a noun coordinated with nouns ("fire and shadow and light and
//     death") is NN.
func (t *Tagger) fix(tags []Tag) {
	m := t.m
	jj, ok := m.byName["JJ"]
	if !ok {
		return
	}
	name := func(i int) string {
		if i < 0 || i >= len(tags) {
			return ""
		}
		return m.classes[tags[i]]
	}
	for i, tag := range tags {
		wn := t.pos[i+2].wn
		if tag != jj || len(wn) != 4 {
			continue
		}
		switch {
		case wn[2] == '0' && wn[1] == '2' && nounLike(name(i-1)) && objectLike(name(i+1)):
			tags[i] = m.byName["VBD"]
		case wn[0] != '0' && name(i-1) == "CC" && (name(i-2) == "NN" || name(i-2) == "NNS") &&
			(i+1 == len(tags) || name(i+1) == "CC" || name(i+1) == "," || name(i+1) == "." || name(i+1) == ":"):
			tags[i] = m.byName["NN"]
		}
	}
}

func nounLike(tag string) bool {
	switch tag {
	case "NN", "NNS", "NNP", "NNPS", "PRP":
		return true
	}
	return false
}

func objectLike(tag string) bool {
	switch tag {
	case "DT", "NN", "NNS", "NNP", "NNPS", "PRP", "PRP$", "CD":
		return true
	}
	return false
}

// prefHash hashes prose's "i pref1" part, string(w[0]): the byte read as a
// rune, so bytes of multi-byte characters become two-byte UTF-8.
func prefHash(b byte) uint64 {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], rune(b))
	return hashBytes(buf[:n])
}
