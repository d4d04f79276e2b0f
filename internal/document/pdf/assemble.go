package pdf

import (
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/entry"
	"github.com/corpora-tools/corpora/internal/document/pdf/layout"
	"github.com/corpora-tools/corpora/internal/document/pdf/pdfium"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

// pageText is one page after layout analysis.
type pageText struct {
	n      int // 1-based page number
	w, h   float32
	blocks []layout.Block
	ocr    bool
}

// mergeLeaves joins consecutive leaves of running text that the band cut
// separated only because the line spacing is loose.
func mergeLeaves(blocks []layout.Block) []layout.Block {
	loose := looseLeading(blocks)
	var out []layout.Block
	for _, b := range blocks {
		if n := len(out); n > 0 && !b.Table && !out[n-1].Table && len(b.Lines) > 0 && len(out[n-1].Lines) > 0 {
			p := out[n-1].Lines[len(out[n-1].Lines)-1]
			c := b.Lines[0]
			sameSize := c.Size > 0 && p.Size > 0 && abs32(c.Size-p.Size) <= 0.06*max(c.Size, p.Size)
			gap := p.Box.B - c.Box.T
			overlapX := min(p.Box.R, c.Box.R) - max(p.Box.L, c.Box.L)
			near := gap <= 0.45*c.Size || loose > 0 && gap <= 1.1*loose
			if sameSize && gap >= -0.2*c.Size && near && overlapX > 0 {
				out[n-1].Lines = append(out[n-1].Lines, b.Lines...)
				continue
			}
		}
		out = append(out, b)
	}
	return out
}

// looseLeading returns the gap between lines of a page set with loose
// leading (one and a half lines and more), where every line falls apart
// into a leaf of its own: when most leaves hold one line, the usual gap
// between consecutive leaves of one size is the line spacing, not a
// paragraph break. 0 when the page is not set so.
func looseLeading(blocks []layout.Block) float32 {
	single := 0
	var gaps []float32
	var size float32
	for i, b := range blocks {
		if len(b.Lines) == 1 {
			single++
		}
		if i == 0 || b.Table || blocks[i-1].Table || len(b.Lines) == 0 || len(blocks[i-1].Lines) == 0 {
			continue
		}
		p, c := blocks[i-1].Lines[len(blocks[i-1].Lines)-1], b.Lines[0]
		if c.Size <= 0 || abs32(c.Size-p.Size) > 0.06*max(c.Size, p.Size) {
			continue
		}
		if g := p.Box.B - c.Box.T; g > 0 && g <= c.Size {
			gaps = append(gaps, g)
			size = max(size, c.Size)
		}
	}
	if len(gaps) < 4 || single*10 < len(blocks)*7 {
		return 0
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2]
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

var (
	digitsRE  = regexp.MustCompile(`\d+|\b[ivxlc]{1,7}\b`)
	pageNumRE = regexp.MustCompile(`(?i)^(page\s*)?(\d{1,5}|[ivxlcdm]{1,8})(\s*(of|/)\s*\d{1,5})?$`)
)

// furnitureKey is how a running header or footer is recognised across pages:
// casefolded, with numbers (page numbers, roman ones too) wildcarded.
func furnitureKey(s string) string {
	return digitsRE.ReplaceAllString(strings.ToLower(strings.TrimSpace(s)), "#")
}

// marginLine reports whether a line sits in the top or bottom band of a page
// where running headers and footers live.
func marginLine(l layout.Line, h float32) bool {
	if h <= 0 {
		return false
	}
	return l.Box.B >= 0.88*h || l.Box.T <= 0.12*h
}

// lineStyled reports a line set wholly in bold or italic.
func lineStyled(l layout.Line) bool {
	if len(l.WordStyles) == 0 {
		return false
	}
	for _, st := range l.WordStyles {
		if st == 0 {
			return false
		}
	}
	return true
}

// safeAnalyse is analyseBlock on a worker goroutine, where a panic (a bug)
// would end the process: the block's lines then come as plain text.
func safeAnalyse(b layout.Block) (out []lineInfo) {
	defer func() {
		if v := recover(); v != nil {
			out = out[:0]
			for _, l := range b.Lines {
				if s := normLine(l.Text); s != "" {
					out = append(out, lineInfo{Line: l, s: s, uniform: true})
				}
			}
		}
	}()
	return analyseBlock(b)
}

// outerLines returns a test for the lines nearest a page's top and bottom
// edges: the two highest and the two lowest baselines. Running headers and
// footers are there; a line of the text that happens to sit in the margin
// band and to repeat on other pages ("Casting Time: 1 action" at the foot
// of a column) is not furniture.
func outerLines(p *pageText) func(layout.Line) bool {
	var ys []float32
	for _, b := range p.blocks {
		for _, l := range b.Lines {
			ys = append(ys, l.Box.B)
		}
	}
	slices.Sort(ys)
	ys = slices.Compact(ys)
	return func(l layout.Line) bool {
		n := len(ys)
		if n <= 4 {
			return true
		}
		y := l.Box.B
		return y <= ys[1] || y >= ys[n-2]
	}
}

// removeFurniture drops page numbers and running headers and footers: lines
// in the page margins whose wildcarded text repeats on several pages.
func removeFurniture(pages []*pageText) {
	count := map[string]int{}
	for _, p := range pages {
		seen := map[string]bool{}
		outer := outerLines(p)
		for _, b := range p.blocks {
			for _, l := range b.Lines {
				if marginLine(l, p.h) && outer(l) {
					k := furnitureKey(l.Text)
					if !seen[k] {
						seen[k] = true
						count[k]++
					}
				}
			}
		}
	}
	body := bodySize(pages)
	need := 3
	if len(pages) <= 6 {
		need = 2
	}
	for _, p := range pages {
		if p.ocr {
			continue
		}
		var blocks []layout.Block
		outer := outerLines(p)
		for _, b := range p.blocks {
			var keep []layout.Line
			for _, l := range b.Lines {
				if marginLine(l, p.h) && outer(l) {
					t := strings.TrimSpace(l.Text)
					n := count[furnitureKey(t)]
					// A line of the body's size and style repeating at a
					// column's head or foot on a few pages ("Components:
					// V, S") is text; a running header repeats on many
					// pages or is set apart.
					apart := body <= 0 || abs32(l.Size-body) > 0.05*body || lineStyled(l)
					if pageNumRE.MatchString(t) || n >= need && (apart || n*4 >= len(pages)) {
						continue
					}
				}
				keep = append(keep, l)
			}
			if len(keep) > 0 {
				b.Lines = keep
				blocks = append(blocks, b)
			}
		}
		p.blocks = blocks
	}
}

// bodySize is the font size most text is set in.
func bodySize(pages []*pageText) float32 {
	hist := map[int]int{}
	for _, p := range pages {
		for _, b := range p.blocks {
			for _, l := range b.Lines {
				hist[int(l.Size*2+0.5)] += len(l.Text)
			}
		}
	}
	best, bestN := 0, -1
	for k, n := range hist {
		if n > bestN || (n == bestN && k < best) {
			best, bestN = k, n
		}
	}
	return float32(best) / 2
}

// normLine normalises one line, first turning a line-end soft or Unicode
// hyphen into "-" so that JoinLines can still see the break.
func normLine(s string) string {
	s = strings.TrimRight(s, " ")
	for _, h := range []string{"\u00ad", "\u2010", "\u2011", "\u0002"} {
		if strings.HasSuffix(s, h) {
			s = strings.TrimSuffix(s, h) + "-"
			break
		}
	}
	return textnorm.Line(s)
}

// hyphenKeeper decides, for a line-end hyphen, whether it is part of the
// word: it is when the document spells the compound with a hyphen somewhere
// inside a line and never closed up.
type hyphenKeeper struct {
	hyph   map[string]bool
	closed map[string]bool
}

func newHyphenKeeper(lines []string) *hyphenKeeper {
	k := &hyphenKeeper{hyph: map[string]bool{}, closed: map[string]bool{}}
	for _, l := range lines {
		for _, w := range strings.FieldsFunc(l, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
			w = strings.Trim(strings.ToLower(w), "-")
			if strings.Contains(w, "-") {
				k.hyph[w] = true
			} else if w != "" {
				k.closed[w] = true
			}
		}
	}
	return k
}

func (k *hyphenKeeper) keep(left, right string) bool {
	l, r := strings.ToLower(left), strings.ToLower(right)
	return k.hyph[l+"-"+r] && !k.closed[l+r]
}

// assemble turns the analysed pages into the document's blocks.
func assemble(pages []*pageText) []document.Block {
	removeFurniture(pages)
	body := bodySize(pages)
	var all []string
	for _, p := range pages {
		for _, b := range p.blocks {
			for _, l := range b.Lines {
				all = append(all, l.Text)
			}
		}
	}
	keeper := newHyphenKeeper(all)
	var out []document.Block
	var sizes []float32 // font size of a size heading, per block
	var nlines []int    // lines per block
	var fams []uint32   // the font family a block is set in, 0 mixed
	add := func(blk document.Block, size float32, lines int, fam uint32) {
		text := strings.TrimSpace(blk.Text)
		if text == "" {
			return
		}
		// A paragraph cut by a column or page break in mid-word continues here.
		if blk.Type == document.Paragraph && blk.Role == "" && len(out) > 0 {
			prev := &out[len(out)-1]
			if prev.Type == document.Paragraph && prev.Role == "" && endsHyphenated(prev.Text) {
				if r, _ := utf8.DecodeRuneInString(text); unicode.IsLower(r) {
					prev.Text = textnorm.JoinLines([]string{prev.Text, text}, keeper.keep)
					nlines[len(nlines)-1] += lines
					return
				}
			}
		}
		blk.Text = text
		out = append(out, blk)
		sizes = append(sizes, size)
		nlines = append(nlines, lines)
		fams = append(fams, fam)
	}
	// The lines' analysis (normalising, styles, stat patterns) runs on
	// every core; only the joining below is sequential.
	infos := make([][][]lineInfo, len(pages))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(pages))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(pages) {
					return
				}
				infos[i] = make([][]lineInfo, len(pages[i].blocks))
				for j, b := range pages[i].blocks {
					if !b.Table {
						infos[i][j] = safeAnalyse(b)
					}
				}
			}
		}()
	}
	wg.Wait()
	for pi, p := range pages {
		for bi, b := range p.blocks {
			if b.Table {
				rows := make([]string, 0, len(b.Lines))
				stats := false
				for _, l := range b.Lines {
					var s string
					if len(l.CellTexts) > 1 {
						cells := make([]string, len(l.CellTexts))
						for i, c := range l.CellTexts {
							cells[i] = normLine(c)
						}
						s = document.TableRow(cells)
					} else {
						s = normLine(l.Text)
					}
					if s != "" {
						rows = append(rows, s)
						t := normLine(l.Text)
						stats = stats || entry.AbilityHeadRE.MatchString(t) || entry.AbilityRowRE.MatchString(t)
					}
				}
				blk := document.Block{Type: document.Table, Text: strings.Join(rows, "\n"), Page: p.n}
				if stats {
					blk.Role = document.RoleStats
				}
				add(blk, 0, len(rows), 0)
				continue
			}
			for _, seg := range splitBlock(infos[pi][bi], body, p.ocr) {
				blk := document.Block{Type: document.Paragraph, Page: p.n, Style: segStyle(seg), Lead: seg.lead}
				var size float32
				switch {
				case seg.heading:
					blk.Type = document.Heading
					size = seg.lines[0].Size
				case seg.list:
					blk.Type = document.List
				}
				if seg.stats {
					blk.Role = document.RoleStats
				}
				blk.Text = segText(seg, keeper.keep)
				add(blk, size, len(seg.lines), segFamily(seg))
			}
		}
	}
	markStructure(out, sizes, nlines, fams)
	return out
}

func endsHyphenated(s string) bool {
	if !strings.HasSuffix(s, "-") || len(s) < 2 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:len(s)-1])
	return unicode.IsLetter(r)
}

// tocFrom normalises outline entries.
func tocFrom(es []pdfium.OutlineEntry) []document.TOCEntry {
	var out []document.TOCEntry
	for _, e := range es {
		t := textnorm.Line(e.Title)
		if t == "" {
			continue
		}
		out = append(out, document.TOCEntry{Title: t, Level: e.Level, Page: e.Page})
	}
	return out
}

// pdfDate turns a PDF date ("D:20230102150405+01'00'") into RFC 3339, or
// returns the input trimmed when it does not parse.
func pdfDate(s string) string {
	s = strings.TrimSpace(s)
	d := strings.TrimPrefix(s, "D:")
	digits := 0
	for digits < len(d) && d[digits] >= '0' && d[digits] <= '9' {
		digits++
	}
	if digits < 4 {
		return s
	}
	num := d[:digits]
	pad := "00000101000000"
	if len(num) < 14 {
		num += pad[len(num):]
	}
	num = num[:14]
	res := num[0:4] + "-" + num[4:6] + "-" + num[6:8] + "T" + num[8:10] + ":" + num[10:12] + ":" + num[12:14]
	rest := strings.ReplaceAll(d[digits:], "'", "")
	switch {
	case rest == "" || strings.HasPrefix(rest, "Z"):
		return res + "Z"
	case (rest[0] == '+' || rest[0] == '-') && len(rest) >= 3:
		hh, mm := rest[1:3], "00"
		if len(rest) >= 5 {
			mm = rest[3:5]
		}
		return res + rest[:1] + hh + ":" + mm
	}
	return res + "Z"
}
