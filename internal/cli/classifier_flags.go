package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/corpora-tools/corpora/internal/classify"
)

// classifierFlags are the flags shared by every command that classifies.
type classifierFlags struct {
	Backend        string
	Model          string
	MaxCost        float64
	APIConcurrency int
	CachePath      string
}

// addClassifierFlags registers the shared classifier flags on cmd.
func addClassifierFlags(cmd *cobra.Command, f *classifierFlags) {
	cmd.Flags().StringVar(&f.Backend, "classifier", "auto", "classifier backend: auto|offline|claude|claude-batch|openai")
	cmd.Flags().StringVar(&f.Model, "model", "", "model name for the LLM backends")
	cmd.Flags().Float64Var(&f.MaxCost, "max-cost", 0, "stop before spending more than this many USD (0: no limit)")
	cmd.Flags().IntVar(&f.APIConcurrency, "api-concurrency", 4, "API requests in flight at once")
	cmd.Flags().StringVar(&f.CachePath, "cache", "", "classification cache file (default: in the output folder)")
}

// build returns the classifier the flags select, checked up front; defaultCacheDir
// is where the cache lives when --cache is not given.
func (f *classifierFlags) build(ctx context.Context, s *Streams, defaultCacheDir string) (classify.Classifier, func() error, error) {
	return nil, nil, errors.New("classifiers: not implemented yet")
}
