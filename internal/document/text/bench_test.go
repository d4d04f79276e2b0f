package text

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
)

// benchInput is a golden input repeated to about 1 MB, or with
// CORPORA_TEST_CORPUS set and a corpus file given, that file.
func benchInput(b *testing.B, golden, corpusFile string) []byte {
	if dir := os.Getenv("CORPORA_TEST_CORPUS"); dir != "" && corpusFile != "" {
		if data, err := os.ReadFile(filepath.Join(dir, corpusFile)); err == nil {
			return data
		}
	}
	data, err := os.ReadFile(filepath.Join("testdata/golden", golden))
	if err != nil {
		b.Fatal(err)
	}
	return bytes.Repeat(data, 1<<20/len(data)+1)
}

func benchParser(b *testing.B, p document.Parser, data []byte, name string) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Parse(context.Background(), document.Input{Name: name, Data: data}, document.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	benchParser(b, Markdown{}, benchInput(b, "spells.md", "srd/markdown/08_spellcasting.md"), "x.md")
}

func BenchmarkHTML(b *testing.B) {
	benchParser(b, HTML{}, benchInput(b, "page.html", ""), "x.html")
}

func BenchmarkPlain(b *testing.B) {
	benchParser(b, Plain{}, benchInput(b, "latin1.txt", "srd/markdown/11_monsters.md"), "x.txt")
}
