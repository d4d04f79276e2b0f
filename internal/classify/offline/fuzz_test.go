package offline

import (
	"context"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"
)

// FuzzClassify feeds arbitrary terms, sentences and blocks (they come from
// untrusted documents): the classifier must never panic and must always
// return a valid term.
func FuzzClassify(f *testing.F) {
	f.Add("Glimmerfang", glimmerfang.Context, glimmerfang.Block, uint8(3))
	f.Add("Cindersong", cindersong.Context, cindersong.Block, uint8(3))
	f.Add("Wand of Fireballs", "", "", uint8(4))
	f.Add("fire", "fire damage fire damage", "fire", uint8(0))
	f.Add("'s", "'s", "#", uint8(2))
	f.Add("\xff\xfe", "\x00", "Tiny beast\xff", uint8(1))
	c := New()
	pos := []extract.POS{extract.Noun, extract.Verb, extract.Adjective, extract.ProperNoun, extract.Phrase}
	f.Fuzz(func(t *testing.T, text, sentence, block string, p uint8) {
		cand := extract.Candidate{Text: text, Lemma: text, POS: pos[int(p)%len(pos)], Context: sentence, Block: block}
		res, err := c.Classify(context.Background(), classify.Request{Source: "f.pdf", Terms: []extract.Candidate{cand}})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		tm := res.Terms[0]
		if err := classify.Repair(&tm); err != nil {
			t.Fatalf("%q: invalid term: %v", text, err)
		}
		for i, v := range tm.Axes {
			if v < 0 || v > 1 {
				t.Fatalf("%q: axis %d = %v", text, i, v)
			}
		}
	})
}
