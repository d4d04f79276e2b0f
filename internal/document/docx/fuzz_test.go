package docx

import (
	"context"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/doctest"
)

// FuzzParse feeds mutated DOCX packages to the parser: an Output or an
// error, never a panic or a hang, and valid UTF-8 in every block.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/golden/*.txtar")
	for _, name := range files {
		f.Add(doctest.ZipFile(f, name))
	}
	lim := document.Limits{MaxDecompressed: 8 << 20, MaxEntryBytes: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a bug too: crash, so the fuzzer keeps the input.
		timer := time.AfterFunc(10*time.Second, func() { panic("parse took more than 10s") })
		defer timer.Stop()
		out, err := Parser{}.Parse(context.Background(), document.Input{Name: "f.docx", Data: data}, document.Options{Limits: lim})
		if err != nil {
			return
		}
		for _, b := range out.Content {
			if b.Text == "" || !utf8.ValidString(b.Text) {
				t.Fatalf("bad block %+v", b)
			}
		}
	})
}

// FuzzDocumentXML fuzzes the document part alone, where the walker's state
// machine (fields, tables, alternate content) lives.
func FuzzDocumentXML(f *testing.F) {
	ar, err := txtar.ParseFile("testdata/golden/transitional.txtar")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range ar.Files {
		if file.Name == "word/document.xml" {
			f.Add(file.Data)
		}
	}
	f.Add([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:fldChar w:fldCharType="separate"/><w:t>x</w:t></w:r></w:p><w:tbl><w:tc><w:p><w:t>y`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		w := newWalker(context.Background(), nil, false, 0)
		_ = w.walk(doc, document.Limits{})
		for _, b := range w.blocks {
			if b.Text == "" || !utf8.ValidString(b.Text) {
				t.Fatalf("bad block %+v", b)
			}
		}
	})
}

// FuzzDecrypt feeds mutated OLE2 containers to the encrypted-package path
// (the compound-file reader and the agile key derivation): errors only,
// never a panic or a hang. The seed is a minimal compound file whose
// directory names the two streams of an encrypted package.
func FuzzDecrypt(f *testing.F) {
	f.Add(minimalCFB())
	f.Fuzz(func(t *testing.T, data []byte) {
		timer := time.AfterFunc(10*time.Second, func() { panic("decrypt took more than 10s") })
		defer timer.Stop()
		_, _ = decryptOOXML(data, "pass")
	})
}
