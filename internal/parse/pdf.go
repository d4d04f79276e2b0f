package parse

import "github.com/corpora-tools/corpora/internal/document/pdf"

// newPDFEngine returns the PDF parser: one PDFium instance per worker. It
// costs nothing until the first PDF (the WebAssembly runtime starts then).
func newPDFEngine(cfg Config) (pdfEngine, error) {
	return pdf.NewParser(pdf.Config{Instances: cfg.Workers, CacheDir: cfg.CacheDir})
}
