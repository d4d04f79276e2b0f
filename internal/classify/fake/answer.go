package fake

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/corpora-tools/corpora/internal/classify"
)

// Tokens is the fakes' tokenizer: one token per 3.5 bytes, rounded up,
// which is close to Claude's rate on JSON-heavy English.
func Tokens(s string) int64 { return int64(math.Ceil(float64(len(s)) / 3.5)) }

// Answer is the fakes' deterministic classification of one term: a
// plausible result derived from a hash of the text, so the same term always
// gets the same answer.
func Answer(it classify.WireItem) classify.WireResult {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(it.Text)))
	r := rand.New(rand.NewPCG(h.Sum64(), 7))
	pick := func(n int) int { return r.IntN(n) }
	t := classify.Term{
		Category:   classify.Categories[pick(len(classify.Categories))],
		Intent:     classify.Intents[pick(len(classify.Intents))],
		Mood:       classify.Moods[pick(len(classify.Moods))],
		Confidence: classify.Score(0.5 + float64(pick(50))/100),
		Tags:       []string{strings.ToLower(string(classify.Categories[pick(len(classify.Categories))])) + "-ish"},
	}
	for range 1 + pick(3) {
		t.Axes[pick(classify.AxisCount)] = float64(1+pick(10)) / 10
	}
	if pick(3) == 0 {
		t.Energy = classify.Energies[pick(len(classify.Energies))]
	}
	if low := strings.ToLower(it.Text); low != it.Text {
		t.Canonical = low
	}
	return classify.ToWire(it.Key, t)
}

// faults draws injected faults from a seeded source, safe for concurrent use.
type faults struct {
	mu  sync.Mutex
	rnd *rand.Rand
}

func newFaults(seed uint64) *faults { return &faults{rnd: rand.New(rand.NewPCG(seed, seed^0x9e37))} }

// hit reports true with probability p.
func (f *faults) hit(p float64) bool {
	if p <= 0 {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rnd.Float64() < p
}

func (f *faults) intn(n int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rnd.IntN(n)
}

// Account is what a fake was asked and billed.
type Account struct {
	Requests         int            // billed requests (answered with a classification)
	Terms            int            // term items received in billed requests
	TermCounts       map[string]int // by text: how often each term was sent
	InputTokens      int64
	CacheWriteTokens int64 // both lifetimes
	// CacheWrite1hTokens is the part of CacheWriteTokens written with the
	// 1-hour lifetime.
	CacheWrite1hTokens int64
	CacheReadTokens    int64
	OutputTokens       int64
	Faults             map[string]int // injected faults by kind
	CountTokens        int            // count_tokens calls
	BatchesCreated     int
	// Billed lists every billed request's tokens, to price each one on
	// its own (the long-prompt tier is per request).
	Billed []Bill
}

// Bill is one billed request.
type Bill struct {
	Model   string
	Usage   classify.Usage // CacheWriteTokens: the 5-minute writes
	Write1h int64          // 1-hour cache writes
}

func (a *Account) bill(model string, in, w5, w1, read, out int64) {
	a.Billed = append(a.Billed, Bill{Model: model, Write1h: w1, Usage: classify.Usage{Requests: 1,
		InputTokens: in, CacheWriteTokens: w5, CacheReadTokens: read, OutputTokens: out}})
}

// Cost prices every billed request at t's prices for its model (batch:
// at batch prices), request by request. Models without a price cost 0.
func (a Account) Cost(t classify.PriceTable, batch bool) float64 {
	var c float64
	for _, b := range a.Billed {
		p, ok := t.Lookup(b.Model)
		if !ok {
			continue
		}
		long := p.LongPrompt > 0 && b.Usage.InputTokens+b.Usage.CacheWriteTokens+b.Usage.CacheReadTokens+b.Write1h > p.LongPrompt
		flat := p
		flat.LongPrompt = 0
		v := flat.CostTTL(b.Usage, batch, false) + flat.CostTTL(classify.Usage{CacheWriteTokens: b.Write1h}, batch, true)
		if long {
			v *= p.LongFactor
		}
		c += v
	}
	return c
}

func newAccount() Account {
	return Account{TermCounts: map[string]int{}, Faults: map[string]int{}}
}

// Usage converts the account to classify.Usage (for pricing).
func (a Account) Usage() classify.Usage {
	return classify.Usage{Requests: a.Requests, TermsSent: a.Terms, InputTokens: a.InputTokens,
		CacheWriteTokens: a.CacheWriteTokens, CacheReadTokens: a.CacheReadTokens, OutputTokens: a.OutputTokens}
}

func (a *Account) clone() Account {
	c := *a
	c.TermCounts = map[string]int{}
	for k, v := range a.TermCounts {
		c.TermCounts[k] = v
	}
	c.Billed = append([]Bill(nil), a.Billed...)
	c.Faults = map[string]int{}
	for k, v := range a.Faults {
		c.Faults[k] = v
	}
	return c
}
