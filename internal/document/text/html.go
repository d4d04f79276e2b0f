package text

import (
	"bytes"
	"context"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

// Item is one unit of content found in an HTML document: a heading, a
// paragraph, a list item or a whole table (one row per line, cells separated
// by " | "). Text is normalised and never empty. Level is a heading's depth
// (h1-h6); Style the emphasis that covers the whole text (<b>, <strong>,
// <em>, <i>, or an inline font-weight or font-style); Lead a bold or italic
// run-in label that opens the text and ends in a full stop or colon.
type Item struct {
	Type  document.BlockType
	Text  string
	Level int
	Style document.Style
	Lead  string
}

// HTMLDoc is what ExtractHTML finds in an HTML or XHTML document.
type HTMLDoc struct {
	Title    string // <title>
	Language string // <html lang>
	Author   string // <meta name="author">
	Items    []Item
	// Truncated is set when the text reached Limits.MaxTextBytes: reading
	// stopped there, and Items hold the text up to the limit.
	Truncated bool
}

// skipped elements hold no reading text: code, styling, navigation, ruby
// annotations (which would double the base text) and form widgets.
var skipped = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true,
	"nav": true, "rt": true, "rp": true, "select": true, "button": true,
	"head": true, "iframe": true,
}

// blocks start and end a unit of text.
var blocks = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true,
	"body": true, "caption": true, "center": true, "dd": true, "details": true,
	"dialog": true, "div": true, "dl": true, "dt": true, "fieldset": true,
	"figcaption": true, "figure": true, "footer": true, "form": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "hgroup": true, "hr": true, "html": true, "legend": true,
	"li": true, "main": true, "ol": true, "p": true, "pre": true,
	"section": true, "summary": true, "table": true, "tbody": true,
	"td": true, "tfoot": true, "th": true, "thead": true, "tr": true, "ul": true,
	"img": true,
}

// ExtractHTML reads the text of an HTML or XHTML document in reading order.
// It is a streaming tokenizer, not a tree builder, so broken markup, deep
// nesting and huge documents cost linear time and no recursion.
func ExtractHTML(ctx context.Context, data []byte, lim document.Limits) (*HTMLDoc, error) {
	return ExtractHTMLStyled(ctx, data, lim, nil)
}

// ExtractHTMLStyled is ExtractHTML with the class styles of the document's
// external style sheets (an EPUB's CSS files); the document's own <style>
// elements are read in both. cs is not modified.
func ExtractHTMLStyled(ctx context.Context, data []byte, lim document.Limits, cs ClassStyles) (*HTMLDoc, error) {
	lim = lim.WithDefaults()
	x := &htmlExtractor{maxDepth: lim.MaxXMLDepth, budget: lim.MaxTextBytes, classes: cs}
	z := html.NewTokenizer(bytes.NewReader(decodeHTML(data)))
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if x.doc.Truncated {
			x.finish()
			return &x.doc, nil
		}
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return nil, z.Err()
			}
			x.finish()
			return &x.doc, nil
		case html.TextToken:
			x.text(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			var attrs map[string]string
			if hasAttr {
				attrs = map[string]string{}
				for {
					k, v, more := z.TagAttr()
					attrs[string(k)] = string(v)
					if !more {
						break
					}
				}
			}
			x.start(string(name), attrs)
			if tt == html.SelfClosingTagToken || voidElements[string(name)] {
				x.end(string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			x.end(string(name))
		}
	}
}

// furniture reports elements that are page furniture inside the text: print
// page-break markers (which carry page numbers) and note-reference marks
// (which would glue a digit to the word before them), plus hidden elements.
func furniture(attrs map[string]string) bool {
	if attrs == nil {
		return false
	}
	if _, hidden := attrs["hidden"]; hidden {
		return true
	}
	kind := attrs["epub:type"] + " " + attrs["role"]
	return strings.Contains(kind, "pagebreak") || strings.Contains(kind, "noteref")
}

var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true,
	"track": true, "wbr": true,
}

// decodeHTML turns data into UTF-8: byte-order marks first, then a declared
// legacy charset (<meta charset>) when the bytes are not UTF-8, then the
// Windows-1252 repair of container.DecodeText.
func decodeHTML(data []byte) []byte {
	if bytes.HasPrefix(data, []byte("\xFF\xFE")) || bytes.HasPrefix(data, []byte("\xFE\xFF")) || utf8.Valid(data) {
		return container.DecodeText(data)
	}
	if enc, name, certain := charset.DetermineEncoding(data, "text/html"); certain && name != "utf-8" && name != "windows-1252" {
		if out, err := enc.NewDecoder().Bytes(data); err == nil {
			return out
		}
	}
	return container.DecodeText(data)
}

type tableState struct {
	rows  []string
	cells []string
	cell  *strings.Builder // nil outside a cell
	inRow bool
}

type htmlExtractor struct {
	doc      HTMLDoc
	stack    []string // open block elements
	skip     []string // open skipped elements
	buf      strings.Builder
	pre      int
	tables   []*tableState
	inTitle  bool
	title    strings.Builder
	maxDepth int
	budget   int64 // Limits.MaxTextBytes
	used     int64

	classes        ClassStyles     // styles of CSS classes
	ownClasses     bool            // classes is this extractor's copy
	css            strings.Builder // the text of the open <style> element
	emph           []emphasis      // open elements that set bold or italic type
	lineStart      int             // where in buf the line after the last <br> starts
	line           lineCount       // its emphasis
	nBold, nItalic int             // how many of them are bold, italic
	run            runStyle        // the emphasis of the pending text
}

// emphasis is an open element that sets bold or italic type.
type emphasis struct {
	name         string
	bold, italic bool
}

// runStyle accounts for the emphasis of the text pending in the buffer: how
// much of it is bold or italic (so a wholly bold line is told from one bold
// word), and the emphasised run that opens it (a run-in label).
type runStyle struct {
	total, bold, italic  int // bytes other than white space
	lead                 []byte
	leadBold, leadItalic bool
	leadState            uint8 // leadNone, leadOpen or leadClosed
}

const (
	leadNone = iota
	leadOpen
	leadClosed
)

// emphasisOf says whether an element sets bold or italic type: by its name,
// an inline style, or a class named for the style ("bold", "char-italic").
// Stylesheets are not read.
func emphasisOf(name string, attrs map[string]string, cs ClassStyles) (bold, italic bool) {
	switch name {
	case "b", "strong":
		bold = true
	case "i", "em", "cite", "dfn":
		italic = true
	}
	if attrs == nil {
		return bold, italic
	}
	if st := attrs["style"]; st != "" {
		st = strings.ToLower(st)
		if _, v, ok := strings.Cut(st, "font-weight"); ok {
			v = strings.TrimLeft(v, " :")
			for _, w := range []string{"bold", "bolder", "600", "700", "800", "900"} {
				if strings.HasPrefix(v, w) {
					bold = true
				}
			}
		}
		if _, v, ok := strings.Cut(st, "font-style"); ok {
			v = strings.TrimLeft(v, " :")
			italic = italic || strings.HasPrefix(v, "italic") || strings.HasPrefix(v, "oblique")
		}
	}
	if cl := attrs["class"]; cl != "" {
		for _, c := range strings.Fields(cl) {
			st := cs[c]
			bold = bold || st.IsBold()
			italic = italic || st.IsItalic()
		}
		cl = strings.ToLower(cl)
		bold = bold || strings.Contains(cl, "bold") || strings.Contains(cl, "strong")
		italic = italic || strings.Contains(cl, "italic") || strings.Contains(cl, "oblique")
	}
	return bold, italic
}

// account records the emphasis of text b, just written to the buffer.
func (x *htmlExtractor) account(b []byte) {
	r := &x.run
	n := 0
	first := byte(0)
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			if n == 0 {
				first = c
			}
			n++
		}
	}
	if n == 0 {
		if r.leadState == leadOpen {
			r.lead = append(r.lead, b...)
		}
		return
	}
	bold, italic := x.nBold > 0, x.nItalic > 0
	x.line.add(n, bold, italic)
	r.total += n
	if bold {
		r.bold += n
	}
	if italic {
		r.italic += n
	}
	switch r.leadState {
	case leadNone:
		if bold || italic {
			r.leadState, r.leadBold, r.leadItalic = leadOpen, bold, italic
			r.lead = append(r.lead, b...)
		} else {
			r.leadState = leadClosed
		}
	case leadOpen:
		if r.leadBold && bold || r.leadItalic && italic {
			r.lead = append(r.lead, b...)
			return
		}
		r.leadState = leadClosed
		if first == '.' || first == ':' {
			r.lead = append(r.lead, first) // "<b>Power Strike</b>. When you hit"
		}
		r.lead = append(r.lead, 0) // marks that plain text followed
	}
}

// lineCount is the emphasis of the line being written since the last <br>.
type lineCount struct{ total, bold, italic int }

func (l *lineCount) add(n int, bold, italic bool) {
	l.total += n
	if bold {
		l.bold += n
	}
	if italic {
		l.italic += n
	}
}

// splitStyledLine makes the line just written an item of its own when one
// emphasis covers it all and other lines share its paragraph: a name line
// and its type line set in one <p> with <br>s ("<b>Ring of
// Invisibility</b><br/><i>Ring, legendary</i><br/>While wearing...").
// atBreak says a <br> ends the line; at the end of the paragraph only a
// line after others is split off.
func (x *htmlExtractor) splitStyledLine(atBreak bool) {
	l := x.line
	if l.total == 0 || l.bold != l.total && l.italic != l.total || x.pre > 0 || !atBreak && x.lineStart == 0 {
		return
	}
	if t := x.table(); t != nil && t.cell != nil {
		return
	}
	raw := x.buf.String()
	head, tail := raw[:x.lineStart], raw[x.lineStart:]
	headRun := x.run
	headRun.total -= l.total
	headRun.bold -= l.bold
	headRun.italic -= l.italic
	x.line, x.lineStart = lineCount{}, 0
	x.buf.Reset()
	if strings.TrimSpace(head) != "" {
		x.buf.WriteString(head)
		x.run = headRun
		x.flush()
	}
	x.buf.WriteString(tail)
	x.run = runStyle{total: l.total, bold: l.bold, italic: l.italic, leadState: leadClosed}
	x.flush()
}

// maxLeadRunes bounds a run-in label: a longer emphasised opening is
// emphasis in prose, not a label.
const maxLeadRunes = 80

// styleOf returns the Style of the pending text and its run-in label.
func (r *runStyle) styleOf(text string) (document.Style, string) {
	if r.total == 0 {
		return "", ""
	}
	st := document.MakeStyle(r.bold == r.total, r.italic == r.total)
	raw := string(r.lead)
	if st != "" || r.leadState != leadClosed || !strings.HasSuffix(raw, "\x00") {
		return st, ""
	}
	lead := textnorm.Line(strings.TrimSuffix(raw, "\x00"))
	if !strings.HasSuffix(lead, ".") && !strings.HasSuffix(lead, ":") || utf8.RuneCountInString(lead) > maxLeadRunes ||
		len(lead) < 3 || !strings.HasPrefix(text, lead) || len(lead) == len(text) {
		return st, ""
	}
	return st, lead
}

func (x *htmlExtractor) start(name string, attrs map[string]string) {
	if name == "html" && attrs["lang"] != "" && x.doc.Language == "" {
		x.doc.Language = attrs["lang"]
	} else if name == "html" && attrs["xml:lang"] != "" && x.doc.Language == "" {
		x.doc.Language = attrs["xml:lang"]
	}
	if name == "meta" && strings.EqualFold(attrs["name"], "author") && x.doc.Author == "" {
		x.doc.Author = container.Field(textnorm.Line(attrs["content"]))
	}
	if name == "title" && len(x.stackOf("body")) == 0 && len(x.skip) <= 1 {
		x.inTitle = true
		return
	}
	if name == "body" && len(x.skip) > 0 && x.skip[0] == "head" {
		x.skip = nil // a <head> left open by sloppy markup ends where the body starts
	}
	if len(x.skip) > 0 {
		if !voidElements[name] {
			x.skip = append(x.skip, name)
		}
		return
	}
	if (skipped[name] || furniture(attrs)) && !voidElements[name] {
		// No flush: ruby annotations and inline scripts sit inside a paragraph.
		x.skip = append(x.skip, name)
		return
	}
	if bold, italic := emphasisOf(name, attrs, x.classes); (bold || italic) && !voidElements[name] && len(x.emph) < x.maxDepth {
		x.emph = append(x.emph, emphasis{name, bold, italic})
		if bold {
			x.nBold++
		}
		if italic {
			x.nItalic++
		}
	}
	switch name {
	case "br":
		x.splitStyledLine(true)
		x.buf.WriteByte('\n')
		x.lineStart, x.line = x.buf.Len(), lineCount{}
		return
	case "img":
		return // alt text is a caption at best; images carry no reading text
	case "table":
		x.flush()
		x.tables = append(x.tables, &tableState{})
	case "tr":
		x.flush()
		if t := x.table(); t != nil {
			x.closeRow(t)
			t.inRow = true
		}
	case "td", "th":
		x.flush()
		if t := x.table(); t != nil {
			x.closeCell(t)
			t.inRow = true
			t.cell = &strings.Builder{}
		}
	}
	if blocks[name] {
		x.flush()
		x.implicitClose(name)
		if len(x.stack) < x.maxDepth {
			x.stack = append(x.stack, name)
		}
		if name == "pre" {
			x.pre++
		}
	}
}

func (x *htmlExtractor) end(name string) {
	if name == "title" && x.inTitle {
		x.inTitle = false
		if x.doc.Title == "" {
			x.doc.Title = container.Field(textnorm.Line(strings.ToValidUTF8(x.title.String(), "")))
		}
		return
	}
	if len(x.skip) > 0 {
		for i := len(x.skip) - 1; i >= 0; i-- {
			if x.skip[i] == name {
				x.skip = x.skip[:i]
				break
			}
		}
		if name == "style" && x.css.Len() > 0 {
			x.styleSheet()
		}
		return
	}
	x.endEmphasis(name)
	if !blocks[name] || voidElements[name] {
		return
	}
	i := len(x.stack) - 1
	for i >= 0 && x.stack[i] != name {
		i--
	}
	if i < 0 {
		return // an end tag with no start: ignore, as browsers do
	}
	x.flush()
	for j := len(x.stack) - 1; j >= i; j-- {
		x.closed(x.stack[j])
	}
	x.stack = x.stack[:i]
}

// styleSheet reads the <style> element just closed into the class styles.
func (x *htmlExtractor) styleSheet() {
	if !x.ownClasses {
		own := ClassStyles{}
		for k, v := range x.classes {
			own[k] = v
		}
		x.classes, x.ownClasses = own, true
	}
	ParseCSS(x.classes, []byte(x.css.String()))
	x.css.Reset()
}

// endEmphasis closes the innermost open emphasis of that element name.
func (x *htmlExtractor) endEmphasis(name string) {
	for i := len(x.emph) - 1; i >= 0; i-- {
		if e := x.emph[i]; e.name == name {
			if e.bold {
				x.nBold--
			}
			if e.italic {
				x.nItalic--
			}
			x.emph = append(x.emph[:i], x.emph[i+1:]...)
			return
		}
	}
}

// implicitClose pops the elements HTML closes without an end tag: a
// paragraph ends where any block starts, a list item where the next one does.
func (x *htmlExtractor) implicitClose(name string) {
	if len(x.stack) == 0 {
		return
	}
	top := x.stack[len(x.stack)-1]
	switch {
	case top == "p",
		top == name && (name == "li" || name == "dt" || name == "dd"),
		(top == "dt" || top == "dd") && (name == "dt" || name == "dd"):
		x.stack = x.stack[:len(x.stack)-1]
		x.closed(top)
	}
}

// closed finishes the structure an element held when it is popped.
func (x *htmlExtractor) closed(name string) {
	switch name {
	case "pre":
		x.pre--
	case "td", "th":
		if t := x.table(); t != nil {
			x.closeCell(t)
		}
	case "tr":
		if t := x.table(); t != nil {
			x.closeRow(t)
		}
	case "table":
		if t := x.table(); t != nil {
			x.closeRow(t)
			x.tables = x.tables[:len(x.tables)-1]
			if len(t.rows) == 0 {
				return
			}
			if outer := x.table(); outer != nil && outer.cell != nil {
				appendSpaced(outer.cell, strings.Join(t.rows, " "))
				return
			}
			x.doc.Items = append(x.doc.Items, Item{Type: document.Table, Text: strings.Join(t.rows, "\n")})
		}
	}
}

func (x *htmlExtractor) table() *tableState {
	if len(x.tables) == 0 {
		return nil
	}
	return x.tables[len(x.tables)-1]
}

func (x *htmlExtractor) closeCell(t *tableState) {
	if t.cell == nil {
		return
	}
	t.cells = append(t.cells, textnorm.Line(t.cell.String()))
	t.cell = nil
}

func (x *htmlExtractor) closeRow(t *tableState) {
	x.closeCell(t)
	if t.inRow && len(t.cells) > 0 {
		if row := document.TableRow(t.cells); row != "" {
			t.rows = append(t.rows, row)
		}
	}
	t.cells = nil
	t.inRow = false
}

func (x *htmlExtractor) text(b []byte) {
	if x.inTitle {
		// A title is one line: a hostile megabyte title is not kept whole.
		if x.title.Len() < container.MaxTextField {
			x.title.Write(b[:min(len(b), container.MaxTextField-x.title.Len())])
		}
		return
	}
	if len(x.skip) > 0 {
		if x.skip[len(x.skip)-1] == "style" && x.css.Len()+len(b) <= maxCSSBytes {
			x.css.Write(b)
		}
		return
	}
	left := x.budget - x.used - int64(x.buf.Len())
	if left < 0 {
		x.doc.Truncated = true // no need to keep (and normalise) what cannot be output
		return
	}
	if int64(len(b)) > left {
		b = b[:left] // a huge text node: only what can still be output
		x.doc.Truncated = true
	}
	x.account(b)
	if x.pre > 0 {
		x.buf.Write(b)
		return
	}
	// Collapse HTML white space; line breaks in the source are spaces.
	for len(b) > 0 {
		i := bytes.IndexAny(b, " \t\n\r\f")
		if i < 0 {
			x.buf.Write(b)
			return
		}
		x.buf.Write(b[:i])
		if s := x.buf.String(); s != "" && !strings.HasSuffix(s, " ") && !strings.HasSuffix(s, "\n") {
			x.buf.WriteByte(' ')
		}
		b = b[i+1:]
	}
}

// flush turns the pending inline text into an item, or into the open cell.
func (x *htmlExtractor) flush() {
	x.splitStyledLine(false)
	raw := x.buf.String()
	x.buf.Reset()
	run := x.run
	x.run = runStyle{}
	x.lineStart, x.line = 0, lineCount{}
	if strings.TrimSpace(raw) == "" {
		return
	}
	if t := x.table(); t != nil && t.cell != nil {
		x.used += int64(len(raw))
		appendSpaced(t.cell, raw)
		return
	}
	var lines []string
	for _, ln := range strings.Split(textnorm.String(raw), "\n") {
		if ln = strings.TrimSpace(ln); ln != "" {
			lines = append(lines, ln)
		}
	}
	if len(lines) == 0 {
		return
	}
	typ := document.Paragraph
	level := 0
	for _, e := range x.stack {
		switch e {
		case "h1", "h2", "h3", "h4", "h5", "h6":
			typ = document.Heading
			level = int(e[1] - '0')
		case "li":
			if typ != document.Heading {
				typ = document.List
			}
		}
	}
	text := strings.Join(lines, "\n")
	if typ == document.Heading {
		text = strings.Join(lines, " ")
	}
	if x.used+int64(len(text)) > x.budget {
		text = container.TruncateText(text, int(x.budget-x.used))
		x.doc.Truncated = true
		if text == "" {
			return
		}
	}
	x.used += int64(len(text))
	st, lead := run.styleOf(text)
	x.doc.Items = append(x.doc.Items, Item{Type: typ, Text: text, Level: level, Style: st, Lead: lead})
}

func (x *htmlExtractor) stackOf(name string) []string {
	for _, e := range x.stack {
		if e == name {
			return []string{e}
		}
	}
	return nil
}

func (x *htmlExtractor) finish() {
	x.flush()
	for j := len(x.stack) - 1; j >= 0; j-- {
		x.closed(x.stack[j])
	}
	x.stack = nil
	for len(x.tables) > 0 {
		x.closed("table")
	}
}

func appendSpaced(b *strings.Builder, s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(s)
}
