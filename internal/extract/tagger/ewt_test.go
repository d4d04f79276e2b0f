package tagger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/extract/ud"
)

// TestDevFit tags the gold tokens of the EWT dev split, which the shipped
// model learnt (gen -train, every document), and maps the tags to UPOS. gen
// measured the same on its own feature strings when it built the model
// (devFit): a lower figure here means the tagger's hashed features no
// longer match gen's. It is no measure of accuracy on unseen text: gen -cv
// is (5-fold cross-validation, 0.909 on the content classes).
func TestDevFit(t *testing.T) {
	root := os.Getenv("CORPORA_TEST_CORPUS")
	if root == "" {
		t.Skip("CORPORA_TEST_CORPUS not set")
	}
	b, err := os.ReadFile(filepath.Join(root, "pos", "en_ewt-ud-dev.conllu"))
	if err != nil {
		t.Fatal(err)
	}
	m := Default()
	tg := m.NewTagger()
	content := map[string]bool{"NOUN": true, "VERB": true, "ADJ": true, "PROPN": true}
	var right, total int
	var words, gold, penn []string
	var tags []Tag
	var upos []ud.UPOS
	doc := -1
	flush := func() {
		if len(words) > 0 {
			tags = tg.Tag(words, tags)
			penn = penn[:0]
			for _, tag := range tags {
				penn = append(penn, m.Name(tag))
			}
			upos = ud.Map(words, penn, upos)
			for i, g := range gold {
				if content[g] {
					total++
					if string(upos[i]) == g {
						right++
					}
				}
			}
		}
		words, gold = words[:0], gold[:0]
	}
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "# newdoc"):
			doc++
		case strings.HasPrefix(line, "#"):
		default:
			f := strings.Split(line, "\t")
			if len(f) == 10 && !strings.ContainsAny(f[0], "-.") {
				words, gold = append(words, f[1]), append(gold, f[3])
			}
		}
	}
	flush()
	acc := float64(right) / float64(total)
	t.Logf("EWT dev (trained on), gold tokens, content classes: %d/%d = %.4f", right, total, acc)
	if acc < devFit-0.0005 {
		t.Errorf("accuracy %.4f < %.4f, what gen measured on its training data", acc, devFit)
	}
}

// devFit is what gen printed "on the training data" for the content
// classes when it built model.txt.gz.
const devFit = 0.9946
