package pdfium

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/testenv"
)

// TestMain gives the run its own empty user cache folder: no test depends on,
// or writes to, the real ~/.cache (PDFium's compilation cache lives there).
func TestMain(m *testing.M) { testenv.Main(m) }
