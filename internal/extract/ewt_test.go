package extract

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
)

// goldSentence is one sentence of a UD treebank: its text, and for each
// word its byte span in the text (-1 when it cannot be placed) and UPOS.
type goldSentence struct {
	id, doc string
	docN    int // the document's number in the file, from 0
	text    string
	spans   [][2]int
	forms   []string
	upos    []string
}

// readGold reads a CoNLL-U file, placing each word in its sentence's text.
// A multiword token ("don't": do n't) places its words when they spell it.
func readGold(t testing.TB, path string) []goldSentence {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldSentence
	var cur goldSentence
	doc, docN := "", -1
	cursor := 0
	rangeEnd := 0 // last word id covered by the current multiword token
	var rangeSpan [2]int
	rangeOff := 0
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case line == "":
			if cur.text != "" {
				out = append(out, cur)
			}
			cur, cursor, rangeEnd = goldSentence{doc: doc, docN: docN}, 0, 0
			continue
		case strings.HasPrefix(line, "# newdoc id = "):
			doc = strings.TrimPrefix(line, "# newdoc id = ")
			docN++
			cur.doc, cur.docN = doc, docN
			continue
		case strings.HasPrefix(line, "# sent_id = "):
			cur.id = strings.TrimPrefix(line, "# sent_id = ")
			continue
		case strings.HasPrefix(line, "# text = "):
			cur.text = strings.TrimPrefix(line, "# text = ")
			continue
		case strings.HasPrefix(line, "#"):
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 10 || strings.Contains(f[0], ".") {
			continue
		}
		place := func(form string) [2]int {
			i := strings.Index(cur.text[cursor:], form)
			if i < 0 || strings.TrimSpace(cur.text[cursor:cursor+i]) != "" {
				return [2]int{-1, -1}
			}
			s := [2]int{cursor + i, cursor + i + len(form)}
			cursor = s[1]
			return s
		}
		if a, z, ok := strings.Cut(f[0], "-"); ok {
			var lo, hi int
			fmt.Sscan(a, &lo)
			fmt.Sscan(z, &hi)
			rangeEnd, rangeSpan, rangeOff = hi, place(f[1]), 0
			continue
		}
		var id int
		fmt.Sscan(f[0], &id)
		span := [2]int{-1, -1}
		if id <= rangeEnd {
			if rangeSpan[0] >= 0 {
				s := rangeSpan[0] + rangeOff
				if e := s + len(f[1]); e <= rangeSpan[1] && strings.EqualFold(cur.text[s:e], f[1]) {
					span = [2]int{s, e}
				}
				rangeOff += len(f[1])
			}
		} else {
			span = place(f[1])
		}
		cur.spans = append(cur.spans, span)
		cur.forms = append(cur.forms, f[1])
		cur.upos = append(cur.upos, f[3])
	}
	return out
}

// ourSentence runs text through WriteCoNLLU and returns each word's span in
// text (placed by its form) and UPOS.
func ourSentence(t testing.TB, text string) (spans [][2]int, forms, upos []string) {
	t.Helper()
	var buf bytes.Buffer
	doc := &document.Output{Source: "ewt", Content: []document.Block{{Type: document.Paragraph, Text: text}}}
	if err := WriteCoNLLU(context.Background(), &buf, doc); err != nil {
		t.Fatal(err)
	}
	cursor := 0
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		i := strings.Index(text[cursor:], f[1])
		span := [2]int{-1, -1}
		if i >= 0 {
			span = [2]int{cursor + i, cursor + i + len(f[1])}
			cursor = span[1]
		}
		spans, forms, upos = append(spans, span), append(forms, f[1]), append(upos, f[3])
	}
	return spans, forms, upos
}

// contentClasses are the UPOS whose accuracy the EWT bar is set on.
var contentClasses = map[string]bool{"NOUN": true, "VERB": true, "ADJ": true, "PROPN": true}

// ewtScore is the UPOS agreement on aligned words.
type ewtScore struct {
	gold, aligned, correct map[string]int // by gold UPOS
	confusion              map[string]int // "gold>ours"
	errors                 []string
}

func (s *ewtScore) content() (correct, aligned int) {
	for c := range contentClasses {
		correct += s.correct[c]
		aligned += s.aligned[c]
	}
	return correct, aligned
}

func scoreEWT(t testing.TB, sents []goldSentence) *ewtScore {
	s := &ewtScore{gold: map[string]int{}, aligned: map[string]int{}, correct: map[string]int{}, confusion: map[string]int{}}
	for _, g := range sents {
		spans, _, upos := ourSentence(t, g.text)
		ours := map[[2]int]string{}
		for i, sp := range spans {
			if sp[0] >= 0 {
				ours[sp] = upos[i]
			}
		}
		for i, sp := range g.spans {
			gu := g.upos[i]
			s.gold[gu]++
			u, ok := ours[sp]
			if sp[0] < 0 || !ok {
				continue
			}
			s.aligned[gu]++
			if u == gu {
				s.correct[gu]++
			} else {
				s.confusion[gu+">"+u]++
				if contentClasses[gu] {
					s.errors = append(s.errors, fmt.Sprintf("%s %s: %s, gold %s  (%s)", g.id, g.forms[i], u, gu, g.text))
				}
			}
		}
	}
	return s
}

func (s *ewtScore) log(t testing.TB, name string) {
	c, a := s.content()
	t.Logf("%s: content classes %d/%d = %.4f", name, c, a, float64(c)/float64(max(a, 1)))
	var classes []string
	for k := range s.gold {
		classes = append(classes, k)
	}
	sort.Strings(classes)
	var all, allOK int
	for _, k := range classes {
		all += s.aligned[k]
		allOK += s.correct[k]
		t.Logf("  %-6s %5d gold, %5d aligned, accuracy %.4f", k, s.gold[k], s.aligned[k], float64(s.correct[k])/float64(max(s.aligned[k], 1)))
	}
	t.Logf("  all    %d/%d aligned words = %.4f", allOK, all, float64(allOK)/float64(max(all, 1)))
	type kv struct {
		k string
		v int
	}
	var conf []kv
	for k, v := range s.confusion {
		conf = append(conf, kv{k, v})
	}
	sort.Slice(conf, func(i, j int) bool { return conf[i].v > conf[j].v || conf[i].v == conf[j].v && conf[i].k < conf[j].k })
	for i := 0; i < len(conf) && i < 25; i++ {
		t.Logf("  confusion %-14s %d", conf[i].k, conf[i].v)
	}
	if os.Getenv("CORPORA_EWT_ERRORS") != "" {
		os.WriteFile(os.Getenv("CORPORA_EWT_ERRORS"), []byte(strings.Join(s.errors, "\n")+"\n"), 0o644)
	}
}

// TestEWTAccuracy measures universal POS accuracy on the content classes
// (NOUN, VERB, ADJ, PROPN) of the UD English Web Treebank's development
// split, running each raw sentence (# text) through WriteCoNLLU and
// comparing UPOS on the words whose spans match the gold tokens.
func TestEWTAccuracy(t *testing.T) {
	root := os.Getenv("CORPORA_TEST_CORPUS")
	if root == "" {
		t.Skip("CORPORA_TEST_CORPUS not set")
	}
	sents := readGold(t, filepath.Join(root, "pos", "en_ewt-ud-dev.conllu"))
	if len(sents) < 1000 {
		t.Fatalf("%d sentences read", len(sents))
	}
	// The shipped model learnt every document of the dev split (tagger/gen
	// -train): this is a regression floor, not a measure of unseen text.
	// To measure a change on unseen text, build a model without one fold
	// (gen -heldout 0 -o model.txt.gz), set CORPORA_EWT_FOLD=0 and compare
	// against the same run before the change.
	name := "EWT dev, all (trained on: a regression floor, not a measure)"
	floor := ewtFloor
	if f := os.Getenv("CORPORA_EWT_FOLD"); f != "" {
		k, err := strconv.Atoi(f)
		if err != nil || k < 0 || k >= ewtFolds {
			t.Fatalf("CORPORA_EWT_FOLD=%q: want a fold from 0 to %d", f, ewtFolds-1)
		}
		var fold []goldSentence
		for _, g := range sents {
			if g.docN%ewtFolds == k {
				fold = append(fold, g)
			}
		}
		sents, floor = fold, 0
		name = fmt.Sprintf("EWT dev, fold %d of %d", k, ewtFolds)
	}
	s := scoreEWT(t, sents)
	s.log(t, name)
	c, a := s.content()
	acc := float64(c) / float64(a)
	if acc < floor {
		t.Errorf("content-class accuracy %.4f < %.3f (measured when the model or the rules last changed)", acc, floor)
	}
	if acc < ewtTarget {
		t.Logf("content-class accuracy %.4f is below the field's bar %.2f (issue 19): not met yet", acc, ewtTarget)
	}
}

// ewtTarget is the field's bar for content-class UPOS accuracy on EWT
// (spaCy, Stanza and UDPipe report 0.95-0.97, trained on EWT's 200,000-word
// train split, which we do not have). ewtFloor is kept just under what the
// shipped model with corpora's corrections measures on all of the dev
// split, which it learnt. On unseen text: 0.920 on fold 0 with a model
// trained without it (corrections included; prose's model 0.887), and the
// model alone on gold tokens 0.909 by 5-fold cross-validation (gen -cv;
// prose's 0.854).
const (
	ewtTarget = 0.95
	ewtFloor  = 0.972
)

// ewtFolds is tagger/gen's -folds default: document number modulo 5.
const ewtFolds = 5
