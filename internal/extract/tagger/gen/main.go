// Command gen builds the tagger's embedded model: it converts the
// averaged-perceptron part-of-speech model of github.com/jdkato/prose/v2
// (MIT licence; a port of TextBlob's perceptron tagger trained on the Penn
// Treebank tag set), reading its gob files directly so that the module
// does not become a dependency of corpora, and trains it further.
//
// Usage (go generate in the tagger package runs the full command, see
// doc.go):
//
//	go run ./gen -o model.txt.gz                    # prose's model as it is
//	go run ./gen -prose DIR ...                     # an unpacked module instead of go mod download
//	go run ./gen -train ewt.conllu -silver SRD -tagged gen/testdata/fantasy_train.txt -o model.txt.gz
//	go run ./gen -train ewt.conllu ... -cv          # first prints 5-fold cross-validation
//	go run ./gen -lexicon-from DIR/package/dist/lexicon.js   # lexicon.txt.gz from `npm pack en-lexicon@1.0.11`
//
// With -train FILE.conllu, gen trains prose's perceptron further, with
// corpora's feature templates besides prose's, on a UD treebank's
// documents but for fold -heldout (document number modulo -folds; the
// default -1 trains on every document, as the shipped model is), which it
// then measures: UPOS accuracy of the tags mapped by ud.Map on the gold
// tokens, without the extraction pipeline's corrections. The learnt tag is
// the word's XPOS made to agree with the gold UPOS. -silver adds prose's
// own tags for every -silver-nth sentence of the markdown files in a
// folder (the SRD chapters), so that web text does not move the model on
// game text, and -tagged adds hand-tagged sentences.
//
// Measured (EWT dev, content classes NOUN VERB ADJ PROPN, tagger alone
// on gold tokens): prose's model 0.852; trained, 5-fold cross-validation
// 0.907 (0.884 without corpora's templates; 0.909 with 10 epochs), 0.911
// with the hand-tagged sentences learnt 10 times an epoch, 0.914 with every
// 8th SRD sentence as silver instead of every 4th (every 2nd: 0.907; 16th
// and none: 0.914). A learning
// curve (-cv-part: each fold trained on the first 1/8, 1/4, 1/2 and all
// of its documents) gave 0.891, 0.898, 0.905, 0.909: about 0.6 points per
// doubling of the treebank text.
//
// Output: a gzip'd text file, deterministic for a given model and Go version.
//
//	line 1:        the class (tag) names, space separated
//	"d" lines:     d TAB word TAB class               (the unambiguous-word dictionary)
//	"f" lines:     f TAB template TAB a TAB b TAB class:weight ...
//
// Weights are integers: prose's averaged weights are rounded to three
// decimals, so multiplying by 1000 loses nothing and the tagger can add
// int32 scores.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/gob"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/corpora-tools/corpora/internal/extract/lemma"
	"github.com/corpora-tools/corpora/internal/extract/tagger"
)

const proseModule = "github.com/jdkato/prose/v2@v2.0.0"

var (
	trainFile  string
	epochs     int
	folds      int
	heldOut    int
	rate       float64
	cv         bool
	extended   bool
	silverDir  string
	silverNth  int
	taggedFile string
	taggedRep  int
	useLex     bool
	trainPart  float64
)

func main() {
	dir := flag.String("prose", "", "unpacked "+proseModule+" (default: go mod download it)")
	out := flag.String("o", "model.txt.gz", "output file")
	flag.StringVar(&trainFile, "train", "", "continue training on this CoNLL-U treebank, but for one fold of its documents")
	flag.IntVar(&epochs, "epochs", 5, "training epochs (with -train)")
	flag.IntVar(&folds, "folds", 5, "documents are split into this many folds by their number modulo folds")
	flag.IntVar(&heldOut, "heldout", -1, "the fold left out of training and measured (-1: train on all)")
	flag.Float64Var(&rate, "rate", 1, "size of a perceptron update")
	flag.BoolVar(&cv, "cv", false, "first measure by cross-validation over the folds")
	flag.BoolVar(&extended, "extended", true, "learn corpora's feature templates too")
	flag.StringVar(&silverDir, "silver", "", "also learn prose's own tags on the sentences of the markdown files in this folder")
	flag.IntVar(&silverNth, "silver-nth", 8, "take every nth sentence of -silver")
	flag.StringVar(&taggedFile, "tagged", "", "also learn the hand-tagged sentences of this file (word/TAG, a sentence a line)")
	flag.Float64Var(&trainPart, "cv-part", 1, "with -cv, train each fold on this part of its training documents (a learning curve)")
	flag.BoolVar(&useLex, "lex", true, "learn the lexicon features (lexicon.txt.gz)")
	flag.IntVar(&taggedRep, "tagged-times", 10, "learn each sentence of -tagged this many times an epoch")
	lexJS := flag.String("lexicon-from", "", "convert en-lexicon's dist/lexicon.js into lexicon.txt.gz and stop")
	flag.Parse()
	if *lexJS != "" {
		if err := convertLexicon(*lexJS, "lexicon.txt.gz"); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func download() (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", proseModule)
	cmd.Dir = os.TempDir() // outside any module: go.mod and go.sum stay untouched
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %w", proseModule, err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("go mod download output: %w", err)
	}
	return m.Dir, nil
}

func decode(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := gob.NewDecoder(f).Decode(v); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}

func run(dir, out string) error {
	if dir == "" {
		d, err := download()
		if err != nil {
			return err
		}
		dir = d
	}
	md := filepath.Join(dir, "model", "AveragedPerceptron")
	var classes []string
	var dict map[string]string
	var weights map[string]map[string]float64
	if err := decode(filepath.Join(md, "classes.gob"), &classes); err != nil {
		return err
	}
	if err := decode(filepath.Join(md, "tags.gob"), &dict); err != nil {
		return err
	}
	if err := decode(filepath.Join(md, "weights.gob"), &weights); err != nil {
		return err
	}
	sort.Strings(classes)
	cls := map[string]int{}
	for i, c := range classes {
		cls[c] = i
	}
	if trainFile != "" {
		sents, err := readCoNLLU(trainFile, cls)
		if err != nil {
			return err
		}
		lm := lemma.Default()
		prepare(sents, lm, extended)
		var silver []sentence
		if silverDir != "" {
			if silver, err = readSilver(silverDir, silverNth); err != nil {
				return err
			}
			tagSilver(weights, dict, silver)
			prepare(silver, lm, extended)
			n := 0
			for _, s := range silver {
				n += len(s.words)
			}
			fmt.Fprintf(os.Stderr, "gen: %d silver sentences (%d words) from %s\n", len(silver), n, silverDir)
		}
		if taggedFile != "" {
			tagged, err := readTagged(taggedFile, cls)
			if err != nil {
				return err
			}
			prepare(tagged, lm, extended)
			for range taggedRep {
				silver = append(silver, tagged...)
			}
			fmt.Fprintf(os.Stderr, "gen: %d hand-tagged sentences from %s, each %d times\n", len(tagged), taggedFile, taggedRep)
		}
		if cv {
			fmt.Fprintf(os.Stderr, "gen: prose's model on all of %s: %s\n", trainFile, evaluate(weights, dict, sents, false))
			total := newScore()
			for k := 0; k < folds; k++ {
				in, out := split(sents, folds, k)
				in = part(in, trainPart)
				w, d := cloneWeights(weights), cloneDict(dict)
				train(w, d, append(in, silver...), epochs, rate, extended)
				sc := evaluate(w, d, out, extended)
				fmt.Fprintf(os.Stderr, "gen: fold %d: %s\n", k, sc)
				total.add(sc)
			}
			fmt.Fprintf(os.Stderr, "gen: %d-fold cross-validation (epochs %d, rate %g, extended %v): %s\n", folds, epochs, rate, extended, total)
		}
		in, out := split(sents, folds, heldOut)
		if heldOut < 0 {
			in, out = sents, nil
		}
		fmt.Fprintf(os.Stderr, "gen: training on %d sentences of %s\n", len(in), trainFile)
		train(weights, dict, append(in, silver...), epochs, rate, extended)
		if len(out) > 0 {
			fmt.Fprintf(os.Stderr, "gen: held-out fold %d: %s\n", heldOut, evaluate(weights, dict, out, extended))
		} else {
			// Not a measure of the model (it learnt these): the figure
			// tagger.TestDevFit checks the embedded model against.
			fmt.Fprintf(os.Stderr, "gen: on the training data: %s\n", evaluate(weights, dict, in, extended))
		}
	}
	var buf bytes.Buffer
	buf.WriteString(strings.Join(classes, " "))
	buf.WriteByte('\n')
	words := make([]string, 0, len(dict))
	for w := range dict {
		words = append(words, w)
	}
	sort.Strings(words)
	for _, w := range words {
		if _, ok := cls[dict[w]]; !ok || strings.ContainsAny(w, "\t\n") {
			continue
		}
		fmt.Fprintf(&buf, "d\t%s\t%d\n", w, cls[dict[w]])
	}
	keys := make([]string, 0, len(weights))
	for k := range weights {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var nf, nw, skipped int
	for _, k := range keys {
		tid, a, b, ok := parseKey(k)
		if !ok || strings.ContainsAny(a+b, "\t\n") {
			skipped++
			continue
		}
		ws := weights[k]
		names := make([]string, 0, len(ws))
		for c := range ws {
			names = append(names, c)
		}
		sort.Slice(names, func(i, j int) bool { return cls[names[i]] < cls[names[j]] })
		var sb strings.Builder
		for _, c := range names {
			v := int(math.Round(ws[c] * 1000))
			if v == 0 {
				continue
			}
			ci, ok := cls[c]
			if !ok {
				continue
			}
			fmt.Fprintf(&sb, " %d:%d", ci, v)
			nw++
		}
		if sb.Len() == 0 {
			continue
		}
		fmt.Fprintf(&buf, "f\t%d\t%s\t%s\t%s\n", tid, a, b, sb.String()[1:])
		nf++
	}
	var z bytes.Buffer
	zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, z.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(os.Stderr, "gen: %s: %d classes, %d dictionary words, %d features, %d weights, %d keys skipped, %d bytes (%d raw)\n",
		out, len(classes), len(words), nf, nw, skipped, z.Len(), buf.Len())
	return nil
}

// parseKey splits a prose feature key ("i-1 tag+i word NN fire") into its
// template index and parts.
func parseKey(k string) (tid int, a, b string, ok bool) {
	best := -1
	for i, name := range tagger.Templates {
		if (k == name || strings.HasPrefix(k, name+" ")) && (best < 0 || len(name) > len(tagger.Templates[best])) {
			best = i
		}
	}
	if best < 0 {
		return 0, "", "", false
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(k, tagger.Templates[best]), " ")
	switch tagger.TemplateParts[best] {
	case 0:
		return best, "", "", rest == ""
	case 1:
		return best, rest, "", true
	default:
		a, b, ok := strings.Cut(rest, " ")
		return best, a, b, ok
	}
}
