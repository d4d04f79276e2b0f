// Package pdfium runs PDFium, compiled to WebAssembly, in-process on wazero
// (no cgo, no system library); it is the only package that imports wazero.
//
// The module is go-pdfium's pdfium.wasm, embedded gzip-compressed
// (wasm.go; `go generate` copies it from the module cache, and a test fails
// when it no longer matches go.mod's go-pdfium). The runtime starts with its
// compilation cache under os.UserCacheDir()/corpora/wazero, so that only the
// first run on a machine compiles the 5 MB module; it gets the WASI and
// Emscripten host imports (the latter exported by go-pdfium) and nothing
// else: no host files, output discarded. Engine keeps the pool of instances,
// one per worker, created on first use.
//
// PDFium's C exports are called directly (binding.go): one call returns a
// page's whole text, one call per character its box, so a page costs a few
// thousand cheap guest calls instead of go-pdfium's typed API with its
// per-call allocations. Linear memory is capped per instance (256 MiB) and
// mapped outside the Go heap (memory_unix.go), so a decompression bomb
// fails its page alone without growing the heap. Guest code is compiled
// without wazero's termination checks, which cost two thirds of the CPU
// (New's interruptible turns them back on): a guest call runs to its end,
// heavy calls (loading a document or page, rendering) are not started past
// the context set with Instance.SetContext, and a failed, overrun or
// memory-swollen instance is killed and replaced once its call has
// returned.
package pdfium

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/klippa-app/go-pdfium/webassembly/imports"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// wasmMemoryLimitPages caps the linear memory of one PDFium instance
// (64 KiB pages): 256 MiB holds a real book's page plus a page rendered at
// the largest bitmap Limits allows (40 Mpx at one byte per pixel); a hostile
// document that wants more gets a failed allocation instead of the
// machine's RAM. (Growing guest memory copies it, so the process briefly
// needs about three times the cap.)
const wasmMemoryLimitPages = 4096

// MemCapNear is the guest memory size taken as "PDFium ran into the cap":
// its allocator grows memory in steps, and a failed request leaves it just
// short of the cap.
const MemCapNear = (wasmMemoryLimitPages - wasmMemoryLimitPages/16) << 16

// engine owns the wazero runtime, the compiled PDFium module and the PDFium
// instances: one per worker, created on first use and replaced when a call
// fails or times out (a failed or interrupted call leaves the instance in an
// unknown state).
type Engine struct {
	rt  wazero.Runtime
	mod wazero.CompiledModule
	// ctx is the context instances are created in; it carries the allocator
	// that maps each linear memory outside the Go heap (memory_unix.go).
	ctx   context.Context
	size  int
	idle  chan *Instance // instances ready for use
	slots chan struct{}  // one token per instance that may still be created
	// owed counts instances lent by lend: the next releases kill that many
	// instances instead of keeping them, so the pool shrinks back to size.
	owed  atomic.Int64
	start time.Duration // how long the runtime took to start
}

// New starts the runtime with the compilation cache in cacheDir.
func New(ctx context.Context, size int, cacheDir string, interruptible bool) (*Engine, error) {
	t0 := time.Now()
	if cacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		cacheDir = filepath.Join(base, "corpora", "wazero")
	}
	// Interruptible guest code (WithCloseOnContextDone) costs two thirds of
	// the CPU: the compiler adds a call to a termination check at every loop
	// back-edge of PDFium, and wazero starts a watchdog goroutine on every
	// call. Without it, a guest call runs to its end; the memory cap bounds
	// what a hostile page can make PDFium do, Parse still returns at its
	// deadline, and an instance that overran is thrown away when its call
	// ends.
	rc := wazero.NewRuntimeConfigCompiler().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithCloseOnContextDone(interruptible).
		WithMemoryLimitPages(wasmMemoryLimitPages)
	if err := os.MkdirAll(cacheDir, 0o755); err == nil {
		if cache, err := wazero.NewCompilationCacheWithDir(cacheDir); err == nil {
			rc = rc.WithCompilationCache(cache)
		}
	}
	wasm, err := wasmBytes()
	if err != nil {
		return nil, err
	}
	bctx := experimental.WithMemoryAllocator(context.Background(), memoryAllocator())
	rt := wazero.NewRuntimeWithConfig(bctx, rc)
	// PDFium is an Emscripten build: it imports WASI and Emscripten's "env"
	// functions, which go-pdfium exports for wazero.
	if _, err := wasi_snapshot_preview1.Instantiate(bctx, rt); err != nil {
		_ = rt.Close(bctx)
		return nil, fmt.Errorf("starting PDFium (WASI imports): %w", err)
	}
	compiled, err := rt.CompileModule(bctx, wasm)
	if err != nil {
		_ = rt.Close(bctx)
		return nil, fmt.Errorf("starting PDFium (compiling webassembly): %w", err)
	}
	if _, err := imports.Instantiate(bctx, rt, compiled); err != nil {
		_ = rt.Close(bctx)
		return nil, fmt.Errorf("starting PDFium (host imports): %w", err)
	}
	e := &Engine{
		rt:    rt,
		mod:   compiled,
		ctx:   bctx,
		size:  size,
		idle:  make(chan *Instance, size),
		slots: make(chan struct{}, 2*size),
	}
	for range size {
		e.slots <- struct{}{}
	}
	e.start = time.Since(t0)
	return e, nil
}

// keepMemoryBytes is the guest memory an idle instance may keep; PDFium's
// allocator never returns memory, so an instance a big page (or a bomb)
// inflated is replaced rather than kept at that size.
const keepMemoryBytes = 96 << 20

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// acquire returns an instance, waiting for one when all are busy.
func (e *Engine) Acquire(ctx context.Context) (*Instance, error) {
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

// TryAcquire returns an instance only when one is free right now.
func (e *Engine) TryAcquire(ctx context.Context) *Instance {
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

// release gives an instance back; a broken one, or one whose memory a
// document grew past keepMemoryBytes, is killed and its slot freed so the
// next acquire builds a fresh one. Only the goroutine that owns an instance
// may release it, never while one of its calls runs (killing unmaps the
// memory the call is using).
func (e *Engine) Release(in *Instance) {
	if in == nil {
		return
	}
	if in.owedKill(e) || in.broken || in.mem.Size() > keepMemoryBytes {
		_ = in.mod.Close(context.Background())
		if !in.repaid {
			e.slots <- struct{}{}
		}
		return
	}
	e.idle <- in
}

// owedKill reports whether in should be killed to repay a lent slot (its
// slot token is then not given back).
func (in *Instance) owedKill(e *Engine) bool {
	for {
		o := e.owed.Load()
		if o <= 0 {
			return false
		}
		if e.owed.CompareAndSwap(o, o-1) {
			in.repaid = true
			return true
		}
	}
}

// lend lets n more instances be created while n instances stay busy in
// guest calls that overran their parse's deadline (guest calls are not
// interruptible): other documents do not wait for them. The next n releases
// repay the loan.
func (e *Engine) Lend(n int) {
	for range n {
		select {
		case e.slots <- struct{}{}:
			e.owed.Add(1)
		default:
			return
		}
	}
}

// create instantiates one PDFium module: no host files (PDFium gets only the
// bytes we hand it), output discarded, and an anonymous name so instances
// can live side by side in the runtime.
func (e *Engine) create(ctx context.Context) (*Instance, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg := wazero.NewModuleConfig().
		WithStartFunctions("_initialize").
		WithStdout(discard{}).
		WithStderr(discard{}).
		WithRandSource(rand.Reader).
		WithFSConfig(wazero.NewFSConfig()).
		WithName("")
	mod, err := e.rt.InstantiateModule(e.ctx, e.mod, cfg)
	if err != nil {
		return nil, fmt.Errorf("starting PDFium instance: %w", err)
	}
	in, err := bind(mod)
	if err != nil {
		_ = mod.Close(context.Background())
		return nil, err
	}
	initLib := mod.ExportedFunction("FPDF_InitLibrary")
	if initLib == nil {
		_ = mod.Close(context.Background())
		return nil, errors.New("starting PDFium instance: export FPDF_InitLibrary missing")
	}
	if _, err := initLib.Call(e.ctx); err != nil {
		_ = mod.Close(context.Background())
		return nil, fmt.Errorf("starting PDFium instance: FPDF_InitLibrary: %w", err)
	}
	return in, nil
}

func (e *Engine) Close() error {
	return e.rt.Close(context.Background())
}

// rawFunc is the part of wazero's api.Function we call.
type rawFunc interface {
	CallWithStack(ctx context.Context, stack []uint64) error
}

// instance is one PDFium WebAssembly instance, driven through its raw C
// exports: go-pdfium's typed API allocates and frees four guest buffers per
// character box, while a raw call reads the result straight from guest
// memory, which is what makes per-character layout affordable.
type Instance struct {
	mod    api.Module
	mem    api.Memory
	fns    map[string]export
	stack  [16]uint64
	broken bool // a call failed or was interrupted: never reuse
	repaid bool // killed to repay a lent slot (see Engine.Lend)
	ctx    context.Context
}

// export is one bound PDFium function. Heavy ones (document and page
// loading, rendering) are not started past the page's deadline (and, with
// Config.Interruptible, wazero closes the module if the deadline passes
// mid-call). Cheap per-character calls run without a deadline.
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
	"FPDFText_GetFontWeight", "FPDFText_GetFontInfo",
	"FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetBounds",
	"FPDFBitmap_CreateEx", "FPDFBitmap_FillRect", "FPDFBitmap_GetBuffer", "FPDFBitmap_GetStride", "FPDFBitmap_Destroy",
	"FPDF_RenderPageBitmap",
}

// bind looks up the exports this package calls.
func bind(mod api.Module) (*Instance, error) {
	in := &Instance{mod: mod, mem: mod.Memory(), fns: make(map[string]export, len(exports)), ctx: context.Background()}
	if in.mem == nil {
		return nil, errors.New("binding PDFium module: no memory export")
	}
	for _, name := range exports {
		f := mod.ExportedFunction(name)
		if f == nil {
			return nil, fmt.Errorf("binding PDFium module: export %s missing", name)
		}
		in.fns[name] = export{f: f, heavy: heavyExports[name]}
	}
	return in, nil
}

// ErrBroken marks an instance whose call failed; the caller must stop using it.
var ErrBroken = errors.New("PDFium call failed")

// call invokes a PDFium export with i32/f32 parameters already encoded and
// returns the raw first result.
func (in *Instance) call(name string, params ...uint64) uint64 {
	if in.broken {
		panic(brokenPanic{fmt.Errorf("%w: instance already broken", ErrBroken)})
	}
	e := in.fns[name]
	st := in.stack[:]
	copy(st, params)
	ctx := context.Background()
	if e.heavy {
		// Guest calls run to their end (see New); a heavy one is not
		// started past the page's deadline.
		ctx = in.ctx
		if err := ctx.Err(); err != nil {
			panic(brokenPanic{fmt.Errorf("%s not started: %w", name, err)})
		}
	}
	if err := e.f.CallWithStack(ctx, st); err != nil {
		in.broken = true
		panic(brokenPanic{fmt.Errorf("%w: %s: %w", ErrBroken, name, err)})
	}
	return st[0]
}

// brokenPanic carries a failed guest call up to the page or document boundary,
// which turns it back into an error; it keeps the many small binding
// functions free of error plumbing for a condition that ends the instance.
type brokenPanic struct{ err error }

// Guard converts a brokenPanic (or any other panic) into an error.
func Guard(err *error) {
	if r := recover(); r != nil {
		if bp, ok := r.(brokenPanic); ok {
			*err = bp.err
			return
		}
		*err = fmt.Errorf("%w: internal error: %v", ErrBroken, r)
	}
}

func i32(v uint64) int32 { return int32(uint32(v)) }

func (in *Instance) malloc(n int) uint32 {
	p := uint32(in.call("malloc", uint64(n)))
	if p == 0 {
		in.broken = true
		panic(brokenPanic{fmt.Errorf("%w: out of wasm memory allocating %d bytes", ErrBroken, n)})
	}
	return p
}

func (in *Instance) free(p uint32) {
	if p != 0 {
		in.call("free", uint64(p))
	}
}

func (in *Instance) read(p uint32, n int) []byte {
	b, ok := in.mem.Read(p, uint32(n))
	if !ok {
		in.broken = true
		panic(brokenPanic{fmt.Errorf("%w: read outside wasm memory", ErrBroken)})
	}
	return b
}

// MemoryLimitMiB is the guest memory cap of one instance, in MiB.
const MemoryLimitMiB = wasmMemoryLimitPages >> 4

// Size is the number of instances the engine keeps.
func (e *Engine) Size() int { return e.size }

// StartTime is how long the runtime took to start.
func (e *Engine) StartTime() time.Duration { return e.start }

// SetContext sets the context heavy calls check before they start (and,
// with an interruptible engine, that closes the module when done).
func (in *Instance) SetContext(ctx context.Context) { in.ctx = ctx }

// Broken reports whether a call failed or was interrupted: the instance must
// not be used again (Release kills it).
func (in *Instance) Broken() bool { return in.broken }

// MarkBroken makes Release kill the instance instead of keeping it.
func (in *Instance) MarkBroken() { in.broken = true }

// MemSize is the instance's guest memory size in bytes.
func (in *Instance) MemSize() uint64 { return uint64(in.mem.Size()) }

// Owed is the number of lent instances (see Lend) not yet repaid.
func (e *Engine) Owed() int64 { return e.owed.Load() }
