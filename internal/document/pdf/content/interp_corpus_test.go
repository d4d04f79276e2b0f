package content

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// corpusPDFs returns the corpus's PDF files.
func corpusPDFs(t testing.TB) []string {
	dir := testcorpus.Dir(t)
	var files []string
	for _, pat := range []string{"pdf/*.pdf", "pdf/*.PDF", "srd/rendered/*.pdf"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	sort.Strings(files)
	return files
}

// pageContent returns a page's /Contents decoded and joined with spaces.
func pageContent(f *cos.File, p cos.Page) ([]byte, error) {
	c, err := f.Resolve(p.Dict["Contents"])
	if err != nil {
		return nil, err
	}
	var streams []*cos.Stream
	switch v := c.(type) {
	case *cos.Stream:
		streams = append(streams, v)
	case cos.Array:
		for _, o := range v {
			if s := f.Stream(o); s != nil {
				streams = append(streams, s)
			}
		}
	}
	var out []byte
	for _, s := range streams {
		b, err := f.Decode(s)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
		out = append(out, ' ')
	}
	return out, nil
}

// TestRunCorpus interprets every page of the corpus's PDFs: no panics, no
// error beyond the documented ones, and a summary of what the fast path
// refuses and how long pages take.
func TestRunCorpus(t *testing.T) {
	files := corpusPDFs(t)
	reasons := map[string]int{}
	var pages, ok, glyphs int
	var total time.Duration
	var slowest time.Duration
	var slowestPage string
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := cos.Open(data, cos.Limits{})
		if err != nil {
			continue // encrypted or damaged: not this package's business
		}
		ps, err := f.Pages()
		if err != nil {
			continue
		}
		fonts := NewFontCache()
		for i, p := range ps {
			content, err := pageContent(f, p)
			if err != nil {
				reasons["contents: "+firstWords(err.Error())]++
				continue
			}
			pages++
			start := time.Now()
			pg, err := Run(context.Background(), f, fonts, p.Resources, content, p.CropBox, Limits{})
			d := time.Since(start)
			total += d
			if d > slowest {
				slowest, slowestPage = d, filepath.Base(path)+" p"+itoa(i+1)
			}
			switch {
			case err == nil:
				ok++
				glyphs += len(pg.Glyphs)
			case errors.Is(err, ErrUnsupported), errors.Is(err, ErrLimit):
				reasons[firstWords(err.Error())]++
				if testing.Verbose() {
					t.Logf("%s p%d: %v", filepath.Base(path), i+1, err)
				}
			default:
				t.Errorf("%s p%d: undocumented error %v", filepath.Base(path), i+1, err)
			}
		}
	}
	t.Logf("%d files, %d pages: %d read (%d glyphs), %v in Run (%v/page), slowest %v (%s)",
		len(files), pages, ok, glyphs, total, total/time.Duration(max(pages, 1)), slowest, slowestPage)
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return reasons[b] - reasons[a] })
	for _, k := range keys {
		t.Logf("%5d  %s", reasons[k], k)
	}
}

// firstWords shortens an error message to its kind, for the summary.
func firstWords(s string) string {
	// Drop the font or object names that make every message unique.
	w := strings.Fields(s)
	var keep []string
	for _, x := range w {
		if strings.HasPrefix(x, "/") || strings.ContainsAny(x, "0123456789[]\"") {
			continue
		}
		keep = append(keep, x)
		if len(keep) == 12 {
			break
		}
	}
	return strings.Join(keep, " ")
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// BenchmarkRunCorpus interprets every readable page of the SRD renderings.
func BenchmarkRunCorpus(b *testing.B) {
	type page struct {
		f       *cos.File
		fonts   *FontCache
		p       cos.Page
		content []byte
	}
	var pages []page
	var glyphs int
	for _, path := range corpusPDFs(b) {
		if !strings.Contains(path, "srd/rendered") {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		f, err := cos.Open(data, cos.Limits{})
		if err != nil {
			continue
		}
		ps, _ := f.Pages()
		fonts := NewFontCache()
		for _, p := range ps {
			c, err := pageContent(f, p)
			if err != nil {
				continue
			}
			pg, err := Run(context.Background(), f, fonts, p.Resources, c, p.CropBox, Limits{})
			if err != nil {
				continue
			}
			glyphs += len(pg.Glyphs)
			pages = append(pages, page{f, fonts, p, c})
		}
	}
	if len(pages) == 0 {
		b.Skip("no readable pages")
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			if _, err := Run(context.Background(), p.f, p.fonts, p.p.Resources, p.content, p.p.CropBox, Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
	b.ReportMetric(float64(glyphs)/float64(len(pages)), "glyphs/page")
}
