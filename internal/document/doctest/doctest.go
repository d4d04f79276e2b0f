// Package doctest builds test documents: zip containers (EPUB, DOCX) from
// txtar archives (golang.org/x/tools/txtar), so the XML of a test book stays
// reviewable in diffs, and, for the hostile-input suites, zip files whose
// every header can lie, EPUB and DOCX skeletons, and PDFs written object by
// object. It is imported by tests only.
package doctest

import (
	"archive/zip"
	"bytes"
	"testing"

	"golang.org/x/tools/txtar"
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
