package cli

import (
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/claude"
	"github.com/corpora-tools/corpora/internal/classify/openai"
)

// classifierFlags are the flags shared by every command that classifies.
type classifierFlags struct {
	Backend        string
	Model          string
	MaxCost        float64
	APIConcurrency int
	CachePath      string
	// BatchPoll is claude-batch's poll interval (hidden; tests use milliseconds).
	BatchPoll time.Duration
	// BatchSize is the terms per LLM request (1.0's --batch-size); 0 is the
	// backend's default.
	BatchSize int
	// Sync is 1.0's --sync: classify through the Messages API now, not the
	// Batches API.
	Sync bool
	// shared, when set, wraps an LLM backend under the local cache (the
	// cluster's term cache, corpora worker).
	shared func(classify.Classifier) classify.Classifier
	// changed reports whether the user gave a flag (nil in tests that
	// build the struct by hand: nothing is reported then).
	changed func(name string) bool
}

// ineffective lists the flags the user gave that do nothing with backend,
// each with why, for a warning on stderr: --model with offline is ignored,
// not an error, but silently ignoring it hides a mistake.
func (f *classifierFlags) ineffective(backend string) []string {
	if f.changed == nil {
		return nil
	}
	var out []string
	say := func(name, why string) {
		if f.changed(name) {
			out = append(out, "--"+name+" has no effect "+why)
		}
	}
	switch backend {
	case "offline":
		for _, name := range []string{"model", "max-cost", "api-concurrency", "cache", "batch-size", "batch-poll"} {
			say(name, "with the offline classifier (it calls no model)")
		}
		say("sync", "with the offline classifier")
	case "claude", "openai":
		say("batch-poll", "with --classifier "+backend+" (only claude-batch polls)")
		if !(backend == "claude" && strings.EqualFold(f.Backend, "claude-batch")) {
			say("sync", "with --classifier "+backend+" (it is synchronous already)")
		}
	}
	return out
}

// classifierHelp documents the classifier flags' environment.
const classifierHelp = `Classifiers: offline (built in, no network), claude (Anthropic Messages API,
ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL), claude-batch (Message Batches API, half
price, results within hours), openai (any OpenAI-compatible chat-completions
endpoint: OPENAI_BASE_URL such as http://localhost:11434/v1 for Ollama,
OPENAI_API_KEY). auto picks claude when ANTHROPIC_API_KEY is set, else offline.

Every LLM answer is stored in a cache (--cache, default .corpora-cache.db in the
output folder): a term classified once, by any document or run, is never sent
again. Prices per model are built in; CORPORA_PRICES (inline JSON or a file)
overrides them: {"MODEL":{"input":0.1,"output":0.5,"cache_write":0.125,"cache_write_1h":0.2,
"cache_read":0.01,"batch":0.5,"long_prompt_tokens":100000,"long_prompt_factor":5}} in USD per
million tokens. --max-cost refuses to start (exit 64) for a model with no known price.`

// addClassifierFlags registers the shared classifier flags on cmd.
func addClassifierFlags(cmd *cobra.Command, f *classifierFlags) {
	cmd.Flags().StringVar(&f.Backend, "classifier", "auto", "classifier backend: auto|offline|claude|claude-batch|openai")
	cmd.Flags().StringVar(&f.Model, "model", "", "model name for the LLM backends (default: "+claude.DefaultModel+", "+openai.DefaultModel+")")
	cmd.Flags().Float64Var(&f.MaxCost, "max-cost", 0, "stop before spending more than this many USD (0: no limit; refused for a model with no known price)")
	cmd.Flags().IntVar(&f.APIConcurrency, "api-concurrency", 4, "API requests in flight at once")
	cmd.Flags().StringVar(&f.CachePath, "cache", "", "classification cache file (default: "+classify.CacheFileName+" in the output folder)")
	cmd.Flags().DurationVar(&f.BatchPoll, "batch-poll", 30*time.Second, "how often claude-batch polls a batch")
	_ = cmd.Flags().MarkHidden("batch-poll")
	cmd.Flags().IntVar(&f.BatchSize, "batch-size", 0, "terms per LLM request (default: the backend's, 50 for claude)")
	cmd.Flags().BoolVar(&f.Sync, "sync", false, "use the Messages API, not claude-batch (claude is synchronous already; kept for 1.0 scripts)")
	f.changed = cmd.Flags().Changed
	// The environment the flags depend on, at flag level (the root help
	// and 'corpora help extract' explain it in full).
	for name, env := range map[string]string{
		"classifier": " (auto: claude when ANTHROPIC_API_KEY is set; openai reads OPENAI_API_KEY, OPENAI_BASE_URL)",
		"max-cost":   " (prices: built in, or CORPORA_PRICES)",
	} {
		if fl := cmd.Flags().Lookup(name); fl != nil {
			fl.Usage += env
		}
	}
}
