package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// Page geometry of the two-column PDF, in points (A4).
const (
	pageW      = 595.28
	pageH      = 841.89
	marginX    = 54.0
	marginTop  = 62.0
	marginBot  = 64.0
	colGap     = 20.0
	bodySize   = 10.0
	bodyLead   = 12.6
	tableSize  = 8.5
	tableLead  = 10.6
	quoteSize  = 9.0
	quoteLead  = 11.4
	fontFamily = "gofont"
)

const (
	headerRight = "Corpora Sample Books"
	footerText  = "Original sample text · CC0 1.0"
)

// piece is a run of one style inside a word.
type piece struct {
	text  string
	style string // "", "B" or "I"
}

// word is what the line breaker moves: pieces with no space between them.
type word []piece

// pdfLine is one laid-out line: words, and whether it may be justified.
type pdfLine struct {
	words   []word
	justify bool
}

// pdfBook lays a book out in two columns with fpdf.
type pdfBook struct {
	f         *fpdf.Fpdf
	title     string
	col       int
	y         float64 // top of the next line box
	colTop    float64
	colW      float64
	hyphens   []string // every line-end hyphenation made, "left-|right"
	fontSize  float64
	fontStyle string
}

// renderPDF builds the two-column PDF of bk and returns its bytes and the
// hyphenations made at line ends.
func renderPDF(bk *book, meta bookMeta) ([]byte, []string, error) {
	f := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	f.SetCatalogSort(true)
	f.SetCreationDate(fixedTime)
	f.SetModificationDate(fixedTime)
	f.SetProducer("corpora sample book generator", true)
	f.SetCreator("examples/gen", true)
	f.SetTitle(bk.title, true)
	f.SetAuthor(meta.author, true)
	f.SetSubject(meta.subject, true)
	f.SetKeywords(meta.keywords, true)
	f.SetLang("en")
	f.SetAutoPageBreak(false, 0)
	f.SetMargins(marginX, marginTop, marginX)
	f.AddUTF8FontFromBytes(fontFamily, "", goregular.TTF)
	f.AddUTF8FontFromBytes(fontFamily, "B", gobold.TTF)
	f.AddUTF8FontFromBytes(fontFamily, "I", goitalic.TTF)

	p := &pdfBook{f: f, title: bk.title, colW: (pageW - 2*marginX - colGap) / 2}
	p.newPage()
	blocks := bk.blocks
	// Title block across both columns: the # title and the italic line after it.
	if len(blocks) > 0 && blocks[0].kind == blockHeading && blocks[0].level == 1 {
		p.setFont("B", 22)
		f.SetTextColor(0, 0, 0)
		w := f.GetStringWidth(bk.title)
		f.Bookmark(bk.title, 0, p.y)
		f.Text((pageW-w)/2, p.y+22, bk.title)
		p.y += 34
		blocks = blocks[1:]
		if len(blocks) > 0 && blocks[0].kind == blockPara {
			p.setFont("I", 10.5)
			for _, ln := range p.breakLines(toWords(blocks[0].lines[0], "I"), pageW-2*marginX-80, 10.5, false) {
				w := p.lineWidth(ln, 10.5)
				p.drawLine(ln, (pageW-w)/2, p.y+10.5, 10.5, 0)
				p.y += 13
			}
			blocks = blocks[1:]
		}
		p.y += 6
		f.SetDrawColor(0, 0, 0)
		f.SetLineWidth(0.8)
		f.Line(marginX, p.y, pageW-marginX, p.y)
		p.y += 14
		p.colTop = p.y
	}
	for _, b := range blocks {
		switch b.kind {
		case blockHeading:
			p.heading(b)
		case blockPara:
			p.paragraph(b)
		case blockList:
			p.list(b)
		case blockTable:
			p.table(b)
		case blockQuote:
			p.sidebar(b)
		}
	}
	if len(bk.noteIDs) > 0 {
		for _, id := range bk.noteIDs {
			note := append(inline{{text: footnoteNumber(bk, id) + " "}}, bk.footnotes[id]...)
			p.paragraph(block{kind: blockPara, lines: []inline{note}})
		}
	}
	if err := f.Error(); err != nil {
		return nil, nil, fmt.Errorf("render %s: %w", bk.title, err)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, nil, fmt.Errorf("write %s: %w", bk.title, err)
	}
	return buf.Bytes(), p.hyphens, nil
}

// footnoteNumber is the number a footnote id was given at its first reference.
func footnoteNumber(bk *book, id string) string {
	for i, n := range bk.noteIDs {
		if n == id {
			return fmt.Sprint(i + 1)
		}
	}
	return id
}

func (p *pdfBook) setFont(style string, size float64) {
	p.f.SetFont(fontFamily, style, size)
	p.fontStyle, p.fontSize = style, size
}

// newPage starts a page with its running header and footer.
func (p *pdfBook) newPage() {
	f := p.f
	f.AddPage()
	n := f.PageNo()
	f.SetTextColor(90, 90, 90)
	f.SetDrawColor(120, 120, 120)
	f.SetLineWidth(0.4)
	p.setFont("I", 8.5)
	f.Text(marginX, 40, p.title)
	f.Text(pageW-marginX-f.GetStringWidth(headerRight), 40, headerRight)
	f.Line(marginX, 45, pageW-marginX, 45)
	f.Line(marginX, pageH-46, pageW-marginX, pageH-46)
	p.setFont("", 8.5)
	num := fmt.Sprint(n)
	// Page numbers sit on the outside corner, as in a printed book.
	if n%2 == 1 {
		f.Text(marginX, pageH-34, footerText)
		f.Text(pageW-marginX-f.GetStringWidth(num), pageH-34, num)
	} else {
		f.Text(marginX, pageH-34, num)
		f.Text(pageW-marginX-f.GetStringWidth(footerText), pageH-34, footerText)
	}
	f.SetTextColor(0, 0, 0)
	f.SetDrawColor(0, 0, 0)
	p.col = 0
	p.y = marginTop
	p.colTop = marginTop
}

func (p *pdfBook) x0() float64 { return marginX + float64(p.col)*(p.colW+colGap) }

func (p *pdfBook) bottom() float64 { return pageH - marginBot }

// need moves to the next column (or page) unless h points fit below y.
func (p *pdfBook) need(h float64) {
	if p.y+h <= p.bottom() {
		return
	}
	if p.col == 0 {
		p.col = 1
		p.y = p.colTop
		return
	}
	p.newPage()
}

func (p *pdfBook) atColumnTop() bool { return p.y == p.colTop }

func (p *pdfBook) heading(b block) {
	size, before, after := 15.0, 12.0, 6.0
	level := 0
	if b.level >= 3 {
		size, before, after, level = 11.5, 9.0, 4.0, 1
	}
	text := b.lines[0].plain()
	p.setFont("B", size)
	// Letter-spaced, so leave room for the extra spacing.
	lines := p.breakLines(toWords(b.lines[0], "B"), p.colW-size*2, size, false)
	h := float64(len(lines)) * size * 1.2
	if !p.atColumnTop() {
		p.y += before
	}
	p.need(h + after + 3*bodyLead) // keep with the next lines
	p.f.Bookmark(text, level, p.y)
	for _, ln := range lines {
		p.drawSpaced(ln, p.x0(), p.y+size, size, headingTracking)
		p.y += size * 1.2
	}
	p.y += after
}

// headingTracking is the character spacing (Tc) of headings, in points.
const headingTracking = 0.6

// drawSpaced draws a line the way display type often is: letter-spaced
// with the Tc operator, each word placed on its own with no space
// character between words. Text extractors must find the word boundaries
// from the gaps, and must not glue "Ashmaw Drake" into "AshmawDrake" nor
// split letters apart.
func (p *pdfBook) drawSpaced(ln pdfLine, x, y, size, tc float64) {
	sp := p.spaceWidth(size)
	p.f.RawWriteStr(fmt.Sprintf("%.2f Tc\n", tc))
	for _, wd := range ln.words {
		for _, pc := range wd {
			text := visible(pc.text)
			p.setFont(pc.style, size)
			p.f.Text(x, y, text)
			x += p.f.GetStringWidth(text) + tc*float64(utf8.RuneCountInString(text))
		}
		x += sp + tc
	}
	p.f.RawWriteStr("0 Tc\n")
}

func (p *pdfBook) paragraph(b block) {
	for _, hard := range b.lines {
		lines := p.breakLines(toWords(hard, ""), p.colW, bodySize, true)
		for _, ln := range lines {
			p.need(bodyLead)
			p.drawLine(ln, p.x0(), p.y+bodySize, bodySize, p.colW)
			p.y += bodyLead
		}
	}
	p.y += 4
}

func (p *pdfBook) list(b block) {
	const indent = 11.0
	for _, it := range b.items {
		lines := p.breakLines(toWords(it, ""), p.colW-indent, bodySize, true)
		for i, ln := range lines {
			p.need(bodyLead)
			if i == 0 {
				p.setFont("", bodySize)
				p.f.Text(p.x0()+2, p.y+bodySize, "•")
			}
			p.drawLine(ln, p.x0()+indent, p.y+bodySize, bodySize, p.colW-indent)
			p.y += bodyLead
		}
		p.y += 2
	}
	p.y += 3
}

func (p *pdfBook) sidebar(b block) {
	const pad = 7.0
	var lines []pdfLine
	for _, hard := range b.lines {
		lines = append(lines, p.breakLines(toWords(hard, ""), p.colW-2*pad-3, quoteSize, true)...)
	}
	h := float64(len(lines))*quoteLead + 2*pad
	p.y += 4
	p.need(h)
	p.f.SetFillColor(232, 232, 232)
	p.f.Rect(p.x0(), p.y, p.colW, h, "F")
	p.f.SetFillColor(60, 60, 60)
	p.f.Rect(p.x0(), p.y, 3, h, "F")
	y := p.y + pad
	for _, ln := range lines {
		p.drawLine(ln, p.x0()+pad+3, y+quoteSize, quoteSize, p.colW-2*pad-3)
		y += quoteLead
	}
	p.y += h + 8
}

func (p *pdfBook) table(b block) {
	const pad = 3.0
	ncol := 0
	for _, r := range b.rows {
		ncol = max(ncol, len(r))
	}
	nat := make([]float64, ncol)
	for ri, r := range b.rows {
		style := ""
		if ri == 0 {
			style = "B"
		}
		for c, cell := range r {
			w := 0.0
			for _, wd := range toWords(cell, style) {
				w += p.wordWidth(wd, tableSize) + p.spaceWidth(tableSize)
			}
			nat[c] = max(nat[c], w+2*pad)
		}
	}
	widths := columnWidths(nat, p.colW)
	type cellLines [][]pdfLine
	var laid []cellLines
	for ri, r := range b.rows {
		style := ""
		if ri == 0 {
			style = "B"
		}
		var row cellLines
		for c := range ncol {
			var cell inline
			if c < len(r) {
				cell = r[c]
			}
			row = append(row, p.breakLines(toWords(cell, style), widths[c]-2*pad, tableSize, false))
		}
		laid = append(laid, row)
	}
	p.y += 3
	for ri, row := range laid {
		n := 1
		for _, c := range row {
			n = max(n, len(c))
		}
		h := float64(n)*tableLead + 2*pad
		p.need(h)
		if ri == 0 || p.atColumnTop() {
			p.f.SetLineWidth(0.8)
			p.f.Line(p.x0(), p.y, p.x0()+p.colW, p.y)
		}
		x := p.x0()
		for c, lines := range row {
			y := p.y + pad
			for _, ln := range lines {
				p.drawLine(ln, x+pad, y+tableSize, tableSize, 0)
				y += tableLead
			}
			x += widths[c]
		}
		p.y += h
		lw := 0.3
		if ri == 0 || ri == len(laid)-1 {
			lw = 0.8
		}
		p.f.SetLineWidth(lw)
		p.f.Line(p.x0(), p.y, p.x0()+p.colW, p.y)
	}
	p.y += 8
}

// columnWidths shares total between table columns: narrow columns get their
// natural width, wide ones share the rest in proportion.
func columnWidths(nat []float64, total float64) []float64 {
	out := make([]float64, len(nat))
	sum := 0.0
	for _, w := range nat {
		sum += w
	}
	if sum <= total {
		for i, w := range nat {
			out[i] = w * total / sum
		}
		return out
	}
	fair := total / float64(len(nat))
	rest, wide := total, 0.0
	for i, w := range nat {
		if w <= fair {
			out[i] = w
			rest -= w
		} else {
			wide += w
		}
	}
	for i, w := range nat {
		if w > fair {
			out[i] = w * rest / wide
		}
	}
	return out
}

// toWords splits styled text into words; base is the style of plain spans.
// Deleted spans are dropped; footnote references become "[n]".
func toWords(in inline, base string) []word {
	var words []word
	var cur word
	flush := func() {
		if len(cur) > 0 {
			words = append(words, cur)
			cur = nil
		}
	}
	for _, s := range in {
		if s.deleted {
			continue
		}
		style := base
		switch {
		case s.bold:
			style = "B"
		case s.italic:
			style = "I"
		}
		text := strings.ReplaceAll(s.text, "\u2011", "-") // the Go fonts lack U+2011
		if s.footnote != "" {
			text = "[" + text + "]"
		}
		parts := strings.Split(text, " ")
		for i, part := range parts {
			if i > 0 {
				flush()
			}
			if part != "" {
				cur = append(cur, piece{text: part, style: style})
			}
		}
	}
	flush()
	return words
}

// visible drops the soft hyphens a reader does not see.
func visible(s string) string { return strings.ReplaceAll(s, "\u00ad", "") }

func (p *pdfBook) pieceWidth(pc piece, size float64) float64 {
	p.setFont(pc.style, size)
	return p.f.GetStringWidth(visible(pc.text))
}

func (p *pdfBook) wordWidth(w word, size float64) float64 {
	sum := 0.0
	for _, pc := range w {
		sum += p.pieceWidth(pc, size)
	}
	return sum
}

func (p *pdfBook) spaceWidth(size float64) float64 {
	p.setFont("", size)
	return p.f.GetStringWidth(" ")
}

func (p *pdfBook) lineWidth(ln pdfLine, size float64) float64 {
	w := 0.0
	for i, wd := range ln.words {
		if i > 0 {
			w += p.spaceWidth(size)
		}
		w += p.wordWidth(wd, size)
	}
	return w
}

// breakLines fills lines of width w greedily. When hyphenate is set, a word
// that does not fit is split at a soft hyphen or a syllable boundary with a
// hyphen at the line end, as a typesetter would.
func (p *pdfBook) breakLines(words []word, w, size float64, hyphenate bool) []pdfLine {
	var lines []pdfLine
	var cur []word
	curW := 0.0
	sp := p.spaceWidth(size)
	for i := 0; i < len(words); i++ {
		wd := words[i]
		ww := p.wordWidth(wd, size)
		add := ww
		if len(cur) > 0 {
			add += sp
		}
		if curW+add <= w {
			cur = append(cur, wd)
			curW += add
			continue
		}
		if hyphenate && len(wd) == 1 {
			room := w - curW
			if len(cur) > 0 {
				room -= sp
			}
			if left, right, ok := p.hyphenate(wd[0], room, size); ok {
				cur = append(cur, word{left})
				lines = append(lines, pdfLine{words: cur, justify: true})
				p.hyphens = append(p.hyphens, visible(left.text)+"|"+visible(right.text))
				cur, curW = nil, 0
				words[i] = word{right}
				i-- // place the rest of the word on the next line
				continue
			}
		}
		if len(cur) > 0 {
			lines = append(lines, pdfLine{words: cur, justify: true})
		}
		cur, curW = []word{wd}, ww
	}
	if len(cur) > 0 {
		lines = append(lines, pdfLine{words: cur})
	}
	return lines
}

// hyphenate splits pc so that its left part plus a hyphen fits in room.
// Soft hyphens in the word are the only break points when present;
// otherwise syllableBreaks chooses them in a purely alphabetic word of seven or more letters. Words with a hard hyphen are
// never broken (a parser cannot tell "3rd-" + "level" from a split word).
func (p *pdfBook) hyphenate(pc piece, room, size float64) (piece, piece, bool) {
	rs := []rune(pc.text)
	var points []int // break before rs[k]; for a soft hyphen, k is its index
	soft := strings.ContainsRune(pc.text, '\u00ad')
	if soft {
		for k, r := range rs {
			if r == '\u00ad' {
				points = append(points, k)
			}
		}
	} else {
		start, end := 0, len(rs)
		for start < end && !unicode.IsLetter(rs[start]) {
			start++
		}
		for end > start && !unicode.IsLetter(rs[end-1]) {
			end--
		}
		if end-start < 7 {
			return piece{}, piece{}, false
		}
		for _, r := range rs[start:end] {
			if !unicode.IsLetter(r) {
				return piece{}, piece{}, false
			}
		}
		points = syllableBreaks([]rune(strings.ToLower(string(rs))), start, end)
	}
	for i := len(points) - 1; i >= 0; i-- {
		k := points[i]
		left := piece{text: visible(string(rs[:k])) + "-", style: pc.style}
		rightStart := k
		if soft {
			rightStart = k + 1
		}
		right := piece{text: string(rs[rightStart:]), style: pc.style}
		if p.pieceWidth(left, size) <= room {
			return left, right, true
		}
	}
	return piece{}, piece{}, false
}

// suffixes are endings a typesetter breaks before ("attune-ment").
var suffixes = []string{"ment", "ness", "tion", "sion", "able", "less", "ful", "ling"}

// syllableBreaks returns the break points of the letters low[start:end]:
// between two consonants that cannot begin a syllable together ("Cin-der",
// not "inc-rease"), before a consonant that starts a syllable of a rest of
// at least five letters, and before common suffixes; never closer than three
// letters to the start or four to the end.
func syllableBreaks(low []rune, start, end int) []int {
	var points []int
	for k := start + 3; k <= end-4; k++ {
		a, b, c := low[k-1], low[k], low[k+1]
		switch {
		case !isVowel(a) && !isVowel(b) && !digraph(a, b) && !digraph(b, c) && !onset(a, b):
			points = append(points, k)
		case isVowel(a) && !isVowel(b) && isVowel(c) && end-k >= 5:
			points = append(points, k)
		}
	}
	word := string(low[start:end])
	for _, suf := range suffixes {
		k := end - len([]rune(suf))
		if strings.HasSuffix(word, suf) && k-start >= 3 && !slices.Contains(points, k) {
			points = append(points, k)
		}
	}
	slices.Sort(points)
	return points
}

// onset reports whether a and b can begin an English syllable together.
func onset(a, b rune) bool {
	switch string([]rune{a, b}) {
	case "bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr", "sc", "sk", "sl", "sm", "sn", "sp", "st", "sw", "tr", "tw":
		return true
	}
	return false
}

func isVowel(r rune) bool { return strings.ContainsRune("aeiouy", r) }

func digraph(a, b rune) bool {
	switch string([]rune{a, b}) {
	case "th", "ch", "sh", "ph", "wh", "ck", "gh", "qu", "ng", "nk":
		return true
	}
	return false
}

// drawLine draws ln with its baseline at y. A positive width justifies
// lines that may be justified by widening the spaces, as long as the gaps
// stay moderate. Every gap is drawn as a real space character so text
// extractors see word boundaries.
func (p *pdfBook) drawLine(ln pdfLine, x, y, size, width float64) {
	sp := p.spaceWidth(size)
	extra := 0.0
	if width > 0 && ln.justify && len(ln.words) > 1 {
		gap := (width - p.lineWidth(ln, size)) / float64(len(ln.words)-1)
		if gap < 2.5*sp {
			extra = gap
		}
	}
	for i, wd := range ln.words {
		for j, pc := range wd {
			text := visible(pc.text)
			last := j == len(wd)-1 && i < len(ln.words)-1
			if last {
				text += " "
			}
			p.setFont(pc.style, size)
			p.f.Text(x, y, text)
			x += p.f.GetStringWidth(visible(pc.text))
			if last {
				x += sp + extra
			}
		}
	}
}
