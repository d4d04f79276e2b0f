package parse

import (
	"fmt"
	"os"

	"github.com/corpora-tools/corpora/internal/document/pdf"
)

// newPDFEngine returns the PDF parser: one PDFium instance per worker. It
// costs nothing until the first PDF (the WebAssembly runtime starts then).
// CORPORA_PDF_ENGINE and CORPORA_PDF_DEBUG are read here (pdf.Config.WithEnv);
// debug lines go to stderr.
func newPDFEngine(cfg Config) (pdfEngine, error) {
	pc := pdf.Config{Instances: cfg.Workers, CacheDir: cfg.CacheDir}.WithEnv(os.Getenv, func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "corpora pdf: "+format+"\n", args...)
	})
	return pdf.NewParser(pc)
}
