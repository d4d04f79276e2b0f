package claude

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
	"github.com/corpora-tools/corpora/internal/classify/offline"
	"github.com/corpora-tools/corpora/internal/fault"
)

// warnings collects Warnf lines.
type warnings struct {
	mu    sync.Mutex
	lines []string
}

func (w *warnings) Warnf(format string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines = append(w.lines, strings.TrimSpace(strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " ")))
}

func (w *warnings) all() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "\n")
}

// TestHaiku55TurnsThinkingOffToForceTheTool: Claude Haiku 5.5 thinks unless
// told not to, and the API refuses a forced tool_choice with thinking; the
// default requests turn it off, and Haiku 4.5 stays selectable without it.
func TestHaiku55TurnsThinkingOffToForceTheTool(t *testing.T) {
	if DefaultModel != "claude-haiku-5-5" {
		t.Fatalf("default model %q", DefaultModel)
	}
	f := newFake(t, fake.AnthropicConfig{})
	req := classify.Request{Source: "a.md", Terms: words("ember", 60)}
	for _, model := range []string{"", "claude-haiku-4-5", "claude-opus-5-5"} {
		c := newClaude(f, func(c *Config) { c.Model = model })
		if err := c.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
		res, err := c.Classify(context.Background(), req)
		if err != nil {
			t.Fatalf("model %q: %v", model, err)
		}
		checkAll(t, req, res)
	}

	// The same request with thinking left on is refused, as the API does.
	p := baseParams(DefaultModel, []classify.WireItem{{Key: "t0", Text: "ember", POS: "noun"}}, false)
	p.Thinking = anthropic.ThinkingConfigParamUnion{}
	client := anthropic.NewClient(option.WithoutEnvironmentDefaults(), option.WithAPIKey("sk-test"), option.WithBaseURL(f.URL), option.WithMaxRetries(0))
	_, err := client.Messages.New(context.Background(), p)
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Message, "tool_choice") {
		t.Fatalf("thinking with a forced tool: err = %v", err)
	}
}

// TestStrictToolLeavesNothingToReask: with strict tool use the answers
// always match the schema, so schema-breaking items never come back and
// nothing is asked twice.
func TestStrictToolLeavesNothingToReask(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{Script: []string{fake.FaultBadItems},
		Odd: func(_ classify.WireItem, r *classify.WireResult) { r.Energy = "plasma" }})
	c := newClaude(f, nil)
	req := classify.Request{Source: "a.md", Terms: words("glyph", 50)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if a := f.Account(); a.Requests != 1 || res.Usage.DroppedFields != 0 {
		t.Fatalf("%d requests, %d dropped fields: want 1 and 0", a.Requests, res.Usage.DroppedFields)
	}
}

// TestStrictSchemaTooLargeFallsBackOnce: a schema the API cannot compile is
// refused once; every later request goes without strict, with a warning.
func TestStrictSchemaTooLargeFallsBackOnce(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{MaxStrictSchema: 64})
	var w warnings
	c := newClaude(f, func(c *Config) { c.Warnf = w.Warnf; c.BatchSize = 10 })
	req := classify.Request{Source: "a.md", Terms: words("rune", 60)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if a := f.Account(); a.Requests != 6 {
		t.Fatalf("%d billed requests, want 6", a.Requests)
	}
	if got := w.all(); strings.Count(got, "without strict") != 1 || !strings.Contains(got, "grammar is too large") {
		t.Fatalf("warnings: %q", got)
	}
}

// TestRefusalIsNotReaskedWhole: a request the model refuses is split in
// halves; the one term it refuses alone gets the offline answer at once.
func TestRefusalIsNotReaskedWhole(t *testing.T) {
	req := classify.Request{Source: "a.md", Terms: words("omen", 100)}
	bad := req.Terms[37].Text
	f := newFake(t, fake.AnthropicConfig{RefuseText: bad})
	c := newClaude(f, func(c *Config) { c.Fallback = offline.New() })
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Usage.Fallbacks != 1 || !strings.HasPrefix(res.Terms[37].Classifier, classify.FallbackMark) {
		t.Fatalf("fallbacks %d, refused term %+v", res.Usage.Fallbacks, res.Terms[37])
	}
	a := f.Account()
	if n := a.TermCounts[bad]; n > 7 {
		t.Fatalf("the refused term was sent %d times", n)
	}
	for i, tm := range res.Terms {
		if i != 37 && strings.HasPrefix(tm.Classifier, classify.FallbackMark) {
			t.Fatalf("term %d fell back", i)
		}
	}
}

// TestSpendLimitIsFatal: a 429 saying the spend limit is reached stops the
// run at once, with the fix, instead of pausing and retrying.
func TestSpendLimitIsFatal(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{Script: []string{fake.FaultSpendLimit, fake.FaultSpendLimit, fake.FaultSpendLimit}})
	c := newClaude(f, func(c *Config) { c.Concurrency = 1 })
	_, err := c.Classify(context.Background(), classify.Request{Source: "a.md", Terms: words("coin", 10)})
	if !fault.IsFatal(err) || !errors.Is(err, classify.ErrUnavailable) || !strings.Contains(err.Error(), "spend limit") || !strings.Contains(err.Error(), "Billing") {
		t.Fatalf("err = %v (fatal %v)", err, fault.IsFatal(err))
	}
	if a := f.Account(); a.Faults[fake.FaultSpendLimit] != 1 {
		t.Fatalf("asked %d times", a.Faults[fake.FaultSpendLimit])
	}
}

// TestXShouldRetryOverridesTheStatus: x-should-retry true retries a 400,
// false stops a 529 the status alone would retry.
func TestXShouldRetryOverridesTheStatus(t *testing.T) {
	req := classify.Request{Source: "a.md", Terms: words("veil", 10)}
	f := newFake(t, fake.AnthropicConfig{Script: []string{fake.FaultRetry400}})
	if _, err := newClaude(f, nil).Classify(context.Background(), req); err != nil {
		t.Fatalf("x-should-retry true: %v", err)
	}
	f = newFake(t, fake.AnthropicConfig{Script: []string{fake.FaultNoRetry}})
	_, err := newClaude(f, nil).Classify(context.Background(), req)
	if err == nil || fault.IsRetryable(err) || !strings.Contains(err.Error(), "x-should-retry: false") {
		t.Fatalf("x-should-retry false: err = %v", err)
	}
	if n := f.Account().Faults[fake.FaultNoRetry]; n != 1 {
		t.Fatalf("sent %d times", n)
	}
}

// TestUnreadableBilledAnswerCountsAgainstTheBudget: a 200 that cannot be
// read was paid for: its price is counted before the retry.
func TestUnreadableBilledAnswerCountsAgainstTheBudget(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{Script: []string{fake.FaultGarbled}})
	budget := &classify.Budget{Max: 10}
	c := newClaude(f, func(c *Config) { c.Budget = budget })
	res, err := c.Classify(context.Background(), classify.Request{Source: "a.md", Terms: words("husk", 20)})
	if err != nil {
		t.Fatal(err)
	}
	if a := f.Account(); a.Requests != 2 {
		t.Fatalf("%d billed requests, want 2 (the garbled one and its retry)", a.Requests)
	}
	if budget.Spent() <= res.Usage.CostUSD*1.5 {
		t.Fatalf("budget spent $%.5f, answers cost $%.5f: the garbled answer was not counted", budget.Spent(), res.Usage.CostUSD)
	}
}

// TestPerAttemptTimeoutIsRetried: the HTTP client's own timeout for one
// attempt is transient while the run goes on.
func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{Latency: 200 * time.Millisecond})
	c := newClaude(f, func(c *Config) {
		c.HTTPClient = &http.Client{Timeout: 20 * time.Millisecond}
		c.Backoff.Attempts = 3
	})
	_, err := c.Classify(context.Background(), classify.Request{Source: "a.md", Terms: words("slow", 5)})
	if err == nil {
		t.Fatal("no error")
	}
	time.Sleep(250 * time.Millisecond) // let the fake finish billing
	if n := f.Account().Requests; n != 3 {
		t.Fatalf("%d attempts, want 3: %v", n, err)
	}
}

// TestGatewayReadsXAPIKey: a gateway at ANTHROPIC_BASE_URL that reads only
// x-api-key accepts the requests.
func TestGatewayReadsXAPIKey(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{XAPIKeyOnly: true})
	c := newClaude(f, nil)
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	req := classify.Request{Source: "a.md", Terms: words("gate", 5)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
}

// TestCacheIsWarmedAgainAfterAnIdlePause: after a pause longer than the
// cache lifetime, one request writes the cache before the others fan out,
// instead of every worker writing it at once.
func TestCacheIsWarmedAgainAfterAnIdlePause(t *testing.T) {
	const ttl = 500 * time.Millisecond
	f := newFake(t, fake.AnthropicConfig{CacheTTL: ttl, Latency: 20 * time.Millisecond})
	c := newClaude(f, func(c *Config) { c.Concurrency = 4; c.CacheLifetime = ttl })
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !c.Cacheable() {
		t.Fatalf("prompt of %d tokens not cacheable", c.PromptTokens())
	}
	writes := func() int64 {
		var n int64
		for _, b := range f.Account().Billed {
			if b.Usage.CacheWriteTokens > 0 {
				n++
			}
		}
		return n
	}
	for round, prefix := range []string{"first", "second"} {
		if round > 0 {
			time.Sleep(ttl + ttl/2)
		}
		if _, err := c.Classify(context.Background(), classify.Request{Source: "a.md", Terms: words(prefix, 200)}); err != nil {
			t.Fatal(err)
		}
		if got := writes(); got != int64(round+1) {
			t.Fatalf("after round %d: the prompt was written %d times, want %d", round+1, got, round+1)
		}
	}
}

// TestPromptExamplesMatchTheToolSchema: every example result in the system
// prompt validates against the strict tool schema sent with it.
func TestPromptExamplesMatchTheToolSchema(t *testing.T) {
	b, err := tool(true).OfTool.InputSchema.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(classify.SystemPrompt(), "\n") {
		if res, ok := strings.CutPrefix(line, "result: "); ok {
			n++
			if !fake.ValidItem(schema, []byte(res)) {
				t.Errorf("example breaks the tool schema: %s", res)
			}
		}
	}
	if n < 40 {
		t.Fatalf("%d examples", n)
	}
}
