package pdf

import "github.com/corpora-tools/corpora/internal/document/pdf/pdfium"

// pageChar is one character with its loose box in PDF user space (y up).
type pageChar struct {
	r          rune
	l, b, x, t float32 // left, bottom, right, top
	size       float32 // font size, 0 when not fetched
	st         uint8   // type style: stBold, stItalic
	fam        uint32  // font family (content.FamilyOf), 0 unknown
}

// The type style bits of a character (the same as PDFium's).
const (
	stBold   = pdfium.StyleBold
	stItalic = pdfium.StyleItalic
)

// rawPage is what one page yields from the fast path or PDFium.
type rawPage struct {
	w, h        float32
	chars       []pageChar
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
	}
	if pp.Chars != nil {
		rp.chars = make([]pageChar, len(pp.Chars))
		for i, c := range pp.Chars {
			rp.chars[i] = pageChar{r: c.R, l: c.L, b: c.B, x: c.X, t: c.T, size: c.Size, st: c.Style, fam: c.Family}
		}
	}
	return rp
}

func countText(cs []pageChar) int {
	n := 0
	for _, c := range cs {
		if c.r != ' ' {
			n++
		}
	}
	return n
}
