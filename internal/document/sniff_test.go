package document

import (
	"archive/zip"
	"bytes"
	"testing"
)

func zipWith(t testing.TB, names ...string) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, n := range names {
		method := zip.Deflate
		if n == "mimetype" {
			method = zip.Store
		}
		f, _ := w.CreateHeader(&zip.FileHeader{Name: n, Method: method})
		if n == "mimetype" {
			f.Write([]byte("application/epub+zip"))
		} else {
			f.Write([]byte("<x/>"))
		}
	}
	w.Close()
	return buf.Bytes()
}

func TestSniff(t *testing.T) {
	ole := append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 100)...)
	oleEnc := append(append([]byte{}, ole...), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00")...)
	tests := []struct {
		name      string
		data      []byte
		format    Format
		kind      string
		encrypted bool
	}{
		{"a.pdf", []byte("%PDF-1.7\n..."), PDF, "PDF", false},
		{"junk-before-header.pdf", []byte("\x00\x00garbage%PDF-1.4"), PDF, "PDF", false},
		{"scan.pdf", []byte("\x89PNG\r\n\x1a\n"), "", "PNG image", false},
		{"a.epub", zipWith(t, "mimetype", "META-INF/container.xml", "OEBPS/content.opf"), EPUB, "EPUB", false},
		{"no-mimetype.epub", zipWith(t, "META-INF/container.xml", "x.opf"), EPUB, "EPUB", false},
		{"a.docx", zipWith(t, "[Content_Types].xml", "word/document.xml"), DOCX, "DOCX", false},
		{"word-renamed.epub", zipWith(t, "[Content_Types].xml", "word/document.xml"), DOCX, "DOCX", false},
		{"other.zip", zipWith(t, "a.txt"), "", "zip archive", false},
		{"secret.docx", oleEnc, "", "encrypted Word document (OLE2 container)", true},
		{"secret.xlsx", oleEnc, "", "encrypted Office document (OLE2 container)", true},
		{"old.doc", ole, "", "legacy Word 97-2003 document (OLE2 container, not a zip)", false},
		{"a.md", []byte("# Title\n"), Markdown, "Markdown", false},
		{"a.HTM", []byte("<p>x</p>"), HTML, "HTML", false},
		{"noext", []byte("<!doctype html><html>"), HTML, "HTML", false},
		{"noext.txt", []byte("caf\xe9 latin-1"), Text, "plain text", false},
		{"utf16.txt", []byte("\xFF\xFEh\x00i\x00"), Text, "plain text", false},
		{"binary.txt", []byte("\x00\x01\x02\x03binary"), "", "binary data", false},
		{"a.jpg", []byte("\xFF\xD8\xFF\xE0"), "", "JPEG image", false},
		{"a.gz", []byte("\x1F\x8B\x08"), "", "gzip archive", false},
		{"empty.txt", nil, Text, "plain text", false},
	}
	for _, tc := range tests {
		got := Sniff(tc.name, tc.data)
		if got.Format != tc.format || got.Kind != tc.kind || got.Encrypted != tc.encrypted {
			t.Errorf("Sniff(%s) = %+v, want %q %q encrypted=%v", tc.name, got, tc.format, tc.kind, tc.encrypted)
		}
	}
}

// FuzzSniff checks that Sniff never panics and always names what it found.
func FuzzSniff(f *testing.F) {
	f.Add("a.pdf", []byte("%PDF-1.7"))
	f.Add("a.epub", zipWith(f, "mimetype", "a.opf"))
	f.Add("a.docx", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
	f.Add("a.md", []byte("# x"))
	f.Add("x", []byte("\xFF\xFE\x00"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		s := Sniff(name, data)
		if s.Kind == "" {
			t.Fatalf("Sniff(%q) gave no kind", name)
		}
		if s.Encrypted && s.Format != "" {
			t.Fatalf("encrypted with a format: %+v", s)
		}
	})
}

func TestSniffUTF16WithoutBOM(t *testing.T) {
	s := Sniff("notes.txt", []byte("T\x00h\x00e\x00 \x00A\x00s\x00h\x00e\x00n\x00"))
	if s.Format != Text || s.Kind != "UTF-16 text without a byte-order mark" {
		t.Errorf("got %+v", s)
	}
}
