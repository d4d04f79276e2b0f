package cos

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// corpusPDFs lists the PDFs of the test corpus.
func corpusPDFs(t testing.TB) []string {
	dir := testcorpus.Dir(t)
	var files []string
	for _, sub := range []string{"pdf", filepath.Join("srd", "rendered")} {
		ents, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			continue
		}
		for _, e := range ents {
			if strings.EqualFold(filepath.Ext(e.Name()), ".pdf") {
				files = append(files, filepath.Join(dir, sub, e.Name()))
			}
		}
	}
	if len(files) == 0 {
		t.Skip("no PDFs in the corpus")
	}
	return files
}

// Page counts as pdfinfo gives them; files pdfinfo cannot read are absent.
var corpusPages = map[string]int{
	"ocrmypdf__3small.pdf":                         3,
	"ocrmypdf__cardinal.pdf":                       4,
	"pdfcpu__5116.DCT_Filter.pdf":                  52,
	"pdfcpu__TheGoProgrammingLanguageCh1.pdf":      59,
	"pdfcpu__adobe_errata.pdf":                     18,
	"pdfcpu__empty.pdf":                            1,
	"pdfjs__TAMReview.pdf":                         23,
	"pdfjs__tracemonkey.pdf":                       14,
	"pypdf__Seige_of_Vicksburg_Sample_OCR.pdf":     6,
	"pypdfsamples__mistitled_outlines_example.pdf": 4,
	"pypdfsamples__multicolumn.pdf":                3,
	"pypdfsamples__pdflatex-outline.pdf":           4,
	"qpdf__append-xref-loop.pdf":                   30,
	"pdfcpu__Paclitaxel.PDF":                       6,
	"srd_conditions.2col.pdf":                      2,
	"srd_conditions.libreoffice.pdf":               4,
	"srd_equipment.2col.pdf":                       13,
	"srd_legal.2col.pdf":                           2,
	"srd_legal.libreoffice.pdf":                    4,
	"srd_spellcasting.2col.pdf":                    82,
	"srd_spellcasting.libreoffice.pdf":             199,
	// Rebuilt by scanning: pdfinfo gives up, PDFium and pdf.js read them.
	"derived__pdflatex-4-pages_bad_startxref.pdf": 4,
}

// Encrypted corpus files.
var corpusEncrypted = map[string]bool{
	"pdfjs__empty_protected.pdf":                    true,
	"pypdf__r2-empty-password.pdf":                  true,
	"pypdf__r4-aes-user-password.pdf":               true,
	"pypdf__r5-empty-password.pdf":                  true,
	"pypdf__r6-owner-password.pdf":                  true,
	"pypdfsamples__libreoffice-writer-password.pdf": true,
	"pdfjs__issue3371.pdf":                          true,
}

func TestCorpus(t *testing.T) {
	for _, path := range corpusPDFs(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			f, err := Open(data, Limits{})
			if corpusEncrypted[name] {
				if !errors.Is(err, ErrEncrypted) {
					t.Errorf("Open = %v, want ErrEncrypted", err)
				}
				return
			}
			if err != nil {
				if _, ok := corpusPages[name]; ok {
					t.Fatalf("Open: %v", err)
				}
				t.Logf("Open: %v", err)
				return
			}
			pages, err := f.Pages()
			if err != nil {
				if _, ok := corpusPages[name]; ok {
					t.Fatalf("Pages: %v", err)
				}
				t.Logf("Pages: %v", err)
			}
			if want, ok := corpusPages[name]; ok && len(pages) != want {
				t.Errorf("%d pages, want %d", len(pages), want)
			}
			decoded, failed := 0, 0
			for _, p := range pages {
				for _, c := range contents(f, p) {
					if _, err := f.Decode(c); err != nil {
						failed++
						if failed < 3 {
							t.Logf("page %v contents: %v", p.Ref, err)
						}
					} else {
						decoded++
					}
				}
			}
			out := f.Outline(1000)
			_ = f.Info()
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
			t.Logf("%d pages, %d contents decoded, %d failed, %d bookmarks, repaired %v",
				len(pages), decoded, failed, len(out), f.Repaired())
		})
	}
}

// TestCorpusParallel reads the pages of each file from several goroutines
// at once, as the extractor does (run it with -race).
func TestCorpusParallel(t *testing.T) {
	for _, path := range corpusPDFs(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Open(data, Limits{})
		if err != nil {
			continue
		}
		pages, err := f.Pages()
		if err != nil {
			continue
		}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := g; i < len(pages); i += 4 {
					p := pages[i]
					for _, c := range contents(f, p) {
						_, _ = f.Decode(c)
					}
					for _, v := range f.Dict(p.Resources["Font"]) {
						fd := f.Dict(v)
						_ = f.Stream(f.Dict(fd["FontDescriptor"])["FontFile2"])
						_ = f.Stream(fd["ToUnicode"])
					}
				}
			}()
		}
		wg.Wait()
	}
}

// contents returns the content streams of a page.
func contents(f *File, p Page) []*Stream {
	c, err := f.Resolve(p.Dict["Contents"])
	if err != nil {
		return nil
	}
	switch v := c.(type) {
	case *Stream:
		return []*Stream{v}
	case Array:
		var out []*Stream
		for _, o := range v {
			if s := f.Stream(o); s != nil {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func BenchmarkOpen(b *testing.B) {
	var best string
	var size int64
	for _, p := range corpusPDFs(b) {
		if !strings.HasPrefix(filepath.Base(p), "srd_") {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.Size() > size {
			best, size = p, st.Size()
		}
	}
	if best == "" {
		b.Skip("no SRD PDF in the corpus")
	}
	data, err := os.ReadFile(best)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Open", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := Open(data, Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OpenPages", func(b *testing.B) {
		for b.Loop() {
			f, err := Open(data, Limits{})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := f.Pages(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OpenPagesDecode", func(b *testing.B) {
		for b.Loop() {
			f, err := Open(data, Limits{})
			if err != nil {
				b.Fatal(err)
			}
			pages, err := f.Pages()
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range pages {
				for _, c := range contents(f, p) {
					if _, err := f.Decode(c); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	})
}
