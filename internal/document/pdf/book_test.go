package pdf

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// bookStyle says how renderBook sets a book: the traits of printed
// sourcebooks that mark their structure with type style only.
type bookStyle struct {
	columns int     // 1 or 2
	body    float64 // body size in points
	core    bool    // the standard Times faces (names "Times-Bold"); else embedded Go fonts
	indent  bool    // a first-line indent on paragraphs after the first
	bullets bool    // list items set with a bullet
}

// styledWord is a word and its style ("", "B", "I", "BI").
type styledWord struct {
	text, style string
}

// bookPDF renders a Markdown subset as a printed book would set it:
// "#" to "###" headings larger and bold; "####" and deeper in bold at body
// size on their own line (an entry's name); paragraphs with no space
// between them; **bold**, *italic* and ***both*** runs; "| a | b |" table
// rows; "- item" list items. Names, type lines and stat lines come out
// exactly as the Markdown marks them, so a test knows the truth.
type bookPDF struct {
	f          *fpdf.Fpdf
	st         bookStyle
	tr         func(string) string
	x0, colW   float64
	col        int
	y          float64
	pageW      float64
	pageH      float64
	margin     float64
	paraBefore bool // the previous block was a paragraph (for the indent)
}

func renderBook(t testing.TB, md string, st bookStyle) []byte {
	t.Helper()
	f := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: 612, Ht: 792}})
	f.SetCompression(true)
	f.SetAutoPageBreak(false, 0)
	b := &bookPDF{f: f, st: st, pageW: 612, pageH: 792, margin: 54, tr: func(s string) string { return s }}
	if st.core {
		tr := f.UnicodeTranslatorFromDescriptor("")
		b.tr = func(s string) string {
			r := strings.NewReplacer("−", "-", "—", "-", "–", "-", "’", "'", "‘", "'", "“", "\"", "”", "\"", "×", "x", "•", "-")
			return tr(r.Replace(s))
		}
	} else {
		f.AddUTF8FontFromBytes("Go", "", goregular.TTF)
		f.AddUTF8FontFromBytes("Go", "B", gobold.TTF)
		f.AddUTF8FontFromBytes("Go", "I", goitalic.TTF)
		f.AddUTF8FontFromBytes("Go", "BI", gobolditalic.TTF)
	}
	if st.columns < 1 {
		st.columns = 1
		b.st.columns = 1
	}
	gap := 14.0
	b.colW = (b.pageW - 2*b.margin - gap*float64(st.columns-1)) / float64(st.columns)
	b.newPage()
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		ln := strings.TrimSpace(lines[i])
		switch {
		case ln == "" || strings.HasPrefix(ln, "==") || strings.HasPrefix(ln, "--") && strings.Trim(ln, "-") == "":
			continue
		case strings.HasPrefix(ln, "#"):
			level := len(ln) - len(strings.TrimLeft(ln, "#"))
			text := strings.TrimSpace(ln[level:])
			size, style := st.body, "B"
			switch level {
			case 1:
				size = st.body * 2
			case 2:
				size = st.body * 1.6
			case 3:
				size = st.body * 1.25
			}
			b.para(styled(text, style), size, false, "")
			b.paraBefore = false
		case strings.HasPrefix(ln, "|"):
			if strings.Trim(ln, "|-: ") == "" {
				continue
			}
			var cells []string
			for c := range strings.SplitSeq(strings.Trim(ln, "|"), "|") {
				cells = append(cells, strings.TrimSpace(strings.ReplaceAll(c, "*", "")))
			}
			b.row(cells)
			b.paraBefore = false
		case strings.HasPrefix(ln, "- ") || strings.HasPrefix(ln, "* "):
			bullet := ""
			if st.bullets {
				bullet = "•"
			}
			b.para(inlineWords(ln[2:]), st.body, false, bullet)
			b.paraBefore = false
		default:
			if i == 0 || len(lines) > i+1 && strings.HasPrefix(strings.TrimSpace(lines[i+1]), "==") {
				b.para(styled(ln, "B"), st.body*2, false, "")
				continue
			}
			b.para(inlineWords(ln), st.body, st.indent && b.paraBefore, "")
			b.paraBefore = true
		}
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// styled splits text into words all set in style.
func styled(text, style string) []styledWord {
	var out []styledWord
	for _, w := range strings.Fields(text) {
		out = append(out, styledWord{text: w + " ", style: style})
	}
	return out
}

// inlineWords splits a Markdown paragraph into words with their styles;
// *, ** and *** toggle italic, bold and both.
func inlineWords(s string) []styledWord {
	var out []styledWord
	bold, italic := false, false
	var cur strings.Builder
	style := func() string {
		switch {
		case bold && italic:
			return "BI"
		case bold:
			return "B"
		case italic:
			return "I"
		}
		return ""
	}
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, styledWord{text: cur.String(), style: style()})
			cur.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "***"):
			flush()
			bold, italic = !bold, !italic
			i += 3
		case strings.HasPrefix(s[i:], "**"):
			flush()
			bold = !bold
			i += 2
		case s[i] == '*' || s[i] == '_' && (i == 0 || s[i-1] == ' '):
			flush()
			italic = !italic
			i++
		case s[i] == ' ':
			flush()
			if len(out) > 0 {
				out[len(out)-1].text += " "
			}
			i++
		default:
			cur.WriteByte(s[i])
			i++
		}
	}
	flush()
	// Words end at spaces; a run's style change inside a word keeps both
	// parts as separate pieces with no space between.
	return out
}

func (b *bookPDF) newPage() {
	b.f.AddPage()
	b.col = 0
	b.x0 = b.margin
	b.y = b.margin
	// A running footer, as books have.
	b.setFont("", 7)
	b.f.Text(b.pageW/2-40, b.pageH-30, b.tr("Book of Tests - page ")+itoa(b.f.PageNo()))
}

func itoa(n int) string {
	var s []byte
	if n == 0 {
		return "0"
	}
	for n > 0 {
		s = append([]byte{byte('0' + n%10)}, s...)
		n /= 10
	}
	return string(s)
}

func (b *bookPDF) setFont(style string, size float64) {
	fam := "Go"
	if b.st.core {
		fam = "Times"
	}
	b.f.SetFont(fam, style, size)
}

// advance moves down one line of height h, starting a new column or page
// when the column is full.
func (b *bookPDF) advance(h float64) {
	if b.y+h > b.pageH-b.margin-20 {
		b.col++
		if b.col >= b.st.columns {
			b.newPage()
		} else {
			b.x0 = b.margin + float64(b.col)*(b.colW+14)
			b.y = b.margin
		}
	}
	b.y += h
}

// para sets one paragraph: words wrapped to the column, each style run
// drawn as one string.
func (b *bookPDF) para(ws []styledWord, size float64, indent bool, bullet string) {
	lead := size * 1.2
	x := 0.0
	if indent {
		x = size
	}
	left := 0.0
	if bullet != "" {
		left = size * 1.2
		x = left
	}
	type piece struct {
		text, style string
		x           float64
	}
	var line []piece
	flush := func(first bool) {
		b.advance(lead)
		if first && bullet != "" {
			b.setFont("", size)
			b.f.Text(b.x0, b.y, b.tr(bullet))
		}
		for _, p := range line {
			b.setFont(p.style, size)
			b.f.Text(b.x0+p.x, b.y, b.tr(p.text))
		}
		line = line[:0]
	}
	first := true
	for _, w := range ws {
		b.setFont(w.style, size)
		text := w.text
		wd := b.f.GetStringWidth(b.tr(strings.TrimRight(text, " ")))
		if x+wd > b.colW && len(line) > 0 {
			flush(first)
			first = false
			x = left
		}
		if n := len(line); n > 0 && line[n-1].style == w.style {
			line[n-1].text += text
		} else {
			line = append(line, piece{text: text, style: w.style, x: x})
		}
		x += b.f.GetStringWidth(b.tr(text))
	}
	if len(line) > 0 {
		flush(first)
	}
}

// row sets a table row, its cells at even steps across the column.
func (b *bookPDF) row(cells []string) {
	size := b.st.body * 0.9
	b.advance(size * 1.3)
	b.setFont("", size)
	step := b.colW / float64(max(len(cells), 1))
	for i, c := range cells {
		b.f.Text(b.x0+float64(i)*step, b.y, b.tr(c))
	}
}

// TestBookLayoutGolden renders a short multi-system sourcebook (a 5e item
// and monster, a Pathfinder 2e creature, an OSR and a Dungeon World
// monster, bulleted spell lists) the way printed books set them, in two
// ways, and pins the block structure the parser finds.
func TestBookLayoutGolden(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("testdata", "systems-book.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct {
		name string
		st   bookStyle
	}{
		{"times-1col", bookStyle{columns: 1, body: 10, core: true, indent: true, bullets: true}},
		{"go-2col", bookStyle{columns: 2, body: 9, bullets: true}},
	} {
		t.Run(v.name, func(t *testing.T) {
			out, err := parseBytes(t, renderBook(t, string(md), v.st), document.Options{OCR: document.OCROff})
			if err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			for _, b := range out.Content {
				fmt.Fprintf(&sb, "[%s%s] %s\n", b.Type, blockAttrs(b), b.Text)
			}
			got := sb.String()
			golden := filepath.Join("testdata", "systems-book."+v.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("block structure differs from %s (run with -update and review the diff):\n%s", golden, got)
			}
		})
	}
}
