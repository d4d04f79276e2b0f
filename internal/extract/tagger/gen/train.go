package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/corpora-tools/corpora/internal/extract/lemma"
	"github.com/corpora-tools/corpora/internal/extract/tagger"
	"github.com/corpora-tools/corpora/internal/extract/ud"
)

// A tagged sentence of a treebank.
type sentence struct {
	doc   int // the document's number in the file, from 0
	words []string
	tags  []string // Penn tags to learn (see pennOf)
	upos  []string // gold UPOS
	feats [][]string
}

// readCoNLLU reads the sentences of a UD treebank. Each word's tag is its
// Penn tag (XPOS), made to agree with the gold UPOS where the treebank's
// two disagree (an adjective in a title is JJ, not NNP) and mapped onto
// the model's classes.
func readCoNLLU(path string, classes map[string]int) ([]sentence, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []sentence
	var cur sentence
	doc := -1
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "# newdoc") {
			doc++
		}
		if line == "" {
			if len(cur.words) > 0 {
				cur.doc = doc
				out = append(out, cur)
			}
			cur = sentence{}
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 10 || strings.ContainsAny(f[0], "-.") {
			continue
		}
		tag := pennOf(f[1], f[3], f[4])
		if _, ok := classes[tag]; !ok {
			return nil, fmt.Errorf("%s: tag %q (%s %s) not in the model", path, tag, f[3], f[4])
		}
		cur.words = append(cur.words, f[1])
		cur.tags = append(cur.tags, tag)
		cur.upos = append(cur.upos, f[3])
	}
	return out, nil
}

// pennOf is the Penn tag to learn for word form with gold upos and xpos.
// "to" is TO, as in the Penn Treebank, also where EWT has IN: ud.Map
// tells the preposition from the infinitive marker.
func pennOf(form, upos, xpos string) string {
	if xpos == "IN" && strings.EqualFold(form, "to") {
		return "TO"
	}
	switch xpos {
	case "ADD":
		xpos = "NN"
	case "NFP", "HYPH":
		xpos = ":"
	case "GW", "AFX":
		xpos = "FW"
	case "-LRB-":
		xpos = "("
	case "-RRB-":
		xpos = ")"
	}
	switch upos {
	case "ADJ":
		if strings.HasPrefix(xpos, "NN") || strings.HasPrefix(xpos, "VB") && xpos != "VBN" && xpos != "VBG" {
			return "JJ"
		}
	case "NOUN":
		switch xpos {
		case "NNP", "FW", "JJ", "VB", "VBP":
			return "NN"
		case "NNPS":
			return "NNS"
		}
	case "PROPN":
		switch xpos {
		case "NN", "FW", "JJ":
			return "NNP"
		case "NNS":
			return "NNPS"
		}
	case "VERB":
		if strings.HasPrefix(xpos, "NN") || xpos == "JJ" {
			return "VB"
		}
	case "X":
		return "FW"
	case "INTJ":
		return "UH"
	case "SYM":
		if xpos != "$" && xpos != "#" {
			return "SYM"
		}
	case "PUNCT":
		if xpos == "SYM" {
			return ":"
		}
	}
	return xpos
}

// normalize is prose's word normalisation for the feature templates.
func normalize(w string) string {
	switch {
	case w == "":
		return w
	case strings.Contains(w, "-") && w[0] != '-':
		return "!HYPHEN"
	case len(w) == 4 && isInt(w):
		return "!YEAR"
	case w[0] >= '0' && w[0] <= '9':
		return "!DIGITS"
	}
	return strings.ToLower(w)
}

func isInt(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

func suffix(w string) string { return w[len(w)-min(len(w), 3):] }

// fk is the key of a feature of template tid with parts.
func fk(tid int, parts ...string) string {
	return tagger.Templates[tid] + " " + strings.Join(parts, " ")
}

// Template numbers of corpora's templates, as in the tagger.
const (
	tSuf1 = 14 + iota
	tSuf2
	tSuf4
	tPre2
	tPre3
	tShape
	tWN
	tShape1
	tShapeN1
	tWN1
	tWNN1
	tFirst
	tTag1Suf
	tWordN1W
	tWord1W
	tLex
	tLex1
	tLexN1
)

// static returns the features of word i that do not depend on the tags
// before it: prose's and, when extended, corpora's. ctx is the normalised
// sentence and raw the sentence as written, each with two pads either
// side.
func static(words, ctx, raw []string, i int, lm *lemma.Lemmatizer, extended bool) []string {
	w, c := words[i], i+2
	f := []string{
		"bias",
		"i suffix " + suffix(w),
		"i pref1 " + string(rune(w[0])),
		"i word " + ctx[c],
		"i-1 word " + ctx[c-1],
		"i-1 suffix " + suffix(ctx[c-1]),
		"i-2 word " + ctx[c-2],
		"i+1 word " + ctx[c+1],
		"i+1 suffix " + suffix(ctx[c+1]),
		"i+2 word " + ctx[c+2],
	}
	if !extended {
		return f
	}
	lw := strings.ToLower(w)
	f = append(f,
		fk(tSuf1, tagger.Suffix(lw, 1)),
		fk(tSuf2, tagger.Suffix(lw, 2)),
		fk(tSuf4, tagger.Suffix(lw, 4)),
		fk(tPre2, tagger.Prefix(lw, 2)),
		fk(tPre3, tagger.Prefix(lw, 3)),
		fk(tShape, tagger.Shape(w)),
		fk(tWN, tagger.WNClass(lm, lw)),
		fk(tShape1, tagger.Shape(raw[c-1])),
		fk(tShapeN1, tagger.Shape(raw[c+1])),
		fk(tWN1, tagger.WNClass(lm, strings.ToLower(raw[c-1]))),
		fk(tWNN1, tagger.WNClass(lm, strings.ToLower(raw[c+1]))),
		fk(tWordN1W, ctx[c], ctx[c+1]),
		fk(tWord1W, ctx[c-1], ctx[c]),
	)
	if useLex {
		lex := tagger.Lexicon()
		f = append(f,
			fk(tLex, tagger.LexClass(lex, w)),
			fk(tLex1, tagger.LexClass(lex, raw[c-1])),
			fk(tLexN1, tagger.LexClass(lex, raw[c+1])),
		)
	}
	if i == 0 {
		f = append(f, fk(tFirst, tagger.Shape(w)))
	}
	return f
}

// dynamic appends the features of word i that depend on the tags before it.
func dynamic(f []string, s *sentence, ctx []string, i int, prev, prev2 string, extended bool) []string {
	f = append(f,
		"i-1 tag "+prev,
		"i-2 tag "+prev2,
		"i tag+i-2 tag "+prev+" "+prev2,
		"i-1 tag+i word "+prev+" "+ctx[i+2],
	)
	if extended {
		f = append(f, fk(tTag1Suf, prev, tagger.Suffix(strings.ToLower(s.words[i]), 3)))
	}
	return f
}

// prepare computes each sentence's static features.
func prepare(sents []sentence, lm *lemma.Lemmatizer, extended bool) {
	for k := range sents {
		s := &sents[k]
		ctx := []string{"-START-", "-START2-"}
		raw := []string{"-START-", "-START2-"}
		for _, w := range s.words {
			ctx = append(ctx, normalize(w))
			raw = append(raw, w)
		}
		ctx = append(ctx, "-END-", "-END2-")
		raw = append(raw, "-END-", "-END2-")
		s.feats = make([][]string, len(s.words))
		for i := range s.words {
			s.feats[i] = static(s.words, ctx, raw, i, lm, extended)
		}
	}
}

// tagSentence tags s with weights and dict, calling learn (when not nil)
// with each word's features, guess and gold tag.
func tagSentence(weights map[string]map[string]float64, dict map[string]string, s *sentence, extended bool, learn func(feats []string, guess, gold string)) []string {
	ctx := make([]string, len(s.words)+4)
	for i, w := range s.words {
		ctx[i+2] = normalize(w)
	}
	out := make([]string, 0, len(s.words))
	prev, prev2 := "-START-", "-START2-"
	var feats []string
	for i, w := range s.words {
		guess, ok := dict[w]
		if !ok {
			feats = dynamic(append(feats[:0], s.feats[i]...), s, ctx, i, prev, prev2, extended)
			guess = predict(weights, feats)
			if learn != nil {
				learn(feats, guess, s.tags[i])
			}
		}
		out = append(out, guess)
		prev2, prev = prev, guess
	}
	return out
}

// train continues training prose's averaged perceptron on sents: the
// weights start at prose's, each epoch visits the sentences in a shuffled
// order, and the result is prose's weights plus the average of the
// updates, each of size rate. Dictionary words whose tag the training data
// contradicts leave the dictionary, so that the model tags them.
func train(weights map[string]map[string]float64, dict map[string]string, sents []sentence, epochs int, rate float64, extended bool) {
	for _, s := range sents {
		for i, w := range s.words {
			if t, ok := dict[w]; ok && t != s.tags[i] {
				delete(dict, w)
			}
		}
	}
	type acc struct{ total, stamp float64 }
	accs := map[string]map[string]*acc{}
	step := 0.0
	update := func(f, c string, v float64) {
		ws := weights[f]
		if ws == nil {
			ws = map[string]float64{}
			weights[f] = ws
		}
		as := accs[f]
		if as == nil {
			as = map[string]*acc{}
			accs[f] = as
		}
		a := as[c]
		if a == nil {
			a = &acc{}
			as[c] = a
		}
		a.total += (step - a.stamp) * ws[c]
		a.stamp = step
		ws[c] += v
	}
	learn := func(feats []string, guess, gold string) {
		step++
		if guess != gold {
			for _, f := range feats {
				update(f, gold, rate)
				update(f, guess, -rate)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	order := make([]int, len(sents))
	for i := range order {
		order[i] = i
	}
	for e := 0; e < epochs; e++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, k := range order {
			tagSentence(weights, dict, &sents[k], extended, learn)
		}
	}
	for f, as := range accs {
		for c, a := range as {
			// The weight averaged over every step, from prose's at the start.
			weights[f][c] = (a.total + (step-a.stamp)*weights[f][c]) / step
		}
	}
}

// predict returns the best-scoring class for feats (ties: the name that
// sorts first, for determinism).
func predict(weights map[string]map[string]float64, feats []string) string {
	scores := map[string]float64{}
	for _, f := range feats {
		for c, v := range weights[f] {
			scores[c] += v
		}
	}
	best, bs := "", 0.0
	for c, v := range scores {
		if best == "" || v > bs || v == bs && c < best {
			best, bs = c, v
		}
	}
	return best
}

// contentClasses are the UPOS of the accuracy bar.
var contentClasses = map[string]bool{"NOUN": true, "VERB": true, "ADJ": true, "PROPN": true}

// score counts UPOS agreement by gold class.
type score struct{ right, total map[string]int }

func newScore() *score { return &score{right: map[string]int{}, total: map[string]int{}} }

func (s *score) add(o *score) {
	for k, v := range o.right {
		s.right[k] += v
	}
	for k, v := range o.total {
		s.total[k] += v
	}
}

func (s *score) content() float64 {
	r, t := 0, 0
	for c := range contentClasses {
		r, t = r+s.right[c], t+s.total[c]
	}
	return float64(r) / float64(max(t, 1))
}

func (s *score) all() float64 {
	r, t := 0, 0
	for c := range s.total {
		r, t = r+s.right[c], t+s.total[c]
	}
	return float64(r) / float64(max(t, 1))
}

func (s *score) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "content %.4f, all %.4f;", s.content(), s.all())
	var cs []string
	for c := range contentClasses {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	for _, c := range cs {
		fmt.Fprintf(&b, " %s %.4f", c, float64(s.right[c])/float64(max(s.total[c], 1)))
	}
	return b.String()
}

// evaluate tags sents and compares their UPOS (the tags mapped by ud.Map,
// without the extraction pipeline's corrections) with the gold.
func evaluate(weights map[string]map[string]float64, dict map[string]string, sents []sentence, extended bool) *score {
	sc := newScore()
	var upos []ud.UPOS
	for k := range sents {
		s := &sents[k]
		tags := tagSentence(weights, dict, s, extended, nil)
		upos = ud.Map(s.words, tags, upos)
		for i, g := range s.upos {
			sc.total[g]++
			if string(upos[i]) == g {
				sc.right[g]++
			}
		}
	}
	return sc
}

func cloneWeights(w map[string]map[string]float64) map[string]map[string]float64 {
	out := make(map[string]map[string]float64, len(w))
	for f, ws := range w {
		c := make(map[string]float64, len(ws))
		for k, v := range ws {
			c[k] = v
		}
		out[f] = c
	}
	return out
}

func cloneDict(d map[string]string) map[string]string {
	out := make(map[string]string, len(d))
	for k, v := range d {
		out[k] = v
	}
	return out
}

// split returns the sentences of the documents outside fold k of n, and
// those in it (document number modulo n).
func split(sents []sentence, n, k int) (in, out []sentence) {
	for _, s := range sents {
		if s.doc%n == k {
			out = append(out, s)
		} else {
			in = append(in, s)
		}
	}
	return in, out
}

// part returns the sentences of the first p of the documents in sents (all
// of them for p >= 1), for a learning curve.
func part(sents []sentence, p float64) []sentence {
	if p >= 1 || len(sents) == 0 {
		return sents
	}
	docs := map[int]bool{}
	for _, s := range sents {
		docs[s.doc] = true
	}
	keep := int(math.Ceil(p * float64(len(docs))))
	var out []sentence
	seen := map[int]bool{}
	for _, s := range sents {
		if !seen[s.doc] {
			if len(seen) == keep {
				break
			}
			seen[s.doc] = true
		}
		out = append(out, s)
	}
	return out
}
