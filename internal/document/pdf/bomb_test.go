package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/document"
)

// TestDecompressionBomb feeds a content stream that inflates to 400 MB,
// more than an instance's memory cap: the parse must end in a limit error
// (or a page warning), with the guest memory outside the Go heap, and the
// parser must still work afterwards.
func TestDecompressionBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	bomb := bombPDF(400)
	// Start PDFium before measuring: on a machine that has never run it, its
	// one-time WebAssembly compile (hundreds of MB, freed afterwards) would
	// land inside the measurement.
	if _, err := unitParser(t).engine(t.Context()); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	heap0 := ms.HeapAlloc
	lim := document.Limits{Timeout: 60 * time.Second}
	out, err := parseBytes(t, bomb, document.Options{OCR: document.OCROff, Limits: lim})
	runtime.ReadMemStats(&ms)
	grew := int64(ms.HeapAlloc) - int64(heap0)
	t.Logf("bomb (%d bytes): err=%v, %v, heap %+d MB", len(bomb), err, time.Since(t0), grew>>20)
	if err == nil && len(out.Warnings) == 0 {
		t.Errorf("no error and no warning for a stream beyond the memory cap")
	}
	if err != nil && !errors.Is(err, document.ErrLimit) {
		t.Errorf("err = %v, want ErrLimit (memory cap)", err)
	}
	if runtime.GOOS == "linux" && grew > 64<<20 {
		t.Errorf("Go heap grew by %d MB: guest memory should live outside it", grew>>20)
	}
	// The parser still works.
	if _, err := parseBytes(t, twoColumnPDF(t), document.Options{OCR: document.OCROff}); err != nil {
		t.Fatalf("after the bomb: %v", err)
	}
}

// TestPageTimeBound: guest calls are not interruptible, so a page past its
// time bound is refused at the next heavy call and reported as a page
// warning naming the bound, and the document still ends cleanly.
func TestPageTimeBound(t *testing.T) {
	lim := document.Limits{PerPageTimeout: time.Nanosecond}
	out, err := parseBytes(t, twoColumnPDF(t), document.Options{OCR: document.OCROff, Limits: lim})
	if err == nil {
		t.Fatalf("parsed %d blocks although every page was past its bound", len(out.Content))
	}
	if out == nil || len(out.Warnings) == 0 || !strings.Contains(out.Warnings[0].Reason, "time bound") {
		t.Fatalf("err = %v, warnings %v: want a page warning naming the time bound", err, out)
	}
	if out.Warnings[0].Page != 1 {
		t.Errorf("warning on page %d, want 1", out.Warnings[0].Page)
	}
}

// bombPDF is a one-page PDF whose content stream inflates to mb MB.
func bombPDF(mb int) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	chunk := bytes.Repeat([]byte("0 0 m "), 1<<20/6)
	for range mb {
		zw.Write(chunk)
	}
	zw.Close()
	return pdfOf(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		stream("/Filter /FlateDecode", z.String()),
	)
}

// TestTimeoutLendsInstance: a parse that times out inside a guest call (not
// interruptible) returns on time, and the next document does not wait for
// that call: the engine lends it an instance, repaid when the call ends.
func TestTimeoutLendsInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	// PDFium alone: the fast path reads the warm-up document without it.
	p, err := NewParser(Config{Instances: 1, NoFastPath: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := t.Context()
	if _, err := p.Parse(ctx, document.Input{Name: "warm.pdf", Data: twoColumnPDF(t)}, document.Options{OCR: document.OCROff}); err != nil {
		t.Fatal(err)
	}
	bomb := bombPDF(400)
	t0 := time.Now()
	_, err = p.Parse(ctx, document.Input{Name: "bomb.pdf", Data: bomb},
		document.Options{OCR: document.OCROff, Limits: document.Limits{Timeout: 50 * time.Millisecond}})
	if !errors.Is(err, document.ErrTimeout) {
		t.Fatalf("bomb with a 50ms bound: err = %v, want ErrTimeout", err)
	}
	t1 := time.Now()
	if o := p.eng.Owed(); o != 1 {
		t.Errorf("owed = %d right after the timeout, want 1 (the instance in the bomb's call lent out)", o)
	}
	if _, err := p.Parse(ctx, document.Input{Name: "next.pdf", Data: twoColumnPDF(t)}, document.Options{OCR: document.OCROff}); err != nil {
		t.Fatalf("next document: %v", err)
	}
	t.Logf("bomb timed out in %v, next document in %v", t1.Sub(t0), time.Since(t1))
	if d := t1.Sub(t0); d > 2*time.Second {
		t.Errorf("timed-out parse returned after %v", d)
	}
	// The loan is repaid once the bomb's call ends.
	deadline := time.Now().Add(30 * time.Second)
	for p.eng.Owed() > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if o := p.eng.Owed(); o != 0 {
		t.Errorf("%d instances still owed after 30 s", o)
	}
}
