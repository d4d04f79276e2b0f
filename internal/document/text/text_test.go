package text

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// parserFor picks the parser by extension, as the dispatcher would after sniffing.
func parserFor(name string) document.Parser {
	switch filepath.Ext(name) {
	case ".md":
		return Markdown{}
	case ".html":
		return HTML{}
	}
	return Plain{}
}

// TestGolden parses every input in testdata/golden and compares the output
// with <input>.golden.json; -update rewrites them.
func TestGolden(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/golden/*")
	n := 0
	for _, in := range inputs {
		if strings.HasSuffix(in, ".golden.json") {
			continue
		}
		n++
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			out, err := parserFor(in).Parse(context.Background(), document.Input{Name: in, Data: data}, document.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := atomicfile.MarshalJSON(out)
			if err != nil {
				t.Fatal(err)
			}
			golden := in + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s:\n%s", golden, got)
			}
		})
	}
	if n == 0 {
		t.Fatal("no golden inputs")
	}
}

func TestStripInline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"*magic missile*, a 1st-level spell", "magic missile, a 1st-level spell"},
		{"**Cinder Lance** and __Frost Ward__", "Cinder Lance and Frost Ward"},
		{"_italic_ snake_case_name", "italic snake_case_name"},
		{"3 * 4 = 12", "3 * 4 = 12"},
		{`\*literal stars\*`, "*literal stars*"},
		{"[the wyrm](http://x.org/a_(b)) sleeps", "the wyrm sleeps"},
		{"![alt text](img.png)", "alt text"},
		{"[ref link][1] and <https://example.org>", "ref link and https://example.org"},
		{"`code` and ~~struck~~", "code and struck"},
		{"<span class=\"x\">tagged</span> &amp; done", "tagged & done"},
	}
	for _, tc := range tests {
		if got := StripInline(tc.in); got != tc.want {
			t.Errorf("StripInline(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMarkdownBlocks(t *testing.T) {
	in := "# Title\n\npara one\nline two\n\n- item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSetext\n---\n"
	out, err := Markdown{}.Parse(context.Background(), document.Input{Name: "x.md", Data: []byte(in)}, document.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []document.Block{
		{Type: document.Heading, Text: "Title"},
		{Type: document.Paragraph, Text: "para one line two"},
		{Type: document.List, Text: "item"},
		{Type: document.Table, Text: "a | b\n1 | 2"},
		{Type: document.Heading, Text: "Setext"},
	}
	if len(out.Content) != len(want) {
		t.Fatalf("got %+v", out.Content)
	}
	for i := range want {
		if out.Content[i] != want[i] {
			t.Errorf("block %d = %+v, want %+v", i, out.Content[i], want[i])
		}
	}
}

func TestHTMLExtract(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Item
	}{
		{"broken tags", "<p>one<p>two</b></i><div>three", []Item{{document.Paragraph, "one"}, {document.Paragraph, "two"}, {document.Paragraph, "three"}}},
		{"head left open", "<html><head><title>T</title><body><p>body text", []Item{{document.Paragraph, "body text"}}},
		{"heading with inline", "<h2>The <i>Wyrm</i>\n King</h2>", []Item{{document.Heading, "The Wyrm King"}}},
		{"script and nav skipped", "<nav>menu</nav><p>a<script>b</script>c</p>", []Item{{document.Paragraph, "ac"}}},
		{"implicit cells", "<table><tr><td>a<td>b<tr><td>c</table>", []Item{{document.Table, "a | b\nc"}}},
		{"br keeps lines", "<p>line one<br/>line two</p>", []Item{{document.Paragraph, "line one\nline two"}}},
		{"xhtml self-closing p", "<p/>text<p>more</p>", []Item{{document.Paragraph, "text"}, {document.Paragraph, "more"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ExtractHTML(context.Background(), []byte(tc.in), document.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Items) != len(tc.want) {
				t.Fatalf("got %+v", doc.Items)
			}
			for i := range tc.want {
				if doc.Items[i] != tc.want[i] {
					t.Errorf("item %d = %+v, want %+v", i, doc.Items[i], tc.want[i])
				}
			}
		})
	}
}

func TestHTMLDeepNesting(t *testing.T) {
	in := strings.Repeat("<div>", 100000) + "deep" + strings.Repeat("</div>", 100000)
	doc, err := ExtractHTML(context.Background(), []byte(in), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Items) != 1 || doc.Items[0].Text != "deep" {
		t.Errorf("got %+v", doc.Items)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := []byte(strings.Repeat("<p>x</p>\n", 10000))
	for _, p := range []document.Parser{Plain{}, Markdown{}, HTML{}} {
		if _, err := p.Parse(ctx, document.Input{Name: "x", Data: big}, document.Options{}); err == nil {
			t.Errorf("%T ignored a cancelled context", p)
		}
	}
}

func TestEmptyGivesWarning(t *testing.T) {
	out, err := Plain{}.Parse(context.Background(), document.Input{Name: "x.txt", Data: []byte("\n \n")}, document.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Content) != 0 || len(out.Warnings) != 1 {
		t.Errorf("got %+v", out)
	}
}

func TestPageFurnitureSkipped(t *testing.T) {
	in := `<p>The wyrm<a epub:type="noteref" href="#n1">1</a> sleeps.<span epub:type="pagebreak" title="23">23</span> It <span role="doc-pagebreak"><span>24</span></span>wakes.</p><p hidden="">secret</p><aside epub:type="footnote" id="n1"><p>A note.</p></aside>`
	doc, err := ExtractHTML(context.Background(), []byte(in), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Items) != 2 || doc.Items[0].Text != "The wyrm sleeps. It wakes." || doc.Items[1].Text != "A note." {
		t.Errorf("got %+v", doc.Items)
	}
}

func TestMarkdownFootnotes(t *testing.T) {
	in := "The wyrm[^1] sleeps.\n\n[^1]: Beneath the mere.\n[ref]: http://example.org\n"
	out, err := Markdown{}.Parse(context.Background(), document.Input{Name: "x.md", Data: []byte(in)}, document.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Content) != 2 || out.Content[0].Text != "The wyrm sleeps." || out.Content[1].Text != "Beneath the mere." {
		t.Errorf("got %+v", out.Content)
	}
}
