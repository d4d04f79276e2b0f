package claude

import (
	"context"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
	"github.com/corpora-tools/corpora/internal/classify/offline"
)

// workOf is the work hash of the first batch req makes.
func workOf(t *testing.T, b *BatchClassifier, req classify.Request) string {
	t.Helper()
	pending := make([]int, len(req.Terms))
	size := make([]int, len(req.Terms))
	for i := range pending {
		pending[i], size[i] = i, b.cfg.BatchSize
	}
	groups, err := b.groups(req, pending, size)
	if err != nil {
		t.Fatal(err)
	}
	return groups[0].work
}

// TestLostBatchIsForgottenAndResubmitted: a saved batch the API no longer
// has (404) is forgotten and its terms submitted again, instead of every
// later run failing on it.
func TestLostBatchIsForgottenAndResubmitted(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{})
	cache := openCache(t)
	var w warnings
	b := newBatch(f, cache, func(c *Config) { c.Warnf = w.Warnf })
	req := classify.Request{Source: "a.pdf", Terms: words("gone", 40)}
	if err := cache.PutBatchRecord(classify.BatchRecord{Work: workOf(t, b, req), Backend: "claude-batch", BatchID: "msgbatch_deleted", Requests: 1}); err != nil {
		t.Fatal(err)
	}
	res, err := b.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if ids := f.BatchIDs(); len(ids) != 1 {
		t.Fatalf("batches %v, want one new", ids)
	}
	if !strings.Contains(w.all(), "no longer exists") {
		t.Fatalf("warnings %q", w.all())
	}
	if recs, _ := cache.BatchRecords(); len(recs) != 0 {
		t.Fatalf("records left: %+v", recs)
	}

	// A batch deleted while it is polled is resubmitted the same way.
	f2 := newFake(t, fake.AnthropicConfig{PollsToEnd: 3})
	b2 := newBatch(f2, openCache(t), func(c *Config) {
		c.Progress = func(p BatchProgress) {
			if p.BatchID == "msgbatch_001" {
				f2.ForgetBatch(p.BatchID)
			}
		}
	})
	res, err = b2.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if ids := f2.BatchIDs(); len(ids) != 1 || ids[0] != "msgbatch_002" {
		t.Fatalf("batches %v", ids)
	}
}

// TestInvalidBatchRequestIsNeverResubmitted: an errored result keeps the
// API's message, and a request the API called invalid is not sent again:
// its terms go to the fallback.
func TestInvalidBatchRequestIsNeverResubmitted(t *testing.T) {
	req := classify.Request{Source: "a.pdf", Terms: words("mote", 60)}
	bad := req.Terms[10].Text
	f := newFake(t, fake.AnthropicConfig{InvalidText: bad})
	var w warnings
	b := newBatch(f, openCache(t), func(c *Config) { c.BatchSize = 2; c.Warnf = w.Warnf; c.Fallback = offline.New() })
	res, err := b.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Usage.Fallbacks != 2 {
		t.Fatalf("fallbacks = %d, want the 2 terms of the invalid request", res.Usage.Fallbacks)
	}
	if ids := f.BatchIDs(); len(ids) != 1 {
		t.Fatalf("batches %v: the invalid request was resubmitted", ids)
	}
	if got := w.all(); !strings.Contains(got, "invalid_request_error") || !strings.Contains(got, "could not be processed as sent") {
		t.Fatalf("warnings %q: the API's message is lost", got)
	}

	// Without a fallback the failure names the API's message.
	f = newFake(t, fake.AnthropicConfig{InvalidText: bad})
	b = newBatch(f, openCache(t), func(c *Config) { c.BatchSize = 2 })
	_, err = b.Classify(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), "could not be processed as sent") {
		t.Fatalf("err = %v", err)
	}
}

// TestCutBatchResultIsReaskedInHalves: a result cut by max_tokens is asked
// again in halved requests, as the live path does.
func TestCutBatchResultIsReaskedInHalves(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{BatchCutOver: 10})
	b := newBatch(f, openCache(t), func(c *Config) { c.BatchSize = 40 })
	req := classify.Request{Source: "a.pdf", Terms: words("shard", 40)}
	res, err := b.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if ids := f.BatchIDs(); len(ids) != 3 { // 40 (cut: 20 back), 20 (cut: 10 back), 10
		t.Fatalf("batches %v, want 3", ids)
	}
	for text, n := range f.BatchAccount().TermCounts {
		if n > 3 {
			t.Fatalf("%q sent %d times", text, n)
		}
	}
}

// TestBatchSizedAsTheSDKEncodesIt: terms full of &, < and > (which the SDK
// escapes to six bytes each) still fit the batch byte limit.
func TestBatchSizedAsTheSDKEncodesIt(t *testing.T) {
	const limit = 200 << 10
	f := newFake(t, fake.AnthropicConfig{MaxBatchBytes: limit})
	b := newBatch(f, openCache(t), func(c *Config) { c.BatchSize = 5; c.MaxBatchBytes = limit })
	terms := words("sigil", 200)
	for i := range terms {
		terms[i].Context = strings.Repeat("<&>", 100) + terms[i].Context
	}
	req := classify.Request{Source: "a.pdf", Terms: terms}
	res, err := b.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if ids := f.BatchIDs(); len(ids) < 2 {
		t.Fatalf("batches %v: want the work split by size", ids)
	}
}

// TestBatchUsesTheHourCacheAndReservesItsWrites: batch requests cache the
// prompt for an hour, the cost counts those writes at their price, and the
// estimate --max-cost reserves against includes them.
func TestBatchUsesTheHourCacheAndReservesItsWrites(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{})
	b := newBatch(f, openCache(t), nil)
	if err := b.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	req := classify.Request{Source: "a.pdf", Terms: words("ward", 150)}
	est := b.Estimate(req.Terms)
	if est.Usage.CacheWriteTokens < 3*b.PromptTokens() {
		t.Fatalf("estimate %+v leaves out the cache writes", est.Usage)
	}
	res, err := b.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	a := f.BatchAccount()
	if a.CacheWrite1hTokens == 0 || a.CacheWrite1hTokens != a.CacheWriteTokens {
		t.Fatalf("cache writes %d, of which 1-hour %d", a.CacheWriteTokens, a.CacheWrite1hTokens)
	}
	billed := a.Cost(classify.DefaultPrices(), true)
	if r := res.Usage.CostUSD / billed; r < 0.999 || r > 1.001 {
		t.Fatalf("cost $%.5f, billed $%.5f", res.Usage.CostUSD, billed)
	}
	if est.Usage.CostUSD < billed {
		t.Fatalf("estimate $%.5f below the bill $%.5f", est.Usage.CostUSD, billed)
	}

	// Two requests cannot earn back a 2x write: the 5-minute cache (1.25x),
	// as 1.0 marked every batch request, priced as billed.
	f = newFake(t, fake.AnthropicConfig{})
	b = newBatch(f, openCache(t), nil)
	if err := b.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	small := classify.Request{Source: "b.pdf", Terms: words("tide", 100)}
	est = b.Estimate(small.Terms)
	res, err = b.Classify(context.Background(), small)
	if err != nil {
		t.Fatal(err)
	}
	a = f.BatchAccount()
	if a.Requests != 2 || a.CacheWriteTokens == 0 || a.CacheWrite1hTokens != 0 {
		t.Fatalf("%d requests wrote %d cache tokens, %d for an hour; want 5-minute writes", a.Requests, a.CacheWriteTokens, a.CacheWrite1hTokens)
	}
	billed = a.Cost(classify.DefaultPrices(), true)
	if r := res.Usage.CostUSD / billed; r < 0.999 || r > 1.001 {
		t.Fatalf("small batch: cost $%.5f, billed $%.5f", res.Usage.CostUSD, billed)
	}
	if est.Usage.CostUSD < billed {
		t.Fatalf("small batch: estimate $%.5f below the bill $%.5f", est.Usage.CostUSD, billed)
	}
}

// TestFailedRecoveryLookupNeverCreatesASecondBatch: when a create's answer
// is lost and the lookup for the batch it may have made fails too, the run
// stops rather than creating again; the next run finds the batch.
func TestFailedRecoveryLookupNeverCreatesASecondBatch(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{LoseCreates: 1, FailLists: 100})
	cache := openCache(t)
	req := classify.Request{Source: "a.pdf", Terms: words("pact", 30)}
	b := newBatch(f, cache, func(c *Config) { c.Backoff.Attempts = 3 })
	_, err := b.Classify(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), "lookup") {
		t.Fatalf("err = %v", err)
	}
	if ids := f.BatchIDs(); len(ids) != 1 {
		t.Fatalf("batches %v, want exactly one", ids)
	}
	// The lookups work again: the same intent adopts the batch.
	f.SetFailLists(0)
	res, err := newBatch(f, cache, nil).Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if ids := f.BatchIDs(); len(ids) != 1 {
		t.Fatalf("batches %v after the resume, want one", ids)
	}
}
