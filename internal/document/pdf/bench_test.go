package pdf

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/pdf/layout"

	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// BenchmarkParseSRD parses the rendered SRD PDFs of the corpus and reports
// pages/s (compare with scripts/bench-pdf.sh, which runs pdftotext too).
func BenchmarkParseSRD(b *testing.B) {
	dir := testcorpus.Dir(b)
	pdfs, _ := filepath.Glob(filepath.Join(dir, "srd", "rendered", "*.pdf"))
	var docs [][]byte
	for _, p := range pdfs {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, data)
	}
	for _, inst := range []int{1, 2} {
		b.Run(map[int]string{1: "instances=1", 2: "instances=2"}[inst], func(b *testing.B) {
			p := newTestParser(b, inst)
			pages := 0
			b.ResetTimer()
			for b.Loop() {
				for _, d := range docs {
					out, err := p.Parse(context.Background(), document.Input{Name: "srd.pdf", Data: d}, document.Options{OCR: document.OCROff})
					if err != nil {
						b.Fatal(err)
					}
					pages += out.Pages
				}
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// BenchmarkStartup measures the WebAssembly engine start with a cold
// (empty) and a warm compilation cache, and the Go heap it leaves.
func BenchmarkStartup(b *testing.B) {
	doc := rawPDF("BT /F1 12 Tf 72 700 Td (Hello) Tj ET")
	for _, warm := range []bool{false, true} {
		name := "cold"
		if warm {
			name = "warm"
		}
		b.Run(name, func(b *testing.B) {
			cache := b.TempDir()
			if warm {
				p, _ := NewParser(Config{CacheDir: cache})
				if _, err := p.Parse(context.Background(), document.Input{Name: "x.pdf", Data: doc}, document.Options{OCR: document.OCROff}); err != nil {
					b.Fatal(err)
				}
				p.Close()
			}
			var total time.Duration
			var ms runtime.MemStats
			for b.Loop() {
				if !warm {
					os.RemoveAll(cache)
				}
				t0 := time.Now()
				p, _ := NewParser(Config{CacheDir: cache})
				if _, err := p.Parse(context.Background(), document.Input{Name: "x.pdf", Data: doc}, document.Options{OCR: document.OCROff}); err != nil {
					b.Fatal(err)
				}
				total += time.Since(t0)
				runtime.ReadMemStats(&ms)
				p.Close()
			}
			b.ReportMetric(total.Seconds()/float64(b.N), "s/start")
			b.ReportMetric(float64(ms.Sys)/(1<<20), "MB-sys")
		})
	}
}

// BenchmarkLayout measures the Go-side layout analysis of a dense
// two-column page (no PDFium involved).
func BenchmarkLayout(b *testing.B) {
	var cs []layout.Char
	for i := range 60 {
		y := float32(750 - 11*i)
		cs = append(cs, setChars(strings.Fields("the quick brown fox jumps over the lazy dog again"), 50, y, 5, 0, 3)...)
		cs = append(cs, setChars(strings.Fields("and the slow red hen walks under the busy cow twice"), 320, y, 5, 0, 3)...)
	}
	b.ReportAllocs()
	for b.Loop() {
		layout.Page(cs, 612)
	}
	b.ReportMetric(float64(len(cs))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mchars/s")
}

// BenchmarkEngine measures the PDFium path alone (fast path off): starting
// the engine with a warm compilation cache and reading one small page, and
// reading the corpus's SRD PDFs page by page through PDFium.
func BenchmarkEngine(b *testing.B) {
	doc := rawPDF("BT /F1 12 Tf 72 700 Td (Hello) Tj ET")
	b.Run("start", func(b *testing.B) {
		cache := b.TempDir()
		start := func() {
			p, _ := NewParser(Config{CacheDir: cache, NoFastPath: true, Instances: 1})
			if _, err := p.Parse(context.Background(), document.Input{Name: "x.pdf", Data: doc}, document.Options{OCR: document.OCROff}); err != nil {
				b.Fatal(err)
			}
			p.Close()
		}
		start() // compiles the module into the cache
		for b.Loop() {
			start()
		}
	})
	b.Run("srd", func(b *testing.B) {
		dir := testcorpus.Dir(b)
		pdfs, _ := filepath.Glob(filepath.Join(dir, "srd", "rendered", "*.pdf"))
		var docs [][]byte
		for _, p := range pdfs {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			docs = append(docs, data)
		}
		p, err := NewParser(Config{Instances: 1, NoFastPath: true})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		pages := 0
		for b.Loop() {
			for _, d := range docs {
				out, err := p.Parse(context.Background(), document.Input{Name: "srd.pdf", Data: d}, document.Options{OCR: document.OCROff})
				if err != nil {
					b.Fatal(err)
				}
				pages += out.Pages
			}
		}
		b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	})
}

// setChars lays out words as characters of width w from x on baseline y,
// track apart within a word and gap apart between words.
func setChars(words []string, x, y, w, track, gap float32) []layout.Char {
	var cs []layout.Char
	for _, word := range words {
		for _, r := range word {
			cs = append(cs, layout.Char{R: r, L: x, X: x + w, B: y, T: y + 12, Size: 10})
			x += w + track
		}
		x += gap - track
	}
	return cs
}
