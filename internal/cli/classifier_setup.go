// Building the classifier the flags describe: backend, cache, budget and
// the exit code of a failure.

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

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/claude"
	"github.com/corpora-tools/corpora/internal/classify/offline"
	"github.com/corpora-tools/corpora/internal/classify/openai"
)

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
