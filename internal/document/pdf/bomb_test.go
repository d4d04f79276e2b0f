package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/document"
)

// TestDecompressionBomb feeds a content stream that inflates to 400 MB,
// more than an instance's memory cap: the parse must end in an error or a
// page warning, without exhausting the machine.
func TestDecompressionBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	chunk := bytes.Repeat([]byte("0 0 m "), 1<<20/6)
	for range 400 {
		zw.Write(chunk)
	}
	zw.Close()
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>")
	offs = append(offs, b.Len())
	fmt.Fprintf(&b, "4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n", z.Len())
	b.Write(z.Bytes())
	b.WriteString("\nendstream\nendobj\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)

	t0 := time.Now()
	lim := document.Limits{Timeout: 60 * time.Second}
	out, err := parseBytes(t, b.Bytes(), document.Options{OCR: document.OCROff, Limits: lim})
	t.Logf("bomb (%d bytes): err=%v, %v", b.Len(), err, time.Since(t0))
	if err == nil && len(out.Warnings) == 0 {
		t.Errorf("no error and no warning for a stream beyond the memory cap")
	}
	if err != nil && !errors.Is(err, document.ErrNoText) && !errors.Is(err, document.ErrMalformed) && !errors.Is(err, document.ErrTimeout) {
		t.Errorf("unexpected error %v", err)
	}
	// The parser still works.
	if _, err := parseBytes(t, twoColumnPDF(t), document.Options{OCR: document.OCROff}); err != nil {
		t.Fatalf("after the bomb: %v", err)
	}
}
