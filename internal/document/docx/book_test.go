package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// bookDOCX writes a Markdown chapter as a word processor user sets a
// sourcebook: "#" to "###" as Heading 1-3, deeper headings (an entry's name)
// as a plain paragraph in bold, *italic* paragraphs (type lines) with w:i,
// **bold** and ***both*** runs (run-in labels), "| a | b |" rows as a
// table, "- item" as a numbered paragraph.
func bookDOCX(t testing.TB, md string) []byte {
	t.Helper()
	var body strings.Builder
	lines := strings.Split(md, "\n")
	inTable := false
	for _, ln := range lines {
		ln = strings.TrimSpace(ln)
		if inTable && !strings.HasPrefix(ln, "|") {
			body.WriteString("</w:tbl>")
			inTable = false
		}
		switch {
		case ln == "" || strings.Trim(ln, "=-") == "":
		case strings.HasPrefix(ln, "#"):
			level := len(ln) - len(strings.TrimLeft(ln, "#"))
			text := strings.TrimSpace(ln[level:])
			if level <= 3 {
				body.WriteString(`<w:p><w:pPr><w:pStyle w:val="Heading` + string(rune('0'+level)) + `"/></w:pPr>` + run(text, true, false) + `</w:p>`)
			} else {
				body.WriteString(`<w:p>` + run(text, true, false) + `</w:p>`)
			}
		case strings.HasPrefix(ln, "|"):
			if strings.Trim(ln, "|-: ") == "" {
				continue
			}
			if !inTable {
				body.WriteString("<w:tbl>")
				inTable = true
			}
			body.WriteString("<w:tr>")
			for c := range strings.SplitSeq(strings.Trim(ln, "|"), "|") {
				body.WriteString(`<w:tc><w:p>` + runs(strings.TrimSpace(c)) + `</w:p></w:tc>`)
			}
			body.WriteString("</w:tr>")
		case strings.HasPrefix(ln, "- ") || strings.HasPrefix(ln, "* "):
			body.WriteString(`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>` + runs(ln[2:]) + `</w:p>`)
		default:
			body.WriteString(`<w:p>` + runs(ln) + `</w:p>`)
		}
	}
	if inTable {
		body.WriteString("</w:tbl>")
	}
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/styles.xml": `<?xml version="1.0"?><w:styles ` + w + `><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
			`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:rPr><w:b/></w:rPr></w:style>` +
			`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:rPr><w:b/></w:rPr></w:style>` +
			`<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:rPr><w:b/></w:rPr></w:style></w:styles>`,
		"word/document.xml": `<?xml version="1.0"?><w:document ` + w + `><w:body>` + body.String() + `</w:body></w:document>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/styles.xml", "word/document.xml"} {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// run is one w:r.
func run(text string, bold, italic bool) string {
	var sb strings.Builder
	sb.WriteString("<w:r>")
	if bold || italic {
		sb.WriteString("<w:rPr>")
		if bold {
			sb.WriteString("<w:b/>")
		}
		if italic {
			sb.WriteString("<w:i/>")
		}
		sb.WriteString("</w:rPr>")
	}
	sb.WriteString(`<w:t xml:space="preserve">`)
	_ = xml.EscapeText(&sb, []byte(text))
	sb.WriteString("</w:t></w:r>")
	return sb.String()
}

// runs turns Markdown emphasis into runs: *, ** and *** toggle italic,
// bold and both.
func runs(s string) string {
	var sb, cur strings.Builder
	bold, italic := false, false
	flush := func() {
		if cur.Len() > 0 {
			sb.WriteString(run(cur.String(), bold, italic))
			cur.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "***"):
			flush()
			bold, italic = !bold, !italic
			i += 3
		case strings.HasPrefix(s[i:], "**"):
			flush()
			bold = !bold
			i += 2
		case s[i] == '*':
			flush()
			italic = !italic
			i++
		default:
			cur.WriteByte(s[i])
			i++
		}
	}
	flush()
	return sb.String()
}

// TestBookStyleNames sets SRD chapters as a word processor user would and
// checks that the entries' names come out as name blocks with their type
// lines apart, never glued.
func TestBookStyleNames(t *testing.T) {
	dir := testcorpus.Dir(t)
	for _, ch := range []struct{ md, gold string }{
		{"08_spellcasting.md", "spells.txt"},
		{"10_magic_items.md", "magic_items.txt"},
		{"11_monsters.md", "monsters.txt"},
	} {
		t.Run(ch.md, func(t *testing.T) {
			md, err := os.ReadFile(filepath.Join(dir, "srd", "markdown", ch.md))
			if err != nil {
				t.Fatal(err)
			}
			out, err := parse(bookDOCX(t, string(md)), document.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			entries := headed(string(md), testcorpus.Lines(t, filepath.Join(dir, "srd", "gold", ch.gold)))
			names := map[string]bool{}
			typeLines, glued := 0, 0
			for i, b := range out.Content {
				if b.Role == document.RoleName {
					names[strings.ToLower(b.Text)] = true
					if i+1 < len(out.Content) && out.Content[i+1].Role == document.RoleTypeLine {
						typeLines++
					}
				}
				for _, e := range entries {
					if rest, ok := strings.CutPrefix(b.Text, e+" "); ok && b.Role != document.RoleTypeLine && typeWord.MatchString(rest) {
						glued++
					}
				}
			}
			clean := 0
			var missing []string
			for _, e := range entries {
				if names[strings.ToLower(e)] {
					clean++
				} else {
					missing = append(missing, e)
				}
			}
			t.Logf("%d of %d entries clean, %d with their type line, %d glued; missing %v", clean, len(entries), typeLines, glued, missing)
			if clean*100 < len(entries)*95 || glued*50 > len(entries) {
				t.Errorf("%d of %d clean, %d glued", clean, len(entries), glued)
			}
		})
	}
}

var typeWord = regexp.MustCompile(`(?i)^(\d+(st|nd|rd|th)-level|cantrip\b|ring\b|wondrous\b|armor\b|weapon\b|potion\b|tiny\b|small\b|medium\b|large\b|huge\b|gargantuan\b|[a-z]+ cantrip\b)`)

// headed returns the gold names a Markdown chapter sets as headings.
func headed(md string, gold []string) []string {
	heads := map[string]bool{}
	for _, ln := range strings.Split(md, "\n") {
		if strings.HasPrefix(ln, "#") {
			heads[strings.ToLower(strings.TrimSpace(strings.TrimLeft(ln, "#")))] = true
		}
	}
	var out []string
	for _, g := range gold {
		if heads[strings.ToLower(g)] {
			out = append(out, g)
		}
	}
	return out
}

// TestRenderedDOCXNames reads the pandoc-made DOCX of the spellcasting
// chapter: names as Heading 4 (an italic style), type lines in italic.
func TestRenderedDOCXNames(t *testing.T) {
	dir := testcorpus.Dir(t)
	data, err := os.ReadFile(filepath.Join(dir, "srd", "rendered", "srd_spellcasting.docx"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := parse(data, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "srd", "markdown", "08_spellcasting.md"))
	if err != nil {
		t.Fatal(err)
	}
	entries := headed(string(md), testcorpus.Lines(t, filepath.Join(dir, "srd", "gold", "spells.txt")))
	names := map[string]bool{}
	for _, b := range out.Content {
		if b.Role == document.RoleName {
			names[strings.ToLower(b.Text)] = true
		}
	}
	clean := 0
	for _, e := range entries {
		if names[strings.ToLower(e)] {
			clean++
		}
	}
	t.Logf("%d of %d spells clean", clean, len(entries))
	if clean*100 < len(entries)*95 {
		t.Errorf("%d of %d spells clean", clean, len(entries))
	}
}
