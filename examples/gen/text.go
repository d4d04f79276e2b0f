package main

import (
	"strings"

	"github.com/corpora-tools/corpora/internal/textnorm"
)

// readingText is the text a reader sees in bk, in reading order and
// normalised as the project normalises text: one heading, paragraph line,
// list item, table row (cells separated by a tab) or sidebar a line,
// footnotes last. Deleted changes are dropped, fields show their result and
// footnote reference marks are left out. Parser tests compare their output
// with it word by word.
func readingText(bk *book) string {
	var lines []string
	add := func(in inline) {
		var b strings.Builder
		for _, s := range in {
			if s.deleted || s.footnote != "" {
				continue
			}
			b.WriteString(s.text)
		}
		if t := textnorm.Line(b.String()); t != "" {
			lines = append(lines, t)
		}
	}
	for _, b := range bk.blocks {
		for _, ln := range b.lines {
			add(ln)
		}
		for _, it := range b.items {
			add(it)
		}
		for _, row := range b.rows {
			var cells []string
			for _, c := range row {
				cells = append(cells, textnorm.Line(c.plain()))
			}
			lines = append(lines, strings.Join(cells, "\t"))
		}
	}
	for _, id := range bk.noteIDs {
		add(bk.footnotes[id])
	}
	return strings.Join(lines, "\n") + "\n"
}
