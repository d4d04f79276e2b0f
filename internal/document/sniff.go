package document

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Sniffed is what content sniffing found.
type Sniffed struct {
	Format Format // "" when the content is not a supported format
	Kind   string // human name of what was found, e.g. "PNG image", "encrypted OOXML (OLE2)"
}

// Sniff decides the format from the content, using the file name only to tell
// the text formats (plain, Markdown, HTML) apart and zip packages apart when
// their content is ambiguous. A PNG named .pdf is reported as a PNG.
func Sniff(name string, data []byte) Sniffed {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		return Sniffed{PDF, "PDF"}
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return sniffZip(ext, data)
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		if ext == ".docx" {
			return Sniffed{"", "encrypted or legacy Word document (OLE2 container, not a zip)"}
		}
		return Sniffed{"", "OLE2 compound document (legacy Office or encrypted OOXML)"}
	case bytes.HasPrefix(head, []byte("\x89PNG")):
		return Sniffed{"", "PNG image"}
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return Sniffed{"", "JPEG image"}
	case bytes.HasPrefix(head, []byte("GIF8")):
		return Sniffed{"", "GIF image"}
	case bytes.HasPrefix(head, []byte("II*\x00")) || bytes.HasPrefix(head, []byte("MM\x00*")):
		return Sniffed{"", "TIFF image"}
	case bytes.HasPrefix(head, []byte("RIFF")) && len(head) >= 12 && string(head[8:12]) == "WEBP":
		return Sniffed{"", "WebP image"}
	case bytes.HasPrefix(head, []byte("\x1F\x8B")):
		return Sniffed{"", "gzip archive"}
	case bytes.HasPrefix(head, []byte("Rar!")):
		return Sniffed{"", "RAR archive"}
	case bytes.HasPrefix(head, []byte("7z\xBC\xAF")):
		return Sniffed{"", "7z archive"}
	case bytes.HasPrefix(head, []byte("{\\rtf")):
		return Sniffed{"", "RTF document"}
	}
	if !looksText(head) {
		return Sniffed{"", "binary data"}
	}
	switch ext {
	case ".md", ".markdown", ".mdown", ".mkd":
		return Sniffed{Markdown, "Markdown"}
	case ".html", ".htm", ".xhtml":
		return Sniffed{HTML, "HTML"}
	case ".txt", ".text":
		return Sniffed{Text, "plain text"}
	}
	l := bytes.ToLower(bytes.TrimLeft(head, "\ufeff \t\r\n"))
	if bytes.HasPrefix(l, []byte("<!doctype html")) || bytes.HasPrefix(l, []byte("<html")) {
		return Sniffed{HTML, "HTML"}
	}
	return Sniffed{Text, "plain text"}
}

func sniffZip(ext string, data []byte) Sniffed {
	// The OCF mimetype entry comes first in a conforming EPUB; Word packages name
	// word/document.xml somewhere in the central directory.
	if bytes.Contains(data[:min(len(data), 200)], []byte("application/epub+zip")) {
		return Sniffed{EPUB, "EPUB"}
	}
	hasWord := bytes.Contains(data, []byte("word/document.xml")) || bytes.Contains(data, []byte("word/document2.xml"))
	hasOPF := bytes.Contains(data, []byte("META-INF/container.xml")) || bytes.Contains(data, []byte(".opf"))
	switch {
	case hasWord && !hasOPF:
		return Sniffed{DOCX, "DOCX"}
	case hasOPF && !hasWord:
		return Sniffed{EPUB, "EPUB"}
	case ext == ".docx":
		return Sniffed{DOCX, "DOCX"}
	case ext == ".epub":
		return Sniffed{EPUB, "EPUB"}
	}
	return Sniffed{"", "zip archive"}
}

// looksText reports whether b is mostly text: valid UTF-8 (or Latin-1 free of
// control bytes) with no NULs.
func looksText(b []byte) bool {
	if len(b) == 0 {
		return true
	}
	if bytes.HasPrefix(b, []byte("\xFF\xFE")) || bytes.HasPrefix(b, []byte("\xFE\xFF")) {
		return true // UTF-16 with BOM; the text parser decodes it
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	ctrl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctrl++
		}
	}
	if ctrl*20 > len(b) {
		return false
	}
	// Allow a truncated rune at the end of the sniff window.
	if !utf8.Valid(b) && !utf8.Valid(b[:max(0, len(b)-3)]) {
		// Latin-1 text is still text.
		return true
	}
	return true
}
