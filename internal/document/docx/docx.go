package docx

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
	"github.com/corpora-tools/corpora/internal/document/entry"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

// Parser parses DOCX documents. The zero value is ready to use.
type Parser struct{}

var _ document.Parser = Parser{}

// ole2Magic starts every OLE2 compound file: legacy .doc, and encrypted OOXML.
var ole2Magic = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")

// Parse implements document.Parser.
func (Parser) Parse(ctx context.Context, in document.Input, opts document.Options) (*document.Output, error) {
	lim := opts.Limits.WithDefaults()
	data := in.Data
	if bytes.HasPrefix(data, ole2Magic) {
		if !document.Sniff(in.Name, data).Encrypted {
			return nil, fmt.Errorf("%w: legacy Word 97-2003 document (OLE2), not DOCX", document.ErrUnsupported)
		}
		if opts.Password == "" {
			return nil, fmt.Errorf("%w Word document (OLE2 container); decrypt it first or give its password with --password", document.ErrEncrypted)
		}
		plain, err := decryptOOXML(data, opts.Password)
		if err != nil {
			return nil, err
		}
		data = plain
	}
	a, err := container.OpenZip(data, lim)
	if err != nil {
		return nil, err
	}
	out := &document.Output{Format: document.DOCX, Pages: 1, Warnings: []document.Warning{}, Content: []document.Block{}}
	if a.Recovered {
		out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: "damaged zip (no central directory); entries recovered from local headers"})
	}

	main, data, err := officeDocument(ctx, a, lim)
	if err != nil {
		return nil, err
	}
	rels := relationships(ctx, a, relsName(main), path.Dir(main), lim)
	styles := map[string]styleInfo{}
	if name := firstOf(a, rels["styles"], path.Join(path.Dir(main), "styles.xml")); name != "" {
		if data, err := a.ReadFile(name); err == nil {
			styles = readStyles(ctx, data, lim)
		} else if errors.Is(err, document.ErrLimit) {
			return nil, err
		}
	}

	w := newWalker(ctx, styles, false, lim.MaxTextBytes)
	if err := w.walk(data, lim); err != nil {
		if len(w.blocks) == 0 || errors.Is(err, document.ErrLimit) || ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", main, err)
		}
		out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: fmt.Sprintf("%s is damaged; text after the damage is lost (%v)", main, err)})
	}
	deepest := 0
	for _, b := range w.blocks {
		if b.Type == document.Heading {
			deepest = max(deepest, b.Level)
		}
	}
	entry.Mark(w.blocks, nil, deepest)
	out.Content = append(out.Content, w.blocks...)

	for _, note := range []struct{ rel, file string }{{"footnotes", "footnotes.xml"}, {"endnotes", "endnotes.xml"}} {
		name := firstOf(a, rels[note.rel], path.Join(path.Dir(main), note.file))
		if name == "" {
			continue
		}
		data, err := a.ReadFile(name)
		if err != nil {
			if errors.Is(err, document.ErrLimit) {
				return nil, err
			}
			out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: fmt.Sprintf("%s: %v", name, err)})
			continue
		}
		if w.truncated {
			break
		}
		nw := newWalker(ctx, styles, true, lim.MaxTextBytes-w.used)
		if err := nw.walk(data, lim); err != nil {
			if errors.Is(err, document.ErrLimit) || ctx.Err() != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: fmt.Sprintf("%s is damaged (%v)", name, err)})
		}
		out.Content = append(out.Content, nw.blocks...)
		w.used += nw.used
		w.truncated = nw.truncated
	}
	if w.truncated {
		return nil, fmt.Errorf("%w: more than %d bytes of text", document.ErrLimit, lim.MaxTextBytes)
	}

	readCore(ctx, a, &out.Metadata, lim)
	if n := readApp(ctx, a, &out.Metadata, lim); n > 0 {
		out.Pages = n
	}
	if len(out.Content) == 0 {
		out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: document.ErrNoText.Error()})
	}
	return out, nil
}

// firstOf returns the first candidate name the archive holds.
func firstOf(a *container.Archive, names ...string) string {
	for _, n := range names {
		if n == "" {
			continue
		}
		if got, ok := a.Lookup(n); ok {
			return got
		}
	}
	return ""
}

// officeDocument finds and reads the main document part: the package
// relationships' officeDocument when it is a WordprocessingML part, else the
// usual names.
func officeDocument(ctx context.Context, a *container.Archive, lim document.Limits) (string, []byte, error) {
	rels := relationships(ctx, a, "_rels/.rels", "", lim)
	tried := map[string]bool{}
	var firstErr error
	for i, cand := range []string{rels["officeDocument"], "word/document.xml", "word/document2.xml"} {
		name := firstOf(a, cand)
		if name == "" || tried[name] || strings.HasSuffix(name, ".rels") {
			continue
		}
		data, err := a.ReadFile(name)
		if err != nil {
			tried[name] = true
			if errors.Is(err, document.ErrLimit) {
				return "", nil, fmt.Errorf("%s: %w", name, err)
			}
			if firstErr == nil {
				firstErr = fmt.Errorf("%s: %w", name, err)
			}
			continue
		}
		// The relationship may point anywhere (at itself, even); the usual
		// names are taken as they are.
		if i > 0 || bytes.Contains(container.DecodeText(data[:min(len(data), 4096)]), []byte("wordprocessingml")) {
			return name, data, nil
		}
	}
	if firstErr != nil {
		return "", nil, firstErr
	}
	return "", nil, fmt.Errorf("%w: no word/document.xml (WordprocessingML main part) in the package", document.ErrMalformed)
}

func relsName(part string) string {
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}

// relationships reads a .rels part: the target of the first relationship of
// each type, keyed by the last segment of the type URI (transitional and
// strict URIs end alike), resolved against base.
func relationships(ctx context.Context, a *container.Archive, name, base string, lim document.Limits) map[string]string {
	out := map[string]string{}
	data, err := a.ReadFile(name)
	if err != nil {
		return out
	}
	d := container.NewDecoder(ctx, data, lim)
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" || strings.EqualFold(container.Attr(se, "TargetMode"), "External") {
			continue
		}
		typ := container.Attr(se, "Type")
		typ = typ[strings.LastIndexByte(typ, '/')+1:]
		target := container.Attr(se, "Target")
		if typ == "" || target == "" || out[typ] != "" {
			continue
		}
		if strings.HasPrefix(target, "/") {
			out[typ] = container.CleanName(target)
		} else {
			out[typ] = container.CleanName(path.Join(base, target))
		}
	}
}

// isW reports whether a name is in the WordprocessingML namespace,
// transitional or strict (or an undeclared "w" prefix in a sloppy file).
func isW(n xml.Name) bool {
	return strings.HasSuffix(n.Space, "wordprocessingml/2006/main") ||
		strings.HasSuffix(n.Space, "ooxml/wordprocessingml/main") || n.Space == "w"
}

// isMC reports whether a name is in the markup-compatibility namespace.
func isMC(n xml.Name) bool {
	return strings.HasSuffix(n.Space, "markup-compatibility/2006") || n.Space == "mc"
}

type para struct {
	b       strings.Builder
	style   string
	list    bool
	outline int // -1: body text
	runs    []styledRun
}

// styledRun is a stretch of a paragraph's raw text in one type style.
type styledRun struct {
	end          int // offset in para.b where the run ends
	bold, italic bool
}

// runProps are a run's own properties: 1 on, -1 off, 0 not said.
type runProps struct {
	bold, italic int8
	style        string // w:rStyle
}

type table struct {
	rows  []string
	cells []string
	cell  *strings.Builder
}

type altState struct{ chosen bool }

// walker turns a document, footnotes or endnotes part into blocks.
type walker struct {
	ctx    context.Context
	d      *container.Decoder
	styles map[string]styleInfo
	notes  bool // a notes part: every paragraph is a text block
	blocks []document.Block
	paras  []*para
	tables []*table
	fields []bool // open fields: true once past "separate" (showing the result)
	alts   []altState
	run    runProps // the open run's properties
	inRun  bool

	budget    int64 // text bytes this part may still add (Limits.MaxTextBytes)
	used      int64
	truncated bool // the budget ran out: the walk stopped there
}

// maxFields bounds the field stack of a document with unbalanced fldChars.
const maxFields = 64

func newWalker(ctx context.Context, styles map[string]styleInfo, notes bool, budget int64) *walker {
	if budget <= 0 {
		budget = document.DefaultLimits().MaxTextBytes
	}
	return &walker{ctx: ctx, styles: styles, notes: notes, budget: budget}
}

func (w *walker) walk(data []byte, lim document.Limits) error {
	w.d = container.NewDecoder(w.ctx, data, lim)
	defer w.flushOpen()
	for {
		tok, err := w.d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := w.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			w.end(t)
		}
		if w.truncated {
			return nil
		}
	}
}

func (w *walker) start(t xml.StartElement) error {
	if isMC(t.Name) {
		switch t.Name.Local {
		case "AlternateContent":
			w.alts = append(w.alts, altState{})
		case "Choice", "Fallback":
			if len(w.alts) == 0 {
				return nil
			}
			top := &w.alts[len(w.alts)-1]
			if top.chosen {
				return w.d.Skip()
			}
			top.chosen = true
		}
		return nil
	}
	if !isW(t.Name) {
		return nil
	}
	switch t.Name.Local {
	case "p":
		w.paras = append(w.paras, &para{outline: -1})
	case "pPr":
		return w.readPPr()
	case "r":
		w.run, w.inRun = runProps{}, true
	case "rPr":
		if w.inRun {
			return w.readRPr()
		}
		return w.d.Skip()
	case "sdtPr", "sdtEndPr", "del", "moveFrom", "delText", "instrText", "delInstrText",
		"tblPr", "trPr", "tcPr", "tblGrid", "sectPr", "bookmarkStart", "commentRangeStart":
		return w.d.Skip()
	case "footnote", "endnote":
		if typ := container.Attr(t, "type"); typ != "" && typ != "normal" {
			return w.d.Skip() // separators and continuation notices
		}
	case "t":
		// Run text straight from the tokens, never more than the text
		// budget: a 50 MB text node is not copied and normalised whole.
		target := w.d.Depth() - 1
		for w.d.Depth() > target {
			tok, err := w.d.Token()
			if err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
			if cd, ok := tok.(xml.CharData); ok {
				w.write(string(w.capped(cd)))
			}
		}
	case "tab", "ptab":
		w.write(" ")
	case "br", "cr":
		// A line break inside a paragraph (stat-block lines, verse) keeps
		// its line; page and column breaks end a line too.
		w.write("\n")
	case "noBreakHyphen":
		w.write("-")
	case "softHyphen":
		w.write("\u00AD")
	case "sym":
		if r, err := strconv.ParseUint(container.Attr(t, "char"), 16, 32); err == nil && r >= 0x20 && (r < 0xE000 || r > 0xF8FF) {
			w.write(string(rune(r)))
		}
	case "fldChar":
		switch container.Attr(t, "fldCharType") {
		case "begin":
			if len(w.fields) < maxFields {
				w.fields = append(w.fields, false)
			}
		case "separate":
			if len(w.fields) > 0 {
				w.fields[len(w.fields)-1] = true
			}
		case "end":
			if len(w.fields) > 0 {
				w.fields = w.fields[:len(w.fields)-1]
			}
		}
	case "tbl":
		w.tables = append(w.tables, &table{})
	case "tr":
		if tb := w.table(); tb != nil {
			tb.closeRow()
		}
	case "tc":
		if tb := w.table(); tb != nil {
			tb.closeCell()
			tb.cell = &strings.Builder{}
		}
	}
	return nil
}

func (w *walker) end(t xml.EndElement) {
	if isMC(t.Name) {
		if t.Name.Local == "AlternateContent" && len(w.alts) > 0 {
			w.alts = w.alts[:len(w.alts)-1]
		}
		return
	}
	if !isW(t.Name) {
		return
	}
	switch t.Name.Local {
	case "r":
		w.run, w.inRun = runProps{}, false
	case "p":
		if len(w.paras) > 0 {
			p := w.paras[len(w.paras)-1]
			w.paras = w.paras[:len(w.paras)-1]
			w.emit(p)
		}
		// A field code never spans paragraphs: one begun and not separated
		// by the paragraph's end is broken, and must not hide what follows.
		open := w.fields[:0]
		for _, showing := range w.fields {
			if showing {
				open = append(open, showing)
			}
		}
		w.fields = open
	case "tc":
		if tb := w.table(); tb != nil {
			tb.closeCell()
		}
	case "tr":
		if tb := w.table(); tb != nil {
			tb.closeRow()
		}
	case "tbl":
		w.closeTable()
	}
}

// write adds run text to the open paragraph, unless it is a field's code.
func (w *walker) write(s string) {
	if len(w.paras) == 0 {
		return
	}
	for _, showing := range w.fields {
		if !showing {
			return
		}
	}
	p := w.paras[len(w.paras)-1]
	left := w.budget - w.used - int64(p.b.Len())
	if left < 0 {
		w.truncated = true // no need to keep (and normalise) what cannot be output
		return
	}
	if int64(len(s)) > left {
		s = s[:left]
		w.truncated = true
	}
	p.b.WriteString(s)
	bold, italic := w.runStyle(p)
	if n := len(p.runs); n > 0 && p.runs[n-1].bold == bold && p.runs[n-1].italic == italic {
		p.runs[n-1].end = p.b.Len()
		return
	}
	p.runs = append(p.runs, styledRun{end: p.b.Len(), bold: bold, italic: italic})
}

// runStyle returns the open run's weight and slant: its own properties,
// else its character style's, else its paragraph style's.
func (w *walker) runStyle(p *para) (bold, italic bool) {
	b, i := w.run.bold, w.run.italic
	if b == 0 || i == 0 {
		cb, ci := runStyle(w.run.style, w.styles)
		if b == 0 {
			b = cb
		}
		if i == 0 {
			i = ci
		}
	}
	if b == 0 || i == 0 {
		pb, pi := runStyle(p.style, w.styles)
		if b == 0 {
			b = pb
		}
		if i == 0 {
			i = pi
		}
	}
	return b > 0, i > 0
}

// readRPr reads a run's properties: weight, slant and character style.
func (w *walker) readRPr() error {
	target := w.d.Depth() - 1
	for w.d.Depth() > target {
		tok, err := w.d.Token()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || !isW(se.Name) {
			continue
		}
		switch se.Name.Local {
		case "b":
			w.run.bold = toggle(se)
		case "i":
			w.run.italic = toggle(se)
		case "rStyle":
			w.run.style = container.Attr(se, "val")
		}
	}
	return nil
}

// capped cuts run text that alone is over the text budget.
func (w *walker) capped(b []byte) []byte {
	if left := w.budget - w.used; int64(len(b)) > left && left >= 0 {
		w.truncated = true
		return b[:left]
	}
	return b
}

// readPPr reads the paragraph properties that decide the block type.
func (w *walker) readPPr() error {
	var p *para
	if len(w.paras) > 0 {
		p = w.paras[len(w.paras)-1]
	}
	target := w.d.Depth() - 1
	for w.d.Depth() > target {
		tok, err := w.d.Token()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || p == nil || !isW(se.Name) {
			continue
		}
		switch se.Name.Local {
		case "pStyle":
			p.style = container.Attr(se, "val")
		case "numId":
			p.list = container.Attr(se, "val") != "0"
		case "outlineLvl":
			if n, err := strconv.Atoi(container.Attr(se, "val")); err == nil {
				p.outline = n
			}
		case "rPr":
			if err := w.d.Skip(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *walker) table() *table {
	if len(w.tables) == 0 {
		return nil
	}
	return w.tables[len(w.tables)-1]
}

func (t *table) closeCell() {
	if t.cell == nil {
		return
	}
	t.cells = append(t.cells, textnorm.Line(t.cell.String()))
	t.cell = nil
}

func (t *table) closeRow() {
	t.closeCell()
	if row := document.TableRow(t.cells); row != "" {
		t.rows = append(t.rows, row)
	}
	t.cells = nil
}

func (w *walker) closeTable() {
	tb := w.table()
	if tb == nil {
		return
	}
	tb.closeRow()
	w.tables = w.tables[:len(w.tables)-1]
	if len(tb.rows) == 0 {
		return
	}
	if outer := w.table(); outer != nil && outer.cell != nil {
		appendSpaced(outer.cell, strings.Join(tb.rows, " "))
		return
	}
	blk := document.Block{Type: document.Table, Text: strings.Join(tb.rows, "\n")}
	if entry.AbilityHeadRE.MatchString(tb.rows[0]) {
		blk.Role = document.RoleStats // a stat block's ability scores
	}
	w.blocks = append(w.blocks, blk)
}

// emit turns a finished paragraph into a block, or into the open cell.
func (w *walker) emit(p *para) {
	text := paragraphText(p.b.String())
	if text == "" {
		return
	}
	if w.used+int64(len(text)) > w.budget {
		text = container.TruncateText(text, int(w.budget-w.used))
		w.truncated = true
		if text == "" {
			return
		}
	}
	w.used += int64(len(text))
	if tb := w.table(); tb != nil && tb.cell != nil {
		appendSpaced(tb.cell, strings.ReplaceAll(text, "\n", " "))
		return
	}
	typ := document.Paragraph
	if !w.notes && !p.list && !w.truncated && w.splitLines(p) {
		return
	}
	if !w.notes {
		st := w.styles[p.style]
		switch {
		case p.outline >= 0 && p.outline <= 8, st.heading(p.style, w.styles):
			typ = document.Heading
		case p.list || st.list(w.styles):
			typ = document.List
		}
	}
	if typ == document.Heading {
		text = strings.ReplaceAll(text, "\n", " ")
	}
	blk := document.Block{Type: typ, Text: text}
	if !w.notes {
		var label string
		blk.Style, blk.Lead, label = runStyles(p.b.String(), p.runs, text)
		switch {
		case typ == document.Heading:
			blk.Level = headingLevel(p.style, w.styles)
			if p.outline >= 0 && p.outline <= 8 {
				blk.Level = min(p.outline+1, 6)
			}
		case statParagraph(text, label):
			blk.Role = document.RoleStats
		}
	}
	w.blocks = append(w.blocks, blk)
}

// splitLines emits a paragraph whose lines, set apart by line breaks, are
// an entry's head: a type line and stat lines ("*Medium plant, unaligned*",
// "**Armor Class** 13", "**Hit Points** 22 (4d8 + 4)"), each line a block
// of its own. It reports false (nothing emitted) for other paragraphs:
// verse and addresses keep their lines in one block.
func (w *walker) splitLines(p *para) bool {
	raw := p.b.String()
	if strings.IndexByte(raw, '\n') < 0 || w.styles[p.style].heading(p.style, w.styles) || p.outline >= 0 {
		return false
	}
	type line struct {
		text, label string
		style       document.Style
		lead        string
		stats       bool
	}
	var lines []line
	stats := 0
	start := 0
	for start <= len(raw) {
		end := strings.IndexByte(raw[start:], '\n')
		if end < 0 {
			end = len(raw)
		} else {
			end += start
		}
		seg := raw[start:end]
		// The runs of this line, their ends made relative to it.
		var rs []styledRun
		for _, r := range p.runs {
			if r.end <= start {
				continue
			}
			rs = append(rs, styledRun{end: min(r.end, end) - start, bold: r.bold, italic: r.italic})
			if r.end >= end {
				break
			}
		}
		if text := textnorm.Line(seg); text != "" {
			var ln line
			ln.text = text
			ln.style, ln.lead, ln.label = runStyles(seg, rs, text)
			ln.stats = statParagraph(text, ln.label)
			if ln.stats {
				stats++
			}
			lines = append(lines, ln)
		}
		start = end + 1
	}
	if stats < 2 || stats*2 < len(lines) {
		return false
	}
	// The text budget already counts the paragraph (emit).
	for _, ln := range lines {
		blk := document.Block{Type: document.Paragraph, Text: ln.text, Style: ln.style, Lead: ln.lead}
		if ln.stats {
			blk.Role = document.RoleStats
		}
		w.blocks = append(w.blocks, blk)
	}
	return true
}

// runStyles returns the style a whole paragraph is set in (where uniform)
// and its run-in label: the opening runs in bold or italic, when the rest
// of the paragraph is set otherwise and the label ends in a full stop or
// colon ("Power Strike." in "**Power Strike.** When you hit ..."). label
// is the styled opening with or without a stop ("Armor Class"). raw is the
// paragraph's text before normalisation, text after.
func runStyles(raw string, runs []styledRun, text string) (style document.Style, lead, label string) {
	type span struct {
		s            string
		end          int
		bold, italic bool
	}
	var spans []span
	start := 0
	for _, r := range runs {
		end := min(r.end, len(raw))
		if end > start {
			if seg := raw[start:end]; strings.TrimSpace(seg) != "" {
				spans = append(spans, span{seg, end, r.bold, r.italic})
			}
		}
		start = max(start, end)
	}
	if len(spans) == 0 {
		return "", "", ""
	}
	uniform := true
	for _, sp := range spans[1:] {
		if hasAlnum(sp.s) && (sp.bold != spans[0].bold || sp.italic != spans[0].italic) {
			uniform = false
		}
	}
	if uniform {
		return document.MakeStyle(spans[0].bold, spans[0].italic), "", ""
	}
	first := spans[0]
	if !first.bold && !first.italic {
		return "", "", ""
	}
	var opening strings.Builder
	k, cut := 0, 0
	for k < len(spans) && (spans[k].bold == first.bold && spans[k].italic == first.italic || !hasAlnum(spans[k].s)) {
		opening.WriteString(spans[k].s)
		cut = spans[k].end
		k++
	}
	label = textnorm.Line(opening.String())
	if rest := strings.TrimSpace(raw[cut:]); strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, ":") {
		label += rest[:1] // the stop set in the body face
	}
	if n := len(strings.Fields(label)); n == 0 || n > 8 || !strings.HasPrefix(text, label) {
		return "", "", ""
	}
	if strings.HasSuffix(label, ".") || strings.HasSuffix(label, ":") {
		lead = label
	}
	return "", lead, label
}

// statParagraph reports a stat block paragraph: every line a stat line
// ("Armor Class 17 (natural armor)", "HD 3, AC 5"). label is the styled
// opening of the paragraph, if any.
func statParagraph(text, label string) bool {
	label = strings.TrimRight(label, ".:")
	for i, ln := range strings.Split(text, "\n") {
		l := ""
		if i == 0 {
			l = label
		}
		if !entry.StatLine(strings.TrimSpace(ln), l) {
			return false
		}
	}
	return true
}

// hasAlnum reports whether s holds a letter or digit.
func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// paragraphText normalises a paragraph's runs, keeping the lines its
// breaks made and dropping empty ones.
func paragraphText(raw string) string {
	s := textnorm.String(raw)
	if strings.IndexByte(s, '\n') < 0 {
		return strings.TrimSpace(s)
	}
	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, ln := range lines {
		if ln = strings.TrimSpace(ln); ln != "" {
			kept = append(kept, ln)
		}
	}
	return strings.Join(kept, "\n")
}

// flushOpen emits what a truncated part left open.
func (w *walker) flushOpen() {
	for len(w.paras) > 0 {
		p := w.paras[len(w.paras)-1]
		w.paras = w.paras[:len(w.paras)-1]
		w.emit(p)
	}
	for len(w.tables) > 0 {
		w.closeTable()
	}
}

func appendSpaced(b *strings.Builder, s string) {
	if s == "" {
		return
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(s)
}
