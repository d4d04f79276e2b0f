// Package parse picks the parser for a document by content sniffing and runs
// it under the document's time and memory bounds, turning panics and
// overruns into one-line errors that name the file.
package parse

import (
	"context"
	"errors"

	"github.com/corpora-tools/corpora/internal/document"
)

// Config configures a Parser.
type Config struct {
	// Workers is how many documents may be parsed at once; the PDF engine
	// keeps one instance per worker.
	Workers int
}

// Parser parses documents of every supported format. Safe for concurrent use.
type Parser struct{ cfg Config }

// New returns a Parser. Close it when done.
func New(cfg Config) (*Parser, error) { return &Parser{cfg: cfg}, nil }

// File parses the document at path.
func (p *Parser) File(ctx context.Context, path string, opts document.Options) (*document.Output, error) {
	return nil, errors.New("parse: not implemented yet")
}

// Close releases the engines.
func (p *Parser) Close() error { return nil }
