package claude

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
	"github.com/corpora-tools/corpora/internal/classify/offline"
	"github.com/corpora-tools/corpora/internal/extract"
)

// words makes n distinct candidates named prefix0..prefixN-1.
func words(prefix string, n int) []extract.Candidate {
	out := make([]extract.Candidate, n)
	for i := range out {
		text := fmt.Sprintf("%s%d", prefix, i)
		out[i] = extract.Candidate{Text: text, Lemma: strings.ToLower(text), POS: extract.Noun, Count: 1 + i%3, Pages: []int{1 + i%7},
			Context: fmt.Sprintf("The %s rose from the ashes of the old temple, wreathed in green flame and whispering in a tongue older than the gods.", text)}
	}
	return out
}

func fastBackoff() classify.Backoff {
	return classify.Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond, Attempts: 12}
}

func newFake(t *testing.T, cfg fake.AnthropicConfig) *fake.Anthropic {
	t.Helper()
	if cfg.Key == "" {
		cfg.Key = "sk-test"
	}
	f := fake.NewAnthropic(cfg)
	t.Cleanup(f.Close)
	return f
}

func newClaude(f *fake.Anthropic, mod func(*Config)) *Classifier {
	cfg := Config{APIKey: "sk-test", BaseURL: f.URL, Backoff: fastBackoff(), Concurrency: 3}
	if mod != nil {
		mod(&cfg)
	}
	return New(cfg)
}

func checkAll(t *testing.T, req classify.Request, res classify.Result) {
	t.Helper()
	if len(res.Terms) != len(req.Terms) {
		t.Fatalf("got %d terms for %d", len(res.Terms), len(req.Terms))
	}
	for i, tm := range res.Terms {
		c := req.Terms[i]
		if tm.Text != c.Text || tm.ID == "" || tm.Source != req.Source {
			t.Fatalf("term %d: %+v for %q", i, tm, c.Text)
		}
		probe := tm
		if err := classify.Repair(&probe); err != nil {
			t.Fatalf("term %q invalid: %v", c.Text, err)
		}
		want := fake.Answer(classify.WireItem{Text: c.Text})
		if string(tm.Category) != want.Category || string(tm.Intent) != want.Intent {
			t.Fatalf("term %q: got %s/%s, the fake said %s/%s", c.Text, tm.Category, tm.Intent, want.Category, want.Intent)
		}
	}
}

func TestClassifyManyTermsPerRequestWithPromptCaching(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{})
	c := newClaude(f, nil)
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !c.Cacheable() {
		t.Fatalf("prompt of %d tokens not cacheable", c.PromptTokens())
	}
	req := classify.Request{Source: "books/Tome.pdf", Terms: words("ember", 120)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	acct := f.Account()
	if acct.Requests != 3 || res.Usage.Requests != 3 {
		t.Fatalf("requests: fake %d, usage %d, want 3", acct.Requests, res.Usage.Requests)
	}
	if acct.CacheWriteTokens == 0 || acct.CacheReadTokens != 2*acct.CacheWriteTokens {
		t.Fatalf("prompt cache: write %d read %d (want one write, two reads)", acct.CacheWriteTokens, acct.CacheReadTokens)
	}
	if res.Usage.InputTokens != acct.InputTokens || res.Usage.OutputTokens != acct.OutputTokens || res.Usage.CacheReadTokens != acct.CacheReadTokens {
		t.Fatalf("usage %+v does not match the fake's bill %+v", res.Usage, acct)
	}
	if res.Usage.CostUSD <= 0 {
		t.Fatal("no cost")
	}
}

func TestNoCacheControlBelowMinimum(t *testing.T) {
	// A model with a minimum above our prompt: the fake caches nothing, and
	// the classifier must not claim it does.
	f := newFake(t, fake.AnthropicConfig{MinCacheTokens: 1 << 20})
	c := newClaude(f, nil)
	c.setPromptTokens(100) // as if count_tokens said the prompt was short
	if c.Cacheable() {
		t.Fatal("a 100-token prompt must not be marked cacheable")
	}
	req := classify.Request{Source: "a.txt", Terms: words("w", 10)}
	if _, err := c.Classify(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if a := f.Account(); a.CacheWriteTokens != 0 || a.CacheReadTokens != 0 {
		t.Fatalf("cache used below the minimum: %+v", a)
	}
}

func TestCheckFindsBadKeyAndDeadEndpointUpFront(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{})
	for name, cfg := range map[string]Config{
		"missing key":  {BaseURL: f.URL},
		"rejected key": {APIKey: "sk-wrong", BaseURL: f.URL},
		"unreachable":  {APIKey: "sk-test", BaseURL: "http://127.0.0.1:1"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg.Backoff = fastBackoff()
			cfg.Backoff.Attempts = 2
			err := New(cfg).Check(context.Background())
			if !errors.Is(err, classify.ErrUnavailable) {
				t.Fatalf("err = %v, want ErrUnavailable", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("message is not one line: %q", err)
			}
		})
	}
}

func TestTruncatedAnswerReasksOnlyMissingKeys(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{Script: []string{fake.FaultTruncate}})
	c := newClaude(f, func(c *Config) { c.Concurrency = 1 })
	req := classify.Request{Source: "a.txt", Terms: words("rune", 40)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	acct := f.Account()
	twice := 0
	for _, n := range acct.TermCounts {
		if n == 2 {
			twice++
		} else if n != 1 {
			t.Fatalf("a term was sent %d times", n)
		}
	}
	if twice != 20 {
		t.Fatalf("%d terms re-asked, want the 20 cut off", twice)
	}
}

func TestSchemaBreakingItemsAreReasked(t *testing.T) {
	// A gateway that does not enforce strict tool use: the answers can
	// break the schema.
	f := newFake(t, fake.AnthropicConfig{NoGrammar: true, Script: []string{fake.FaultBadItems, fake.FaultEmptyTool}})
	c := newClaude(f, func(c *Config) { c.Concurrency = 1 })
	req := classify.Request{Source: "a.txt", Terms: words("glyph", 10)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if a := f.Account(); a.Requests != 3 {
		t.Fatalf("requests = %d, want 3 (bad items, empty tool call, the re-ask)", a.Requests)
	}
}

func TestRetryAfterPausesEveryWorker(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{Script: []string{fake.Fault429}, RetryAfter: "1"})
	c := newClaude(f, nil)
	start := time.Now()
	req := classify.Request{Source: "a.txt", Terms: words("ash", 5)}
	if _, err := c.Classify(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Second {
		t.Fatalf("retried after %v, before the server's retry-after of 1s", d)
	}
}

func TestEveryTermValidUnderInjectedFaults(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{FaultRate: 0.2, Seed: 42})
	c := newClaude(f, func(c *Config) { c.Concurrency = 4 })
	req := classify.Request{Source: "a.txt", Terms: words("cinder", 600)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	a := f.Account()
	total := 0
	for _, n := range a.Faults {
		total += n
	}
	if total == 0 {
		t.Fatal("no faults were injected")
	}
	perRequest := float64(len(req.Terms)) / float64(a.Requests)
	t.Logf("faults %v, billed requests %d, %.1f terms per billed request, %d term items sent for %d terms",
		a.Faults, a.Requests, perRequest, a.Terms, len(req.Terms))
	if perRequest < 25 {
		t.Errorf("%.1f terms per billed request under faults: re-asks cost too many requests", perRequest)
	}
}

// TestHeavyFaultsStillClassifyTheDocument: with a third of the calls
// failing (429, 5xx, truncation, schema-breaking items, empty tool calls)
// every term still comes back, at 25 or more terms per billed request.
func TestHeavyFaultsStillClassifyTheDocument(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{FaultRate: 0.33, Seed: 7,
		FaultKinds: []string{fake.Fault429, fake.Fault500, fake.FaultTruncate, fake.FaultBadItems, fake.FaultEmptyTool}})
	c := newClaude(f, func(c *Config) { c.Concurrency = 4; c.Fallback = offline.New() })
	req := classify.Request{Source: "monsters.pdf", Terms: words("ember", 1500)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	a := f.Account()
	perRequest := float64(len(req.Terms)) / float64(a.Requests)
	t.Logf("faults %v: %d billed requests (%.1f terms each), %d fallbacks", a.Faults, a.Requests, perRequest, res.Usage.Fallbacks)
	if perRequest < 25 {
		t.Errorf("%.1f terms per billed request", perRequest)
	}
	if res.Usage.Fallbacks > len(req.Terms)*2/100 {
		t.Errorf("%d fallbacks: more than 2%% of the terms", res.Usage.Fallbacks)
	}
	for i, tm := range res.Terms {
		if tm.ID == "" {
			t.Fatalf("term %d not classified", i)
		}
	}
}

func TestBudgetStopsBeforeOverspending(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{})
	budget := &classify.Budget{Max: 0.02}
	c := newClaude(f, func(c *Config) { c.Budget = budget; c.Concurrency = 1 })
	_, err := c.Classify(context.Background(), classify.Request{Source: "a.txt", Terms: words("coin", 500)})
	if !errors.Is(err, classify.ErrBudget) {
		t.Fatalf("err = %v, want ErrBudget", err)
	}
	if budget.Spent() > budget.Max {
		t.Fatalf("spent %.4f over the limit %.2f", budget.Spent(), budget.Max)
	}
}

func TestObserveRateLimitHeaders(t *testing.T) {
	lim := classify.NewLimiter(1)
	h := map[string][]string{
		"Anthropic-Ratelimit-Requests-Remaining": {"0"},
		"Anthropic-Ratelimit-Requests-Reset":     {time.Now().Add(300 * time.Millisecond).UTC().Format(time.RFC3339)},
	}
	observe(lim, h, 200)
	start := time.Now()
	release, err := lim.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	release()
	// RFC 3339 has whole seconds: the reset is at most a second away, at least now.
	if time.Since(start) > 1500*time.Millisecond {
		t.Fatalf("paused %v", time.Since(start))
	}
}

func openCache(t *testing.T) *classify.Cache {
	t.Helper()
	c, err := classify.OpenCache(filepath.Join(t.TempDir(), classify.CacheFileName), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCacheSendsOnlyNewTerms(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{})
	cache := openCache(t)
	cl := classify.NewCached(newClaude(f, nil), cache)
	doc1 := classify.Request{Source: "one.pdf", Terms: words("shared", 30)}
	doc2 := classify.Request{Source: "two.pdf", Terms: append(words("shared", 30)[10:], words("fresh", 15)...)}
	r1, err := cl.Classify(context.Background(), doc1)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, doc1, r1)
	r2, err := cl.Classify(context.Background(), doc2)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, doc2, r2)
	if r2.Usage.CacheHits != 20 || r2.Usage.TermsSent != 15 {
		t.Fatalf("second document: %d hits, %d sent; want 20 and 15", r2.Usage.CacheHits, r2.Usage.TermsSent)
	}
	for text, n := range f.Account().TermCounts {
		if n != 1 {
			t.Fatalf("%q sent %d times", text, n)
		}
	}
	if r2.Terms[0].Source != "two.pdf" || !strings.HasPrefix(r2.Terms[0].ID, "two-pdf-") {
		t.Fatalf("cached term keeps the old document: %+v", r2.Terms[0])
	}
	before := f.Account().Requests
	r3, err := cl.Classify(context.Background(), doc2)
	if err != nil {
		t.Fatal(err)
	}
	if f.Account().Requests != before || r3.Usage.CacheHits != len(doc2.Terms) {
		t.Fatalf("second run sent %d requests", f.Account().Requests-before)
	}
	est := cl.Estimate(doc2.Terms)
	if est.ToSend != 0 || est.Usage.CostUSD != 0 {
		t.Fatalf("estimate for a cached document: %+v", est)
	}
}

func TestConcurrentDocumentsSendSharedTermsOnce(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{Latency: 5 * time.Millisecond})
	cl := classify.NewCached(newClaude(f, func(c *Config) { c.Concurrency = 4 }), openCache(t))
	shared := words("common", 60)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for d := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := classify.Request{Source: fmt.Sprintf("doc%d.pdf", d), Terms: append(words(fmt.Sprintf("own%d-", d), 20), shared...)}
			res, err := cl.Classify(context.Background(), req)
			if err == nil {
				for i, tm := range res.Terms {
					if tm.Text != req.Terms[i].Text || tm.Source != req.Source {
						err = fmt.Errorf("doc %d term %d: %+v", d, i, tm)
						break
					}
				}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	a := f.Account()
	for text, n := range a.TermCounts {
		if n != 1 {
			t.Fatalf("%q sent %d times by concurrent documents", text, n)
		}
	}
	if a.Terms != 60+4*20 {
		t.Fatalf("%d terms sent, want %d", a.Terms, 60+4*20)
	}
}
