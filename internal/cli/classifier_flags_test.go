package cli

import (
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify/fake"
)

// TestMaxCostRefusesAModelWithoutAPrice: a limit that cannot be counted is
// no limit, so --max-cost on a model with no price refuses to start (exit
// 64, one line naming the fix) and sends nothing; CORPORA_PRICES lifts it.
func TestMaxCostRefusesAModelWithoutAPrice(t *testing.T) {
	dir := writeExtractBooks(t)
	f := fake.NewAnthropic(fake.AnthropicConfig{Key: "sk-test"})
	defer f.Close()

	r := runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "--model", "claude-nova-9", "--max-cost", "1")
	first, _, _ := strings.Cut(r.err, "\n")
	if r.code != ExitUsage || !strings.Contains(first, `"claude-nova-9"`) || !strings.Contains(first, "CORPORA_PRICES") {
		t.Fatalf("exit %d, stderr %q", r.code, r.err)
	}
	if a := f.Account(); a.Requests != 0 || a.CountTokens != 0 {
		t.Fatalf("a refused run called the API: %+v", a)
	}

	// Without --max-cost it runs, warning that costs show as $0.
	r = runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "--model", "claude-nova-9")
	if r.code != 0 || !strings.Contains(r.err, "no price known") {
		t.Fatalf("without --max-cost: exit %d, stderr %q", r.code, r.err)
	}

	// With a price from CORPORA_PRICES, --max-cost holds.
	env := claudeEnv(f)
	env["CORPORA_PRICES"] = `{"claude-nova-9":{"input":0.1,"output":0.5}}`
	r = runExtractCmd(t, dir, env, "two.md", "--classifier", "claude", "--model", "claude-nova-9", "--max-cost", "1", "--cache", "other.db")
	if r.code != 0 {
		t.Fatalf("priced by CORPORA_PRICES: exit %d, stderr %q", r.code, r.err)
	}
}

// TestDefaultModelIsHaiku55WithMaxCost: the default claude model is Claude
// Haiku 5.5, it has a price, and a run under --max-cost finishes.
func TestDefaultModelIsHaiku55WithMaxCost(t *testing.T) {
	dir := writeExtractBooks(t)
	f := fake.NewAnthropic(fake.AnthropicConfig{Key: "sk-test"})
	defer f.Close()
	r := runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "--max-cost", "0.5")
	if r.code != 0 || strings.Contains(r.err, "no price known") || !strings.Contains(r.err, "claude-haiku-5-5") {
		t.Fatalf("exit %d, stderr %q", r.code, r.err)
	}
	a := f.Account()
	if a.Requests == 0 {
		t.Fatal("nothing sent")
	}
	for _, b := range a.Billed {
		if b.Model != "claude-haiku-5-5" {
			t.Fatalf("request to %q", b.Model)
		}
	}
}

func TestIneffectiveClassifierFlagsWarn(t *testing.T) {
	tests := []struct {
		given   []string
		backend string
		want    []string
	}{
		{[]string{"model", "batch-size"}, "offline", []string{"--model has no effect with the offline classifier (it calls no model)", "--batch-size has no effect with the offline classifier (it calls no model)"}},
		{[]string{"model"}, "claude", nil},
		{[]string{"sync"}, "openai", []string{"--sync has no effect with --classifier openai (it is synchronous already)"}},
		{[]string{"batch-poll"}, "claude", []string{"--batch-poll has no effect with --classifier claude (only claude-batch polls)"}},
		{nil, "offline", nil},
	}
	for _, tc := range tests {
		given := map[string]bool{}
		for _, g := range tc.given {
			given[g] = true
		}
		f := &classifierFlags{Backend: tc.backend, changed: func(n string) bool { return given[n] }}
		got := f.ineffective(tc.backend)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%v with %s: %q, want %q", tc.given, tc.backend, got, tc.want)
		}
	}
}
