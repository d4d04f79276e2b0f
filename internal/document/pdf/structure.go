package pdf

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/entry"
	"github.com/corpora-tools/corpora/internal/document/pdf/layout"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

// Printed sourcebooks mark their structure with type style rather than with
// heading sizes or blank lines: an entry's name in bold at body size on its
// own line, its italic type line right below, paragraphs with no space
// between them (a first-line indent or a short last line ends one), run-in
// labels ("Power Strike." in bold), stat blocks and lists. This file cuts a
// layout block's lines into the blocks a reader sees and gives them their
// roles.

// lineInfo is what the segmentation knows about one line.
type lineInfo struct {
	layout.Line
	s       string // normalised text
	heading bool   // set larger than the body
	st      uint8  // the line's uniform style; meaningful when uniform
	uniform bool   // every word with letters shares st
	lead    string // a run-in label opening the line, normalised
	leadSt  uint8
	bullet  bool // opens with a list bullet (dropped from s)
	stats   bool // a stat block line
}

// wordsOf returns the words of a line's text with their styles, or nil
// styles when the line's word styles are unknown.
func wordsOf(l layout.Line) ([]string, []uint8) {
	ws := strings.Split(l.Text, " ")
	if len(l.WordStyles) != len(ws) {
		return ws, nil
	}
	return ws, l.WordStyles
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

// analyseLine fills a lineInfo for l, all but heading (which needs the
// document's body size).
func analyseLine(l layout.Line) lineInfo {
	li := lineInfo{Line: l}
	ws, st := wordsOf(l)
	if len(ws) > 1 && layout.IsBullet(ws[0]) {
		li.bullet = true
		ws = ws[1:]
		if st != nil {
			st = st[1:]
		}
		li.s = normLine(strings.Join(ws, " "))
	} else {
		li.s = normLine(l.Text)
	}
	if st == nil {
		li.uniform = true
		li.stats = entry.StatLine(li.s, "")
		return li
	}
	// Uniform style: every word with letters or digits in one style.
	first := -1
	li.uniform = true
	for i, w := range ws {
		if !hasAlnum(w) {
			continue
		}
		if first < 0 {
			first = i
			li.st = st[i]
			continue
		}
		if st[i] != li.st {
			li.uniform = false
		}
	}
	if !li.uniform && first >= 0 && st[first] != 0 {
		// A run-in label: the opening words in a style of their own, up
		// to where the style changes; it must end in a full stop or
		// colon, and stay short.
		k := first
		for k < len(ws) && (st[k] == st[first] || !hasAlnum(ws[k])) {
			k++
		}
		label := strings.Join(ws[:k], " ")
		rest := strings.TrimSpace(strings.Join(ws[k:], " "))
		if strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, ":") {
			// The stop set in the body face: "Fireball" "." ...
			label += rest[:1]
		}
		label = normLine(label)
		if k-first <= 8 && (strings.HasSuffix(label, ".") || strings.HasSuffix(label, ":")) {
			li.lead, li.leadSt = label, st[first]
		}
		li.stats = entry.StatLine(li.s, strings.TrimRight(label, ".:"))
	} else {
		li.stats = entry.StatLine(li.s, "")
	}
	return li
}

// endsSentence reports a line ending a sentence.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, `"'”’)]* `)
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == ':'
}

// startsUpper reports a line opening with a capital letter, digit or quote.
func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(s, `"'“‘(`))
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// segment is a run of lines that makes one block.
type segment struct {
	lines   []lineInfo
	heading bool
	list    bool
	stats   bool
	lead    string
}

// analyseBlock analyses a layout block's lines, dropping empty ones.
func analyseBlock(b layout.Block) []lineInfo {
	infos := make([]lineInfo, 0, len(b.Lines))
	for _, l := range b.Lines {
		if li := analyseLine(l); li.s != "" {
			infos = append(infos, li)
		}
	}
	return infos
}

// splitBlock cuts one layout block's analysed lines into segments.
func splitBlock(infos []lineInfo, body float32, ocr bool) []segment {
	if len(infos) == 0 {
		return nil
	}
	for i := range infos {
		li := &infos[i]
		li.heading = !ocr && body > 0 && li.Size >= body*1.15 && utf8.RuneCountInString(li.s) <= 120
	}
	// The block's margins: where most lines start and end.
	left, right := infos[0].Box.L, infos[0].Box.R
	for _, li := range infos {
		left, right = min(left, li.Box.L), max(right, li.Box.R)
	}
	listRun := shortItemRuns(infos, right-left)
	var segs []segment
	var cur *segment
	start := func(li lineInfo) {
		segs = append(segs, segment{lines: []lineInfo{li}, heading: li.heading, list: li.bullet, stats: li.stats, lead: li.lead})
		cur = &segs[len(segs)-1]
	}
	for i, li := range infos {
		if cur == nil {
			start(li)
			continue
		}
		prev := cur.lines[len(cur.lines)-1]
		em := max(li.Size, prev.Size, 1)
		indented := li.Box.L > left+0.6*em && li.Box.L < left+8*em
		prevIndented := prev.Box.L > left+0.6*em
		brk := false
		switch {
		case li.heading != cur.heading:
			brk = true
		case li.heading && abs32(li.Size-prev.Size) > 0.06*max(li.Size, prev.Size):
			brk = true // a title over a heading of another size
		case li.bullet:
			brk = true
		case li.lead != "":
			brk = true
		case li.stats:
			brk = true
		case listRun[i]:
			brk = true
		case cur.stats:
			// A stat line wraps: its continuation starts in lower case,
			// with a number, or the stat line has no end yet.
			r, _ := utf8.DecodeRuneInString(li.s)
			brk = !(unicode.IsLower(r) || unicode.IsDigit(r) || r == '(' || strings.HasSuffix(prev.s, ",") || strings.HasSuffix(prev.s, ";"))
		case prev.uniform != li.uniform && (prev.uniform && prev.st != 0 || li.uniform && li.st != 0):
			brk = true // a styled line next to a line of mixed style
		case prev.uniform && li.uniform && prev.st != li.st:
			brk = true
		case prev.Family != li.Family && prev.Family != 0 && li.Family != 0:
			brk = true // a line set in another family ("Aid" in sans over serif)
		case cur.list:
			// A bullet item's wrapped lines sit right of the bullet.
			brk = !indented && !li.bullet && li.Box.L <= cur.lines[0].Box.L+0.3*em
		case indented && (!prevIndented || len(cur.lines) == 1) && endsSentence(prev.s) && startsUpper(li.s):
			// A first-line indent (after a paragraph of one line, which
			// had its own indent, too).
			brk = true
		case (endsSentence(prev.s) || cur.lead != "") && startsUpper(li.s) && prev.Box.R < right-max(4*em, 0.15*(right-left)):
			// The previous paragraph's short last line; after a run-in
			// label's short line ("Duration: 1 minute") the text that
			// follows is a paragraph of its own even without a stop.
			brk = true
		}
		if brk {
			start(li)
			continue
		}
		cur.lines = append(cur.lines, li)
	}
	return segs
}

// shortItemRuns marks the lines of runs of three or more short lines, each
// an item of a list set one per line ("Dancing Lights", "Light", "Mage
// Hand"): short, capitalised, without a sentence's end, well short of the
// column's width. Joined, such lines would glue the items together.
func shortItemRuns(infos []lineInfo, width float32) []bool {
	out := make([]bool, len(infos))
	short := func(li *lineInfo) bool {
		n := countWords(li.s)
		return !li.heading && n >= 1 && n <= 6 && startsUpper(li.s) && !endsSentence(li.s) &&
			!strings.HasSuffix(li.s, ",") && !strings.HasSuffix(li.s, "-")
	}
	// A block of nothing but such lines is a list however narrow; inside
	// a wider block they must also leave most of the width empty.
	all := len(infos) >= 3
	for i := range infos {
		all = all && short(&infos[i])
	}
	item := func(li *lineInfo) bool {
		return short(li) && (all || li.Box.W() < 0.6*width)
	}
	for i := 0; i < len(infos); {
		j := i
		for j < len(infos) && item(&infos[j]) {
			j++
		}
		if j-i >= 3 {
			for k := i; k < j; k++ {
				out[k] = true
			}
		}
		i = max(j, i+1)
	}
	return out
}

// segText joins a segment's lines into its block text.
func segText(seg segment, keep func(string, string) bool) string {
	lines := make([]string, 0, len(seg.lines))
	for _, li := range seg.lines {
		lines = append(lines, li.s)
	}
	return textnorm.JoinLines(lines, keep)
}

// segStyle returns the style every line of a segment shares, or "".
func segStyle(seg segment) document.Style {
	st := seg.lines[0].st
	for _, li := range seg.lines {
		if !li.uniform || li.st != st || li.WordStyles == nil {
			return ""
		}
	}
	return document.MakeStyle(st&stBold != 0, st&stItalic != 0)
}

// markStructure gives blocks their roles and heading levels once the whole
// document is read: a short bold line at body size followed by running text
// is an entry's name; the italic line right under a name is its type line.
// sizes holds the font size of each block's first line (0 for blocks that
// are not headings by size).
func markStructure(out []document.Block, sizes []float32, lines []int, fams []uint32) {
	// Heading levels: the distinct heading sizes, largest first; names set
	// at body size rank below them all.
	var ranks []float32
	for i, b := range out {
		if b.Type == document.Heading && sizes[i] > 0 {
			r := float32(int(sizes[i]*2+0.5)) / 2
			if !slices.Contains(ranks, r) {
				ranks = append(ranks, r)
			}
		}
	}
	slices.Sort(ranks)
	slices.Reverse(ranks)
	level := func(size float32) int {
		r := float32(int(size*2+0.5)) / 2
		i := slices.Index(ranks, r)
		return min(i+1, 6)
	}
	for i := range out {
		b := &out[i]
		if b.Type == document.Heading && sizes[i] > 0 {
			b.Level = level(sizes[i])
		}
	}
	// A short line in another family than the text's, over running text
	// in the text's family, names an entry as bold does: LibreOffice sets
	// its headings in a sans oblique over a serif body.
	weight := map[uint32]int{}
	for i, b := range out {
		if b.Type == document.Paragraph && fams[i] != 0 {
			weight[fams[i]] += len(b.Text)
		}
	}
	var body uint32
	for f, n := range weight {
		if n > weight[body] || n == weight[body] && f < body {
			body = f
		}
	}
	for i := 0; i+1 < len(out); i++ {
		b, next := &out[i], &out[i+1]
		if body == 0 || fams[i] == 0 || fams[i] == body || b.Type != document.Paragraph || b.Role != "" || b.Lead != "" ||
			!entry.NameLike(b.Text, lines[i]) || next.Type == document.Heading {
			continue
		}
		if i > 0 && (out[i-1].Type == document.Heading || out[i-1].Style.IsBold() && entry.NameLike(out[i-1].Text, lines[i-1])) && !entry.TypeLine(next) {
			// The line under a name or heading, over running text: its
			// type line, not a name. (A line with its own type line
			// under it is a name even right under a heading.)
			continue
		}
		if fams[i+1] == body && (entry.TypeLine(next) || next.Type == document.Paragraph && !next.Style.IsBold()) {
			b.Type, b.Role, b.Level = document.Heading, document.RoleName, min(len(ranks)+1, 6)
		}
	}
	entry.Mark(out, lines, len(ranks))
}

// segFamily returns the font family every line of a segment is set in, 0
// when mixed or unknown.
func segFamily(seg segment) uint32 {
	f := seg.lines[0].Family
	for _, li := range seg.lines[1:] {
		if li.Family != f {
			return 0
		}
	}
	return f
}

// countWords counts the space-separated words of s.
func countWords(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		sp := s[i] == ' '
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}
