package epub

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
	"github.com/corpora-tools/corpora/internal/document/doctest"
)

// TestMetadataCapped: a 5 MB dc:title, a huge creator list and a huge TOC
// label are cut to container.FieldRunes; the chapter text is still read.
func TestMetadataCapped(t *testing.T) {
	huge := noise(1 << 20) // random letters: a repeated word would trip the ratio check
	book := "-- mimetype --\napplication/epub+zip\n" +
		"-- META-INF/container.xml --\n<container><rootfiles><rootfile full-path=\"p.opf\"/></rootfiles></container>\n" +
		"-- p.opf --\n<package><metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" + huge + "</dc:title>" +
		strings.Repeat("<dc:creator>Some Author Name</dc:creator>", 5000) + "<dc:subject>" + huge + "</dc:subject></metadata>" +
		"<manifest><item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/><item id=\"c1\" href=\"c1.xhtml\" media-type=\"application/xhtml+xml\"/></manifest>" +
		"<spine><itemref idref=\"c1\"/></spine></package>\n" +
		"-- nav.xhtml --\n<html><body><nav epub:type=\"toc\"><ol><li><a href=\"c1.xhtml\">" + huge + "</a></li></ol></nav></body></html>\n" +
		"-- c1.xhtml --\n<html><body><p>The emberwright binds a salamander.</p></body></html>\n"
	out, err := parse(doctest.Zip(t, txtar.Parse([]byte(book))), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	m := out.Metadata
	for name, v := range map[string]string{"title": m.Title, "author": m.Author, "subject": m.Subject} {
		if n := utf8.RuneCountInString(v); n > container.FieldRunes || n == 0 {
			t.Errorf("%s is %d runes", name, n)
		}
	}
	for _, e := range m.TOC {
		if n := utf8.RuneCountInString(e.Title); n > container.FieldRunes {
			t.Errorf("TOC title is %d runes", n)
		}
	}
	if !strings.HasSuffix(m.Title, "…") {
		t.Errorf("title cut without an ellipsis: ...%q", m.Title[max(0, len(m.Title)-20):])
	}
	if len(out.Content) == 0 || !strings.Contains(out.Content[len(out.Content)-1].Text, "salamander") {
		t.Errorf("chapter text lost: %+v", out.Content)
	}
}

// noise is n bytes of pseudo-random lowercase words.
func noise(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		if c := r.IntN(27); c == 26 {
			b[i] = ' '
		} else {
			b[i] = byte('a' + c)
		}
	}
	return string(b)
}
