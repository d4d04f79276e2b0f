package classify

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/corpora-tools/corpora/internal/extract"
)

func TestItemIndexInvertsItemKey(t *testing.T) {
	for _, k := range []int{0, 1, 9, 10, 35, 36, 37, 1295, 1296, 99999} {
		got, ok := ItemIndex(ItemKey(k))
		if !ok || got != k {
			t.Errorf("ItemIndex(%q) = %d, %v; want %d", ItemKey(k), got, ok, k)
		}
	}
	for _, key := range []string{"", "t", "0", "x1", "T1", "tA", "t01", "t+1", "t-1", "t 1", "t1 ", "tzzzzzzzzzzzzzzzzz"} {
		if k, ok := ItemIndex(key); ok {
			t.Errorf("ItemIndex(%q) = %d, want no index", key, k)
		}
	}
}

func TestTallyTake(t *testing.T) {
	req := Request{Source: "book.md"}
	for _, w := range []string{"fireball", "goblin", "longsword", "owlbear"} {
		req.Terms = append(req.Terms, extract.Candidate{Text: w, Lemma: w, POS: extract.Noun})
	}
	res := Result{Terms: make([]Term, len(req.Terms))}
	var warned []string
	tl := NewTally(req, "test/model", func(f string, a ...any) { warned = append(warned, fmt.Sprintf(f, a...)) }, &res)
	tl.Done[3] = true // finished earlier: an answer for it is ignored
	item := func(key, axes string) json.RawMessage {
		return json.RawMessage(`{"key":"` + key + `","cat":"spell","intent":"offensive","mood":"arcane","conf":0.9,"axes":` + axes + `}`)
	}
	// The request asked for terms 3, 1, 2 (keys t0, t1, t2).
	var usage Usage
	okIdx, okTerms := tl.Take([]int{3, 1, 2}, []json.RawMessage{
		item("t1", `{"plasma":1,"fire":1}`), // valid, one axis dropped
		item("t0", `{"fire":1}`),            // term 3, already done
		json.RawMessage(`{"key":"t2","cat":7}`),
		item("t3", `{"fire":1}`), // not in the request
		item("T1", `{"fire":1}`), // not ItemKey's spelling
	}, &usage)
	if fmt.Sprint(okIdx) != "[1]" || len(okTerms) != 1 || okTerms[0].Text != "goblin" || okTerms[0].Classifier != "test/model" {
		t.Fatalf("kept %v %+v, want goblin at 1", okIdx, okTerms)
	}
	if res.Terms[1].Text != "goblin" || !tl.Done[1] || tl.Done[2] || tl.Done[0] {
		t.Errorf("res %+v done %v", res.Terms, tl.Done)
	}
	if !errors.Is(tl.LastErr[2], ErrInvalid) || tl.LastErr[0] != nil || tl.LastErr[1] != nil {
		t.Errorf("lastErr %v", tl.LastErr)
	}
	if usage.DroppedFields != 1 || len(warned) != 1 {
		t.Errorf("dropped %d, warned %q", usage.DroppedFields, warned)
	}
}
