package main

import (
	"encoding/xml"
	"fmt"
	"strings"
)

const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRel = "http://schemas.openxmlformats.org/package/2006/relationships"
)

// docxWriter renders a book as WordprocessingML.
type docxWriter struct {
	bk      *book
	changes int // ids of tracked changes
	shapes  int // ids of drawing objects
}

// renderDOCX builds a minimal but complete DOCX: Title/Heading styles,
// bullet numbering, tables, footnotes, a text box (DrawingML with its VML
// fallback, as Word writes it), a deleted tracked change and a field.
func renderDOCX(bk *book, m bookMeta) ([]byte, error) {
	d := &docxWriter{bk: bk}
	var body strings.Builder
	for i, b := range bk.blocks {
		subtitle := i > 0 && b.kind == blockPara && bk.blocks[i-1].kind == blockHeading && bk.blocks[i-1].level == 1
		body.WriteString(d.block(b, subtitle))
	}
	document := xml.Header + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"` +
		` xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"` +
		` xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"` +
		` xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"` +
		` xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"` +
		` xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"` +
		` xmlns:w10="urn:schemas-microsoft-com:office:word">` + "\n<w:body>\n" + body.String() +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>` +
		"\n</w:body>\n</w:document>\n"

	var notes strings.Builder
	notes.WriteString(xml.Header + `<w:footnotes xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` + "\n")
	notes.WriteString(`<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>` + "\n")
	notes.WriteString(`<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>` + "\n")
	for _, id := range bk.noteIDs {
		fmt.Fprintf(&notes, `<w:footnote w:id="%s"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>%s</w:p></w:footnote>`+"\n",
			footnoteNumber(bk, id), d.runs(bk.footnotes[id], ""))
	}
	notes.WriteString("</w:footnotes>\n")

	stamp := fixedTime.Format("2006-01-02T15:04:05Z")
	core := xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>` + xmlText(bk.title) + `</dc:title>
<dc:subject>` + xmlText(m.subject) + `</dc:subject>
<dc:creator>` + xmlText(m.author) + `</dc:creator>
<cp:keywords>fantasy, bestiary</cp:keywords>
<dc:language>en-GB</dc:language>
<cp:lastModifiedBy>` + xmlText(m.author) + `</cp:lastModifiedBy>
<cp:revision>2</cp:revision>
<dcterms:created xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:modified>
</cp:coreProperties>
`
	entries := []zipEntry{
		{name: "[Content_Types].xml", data: []byte(xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>
`)},
		{name: "_rels/.rels", data: []byte(xml.Header + `<Relationships xmlns="` + nsRel + `">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>
`)},
		{name: "docProps/core.xml", data: []byte(core)},
		{name: "docProps/app.xml", data: []byte(xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>corpora sample book generator</Application></Properties>
`)},
		{name: "word/document.xml", data: []byte(document)},
		{name: "word/_rels/document.xml.rels", data: []byte(xml.Header + `<Relationships xmlns="` + nsRel + `">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
</Relationships>
`)},
		{name: "word/styles.xml", data: []byte(docxStyles)},
		{name: "word/settings.xml", data: []byte(xml.Header + `<w:settings xmlns:w="` + nsW + `"><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>
`)},
		{name: "word/numbering.xml", data: []byte(xml.Header + `<w:numbering xmlns:w="` + nsW + `">
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>
`)},
		{name: "word/footnotes.xml", data: []byte(notes.String())},
	}
	return writeZip(entries)
}

// block renders one block as body paragraphs or a table.
func (d *docxWriter) block(b block, subtitle bool) string {
	switch b.kind {
	case blockHeading:
		style := "Title"
		switch b.level {
		case 2:
			style = "Heading1"
		case 3:
			style = "Heading2"
		case 4:
			style = "Heading3"
		}
		return d.para(style, "", b.lines, "")
	case blockPara:
		if subtitle {
			return d.para("Subtitle", "", b.lines, "")
		}
		return d.para("", "", b.lines, "")
	case blockList:
		var s strings.Builder
		for _, it := range b.items {
			s.WriteString(d.para("ListParagraph", `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>`, []inline{it}, ""))
		}
		return s.String()
	case blockTable:
		return d.table(b)
	case blockQuote:
		return d.textBox(b)
	}
	return ""
}

// para renders one paragraph; lines are joined by line breaks.
func (d *docxWriter) para(style, extraPPr string, lines []inline, runStyle string) string {
	var s strings.Builder
	s.WriteString("<w:p>")
	if style != "" || extraPPr != "" {
		s.WriteString("<w:pPr>")
		if style != "" {
			fmt.Fprintf(&s, `<w:pStyle w:val="%s"/>`, style)
		}
		s.WriteString(extraPPr + "</w:pPr>")
	}
	for i, ln := range lines {
		if i > 0 {
			s.WriteString("<w:r><w:br/></w:r>")
		}
		s.WriteString(d.runs(ln, runStyle))
	}
	s.WriteString("</w:p>\n")
	return s.String()
}

// runs renders styled text: soft hyphens and non-breaking hyphens become
// their WordprocessingML elements, deleted spans tracked deletions, fields
// complex fields showing their result.
func (d *docxWriter) runs(in inline, runStyle string) string {
	var s strings.Builder
	for _, sp := range in {
		var rPr strings.Builder
		if runStyle != "" {
			fmt.Fprintf(&rPr, `<w:rStyle w:val="%s"/>`, runStyle)
		}
		if sp.bold {
			rPr.WriteString("<w:b/>")
		}
		if sp.italic {
			rPr.WriteString("<w:i/>")
		}
		props := ""
		if rPr.Len() > 0 {
			props = "<w:rPr>" + rPr.String() + "</w:rPr>"
		}
		switch {
		case sp.deleted:
			d.changes++
			fmt.Fprintf(&s, `<w:del w:id="%d" w:author="Pellam Hask" w:date="%s"><w:r>%s<w:delText xml:space="preserve">%s</w:delText></w:r></w:del>`,
				d.changes, fixedTime.Format("2006-01-02T15:04:05Z"), props, xmlText(sp.text))
		case sp.footnote != "":
			fmt.Fprintf(&s, `<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="%s"/></w:r>`, sp.text)
		case sp.field != "":
			fmt.Fprintf(&s, `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">%s</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r>%s%s</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`,
				xmlText(sp.field), props, textRuns(sp.text))
		default:
			s.WriteString("<w:r>" + props + textRuns(sp.text) + "</w:r>")
		}
	}
	return s.String()
}

// textRuns is the content of one run: text, with U+00AD and U+2011 as
// <w:softHyphen/> and <w:noBreakHyphen/> as Word stores them.
func textRuns(text string) string {
	var s strings.Builder
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			s.WriteString(`<w:t xml:space="preserve">` + xmlText(cur.String()) + `</w:t>`)
			cur.Reset()
		}
	}
	for _, r := range text {
		switch r {
		case '\u00ad':
			flush()
			s.WriteString("<w:softHyphen/>")
		case '\u2011':
			flush()
			s.WriteString("<w:noBreakHyphen/>")
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return s.String()
}

func (d *docxWriter) table(b block) string {
	ncol := 0
	for _, r := range b.rows {
		ncol = max(ncol, len(r))
	}
	const total = 9026 // text width of A4 with 1-inch margins, in twentieths of a point
	var s strings.Builder
	s.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for range ncol {
		fmt.Fprintf(&s, `<w:gridCol w:w="%d"/>`, total/ncol)
	}
	s.WriteString("</w:tblGrid>\n")
	for i, r := range b.rows {
		s.WriteString("<w:tr>")
		if i == 0 {
			s.WriteString("<w:trPr><w:tblHeader/></w:trPr>")
		}
		for c := range ncol {
			var cell inline
			if c < len(r) {
				cell = r[c]
			}
			if i == 0 {
				cell = boldAll(cell)
			}
			fmt.Fprintf(&s, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>%s</w:tc>`, total/ncol, strings.TrimSuffix(d.para("", "", []inline{cell}, ""), "\n"))
		}
		s.WriteString("</w:tr>\n")
	}
	s.WriteString("</w:tbl>\n")
	return s.String()
}

func boldAll(in inline) inline {
	out := make(inline, len(in))
	for i, s := range in {
		s.bold = true
		out[i] = s
	}
	return out
}

// textBox renders a sidebar the way Word does: an anchored DrawingML text
// box inside mc:AlternateContent, with the same text again in a VML
// fallback. A reader must take one of the two, not both.
func (d *docxWriter) textBox(b block) string {
	d.shapes++
	content := "<w:txbxContent>" + strings.TrimSuffix(d.para("Quote", "", b.lines, ""), "\n") + "</w:txbxContent>"
	const cx, cy = 5731510, 1600200 // EMU
	return fmt.Sprintf(`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>`+
		`<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0" relativeHeight="%d" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">`+
		`<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>`+
		`<wp:extent cx="%d" cy="%d"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/><wp:docPr id="%d" name="Sidebar %d"/><wp:cNvGraphicFramePr/>`+
		`<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>`+
		`<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="EEEEEE"/></a:solidFill><a:ln w="9525"><a:solidFill><a:srgbClr val="444444"/></a:solidFill></a:ln></wps:spPr>`+
		`<wps:txbx>%s</wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>`+
		`<mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>`+
		`<v:shape id="Sidebar%d" o:spid="_x0000_s%d" type="#_x0000_t202" style="position:absolute;margin-left:0;margin-top:0;width:451.3pt;height:126pt;z-index:%d;mso-position-horizontal-relative:text;mso-position-vertical-relative:text" fillcolor="#eee" strokecolor="#444">`+
		`<v:textbox>%s</v:textbox><w10:wrap type="topAndBottom"/></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`+"\n",
		251658240+d.shapes, cx, cy, d.shapes, d.shapes, cx, cy, content,
		d.shapes, 1025+d.shapes, 251658240+d.shapes, content)
}

const docxStyles = `<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia" w:cs="Georgia"/><w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="52"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:i/><w:color w:val="555555"/><w:sz w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:i/><w:sz w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/><w:rPr><w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="720"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>
</w:styles>
`
