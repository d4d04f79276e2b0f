package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

// A tagged sentence for training.
type sentence struct {
	words, tags []string
}

// readCoNLLU reads the training sentences of a UD treebank: the sentences
// of every other document (the 1st, 3rd, ...), so that the others stay
// held out for measuring. Each word's tag is its Penn tag (XPOS), made to
// agree with the gold UPOS where the treebank's two disagree (an adjective
// in a title is JJ, not NNP) and mapped onto the model's classes.
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
			if len(cur.words) > 0 && doc%2 == 0 {
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
		tag := pennOf(f[3], f[4])
		if _, ok := classes[tag]; !ok {
			return nil, fmt.Errorf("%s: tag %q (%s %s) not in the model", path, tag, f[3], f[4])
		}
		cur.words = append(cur.words, f[1])
		cur.tags = append(cur.tags, tag)
	}
	return out, nil
}

// pennOf is the Penn tag to learn for a word with gold upos and xpos.
func pennOf(upos, xpos string) string {
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

// features are prose's feature keys for word i of words (normalised
// context ctx, with two pads either side) after tags prev and prev2.
func features(words, ctx []string, i int, prev, prev2 string) []string {
	w, c := words[i], i+2
	return []string{
		"bias",
		"i suffix " + suffix(w),
		"i pref1 " + string(rune(w[0])),
		"i-1 tag " + prev,
		"i-2 tag " + prev2,
		"i tag+i-2 tag " + prev + " " + prev2,
		"i word " + ctx[c],
		"i-1 tag+i word " + prev + " " + ctx[c],
		"i-1 word " + ctx[c-1],
		"i-1 suffix " + suffix(ctx[c-1]),
		"i-2 word " + ctx[c-2],
		"i+1 word " + ctx[c+1],
		"i+1 suffix " + suffix(ctx[c+1]),
		"i+2 word " + ctx[c+2],
	}
}

// train continues training prose's averaged perceptron on sents: the
// weights start at prose's, each epoch visits the sentences in a shuffled
// order, and the result is prose's weights plus the average of the
// updates. Dictionary words whose tag the training data contradicts leave
// the dictionary, so that the model tags them.
func train(weights map[string]map[string]float64, dict map[string]string, sents []sentence, epochs int) {
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
	rng := rand.New(rand.NewPCG(1, 2))
	order := make([]int, len(sents))
	for i := range order {
		order[i] = i
	}
	for e := 0; e < epochs; e++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		right, total := 0, 0
		for _, k := range order {
			s := sents[k]
			ctx := []string{"-START-", "-START2-"}
			for _, w := range s.words {
				ctx = append(ctx, normalize(w))
			}
			ctx = append(ctx, "-END-", "-END2-")
			prev, prev2 := "-START-", "-START2-"
			for i, w := range s.words {
				guess, ok := dict[w]
				if !ok {
					feats := features(s.words, ctx, i, prev, prev2)
					guess = predict(weights, feats)
					if guess != s.tags[i] {
						for _, f := range feats {
							update(f, s.tags[i], 1)
							update(f, guess, -1)
						}
					}
				}
				step++
				prev2, prev = prev, guess
				total++
				if guess == s.tags[i] {
					right++
				}
			}
		}
		fmt.Fprintf(os.Stderr, "gen: epoch %d: %d/%d = %.4f on the training sentences\n", e+1, right, total, float64(right)/float64(total))
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
