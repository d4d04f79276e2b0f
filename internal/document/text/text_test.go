package text

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/testutil/golden"
)

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
			golden.Check(t, in+".golden.json", got)
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
		{Type: document.Heading, Text: "Title", Level: 1},
		{Type: document.Paragraph, Text: "para one line two"},
		{Type: document.List, Text: "item"},
		{Type: document.Table, Text: "a | b\n1 | 2"},
		{Type: document.Heading, Text: "Setext", Level: 2},
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
		{"broken tags", "<p>one<p>two</b></i><div>three", []Item{{Type: document.Paragraph, Text: "one"}, {Type: document.Paragraph, Text: "two"}, {Type: document.Paragraph, Text: "three"}}},
		{"head left open", "<html><head><title>T</title><body><p>body text", []Item{{Type: document.Paragraph, Text: "body text"}}},
		{"heading with inline", "<h2>The <i>Wyrm</i>\n King</h2>", []Item{{Type: document.Heading, Text: "The Wyrm King", Level: 2}}},
		{"script and nav skipped", "<nav>menu</nav><p>a<script>b</script>c</p>", []Item{{Type: document.Paragraph, Text: "ac"}}},
		{"implicit cells", "<table><tr><td>a<td>b<tr><td>c</table>", []Item{{Type: document.Table, Text: "a | b\nc"}}},
		{"br keeps lines", "<p>line one<br/>line two</p>", []Item{{Type: document.Paragraph, Text: "line one\nline two"}}},
		{"xhtml self-closing p", "<p/>text<p>more</p>", []Item{{Type: document.Paragraph, Text: "text"}, {Type: document.Paragraph, Text: "more"}}},
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

// TestStructureByStyle reads the structure books mark with type style, in
// Markdown and in HTML: bold name lines, italic type lines, run-in labels,
// and what must stay text (a bold word in prose, an italic epigraph, a
// bold line followed by another heading).
func TestStructureByStyle(t *testing.T) {
	md := "## Light\n\n*Rote*\n\nAn item you touch glows.\n\n" +
		"**Amulet of Proof against Detection and Location**\n\n*Wondrous item, uncommon (requires attunement)*\n\nWhile wearing this amulet, you are hidden.\n\n" +
		"***Power Strike.*** When you hit, you deal more damage.\n\n" +
		"**Bite**. *Melee Weapon Attack:* +4 to hit.\n\n" +
		"- **Keen Smell.** The wolf has advantage.\n\n" +
		"A **bold** word and *another* in prose.\n\n" +
		"## Goblin\n\n*Small humanoid (goblinoid), neutral evil*\n\n" +
		"*The wind remembers.*\n\n" +
		"**Section in bold**\n\n## Next\n\nBody.\n\n" +
		"**Ring of Invisibility**  \n*Ring, legendary (requires attunement)*  \nWhile wearing this ring,\nyou can turn invisible."
	html := `<h2>Light</h2><p><i>Rote</i></p><p>An item you touch glows.</p>
<p><b>Amulet of Proof against Detection and Location</b></p><p><em>Wondrous item, uncommon (requires attunement)</em></p><p>While wearing this amulet, you are hidden.</p>
<p><strong><em>Power Strike.</em></strong> When you hit, you deal more damage.</p>
<p><strong>Bite</strong>. <em>Melee Weapon Attack:</em> +4 to hit.</p>
<ul><li><b>Keen Smell.</b> The wolf has advantage.</li></ul>
<p>A <b>bold</b> word and <i>another</i> in prose.</p>
<h2>Goblin</h2><p><span style="font-style: italic">Small humanoid (goblinoid), neutral evil</span></p>
<p><em>The wind remembers.</em></p>
<p class="Bold-Name">Section in bold</p><h2>Next</h2><p>Body.</p>
<p><b>Ring of Invisibility</b><br/><i>Ring, legendary (requires attunement)</i><br/>While wearing this ring, you can turn invisible.</p>`
	want := []string{
		`heading/2/name//"" "Light"`,
		`text/0/type_line/italic/"" "Rote"`,
		`text/0///"" "An item you touch glows."`,
		`heading/0/name/bold/"" "Amulet of Proof against Detection and Location"`,
		`text/0/type_line/italic/"" "Wondrous item, uncommon (requires attunement)"`,
		`text/0///"" "While wearing this amulet, you are hidden."`,
		`text/0///"Power Strike." "Power Strike. When you hit, you deal more damage."`,
		`text/0///"Bite." "Bite. Melee Weapon Attack: +4 to hit."`,
		`list/0///"Keen Smell." "Keen Smell. The wolf has advantage."`,
		`text/0///"" "A bold word and another in prose."`,
		`heading/2/name//"" "Goblin"`,
		`text/0/type_line/italic/"" "Small humanoid (goblinoid), neutral evil"`,
		`text/0//italic/"" "The wind remembers."`,
		`text/0//bold/"" "Section in bold"`,
		`heading/2///"" "Next"`,
		`text/0///"" "Body."`,
		`heading/0/name/bold/"" "Ring of Invisibility"`,
		`text/0/type_line/italic/"" "Ring, legendary (requires attunement)"`,
		`text/0///"" "While wearing this ring, you can turn invisible."`,
	}
	for _, tc := range []struct {
		name string
		p    document.Parser
		in   string
	}{{"markdown", Markdown{}, md}, {"html", HTML{}, html}} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.p.Parse(context.Background(), document.Input{Name: "x", Data: []byte(tc.in)}, document.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range out.Content {
				got = append(got, fmt.Sprintf("%s/%d/%s/%s/%q %q", b.Type, b.Level, b.Role, b.Style, b.Lead, b.Text))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestParseCSS(t *testing.T) {
	css := `/* calibre */ .calibre5 { font-weight: bold } .calibre6{font-style:italic;}
p.SpellName, span.Name-Bold { font-weight: 700 !important; color: red }
@media screen { .inmedia { font: italic bold 12px serif } }
@font-face { font-family: X; font-weight: bold }
div.entry span.type { font-style: oblique } .a.b { font-weight: bold } #id { font-weight: bold }
.plain { font-weight: normal } h1 { font-weight: bold } .x:first-line { font-weight: 800 }
.unclosed { font-style: italic`
	cs := ClassStyles{}
	ParseCSS(cs, []byte(css))
	want := ClassStyles{"calibre5": document.Bold, "calibre6": document.Italic, "SpellName": document.Bold, "Name-Bold": document.Bold,
		"inmedia": document.BoldItalic, "type": document.Italic, "unclosed": document.Italic}
	if fmt.Sprint(cs) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", cs, want)
	}
}

// TestStyleSheetClasses reads bold and italic from the classes of a
// document's <style>, as Calibre and InDesign write them.
func TestStyleSheetClasses(t *testing.T) {
	in := `<html><head><style>.c5 { font-weight: bold } p.tl { font-style: italic }</style></head><body>
<p class="c5">Boots of Striding and Springing</p><p class="tl">Wondrous item, uncommon</p><p>You can jump.</p>
<p><span class="c5">Leap.</span> You jump far.</p></body></html>`
	out, err := HTML{}.Parse(context.Background(), document.Input{Name: "x.html", Data: []byte(in)}, document.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range out.Content {
		got = append(got, fmt.Sprintf("%s/%s/%s/%q", b.Type, b.Role, b.Style, b.Lead))
	}
	want := `heading/name/bold/"" text/type_line/italic/"" text///"" text///"Leap."`
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func FuzzParseCSS(f *testing.F) {
	f.Add(".a { font-weight: bold } @media x { .b { font: italic 1em y } }")
	f.Add("/* x */ .a { /* y */ font-style: italic")
	f.Fuzz(func(t *testing.T, css string) {
		cs := ClassStyles{}
		ParseCSS(cs, []byte(css))
		for k, v := range cs {
			if k == "" || v == "" {
				t.Fatalf("bad entry %q: %q", k, v)
			}
		}
	})
}
