package text

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
)

// seed adds the golden inputs with the given extension to the corpus.
func seed(f *testing.F, ext string, extra ...string) {
	files, _ := filepath.Glob("testdata/golden/*" + ext)
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// check fails on output a parser must never give.
func check(t *testing.T, out *document.Output, err error) {
	if err != nil {
		return
	}
	for _, b := range out.Content {
		if b.Text == "" || !utf8.ValidString(b.Text) || !strings.HasPrefix(b.Text, b.Lead) || b.Level < 0 || b.Level > 6 {
			t.Fatalf("bad block %+v", b)
		}
	}
}

func fuzzParser(f *testing.F, p document.Parser, name string) {
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := p.Parse(context.Background(), document.Input{Name: name, Data: data}, document.Options{})
		check(t, out, err)
	})
}

func FuzzMarkdown(f *testing.F) {
	seed(f, ".md", "# h\n\n|a|\n|-|\n", "```\nx", "- a\n  b\n---\n", "[x](y(z)) \\* _a_")
	fuzzParser(f, Markdown{}, "f.md")
}

func FuzzHTML(f *testing.F) {
	seed(f, ".html", "<table><tr><td><table><td>x", "<p>a<br>b</p>", "<head><title>t</title><body>x", "<pre>a\n b</pre>")
	fuzzParser(f, HTML{}, "f.html")
}

func FuzzPlain(f *testing.F) {
	seed(f, ".txt", "a-\nb\n\nc", "\xff\xfe\x00", "\xfe\xff\x00a\x00")
	fuzzParser(f, Plain{}, "f.txt")
}

// FuzzStripInline checks StripInline keeps valid UTF-8 valid and never
// grows valid input beyond the unescaped entities (invalid bytes become
// U+FFFD, which may grow it; the parsers decode text before stripping).
func FuzzStripInline(f *testing.F) {
	f.Add("*a* **b** [c](d) `e` \\* _f_")
	f.Fuzz(func(t *testing.T, s string) {
		got := StripInline(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("StripInline(%q) = %q: invalid UTF-8", s, got)
		}
		if utf8.ValidString(s) && !strings.Contains(s, "&") && len(got) > len(s) {
			t.Fatalf("StripInline(%q) = %q grew", s, got)
		}
	})
}
