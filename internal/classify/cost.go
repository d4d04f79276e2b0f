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

// Price is what a model costs in USD per million tokens. CacheWrite and
// CacheRead are the prices of prompt tokens written to and read from the
// prompt cache. Batch is the multiplier applied to all four on a batch API
// (0.5 for Anthropic's Message Batches); 0 means 1.
type Price struct {
	Input      float64 `json:"input"`
	Output     float64 `json:"output"`
	CacheWrite float64 `json:"cache_write"`
	CacheRead  float64 `json:"cache_read"`
	Batch      float64 `json:"batch,omitempty"`
}

// Cost prices u's tokens; batch applies the batch multiplier.
func (p Price) Cost(u Usage, batch bool) float64 {
	c := (float64(u.InputTokens)*p.Input + float64(u.OutputTokens)*p.Output +
		float64(u.CacheWriteTokens)*p.CacheWrite + float64(u.CacheReadTokens)*p.CacheRead) / 1e6
	if batch && p.Batch > 0 {
		c *= p.Batch
	}
	return c
}

// DefaultPrices are list prices in USD per million tokens (Anthropic prompt
// cache writes with the 5-minute TTL cost 1.25x input, reads 0.1x; batches
// half price). Override or extend them with CORPORA_PRICES: see LoadPrices.
func DefaultPrices() map[string]Price {
	return map[string]Price{
		"claude-haiku-4-5":  {Input: 1, Output: 5, CacheWrite: 1.25, CacheRead: 0.10, Batch: 0.5},
		"claude-3-5-haiku":  {Input: 0.80, Output: 4, CacheWrite: 1, CacheRead: 0.08, Batch: 0.5},
		"claude-sonnet-4-5": {Input: 3, Output: 15, CacheWrite: 3.75, CacheRead: 0.30, Batch: 0.5},
		"claude-sonnet-4":   {Input: 3, Output: 15, CacheWrite: 3.75, CacheRead: 0.30, Batch: 0.5},
		"claude-opus-4-5":   {Input: 5, Output: 25, CacheWrite: 6.25, CacheRead: 0.50, Batch: 0.5},
		"claude-opus-4-1":   {Input: 15, Output: 75, CacheWrite: 18.75, CacheRead: 1.50, Batch: 0.5},
		"gpt-4o-mini":       {Input: 0.15, Output: 0.60, CacheRead: 0.075, Batch: 0.5},
		"gpt-4o":            {Input: 2.50, Output: 10, CacheRead: 1.25, Batch: 0.5},
		"gpt-4.1-mini":      {Input: 0.40, Output: 1.60, CacheRead: 0.10, Batch: 0.5},
		"gpt-4.1-nano":      {Input: 0.10, Output: 0.40, CacheRead: 0.025, Batch: 0.5},
		"gpt-4.1":           {Input: 2, Output: 8, CacheRead: 0.50, Batch: 0.5},
	}
}

// PriceTable finds a model's price. Lookup is by exact name, then by the
// longest table name the model starts with, so dated snapshots
// ("claude-haiku-4-5-20251001") find their family.
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
		if strings.HasPrefix(model, n) {
			return t[n], true
		}
	}
	return Price{}, false
}

// LoadPrices returns the default table overlaid with spec, the value of
// CORPORA_PRICES: either inline JSON or the path of a JSON file, shaped
//
//	{"claude-haiku-4-5": {"input": 1, "output": 5, "cache_write": 1.25, "cache_read": 0.1, "batch": 0.5}}
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
