package text

import (
	"context"
	"html"
	"regexp"
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

var (
	mdATX      = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	mdSetext1  = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	mdSetext2  = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
	mdRule     = regexp.MustCompile(`^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	mdFence    = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	mdItem     = regexp.MustCompile(`^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$`)
	mdRefDef   = regexp.MustCompile(`^ {0,3}\[[^\]^][^\]]*\]:[ \t]*\S+`)
	mdNoteDef  = regexp.MustCompile(`^ {0,3}\[\^[^\]]+\]:[ \t]*(.*)$`)
	mdNoteRef  = regexp.MustCompile(`\[\^[^\]]+\]`)
	mdDelimRow = regexp.MustCompile(`^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)

	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)`)
	mdRefLink  = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	mdAutolink = regexp.MustCompile(`<((?:https?|mailto|ftp):[^>\s]+)>`)
	mdTag      = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->`)
	mdEscape   = regexp.MustCompile("\\\\([!-/:-@\\[-`{-~])")
	mdStrong   = regexp.MustCompile(`\*{2,}|_{2,}|~~`)
	mdStar     = regexp.MustCompile(`(^|\S)\*|\*(\S|$)`)
	mdUnder    = regexp.MustCompile(`(^|[^\p{L}\p{N}])_|_([^\p{L}\p{N}]|$)`)
)

// escBase maps a backslash-escaped punctuation mark to a private-use rune
// while the markup is stripped, so `\*` survives as a literal star.
const escBase = 0xF0000

// Parse implements document.Parser.
func (Markdown) Parse(ctx context.Context, in document.Input, opts document.Options) (*document.Output, error) {
	out := newOutput(document.Markdown)
	lines := splitLines(string(container.DecodeText(in.Data)))
	m := &mdParser{out: out, budget: newBudget(opts.Limits)}
	lines = m.frontMatter(lines)
	for i := 0; i < len(lines) && !m.budget.full; i++ {
		if i%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		ln := lines[i]
		if m.fence != "" {
			if strings.HasPrefix(strings.TrimSpace(ln), m.fence) {
				m.emit(document.Paragraph, strings.TrimSpace(textnorm.String(strings.Join(m.code, "\n"))))
				m.fence, m.code = "", nil
				continue
			}
			m.code = append(m.code, ln)
			continue
		}
		ln = stripQuote(ln)
		c := lead(ln)
		switch {
		case strings.TrimSpace(ln) == "":
			m.flush()
		case (c == '`' || c == '~') && mdFence.MatchString(ln):
			m.flush()
			f := mdFence.FindStringSubmatch(ln)[1]
			m.fence = f[:3]
		case c == '#' && mdATX.MatchString(ln):
			m.flush()
			h := mdATX.FindStringSubmatch(ln)
			m.heading(h[2], len(h[1]))
		case c == '=' && len(m.para) > 0 && m.item == nil && mdSetext1.MatchString(ln),
			c == '-' && len(m.para) > 0 && m.item == nil && mdSetext2.MatchString(ln):
			t := strings.Join(m.para, " ")
			m.para = nil
			level := 1
			if c == '-' {
				level = 2
			}
			m.heading(t, level)
		case (c == '-' || c == '*' || c == '_') && mdRule.MatchString(ln):
			m.flush()
		case strings.Contains(ln, "|") && i+1 < len(lines) && mdDelimRow.MatchString(lines[i+1]) && strings.Contains(lines[i+1], "-"):
			m.flush()
			rows := []string{tableRow(ln)}
			i += 2
			for ; i < len(lines) && strings.TrimSpace(lines[i]) != "" && strings.Contains(lines[i], "|"); i++ {
				if r := tableRow(lines[i]); r != "" {
					rows = append(rows, r)
				}
			}
			i--
			m.emit(document.Table, strings.Join(nonEmpty(rows), "\n"))
		case isItemLead(c) && mdItem.MatchString(ln) && !mdRule.MatchString(ln):
			m.flush()
			it := mdItem.FindStringSubmatch(ln)
			m.item = []string{it[2]}
		case c == '[' && mdNoteDef.MatchString(ln):
			// A footnote: its text is a paragraph of its own.
			m.flush()
			m.para = []string{mdNoteDef.FindStringSubmatch(ln)[1]}
		case c == '[' && mdRefDef.MatchString(ln):
			m.flush()
		default:
			if m.item != nil {
				m.item = append(m.item, ln)
			} else {
				m.para = append(m.para, ln)
			}
		}
	}
	if m.fence != "" {
		m.emit(document.Paragraph, strings.TrimSpace(textnorm.String(strings.Join(m.code, "\n"))))
	}
	m.flush()
	if m.budget.full {
		return nil, textLimit(opts.Limits)
	}
	MarkRoles(out.Content)
	return finish(out), nil
}

// stripQuote removes block-quote markers ("> > text"), in one pass.
func stripQuote(ln string) string {
	for {
		i := 0
		for i < len(ln) && i < 3 && ln[i] == ' ' {
			i++
		}
		if i >= len(ln) || ln[i] != '>' {
			return ln
		}
		ln = strings.TrimPrefix(ln[i+1:], " ")
	}
}

// lead is the first byte of a line after its indentation, 0 for a blank line.
func lead(ln string) byte {
	for i := 0; i < len(ln); i++ {
		if ln[i] != ' ' && ln[i] != '\t' {
			return ln[i]
		}
	}
	return 0
}

func isItemLead(c byte) bool {
	return c == '-' || c == '*' || c == '+' || (c >= '0' && c <= '9')
}

type mdParser struct {
	out    *document.Output
	budget *budget
	para   []string
	item   []string // the open list item's lines, nil when none
	fence  string
	code   []string
}

func (m *mdParser) flush() {
	if len(m.para) > 0 {
		m.emitStyled(document.Paragraph, m.para)
		m.para = nil
	}
	if m.item != nil {
		m.emitStyled(document.List, m.item)
		m.item = nil
	}
}

// emitStyled emits a paragraph or list item with the emphasis its markup
// gives it: a Style when one emphasis wraps it all, a Lead when an
// emphasised run-in label opens it ("***Power Strike.*** When you hit").
func (m *mdParser) emitStyled(t document.BlockType, lines []string) {
	// A name line and its type line written as one paragraph with line
	// breaks ("**Ring of Invisibility**  \n*Ring, legendary*") are
	// blocks of their own: a line wholly in one emphasis is split off.
	if len(lines) > 1 {
		from := 0
		for i, ln := range lines {
			if mdWholeStyle(mdLineText(ln)) == "" {
				continue
			}
			if i > from {
				m.emitStyled(t, lines[from:i])
			}
			m.emitStyled(t, lines[i:i+1])
			from = i + 1
		}
		if from > 0 {
			if from < len(lines) {
				m.emitStyled(t, lines[from:])
			}
			return
		}
	}
	text := inlineParagraph(lines)
	raw := strings.TrimSpace(strings.Join(lines, " "))
	if len(lines) == 1 {
		raw = mdLineText(lines[0])
	}
	b := document.Block{Type: t, Text: text, Style: mdWholeStyle(raw)}
	if b.Style == "" {
		b.Lead = mdLead(raw, text)
	}
	m.emitBlock(b)
}

// mdLineText is a line without its hard-break marks (two trailing spaces
// or a backslash) and surrounding white space.
func mdLineText(ln string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimRight(ln, " \t"), "\\"))
}

// mdEmphases are the emphasis delimiters, longest first.
var mdEmphases = []string{"***", "___", "**", "__", "*", "_"}

// mdWholeStyle returns the Style of a paragraph that one emphasis wraps
// entirely ("**Boots of Striding and Springing**", "*Ring, legendary*").
func mdWholeStyle(s string) document.Style {
	for _, d := range mdEmphases {
		if len(s) <= 2*len(d) || !strings.HasPrefix(s, d) || !strings.HasSuffix(s, d) {
			continue
		}
		inner := s[len(d) : len(s)-len(d)]
		if strings.Contains(inner, d) || inner[0] == ' ' || inner[len(inner)-1] == ' ' {
			return ""
		}
		bold, italic := len(d) >= 2, len(d) != 2
		if nested := mdWholeStyle(inner); nested != "" {
			bold, italic = bold || nested.IsBold(), italic || nested.IsItalic()
		}
		return document.MakeStyle(bold, italic)
	}
	return ""
}

// mdLead returns the emphasised run-in label that opens the paragraph raw
// (normalised as text is), or "".
func mdLead(raw, text string) string {
	for _, d := range mdEmphases {
		if !strings.HasPrefix(raw, d) {
			continue
		}
		j := strings.Index(raw[len(d):], d)
		if j <= 0 {
			return ""
		}
		label := raw[len(d) : len(d)+j]
		rest := raw[len(d)+j+len(d):]
		if !strings.HasSuffix(label, ".") && !strings.HasSuffix(label, ":") {
			if rest == "" || rest[0] != '.' && rest[0] != ':' {
				return ""
			}
			label += rest[:1]
			rest = rest[1:]
		}
		lead := textnorm.Line(StripInline(label))
		if strings.TrimSpace(rest) == "" || len(lead) < 3 || len(lead) > maxLeadRunes*4 ||
			len([]rune(lead)) > maxLeadRunes || !strings.HasPrefix(text, lead) {
			return ""
		}
		return lead
	}
	return ""
}

func (m *mdParser) heading(s string, level int) {
	t := textnorm.Line(StripInline(s))
	if t == "" {
		return
	}
	if m.out.Metadata.Title == "" {
		m.out.Metadata.Title = container.Field(t)
	}
	m.emitBlock(document.Block{Type: document.Heading, Text: t, Level: level})
}

func (m *mdParser) emit(t document.BlockType, text string) {
	m.emitBlock(document.Block{Type: t, Text: text})
}

func (m *mdParser) emitBlock(b document.Block) {
	if b.Text = m.budget.take(b.Text); b.Text != "" {
		if !strings.HasPrefix(b.Text, b.Lead) {
			b.Lead = ""
		}
		m.out.Content = append(m.out.Content, b)
	}
}

// frontMatter reads a YAML front-matter block's title and author and returns
// the lines after it.
func (m *mdParser) frontMatter(lines []string) []string {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return lines
	}
	for i := 1; i < len(lines) && i < 200; i++ {
		ln := strings.TrimSpace(lines[i])
		if ln == "---" || ln == "..." {
			return lines[i+1:]
		}
		k, v, ok := strings.Cut(ln, ":")
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if !ok || v == "" {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "title":
			m.out.Metadata.Title = container.Field(textnorm.Line(v))
		case "author":
			m.out.Metadata.Author = container.Field(textnorm.Line(v))
		}
	}
	return lines
}

func inlineParagraph(lines []string) string {
	out := make([]string, 0, len(lines))
	for _, ln := range lines {
		// A trailing backslash or two spaces is a hard break: a space will do.
		ln = strings.TrimSuffix(strings.TrimRight(ln, " \t"), "\\")
		out = append(out, StripInline(ln))
	}
	return joinParagraph(out)
}

// tableRow turns one pipe-table line into cells joined by " | ".
func tableRow(ln string) string {
	ln = strings.TrimSpace(ln)
	ln = strings.TrimPrefix(ln, "|")
	if strings.HasSuffix(ln, "|") && !strings.HasSuffix(ln, `\|`) {
		ln = ln[:len(ln)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(ln); i++ {
		switch {
		case ln[i] == '\\' && i+1 < len(ln) && ln[i+1] == '|':
			cur.WriteByte('|')
			i++
		case ln[i] == '|':
			cells = append(cells, textnorm.Line(StripInline(cur.String())))
			cur.Reset()
		default:
			cur.WriteByte(ln[i])
		}
	}
	cells = append(cells, textnorm.Line(StripInline(cur.String())))
	return document.TableRow(cells)
}

func nonEmpty(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// StripInline removes Markdown inline markup from one line, keeping the text
// a reader sees: emphasis, code spans, links (their text), images (their alt
// text), autolinks, HTML tags and backslash escapes.
func StripInline(s string) string {
	if !strings.ContainsAny(s, "\\[]<>`*_~&") {
		return s // most lines of prose carry no markup at all
	}
	escaped := strings.IndexByte(s, '\\') >= 0
	if escaped {
		s = mdEscape.ReplaceAllStringFunc(s, func(m string) string { return string(rune(escBase + int(m[1]))) })
	}
	if strings.IndexByte(s, ']') >= 0 {
		s = mdNoteRef.ReplaceAllString(s, "")
		s = mdImage.ReplaceAllString(s, "$1")
		s = mdLink.ReplaceAllString(s, "$1")
		s = mdRefLink.ReplaceAllString(s, "$1")
	}
	if strings.IndexByte(s, '<') >= 0 {
		s = mdAutolink.ReplaceAllString(s, "$1")
		s = mdTag.ReplaceAllString(s, "")
	}
	s = strings.ReplaceAll(s, "`", "")
	if strings.ContainsAny(s, "*_~") {
		s = mdStrong.ReplaceAllString(s, "")
		s = mdStar.ReplaceAllString(s, "$1$2")
		s = mdUnder.ReplaceAllString(s, "$1$2")
	}
	if escaped {
		s = strings.Map(func(r rune) rune {
			if r >= escBase && r < escBase+128 {
				return r - escBase
			}
			return r
		}, s)
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return s
}
