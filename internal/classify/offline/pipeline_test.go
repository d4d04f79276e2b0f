package offline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
	"github.com/corpora-tools/corpora/internal/parse"

	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// TestPipelineSRD runs the real parse and extract stages over SRD chapters
// and classifies the gold names as the extractor found them (its context
// sentence and block). With the lexicon they must be right; without it the
// numbers are logged: they show how much context the extractor's block
// carries (a heading's block is the heading alone).
func TestPipelineSRD(t *testing.T) {
	dir := testcorpus.Dir(t)
	p, err := parse.New(parse.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	for _, cc := range []struct {
		file, gold string
		want       classify.Category
	}{
		{"srd/markdown/08_spellcasting.md", "spells.txt", classify.Spell},
		{"srd/markdown/11_monsters.md", "monsters.txt", classify.Creature},
		{"srd/markdown/10_magic_items.md", "magic_items.txt", classify.Item},
		{"srd/rendered/srd_spellcasting.epub", "spells.txt", classify.Spell},
	} {
		doc, err := p.File(ctx, filepath.Join(dir, cc.file), document.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cands, err := extract.Extract(ctx, doc, extract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]extract.Candidate{}
		for _, c := range cands {
			k := strings.ToLower(c.Text)
			if _, ok := by[k]; !ok {
				by[k] = c
			}
		}
		var sel []extract.Candidate
		for _, g := range readGold(t, dir, cc.gold) {
			if c, ok := by[strings.ToLower(g)]; ok {
				sel = append(sel, c)
			}
		}
		for _, opts := range []Options{{}, {NoSRD: true}} {
			res, _ := NewWithOptions(opts).Classify(ctx, classify.Request{Source: cc.file, Terms: sel})
			right := 0
			var wrong []string
			for i, tm := range res.Terms {
				if tm.Category == cc.want {
					right++
				} else if len(wrong) < 8 {
					wrong = append(wrong, fmt.Sprintf("%s=%s [%q | %q]", tm.Text, tm.Category, sel[i].Context, cut(sel[i].Block, 120)))
				}
			}
			t.Logf("%s nosrd=%v: %d/%d gold names right (%d candidates)", cc.file, opts.NoSRD, right, len(sel), len(cands))
			for _, w := range wrong {
				t.Logf("   %s", w)
			}
			if len(sel) < 100 {
				t.Errorf("%s: only %d gold names among the candidates", cc.file, len(sel))
			}
			if !opts.NoSRD && float64(right) < 0.95*float64(len(sel)) {
				t.Errorf("%s: %d/%d right with the lexicon", cc.file, right, len(sel))
			}
		}
	}
}
