package pdfium

import (
	"encoding/binary"
	"math"
	"unicode/utf16"

	"github.com/corpora-tools/corpora/internal/document/pdf/content"
	"github.com/corpora-tools/corpora/internal/document/pdf/layout"
)

// PDFium error codes (FPDF_GetLastError).
const (
	CodeSuccess  = 0
	CodeUnknown  = 1
	CodeFile     = 2
	CodeFormat   = 3
	CodePassword = 4
	CodeSecurity = 5
)

// Doc is a document loaded into one instance; its bytes live in guest
// memory for as long as the document is open.
type Doc struct {
	in   *Instance
	h    uint64
	data uint32
	// prev is the last page read, kept open until the next one is loaded:
	// PDFium frees a font when no open page uses it, so without this every
	// page would parse the book's embedded fonts again.
	prev uint64
}

// OpenDoc copies data into the instance and loads it; password "" means none.
// It returns the PDFium error code when loading fails.
func (in *Instance) OpenDoc(data []byte, password string, usePassword bool) (*Doc, int) {
	buf := in.malloc(max(len(data), 1))
	if !in.mem.Write(buf, data) {
		in.free(buf)
		return nil, CodeFile
	}
	var pw uint32
	if usePassword {
		pw = in.malloc(len(password) + 1)
		in.mem.Write(pw, append([]byte(password), 0))
	}
	h := in.call("FPDF_LoadMemDocument", uint64(buf), uint64(len(data)), uint64(pw))
	in.free(pw)
	if uint32(h) == 0 {
		code := int(i32(in.call("FPDF_GetLastError")))
		in.free(buf)
		if code == CodeSuccess {
			code = CodeUnknown
		}
		return nil, code
	}
	return &Doc{in: in, h: uint64(uint32(h)), data: buf}, CodeSuccess
}

func (d *Doc) Close() {
	if d == nil || d.in.broken {
		return
	}
	if d.prev != 0 {
		d.in.call("FPDF_ClosePage", d.prev)
		d.prev = 0
	}
	d.in.call("FPDF_CloseDocument", d.h)
	d.in.free(d.data)
}

func (d *Doc) PageCount() int { return int(i32(d.in.call("FPDF_GetPageCount", d.h))) }

func (d *Doc) SecurityRevision() int {
	return int(i32(d.in.call("FPDF_GetSecurityHandlerRevision", d.h)))
}

// utf16z reads a NUL-terminated UTF-16LE buffer of n bytes.
func (in *Instance) utf16z(p uint32, n int) string {
	if n < 2 {
		return ""
	}
	b := in.read(p, n)
	u := make([]uint16, 0, n/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// MetaText reads one Info dictionary entry.
func (d *Doc) MetaText(tag string) string {
	in := d.in
	t := in.malloc(len(tag) + 1)
	defer in.free(t)
	in.mem.Write(t, append([]byte(tag), 0))
	n := int(uint32(in.call("FPDF_GetMetaText", d.h, uint64(t), 0, 0)))
	if n <= 2 || n > 1<<20 {
		return ""
	}
	buf := in.malloc(n)
	defer in.free(buf)
	in.call("FPDF_GetMetaText", d.h, uint64(t), uint64(buf), uint64(n))
	return in.utf16z(buf, n)
}

// OutlineEntry is one bookmark before normalisation.
type OutlineEntry struct {
	Title string
	Level int
	Page  int // 1-based, 0 when unknown
}

// outline walks the bookmark tree depth-first, bounded in entries and depth
// and safe against cycles (hostile files link bookmarks in loops).
func (d *Doc) Outline(maxEntries int) []OutlineEntry {
	in := d.in
	var out []OutlineEntry
	seen := map[uint64]bool{}
	var walk func(parent uint64, level int)
	walk = func(parent uint64, level int) {
		if level > 32 {
			return
		}
		bm := uint64(uint32(in.call("FPDFBookmark_GetFirstChild", d.h, parent)))
		for bm != 0 && len(out) < maxEntries && !seen[bm] {
			seen[bm] = true
			e := OutlineEntry{Level: level}
			if n := int(uint32(in.call("FPDFBookmark_GetTitle", bm, 0, 0))); n > 2 && n < 1<<16 {
				buf := in.malloc(n)
				in.call("FPDFBookmark_GetTitle", bm, uint64(buf), uint64(n))
				e.Title = in.utf16z(buf, n)
				in.free(buf)
			}
			dest := uint64(uint32(in.call("FPDFBookmark_GetDest", d.h, bm)))
			if dest == 0 {
				if act := uint64(uint32(in.call("FPDFBookmark_GetAction", bm))); act != 0 {
					dest = uint64(uint32(in.call("FPDFAction_GetDest", d.h, act)))
				}
			}
			if dest != 0 {
				if p := int(i32(in.call("FPDFDest_GetDestPageIndex", d.h, dest))); p >= 0 {
					e.Page = p + 1
				}
			}
			out = append(out, e)
			walk(bm, level+1)
			bm = uint64(uint32(in.call("FPDFBookmark_GetNextSibling", d.h, bm)))
		}
	}
	walk(0, 1)
	return out
}

// Char is one character with its loose box in PDF user space (y up), as
// the layout reads it.
type Char = layout.Char

// The type style bits of a character.
const (
	StyleBold uint8 = 1 << iota
	StyleItalic
)

// Page is what one page yields from the engine.
type Page struct {
	W, H        float32
	Chars       []Char
	Unmapped    int // sampled characters without a Unicode mapping
	Sampled     int
	ImageCover  float64 // fraction of the page covered by images (only when text is sparse)
	SparseProbe bool
}

// SparseChars is the character count under which a page's images are
// inspected to decide whether it is a scan.
const SparseChars = 200

// ReadPage extracts characters, boxes and font sizes from one page with as
// few guest calls as the API allows: the whole text in one call, then one
// call per character for its box, and a font size only where the box height
// changes.
func (d *Doc) ReadPage(idx int) *Page {
	in := d.in
	page := uint64(uint32(in.call("FPDF_LoadPage", d.h, uint64(idx))))
	if page == 0 {
		return nil
	}
	if d.prev != 0 {
		in.call("FPDF_ClosePage", d.prev)
	}
	d.prev = page
	rp := &Page{
		W: math.Float32frombits(uint32(in.call("FPDF_GetPageWidthF", page))),
		H: math.Float32frombits(uint32(in.call("FPDF_GetPageHeightF", page))),
	}
	tp := uint64(uint32(in.call("FPDFText_LoadPage", page)))
	if tp == 0 {
		return rp
	}
	defer in.call("FPDFText_ClosePage", tp)
	n := int(i32(in.call("FPDFText_CountChars", tp)))
	if n > 0 && n < 4<<20 {
		buf := in.malloc((n + 1) * 2)
		got := int(i32(in.call("FPDFText_GetText", tp, 0, uint64(n), uint64(buf))))
		var units []uint16
		if got > 0 {
			raw := in.read(buf, got*2)
			units = make([]uint16, got)
			for i := range units {
				units[i] = binary.LittleEndian.Uint16(raw[2*i:])
			}
			if units[len(units)-1] == 0 {
				units = units[:len(units)-1]
			}
		}
		in.free(buf)
		runes := make([]rune, n)
		if len(units) == n {
			for i, u := range units {
				runes[i] = rune(u)
			}
		} else { // surrogate pairs shift the indices: ask per character
			for i := range runes {
				runes[i] = rune(uint32(in.call("FPDFText_GetUnicode", tp, uint64(i))))
			}
		}
		rect := in.malloc(16)
		fontBuf := in.malloc(fontNameBuf + 4)
		rp.Chars = make([]Char, 0, n)
		var lastH float32 = -1
		var lastSize float32
		step := max(1, n/48)
		for i, r := range runes {
			if i%step == 0 && r > ' ' {
				rp.Sampled++
				if in.call("FPDFText_HasUnicodeMapError", tp, uint64(i))&0xffffffff == 1 {
					rp.Unmapped++
				}
			}
			if r == 0x02 || r == 0xFFFE { // PDFium's marks for a hyphen it found at a line end
				r = '-'
			}
			if r <= ' ' || r == 0xA0 || r == 0xFFFF {
				rp.Chars = append(rp.Chars, Char{R: ' '})
				continue
			}
			var c Char
			if uint32(in.call("FPDFText_GetLooseCharBox", tp, uint64(i), uint64(rect))) != 0 {
				bx := in.read(rect, 16)
				c = Char{
					R: r,
					L: math.Float32frombits(binary.LittleEndian.Uint32(bx[0:])),
					T: math.Float32frombits(binary.LittleEndian.Uint32(bx[4:])),
					X: math.Float32frombits(binary.LittleEndian.Uint32(bx[8:])),
					B: math.Float32frombits(binary.LittleEndian.Uint32(bx[12:])),
				}
			}
			if c.X <= c.L && r == '-' && len(rp.Chars) > 0 {
				// PDFium gives its line-end hyphen no box: put it right
				// after the character it follows.
				p := rp.Chars[len(rp.Chars)-1]
				c = Char{R: r, L: p.X, X: p.X + 0.3*(p.T-p.B), B: p.B, T: p.T, Size: p.Size}
			}
			if c.R == 0 {
				continue
			}
			if c.T < c.B {
				c.T, c.B = c.B, c.T
			}
			if h := c.T - c.B; h != lastH {
				lastH = h
				lastSize = float32(math.Float64frombits(in.call("FPDFText_GetFontSize", tp, uint64(i))))
			}
			c.Size = lastSize
			c.Style, c.Family = d.charStyle(tp, i, fontBuf)
			rp.Chars = append(rp.Chars, c)
		}
		in.free(rect)
		in.free(fontBuf)
	}
	if countText(rp.Chars) < SparseChars {
		rp.SparseProbe = true
		rp.ImageCover = d.imageCoverage(page, rp.W, rp.H)
	}
	return rp
}

// fontNameBuf is the room given to a font name asked of PDFium.
const fontNameBuf = 96

// charStyle asks PDFium for the weight and slant of character i: its font
// weight (600 and over is bold), the descriptor's ForceBold and Italic
// flags, and the font's name ("-Bold", "-Italic"). buf holds fontNameBuf
// bytes for the name and 4 for the flags.
func (d *Doc) charStyle(tp uint64, i int, buf uint32) (st uint8, fam uint32) {
	in := d.in
	if w := i32(in.call("FPDFText_GetFontWeight", tp, uint64(i))); w >= 600 {
		st |= StyleBold
	}
	n := int(uint32(in.call("FPDFText_GetFontInfo", tp, uint64(i), uint64(buf), fontNameBuf, uint64(buf+fontNameBuf))))
	if n <= 0 {
		return st, 0
	}
	raw := in.read(buf+fontNameBuf, 4)
	flags := binary.LittleEndian.Uint32(raw)
	if flags&(1<<18) != 0 {
		st |= StyleBold
	}
	if flags&(1<<6) != 0 {
		st |= StyleItalic
	}
	if n <= fontNameBuf {
		name := in.read(buf, n)
		if k := len(name); k > 0 && name[k-1] == 0 {
			name = name[:k-1]
		}
		cs := content.StyleFromName(string(name))
		if cs.Bold() {
			st |= StyleBold
		}
		if cs.Italic() {
			st |= StyleItalic
		}
		fam = content.FamilyOf(string(name))
	}
	return st, fam
}

func countText(cs []Char) int {
	n := 0
	for _, c := range cs {
		if c.R != ' ' {
			n++
		}
	}
	return n
}

// imageCoverage returns the fraction of the page area covered by image
// objects (the largest one counts; overlapping scans are one image anyway).
func (d *Doc) imageCoverage(page uint64, w, h float32) float64 {
	in := d.in
	if w <= 0 || h <= 0 {
		return 0
	}
	n := int(i32(in.call("FPDFPage_CountObjects", page)))
	n = min(n, 5000)
	bounds := in.malloc(16)
	defer in.free(bounds)
	best := 0.0
	for i := 0; i < n; i++ {
		obj := uint64(uint32(in.call("FPDFPage_GetObject", page, uint64(i))))
		if obj == 0 || i32(in.call("FPDFPageObj_GetType", obj)) != 3 { // FPDF_PAGEOBJ_IMAGE
			continue
		}
		// FPDFPageObj_GetBounds(obj, float* left, float* bottom, float* right, float* top)
		if uint32(in.call("FPDFPageObj_GetBounds", obj, uint64(bounds), uint64(bounds+4), uint64(bounds+8), uint64(bounds+12))) == 0 {
			continue
		}
		bx := in.read(bounds, 16)
		l := math.Float32frombits(binary.LittleEndian.Uint32(bx[0:]))
		b := math.Float32frombits(binary.LittleEndian.Uint32(bx[4:]))
		r := math.Float32frombits(binary.LittleEndian.Uint32(bx[8:]))
		t := math.Float32frombits(binary.LittleEndian.Uint32(bx[12:]))
		iw := float64(min(r, w) - max(l, 0))
		ih := float64(min(t, h) - max(b, 0))
		if iw > 0 && ih > 0 {
			best = max(best, iw*ih/float64(w*h))
		}
	}
	return best
}

// RenderGray renders a page to 8-bit grayscale, scaled so the bitmap stays
// within maxPixels and at most dpi dots per inch; got is the resolution used.
func (d *Doc) RenderGray(idx int, dpi float64, maxPixels int64) (pix []byte, w, h int, got float64, ok bool) {
	in := d.in
	page := uint64(uint32(in.call("FPDF_LoadPage", d.h, uint64(idx))))
	if page == 0 {
		return nil, 0, 0, 0, false
	}
	defer in.call("FPDF_ClosePage", page)
	pw := float64(math.Float32frombits(uint32(in.call("FPDF_GetPageWidthF", page))))
	ph := float64(math.Float32frombits(uint32(in.call("FPDF_GetPageHeightF", page))))
	if !(pw > 0 && ph > 0) || pw > 1e5 || ph > 1e5 {
		return nil, 0, 0, 0, false
	}
	scale := dpi / 72
	if px := pw * ph * scale * scale; px > float64(maxPixels) {
		scale *= math.Sqrt(float64(maxPixels) / px)
	}
	w, h = int(pw*scale), int(ph*scale)
	if w < 1 || h < 1 {
		return nil, 0, 0, 0, false
	}
	const fpdfBitmapGray = 1 // one byte per pixel
	bmp := uint64(uint32(in.call("FPDFBitmap_CreateEx", uint64(w), uint64(h), fpdfBitmapGray, 0, 0)))
	if bmp == 0 {
		return nil, 0, 0, 0, false
	}
	defer in.call("FPDFBitmap_Destroy", bmp)
	in.call("FPDFBitmap_FillRect", bmp, 0, 0, uint64(w), uint64(h), 0xFFFFFFFF)
	const fpdfAnnot, fpdfPrinting = 0x01, 0x800
	in.call("FPDF_RenderPageBitmap", bmp, page, 0, 0, uint64(w), uint64(h), 0, fpdfAnnot|fpdfPrinting)
	buf := uint32(in.call("FPDFBitmap_GetBuffer", bmp))
	stride := int(i32(in.call("FPDFBitmap_GetStride", bmp)))
	if buf == 0 || stride < w {
		return nil, 0, 0, 0, false
	}
	src := in.read(buf, stride*h)
	pix = make([]byte, w*h)
	for y := 0; y < h; y++ {
		copy(pix[y*w:(y+1)*w], src[y*stride:])
	}
	return pix, w, h, scale * 72, true
}

// CloseSafe closes the document, ignoring a failure (the instance is then
// broken and will not be reused).
func (d *Doc) CloseSafe() {
	var err error
	func() {
		defer Guard(&err)
		d.Close()
	}()
}
