package pdf

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/ocr"
	"github.com/corpora-tools/corpora/internal/document/pdf/layout"
	"github.com/corpora-tools/corpora/internal/document/pdf/pdfium"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

// Config configures a Parser.
type Config struct {
	// Instances is the number of PDFium instances (default 1): one per
	// worker. With more than one, the pages of a document are read in
	// parallel.
	Instances int
	// CacheDir holds wazero's compilation cache; "" means
	// os.UserCacheDir()/corpora/wazero. Without the cache every start
	// compiles the 5 MB PDFium module again (seconds of CPU).
	CacheDir string
	// OCR configures Tesseract; the zero value finds "tesseract" in PATH.
	OCR ocr.Config
	// Interruptible compiles PDFium so that a guest call is stopped at its
	// page's deadline. It costs about two thirds of the CPU time (a check on
	// every loop back-edge, a goroutine per call), so it is off by default:
	// then a call runs to its end (bounded by the memory cap), Parse still
	// returns at its deadline, and the instance is discarded afterwards.
	Interruptible bool
	// NoFastPath reads every page with PDFium, skipping the pure-Go reader
	// (for comparisons and tests; CORPORA_PDF_ENGINE=pdfium, see WithEnv).
	NoFastPath bool
	// Logf, when set, receives the parser's debug lines: each page the fast
	// path hands to PDFium and why (CORPORA_PDF_DEBUG, see WithEnv). The
	// caller decides where they go (not under a progress display).
	Logf func(format string, args ...any)
}

// WithEnv returns cfg with the CORPORA_PDF_* settings read through getenv
// (os.Getenv): CORPORA_PDF_ENGINE=pdfium sets NoFastPath (the escape hatch
// should the fast path misread a file), and CORPORA_PDF_DEBUG, when not
// empty, sets Logf to logf if Logf is unset. The package reads no
// environment itself.
func (cfg Config) WithEnv(getenv func(string) string, logf func(format string, args ...any)) Config {
	if getenv("CORPORA_PDF_ENGINE") == "pdfium" {
		cfg.NoFastPath = true
	}
	if getenv("CORPORA_PDF_DEBUG") != "" && cfg.Logf == nil {
		cfg.Logf = logf
	}
	return cfg
}

// Parser reads PDF documents. Safe for concurrent use; the WebAssembly
// runtime starts on the first Parse, so runs without PDFs pay nothing.
type Parser struct {
	cfg      Config
	ocr      *ocr.Engine
	mu       sync.Mutex
	eng      *pdfium.Engine
	engErr   error
	closed   bool
	warnOnce sync.Once
	// pages read by each path, for tests and benchmarks; scanPages are
	// OCR'd from their own image, without PDFium
	fastPages, pdfiumPages, scanPages atomic.Int64
	// backlog bounds the pages rendered for OCR and not yet recognised
	// (their pixels are held in memory meanwhile).
	backlog chan struct{}
	// running counts the parses whose goroutine may still be inside a guest
	// call (a parse that hit its deadline returns before its goroutine ends).
	running sync.WaitGroup
}

// closeWait is how long Close waits for guest calls still running after
// their parse timed out; past it the runtime is left to the process's exit
// rather than unmapped under a running call.
const closeWait = 10 * time.Second

// NewParser returns a Parser. Close it when done.
func NewParser(cfg Config) (*Parser, error) {
	if cfg.Instances <= 0 {
		cfg.Instances = 1
	}
	eng := ocr.New(cfg.OCR)
	return &Parser{cfg: cfg, ocr: eng, backlog: make(chan struct{}, 2*eng.Jobs())}, nil
}

// Close releases the PDFium instances.
func (p *Parser) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	if p.eng == nil {
		return nil
	}
	done := make(chan struct{})
	go func() { p.running.Wait(); close(done) }()
	select {
	case <-done:
		return p.eng.Close()
	case <-time.After(closeWait):
		return errors.New("pdf parser: a PDFium call still running after its deadline; engine left open")
	}
}

// engine starts the runtime once (the first document that needs PDFium
// pays for it; a run whose PDFs all take the fast path never starts it).
func (p *Parser) engine(ctx context.Context) (*pdfium.Engine, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, errors.New("pdf parser closed")
	}
	if p.eng == nil && p.engErr == nil {
		p.eng, p.engErr = pdfium.New(ctx, p.cfg.Instances, p.cfg.CacheDir, p.cfg.Interruptible)
	}
	return p.eng, p.engErr
}

// begin counts a parse in p.running (under the lock, so Close cannot miss
// it); the caller must call p.running.Done.
func (p *Parser) begin() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errors.New("pdf parser closed")
	}
	p.running.Add(1)
	return nil
}

// StartupTime reports how long the WebAssembly runtime took to start (zero
// before the first Parse); the benchmarks print it.
func (p *Parser) StartupTime() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.eng == nil {
		return 0
	}
	return p.eng.StartTime()
}

// Parse implements document.Parser.
func (p *Parser) Parse(ctx context.Context, in document.Input, opts document.Options) (*document.Output, error) {
	lim := opts.Limits.WithDefaults()
	if opts.OCR == "" {
		opts.OCR = document.OCRAuto
	}
	if int64(len(in.Data)) > lim.MaxFileBytes {
		return nil, fmt.Errorf("%w: %d bytes (limit %d)", document.ErrLimit, len(in.Data), lim.MaxFileBytes)
	}
	if opts.OCR == document.OCROn {
		if err := p.ocr.Available(); err != nil {
			return nil, fmt.Errorf("--ocr on: %w", err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	if err := p.begin(); err != nil {
		return nil, err
	}
	type result struct {
		out *document.Output
		err error
	}
	ch := make(chan result, 1)
	var held atomic.Int64 // PDFium instances the parse holds
	var eng atomic.Pointer[pdfium.Engine]
	go func() {
		defer p.running.Done()
		var r result
		defer func() {
			if v := recover(); v != nil {
				r = result{nil, fmt.Errorf("%w: internal error: %v", document.ErrMalformed, v)}
			}
			ch <- r
		}()
		r.out, r.err = p.parseDoc(ctx, in, opts, lim, &held, &eng)
	}()
	// A WebAssembly call cannot be preempted by Go (nor, unless
	// Config.Interruptible, by wazero): the caller gets its answer at the
	// deadline, and the instances still in a guest call are lent out to
	// other documents until they come back.
	select {
	case r := <-ch:
		if r.err != nil && ctx.Err() != nil && !errors.Is(r.err, document.ErrEncrypted) {
			return nil, timeoutErr(ctx, lim)
		}
		return r.out, r.err
	case <-ctx.Done():
		if e := eng.Load(); e != nil {
			e.Lend(int(held.Load()))
		}
		return nil, timeoutErr(ctx, lim)
	}
}

// parseDoc reads the document with the fast path, handing PDFium the pages
// (or the whole document) the fast path cannot read exactly.
func (p *Parser) parseDoc(ctx context.Context, in document.Input, opts document.Options, lim document.Limits, held *atomic.Int64, engp *atomic.Pointer[pdfium.Engine]) (*document.Output, error) {
	if opts.OCR != document.OCROn && !p.cfg.NoFastPath {
		if out, err, ok := p.parseFast(ctx, in, opts, lim, held, engp); ok {
			return out, err
		}
	}
	eng, err := p.engine(ctx)
	if err != nil {
		return nil, err
	}
	engp.Store(eng)
	st := &docState{data: in.Data, opts: opts, lim: lim}
	return p.parse(ctx, eng, st, nil, held)
}

func timeoutErr(ctx context.Context, lim document.Limits) error {
	if errors.Is(context.Cause(ctx), context.Canceled) {
		return context.Canceled
	}
	return fmt.Errorf("%w after %v", document.ErrTimeout, lim.Timeout)
}

// docState is what the workers of one document share.
type docState struct {
	data     []byte
	password string
	usePw    bool
	opts     document.Options
	lim      document.Limits
	pages    []*pageText
	mu       sync.Mutex
	warnings []document.Warning
	ocrWG    sync.WaitGroup
	ocrUsed  atomic.Bool
	ocrCount atomic.Int64
	ocrOK    bool
	capHit   atomic.Bool // a page ran PDFium into its memory cap
	meta     document.Metadata
}

func (s *docState) warn(page int, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := document.Warning{Location: "document", Reason: reason}
	if page > 0 {
		w.Location = fmt.Sprintf("page %d", page)
		w.Page = page
	}
	s.warnings = append(s.warnings, w)
}

// errPageCount reports that PDFium and the fast path disagree on a
// document's pages: the fast path's pages are then thrown away.
var errPageCount = errors.New("page count differs between the fast path and PDFium")

// parse reads with PDFium the pages listed in todo (0-based; every page
// when todo is nil) into st. With todo set, st already holds the fast path's
// pages and metadata, and PDFium must count the same pages (errPageCount).
func (p *Parser) parse(ctx context.Context, eng *pdfium.Engine, st *docState, todo []int, held *atomic.Int64) (*document.Output, error) {
	opts, lim := st.opts, st.lim
	first, err := eng.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	held.Store(1)
	owned := true // until the workers take the instance over
	defer func() {
		if owned {
			eng.Release(first)
			held.Store(0)
		}
	}()

	first.SetContext(ctx)
	d, meta, err := p.openFirst(first, st)
	if errors.Is(err, pdfium.ErrBroken) {
		// PDFium trapped or ran out of memory on this file.
		return nil, fmt.Errorf("%w: %v", document.ErrMalformed, err)
	}
	if err != nil {
		return nil, err
	}
	n := 0
	if err := func() (err error) {
		defer pdfium.Guard(&err)
		n = d.PageCount()
		return nil
	}(); err != nil {
		return nil, fmt.Errorf("%w: %v", document.ErrMalformed, err)
	}
	if n <= 0 {
		d.CloseSafe()
		return nil, fmt.Errorf("%w: no pages", document.ErrMalformed)
	}
	if n > lim.MaxPages {
		d.CloseSafe()
		return nil, fmt.Errorf("%w: %d pages (limit %d)", document.ErrLimit, n, lim.MaxPages)
	}
	if todo != nil {
		if n != len(st.pages) {
			d.CloseSafe()
			return nil, errPageCount
		}
		meta = st.meta
	} else if err := func() (err error) {
		defer pdfium.Guard(&err)
		p.readMeta(d, &meta, lim)
		return nil
	}(); err != nil {
		st.warn(0, "metadata unreadable: "+err.Error())
	}

	// OCR set-up.
	if opts.OCR != document.OCROff {
		if err := p.ocr.Available(); err == nil {
			st.ocrOK = true
		} else if opts.Warnf != nil {
			p.warnOnce.Do(func() { opts.Warnf("tesseract not installed, continuing without OCR") })
		}
	}

	if todo == nil {
		st.pages = make([]*pageText, n)
		todo = make([]int, n)
		for i := range todo {
			todo[i] = i
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := []*pdfium.Instance{first}
	for len(workers) < eng.Size() && len(workers)*4 < len(todo) {
		extra := eng.TryAcquire(ctx)
		if extra == nil {
			break
		}
		workers = append(workers, extra)
	}
	held.Store(int64(len(workers)))
	owned = false
	for wi, w := range workers {
		wg.Add(1)
		var doc *pdfium.Doc
		if wi == 0 {
			doc = d
		}
		go func(w *pdfium.Instance, doc *pdfium.Doc) {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					st.warn(0, fmt.Sprintf("internal error: %v", v))
				}
			}()
			eng.Release(p.work(ctx, eng, w, doc, st, &next, todo))
			held.Add(-1)
		}(w, doc)
	}
	wg.Wait()
	st.ocrWG.Wait()
	if ctx.Err() != nil {
		return nil, timeoutErr(ctx, lim)
	}

	st.meta = meta
	return p.finish(st, n)
}

// finish assembles the document from its pages.
func (p *Parser) finish(st *docState, n int) (*document.Output, error) {
	opts, lim, meta := st.opts, st.lim, st.meta
	out := &document.Output{
		Format:   document.PDF,
		OCRUsed:  st.ocrUsed.Load(),
		Pages:    n,
		Metadata: meta,
		Warnings: []document.Warning{},
	}
	var pages []*pageText
	for _, pt := range st.pages {
		if pt != nil {
			pages = append(pages, pt)
		}
	}
	out.Content = assemble(pages)
	if out.Content == nil {
		out.Content = []document.Block{}
	}
	sort.SliceStable(st.warnings, func(i, j int) bool { return st.warnings[i].Page < st.warnings[j].Page })
	out.Warnings = append(out.Warnings, st.warnings...)
	var size int64
	for i, b := range out.Content {
		size += int64(len(b.Text))
		if size > lim.MaxTextBytes {
			out.Content = out.Content[:i]
			out.Warnings = append(out.Warnings, document.Warning{Location: "document",
				Reason: fmt.Sprintf("text truncated at %d bytes (limit)", lim.MaxTextBytes)})
			break
		}
	}
	if len(out.Content) == 0 {
		why := "no text layer"
		if opts.OCR == document.OCROff {
			why += ", OCR off"
		} else if !st.ocrOK {
			why += ", tesseract not installed"
		}
		if st.capHit.Load() {
			return out, fmt.Errorf("%w: content needs more than the PDF engine's %d MiB memory cap (decompression bomb?)", document.ErrLimit, pdfium.MemoryLimitMiB)
		}
		return out, fmt.Errorf("%w (%d pages: %s)", document.ErrNoText, n, why)
	}
	return out, nil
}

// openFirst opens the document: with the empty password, then with the
// caller's password in its PDF 2.0 normalised forms.
func (p *Parser) openFirst(in *pdfium.Instance, st *docState) (d *pdfium.Doc, meta document.Metadata, err error) {
	defer pdfium.Guard(&err)
	d, code := in.OpenDoc(st.data, "", false)
	if code == pdfium.CodePassword {
		meta.Encrypted = true
		if st.opts.Password == "" {
			return nil, meta, fmt.Errorf("%w: password required (use --password or CORPORA_PDF_PASSWORD)", document.ErrEncrypted)
		}
		for _, pw := range passwordCandidates(st.opts.Password) {
			d, code = in.OpenDoc(st.data, pw, true)
			if code != pdfium.CodePassword {
				st.password, st.usePw = pw, true
				break
			}
		}
		if code == pdfium.CodePassword {
			return nil, meta, fmt.Errorf("%w: wrong password", document.ErrEncrypted)
		}
	}
	if code == pdfium.CodeFormat || code == pdfium.CodeFile {
		// Cut short or with its page tree lost: rebuild a page tree from the
		// page objects that survive.
		if fixed, n := salvage(st.data); fixed != nil {
			if d2, c2 := in.OpenDoc(fixed, st.password, st.usePw); c2 == pdfium.CodeSuccess {
				st.data = fixed
				st.warn(0, fmt.Sprintf("damaged file: page tree rebuilt from %d page objects found by scanning", n))
				d, code = d2, c2
			}
		}
	}
	switch code {
	case pdfium.CodeSuccess:
	case pdfium.CodeSecurity:
		return nil, meta, fmt.Errorf("%w: unsupported security handler", document.ErrEncrypted)
	case pdfium.CodeFormat:
		return nil, meta, fmt.Errorf("%w: not a readable PDF (format error)", document.ErrMalformed)
	case pdfium.CodeFile:
		return nil, meta, fmt.Errorf("%w: file not readable as PDF", document.ErrMalformed)
	default:
		return nil, meta, fmt.Errorf("%w: PDFium error %d", document.ErrMalformed, code)
	}
	if d.SecurityRevision() >= 0 {
		meta.Encrypted = true
	}
	return d, meta, nil
}

func (p *Parser) readMeta(d *pdfium.Doc, m *document.Metadata, lim document.Limits) {
	m.Title = textnorm.Line(d.MetaText("Title"))
	m.Author = textnorm.Line(d.MetaText("Author"))
	m.Subject = textnorm.Line(d.MetaText("Subject"))
	m.Keywords = textnorm.Line(d.MetaText("Keywords"))
	m.Creator = textnorm.Line(d.MetaText("Creator"))
	m.Producer = textnorm.Line(d.MetaText("Producer"))
	if s := d.MetaText("CreationDate"); s != "" {
		m.Created = pdfDate(s)
	}
	if s := d.MetaText("ModDate"); s != "" {
		m.Modified = pdfDate(s)
	}
	m.TOC = tocFrom(d.Outline(lim.MaxOutlineEntries))
}

// work reads pages until none are left. It returns the instance it ends
// with (a broken one is replaced on the way).
func (p *Parser) work(ctx context.Context, eng *pdfium.Engine, in *pdfium.Instance, d *pdfium.Doc, st *docState, next *atomic.Int64, todo []int) *pdfium.Instance {
	n := len(todo)
	failures := 0
	for ctx.Err() == nil {
		if d == nil {
			in.SetContext(ctx)
			var err error
			func() {
				defer pdfium.Guard(&err)
				var code int
				d, code = in.OpenDoc(st.data, st.password, st.usePw)
				if code != pdfium.CodeSuccess {
					err = fmt.Errorf("reopening document: PDFium error %d", code)
				}
			}()
			if err != nil {
				st.warn(0, err.Error())
				return in
			}
		}
		k := int(next.Add(1) - 1)
		if k >= n {
			break
		}
		i := todo[k]
		pt, err := p.page(ctx, in, d, st, i)
		if err != nil {
			if ctx.Err() != nil {
				return in
			}
			st.warn(i+1, err.Error())
			if in.Broken() {
				failures++
				eng.Release(in)
				d = nil
				if failures > 3 {
					in = nil
					st.warn(0, "too many page failures, giving up on the remaining pages of this worker")
					return nil
				}
				var aerr error
				in, aerr = eng.Acquire(ctx)
				if aerr != nil {
					return nil
				}
			}
			continue
		}
		st.pages[i] = pt
		p.pdfiumPages.Add(1)
		if in.MemSize() >= pdfium.MemCapNear {
			// A page ran PDFium into its memory cap: start the next page on
			// a fresh instance rather than one at the cap.
			d.CloseSafe()
			d = nil
			in.MarkBroken()
			eng.Release(in)
			if next.Load() >= int64(n) {
				return nil
			}
			var aerr error
			if in, aerr = eng.Acquire(ctx); aerr != nil {
				return nil
			}
		}
	}
	if d != nil {
		d.CloseSafe()
	}
	return in
}

// page reads one page under the per-page time bound and decides whether it
// needs OCR.
func (p *Parser) page(ctx context.Context, in *pdfium.Instance, d *pdfium.Doc, st *docState, i int) (pt *pageText, err error) {
	pctx, cancel := context.WithTimeout(ctx, st.lim.PerPageTimeout)
	defer cancel()
	in.SetContext(pctx)
	defer func() { in.SetContext(ctx) }()
	defer func() {
		if err != nil && ctx.Err() == nil && pctx.Err() != nil {
			err = fmt.Errorf("page exceeded its time bound (%v): %w", st.lim.PerPageTimeout, err)
		}
	}()
	defer pdfium.Guard(&err)
	pt = &pageText{n: i + 1}
	var rp *rawPage
	before := in.MemSize()
	defer func() {
		// PDFium fails quietly when a page wants more memory than the cap
		// (a content stream that inflates to gigabytes): the page comes back
		// empty. Say so rather than report a page without text. (work then
		// replaces the instance, which keeps that memory otherwise.)
		if before < pdfium.MemCapNear && in.MemSize() >= pdfium.MemCapNear {
			st.capHit.Store(true)
			st.warn(i+1, fmt.Sprintf("page needs more than the PDF engine's %d MiB memory cap (decompression bomb?): its content is lost or incomplete", pdfium.MemoryLimitMiB))
		}
	}()
	if st.opts.OCR != document.OCROn {
		rp = readPage(d, i)
		if rp == nil {
			return nil, errors.New("page could not be loaded")
		}
		pt.w, pt.h = rp.w, rp.h
	}
	if rp != nil {
		// The text layer stays as the fallback should OCR fail.
		pt.blocks = mergeLeaves(layout.Page(rp.chars, rp.w))
	}
	need, why := needsOCR(rp, st.opts.OCR)
	if need {
		if !st.ocrOK {
			if st.opts.OCR == document.OCRAuto {
				st.warn(i+1, why+"; OCR unavailable")
			}
		} else if st.ocrCount.Add(1) > int64(st.lim.MaxOCRPages) {
			st.warn(i+1, why+fmt.Sprintf("; OCR page limit (%d) reached", st.lim.MaxOCRPages))
		} else {
			p.startOCR(ctx, d, st, pt, i)
		}
	}
	return pt, nil
}

// needsOCR decides for one page: in auto mode a page is OCR'd when its text
// layer is missing on an image-covered page, or is mostly garbage.
func needsOCR(rp *rawPage, mode document.OCRMode) (bool, string) {
	switch mode {
	case document.OCROn:
		return true, "OCR forced"
	case document.OCROff:
		return false, ""
	}
	if rp == nil {
		return false, ""
	}
	text := 0
	var sb strings.Builder
	for _, c := range rp.chars {
		if c.R != ' ' {
			text++
			if sb.Len() < 4000 {
				sb.WriteRune(c.R)
			}
		}
	}
	// A scan has no text layer, or only a stamp; a page of art with a caption
	// in the text layer keeps its caption rather than OCR of the picture.
	if rp.sparseProbe && rp.imageCover >= 0.3 && text < scanMaxChars {
		return true, "image-covered page without a text layer"
	}
	if text >= 20 {
		if textnorm.GarbageRatio(sb.String()) > 0.3 {
			return true, "text layer is mostly unreadable glyphs"
		}
		if rp.sampled >= 8 && rp.unmapped*2 > rp.sampled {
			return true, "text layer has no Unicode mapping"
		}
	}
	return false, ""
}

// scanMaxChars is the most text an image-covered page may have and still be
// treated as a scan.
const scanMaxChars = 40

// ocrDPI is the resolution pages are rendered at for Tesseract.
const ocrDPI = 300

// startOCR renders page i and queues it for Tesseract; the recognised text
// replaces the page's text layer when it arrives. It reports whether the
// page was queued. The page is rendered straight to gray and handed over
// in memory; at most cap(p.backlog) rendered pages wait for Tesseract, so
// a long scan does not hold all its pages' pixels at once.
func (p *Parser) startOCR(ctx context.Context, d *pdfium.Doc, st *docState, pt *pageText, i int) bool {
	select {
	case p.backlog <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	pix, w, h, dpi, ok := d.RenderGray(i, ocrDPI, st.lim.MaxRenderPixels)
	if !ok {
		<-p.backlog
		st.warn(i+1, "page could not be rendered for OCR")
		return false
	}
	img := ocr.Gray{Pix: pix, W: w, H: h, DPI: int(dpi + 0.5)}
	p.queueOCR(ctx, st, pt, i, func() (ocr.Gray, error) { return img, nil }, func() { <-p.backlog })
	return true
}

// queueOCR recognises page i in the background, in a slot of the OCR pool
// (shared by every page of every document): load gives its image once the
// slot is free. The text replaces the page's text layer. done, if not nil,
// runs when the page is finished.
func (p *Parser) queueOCR(ctx context.Context, st *docState, pt *pageText, i int, load func() (ocr.Gray, error), done func()) {
	st.ocrWG.Add(1)
	go func() {
		defer st.ocrWG.Done()
		if done != nil {
			defer done()
		}
		defer func() {
			if v := recover(); v != nil {
				st.warn(i+1, fmt.Sprintf("OCR: internal error: %v", v))
			}
		}()
		text, err := p.ocr.RecognizeGray(ctx, load, st.lim.PerPageTimeout)
		if err != nil {
			if ctx.Err() == nil {
				st.warn(i+1, "OCR failed: "+err.Error())
			}
			return
		}
		var blk []layout.Block
		for _, para := range ocr.Paragraphs(text) {
			blk = append(blk, layout.Block{Lines: []layout.Line{{Text: para}}})
		}
		if len(blk) == 0 {
			st.warn(i+1, "OCR found no text")
			return
		}
		pt.ocr = true
		pt.blocks = blk
		st.ocrUsed.Store(true)
	}()
}
