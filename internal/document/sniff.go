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
	// Encrypted is set for a password-protected Office document: OOXML
	// encrypted into an OLE2 container (Format is then "").
	Encrypted bool
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
		return Sniffed{Format: PDF, Kind: "PDF"}
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return sniffZip(ext, data)
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		return sniffOLE2(ext, data)
	case bytes.HasPrefix(head, []byte("\x89PNG")):
		return Sniffed{Format: "", Kind: "PNG image"}
	case bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")):
		return Sniffed{Format: "", Kind: "JPEG image"}
	case bytes.HasPrefix(head, []byte("GIF8")):
		return Sniffed{Format: "", Kind: "GIF image"}
	case bytes.HasPrefix(head, []byte("II*\x00")) || bytes.HasPrefix(head, []byte("MM\x00*")):
		return Sniffed{Format: "", Kind: "TIFF image"}
	case bytes.HasPrefix(head, []byte("RIFF")) && len(head) >= 12 && string(head[8:12]) == "WEBP":
		return Sniffed{Format: "", Kind: "WebP image"}
	case bytes.HasPrefix(head, []byte("\x1F\x8B")):
		return Sniffed{Format: "", Kind: "gzip archive"}
	case bytes.HasPrefix(head, []byte("Rar!")):
		return Sniffed{Format: "", Kind: "RAR archive"}
	case bytes.HasPrefix(head, []byte("7z\xBC\xAF")):
		return Sniffed{Format: "", Kind: "7z archive"}
	case bytes.HasPrefix(head, []byte("{\\rtf")):
		return Sniffed{Format: "", Kind: "RTF document"}
	}
	if !looksText(head) {
		if utf16NoBOM(head) {
			return Sniffed{Format: textFormat(ext), Kind: "UTF-16 text without a byte-order mark"}
		}
		return Sniffed{Format: "", Kind: "binary data"}
	}
	switch ext {
	case ".md", ".markdown", ".mdown", ".mkd":
		return Sniffed{Format: Markdown, Kind: "Markdown"}
	case ".html", ".htm", ".xhtml":
		return Sniffed{Format: HTML, Kind: "HTML"}
	case ".txt", ".text":
		return Sniffed{Format: Text, Kind: "plain text"}
	}
	l := bytes.ToLower(bytes.TrimLeft(head, "\ufeff \t\r\n"))
	if bytes.HasPrefix(l, []byte("<!doctype html")) || bytes.HasPrefix(l, []byte("<html")) {
		return Sniffed{Format: HTML, Kind: "HTML"}
	}
	return Sniffed{Format: Text, Kind: "plain text"}
}

// encryptionInfo is the name of the stream an encrypted OOXML package keeps
// its key data in, as it appears (UTF-16LE) in the OLE2 directory.
var encryptionInfo = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00")

func sniffOLE2(ext string, data []byte) Sniffed {
	word := ext == ".docx" || ext == ".docm" || ext == ".doc"
	switch {
	case bytes.Contains(data, encryptionInfo) && word:
		return Sniffed{Kind: "encrypted Word document (OLE2 container)", Encrypted: true}
	case bytes.Contains(data, encryptionInfo):
		return Sniffed{Kind: "encrypted Office document (OLE2 container)", Encrypted: true}
	case word:
		return Sniffed{Kind: "legacy Word 97-2003 document (OLE2 container, not a zip)"}
	}
	return Sniffed{Kind: "OLE2 compound document (legacy Office file)"}
}

func sniffZip(ext string, data []byte) Sniffed {
	// The OCF mimetype entry comes first in a conforming EPUB; Word packages name
	// word/document.xml somewhere in the central directory.
	if bytes.Contains(data[:min(len(data), 200)], []byte("application/epub+zip")) {
		return Sniffed{Format: EPUB, Kind: "EPUB"}
	}
	hasWord := bytes.Contains(data, []byte("word/document.xml")) || bytes.Contains(data, []byte("word/document2.xml"))
	hasOPF := bytes.Contains(data, []byte("META-INF/container.xml")) || bytes.Contains(data, []byte(".opf"))
	switch {
	case hasWord && !hasOPF:
		return Sniffed{Format: DOCX, Kind: "DOCX"}
	case hasOPF && !hasWord:
		return Sniffed{Format: EPUB, Kind: "EPUB"}
	case ext == ".docx":
		return Sniffed{Format: DOCX, Kind: "DOCX"}
	case ext == ".epub":
		return Sniffed{Format: EPUB, Kind: "EPUB"}
	}
	return Sniffed{Format: "", Kind: "zip archive"}
}

// textFormat picks the text format by extension (plain text by default).
func textFormat(ext string) Format {
	switch ext {
	case ".md", ".markdown", ".mdown", ".mkd":
		return Markdown
	case ".html", ".htm", ".xhtml":
		return HTML
	}
	return Text
}

// utf16NoBOM recognises UTF-16 text without a byte-order mark: in most
// code units one byte is zero and the other is not, always on the same side
// (container.UTF16Order decodes it).
func utf16NoBOM(b []byte) bool {
	b = b[:len(b)&^1]
	pairs := len(b) / 2
	if pairs < 4 {
		return false
	}
	le, be := 0, 0
	for i := 0; i+1 < len(b); i += 2 {
		switch {
		case b[i] != 0 && b[i+1] == 0:
			le++
		case b[i] == 0 && b[i+1] != 0:
			be++
		}
	}
	return le*10 >= pairs*7 || be*10 >= pairs*7
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
