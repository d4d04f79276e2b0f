package pdf

import (
	"github.com/corpora-tools/corpora/internal/document/pdf/layout"
	"github.com/corpora-tools/corpora/internal/document/pdf/pdfium"
)

// The type style bits of a character (the same as PDFium's).
const (
	stBold   = pdfium.StyleBold
	stItalic = pdfium.StyleItalic
)

// rawPage is what one page yields from the fast path or PDFium.
type rawPage struct {
	w, h        float32
	chars       []layout.Char
	unmapped    int // sampled characters without a Unicode mapping
	sampled     int
	imageCover  float64 // fraction of the page covered by images (only when text is sparse)
	sparseProbe bool
	rotated     bool // fast path: the page has a /Rotate (PDFium lays it out)
}

// sparseChars is the character count under which a page's images are
// inspected to decide whether it is a scan.
const sparseChars = pdfium.SparseChars

// readPage reads page idx with PDFium; nil when it cannot be loaded.
func readPage(d *pdfium.Doc, idx int) *rawPage {
	pp := d.ReadPage(idx)
	if pp == nil {
		return nil
	}
	rp := &rawPage{
		w: pp.W, h: pp.H,
		unmapped: pp.Unmapped, sampled: pp.Sampled,
		imageCover: pp.ImageCover, sparseProbe: pp.SparseProbe,
		chars: pp.Chars,
	}
	return rp
}

func countText(cs []layout.Char) int {
	n := 0
	for _, c := range cs {
		if c.R != ' ' {
			n++
		}
	}
	return n
}
