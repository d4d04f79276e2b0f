package extract

import (
	"os"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract/tokenize"
)

// TestTaggerAccuracy measures the tagger on hand-tagged fantasy sentences,
// raw and with the fantasy corrections, and fails if the corrected
// accuracy drops below what was measured when the rules were written.
func TestTaggerAccuracy(t *testing.T) {
	for _, tt := range []struct {
		file string
		min  float64
	}{
		{"testdata/fantasy_tagged.txt", 0.96},
		{"testdata/fantasy_tagged_heldout.txt", 0.90},
	} {
		t.Run(tt.file, func(t *testing.T) { tagAccuracy(t, tt.file, tt.min) })
	}
}

func tagAccuracy(t *testing.T, file string, min float64) {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r := loadResources()
	ex := NewExtractor()
	p := ex.p
	var raw, fixed, total int
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var words, gold []string
		for _, wt := range strings.Fields(line) {
			i := strings.LastIndexByte(wt, '/')
			words = append(words, wt[:i])
			gold = append(gold, wt[i+1:])
		}
		var sb strings.Builder
		for i, w := range words {
			if i > 0 && w != "'s" && w != "." && w != "," {
				sb.WriteByte(' ')
			}
			sb.WriteString(w)
		}
		p.text, p.btype = sb.String(), document.Paragraph
		p.toks = tokenize.Tokens(p.toks[:0], p.text)
		if len(p.toks) != len(words) {
			t.Fatalf("%q: tokeniser gave %d tokens, gold has %d", p.text, len(p.toks), len(words))
		}
		for i, tk := range p.toks {
			if tk.Text(p.text) != words[i] {
				t.Fatalf("%q: token %q, gold %q", p.text, tk.Text(p.text), words[i])
			}
		}
		p.segFrom, p.segTo = 0, len(p.toks)
		rawTags := r.tm.NewTagger().Tag(words, nil)
		p.tagRange(p.toks, false)
		for i := range words {
			total++
			if r.tm.Name(rawTags[i]) == gold[i] {
				raw++
			}
			if got := r.tm.Name(p.tags[i]); got == gold[i] {
				fixed++
			} else if testing.Verbose() {
				t.Logf("%s: %s, gold %s  (in %q)", words[i], got, gold[i], p.text)
			}
		}
	}
	rawAcc, fixedAcc := float64(raw)/float64(total), float64(fixed)/float64(total)
	t.Logf("%d tokens: tagger %.3f, with fantasy corrections %.3f", total, rawAcc, fixedAcc)
	if fixedAcc < min {
		t.Errorf("accuracy with corrections %.3f < %.2f", fixedAcc, min)
	}
	if fixedAcc < rawAcc {
		t.Errorf("corrections lower accuracy: %.3f < %.3f", fixedAcc, rawAcc)
	}
}
