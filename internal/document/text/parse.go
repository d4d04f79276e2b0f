package text

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
	"github.com/corpora-tools/corpora/internal/textnorm"
)

// Plain parses plain text: paragraphs are separated by blank lines, and
// within one, a line break that text wrapping did not make (see
// hardBreaks) starts a new paragraph: a sentence or an item a line.
type Plain struct{}

// Markdown parses CommonMark-style Markdown with pipe tables.
type Markdown struct{}

// HTML parses an HTML or XHTML page.
type HTML struct{}

var (
	_ document.Parser = Plain{}
	_ document.Parser = Markdown{}
	_ document.Parser = HTML{}
)

// Parse implements document.Parser.
func (Plain) Parse(ctx context.Context, in document.Input, opts document.Options) (*document.Output, error) {
	out := newOutput(document.Text)
	lines := splitLines(string(container.DecodeText(in.Data)))
	var para []string
	b := newBudget(opts.Limits)
	flush := func() {
		from := 0
		for _, to := range hardBreaks(para) {
			if t := b.take(joinParagraph(para[from:to])); t != "" {
				out.Content = append(out.Content, document.Block{Type: document.Paragraph, Text: t})
			}
			from = to
		}
		para = para[:0]
	}
	for i, ln := range lines {
		if b.full {
			break
		}
		if i%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if strings.TrimSpace(strings.ReplaceAll(ln, "\f", "")) == "" {
			flush()
			continue
		}
		para = append(para, ln)
	}
	flush()
	if b.full {
		return nil, textLimit(opts.Limits)
	}
	return finish(out), nil
}

// budget counts text against Limits.MaxTextBytes.
type budget struct {
	left int64
	full bool
}

func newBudget(lim document.Limits) *budget {
	return &budget{left: lim.WithDefaults().MaxTextBytes}
}

// take returns s, cut to what is left of the budget.
func (b *budget) take(s string) string {
	if int64(len(s)) > b.left {
		s = container.TruncateText(s, int(b.left))
		b.full = true
	}
	b.left -= int64(len(s))
	return s
}

// Parse implements document.Parser.
func (HTML) Parse(ctx context.Context, in document.Input, opts document.Options) (*document.Output, error) {
	doc, err := ExtractHTML(ctx, in.Data, opts.Limits)
	if err != nil {
		return nil, err
	}
	out := newOutput(document.HTML)
	out.Metadata.Title = doc.Title
	out.Metadata.Author = doc.Author
	out.Metadata.Language = doc.Language
	out.Content = append(out.Content, Blocks(doc.Items, 0)...)
	if doc.Truncated {
		return nil, textLimit(opts.Limits)
	}
	return finish(out), nil
}

func newOutput(f document.Format) *document.Output {
	return &document.Output{Format: f, Pages: 1, Warnings: []document.Warning{}, Content: []document.Block{}}
}

// finish warns about a document without text; the caller decides whether
// that is an error.
func finish(out *document.Output) *document.Output {
	if len(out.Content) == 0 {
		out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: document.ErrNoText.Error()})
	}
	return out
}

// textLimit is the error of a document with more text than
// Limits.MaxTextBytes; reading stopped at the limit.
func textLimit(lim document.Limits) error {
	return fmt.Errorf("%w: more than %d bytes of text (the text limit)", document.ErrLimit, lim.WithDefaults().MaxTextBytes)
}

// splitLines splits s at LF, CRLF and lone CR.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

// joinParagraph normalises the physical lines of one paragraph and joins
// them, mending line-end hyphenation. The paragraph is normalised in one
// pass: textnorm.String is the costly step of every text parser.
func joinParagraph(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	norm := strings.Split(textnorm.String(strings.Join(lines, "\n")), "\n")
	kept := norm[:0]
	for _, ln := range norm {
		if ln = strings.TrimSpace(ln); ln != "" {
			kept = append(kept, ln)
		}
	}
	return textnorm.JoinLines(kept, nil)
}

// hardBreaks returns the ends of the runs of lines that make one paragraph
// each: the line breaks inside lines that wrapping did not make, and
// len(lines).
//
// A wrapping program (greedy, as fmt, editors and mail clients wrap)
// breaks a line only when the next word would not fit, so with W the
// widest line, a wrapped break has len(line)+1+len(next word) > W; a
// hyphen at the line's end is a wrap too. A break that fails this test is
// hard where the line ends a sentence or the next one starts with a
// capital, a digit or a mark (hand-wrapped prose continues in lower case).
// When most breaks are hard, the text is written a sentence or an item a
// line (EWT's raw sentences, a random table) and every break is hard,
// also after the widest line, which the test cannot judge; so is every
// break of lines no wider than listWidth, which no one wraps prose at (a
// word list). Wrapped prose is not split at all.
func hardBreaks(lines []string) []int {
	if len(lines) < 2 {
		return []int{len(lines)}
	}
	w := 0
	for _, ln := range lines {
		w = max(w, utf8.RuneCountInString(strings.TrimSpace(ln)))
	}
	if w <= listWidth {
		return everyLine(len(lines))
	}
	var ends []int
	for i := 0; i+1 < len(lines); i++ {
		ln := strings.TrimSpace(lines[i])
		next := strings.TrimSpace(lines[i+1])
		first := next
		if j := strings.IndexFunc(next, unicode.IsSpace); j >= 0 {
			first = next[:j]
		}
		if strings.HasSuffix(ln, "-") || utf8.RuneCountInString(ln)+1+utf8.RuneCountInString(first) > w {
			continue
		}
		r, _ := utf8.DecodeRuneInString(next)
		if strings.ContainsAny(ln[len(ln)-1:], ".!?:;\"')]") || !unicode.IsLower(r) {
			ends = append(ends, i+1)
		}
	}
	if 2*len(ends) >= len(lines)-1 {
		return everyLine(len(lines))
	}
	return append(ends, len(lines))
}

// everyLine returns 1, 2, ... n: every line a paragraph.
func everyLine(n int) []int {
	ends := make([]int, n)
	for i := range ends {
		ends[i] = i + 1
	}
	return ends
}

// listWidth is the widest line of a paragraph that is taken for a list
// when its lines are not separated by blank lines.
const listWidth = 32
