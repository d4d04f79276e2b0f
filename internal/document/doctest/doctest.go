// Package doctest builds zip-container test documents (EPUB, DOCX) from
// txtar text, so the XML of a test book stays reviewable in diffs. It is
// imported by tests only.
package doctest

import (
	"archive/zip"
	"bytes"
	"os"
	"testing"
)

// File is one file of a txtar archive.
type File struct {
	Name string
	Data []byte
}

// Archive is a parsed txtar archive: a comment, then files, each starting
// with a "-- name --" line (the golang.org/x/tools/txtar format).
type Archive struct{ Files []File }

// ParseTxtar parses txtar text; the leading comment is dropped.
func ParseTxtar(data []byte) *Archive {
	ar := &Archive{}
	var cur *File
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		trim := bytes.TrimRight(line, "\r\n")
		if bytes.HasPrefix(trim, []byte("-- ")) && bytes.HasSuffix(trim, []byte(" --")) && len(trim) > 6 {
			ar.Files = append(ar.Files, File{Name: string(trim[3 : len(trim)-3])})
			cur = &ar.Files[len(ar.Files)-1]
			continue
		}
		if cur != nil {
			cur.Data = append(cur.Data, line...)
		}
	}
	return ar
}

// ParseTxtarFile reads and parses a txtar file.
func ParseTxtarFile(name string) (*Archive, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return ParseTxtar(data), nil
}

// Zip packs ar into a zip container in file order: an entry named
// "mimetype" is stored with its white space trimmed, as EPUB's OCF
// requires; every other entry is deflated.
func Zip(t testing.TB, ar *Archive) []byte {
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
