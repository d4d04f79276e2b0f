package pdf

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/ocr"

	"github.com/corpora-tools/corpora/internal/testcorpus"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

const (
	booksDir    = "../../../examples/books"
	expectedDir = "../../../examples/expected"
)

// requireOCR skips without tesseract, unless CORPORA_REQUIRE_OCR=1.
func requireOCR(t *testing.T) {
	t.Helper()
	if err := ocr.New(ocr.Config{}).Available(); err != nil {
		if os.Getenv("CORPORA_REQUIRE_OCR") == "1" {
			t.Fatalf("CORPORA_REQUIRE_OCR=1 but %v", err)
		}
		t.Skipf("skipping OCR test: %v (install tesseract-ocr tesseract-ocr-eng)", err)
	}
}

// words splits text into casefolded words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// similarity is the F1 score of the two texts' word multisets: 1 when the
// same words occur as often, whatever the line breaks.
func similarity(got, want string) float64 {
	g, w := words(got), words(want)
	if len(g) == 0 || len(w) == 0 {
		return 0
	}
	count := map[string]int{}
	for _, x := range w {
		count[x]++
	}
	hit := 0
	for _, x := range g {
		if count[x] > 0 {
			count[x]--
			hit++
		}
	}
	p, r := float64(hit)/float64(len(g)), float64(hit)/float64(len(w))
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func TestOCRScannedSample(t *testing.T) {
	requireOCR(t)
	data, err := os.ReadFile(filepath.Join(booksDir, "hollowmere-fragment.pdf"))
	if err != nil {
		t.Skipf("sample book missing: %v", err)
	}
	out, err := parseBytes(t, data, document.Options{OCR: document.OCRAuto})
	if err != nil {
		t.Fatal(err)
	}
	if !out.OCRUsed {
		t.Error("ocr_used not set")
	}
	want, err := os.ReadFile(filepath.Join(expectedDir, "hollowmere-fragment.pdf.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := similarity(allText(out), string(want))
	t.Logf("hollowmere-fragment.pdf: OCR word similarity %.3f", s)
	if s < 0.9 {
		t.Errorf("similarity %.3f < 0.9:\n%s", s, allText(out))
	}
}

func TestOCRLinn(t *testing.T) {
	dir := testcorpus.Dir(t)
	requireOCR(t)
	data, err := os.ReadFile(filepath.Join(dir, "pdf", "ocrmypdf__linn.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := parseBytes(t, data, document.Options{OCR: document.OCRAuto})
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "pdf", "ocrmypdf__linn.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := similarity(allText(out), string(want))
	t.Logf("ocrmypdf__linn.pdf: OCR word similarity %.3f (ocr_used %v)", s, out.OCRUsed)
	if !out.OCRUsed || s < 0.85 {
		t.Errorf("similarity %.3f (ocr_used %v)", s, out.OCRUsed)
	}
}

func TestOCRForced(t *testing.T) {
	requireOCR(t)
	out, err := parseBytes(t, twoColumnPDF(t), document.Options{OCR: document.OCROn})
	if err != nil {
		t.Fatal(err)
	}
	if !out.OCRUsed || !strings.Contains(strings.ToLower(allText(out)), "dragon") {
		t.Errorf("forced OCR: ocr_used %v, text %q", out.OCRUsed, allText(out))
	}
}

func TestOCRUnavailable(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(booksDir, "hollowmere-fragment.pdf"))
	if err != nil {
		t.Skipf("sample book missing: %v", err)
	}
	p, err := NewParser(Config{OCR: ocr.Config{Binary: filepath.Join(t.TempDir(), "no-tesseract")}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var notices atomic.Int32
	opts := document.Options{OCR: document.OCRAuto, Warnf: func(string, ...any) { notices.Add(1) }}
	for range 2 {
		_, err := p.Parse(t.Context(), document.Input{Name: "scan.pdf", Data: data}, opts)
		if !errors.Is(err, document.ErrNoText) {
			t.Fatalf("auto without tesseract: err = %v, want ErrNoText", err)
		}
	}
	if notices.Load() != 1 {
		t.Errorf("tesseract notice given %d times, want once", notices.Load())
	}
	opts.OCR = document.OCROn
	if _, err := p.Parse(t.Context(), document.Input{Name: "scan.pdf", Data: data}, opts); !errors.Is(err, ocr.ErrUnavailable) {
		t.Fatalf("--ocr on without tesseract: err = %v, want ErrUnavailable", err)
	}
	// Text pages never need it.
	if _, err := p.Parse(t.Context(), document.Input{Name: "t.pdf", Data: twoColumnPDF(t)}, opts); err == nil {
		t.Fatal("--ocr on without tesseract succeeded")
	}
}

// render is the golden form of an Output.
func render(out *document.Output) string {
	var sb strings.Builder
	m := out.Metadata
	fmt.Fprintf(&sb, "pages: %d\nocr_used: %v\ntitle: %s\nauthor: %s\nsubject: %s\n", out.Pages, out.OCRUsed, m.Title, m.Author, m.Subject)
	for _, e := range m.TOC {
		fmt.Fprintf(&sb, "toc: %s%s (page %d)\n", strings.Repeat("  ", e.Level-1), e.Title, e.Page)
	}
	for _, w := range out.Warnings {
		fmt.Fprintf(&sb, "warning: %s: %s\n", w.Location, w.Reason)
	}
	for _, b := range out.Content {
		fmt.Fprintf(&sb, "\n[%s p%d%s]\n%s\n", b.Type, b.Page, blockAttrs(b), b.Text)
	}
	return sb.String()
}

// TestGoldenBooks compares the parse of the sample books' born-digital PDF
// with testdata/<name>.golden (go test -run Golden -update rewrites it), and
// checks every line-end hyphenation of the book came out joined.
func TestGoldenBooks(t *testing.T) {
	for _, name := range []string{"emberfall-codex.pdf"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(booksDir, name))
			if err != nil {
				t.Skipf("sample book missing: %v", err)
			}
			out, err := parseBytes(t, data, document.Options{OCR: document.OCROff})
			if err != nil {
				t.Fatal(err)
			}
			got := render(out)
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".pdf")+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s (run with -update and review the diff):\n%s", name, golden, got)
			}
			text := allText(out)
			hyph, err := os.ReadFile(filepath.Join(expectedDir, name+".hyphenated.txt"))
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range strings.Fields(string(hyph)) {
				joined := strings.ReplaceAll(h, "-|", "")
				joined = strings.TrimRight(joined, ".,;:")
				if !strings.Contains(text, joined) {
					t.Errorf("hyphenation %q not joined", h)
				}
			}
			terms, err := os.ReadFile(filepath.Join(expectedDir, name+".terms.txt"))
			if err != nil {
				t.Fatal(err)
			}
			r, missing := recall(text, strings.Split(strings.TrimSpace(string(terms)), "\n"))
			if r < 1 {
				t.Errorf("term recall %.3f, missing %q", r, missing)
			}
			reader, err := os.ReadFile(filepath.Join(expectedDir, name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			s := similarity(text, string(reader))
			t.Logf("%s: word similarity to the reader's text %.3f, term recall %.3f", name, s, r)
			if s < 0.97 {
				t.Errorf("word similarity %.3f < 0.97", s)
			}
		})
	}
}

// blockAttrs renders a block's structure fields for golden files.
func blockAttrs(b document.Block) string {
	var sb strings.Builder
	if b.Level > 0 {
		fmt.Fprintf(&sb, " level=%d", b.Level)
	}
	if b.Role != "" {
		fmt.Fprintf(&sb, " role=%s", b.Role)
	}
	if b.Style != "" {
		fmt.Fprintf(&sb, " style=%s", b.Style)
	}
	if b.Lead != "" {
		fmt.Fprintf(&sb, " lead=%q", b.Lead)
	}
	return sb.String()
}
