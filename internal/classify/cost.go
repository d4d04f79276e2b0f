package classify

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/corpora-tools/corpora/internal/extract"
)

// Price is what a model costs in USD per million tokens. CacheWrite is the
// price of prompt tokens written to the prompt cache with the default
// 5-minute lifetime, CacheWrite1h with the 1-hour one (0 means twice Input,
// Anthropic's documented multiplier), CacheRead of tokens read from it.
// Batch is the multiplier applied to everything on a batch API (0.5 for
// Anthropic's Message Batches); 0 means 1. A model priced by prompt length
// (Claude Haiku 5.5) sets LongPrompt, the prompt tokens (input + cache reads +
// cache writes) of one request above which every token of that request,
// output included, costs LongFactor times more.
type Price struct {
	Input        float64 `json:"input"`
	Output       float64 `json:"output"`
	CacheWrite   float64 `json:"cache_write"`
	CacheWrite1h float64 `json:"cache_write_1h,omitempty"`
	CacheRead    float64 `json:"cache_read"`
	Batch        float64 `json:"batch,omitempty"`
	LongPrompt   int64   `json:"long_prompt_tokens,omitempty"`
	LongFactor   float64 `json:"long_prompt_factor,omitempty"`
}

// Cost prices u's tokens, its cache writes at the 5-minute price; batch
// applies the batch multiplier. u is one request's usage (the long-prompt
// tier is decided per request).
func (p Price) Cost(u Usage, batch bool) float64 { return p.CostTTL(u, batch, false) }

// CostTTL is Cost with the cache writes at the 1-hour price when hour is set.
func (p Price) CostTTL(u Usage, batch, hour bool) float64 {
	write := p.CacheWrite
	if hour {
		write = p.CacheWrite1h
		if write == 0 {
			write = 2 * p.Input
		}
	}
	c := (float64(u.InputTokens)*p.Input + float64(u.OutputTokens)*p.Output +
		float64(u.CacheWriteTokens)*write + float64(u.CacheReadTokens)*p.CacheRead) / 1e6
	if p.LongPrompt > 0 && p.LongFactor > 0 && u.InputTokens+u.CacheWriteTokens+u.CacheReadTokens > p.LongPrompt {
		c *= p.LongFactor
	}
	if batch && p.Batch > 0 {
		c *= p.Batch
	}
	return c
}

// DefaultPrices are list prices in USD per million tokens, from Anthropic's
// pricing page and model overviews as of December 2026 (cache writes 1.25x
// input for 5 minutes and 2x for 1 hour, batches half price):
//
//   - Claude Haiku 5.5 (released 2026-10-07): $0.10 in, $0.50 out, cache
//     reads $0.01, writes $0.125 (5 min) / $0.20 (1 h), for prompts up to
//     100,000 tokens; 5x every rate above.
//   - Claude Sonnet 5.5: $2 / $10; cache reads $0.10 since Anthropic's cut of
//     2026-10-07 (0.05x input), writes 1.25x / 2x input.
//   - Claude Opus 5.5: $4 / $20; cache reads $0.20, writes 1.25x / 2x input.
//   - Fable 5.1 and 5, Opus 5 and 4.5-4.8, Sonnet 4.6 and 4.5, Haiku 4.5:
//     still listed on the pricing page, at its rates.
//
// Retired models (Claude 3.5 Haiku, Opus 4.1, Sonnet 4) are gone: a model
// not listed has no price, and --max-cost refuses to run on it until
// CORPORA_PRICES gives one (see LoadPrices).
func DefaultPrices() map[string]Price {
	return map[string]Price{
		"claude-haiku-5-5":  {Input: 0.10, Output: 0.50, CacheWrite: 0.125, CacheWrite1h: 0.20, CacheRead: 0.01, Batch: 0.5, LongPrompt: 100000, LongFactor: 5},
		"claude-sonnet-5-5": {Input: 2, Output: 10, CacheWrite: 2.50, CacheWrite1h: 4, CacheRead: 0.10, Batch: 0.5},
		"claude-opus-5-5":   {Input: 4, Output: 20, CacheWrite: 5, CacheWrite1h: 8, CacheRead: 0.20, Batch: 0.5},
		"claude-fable-5-1":  {Input: 10, Output: 50, CacheWrite: 12.50, CacheWrite1h: 20, CacheRead: 0.25, Batch: 0.5},
		"claude-fable-5":    {Input: 10, Output: 50, CacheWrite: 12.50, CacheWrite1h: 20, CacheRead: 1, Batch: 0.5},
		"claude-opus-5":     {Input: 5, Output: 25, CacheWrite: 6.25, CacheWrite1h: 10, CacheRead: 0.50, Batch: 0.5},
		"claude-opus-4-8":   {Input: 5, Output: 25, CacheWrite: 6.25, CacheWrite1h: 10, CacheRead: 0.50, Batch: 0.5},
		"claude-opus-4-7":   {Input: 5, Output: 25, CacheWrite: 6.25, CacheWrite1h: 10, CacheRead: 0.50, Batch: 0.5},
		"claude-opus-4-6":   {Input: 5, Output: 25, CacheWrite: 6.25, CacheWrite1h: 10, CacheRead: 0.50, Batch: 0.5},
		"claude-opus-4-5":   {Input: 5, Output: 25, CacheWrite: 6.25, CacheWrite1h: 10, CacheRead: 0.50, Batch: 0.5},
		"claude-sonnet-4-6": {Input: 3, Output: 15, CacheWrite: 3.75, CacheWrite1h: 6, CacheRead: 0.30, Batch: 0.5},
		"claude-sonnet-4-5": {Input: 3, Output: 15, CacheWrite: 3.75, CacheWrite1h: 6, CacheRead: 0.30, Batch: 0.5},
		"claude-haiku-4-5":  {Input: 1, Output: 5, CacheWrite: 1.25, CacheWrite1h: 2, CacheRead: 0.10, Batch: 0.5},
		"gpt-4o-mini":       {Input: 0.15, Output: 0.60, CacheRead: 0.075, Batch: 0.5},
		"gpt-4o":            {Input: 2.50, Output: 10, CacheRead: 1.25, Batch: 0.5},
		"gpt-4.1-mini":      {Input: 0.40, Output: 1.60, CacheRead: 0.10, Batch: 0.5},
		"gpt-4.1-nano":      {Input: 0.10, Output: 0.40, CacheRead: 0.025, Batch: 0.5},
		"gpt-4.1":           {Input: 2, Output: 8, CacheRead: 0.50, Batch: 0.5},
	}
}

// PriceTable finds a model's price. Lookup is by exact name, then by the
// longest table name the model starts with followed by "-", so dated
// snapshots ("claude-haiku-4-5-20251001") find their family while a
// neighbouring model ("claude-sonnet-5-5" next to a "claude-sonnet-5") never
// borrows another's price.
type PriceTable map[string]Price

// Lookup returns the price for model and whether one was known.
func (t PriceTable) Lookup(model string) (Price, bool) {
	if p, ok := t[model]; ok {
		return p, true
	}
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, n := range names {
		if rest, ok := strings.CutPrefix(model, n+"-"); ok && snapshot(rest) {
			return t[n], true
		}
	}
	return Price{}, false
}

// snapshot reports whether s is a snapshot suffix: a date such as 20251001
// or 2024-07-18.
func snapshot(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r != '-':
			return false
		}
	}
	return digits >= 6
}

// LoadPrices returns the default table overlaid with spec, the value of
// CORPORA_PRICES: either inline JSON or the path of a JSON file, shaped
//
//	{"claude-haiku-5-5": {"input": 0.1, "output": 0.5, "cache_write": 0.125, "cache_write_1h": 0.2,
//	  "cache_read": 0.01, "batch": 0.5, "long_prompt_tokens": 100000, "long_prompt_factor": 5}}
//
// An empty spec gives the defaults.
func LoadPrices(spec string) (PriceTable, error) {
	t := PriceTable(DefaultPrices())
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return t, nil
	}
	data := []byte(spec)
	if !strings.HasPrefix(spec, "{") {
		b, err := os.ReadFile(spec)
		if err != nil {
			return nil, fmt.Errorf("price table: %w", err)
		}
		data = b
	}
	var over map[string]Price
	if err := json.Unmarshal(data, &over); err != nil {
		return nil, fmt.Errorf("price table %s: %w", spec, err)
	}
	for k, v := range over {
		t[k] = v
	}
	return t, nil
}

// Budget enforces --max-cost across every worker: a request reserves its
// estimated price before it is sent and settles at its real price after.
// A nil Budget or a Max of 0 never refuses.
type Budget struct {
	Max float64

	mu       sync.Mutex
	spent    float64
	reserved float64
}

// Reserve books est dollars for one request, or fails with ErrBudget when
// the spend so far plus what is in flight plus est would pass Max. Call
// settle with the real cost once the response is in (0 if none was billed).
func (b *Budget) Reserve(est float64) (settle func(actual float64), err error) {
	if b == nil || b.Max <= 0 {
		return func(float64) {}, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.spent+b.reserved+est > b.Max {
		return nil, fmt.Errorf("%w: spent $%.4f, the next request (~$%.4f) would pass --max-cost $%s", ErrBudget, b.spent, est, usd(b.Max))
	}
	b.reserved += est
	var once sync.Once
	return func(actual float64) {
		once.Do(func() {
			b.mu.Lock()
			b.reserved -= est
			b.spent += actual
			b.mu.Unlock()
		})
	}, nil
}

// Charge books dollars already billed outside a reservation (a response
// that was paid for but could not be read), so a retry is weighed against
// what was really spent.
func (b *Budget) Charge(actual float64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.spent += actual
	b.mu.Unlock()
}

// Check refuses an estimate that alone passes Max: the run does not start.
func (b *Budget) Check(est float64) error {
	if b == nil || b.Max <= 0 || est <= b.Max {
		return nil
	}
	return fmt.Errorf("%w: the estimate $%.4f exceeds --max-cost $%s", ErrBudget, est, usd(b.Max))
}

func usd(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Spent returns the dollars settled so far.
func (b *Budget) Spent() float64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.spent
}

// Estimate is a forecast of what classifying some terms will cost, counting
// only the terms the cache cannot answer.
type Estimate struct {
	Terms     int   `json:"terms"`      // terms asked
	CacheHits int   `json:"cache_hits"` // answered from the cache, free
	ToSend    int   `json:"to_send"`    // terms that would be sent
	Requests  int   `json:"requests"`
	Usage     Usage `json:"usage"` // estimated tokens and dollars
	// PriceKnown is false when the model is not in the price table (the
	// dollars are then 0 and should not be trusted).
	PriceKnown bool `json:"price_known"`
}

// Estimator is implemented by classifiers that can forecast the cost of
// classifying terms without calling anything.
type Estimator interface {
	Estimate(terms []extract.Candidate) Estimate
}

// TokenEstimate approximates the tokens of s for forecasts: about four
// characters per token for English prose, fewer for JSON punctuation.
func TokenEstimate(s string) int64 {
	var n int64
	punct := 0
	word := 0
	flush := func() {
		if word > 0 {
			n += int64((word + 5) / 6)
			word = 0
		}
		if punct > 0 {
			n += int64((punct + 2) / 3)
			punct = 0
		}
	}
	for _, r := range s {
		switch {
		case r == ' ' || r == '\n' || r == '\t':
			flush()
		case r < 128 && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			if word > 0 {
				n += int64((word + 5) / 6)
				word = 0
			}
			punct++
		default:
			if punct > 0 {
				n += int64((punct + 2) / 3)
				punct = 0
			}
			word++
		}
	}
	flush()
	return n
}
