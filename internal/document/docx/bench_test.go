package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
)

// BenchmarkParse parses a synthetic document of 5,000 paragraphs; MB/s
// counts the decompressed bytes.
func BenchmarkParse(b *testing.B) {
	benchDocument(b, syntheticDocument(b, 5000))
}

// BenchmarkCorpus parses the rendered SRD spellcasting chapter when
// CORPORA_TEST_CORPUS is set.
func BenchmarkCorpus(b *testing.B) {
	dir := os.Getenv("CORPORA_TEST_CORPUS")
	if dir == "" {
		b.Skip("CORPORA_TEST_CORPUS not set")
	}
	data, err := os.ReadFile(filepath.Join(dir, "srd/rendered/srd_spellcasting.docx"))
	if err != nil {
		b.Skip(err)
	}
	benchDocument(b, data)
}

func benchDocument(b *testing.B, data []byte) {
	b.SetBytes(unzippedSize(b, data))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (Parser{}).Parse(context.Background(), document.Input{Name: "b.docx", Data: data}, document.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// unzippedSize is the package's decompressed size: MB/s counts the XML the
// parser reads, not the compressed bytes.
func unzippedSize(b *testing.B, data []byte) int64 {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, f := range zr.File {
		n += int64(f.UncompressedSize64)
	}
	return n
}
