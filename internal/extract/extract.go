package extract

import (
	"context"
	"errors"

	"github.com/corpora-tools/corpora/internal/document"
)

// Options tune extraction.
type Options struct {
	// MaxCandidates keeps only the most relevant candidates; 0 keeps all that
	// pass the relevance threshold.
	MaxCandidates int
}

// Extract returns the candidate terms of doc, most relevant first.
func Extract(ctx context.Context, doc *document.Output, opts Options) ([]Candidate, error) {
	return nil, errors.New("extract: not implemented yet")
}
