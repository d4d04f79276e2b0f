package claude

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
)

// realistic makes n candidates shaped like extraction output: 1-3 word
// terms, context sentences of 80-300 characters.
func realistic(n int) []extract.Candidate {
	heads := []string{"dragon", "lich", "rune", "ward", "blade", "tome", "shade", "golem", "sigil", "crown", "gate", "hydra"}
	mods := []string{"ancient", "burning", "hollow", "frost", "shadow", "iron", "silver", "storm", "bone", "verdant"}
	sentence := "The %s waited beyond the broken gate of the old citadel, where the wardens of the order once kept their vigil against the dark"
	out := make([]extract.Candidate, n)
	for i := range out {
		words := []string{heads[i%len(heads)]}
		if i%3 > 0 {
			words = append([]string{mods[(i/3)%len(mods)]}, words...)
		}
		text := strings.Join(words, " ") + fmt.Sprintf(" %d", i)
		ctx := fmt.Sprintf(sentence, text)
		ctx += strings.Repeat(", and the stones remembered", i%5) + "."
		out[i] = extract.Candidate{Text: text, Lemma: text, POS: extract.Phrase, Count: 1, Context: ctx}
	}
	return out
}

// TestReportCostPerThousandTerms measures, from the fake's bill, what 1,000
// terms cost at the default model's prices (Claude Haiku 5.5), and how
// close the estimate is.
// Run with -v to see the numbers.
func TestReportCostPerThousandTerms(t *testing.T) {
	terms := realistic(1000)
	prices := classify.PriceTable(classify.DefaultPrices())
	price, _ := prices.Lookup(DefaultModel)

	f := newFake(t, fake.AnthropicConfig{})
	c := newClaude(f, func(c *Config) { c.Concurrency = 4 })
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	est := c.Estimate(terms)
	res, err := c.Classify(context.Background(), classify.Request{Source: "r.pdf", Terms: terms})
	if err != nil {
		t.Fatal(err)
	}
	a := f.Account()
	u := a.Usage()
	sync := a.Cost(prices, false)
	tok := u.InputTokens + u.CacheWriteTokens + u.CacheReadTokens + u.OutputTokens
	t.Logf("claude: %d requests, %.1f terms/request, prompt %d tokens (cached: %v)", a.Requests, float64(a.Terms)/float64(a.Requests), c.PromptTokens(), c.Cacheable())
	t.Logf("claude: per term %.1f input + %.1f cache write + %.1f cache read + %.1f output = %.1f tokens",
		per(u.InputTokens), per(u.CacheWriteTokens), per(u.CacheReadTokens), per(u.OutputTokens), per(tok))
	t.Logf("claude: $%.4f per 1,000 terms (estimate said $%.4f); reported cost $%.4f", sync, est.Usage.CostUSD, res.Usage.CostUSD)
	if r := res.Usage.CostUSD / sync; r < 0.999 || r > 1.001 {
		t.Fatalf("reported cost $%.5f, the fake billed $%.5f", res.Usage.CostUSD, sync)
	}
	if float64(a.Terms)/float64(a.Requests) < 25 {
		t.Fatalf("%.1f terms per request, the bar is 25", float64(a.Terms)/float64(a.Requests))
	}
	if sync > 1 {
		t.Fatalf("$%.2f per 1,000 terms", sync)
	}
	if r := est.Usage.CostUSD / sync; r < 0.6 || r > 1.6 {
		t.Fatalf("estimate off by %.2fx", r)
	}

	fb := newFake(t, fake.AnthropicConfig{PollsToEnd: 1})
	b := newBatch(fb, openCache(t), nil)
	if _, err := b.Classify(context.Background(), classify.Request{Source: "r.pdf", Terms: terms}); err != nil {
		t.Fatal(err)
	}
	ba := fb.BatchAccount()
	t.Logf("claude-batch: %d requests, $%.4f per 1,000 terms (prompt cached by the fake: %v)", ba.Requests, ba.Cost(prices, true), ba.CacheReadTokens > 0)

	// The one-request-per-term design: the same prompt uncached (one term
	// per request rarely reaches the cache window) plus one term's tokens.
	// Priced request by request: the long-prompt tier is per request.
	one := classify.Usage{InputTokens: c.PromptTokens() + per64(u.InputTokens), OutputTokens: per64(u.OutputTokens) + 40}
	t.Logf("one request per term (same prompt, uncached): $%.2f per 1,000 terms", 1000*price.Cost(one, false))
}

func per(n int64) float64 { return float64(n) / 1000 }
func per64(n int64) int64 { return n / 1000 }

// TestReportCorpusCost runs real SRD chapters' candidates (real contexts)
// through the claude backend and the fake, and reports the bill.
func TestReportCorpusCost(t *testing.T) {
	dir := os.Getenv("CORPORA_TEST_CORPUS")
	if dir == "" {
		t.Skip("CORPORA_TEST_CORPUS not set: skipping the corpus cost report")
	}
	prices := classify.PriceTable(classify.DefaultPrices())
	f := newFake(t, fake.AnthropicConfig{})
	cl := classify.NewCached(newClaude(f, func(c *Config) { c.Concurrency = 4 }), openCache(t))
	total := 0
	for _, name := range []string{"08_spellcasting.md", "11_monsters.md", "10_magic_items.md"} {
		data, err := os.ReadFile(filepath.Join(dir, "srd", "markdown", name))
		if err != nil {
			t.Fatal(err)
		}
		doc := &document.Output{Source: name}
		for _, para := range strings.Split(string(data), "\n\n") {
			if p := strings.TrimSpace(para); p != "" {
				doc.Content = append(doc.Content, document.Block{Type: document.Paragraph, Text: p})
			}
		}
		cands, err := extract.Extract(context.Background(), doc, extract.Options{})
		if err != nil {
			t.Skipf("extraction not available: %v", err)
		}
		res, err := cl.Classify(context.Background(), classify.Request{Source: name, Terms: cands})
		if err != nil {
			t.Fatal(err)
		}
		total += len(cands)
		t.Logf("%s: %d candidates, %d cache hits, %d requests", name, len(cands), res.Usage.CacheHits, res.Usage.Requests)
	}
	a := f.Account()
	u := a.Usage()
	tok := u.InputTokens + u.CacheWriteTokens + u.CacheReadTokens + u.OutputTokens
	t.Logf("corpus: %d terms, %d sent in %d requests (%.1f terms/request), %.1f tokens/term sent (%.1f in, %.1f out), $%.4f = $%.4f per 1,000 terms sent",
		total, a.Terms, a.Requests, float64(a.Terms)/float64(a.Requests), float64(tok)/float64(a.Terms),
		float64(u.InputTokens+u.CacheWriteTokens+u.CacheReadTokens)/float64(a.Terms), float64(u.OutputTokens)/float64(a.Terms),
		a.Cost(prices, false), a.Cost(prices, false)*1000/float64(a.Terms))
}
