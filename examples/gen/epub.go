package main

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// xmlText escapes s for XML character data and attribute values.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// html renders styled text as XHTML inline markup.
func (in inline) html() string {
	var b strings.Builder
	for _, s := range in {
		if s.deleted {
			continue
		}
		t := xmlText(s.text)
		switch {
		case s.footnote != "":
			fmt.Fprintf(&b, `<sup><a epub:type="noteref" href="#note-%s">%s</a></sup>`, s.footnote, t)
		case s.bold:
			b.WriteString("<strong>" + t + "</strong>")
		case s.italic:
			b.WriteString("<em>" + t + "</em>")
		default:
			b.WriteString(t)
		}
	}
	return b.String()
}

// chapter is one XHTML file of the EPUB.
type chapter struct {
	file, title string
	blocks      []block
}

// renderEPUB builds an EPUB 3: the title page and one XHTML file per
// chapter (## heading) in the spine, chapter titles in nav.xhtml.
func renderEPUB(bk *book, m bookMeta) ([]byte, error) {
	var chapters []chapter
	num := 0
	for _, b := range bk.blocks {
		if b.kind == blockHeading && b.level <= 2 {
			name := "title.xhtml"
			if b.level == 2 {
				num++
				name = fmt.Sprintf("chapter-%02d.xhtml", num)
			}
			chapters = append(chapters, chapter{file: name, title: b.lines[0].plain()})
		}
		if len(chapters) == 0 {
			return nil, fmt.Errorf("content before the first heading")
		}
		chapters[len(chapters)-1].blocks = append(chapters[len(chapters)-1].blocks, b)
	}

	var manifest, spine, nav strings.Builder
	entries := []zipEntry{
		{name: "mimetype", data: []byte("application/epub+zip"), stored: true},
		{name: "META-INF/container.xml", data: []byte(xml.Header + `<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`)},
	}
	navNum := 0
	for _, c := range chapters {
		id := strings.TrimSuffix(c.file, ".xhtml")
		fmt.Fprintf(&manifest, "    <item id=\"%s\" href=\"%s\" media-type=\"application/xhtml+xml\"/>\n", id, c.file)
		fmt.Fprintf(&spine, "    <itemref idref=\"%s\"/>\n", id)
		if c.file != "title.xhtml" {
			// The navigation labels number the chapters, unlike the
			// headings, so a reader can tell where a title came from.
			navNum++
			fmt.Fprintf(&nav, "      <li><a href=\"%s\">%d. %s</a></li>\n", c.file, navNum, xmlText(c.title))
		}
		entries = append(entries, zipEntry{name: "OEBPS/" + c.file, data: []byte(chapterXHTML(bk, c))})
	}
	opf := fmt.Sprintf(xml.Header+`<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="bookid">%s</dc:identifier>
    <dc:title>%s</dc:title>
    <dc:creator>%s</dc:creator>
    <dc:language>en</dc:language>
    <dc:subject>%s</dc:subject>
    <dc:rights>CC0 1.0 Universal: no rights reserved</dc:rights>
    <meta property="dcterms:modified">%s</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="css" href="style.css" media-type="text/css"/>
%s  </manifest>
  <spine>
%s  </spine>
</package>
`, m.id, xmlText(bk.title), xmlText(m.author), xmlText(m.subject), fixedTime.Format("2006-01-02T15:04:05Z"), manifest.String(), spine.String())
	navDoc := fmt.Sprintf(xml.Header+`<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">
<head><title>%s</title></head>
<body>
  <nav epub:type="toc" id="toc">
    <h1>Contents</h1>
    <ol>
%s    </ol>
  </nav>
</body>
</html>
`, xmlText(bk.title), nav.String())
	css := "body { font-family: serif; }\naside { border-left: 3px solid #444; padding-left: 0.6em; }\ntable { border-collapse: collapse; }\nth, td { padding: 0.1em 0.5em; }\n"
	entries = append(entries[:2], append([]zipEntry{
		{name: "OEBPS/content.opf", data: []byte(opf)},
		{name: "OEBPS/nav.xhtml", data: []byte(navDoc)},
		{name: "OEBPS/style.css", data: []byte(css)},
	}, entries[2:]...)...)
	return writeZip(entries)
}

// chapterXHTML renders one chapter; ## becomes h1 and ### h2 inside it.
func chapterXHTML(bk *book, c chapter) string {
	var b strings.Builder
	fmt.Fprintf(&b, xml.Header+`<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="en" lang="en">
<head>
  <title>%s</title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
`, xmlText(c.title))
	var notes []string
	for _, bl := range c.blocks {
		switch bl.kind {
		case blockHeading:
			lvl := max(bl.level-1, 1)
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", lvl, bl.lines[0].html(), lvl)
		case blockPara:
			var parts []string
			for _, ln := range bl.lines {
				parts = append(parts, ln.html())
			}
			fmt.Fprintf(&b, "<p>%s</p>\n", strings.Join(parts, "<br/>\n"))
		case blockList:
			b.WriteString("<ul>\n")
			for _, it := range bl.items {
				fmt.Fprintf(&b, "  <li>%s</li>\n", it.html())
			}
			b.WriteString("</ul>\n")
		case blockTable:
			b.WriteString("<table>\n")
			for i, row := range bl.rows {
				cell := "td"
				if i == 0 {
					cell = "th"
					b.WriteString("  <thead>\n")
				}
				b.WriteString("    <tr>")
				for _, c := range row {
					fmt.Fprintf(&b, "<%s>%s</%s>", cell, c.html(), cell)
				}
				b.WriteString("</tr>\n")
				if i == 0 {
					b.WriteString("  </thead>\n  <tbody>\n")
				}
			}
			b.WriteString("  </tbody>\n</table>\n")
		case blockQuote:
			fmt.Fprintf(&b, "<aside epub:type=\"sidebar\">\n  <p>%s</p>\n</aside>\n", bl.lines[0].html())
		}
		for _, ln := range append(append([]inline{}, bl.lines...), bl.items...) {
			for _, s := range ln {
				if s.footnote != "" {
					notes = append(notes, s.footnote)
				}
			}
		}
	}
	for _, id := range notes {
		fmt.Fprintf(&b, "<aside epub:type=\"footnote\" id=\"note-%s\"><p>%s %s</p></aside>\n", id, footnoteNumber(bk, id), bk.footnotes[id].html())
	}
	b.WriteString("</body>\n</html>\n")
	return b.String()
}
