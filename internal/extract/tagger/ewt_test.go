package tagger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/extract/ud"
)

// TestHeldOutFold tags the gold tokens of the EWT dev fold that gen -train
// holds out (document number modulo 5 == 0) and maps the tags to UPOS. gen
// measured the same on its own feature strings when it built the model
// (content classes 0.9183): a lower figure here means the tagger's hashed
// features no longer match gen's.
func TestHeldOutFold(t *testing.T) {
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
		if len(words) > 0 && doc%5 == 0 {
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
	t.Logf("held-out fold, gold tokens, content classes: %d/%d = %.4f", right, total, acc)
	if acc < 0.918 {
		t.Errorf("accuracy %.4f < 0.918, what gen measured", acc)
	}
}
