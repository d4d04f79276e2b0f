package pdf

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/ocr"
	"github.com/corpora-tools/corpora/internal/document/pdf/content"
	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
	"github.com/corpora-tools/corpora/internal/document/pdf/layout"
	"github.com/corpora-tools/corpora/internal/document/pdf/pdfium"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

// The fast path reads born-digital PDFs in Go (package cos for the file,
// package content for fonts and content streams) and gives PDFium only what
// it cannot read exactly: encrypted or unreadable files go to PDFium whole;
// rotated pages, pages with fonts or operators the fast path does not do,
// pages over a limit and pages that may need OCR go to PDFium one by one.
// PDFium then starts only when some page needs it.

// fastMaxStreamBytes caps one decoded stream (and a page's streams
// together) on the fast path. Real pages stay far below it; a page beyond it
// (a decompression bomb, or vector art of rare size) is handed to PDFium,
// whose memory lives outside the Go heap and is capped per instance, so the
// bomb costs the Go heap at most this much.
const fastMaxStreamBytes = 16 << 20

// fastDoc is a document opened by the fast path.
type fastDoc struct {
	f     *cos.File
	pages []cos.Page
	fonts *content.FontCache
}

// openFast opens data with the fast path; any error means "use PDFium".
func openFast(data []byte, lim document.Limits) (fd *fastDoc, err error) {
	defer func() {
		if v := recover(); v != nil {
			fd, err = nil, fmt.Errorf("fast path: internal error: %v", v)
		}
	}()
	f, err := cos.Open(data, cos.Limits{MaxStreamBytes: fastMaxStreamBytes, MaxPages: lim.MaxPages + 1})
	if err != nil {
		return nil, err
	}
	if f.Repaired() {
		// PDFium rebuilds damaged files its own way; agreeing with it on
		// what survives matters more than speed on broken files.
		return nil, errors.New("fast path: damaged cross-reference table")
	}
	pages, err := f.Pages()
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, errors.New("fast path: no pages")
	}
	return &fastDoc{f: f, pages: pages, fonts: content.NewFontCache()}, nil
}

// meta reads the document information dictionary and the bookmarks.
func (fd *fastDoc) meta(lim document.Limits) (m document.Metadata) {
	defer func() { _ = recover() }()
	info := fd.f.Info()
	text := func(key cos.Name) string {
		if info == nil {
			return ""
		}
		return fd.f.TextString(info[key])
	}
	m.Title = textnorm.Line(text("Title"))
	m.Author = textnorm.Line(text("Author"))
	m.Subject = textnorm.Line(text("Subject"))
	m.Keywords = textnorm.Line(text("Keywords"))
	m.Creator = textnorm.Line(text("Creator"))
	m.Producer = textnorm.Line(text("Producer"))
	if s := text("CreationDate"); s != "" {
		m.Created = pdfDate(s)
	}
	if s := text("ModDate"); s != "" {
		m.Modified = pdfDate(s)
	}
	var es []pdfium.OutlineEntry
	for _, it := range fd.f.Outline(lim.MaxOutlineEntries) {
		es = append(es, pdfium.OutlineEntry{Title: it.Title, Level: it.Level + 1, Page: it.Page}) // levels count from 1, as PDFium's walk does
	}
	m.TOC = tocFrom(es)
	return m
}

// errFallback wraps the reason a page goes to PDFium.
var errFallback = errors.New("page left to PDFium")

// readPage interprets page i into the characters PDFium's text page would
// give.
func (fd *fastDoc) readPage(ctx context.Context, i int) (rp *rawPage, err error) {
	defer func() {
		if v := recover(); v != nil {
			rp, err = nil, fmt.Errorf("%w: internal error: %v", errFallback, v)
		}
	}()
	pg := fd.pages[i]
	data, err := fd.contents(pg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errFallback, err)
	}
	box := pg.CropBox
	cp, err := content.Run(ctx, fd.f, fd.fonts, pg.Resources, data, box, content.Limits{})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %v", errFallback, err)
	}
	rp = &rawPage{w: float32(box[2] - box[0]), h: float32(box[3] - box[1]), rotated: pg.Rotate != 0}
	private := 0
	for _, g := range cp.Glyphs {
		if g.Space {
			continue
		}
		rp.sampled++
		if g.Unmapped {
			rp.unmapped++
		}
		r, _ := utf8.DecodeRuneInString(g.Text)
		switch {
		case rightToLeft(r):
			// PDFium's text page reorders right-to-left runs.
			return nil, fmt.Errorf("%w: right-to-left text", errFallback)
		case privateUse(r):
			private++
		}
	}
	if private*20 > rp.sampled {
		// Icon fonts put a few private-use glyphs among the text (dropped
		// below); a page mostly in the private-use area is a font without
		// a real Unicode mapping, which PDFium's checks for OCR judge.
		return nil, fmt.Errorf("%w: text mostly in the private-use area", errFallback)
	}
	rp.chars = glyphChars(onPage(cp.Glyphs, box))
	if countText(rp.chars) < sparseChars {
		rp.sparseProbe = true
		rp.imageCover = cp.ImageCover
	}
	return rp, nil
}

// contents returns the page's decoded content streams, joined by a space.
func (fd *fastDoc) contents(pg cos.Page) ([]byte, error) {
	c, err := fd.f.Resolve(pg.Dict["Contents"])
	if err != nil {
		return nil, err
	}
	switch v := c.(type) {
	case nil:
		return nil, nil
	case *cos.Stream:
		return fd.f.Decode(v)
	case cos.Array:
		var out []byte
		for _, o := range v {
			s := fd.f.Stream(o)
			if s == nil {
				continue
			}
			b, err := fd.f.Decode(s)
			if err != nil {
				return nil, err
			}
			if int64(len(out))+int64(len(b)) > fastMaxStreamBytes {
				return nil, fmt.Errorf("content streams over %d MiB", fastMaxStreamBytes>>20)
			}
			out = append(out, b...)
			out = append(out, ' ')
		}
		return out, nil
	}
	return nil, fmt.Errorf("page contents are a %T", c)
}

// glyphChars turns glyphs into the layout's characters: a space glyph is a
// space, a glyph mapped to several characters (a ligature) gives each of
// them the glyph's box, private-use characters (icons) are dropped, and a
// baseline shift starts a new word. (Overprinted duplicates are already
// gone: content.Run drops them as PDFium does.)
func glyphChars(gs []content.Glyph) []layout.Char {
	out := make([]layout.Char, 0, len(gs))
	var prev *content.Glyph
	for gi := range gs {
		g := &gs[gi]
		if g.Space {
			out = append(out, layout.Char{R: ' '})
			continue
		}
		if g.Unmapped || g.Text == "" {
			continue
		}
		if prev != nil && abs32(g.B-prev.B) > 0.25*max(g.T-g.B, prev.T-prev.B) {
			// A baseline shift (a superscript, a footnote mark): PDFium's
			// text page starts a new line there, so the mark is a word of
			// its own rather than glued to the word it follows.
			out = append(out, layout.Char{R: ' '})
		}
		prev = g
		for _, r := range g.Text {
			if privateUse(r) {
				continue
			}
			if r <= ' ' || r == 0xA0 {
				out = append(out, layout.Char{R: ' '})
				continue
			}
			out = append(out, layout.Char{R: r, L: g.L, B: g.B, X: g.R, T: g.T, Size: g.Size, Style: glyphStyle(g), Family: g.Family})
		}
	}
	return out
}

// parseFast reads the document with the fast path. ok is false when the
// fast path cannot open it (the caller then uses PDFium for everything).
func (p *Parser) parseFast(ctx context.Context, in document.Input, opts document.Options, lim document.Limits, held *atomic.Int64, engp *atomic.Pointer[pdfium.Engine]) (out *document.Output, err error, ok bool) {
	fd, ferr := openFast(in.Data, lim)
	if ferr != nil {
		p.debugf("%s: fast path: %v", in.Name, ferr)
		return nil, nil, false
	}
	n := len(fd.pages)
	if n > lim.MaxPages {
		return nil, fmt.Errorf("%w: %d pages (limit %d)", document.ErrLimit, n, lim.MaxPages), true
	}
	st := &docState{data: in.Data, opts: opts, lim: lim, meta: fd.meta(lim)}
	st.pages = make([]*pageText, n)
	// Whether OCR could run: scans are then recognised from their own
	// image, and a document without text says why it has none.
	st.ocrOK = opts.OCR != document.OCROff && p.ocr.Available() == nil

	var (
		mu   sync.Mutex
		todo []int
		next atomic.Int64
		wg   sync.WaitGroup
	)
	// Pages are read on every core whatever Instances says: Instances
	// bounds PDFium's instances (about 100 MB each), and the fast path
	// needs none. A single book parsed alone used one core before.
	workers := min(runtime.GOMAXPROCS(0), (n+7)/8)
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				pt, scan, err := p.fastPage(ctx, fd, i, opts, lim, st.ocrOK)
				if scan != nil {
					st.pages[i] = pt
					p.scanPages.Add(1)
					if st.ocrCount.Add(1) > int64(lim.MaxOCRPages) {
						st.warn(i+1, fmt.Sprintf("image-covered page without a text layer; OCR page limit (%d) reached", lim.MaxOCRPages))
						continue
					}
					img, pg := *scan, fd.pages[i]
					p.queueOCR(ctx, st, pt, i, func() (ocr.Gray, error) {
						return fd.scanGray(img, pg, lim.MaxRenderPixels)
					}, nil)
					continue
				}
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					p.debugf("%s: page %d: %v", in.Name, i+1, err)
					mu.Lock()
					todo = append(todo, i)
					mu.Unlock()
					continue
				}
				st.pages[i] = pt
				p.fastPages.Add(1)
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, timeoutErr(ctx, lim), true
	}
	if fd.f.Repaired() {
		// An object was not where the cross-reference table said: the file
		// is damaged, and PDFium's own repair decides what it holds.
		p.debugf("%s: fast path: damaged cross-reference table", in.Name)
		return nil, nil, false
	}
	if len(todo) == 0 {
		st.ocrWG.Wait()
		if ctx.Err() != nil {
			return nil, timeoutErr(ctx, lim), true
		}
		out, err := p.finish(st, n)
		return out, err, true
	}
	eng, err := p.engine(ctx)
	if err != nil {
		return nil, err, true
	}
	engp.Store(eng)
	slices.Sort(todo)
	out, err = p.parse(ctx, eng, st, todo, held)
	switch {
	case errors.Is(err, errPageCount):
		p.debugf("%s: %v", in.Name, err)
		return nil, nil, false
	case err != nil && ctx.Err() == nil && out == nil && !errors.Is(err, document.ErrNoText) && !errors.Is(err, document.ErrLimit):
		// PDFium refused the file the fast path read: keep what the fast
		// path read and say which pages are missing.
		for _, i := range todo {
			st.warn(i+1, "page could not be read: "+err.Error())
		}
		out, err = p.finish(st, n)
	}
	return out, err, true
}

// fastPage reads and lays out page i, or says why PDFium should. A page
// that needs OCR and is one full-page image the fast path decodes comes
// back with that image (scan) and its text layer, to be recognised without
// PDFium; ocrOK says whether OCR can run. A panic (a bug) hands the page to
// PDFium rather than ending the process: this runs on a worker goroutine,
// out of reach of Parse's recover.
func (p *Parser) fastPage(ctx context.Context, fd *fastDoc, i int, opts document.Options, lim document.Limits, ocrOK bool) (pt *pageText, scan *placedImage, err error) {
	defer func() {
		if v := recover(); v != nil {
			pt, scan, err = nil, nil, fmt.Errorf("%w: internal error: %v", errFallback, v)
		}
	}()
	pctx, cancel := context.WithTimeout(ctx, lim.PerPageTimeout)
	defer cancel()
	rp, err := fd.readPage(pctx, i)
	if err != nil {
		return nil, nil, err
	}
	if need, why := needsOCR(rp, opts.OCR); need {
		if ocrOK {
			if img, ok := fd.fullPageImage(fd.pages[i]); ok && fd.decodable(img.s) {
				pt := &pageText{n: i + 1, w: rp.w, h: rp.h}
				if !rp.rotated {
					pt.blocks = mergeLeaves(layout.Page(rp.chars, rp.w))
				}
				return pt, &img, nil
			}
		}
		return nil, nil, fmt.Errorf("%w: %s", errFallback, why)
	}
	if rp.rotated {
		return nil, nil, fmt.Errorf("%w: rotated page", errFallback)
	}
	return &pageText{n: i + 1, w: rp.w, h: rp.h, blocks: mergeLeaves(layout.Page(rp.chars, rp.w))}, nil, nil
}

// debugf hands the fast path's decisions to Config.Logf, if set.
func (p *Parser) debugf(format string, args ...any) {
	if p.cfg.Logf != nil {
		p.cfg.Logf(format, args...)
	}
}

// onPage drops the glyphs drawn wholly outside the page's crop box: the
// slug of a print-ready export (file name, date, plate) and text parked off
// the page, which no reader sees.
func onPage(gs []content.Glyph, box [4]float64) []content.Glyph {
	l, b, r, t := float32(box[0])-1, float32(box[1])-1, float32(box[2])+1, float32(box[3])+1
	var out []content.Glyph // nil until a glyph is dropped
	for i, g := range gs {
		if !g.Space && (g.R < l || g.L > r || g.T < b || g.B > t) {
			if out == nil {
				out = append(make([]content.Glyph, 0, len(gs)), gs[:i]...)
			}
			continue
		}
		if out != nil {
			out = append(out, g)
		}
	}
	if out == nil {
		return gs
	}
	return out
}

// rightToLeft reports a letter of a right-to-left script (Hebrew, Arabic,
// Syriac, Thaana, N'Ko and their presentation forms).
func rightToLeft(r rune) bool {
	return r >= 0x0590 && r <= 0x08FF || r >= 0xFB1D && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF ||
		r >= 0x10800 && r <= 0x10FFF || r >= 0x1E800 && r <= 0x1EFFF
}

// privateUse reports a private-use code point: icons, not text.
func privateUse(r rune) bool {
	return r >= 0xE000 && r <= 0xF8FF || r >= 0xF0000
}

// glyphStyle returns the layout's style bits for a glyph.
func glyphStyle(g *content.Glyph) uint8 {
	var st uint8
	if g.Bold {
		st |= stBold
	}
	if g.Italic {
		st |= stItalic
	}
	return st
}
