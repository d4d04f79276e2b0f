package classify

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestHaiku55Prices: list prices, both cache-write lifetimes, the batch
// discount and the 5x tier for prompts over 100,000 tokens.
func TestHaiku55Prices(t *testing.T) {
	p, ok := PriceTable(DefaultPrices()).Lookup("claude-haiku-5-5")
	if !ok {
		t.Fatal("no price for claude-haiku-5-5")
	}
	u := Usage{InputTokens: 1e6, OutputTokens: 1e6, CacheWriteTokens: 1e6, CacheReadTokens: 1e6}
	short := Usage{InputTokens: 50000, OutputTokens: 1e6 / 10, CacheWriteTokens: 40000, CacheReadTokens: 10000}
	for _, tc := range []struct {
		name        string
		u           Usage
		batch, hour bool
		want        float64
	}{
		{"short prompt, 5-minute writes", short, false, false, 0.05*0.10 + 0.1*0.50 + 0.04*0.125 + 0.01*0.01},
		{"short prompt, 1-hour writes", short, false, true, 0.05*0.10 + 0.1*0.50 + 0.04*0.20 + 0.01*0.01},
		{"short prompt, batch", short, true, true, (0.05*0.10 + 0.1*0.50 + 0.04*0.20 + 0.01*0.01) / 2},
		{"long prompt: every rate 5x", u, false, false, 5 * (0.10 + 0.50 + 0.125 + 0.01)},
	} {
		if got := p.CostTTL(tc.u, tc.batch, tc.hour); !near(got, tc.want) {
			t.Errorf("%s: $%.6f, want $%.6f", tc.name, got, tc.want)
		}
	}
}

// TestPriceLookup: dated snapshots find their family, retired models and
// neighbours do not borrow a price, CORPORA_PRICES overrides and adds.
func TestPriceLookup(t *testing.T) {
	tab, err := LoadPrices(`{"claude-nova-9":{"input":1,"output":2},"claude-haiku-5-5":{"input":9,"output":9}}`)
	if err != nil {
		t.Fatal(err)
	}
	for model, want := range map[string]float64{
		"claude-haiku-4-5-20251001": 1, "claude-sonnet-5-5": 2, "claude-opus-5-5": 4, "claude-opus-5-5-20261201": 4, "claude-opus-5": 5, "gpt-4o-mini-2024-07-18": 0.15,
		"claude-nova-9": 1, "claude-haiku-5-5": 9,
	} {
		p, ok := tab.Lookup(model)
		if !ok || p.Input != want {
			t.Errorf("%s: %+v, %v; want input %v", model, p, ok, want)
		}
	}
	for _, model := range []string{"claude-3-5-haiku", "claude-opus-4-1", "claude-sonnet-4", "claude-haiku-5-50", "claude-nova-90", "claude-opus-5-7", "claude-haiku-4-5-fast"} {
		if p, ok := tab.Lookup(model); ok {
			t.Errorf("%s priced %+v", model, p)
		}
	}
	// An override without the 1-hour price gets the documented 2x input.
	if got := tab["claude-nova-9"].CostTTL(Usage{CacheWriteTokens: 1e6}, false, true); !near(got, 2) {
		t.Errorf("1-hour write without a price: $%v, want $2", got)
	}
}

// TestBudgetCharge: a charge outside any reservation counts as spent.
func TestBudgetCharge(t *testing.T) {
	b := &Budget{Max: 1}
	b.Charge(0.75)
	if _, err := b.Reserve(0.5); err == nil {
		t.Fatal("reserved past the limit after a charge")
	}
	if b.Spent() != 0.75 {
		t.Fatalf("spent %v", b.Spent())
	}
}
