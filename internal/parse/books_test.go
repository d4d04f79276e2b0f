package parse

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/testutil/golden"
)

const booksDir = "../../examples/books"

// sampleBooks lists the sample books: the files of examples/books, not the
// output/ folder the README's main job writes beside them.
func sampleBooks(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(booksDir)
	if err != nil {
		t.Fatal(err)
	}
	var books []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			books = append(books, filepath.Join(booksDir, e.Name()))
		}
	}
	return books
}

// TestSampleBooksGolden parses the non-PDF sample books through the
// dispatcher and compares with testdata/books/<book>.golden.json (the PDF
// engine's output is pinned by its own package). -update rewrites them.
func TestSampleBooksGolden(t *testing.T) {
	books := sampleBooks(t)
	p := newTestParser(t)
	n := 0
	for _, book := range books {
		if strings.EqualFold(filepath.Ext(book), ".pdf") {
			continue
		}
		n++
		t.Run(filepath.Base(book), func(t *testing.T) {
			out, err := p.File(context.Background(), book, document.Options{})
			if err != nil {
				t.Fatal(err)
			}
			out.ExtractedAt = time.Time{}
			got, _ := atomicfile.MarshalJSON(out)
			golden.Check(t, filepath.Join("testdata", "books", filepath.Base(book)+".golden.json"), got)
		})
	}
	if n == 0 {
		t.Skip("no sample books in " + booksDir)
	}
}

// TestSampleBooksGroundTruth checks every sample book, PDFs included,
// against examples/expected: the words a reader sees (<book>.txt), the
// invented terms (<book>.terms.txt) and the text that must stay out
// (<book>.absent.txt).
func TestSampleBooksGroundTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the PDF engine; skipped with -short")
	}
	books := sampleBooks(t)
	if len(books) == 0 {
		t.Skip("no sample books in " + booksDir)
	}
	expected := filepath.Join(booksDir, "..", "expected")
	p := newTestParser(t)
	for _, book := range books {
		name := filepath.Base(book)
		t.Run(name, func(t *testing.T) {
			out, err := p.File(context.Background(), book, document.Options{OCR: document.OCROff})
			if errors.Is(err, document.ErrNoText) {
				t.Skipf("a scan, and OCR is the OCR package's business: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			text := joined(out)
			lower := strings.ToLower(text)
			for _, term := range optionalLines(t, filepath.Join(expected, name+".terms.txt")) {
				if !strings.Contains(lower, strings.ToLower(term)) {
					t.Errorf("term %q missing", term)
				}
			}
			for _, s := range optionalLines(t, filepath.Join(expected, name+".absent.txt")) {
				if strings.Contains(text, s) {
					t.Errorf("%q must not be in the output", s)
				}
			}
			want := words(strings.Join(optionalLines(t, filepath.Join(expected, name+".txt")), "\n"))
			if len(want) == 0 {
				return
			}
			have := map[string]int{}
			for _, w := range words(text) {
				have[w]++
			}
			missing := 0
			var sample []string
			for _, w := range want {
				if have[w] > 0 {
					have[w]--
					continue
				}
				missing++
				if len(sample) < 15 {
					sample = append(sample, w)
				}
			}
			recall := 1 - float64(missing)/float64(len(want))
			t.Logf("word recall %.4f (%d words)", recall, len(want))
			if recall < 0.99 {
				t.Errorf("word recall %.4f < 0.99; missing e.g. %q", recall, sample)
			}
		})
	}
}

func optionalLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// words splits text into case-folded words (letters, digits, inner
// apostrophes and hyphens).
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
	})
}
