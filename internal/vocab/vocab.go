// Package vocab writes and reads vocabulary files (<book>.vocab.json and
// master.vocab.json) and consolidates per-document files into the master.
package vocab

import (
	"context"
	"errors"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/ipreview"
)

// File is a vocabulary file.
type File struct{}

// DocumentInfo describes the document a vocab file was made from.
type DocumentInfo struct {
	SourcePath string // as the user named it
	SourceHash string // SHA-256, hex
	Pipeline   string // pipeline fingerprint
}

// NewFile builds a per-document vocabulary file from classified terms.
func NewFile(doc DocumentInfo, terms []classify.Term, now time.Time) *File { return &File{} }

// Write writes f to path atomically.
func Write(path string, f *File) error { return errors.New("vocab: not implemented yet") }

// ConsolidateOptions configure Consolidate.
type ConsolidateOptions struct {
	Dir       string // folder searched for *.vocab.json
	Master    string // master path; default Dir/master.vocab.json
	Blocklist *ipreview.Blocklist
	Force     bool
	Now       func() time.Time
}

// ConsolidateSummary says what consolidation changed.
type ConsolidateSummary struct {
	New, Updated, Removed, Flagged, Total int
}

// Consolidate merges every vocab file below opts.Dir into the master and
// regenerates the review queue.
func Consolidate(ctx context.Context, opts ConsolidateOptions) (ConsolidateSummary, error) {
	return ConsolidateSummary{}, errors.New("vocab: not implemented yet")
}
