package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// wasmMemoryLimitPages caps the linear memory of one PDFium instance
// (64 KiB pages): 256 MiB holds a real book's page plus a page rendered at
// the largest bitmap Limits allows (40 Mpx at one byte per pixel); a hostile
// document that wants more gets a failed allocation instead of the
// machine's RAM. (Growing guest memory copies it, so the process briefly
// needs about three times the cap.)
const wasmMemoryLimitPages = 4096

// engine owns the wazero runtime (through go-pdfium's pool) and the PDFium
// instances: one per worker, created on first use and replaced when a call
// fails or times out (a failed or interrupted call leaves the instance in an
// unknown state).
type engine struct {
	pool  pdfium.Pool
	size  int
	idle  chan *instance // instances ready for use
	slots chan struct{}  // one token per instance that may still be created
	start time.Duration  // how long the runtime took to start
}

// newEngine starts the runtime with the compilation cache in cacheDir.
func newEngine(ctx context.Context, size int, cacheDir string) (*engine, error) {
	t0 := time.Now()
	if cacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		cacheDir = filepath.Join(base, "corpora", "wazero")
	}
	rc := wazero.NewRuntimeConfigCompiler().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithCloseOnContextDone(true).
		WithMemoryLimitPages(wasmMemoryLimitPages)
	if err := os.MkdirAll(cacheDir, 0o755); err == nil {
		if cache, err := wazero.NewCompilationCacheWithDir(cacheDir); err == nil {
			rc = rc.WithCompilationCache(cache)
		}
	}
	pool, err := webassembly.Init(webassembly.Config{
		Context:       context.Background(),
		MinIdle:       0,
		MaxIdle:       size,
		MaxTotal:      size,
		RuntimeConfig: rc,
		FSConfig:      wazero.NewFSConfig(), // no host files: PDFium gets only the bytes we hand it
		Stdout:        discard{},
		Stderr:        discard{},
		ReuseWorkers:  true,
	})
	if err != nil {
		return nil, fmt.Errorf("starting PDFium (webassembly): %w", err)
	}
	e := &engine{
		pool:  pool,
		size:  size,
		idle:  make(chan *instance, size),
		slots: make(chan struct{}, size),
	}
	for range size {
		e.slots <- struct{}{}
	}
	e.start = time.Since(t0)
	return e, nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// acquire returns an instance, waiting for one when all are busy.
func (e *engine) acquire(ctx context.Context) (*instance, error) {
	select {
	case in := <-e.idle:
		return in, nil
	default:
	}
	select {
	case in := <-e.idle:
		return in, nil
	case <-e.slots:
		in, err := e.create(ctx)
		if err != nil {
			e.slots <- struct{}{}
			return nil, err
		}
		return in, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// tryAcquire returns an instance only when one is free right now.
func (e *engine) tryAcquire(ctx context.Context) *instance {
	select {
	case in := <-e.idle:
		return in
	default:
	}
	select {
	case <-e.slots:
		in, err := e.create(ctx)
		if err != nil {
			e.slots <- struct{}{}
			return nil
		}
		return in
	default:
		return nil
	}
}

// release gives an instance back; a broken one is killed and its slot freed
// so the next acquire builds a fresh one.
func (e *engine) release(in *instance) {
	if in == nil {
		return
	}
	if in.broken {
		_ = in.pdf.Kill()
		e.slots <- struct{}{}
		return
	}
	e.idle <- in
}

func (e *engine) create(ctx context.Context) (*instance, error) {
	p, err := e.pool.GetInstanceWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("starting PDFium instance: %w", err)
	}
	in, err := bind(p)
	if err != nil {
		_ = p.Kill()
		return nil, err
	}
	return in, nil
}

func (e *engine) close() error {
	return e.pool.Close()
}

// rawFunc is the part of wazero's api.Function we call.
type rawFunc interface {
	CallWithStack(ctx context.Context, stack []uint64) error
}

// instance is one PDFium WebAssembly instance, driven through its raw C
// exports: go-pdfium's typed API allocates and frees four guest buffers per
// character box, while a raw call reads the result straight from guest
// memory, which is what makes per-character layout affordable.
type instance struct {
	pdf    pdfium.Pdfium
	mem    api.Memory
	fns    map[string]export
	stack  [16]uint64
	broken bool // a call failed or was interrupted: never reuse
	ctx    context.Context
}

// export is one bound PDFium function. Heavy ones (document and page
// loading, rendering) run under the page's deadline: wazero then closes the
// module if the deadline passes mid-call. Cheap per-character calls run
// without a deadline, because watching one costs a goroutine per call.
type export struct {
	f     rawFunc
	heavy bool
}

// heavyExports may run for long on hostile input.
var heavyExports = map[string]bool{
	"FPDF_LoadMemDocument": true, "FPDF_GetPageCount": true, "FPDF_LoadPage": true,
	"FPDFText_LoadPage": true, "FPDF_RenderPageBitmap": true, "FPDFPage_CountObjects": true,
}

// exports lists every PDFium function this package calls.
var exports = []string{
	"malloc", "free",
	"FPDF_LoadMemDocument", "FPDF_CloseDocument", "FPDF_GetLastError", "FPDF_GetPageCount",
	"FPDF_GetSecurityHandlerRevision", "FPDF_GetMetaText",
	"FPDFBookmark_GetFirstChild", "FPDFBookmark_GetNextSibling", "FPDFBookmark_GetTitle",
	"FPDFBookmark_GetDest", "FPDFBookmark_GetAction", "FPDFAction_GetDest", "FPDFDest_GetDestPageIndex",
	"FPDF_LoadPage", "FPDF_ClosePage", "FPDF_GetPageWidthF", "FPDF_GetPageHeightF",
	"FPDFText_LoadPage", "FPDFText_ClosePage", "FPDFText_CountChars", "FPDFText_GetText",
	"FPDFText_GetUnicode", "FPDFText_GetLooseCharBox", "FPDFText_GetFontSize", "FPDFText_HasUnicodeMapError",
	"FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetBounds",
	"FPDFBitmap_CreateEx", "FPDFBitmap_FillRect", "FPDFBitmap_GetBuffer", "FPDFBitmap_GetStride", "FPDFBitmap_Destroy",
	"FPDF_RenderPageBitmap",
}

// bind reaches the module behind a go-pdfium instance. go-pdfium exposes the
// instantiated module as the exported Module field of its implementation
// (an internal type), so reflection is the only way in; bind fails loudly if
// a go-pdfium upgrade moves it.
func bind(p pdfium.Pdfium) (in *instance, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("binding PDFium module: %v", r)
		}
	}()
	impl := reflect.ValueOf(p.GetImplementation())
	if impl.Kind() == reflect.Pointer {
		impl = impl.Elem()
	}
	mod := impl.FieldByName("Module")
	if !mod.IsValid() {
		return nil, errors.New("binding PDFium module: go-pdfium implementation has no Module field")
	}
	memV := mod.MethodByName("Memory").Call(nil)[0]
	mem, ok := memV.Interface().(api.Memory)
	if !ok {
		return nil, errors.New("binding PDFium module: memory is not a wazero memory")
	}
	exp := mod.MethodByName("ExportedFunction")
	in = &instance{pdf: p, mem: mem, fns: make(map[string]export, len(exports)), ctx: context.Background()}
	for _, name := range exports {
		v := exp.Call([]reflect.Value{reflect.ValueOf(name)})[0]
		if v.IsNil() {
			return nil, fmt.Errorf("binding PDFium module: export %s missing", name)
		}
		f, ok := v.Interface().(rawFunc)
		if !ok {
			return nil, fmt.Errorf("binding PDFium module: export %s has unexpected type", name)
		}
		in.fns[name] = export{f: f, heavy: heavyExports[name]}
	}
	return in, nil
}

// errBroken marks an instance whose call failed; the caller must stop using it.
var errBroken = errors.New("PDFium call failed")

// call invokes a PDFium export with i32/f32 parameters already encoded and
// returns the raw first result.
func (in *instance) call(name string, params ...uint64) uint64 {
	if in.broken {
		panic(brokenPanic{fmt.Errorf("%w: instance already broken", errBroken)})
	}
	e := in.fns[name]
	st := in.stack[:]
	copy(st, params)
	ctx := context.Background()
	if e.heavy {
		ctx = in.ctx
	}
	if err := e.f.CallWithStack(ctx, st); err != nil {
		in.broken = true
		panic(brokenPanic{fmt.Errorf("%w: %s: %w", errBroken, name, err)})
	}
	return st[0]
}

// brokenPanic carries a failed guest call up to the page or document boundary,
// which turns it back into an error; it keeps the many small binding
// functions free of error plumbing for a condition that ends the instance.
type brokenPanic struct{ err error }

// guard converts a brokenPanic (or any other panic) into an error.
func guard(err *error) {
	if r := recover(); r != nil {
		if bp, ok := r.(brokenPanic); ok {
			*err = bp.err
			return
		}
		*err = fmt.Errorf("%w: internal error: %v", errBroken, r)
	}
}

func i32(v uint64) int32 { return int32(uint32(v)) }

func (in *instance) malloc(n int) uint32 {
	p := uint32(in.call("malloc", uint64(n)))
	if p == 0 {
		in.broken = true
		panic(brokenPanic{fmt.Errorf("%w: out of wasm memory allocating %d bytes", errBroken, n)})
	}
	return p
}

func (in *instance) free(p uint32) {
	if p != 0 {
		in.call("free", uint64(p))
	}
}

func (in *instance) read(p uint32, n int) []byte {
	b, ok := in.mem.Read(p, uint32(n))
	if !ok {
		in.broken = true
		panic(brokenPanic{fmt.Errorf("%w: read outside wasm memory", errBroken)})
	}
	return b
}
