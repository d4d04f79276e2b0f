package cli

import (
	"github.com/spf13/pflag"

	"github.com/corpora-tools/corpora/internal/document"
)

// addDocumentFlags adds the flags of every command that reads documents
// (parse, extract, batch): --ocr into ocr and --password into password.
func addDocumentFlags(f *pflag.FlagSet, ocr, password *string) {
	f.StringVar(ocr, "ocr", string(document.OCRAuto), "OCR of PDF pages without a usable text layer: auto|on|off (a bare --ocr, as in 1.0: on)")
	f.StringVar(password, "password", "", "password of encrypted PDFs and Word documents (default $CORPORA_PDF_PASSWORD)")
}

// documentPassword is the --password value, else $CORPORA_PDF_PASSWORD.
func documentPassword(s *Streams, flag string) string {
	if flag != "" {
		return flag
	}
	return s.getenv("CORPORA_PDF_PASSWORD")
}
