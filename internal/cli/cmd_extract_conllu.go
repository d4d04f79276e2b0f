package cli

import (
	"bytes"
	"context"
	"fmt"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
)

// writeCoNLLU prints doc's tokens as CoNLL-U (extract --conllu) on stdout,
// or writes them to --output atomically.
func writeCoNLLU(ctx context.Context, opts *extractOptions, s *Streams, doc *document.Output) error {
	var buf bytes.Buffer
	if err := extract.WriteCoNLLU(ctx, &buf, doc); err != nil {
		if ctx.Err() != nil {
			return classifierExit(ctx.Err())
		}
		return exitErr(ExitDataErr, fmt.Errorf("%s: conllu: %w", opts.Input, err))
	}
	return writeOutput(s, opts.Output, buf.Bytes())
}
