package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/pdf/content"
	"github.com/corpora-tools/corpora/internal/document/pdf/layout"
	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// wordF1 compares two texts as multisets of casefolded words.
func wordF1(a, b string) float64 {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, w := range strings.Fields(strings.ToLower(s)) {
			m[w]++
		}
		return m
	}
	ma, mb := count(a), count(b)
	na, nb, common := 0, 0, 0
	for w, c := range ma {
		na += c
		common += min(c, mb[w])
	}
	for _, c := range mb {
		nb += c
	}
	if na+nb == 0 {
		return 1
	}
	return 2 * float64(common) / float64(na+nb)
}

// TestFastPathAgreesWithPDFium reads the corpus's born-digital PDFs with the
// fast path and with PDFium alone: the text must agree word for word (the
// layout analysis is shared, so a difference is the fast path's glyphs or
// boxes), and the fast path must read the SRD's rendered PDFs itself.
func TestFastPathAgreesWithPDFium(t *testing.T) {
	dir := testcorpus.Dir(t)
	var files []string
	for _, pat := range []string{"srd/rendered/*.pdf", "pdf/*.pdf", "pdf/*.PDF"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	books, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", "books", "*.pdf"))
	files = append(files, books...)
	fast := newTestParser(t, 2)
	slow, err := NewParser(Config{Instances: 2, NoFastPath: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slow.Close() })
	opts := document.Options{OCR: document.OCROff}
	for _, f := range files {
		name := filepath.Base(f)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		f0, s0 := fast.fastPages.Load(), fast.pdfiumPages.Load()
		got, gerr := fast.Parse(context.Background(), document.Input{Name: name, Data: data}, opts)
		nFast, nSlow := fast.fastPages.Load()-f0, fast.pdfiumPages.Load()-s0
		want, werr := slow.Parse(context.Background(), document.Input{Name: name, Data: data}, opts)
		if (gerr == nil) != (werr == nil) {
			t.Errorf("%s: fast path error %v, PDFium error %v", name, gerr, werr)
			continue
		}
		if gerr != nil {
			continue
		}
		if got.Pages != want.Pages {
			t.Errorf("%s: %d pages, PDFium %d", name, got.Pages, want.Pages)
		}
		f1 := wordF1(allText(got), allText(want))
		t.Logf("%-50s pages fast %3d pdfium %3d  word F1 %.4f", name, nFast, nSlow, f1)
		bar := 0.98
		if strings.Contains(f, "rendered") || strings.Contains(f, "books") {
			bar = 0.995
			if nSlow > 0 && !strings.Contains(name, "scanned") {
				t.Errorf("%s: %d pages left to PDFium, want the fast path to read them all", name, nSlow)
			}
		}
		if nFast > 0 && f1 < bar {
			t.Errorf("%s: fast path text differs from PDFium's: word F1 %.4f < %.3f", name, f1, bar)
		}
	}
}

func TestGlyphChars(t *testing.T) {
	g := func(text string, l float32) content.Glyph {
		return content.Glyph{Text: text, L: l, B: 100, R: l + 5, T: 110, Size: 10}
	}
	gs := []content.Glyph{
		g("ﬁ", 10), g("fi", 15), g("A", 20), {Text: " ", Space: true}, {Unmapped: true, L: 30, R: 35, T: 110, B: 100}, g("B", 40),
		g("\uf0a7", 45), // an icon font's private-use glyph
		{Text: "2", L: 50, B: 104, R: 53, T: 110, Size: 6}, // a superscript
	}
	var sb strings.Builder
	for _, c := range glyphChars(gs) {
		sb.WriteRune(c.R)
	}
	if got, want := sb.String(), "ﬁfiA B 2"; got != want {
		t.Errorf("glyphChars = %q, want %q (ligature split into characters sharing a box, the unmapped and private-use glyphs skipped, the superscript a word of its own)", got, want)
	}
}

// twoPagePDF writes a PDF whose second page is rotated (the fast path
// hands it to PDFium) and whose first is not.
func twoPagePDF() []byte {
	return pdfOf(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 612 792] /Resources << /Font << /F1 7 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
		"<< /Type /Page /Parent 2 0 R /Rotate 90 /Contents 6 0 R >>",
		stream("", "BT /F1 12 Tf 72 700 Td (The cinder witch guards the pass.) Tj ET"),
		stream("", "BT /F1 12 Tf 72 700 Td (The ashen wyvern sleeps in the crater.) Tj ET"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	)
}

// TestFastPathHandsPagesToPDFium: a page the fast path does not read goes
// to PDFium alone, and the document comes out whole and in page order.
func TestFastPathHandsPagesToPDFium(t *testing.T) {
	p := newTestParser(t, 1)
	out, err := p.Parse(t.Context(), document.Input{Name: "mixed.pdf", Data: twoPagePDF()}, document.Options{OCR: document.OCROff})
	if err != nil {
		t.Fatal(err)
	}
	if f, s := p.fastPages.Load(), p.pdfiumPages.Load(); f != 1 || s != 1 {
		t.Errorf("pages read: fast %d, PDFium %d; want 1 and 1 (the rotated page to PDFium)", f, s)
	}
	text := allText(out)
	i, j := strings.Index(text, "cinder witch"), strings.Index(text, "ashen wyvern")
	if i < 0 || j < 0 || i > j {
		t.Errorf("want both pages' text in page order, got:\n%s", text)
	}
	if out.Pages != 2 {
		t.Errorf("pages = %d, want 2", out.Pages)
	}
}

// TestFastPathOnly: a document the fast path reads whole never starts
// PDFium; CORPORA_PDF_ENGINE=pdfium turns the fast path off.
func TestFastPathOnly(t *testing.T) {
	p := newTestParser(t, 1)
	if _, err := p.Parse(t.Context(), document.Input{Name: "t.pdf", Data: twoColumnPDF(t)}, document.Options{OCR: document.OCROff}); err != nil {
		t.Fatal(err)
	}
	if p.eng != nil || p.pdfiumPages.Load() != 0 || p.fastPages.Load() != 3 {
		t.Errorf("engine started %v, pages fast %d PDFium %d; want no engine and 3 fast pages", p.eng != nil, p.fastPages.Load(), p.pdfiumPages.Load())
	}
	env := map[string]string{"CORPORA_PDF_ENGINE": "pdfium", "CORPORA_PDF_DEBUG": "1"}
	var logged []string
	cfg := Config{}.WithEnv(func(k string) string { return env[k] }, func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) })
	if !cfg.NoFastPath || cfg.Logf == nil {
		t.Fatalf("WithEnv: NoFastPath %v, Logf set %v; want both", cfg.NoFastPath, cfg.Logf != nil)
	}
	q, err := NewParser(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if _, err := q.Parse(t.Context(), document.Input{Name: "t.pdf", Data: twoColumnPDF(t)}, document.Options{OCR: document.OCROff}); err != nil {
		t.Fatal(err)
	}
	if q.fastPages.Load() != 0 || q.pdfiumPages.Load() != 3 {
		t.Errorf("CORPORA_PDF_ENGINE=pdfium: pages fast %d PDFium %d; want 0 and 3", q.fastPages.Load(), q.pdfiumPages.Load())
	}
}

// FuzzFastPath runs the fast path alone (no PDFium) over arbitrary bytes:
// it must never panic or hang, and a page it reads must have a sane box.
func FuzzFastPath(f *testing.F) {
	f.Add(twoColumnPDF(f))
	f.Add(twoPagePDF())
	f.Add(rawPDF("BT /F1 12 Tf 2 Tc 72 700 Td [(The)-700(dragon)] TJ ET q 100 0 0 100 0 0 cm BI /W 1 /H 1 ID x EI Q"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := document.DefaultLimits()
		lim.MaxPages = 50
		fd, err := openFast(data, lim)
		if err != nil {
			return
		}
		fd.meta(lim)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for i := range fd.pages {
			rp, err := fd.readPage(ctx, i)
			if err != nil {
				continue
			}
			if !(rp.w == rp.w && rp.h == rp.h) { // NaN
				t.Fatalf("page %d: box %v x %v", i+1, rp.w, rp.h)
			}
			layout.Page(rp.chars, rp.w)
		}
	})
}

// TestFastPathDropsOffPageText: text drawn wholly outside the crop box (a
// print export's slug) is not part of the page.
func TestFastPathDropsOffPageText(t *testing.T) {
	content := "BT /F1 12 Tf 72 700 Td (Inside the page) Tj ET\n" +
		"BT /F1 12 Tf 650 700 Td (Slug outside right) Tj ET\n" +
		"BT /F1 12 Tf 72 -30 Td (Slug below) Tj ET\n" +
		"BT /F1 12 Tf 560 680 Td (Edge) Tj ET"
	out, err := parseBytes(t, rawPDF(content), document.Options{OCR: document.OCROff})
	if err != nil {
		t.Fatal(err)
	}
	text := allText(out)
	if strings.Contains(text, "Slug") || !strings.Contains(text, "Inside the page") || !strings.Contains(text, "Edge") {
		t.Errorf("want the page's text, up to its edge, without the slug:\n%s", text)
	}
}

// TestFastPathBlankDocument: a born-digital document without any text says
// so without blaming a missing Tesseract.
func TestFastPathBlankDocument(t *testing.T) {
	p := newTestParser(t, 1)
	if p.ocr.Available() != nil {
		t.Skip("tesseract not installed: the message would rightly say so")
	}
	_, err := p.Parse(t.Context(), document.Input{Name: "blank.pdf", Data: rawPDF("0 0 m 100 100 l S")}, document.Options{})
	if !errors.Is(err, document.ErrNoText) || strings.Contains(err.Error(), "tesseract") {
		t.Errorf("err = %v, want ErrNoText without a word about tesseract", err)
	}
}
