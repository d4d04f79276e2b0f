// Package layout turns one page's characters, with their loose boxes in PDF
// user space, into blocks of lines in reading order; it is pure geometry,
// shared by the fast path and PDFium.
//
// Characters become words by their boxes (a gap wide for its line splits
// words that the content stream set with character spacing and no space
// glyph); words become line fragments; a recursive XY cut splits the page at
// wide white bands, at column gutters (tolerating a few full-width titles)
// and then at narrow bands, so columns are read one after the other while
// tables, whose narrow cells fail the column test, keep one row per line.
package layout

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Char is one character with its loose box in PDF user space (y up).
type Char struct {
	R          rune
	L, B, X, T float32 // left, bottom, right, top
	Size       float32 // font size, 0 when not fetched
	Style      uint8   // type style bits (bold 1, italic 2)
	Family     uint32  // font family (content.FamilyOf), 0 unknown
}

// Box is an axis-aligned rectangle in PDF user space (y grows upwards).
type Box struct{ L, B, R, T float32 }

func (a Box) H() float32 { return a.T - a.B }
func (a Box) W() float32 { return a.R - a.L }

func (a Box) Union(c Box) Box {
	return Box{min(a.L, c.L), min(a.B, c.B), max(a.R, c.R), max(a.T, c.T)}
}

// vOverlap is the vertical overlap of a and c relative to the smaller height.
func vOverlap(a, c Box) float32 {
	o := min(a.T, c.T) - max(a.B, c.B)
	m := min(a.H(), c.H())
	if m <= 0 {
		return 0
	}
	return o / m
}

// Word is a run of characters read as one word.
type Word struct {
	Text string
	Box
	Size   float32
	Style  uint8  // type style of most of its letters
	Family uint32 // font family of its first letter
}

// frag is a run of words on one baseline set close together: a line of a
// paragraph, or one cell of a table row.
type frag struct {
	words []Word
	Box
	size float32
}

func (f *frag) text() string {
	var sb strings.Builder
	for i, w := range f.words {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(w.Text)
	}
	return sb.String()
}

// Line is one line of a page in reading order.
type Line struct {
	Text  string
	Box   Box
	Size  float32
	Cells int // fragments on the line; more than one in table rows
	// WordStyles is the type style of each word of text (split at spaces), nil
	// when unknown (table rows whose cells wrap).
	WordStyles []uint8
	// CellTexts holds the text of each cell of a table row.
	CellTexts []string
	// Family is the font family every word of the line is set in, 0 when
	// mixed or unknown.
	Family uint32
}

// Block is a run of lines the layout analysis kept together.
type Block struct {
	Lines []Line
	Table bool
}

// BuildWords groups characters (in content order) into words. A word ends at
// a space, at a change of line, or at a horizontal gap that is wide for its
// line: the gap is compared with the typical gap between letters of the same
// run, so words set with character spacing but no space glyph ("flewswiftly")
// come apart while letter-spaced words stay whole.
func BuildWords(chars []Char) []Word {
	// First split at spaces and line changes into runs of kept characters.
	kept := make([]Char, 0, len(chars))
	var runs [][2]int
	start := 0
	flush := func() {
		if len(kept) > start {
			runs = append(runs, [2]int{start, len(kept)})
		}
		start = len(kept)
	}
	space := false // a space character since the last kept one
	for _, c := range chars {
		if c.R == ' ' {
			space = true
			continue
		}
		if c.X-c.L <= 0 && c.T-c.B <= 0 {
			continue // no geometry: nothing sensible to place
		}
		if len(kept) > start {
			p := kept[len(kept)-1]
			pb, cb := Box{p.L, p.B, p.X, p.T}, Box{c.L, c.B, c.X, c.T}
			h := max(pb.H(), cb.H(), 1)
			gap := c.L - p.X
			// Ligatures come back as several characters sharing one box, so
			// only a start left of the previous start counts as going back.
			// A space character ends the word unless it takes no room: some
			// typesetters (troff) put zero-width spaces inside words
			// ("chapt er") and move the pen by kerning instead.
			if vOverlap(pb, cb) < 0.5 || c.L < p.L-0.1*h || gap > 0.8*h || space && gap > 0.05*h {
				flush()
			}
		}
		space = false
		kept = append(kept, c)
	}
	flush()

	words := make([]Word, 0, len(runs)+len(runs)/4)
	var gaps, sorted []float32
	for _, r := range runs {
		cs := kept[r[0]:r[1]]
		// The typical letter gap of this run.
		gaps = gaps[:0]
		for i := 1; i < len(cs); i++ {
			gaps = append(gaps, cs[i].L-cs[i-1].X)
		}
		base := float32(0)
		if len(gaps) >= 3 {
			sorted = append(sorted[:0], gaps...)
			slices.Sort(sorted)
			base = max(0, sorted[len(sorted)/2])
		}
		from := 0
		for i := 1; i <= len(cs); i++ {
			split := i == len(cs)
			if !split {
				// Loose boxes are about 1.15 em high, whatever the font
				// matrix; a word space is about a quarter em.
				h := max(cs[i].T-cs[i].B, cs[i-1].T-cs[i-1].B, 1)
				split = gaps[i-1]-base > 0.15*h
			}
			if split {
				words = append(words, makeWord(cs[from:i]))
				from = i
			}
		}
	}
	return words
}

func makeWord(cs []Char) Word {
	var sb strings.Builder
	sb.Grow(len(cs))
	b := Box{cs[0].L, cs[0].B, cs[0].X, cs[0].T}
	var size float32
	var votes [4]int
	var fam uint32
	for _, c := range cs {
		if fam == 0 && (unicode.IsLetter(c.R) || unicode.IsDigit(c.R)) {
			fam = c.Family
		}
		sb.WriteRune(c.R)
		b = b.Union(Box{c.L, c.B, c.X, c.T})
		size = max(size, c.Size)
		if unicode.IsLetter(c.R) || unicode.IsDigit(c.R) {
			votes[c.Style&3] += 2
		} else {
			votes[c.Style&3]++ // punctuation set in the body face after a bold word
		}
	}
	if size <= 0 {
		size = b.H() / 1.2
	}
	st := uint8(0)
	for i, v := range votes {
		if v > votes[st] {
			st = uint8(i)
		}
	}
	return Word{Text: sb.String(), Box: b, Size: size, Style: st, Family: fam}
}

// buildFrags joins consecutive words on one baseline into fragments; a gap
// wider than about one em (a column gutter or a table cell boundary) starts
// a new fragment.
func buildFrags(words []Word) []*frag {
	var out []*frag
	var f *frag
	for _, w := range words {
		if f != nil {
			last := f.words[len(f.words)-1]
			gap := w.L - last.R
			em := max(last.H(), w.H(), 1)
			limit := 1.0 * em
			if len(f.words) == 1 && IsBullet(last.Text) {
				limit = 4 * em // a list bullet hangs in front of its item
			}
			if vOverlap(last.Box, w.Box) >= 0.5 && w.L >= last.L && gap < limit {
				f.words = append(f.words, w)
				f.Box = f.Box.Union(w.Box)
				f.size = max(f.size, w.Size)
				continue
			}
		}
		f = &frag{words: []Word{w}, Box: w.Box, size: w.Size}
		out = append(out, f)
	}
	return out
}

// IsBullet reports whether s is a list marker.
func IsBullet(s string) bool {
	switch s {
	case "•", "◦", "▪", "■", "●", "○", "–", "-", "*", "·", "►", "✓":
		return true
	}
	return false
}

// Page orders a page's text: a recursive XY cut splits the page at
// column gutters and horizontal white bands, so columns are read one after
// the other and tables keep one row per line.
func Page(chars []Char, pageW float32) []Block {
	frags := buildFrags(BuildWords(chars))
	if len(frags) == 0 {
		return nil
	}
	// The loose boxes are about one em high whatever scaling the content
	// stream applies to its fonts, so layout thresholds use their height.
	var hs []float32
	for _, f := range frags {
		hs = append(hs, f.H())
	}
	slices.Sort(hs)
	em := max(hs[len(hs)/2], 2)
	if pageW <= 0 {
		pageW = 612
	}
	var out []Block
	xyCut(frags, em, pageW, 0, &out)
	return out
}

func xyCut(frags []*frag, em, pageW float32, depth int, out *[]Block) {
	if len(frags) == 0 {
		return
	}
	if depth < 40 && len(frags) > 1 {
		// A wide white band is a section break (a heading over both
		// columns, a new multi-column container): cut there first. Narrow
		// bands inside two columns line up only by chance, so those are
		// cut only after the columns are separated.
		if bands := bandCut(frags, 1.5*em); len(bands) > 1 {
			for _, b := range bands {
				xyCut(b, em, pageW, depth+1, out)
			}
			return
		}
		if sections, ok := columnCut(frags, em, pageW); ok {
			for _, sec := range sections {
				if sec.span {
					*out = append(*out, leaf(sec.left))
					continue
				}
				xyCut(sec.left, em, pageW, depth+1, out)
				xyCut(sec.right, em, pageW, depth+1, out)
			}
			return
		}
		if bands := bandCut(frags, 0.3*em); len(bands) > 1 {
			for _, b := range bands {
				xyCut(b, em, pageW, depth+1, out)
			}
			return
		}
	}
	*out = append(*out, leaf(frags))
}

// section is a horizontal slice of a region split at a column gutter:
// either the two columns (left, right) or a run of fragments that spans the
// gutter (a full-width heading or figure caption), kept in left.
type section struct {
	left, right []*frag
	span        bool
}

// columnCut looks for a vertical gutter: an x range crossed by no fragment,
// or by only a few full-width ones (a title over two columns). The gutter is
// accepted when both sides read like columns of running text rather than
// the cells of a table. Spanning fragments cut the region into horizontal
// sections, each read column by column.
func columnCut(frags []*frag, em, pageW float32) ([]section, bool) {
	lo, hi := frags[0].L, frags[0].R
	for _, f := range frags {
		lo, hi = min(lo, f.L), max(hi, f.R)
	}
	width := int(hi-lo) + 1
	if width < 4 || width > 20000 {
		return nil, false
	}
	cov := make([]int32, width+1)
	for _, f := range frags {
		a, b := int(f.L-lo), int(f.R-lo)
		cov[max(a, 0)]++
		cov[min(b+1, width)]--
	}
	for i := 1; i <= width; i++ {
		cov[i] += cov[i-1]
	}
	// Try the cleanest gutters first: those crossed by no fragment, then by
	// one, and so on up to a few spanning titles.
	tol := int32(len(frags) / 12)
	tried := map[[2]int]bool{}
	var cands [][2]int
	for t := int32(0); t <= tol; t++ {
		cands = cands[:0]
		for i := 0; i < width; {
			if cov[i] > t {
				i++
				continue
			}
			j := i
			for j < width && cov[j] <= t {
				j++
			}
			if i > 0 && j < width && float32(j-i) >= 0.6*em && !tried[[2]int{i, j}] {
				tried[[2]int{i, j}] = true
				cands = append(cands, [2]int{i, j})
			}
			i = j
		}
		// The widest white column first: a gutter, not a river of word
		// gaps that loose justified lines happen to line up.
		sort.SliceStable(cands, func(a, b int) bool { return cands[a][1]-cands[a][0] > cands[b][1]-cands[b][0] })
		for _, c := range cands {
			if secs, ok := splitAt(frags, lo+float32(c[0]), lo+float32(c[1]), em, pageW); ok {
				return secs, true
			}
		}
		if len(tried) > 64 {
			break
		}
	}
	return nil, false
}

// splitAt splits frags at the gutter [ga, gb] when both sides read like
// columns of text.
func splitAt(frags []*frag, ga, gb, em, pageW float32) ([]section, bool) {
	var left, right, spans []*frag
	var lb, rb Box
	for _, f := range frags {
		switch {
		case f.R <= ga+0.5:
			if len(left) == 0 {
				lb = f.Box
			}
			left = append(left, f)
			lb = lb.Union(f.Box)
		case f.L >= gb-0.5:
			if len(right) == 0 {
				rb = f.Box
			}
			right = append(right, f)
			rb = rb.Union(f.Box)
		default:
			spans = append(spans, f)
		}
	}
	if len(left) == 0 || len(right) == 0 {
		return nil, false
	}
	if !(textColumn(left, lb, pageW) && textColumn(right, rb, pageW)) && !(listColumn(left, lb, pageW) && listColumn(right, rb, pageW)) &&
		!(len(spans) == 0 && pageColumns(left, right, lb, rb, ga, gb, pageW)) {
		return nil, false
	}
	if len(spans) == 0 {
		return []section{{left: left, right: right}}, true
	}
	// Slice the region at the spanning fragments, top to bottom.
	sort.Slice(spans, func(i, j int) bool { return spans[i].T > spans[j].T })
	var secs []section
	rest := append(append([]*frag{}, left...), right...)
	sort.SliceStable(rest, func(i, j int) bool { return rest[i].T > rest[j].T })
	k := 0
	for si := 0; si < len(spans); {
		// Group spanning fragments that follow each other.
		sj := si + 1
		for sj < len(spans) && spans[sj].T >= spans[sj-1].B-0.5*em {
			sj++
		}
		top := spans[si].T
		var sec section
		for k < len(rest) && rest[k].T > top-0.01 {
			if rest[k].R <= ga+0.5 {
				sec.left = append(sec.left, rest[k])
			} else {
				sec.right = append(sec.right, rest[k])
			}
			k++
		}
		if len(sec.left)+len(sec.right) > 0 {
			secs = append(secs, sec)
		}
		secs = append(secs, section{left: spans[si:sj], span: true})
		si = sj
	}
	var sec section
	for ; k < len(rest); k++ {
		if rest[k].R <= ga+0.5 {
			sec.left = append(sec.left, rest[k])
		} else {
			sec.right = append(sec.right, rest[k])
		}
	}
	if len(sec.left)+len(sec.right) > 0 {
		secs = append(secs, sec)
	}
	return secs, true
}

// textColumn reports whether fragments inside b read like a column of text:
// its lines mostly fill the column's width. A line is the fragments sharing
// a baseline: justified text spreads a loose line's words into fragments of
// their own, which together still fill the line, while a table's cells
// start at the same x on row after row, so a line whose inner fragments line
// up with other lines' counts by its fragments alone.
func textColumn(fs []*frag, b Box, pageW float32) bool {
	if b.W() < 0.2*pageW {
		return false
	}
	if len(fs) < 3 {
		return true // a short piece beside a column: reading it separately is right
	}
	lines := lineGroups(fs)
	// Inner fragments: the second and later fragments of a line. A table's
	// cells line up by their left edges, right edges (numbers) or centres;
	// a line's last fragment counts by its left edge only, since in
	// justified text it ends at the margin.
	var edges [3][]float32
	split := 0
	for _, ln := range lines {
		for i, f := range ln[1:] {
			edges[0] = append(edges[0], f.L)
			if i < len(ln)-2 { // a justified line's last word ends at the margin
				edges[1] = append(edges[1], f.R)
				edges[2] = append(edges[2], (f.L+f.R)/2)
			}
		}
		if len(ln) > 1 {
			split++
		}
	}
	for _, e := range edges {
		slices.Sort(e)
	}
	// A table column: a third of the split lines (and at least three) have
	// a fragment edge at the same x. Justified lines' words meet by chance
	// at a few lines at most.
	need := max(3, split/3)
	count := func(e []float32, x float32) int {
		i, _ := slices.BinarySearch(e, x-1.5)
		n := 0
		for ; i < len(e) && e[i] <= x+1.5; i++ {
			n++
		}
		return n
	}
	aligned := func(f *frag, last bool) bool {
		return count(edges[0], f.L) >= need || !last && (count(edges[1], f.R) >= need || count(edges[2], (f.L+f.R)/2) >= need)
	}
	var fill []float32
	for _, ln := range lines {
		tabular := false
		for i, f := range ln[1:] {
			tabular = tabular || aligned(f, i == len(ln)-2)
		}
		// Only a line that fills the column from margin to margin reads
		// as one justified line; a river of word gaps inside one column
		// leaves its lines ending anywhere.
		justified := ln[0].L <= b.L+2 && ln[len(ln)-1].R >= b.R-2
		if tabular || len(ln) == 1 || !justified {
			// The line counts once, by its fragments' mean fill.
			var sum float32
			n := 0
			for _, f := range ln {
				if f.W() >= 0.1*b.W() { // page numbers, bullets and labels say nothing
					sum += f.W() / b.W()
					n++
				}
			}
			if n > 0 {
				fill = append(fill, sum/float32(n))
			}
			continue
		}
		fill = append(fill, (ln[len(ln)-1].R-ln[0].L)/b.W())
	}
	if len(fill) < 3 {
		return true
	}
	slices.Sort(fill)
	return fill[len(fill)/2] >= 0.5
}

// lineGroups groups fragments into lines, top to bottom, each left to
// right: fragments that overlap vertically by half their height share a line.
func lineGroups(fs []*frag) [][]*frag {
	sorted := slices.Clone(fs)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].T > sorted[j].T })
	var lines [][]*frag
	for _, f := range sorted {
		if n := len(lines); n > 0 && vOverlap(lines[n-1][0].Box, f.Box) >= 0.5 {
			lines[n-1] = append(lines[n-1], f)
			continue
		}
		lines = append(lines, []*frag{f})
	}
	for _, ln := range lines {
		sort.Slice(ln, func(i, j int) bool { return ln[i].L < ln[j].L })
	}
	return lines
}

// bandCut splits fragments at horizontal white bands at least minGap high.
func bandCut(frags []*frag, minGap float32) [][]*frag {
	idx := make([]int, len(frags))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool { return frags[idx[i]].T > frags[idx[j]].T })
	var bands [][]*frag
	var cur []*frag
	floor := float32(math.Inf(1))
	for _, i := range idx {
		f := frags[i]
		if len(cur) > 0 && f.T < floor-minGap {
			bands = append(bands, cur)
			cur = nil
			floor = float32(math.Inf(1))
		}
		cur = append(cur, f)
		floor = min(floor, f.B)
	}
	bands = append(bands, cur)
	return bands
}

// leaf turns a region without further cuts into lines: fragments are grouped
// by baseline and read left to right.
func leaf(frags []*frag) Block {
	sort.SliceStable(frags, func(i, j int) bool { return frags[i].T > frags[j].T })
	var lines [][]*frag
	for _, f := range frags {
		placed := false
		if n := len(lines); n > 0 {
			last := lines[n-1]
			lb := last[0].Box
			for _, g := range last[1:] {
				lb = lb.Union(g.Box)
			}
			if vOverlap(lb, f.Box) >= 0.5 {
				lines[n-1] = append(last, f)
				placed = true
			}
		}
		if !placed {
			lines = append(lines, []*frag{f})
		}
	}
	var blk Block
	multi := 0
	for li, ln := range lines {
		sort.SliceStable(ln, func(i, j int) bool { return ln[i].L < ln[j].L })
		// A bullet set apart from its item is part of the item, not a
		// cell of its own.
		for len(ln) > 1 && len(ln[0].words) == 1 && IsBullet(ln[0].words[0].Text) {
			m := &frag{words: append(slices.Clip(ln[0].words), ln[1].words...), Box: ln[0].Box.Union(ln[1].Box), size: max(ln[0].size, ln[1].size)}
			ln = append([]*frag{m}, ln[2:]...)
			lines[li] = ln
		}
		var parts []string
		var wst []uint8
		b := ln[0].Box
		var size float32
		fam, famSet := uint32(0), false
		for _, f := range ln {
			parts = append(parts, f.text())
			b = b.Union(f.Box)
			size = max(size, f.size)
			for _, w := range f.words {
				for range strings.Count(w.Text, " ") + 1 {
					wst = append(wst, w.Style)
				}
				if w.Family != 0 {
					if !famSet {
						fam, famSet = w.Family, true
					} else if w.Family != fam {
						fam = 0
					}
				}
			}
		}
		if len(ln) > 1 {
			multi++
		}
		blk.Lines = append(blk.Lines, Line{Text: strings.Join(parts, " "), Box: b, Size: size, Cells: len(ln), WordStyles: wst, CellTexts: parts, Family: fam})
	}
	blk.Table = len(blk.Lines) >= 2 && multi*10 >= len(blk.Lines)*6
	if blk.Table {
		if rows := tableRows(frags); rows != nil {
			blk.Lines = rows
		}
	}
	return blk
}

// tableRows reads a table whose cells wrap onto several lines row by row,
// each cell whole: "Studded leather 45 gp — — 13 lb." rather than the three
// lines "Studded 45", "— — 13 lb." and "leather gp" that a vertically
// centred row draws. A row is a chain of fragments that overlap vertically
// (a centred one-line cell bridges the lines of its wrapped neighbours);
// columns are runs of fragments that overlap horizontally. It returns nil
// when no cell wraps (the lines are the rows already) or there is only one
// column.
func tableRows(frags []*frag) []Line {
	// Columns: sweep left to right, a fragment starting past the column's
	// right edge starts a new one.
	byX := slices.Clone(frags)
	sort.SliceStable(byX, func(i, j int) bool { return byX[i].L < byX[j].L })
	col := make(map[*frag]int, len(frags))
	n := 0
	right := float32(math.Inf(-1))
	for _, f := range byX {
		if n == 0 || f.L > right {
			n++
			right = f.R
		}
		col[f] = n - 1
		right = max(right, f.R)
	}
	if n < 2 {
		return nil
	}
	// Rows: top to bottom, a fragment overlapping the row's extent by a
	// quarter of its height joins it.
	byY := slices.Clone(frags)
	sort.SliceStable(byY, func(i, j int) bool { return byY[i].T > byY[j].T })
	var rows [][]*frag
	var bottom float32
	for _, f := range byY {
		if len(rows) > 0 && bottom-f.T < -0.25*f.H() {
			rows[len(rows)-1] = append(rows[len(rows)-1], f)
			bottom = min(bottom, f.B)
			continue
		}
		rows = append(rows, []*frag{f})
		bottom = f.B
	}
	wrapped := false
	for _, r := range rows {
		seen := map[int]float32{}
		for _, f := range r {
			if t, ok := seen[col[f]]; ok && t-f.T > 0.5*f.H() {
				wrapped = true // two lines in one column of one row
			}
			seen[col[f]] = f.T
		}
	}
	if !wrapped {
		return nil
	}
	out := make([]Line, 0, len(rows))
	for _, r := range rows {
		sort.SliceStable(r, func(i, j int) bool {
			if col[r[i]] != col[r[j]] {
				return col[r[i]] < col[r[j]]
			}
			if r[i].T != r[j].T {
				return r[i].T > r[j].T
			}
			return r[i].L < r[j].L
		})
		var sb, cell strings.Builder
		var cellv []string
		b := r[0].Box
		var size float32
		cells := 0
		for i, f := range r {
			switch {
			case i == 0:
				cells++
			case col[f] != col[r[i-1]]:
				cells++
				sb.WriteByte(' ')
				cellv = append(cellv, cell.String())
				cell.Reset()
			case !strings.HasSuffix(r[i-1].text(), "-"):
				sb.WriteByte(' ') // the next line of the same cell
				cell.WriteByte(' ')
			}
			sb.WriteString(f.text())
			cell.WriteString(f.text())
			b = b.Union(f.Box)
			size = max(size, f.size)
		}
		cellv = append(cellv, cell.String())
		out = append(out, Line{Text: sb.String(), Box: b, Size: size, Cells: cells, CellTexts: cellv})
	}
	return out
}

// listColumn reports whether fragments inside b read like a column of a
// list set in columns (spell lists, equipment lists): most lines open with
// a bullet. Short items leave such a column mostly empty, so textColumn's
// fill test would take the two columns for the cells of a table and read
// them across, gluing the items of one column to the next.
func listColumn(fs []*frag, b Box, pageW float32) bool {
	if b.W() < 0.2*pageW {
		return false
	}
	lines := lineGroups(fs)
	if len(lines) < 3 {
		return false
	}
	bullets := 0
	for _, ln := range lines {
		if w := ln[0].words; len(w) > 0 && IsBullet(w[0].Text) {
			bullets++
		}
	}
	return bullets*2 >= len(lines)
}

// pageColumns reports two sides of a clean gutter that are the columns of
// the page rather than the cells of a table, even when their lines are
// short (a column of name lines, type lines and stat lines fills little of
// its width): each side spans at least 30% of the page and holds several
// lines, and the gutter sits near the middle of the page.
func pageColumns(left, right []*frag, lb, rb Box, ga, gb, pageW float32) bool {
	mid := (ga + gb) / 2
	if lb.W() < 0.3*pageW || rb.W() < 0.3*pageW || mid < 0.35*pageW || mid > 0.65*pageW {
		return false
	}
	return len(lineGroups(left)) >= 3 && len(lineGroups(right)) >= 3
}
