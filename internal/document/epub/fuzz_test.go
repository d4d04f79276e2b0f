package epub

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/doctest"
)

// FuzzParse feeds mutated EPUBs to the parser: it must return an Output or
// an error, never panic, and every block must hold valid UTF-8. Seeds are
// the golden books, zipped.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/golden/*.txtar")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(doctest.Zip(f, txtar.Parse(data)))
	}
	lim := document.Limits{MaxDecompressed: 8 << 20, MaxEntryBytes: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a bug too: crash, so the fuzzer keeps the input.
		timer := time.AfterFunc(10*time.Second, func() { panic("parse took more than 10s") })
		defer timer.Stop()
		out, err := Parser{}.Parse(context.Background(), document.Input{Name: "f.epub", Data: data}, document.Options{Limits: lim})
		if err != nil {
			return
		}
		for _, b := range out.Content {
			if b.Text == "" || !utf8.ValidString(b.Text) || b.Chapter < 1 || b.Chapter > out.Pages {
				t.Fatalf("bad block %+v (pages %d)", b, out.Pages)
			}
		}
	})
}
