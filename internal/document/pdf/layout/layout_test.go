package layout

import (
	"fmt"
	"strings"
	"testing"
)

// setChars lays out words on one baseline: each letter w wide, letters
// `track` apart, words `gap` apart, with no space characters between them
// (as a content stream that positions words with TJ offsets produces).
func setChars(words []string, x, y, w, track, gap float32) []Char {
	var cs []Char
	for _, word := range words {
		for _, r := range word {
			cs = append(cs, Char{R: r, L: x, X: x + w, B: y, T: y + 12, Size: 10})
			x += w + track
		}
		x += gap - track
	}
	return cs
}

func wordTexts(ws []Word) string {
	var s []string
	for _, w := range ws {
		s = append(s, w.Text)
	}
	return strings.Join(s, " ")
}

func TestBuildWords(t *testing.T) {
	tests := []struct {
		name  string
		chars []Char
		want  string
	}{
		{"plain", setChars([]string{"flew", "swiftly"}, 0, 0, 5, 0, 3), "flew swiftly"},
		{"character spacing", setChars([]string{"flew", "swiftly"}, 0, 0, 5, 2, 5), "flew swiftly"},
		{"letter-spaced word", setChars([]string{"EMBERFALL"}, 0, 0, 7, 3, 0), "EMBERFALL"},
		{"kerning", setChars([]string{"AVAST"}, 0, 0, 6, -0.8, 0), "AVAST"},
		{"explicit space", append(setChars([]string{"a"}, 0, 0, 5, 0, 0), append([]Char{{R: ' '}}, setChars([]string{"b"}, 6, 0, 5, 0, 0)...)...), "a b"},
		{"new line", append(setChars([]string{"end"}, 100, 50, 5, 0, 0), setChars([]string{"start"}, 0, 30, 5, 0, 0)...), "end start"},
		// troff puts space characters that take no room inside words.
		{"zero-width space", append(setChars([]string{"chapt"}, 0, 0, 5, 0, 0), append([]Char{{R: ' '}}, setChars([]string{"er"}, 25, 0, 5, 0, 0)...)...), "chapter"},
		{"narrow space", append(setChars([]string{"a"}, 0, 0, 5, 0, 0), append([]Char{{R: ' '}}, setChars([]string{"b"}, 6.5, 0, 5, 0, 0)...)...), "a b"},
		{"ligature shares a box", []Char{{R: 'e', L: 0, X: 5, T: 12, Size: 10}, {R: 'f', L: 5, X: 12, T: 12, Size: 10}, {R: 'f', L: 5, X: 12, T: 12, Size: 10}, {R: 'e', L: 12, X: 17, T: 12, Size: 10}}, "effe"},
	}
	for _, tt := range tests {
		if got := wordTexts(BuildWords(tt.chars)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestLayoutColumnsAndTables(t *testing.T) {
	line := func(text string, x, y float32) []Char {
		return setChars(strings.Fields(text), x, y, 5, 0, 3)
	}
	var cs []Char
	// A title across the page, then two columns of four lines each.
	cs = append(cs, line("A Title Over Both Columns Of This Page", 50, 700)...)
	for i := range 4 {
		y := float32(650 - 14*i)
		cs = append(cs, line("left column text line here ok", 50, y)...)
		cs = append(cs, line("right column text line here ok", 320, y)...)
	}
	blocks := Page(cs, 612)
	var got []string
	for _, b := range blocks {
		for _, l := range b.Lines {
			got = append(got, l.Text)
		}
	}
	want := []string{"A Title Over Both Columns Of This Page"}
	for range 4 {
		want = append(want, "left column text line here ok")
	}
	for range 4 {
		want = append(want, "right column text line here ok")
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("order:\n got %q\nwant %q", got, want)
	}

	// Narrow cells: a table, read row by row.
	cs = nil
	for i := range 4 {
		y := float32(600 - 14*i)
		cs = append(cs, line("Name", 50, y)...)
		cs = append(cs, line("5 gp", 150, y)...)
		cs = append(cs, line("2 lb.", 250, y)...)
	}
	blocks = Page(cs, 612)
	if len(blocks) != 1 || !blocks[0].Table || len(blocks[0].Lines) != 4 || blocks[0].Lines[0].Text != "Name 5 gp 2 lb." {
		t.Errorf("table: %+v", blocks)
	}
}

// TestLayoutJustifiedColumns: justified lines whose loose word gaps (wider
// than an em) split them into one fragment per word still read as two
// columns, while a table whose number column is right-aligned still reads
// row by row.
func TestLayoutJustifiedColumns(t *testing.T) {
	// Two columns of 30 justified lines of 4-6 words, letters 4-7 pt wide
	// (a proportional font), words 2-9 letters: word gaps of 13-60 pt.
	seed := uint32(7)
	rnd := func(n int) int {
		seed = seed*1664525 + 1013904223
		return int(seed>>16) % n
	}
	adv := func(r rune) float32 { return 4 + float32(r%4) }
	justify := func(x, width, y float32) ([]Char, string) {
		var words []string
		var gap float32
		for gap < 13 { // draw until the line has loose gaps
			words = words[:0]
			used := float32(0)
			for range 4 + rnd(3) {
				w := make([]rune, 2+rnd(8))
				for i := range w {
					w[i] = rune('a' + rnd(26))
					used += adv(w[i])
				}
				words = append(words, string(w))
			}
			gap = (width - used) / float32(len(words)-1)
		}
		var cs []Char
		for _, w := range words {
			for _, r := range w {
				cs = append(cs, Char{R: r, L: x, X: x + adv(r), B: y, T: y + 12, Size: 10})
				x += adv(r)
			}
			x += gap
		}
		return cs, strings.Join(words, " ")
	}
	var cs []Char
	var left, right []string
	for i := range 30 {
		y := float32(720 - 14*i)
		c, l := justify(50, 220, y)
		cs = append(cs, c...)
		left = append(left, l)
		c, r := justify(320, 220, y)
		cs = append(cs, c...)
		right = append(right, r)
	}
	var got []string
	for _, b := range Page(cs, 612) {
		for _, l := range b.Lines {
			got = append(got, l.Text)
		}
	}
	if want := append(append([]string{}, left...), right...); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("justified columns:\n got %q\nwant %q", got, want)
	}

	// A table: names left-aligned, prices right-aligned at x=300.
	cs = nil
	rows := [][2]string{{"Padded", "5 gp"}, {"Leather", "10 gp"}, {"Studded leather", "45 gp"}, {"Hide", "10 gp"}}
	for i, r := range rows {
		y := float32(600 - 14*i)
		cs = append(cs, setChars(strings.Fields(r[0]), 50, y, 5, 0, 3)...)
		price := strings.Fields(r[1])
		w := float32(len([]rune(r[1]))) * 5
		cs = append(cs, setChars(price, 300-w, y, 5, 0, 5)...)
		cs = append(cs, setChars([]string{"armor", "worn", "by", "guards", "of", "the", "keep"}, 350, y, 5, 0, 3)...)
	}
	blocks := Page(cs, 612)
	if len(blocks) != 1 || len(blocks[0].Lines) != 4 || !strings.HasPrefix(blocks[0].Lines[0].Text, "Padded 5 gp") {
		var lines []string
		for _, b := range blocks {
			for _, l := range b.Lines {
				lines = append(lines, l.Text)
			}
		}
		t.Errorf("table with a right-aligned column: %q", lines)
	}
}

// TestTableWrappedCells: a row whose cells wrap onto two lines and whose
// one-line cells are centred between them reads as one row, each cell whole.
func TestTableWrappedCells(t *testing.T) {
	word := func(text string, x, y float32) []Char {
		return setChars(strings.Fields(text), x, y, 5, 0, 3)
	}
	var cs []Char
	// Header row, then two rows: "Studded leather" and "45 gp" wrap, the
	// others sit centred (y between the two lines).
	cs = append(cs, word("Armor", 50, 700)...)
	cs = append(cs, word("Cost", 150, 700)...)
	cs = append(cs, word("Weight", 250, 700)...)
	for i, r := range [][3]string{{"Studded", "45", ""}, {"Chain", "75", ""}} {
		// Boxes 12 high, lines 14 apart: the centred cell overlaps each
		// line by 5, under half its height.
		top := float32(680 - 36*i)
		second := map[string]string{"Studded": "leather", "Chain": "shirt"}[r[0]]
		cs = append(cs, word(r[0], 50, top)...)
		cs = append(cs, word(second, 50, top-14)...)
		cs = append(cs, word(r[1], 150, top)...)
		cs = append(cs, word("gp", 150, top-14)...)
		cs = append(cs, word(fmt.Sprintf("%d lb.", 13+7*i), 250, top-7)...)
	}
	var got []string
	for _, b := range Page(cs, 612) {
		for _, l := range b.Lines {
			got = append(got, l.Text)
		}
	}
	want := []string{"Armor Cost Weight", "Studded leather 45 gp 13 lb.", "Chain shirt 75 gp 20 lb."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("rows:\n got %q\nwant %q", got, want)
	}
}
