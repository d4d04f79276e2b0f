package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/claude"
	"github.com/corpora-tools/corpora/internal/classify/offline"
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

// classifierSetup is a built classifier and what comes with it.
type classifierSetup struct {
	// Classifier is the backend wrapped in the cache (offline is not cached:
	// it is faster to recompute than to look up).
	Classifier classify.Classifier
	Backend    string
	Model      string
	Budget     *classify.Budget
	// PriceKnown is false when the model has no price (costs show as $0).
	PriceKnown bool
	CachePath  string
	Close      func() error
	// Warn receives the backend's notices (answers repaired by dropping an
	// unreadable field); a command with a live display points it there.
	Warn *warnTo
}

// warnTo forwards warnings to a function set after the classifier is made.
type warnTo struct {
	mu sync.Mutex
	f  func(format string, args ...any)
}

// Set routes later warnings to f.
func (w *warnTo) Set(f func(format string, args ...any)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.f = f
}

// Warnf implements the backends' Warnf.
func (w *warnTo) Warnf(format string, args ...any) {
	w.mu.Lock()
	f := w.f
	w.mu.Unlock()
	f(format, args...)
}

// backend resolves auto and validates the name.
func (f *classifierFlags) backend(s *Streams) (string, error) {
	b := strings.ToLower(strings.TrimSpace(f.Backend))
	switch b {
	case "", "auto":
		if s.Getenv("ANTHROPIC_API_KEY") != "" {
			return "claude", nil
		}
		return "offline", nil
	case "claude-batch":
		if f.Sync {
			return "claude", nil // --sync: the Messages API now, as 1.0 meant it
		}
		return b, nil
	case "offline", "claude", "openai":
		return b, nil
	}
	return "", usagef("--classifier %q: want auto, offline, claude, claude-batch or openai", f.Backend)
}

// setup builds the classifier the flags select; check runs the backend's
// up-front Check (a missing or rejected key or an unreachable endpoint is an
// exit-69 error). --preview and --dry-run skip it: they must call nothing.
// defaultCacheDir is where the cache lives when --cache is not given.
func (f *classifierFlags) setup(ctx context.Context, s *Streams, defaultCacheDir string, check bool) (*classifierSetup, error) {
	if f.MaxCost < 0 {
		return nil, usagef("--max-cost must not be negative")
	}
	if f.APIConcurrency < 1 {
		return nil, usagef("--api-concurrency must be at least 1")
	}
	if f.BatchSize < 0 {
		return nil, usagef("--batch-size must not be negative")
	}
	backend, err := f.backend(s)
	if err != nil {
		return nil, err
	}
	for _, w := range f.ineffective(backend) {
		fmt.Fprintf(s.Err, "corpora: warning: %s\n", w)
	}
	if backend == "offline" {
		c := offline.New()
		if strings.EqualFold(f.Backend, "auto") || f.Backend == "" {
			fmt.Fprintf(s.Err, "corpora: classifier: offline (set ANTHROPIC_API_KEY to use claude)\n")
		}
		return &classifierSetup{Classifier: c, Backend: c.Backend(), Model: c.Model(), PriceKnown: true, Close: func() error { return nil },
			Warn: &warnTo{f: func(string, ...any) {}}}, nil
	}
	prices, err := classify.LoadPrices(s.Getenv("CORPORA_PRICES"))
	if err != nil {
		return nil, usagef("CORPORA_PRICES: %v", err)
	}
	cachePath := f.CachePath
	if cachePath == "" {
		if defaultCacheDir == "" {
			defaultCacheDir = "."
		}
		cachePath = filepath.Join(defaultCacheDir, classify.CacheFileName)
	}
	// The cache is opened only once the up-front check passed, so a run
	// that cannot start leaves no file behind; claude-batch gets it through
	// store (Check never touches the store).
	store := &lateStore{}
	budget := &classify.Budget{Max: f.MaxCost}
	warn := &warnTo{f: func(format string, args ...any) { fmt.Fprintf(s.Err, "corpora: warning: "+format+"\n", args...) }}
	// The few terms a model never answers validly get the offline answer,
	// marked as a fallback, instead of failing their whole document.
	fallback := offline.New()
	limiter := classify.NewLimiter(f.APIConcurrency)
	var inner classify.Classifier
	var priceKnown bool
	switch backend {
	case "claude", "claude-batch":
		cfg := claude.Config{
			APIKey: s.Getenv("ANTHROPIC_API_KEY"), BaseURL: s.Getenv("ANTHROPIC_BASE_URL"), Model: f.Model,
			Concurrency: f.APIConcurrency, Budget: budget, Prices: prices, Limiter: limiter, BatchSize: f.BatchSize,
			Store: store, PollInterval: f.BatchPoll, Progress: batchProgressPrinter(s),
			Fallback: fallback, Warnf: warn.Warnf,
		}
		if backend == "claude" {
			c := claude.New(cfg)
			inner, priceKnown = c, c.PriceKnown()
		} else {
			c := claude.NewBatch(cfg)
			inner, priceKnown = c, c.PriceKnown()
		}
	case "openai":
		c := openai.New(openai.Config{
			APIKey: s.Getenv("OPENAI_API_KEY"), BaseURL: s.Getenv("OPENAI_BASE_URL"), Model: f.Model,
			Concurrency: f.APIConcurrency, Budget: budget, Prices: prices, Limiter: limiter, BatchSize: f.BatchSize,
			Fallback: fallback, Warnf: warn.Warnf,
		})
		inner, priceKnown = c, c.PriceKnown()
	}
	if strings.EqualFold(f.Backend, "auto") || f.Backend == "" {
		fmt.Fprintf(s.Err, "corpora: classifier: %s (%s), ANTHROPIC_API_KEY is set\n", inner.Backend(), inner.Model())
	}
	if !priceKnown && f.MaxCost > 0 {
		// A limit that cannot be counted is no limit: refuse to start
		// rather than spend past it. Exit 64: the command line (with its
		// environment) asks for something that cannot be done as given.
		return nil, usagef("--max-cost $%s cannot be enforced: no price known for model %q; give one with CORPORA_PRICES='{\"%s\":{\"input\":IN,\"output\":OUT}}' (USD per million tokens) or drop --max-cost",
			strconv.FormatFloat(f.MaxCost, 'f', -1, 64), inner.Model(), inner.Model())
	}
	if !priceKnown {
		fmt.Fprintf(s.Err, "corpora: no price known for model %q: costs show as $0 (set CORPORA_PRICES)\n", inner.Model())
	}
	if check {
		if ch, ok := inner.(classify.Checker); ok {
			if err := ch.Check(ctx); err != nil {
				return nil, classifierExit(err)
			}
		}
	}
	closeCache := func() error { return nil }
	if !check {
		// A preview must write nothing: it reads a copy of the cache (or a
		// fresh one) in a temporary folder, removed on Close.
		tmpPath, cleanup, err := previewCache(cachePath)
		if err != nil {
			return nil, exitErr(ExitCantCreate, err)
		}
		cachePath, closeCache = tmpPath, cleanup
	}
	cache, err := classify.OpenCache(cachePath, 0)
	if err != nil {
		_ = closeCache()
		return nil, exitErr(ExitCantCreate, err)
	}
	store.Cache = cache
	if f.shared != nil {
		inner = f.shared(inner)
	}
	return &classifierSetup{Classifier: classify.NewCached(inner, cache), Backend: inner.Backend(), Model: inner.Model(),
		Budget: budget, PriceKnown: priceKnown, CachePath: cachePath, Warn: warn,
		Close: func() error { return errors.Join(cache.Close(), closeCache()) }}, nil
}

// lateStore is the claude-batch store, filled in once the cache is open.
type lateStore struct{ *classify.Cache }

// previewCache copies the cache at path (when there is one) into a new
// temporary folder and returns the copy's path and a func removing it.
func previewCache(path string) (string, func() error, error) {
	dir, err := os.MkdirTemp("", "corpora-preview-")
	if err != nil {
		return "", nil, fmt.Errorf("preview cache: %w", err)
	}
	cleanup := func() error { return os.RemoveAll(dir) }
	tmp := filepath.Join(dir, filepath.Base(path))
	src, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return tmp, cleanup, nil
	}
	if err == nil {
		err = copyTo(tmp, src)
		src.Close()
	}
	if err != nil {
		_ = cleanup()
		return "", nil, fmt.Errorf("preview cache %s: %w", path, err)
	}
	return tmp, cleanup, nil
}

func copyTo(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	return errors.Join(err, f.Close())
}

// classifierExit gives classification errors their exit codes: 69 for an
// unusable backend, 75 for the cost limit (everything classified so far is
// cached; raise --max-cost and run again), 130 for an interruption. Any
// other failure (answers that never came back valid, say) is the backend's
// too: 69. An error that already has its code keeps it.
func classifierExit(err error) error {
	var ee *ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ee):
		return err
	case errors.Is(err, classify.ErrUnavailable):
		return exitErr(ExitUnavailable, err)
	case errors.Is(err, classify.ErrBudget):
		return exitErr(ExitPartial, err)
	case errors.Is(err, context.Canceled):
		return exitErr(ExitInterrupted, errors.New("interrupted; classifications made so far are cached"))
	}
	return exitErr(ExitUnavailable, err)
}

// batchProgressPrinter prints claude-batch progress on stderr when the
// counts change, at most every few seconds.
func batchProgressPrinter(s *Streams) func(claude.BatchProgress) {
	var mu sync.Mutex
	var last string
	var lastAt time.Time
	return func(p claude.BatchProgress) {
		line := fmt.Sprintf("claude-batch: %s %s: %d/%d requests done (%d processing, %d errored, %d expired)",
			p.BatchID, p.Status, p.Succeeded+p.Errored+p.Expired+p.Canceled, p.Requests, p.Processing, p.Errored, p.Expired)
		if p.Resumed {
			line += ", resumed"
		}
		mu.Lock()
		defer mu.Unlock()
		if line == last || (time.Since(lastAt) < 5*time.Second && p.Status != "ended" && last != "") {
			return
		}
		last, lastAt = line, time.Now()
		fmt.Fprintln(s.Err, line)
	}
}

func sIfMany(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// usageSummary is the one-line account of a classification run.
func usageSummary(st *classifierSetup, terms int, u classify.Usage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "classified %d terms with %s/%s: %d cache hits", terms, st.Backend, st.Model, u.CacheHits)
	if u.Requests > 0 {
		fmt.Fprintf(&b, ", %d request%s (%.1f terms/request), tokens: %d in, %d cache write, %d cache read, %d out",
			u.Requests, sIfMany(u.Requests), float64(u.TermsSent)/float64(u.Requests), u.InputTokens, u.CacheWriteTokens, u.CacheReadTokens, u.OutputTokens)
		if u.TermsSent > 0 {
			tot := u.InputTokens + u.CacheWriteTokens + u.CacheReadTokens + u.OutputTokens
			fmt.Fprintf(&b, " (%.0f/term)", float64(tot)/float64(u.TermsSent))
		}
	}
	fmt.Fprintf(&b, ", $%.4f", u.CostUSD)
	if u.Fallbacks > 0 || u.DroppedFields > 0 {
		fmt.Fprintf(&b, "; %d term%s answered by the offline fallback, %d unreadable field%s dropped",
			u.Fallbacks, sIfMany(u.Fallbacks), u.DroppedFields, sIfMany(u.DroppedFields))
	}
	return b.String()
}
