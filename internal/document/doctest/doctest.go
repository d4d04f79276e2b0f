// Package doctest builds test documents: zip containers (EPUB, DOCX) from
// txtar archives (golang.org/x/tools/txtar), so the XML of a test book stays
// reviewable in diffs, and, for the hostile-input suites, zip files whose
// every header can lie, EPUB and DOCX skeletons, and PDFs written object by
// object. It is imported by tests only.
package doctest

import (
	"archive/zip"
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/testutil/golden"
)

// Zip packs ar into a zip container in file order: an entry named
// "mimetype" is stored with its white space trimmed, as EPUB's OCF
// requires; every other entry is deflated.
func Zip(t testing.TB, ar *txtar.Archive) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range ar.Files {
		method := zip.Deflate
		data := f.Data
		if f.Name == "mimetype" {
			method = zip.Store
			data = bytes.TrimSpace(data)
		}
		fw, err := w.CreateHeader(&zip.FileHeader{Name: f.Name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ZipFile reads the txtar archive at path and packs it with Zip.
func ZipFile(t testing.TB, path string) []byte {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Zip(t, ar)
}

// Golden parses each testdata/golden/*.txtar, packed with Zip, and checks
// its JSON against the .golden.json beside it (golden.Check: -update
// rewrites them).
func Golden(t *testing.T, parse func(data []byte) (*document.Output, error)) {
	t.Helper()
	files, _ := filepath.Glob("testdata/golden/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden inputs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out, err := parse(ZipFile(t, f))
			if err != nil {
				t.Fatal(err)
			}
			got, err := atomicfile.MarshalJSON(out)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, strings.TrimSuffix(f, ".txtar")+".golden.json", got)
		})
	}
}
