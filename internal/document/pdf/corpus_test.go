package pdf

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/corpora-tools/corpora/internal/document"

	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// sharedParser is one parser for a test binary's corpus tests, so the
// WebAssembly runtime starts once.
func newTestParser(t testing.TB, instances int) *Parser {
	t.Helper()
	p, err := NewParser(Config{Instances: instances})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func parseFile(t testing.TB, p *Parser, path string, opts document.Options) (*document.Output, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return p.Parse(context.Background(), document.Input{Name: path, Data: data}, opts)
}

func allText(out *document.Output) string {
	var sb strings.Builder
	for _, b := range out.Content {
		sb.WriteString(b.Text)
		sb.WriteByte('\n')
	}
	return sb.String()
}

// containsWord reports whether term occurs in text as whole words,
// casefolded; text must already be casefolded.
func containsWord(text, term string) bool {
	term = strings.ToLower(term)
	for from := 0; ; {
		i := strings.Index(text[from:], term)
		if i < 0 {
			return false
		}
		i += from
		j := i + len(term)
		before := i == 0 || !isWordByte(text, i-1, true)
		after := j >= len(text) || !isWordByte(text, j, false)
		if before && after {
			return true
		}
		from = i + 1
	}
}

func isWordByte(s string, i int, back bool) bool {
	var r rune
	if back {
		r = []rune(s[:i+1])[len([]rune(s[:i+1]))-1]
	} else {
		r = []rune(s[i:])[0]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// recall is the share of gold terms found as whole words.
func recall(text string, gold []string) (float64, []string) {
	text = strings.ToLower(text)
	var missing []string
	for _, g := range gold {
		if !containsWord(text, g) {
			missing = append(missing, g)
		}
	}
	if len(gold) == 0 {
		return 1, nil
	}
	return 1 - float64(len(missing))/float64(len(gold)), missing
}

// TestCorpusRecall checks gold-term recall on the rendered SRD PDFs.
func TestCorpusRecall(t *testing.T) {
	dir := testcorpus.Dir(t)
	p := newTestParser(t, 2)
	pdfs, _ := filepath.Glob(filepath.Join(dir, "srd", "rendered", "*.pdf"))
	if len(pdfs) == 0 {
		t.Fatal("no rendered SRD PDFs in the corpus")
	}
	for _, path := range pdfs {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			out, err := parseFile(t, p, path, document.Options{OCR: document.OCROff})
			if err != nil {
				t.Fatal(err)
			}
			gold := testcorpus.Lines(t, filepath.Join(dir, "srd", "gold", "per-document", name+".txt"))
			r, missing := recall(allText(out), gold)
			t.Logf("%s: recall %.3f (%d gold terms, %d pages)", name, r, len(gold), out.Pages)
			if r < 0.95 {
				t.Errorf("%s: recall %.3f < 0.95; missing %q", name, r, missing)
			}
		})
	}
}

// TestCorpusAllPDFs parses every PDF of the corpus: each must parse or fail
// with one line wrapping a sentinel, within its bound.
func TestCorpusAllPDFs(t *testing.T) {
	dir := testcorpus.Dir(t)
	p := newTestParser(t, 1)
	pdfs, _ := filepath.Glob(filepath.Join(dir, "pdf", "*"))
	for _, path := range pdfs {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".txt") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			lim := document.DefaultLimits()
			lim.Timeout = 60 * time.Second
			t0 := time.Now()
			out, err := parseFile(t, p, path, document.Options{OCR: document.OCROff, Limits: lim})
			d := time.Since(t0)
			if d > lim.Timeout+5*time.Second {
				t.Errorf("took %v, bound %v", d, lim.Timeout)
			}
			if err != nil {
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("multi-line error: %q", err)
				}
				known := false
				for _, s := range []error{document.ErrEncrypted, document.ErrMalformed, document.ErrLimit, document.ErrTimeout, document.ErrNoText} {
					known = known || errors.Is(err, s)
				}
				if !known {
					t.Errorf("error wraps no sentinel: %v", err)
				}
				t.Logf("%s: %v (%v)", name, err, d.Round(time.Millisecond))
				return
			}
			t.Logf("%s: %d pages, %d blocks, %d warnings (%v)", name, out.Pages, len(out.Content), len(out.Warnings), d.Round(time.Millisecond))
		})
	}
}

// TestCorpusPasswords opens the encrypted files of MANIFEST.md's table.
func TestCorpusPasswords(t *testing.T) {
	dir := testcorpus.Dir(t)
	p := newTestParser(t, 1)
	tests := []struct {
		file, password string
	}{
		{"pypdfsamples__libreoffice-writer-password.pdf", "openpassword"},
		{"pypdfsamples__libreoffice-writer-password.pdf", "permissionpassword"},
		{"pdfjs__issue3371.pdf", "ELXRTQWS"},
		{"pdfjs__empty_protected.pdf", ""},
		{"pypdf__r2-empty-password.pdf", ""},
		{"pypdf__r5-empty-password.pdf", ""},
		{"pypdf__r4-aes-user-password.pdf", "asdfzxcv"},
		{"pypdf__r6-owner-password.pdf", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.password, func(t *testing.T) {
			out, err := parseFile(t, p, filepath.Join(dir, "pdf", tt.file), document.Options{OCR: document.OCROff, Password: tt.password})
			if err != nil && !errors.Is(err, document.ErrNoText) {
				t.Fatalf("%s: %v", tt.file, err)
			}
			if out != nil && !out.Metadata.Encrypted {
				t.Errorf("%s: metadata.encrypted not set", tt.file)
			}
		})
	}
	for _, tt := range []struct{ file, password, want string }{
		{"pypdf__r4-aes-user-password.pdf", "", "password required"},
		{"pypdf__r4-aes-user-password.pdf", "wrong", "wrong password"},
		{"pdfjs__bug1782186.pdf", "", "password required"},
		// Neither PDFium nor poppler implement this file's unusual V4/R4
		// security handler: the right password still reads as wrong.
		{"pdfjs__bug1782186.pdf", "Hello", "password"},
	} {
		_, err := parseFile(t, p, filepath.Join(dir, "pdf", tt.file), document.Options{OCR: document.OCROff, Password: tt.password})
		if !errors.Is(err, document.ErrEncrypted) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s with %q: err = %v, want ErrEncrypted %q", tt.file, tt.password, err, tt.want)
		}
	}
}
