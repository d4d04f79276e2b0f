package text

import (
	"strings"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
)

// Bounds of the lines MarkRoles takes for an entry's name or type line:
// longer lines are prose set in bold or italic, not structure.
const (
	maxNameRunes     = 90
	maxNameWords     = 12
	maxTypeLineRunes = 90
	maxTypeLineWords = 12
)

// MarkRoles finds, in blocks whose Style and Lead the parser filled, the
// structure a sourcebook marks with type style rather than with headings:
//
//   - a short paragraph wholly in bold, on one line and without closing
//     punctuation, followed by body text (not by another heading or bold
//     line), is an entry's name: a heading with RoleName;
//   - a short paragraph wholly in italic right after a heading or name,
//     without closing punctuation, is the entry's type line
//     ("Ring, legendary (requires attunement)", "3rd-level evocation",
//     "Group, Large"): RoleTypeLine, and the heading above it becomes a
//     name.
//
// A quotation or epigraph in italic ends in punctuation and stays text.
func MarkRoles(bs []document.Block) {
	for i := range bs {
		b := &bs[i]
		if b.Type == document.Paragraph && b.Style.IsBold() && b.Lead == "" && shortLine(b.Text, maxNameRunes, maxNameWords) &&
			i+1 < len(bs) && bodyAfterName(&bs[i+1]) {
			b.Type, b.Role = document.Heading, document.RoleName
		}
	}
	for i := 1; i < len(bs); i++ {
		prev, b := &bs[i-1], &bs[i]
		if prev.Type != document.Heading || b.Type != document.Paragraph || b.Style != document.Italic ||
			!shortLine(b.Text, maxTypeLineRunes, maxTypeLineWords) {
			continue
		}
		b.Role = document.RoleTypeLine
		if prev.Role == "" {
			prev.Role = document.RoleName
		}
	}
}

// bodyAfterName reports a block that may follow an entry's name: text, a
// list or a table, not a heading or another bold line.
func bodyAfterName(b *document.Block) bool {
	if b.Type == document.Heading {
		return false
	}
	return !(b.Type == document.Paragraph && b.Style.IsBold() && b.Lead == "" && shortLine(b.Text, maxNameRunes, maxNameWords))
}

// shortLine reports one line of at most maxRunes and maxWords that does
// not end like a sentence or a run-in label.
func shortLine(s string, maxRunes, maxWords int) bool {
	if s == "" || strings.IndexByte(s, '\n') >= 0 || utf8.RuneCountInString(s) > maxRunes {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', ',', ';', ':', '!', '?', '"', '\u201d', '\u2026':
		return false
	}
	return len(strings.Fields(s)) <= maxWords
}

// Blocks turns the items of an HTML document into blocks, with the entry
// structure MarkRoles finds.
func Blocks(items []Item, chapter int) []document.Block {
	out := make([]document.Block, 0, len(items))
	for _, it := range items {
		out = append(out, document.Block{Type: it.Type, Text: it.Text, Chapter: chapter, Level: it.Level, Style: it.Style, Lead: it.Lead})
	}
	MarkRoles(out)
	return out
}
