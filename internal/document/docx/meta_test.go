package docx

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

// TestCoreTitleCapped: a 5 MB core.xml title is cut to container.FieldRunes.
func TestCoreTitleCapped(t *testing.T) {
	huge := noise(1 << 20) // random letters: a repeated word would trip the ratio check
	doc := `-- word/document.xml --
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>The emberwright binds a salamander.</w:t></w:r></w:p></w:body></w:document>
-- docProps/core.xml --
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + huge + `</dc:title><dc:creator>` + huge + `</dc:creator></cp:coreProperties>
-- docProps/app.xml --
<Properties><Application>` + huge + `</Application></Properties>
`
	out, err := parse(doctest.Zip(t, txtar.Parse([]byte(doc))), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	m := out.Metadata
	for name, v := range map[string]string{"title": m.Title, "author": m.Author, "creator": m.Creator} {
		if n := utf8.RuneCountInString(v); n > container.FieldRunes || n == 0 {
			t.Errorf("%s is %d runes", name, n)
		}
	}
	if len(out.Content) == 0 || !strings.Contains(out.Content[0].Text, "salamander") {
		t.Errorf("text lost: %+v", out.Content)
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
