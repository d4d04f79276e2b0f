package claude

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
)

func newBatch(f *fake.Anthropic, store BatchStore, mod func(*Config)) *BatchClassifier {
	cfg := Config{APIKey: "sk-test", BaseURL: f.URL, Backoff: fastBackoff(), Store: store, PollInterval: 2 * time.Millisecond}
	if mod != nil {
		mod(&cfg)
	}
	return NewBatch(cfg)
}

func TestBatchClassifiesAtHalfPrice(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{})
	cache := openCache(t)
	var polls int
	b := newBatch(f, cache, func(c *Config) { c.Progress = func(BatchProgress) { polls++ } })
	req := classify.Request{Source: "a.pdf", Terms: words("wyrm", 130)}
	res, err := b.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if ids := f.BatchIDs(); len(ids) != 1 {
		t.Fatalf("batches %v, want one", ids)
	}
	if polls < 2 {
		t.Fatalf("progress reported %d times", polls)
	}
	acct := f.BatchAccount()
	if acct.Requests != 3 {
		t.Fatalf("requests in the batch = %d, want 3", acct.Requests)
	}
	if want := acct.Cost(classify.DefaultPrices(), true); res.Usage.CostUSD < want*0.999 || res.Usage.CostUSD > want*1.001 {
		t.Fatalf("cost %.5f, the fake billed %.5f at batch prices", res.Usage.CostUSD, want)
	}
	if recs, _ := cache.BatchRecords(); len(recs) != 0 {
		t.Fatalf("records left after success: %+v", recs)
	}
	if res.Terms[0].Classifier != "claude-batch/"+DefaultModel {
		t.Fatalf("classifier = %q", res.Terms[0].Classifier)
	}
}

func TestBatchLostCreateResponseCreatesNoSecondBatch(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{LoseCreates: 1})
	b := newBatch(f, openCache(t), nil)
	req := classify.Request{Source: "a.pdf", Terms: words("lost", 70)}
	res, err := b.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if ids := f.BatchIDs(); len(ids) != 1 {
		t.Fatalf("batches %v, want one: the lost create must be found, not repeated", ids)
	}
}

func TestBatchInterruptedRunResumesSameBatch(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{PollsToEnd: 3})
	cache := openCache(t)
	req := classify.Request{Source: "a.pdf", Terms: words("rest", 60)}

	// First run: cancelled at the first progress report, after the create.
	ctx, cancel := context.WithCancel(context.Background())
	b1 := newBatch(f, cache, func(c *Config) { c.Progress = func(BatchProgress) { cancel() } })
	if _, err := classify.NewCached(b1, cache).Classify(ctx, req); !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: %v", err)
	}
	recs, _ := cache.BatchRecords()
	if len(recs) != 1 || recs[0].BatchID == "" {
		t.Fatalf("batch id not saved before polling: %+v", recs)
	}
	// Second run (a new process would open the same cache file).
	var resumed bool
	b2 := newBatch(f, cache, func(c *Config) { c.Progress = func(p BatchProgress) { resumed = resumed || p.Resumed } })
	res, err := classify.NewCached(b2, cache).Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if ids := f.BatchIDs(); len(ids) != 1 || !resumed {
		t.Fatalf("batches %v (resumed %v): the re-run must poll the first batch", ids, resumed)
	}
	// Third run: everything is cached, nothing is sent.
	res, err = classify.NewCached(b2, cache).Classify(context.Background(), req)
	if err != nil || res.Usage.CacheHits != 60 || len(f.BatchIDs()) != 1 {
		t.Fatalf("third run: %v, %d hits, batches %v", err, res.Usage.CacheHits, f.BatchIDs())
	}
}

func TestBatchResubmitsErroredAndExpired(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{BatchItemFaultRate: 0.3, Seed: 3})
	var warned []string
	b := newBatch(f, openCache(t), func(c *Config) {
		c.BatchSize = 5
		c.Warnf = func(format string, args ...any) { warned = append(warned, fmt.Sprintf(format, args...)) }
	})
	req := classify.Request{Source: "a.pdf", Terms: words("shard", 60)}
	res, err := b.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	acct := f.BatchAccount()
	if acct.Faults["errored"]+acct.Faults["expired"] == 0 || len(f.BatchIDs()) < 2 {
		t.Fatalf("faults %v, batches %v: expected re-submission", acct.Faults, f.BatchIDs())
	}
	// The user hears why terms went round again (1.0 printed each error).
	if !slices.ContainsFunc(warned, func(w string) bool { return strings.Contains(w, "failed, their terms resubmitted: batch request") }) {
		t.Errorf("no warning names the failed requests: %q", warned)
	}
}

func TestBatchCustomIDsAreValidAndUnique(t *testing.T) {
	b := newBatch(fake.NewAnthropic(fake.AnthropicConfig{}), nil, func(c *Config) { c.BatchSize = 2; c.MaxRequests = 3 })
	req := classify.Request{Source: "a.pdf", Terms: words("id", 15)}
	pending := make([]int, len(req.Terms))
	size := make([]int, len(req.Terms))
	for i := range pending {
		pending[i], size[i] = i, 2
	}
	groups, err := b.groups(req, pending, size)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 3 { // 8 requests, at most 3 per batch
		t.Fatalf("%d groups, want 3", len(groups))
	}
	seen := map[string]bool{}
	for _, g := range groups {
		for k := range g.parts {
			id := customID(g.work, k)
			if len(id) > 64 || seen[id] {
				t.Fatalf("custom id %q invalid or repeated", id)
			}
			seen[id] = true
		}
	}
	again, _ := b.groups(req, pending, size)
	if again[0].work != groups[0].work {
		t.Fatal("work hash is not deterministic")
	}
}
