package claude

import (
	"context"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
	"github.com/corpora-tools/corpora/internal/classify/offline"
	"github.com/corpora-tools/corpora/internal/fault"
)

// oddAnswers fills the free-form fields the way a model might on its own:
// energies with separators and synonyms, intents in capitals, unknown axes
// and secondary intents, a category with a qualifier.
func oddAnswers(it classify.WireItem, r *classify.WireResult) {
	n := len(it.Text)
	switch n % 5 {
	case 0:
		r.Energy = "x/day"
	case 1:
		r.Energy = "Fire and Cold"
	case 2:
		r.Energy = "electricity"
		r.Intent = strings.ToUpper(r.Intent)
	case 3:
		r.Energy = "N/A"
		r.Secondary = append(r.Secondary, "buff")
		r.Category = r.Category + "/monster"
	case 4:
		r.Axes = classify.WireAxes{"plasma": 0.4, "Fire": 0.9}
	}
}

// TestOddFreeFormAnswersKeepEveryTerm: a model that answers the free-form
// fields its own way loses no term and no request to re-asks: what can be
// read is normalised, what cannot is dropped and counted.
func TestOddFreeFormAnswersKeepEveryTerm(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{NoGrammar: true, Odd: oddAnswers})
	var warnings int
	c := newClaude(f, func(c *Config) {
		c.Fallback = offline.New()
		c.Warnf = func(string, ...any) { warnings++ }
		c.Concurrency = 1
	})
	req := classify.Request{Source: "monsters.md", Terms: words("X/Day", 400)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for i, tm := range res.Terms {
		if tm.ID == "" || strings.HasPrefix(tm.Classifier, classify.FallbackMark) {
			t.Fatalf("term %d %q: %+v", i, req.Terms[i].Text, tm)
		}
		if tm.Energy != "" && !containsEnergy(tm.Energy) {
			t.Errorf("term %q: energy %q kept", tm.Text, tm.Energy)
		}
	}
	a := f.Account()
	if a.Requests == 0 || float64(len(req.Terms))/float64(a.Requests) < 25 {
		t.Errorf("%d requests for %d terms: re-asks dragged the batch size below 25", a.Requests, len(req.Terms))
	}
	for text, n := range a.TermCounts {
		if n != 1 {
			t.Errorf("%q sent %d times", text, n)
		}
	}
	if res.Usage.DroppedFields == 0 || warnings == 0 {
		t.Errorf("dropped fields %d, warnings %d: want both counted", res.Usage.DroppedFields, warnings)
	}
	if res.Usage.Fallbacks != 0 {
		t.Errorf("fallbacks = %d", res.Usage.Fallbacks)
	}
}

func containsEnergy(e string) bool {
	for _, v := range classify.Energies {
		if v == e {
			return true
		}
	}
	return false
}

// stubborn breaks the answer for the terms in bad on every ask.
func stubborn(bad map[string]bool) func(classify.WireItem, *classify.WireResult) {
	return func(it classify.WireItem, r *classify.WireResult) {
		if bad[it.Text] {
			r.Intent = "teleporting"
		}
	}
}

// TestStubbornTermsFallBackToOffline: a term still invalid after every
// re-ask gets the offline answer, marked, counted and not cached; the
// document is not failed for it.
func TestStubbornTermsFallBackToOffline(t *testing.T) {
	req := classify.Request{Source: "srd.md", Terms: words("Player's Handbook ", 100)}
	bad := map[string]bool{req.Terms[3].Text: true, req.Terms[77].Text: true}
	f := newFake(t, fake.AnthropicConfig{NoGrammar: true, Odd: stubborn(bad)})
	c := newClaude(f, func(c *Config) { c.Fallback = offline.New() })
	cache := openCache(t)
	res, err := classify.NewCached(c, cache).Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Usage.Fallbacks != 2 {
		t.Errorf("fallbacks = %d, want 2", res.Usage.Fallbacks)
	}
	for i, tm := range res.Terms {
		fell := strings.HasPrefix(tm.Classifier, classify.FallbackMark+"offline/")
		if fell != bad[req.Terms[i].Text] {
			t.Errorf("term %q: classifier %q", req.Terms[i].Text, tm.Classifier)
		}
		if fell && (!strings.HasSuffix(tm.Classifier, " for claude/"+DefaultModel) || tm.Category == "" || tm.ID == "") {
			t.Errorf("fallback term %+v", tm)
		}
	}
	// Fallback answers are not the model's: they never reach the cache.
	res2, err := classify.NewCached(c, cache).Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Usage.CacheHits != 98 {
		t.Errorf("second run: %d cache hits, want 98", res2.Usage.CacheHits)
	}
}

// TestManyInvalidTermsFailTheDocument: when more than MaxUnclassifiedShare
// of the terms never come back valid, something is wrong beyond a few odd
// answers: the request fails, says how many, and is not retried.
func TestManyInvalidTermsFailTheDocument(t *testing.T) {
	req := classify.Request{Source: "book.md", Terms: words("wraith", 100)}
	bad := map[string]bool{}
	for i := range 10 {
		bad[req.Terms[i*9].Text] = true
	}
	f := newFake(t, fake.AnthropicConfig{NoGrammar: true, Odd: stubborn(bad)})
	c := newClaude(f, func(c *Config) { c.Fallback = offline.New() })
	_, err := c.Classify(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), "10 of 100 terms (10%) never came back valid") {
		t.Fatalf("err = %v", err)
	}
	if fault.IsRetryable(err) || fault.IsFatal(err) || fault.KindOf(err) != fault.NoRetry {
		t.Errorf("err kind = %v, want no-retry", fault.KindOf(err))
	}
	// Without a fallback even one stubborn term fails the request.
	c = newClaude(newFake(t, fake.AnthropicConfig{NoGrammar: true, Odd: stubborn(map[string]bool{req.Terms[0].Text: true})}), nil)
	if _, err := c.Classify(context.Background(), req); err == nil {
		t.Fatal("no error without a fallback")
	}
}
