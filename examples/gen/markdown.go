package main

import (
	"fmt"
	"strings"
)

// The sources use a small Markdown subset, parsed here so that every output
// format renders the same structure:
//
//	# Title, ## Chapter, ### Section
//	paragraphs (a line ending in "\" is a hard line break)
//	- list items
//	| table | rows |   (the |---| separator row marks the header)
//	> sidebar
//	[^1] footnote references and "[^1]: text" definitions
//	**bold**, *italic*, ~~deleted tracked change~~, {{FIELD INSTR|result}}

type blockKind int

const (
	blockHeading blockKind = iota
	blockPara
	blockList
	blockTable
	blockQuote
)

// span is a run of text with one style.
type span struct {
	text     string
	bold     bool
	italic   bool
	footnote string // a footnote reference: text is its number
	deleted  bool   // a deleted tracked change (DOCX only; dropped elsewhere)
	field    string // a field instruction whose displayed result is text (DOCX)
}

// inline is a run of styled spans.
type inline []span

// block is one structural element of a book.
type block struct {
	kind  blockKind
	level int        // heading level (1 title, 2 chapter, 3 section)
	lines []inline   // paragraph or sidebar: hard-break separated lines
	items []inline   // list items
	rows  [][]inline // table rows; the first is the header
}

// book is a parsed source.
type book struct {
	title     string
	blocks    []block
	footnotes map[string]inline // by id, in order of footnoteIDs
	noteIDs   []string
}

// plain returns the text a reader sees (deleted spans dropped).
func (in inline) plain() string {
	var b strings.Builder
	for _, s := range in {
		if s.deleted {
			continue
		}
		b.WriteString(s.text)
	}
	return b.String()
}

// parseMarkdown parses the source subset described above.
func parseMarkdown(src string) (*book, error) {
	bk := &book{footnotes: map[string]inline{}}
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	noteNum := map[string]string{}
	num := func(id string) string {
		if n, ok := noteNum[id]; ok {
			return n
		}
		n := fmt.Sprint(len(noteNum) + 1)
		noteNum[id] = n
		return n
	}
	in := func(s string) inline { return parseInline(s, num) }

	for i := 0; i < len(lines); {
		ln := lines[i]
		switch {
		case strings.TrimSpace(ln) == "":
			i++
		case strings.HasPrefix(ln, "#"):
			lvl := len(ln) - len(strings.TrimLeft(ln, "#"))
			text := strings.TrimSpace(ln[lvl:])
			if lvl == 1 && bk.title == "" {
				bk.title = text
			}
			bk.blocks = append(bk.blocks, block{kind: blockHeading, level: lvl, lines: []inline{in(text)}})
			i++
		case strings.HasPrefix(ln, "[^"):
			end := strings.Index(ln, "]:")
			if end < 0 {
				return nil, fmt.Errorf("line %d: malformed footnote definition", i+1)
			}
			id := ln[2:end]
			bk.footnotes[id] = in(strings.TrimSpace(ln[end+2:]))
			bk.noteIDs = append(bk.noteIDs, id)
			i++
		case strings.HasPrefix(ln, "|"):
			var b block
			b.kind = blockTable
			for ; i < len(lines) && strings.HasPrefix(lines[i], "|"); i++ {
				row := strings.Trim(strings.TrimSpace(lines[i]), "|")
				if strings.Trim(row, "|-: ") == "" {
					continue // header separator
				}
				var cells []inline
				for _, c := range strings.Split(row, "|") {
					cells = append(cells, in(strings.TrimSpace(c)))
				}
				b.rows = append(b.rows, cells)
			}
			bk.blocks = append(bk.blocks, b)
		case strings.HasPrefix(ln, "- "):
			var b block
			b.kind = blockList
			var cur []string
			flush := func() {
				if cur != nil {
					b.items = append(b.items, in(strings.Join(cur, " ")))
				}
				cur = nil
			}
			for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
				if strings.HasPrefix(lines[i], "- ") {
					flush()
					cur = []string{strings.TrimSpace(lines[i][2:])}
				} else {
					cur = append(cur, strings.TrimSpace(lines[i]))
				}
			}
			flush()
			bk.blocks = append(bk.blocks, b)
		case strings.HasPrefix(ln, ">"):
			var text []string
			for ; i < len(lines) && strings.HasPrefix(lines[i], ">"); i++ {
				text = append(text, strings.TrimSpace(strings.TrimPrefix(lines[i], ">")))
			}
			bk.blocks = append(bk.blocks, block{kind: blockQuote, lines: []inline{in(strings.Join(text, " "))}})
		default:
			var b block
			b.kind = blockPara
			var cur []string
			for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
				l := strings.TrimSpace(lines[i])
				if strings.HasSuffix(l, `\`) {
					cur = append(cur, strings.TrimSuffix(l, `\`))
					b.lines = append(b.lines, in(strings.Join(cur, " ")))
					cur = nil
					continue
				}
				cur = append(cur, l)
			}
			if cur != nil {
				b.lines = append(b.lines, in(strings.Join(cur, " ")))
			}
			bk.blocks = append(bk.blocks, b)
		}
	}
	for id := range noteNum {
		if _, ok := bk.footnotes[id]; !ok {
			return nil, fmt.Errorf("footnote [^%s] has no definition", id)
		}
	}
	if bk.title == "" {
		return nil, fmt.Errorf("no # title")
	}
	return bk, nil
}

// parseInline splits s into styled spans.
func parseInline(s string, noteNum func(string) string) inline {
	var out inline
	var cur strings.Builder
	bold, italic := false, false
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, span{text: cur.String(), bold: bold, italic: italic})
			cur.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "**"):
			flush()
			bold = !bold
			i += 2
		case strings.HasPrefix(s[i:], "~~"):
			end := strings.Index(s[i+2:], "~~")
			if end < 0 {
				cur.WriteString("~~")
				i += 2
				continue
			}
			flush()
			out = append(out, span{text: s[i+2 : i+2+end], deleted: true})
			i += 2 + end + 2
		case strings.HasPrefix(s[i:], "{{"):
			end := strings.Index(s[i:], "}}")
			bar := strings.Index(s[i:], "|")
			if end < 0 || bar < 0 || bar > end {
				cur.WriteString("{{")
				i += 2
				continue
			}
			flush()
			out = append(out, span{text: s[i+bar+1 : i+end], field: s[i+2 : i+bar], bold: bold, italic: italic})
			i += end + 2
		case strings.HasPrefix(s[i:], "[^"):
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				cur.WriteString("[^")
				i += 2
				continue
			}
			flush()
			id := s[i+2 : i+end]
			out = append(out, span{text: noteNum(id), footnote: id})
			i += end + 1
		case s[i] == '*':
			flush()
			italic = !italic
			i++
		default:
			cur.WriteByte(s[i])
			i++
		}
	}
	flush()
	return out
}
