package epub

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/doctest"
	"github.com/corpora-tools/corpora/internal/testutil/golden"
)

func parse(data []byte, lim document.Limits) (*document.Output, error) {
	return Parser{}.Parse(context.Background(), document.Input{Name: "test.epub", Data: data}, document.Options{Limits: lim})
}

// TestGolden parses each testdata/golden/*.txtar book and compares the
// output with its .golden.json; -update rewrites them.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/golden/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden inputs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out, err := parse(doctest.ZipFile(t, f), document.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := atomicfile.MarshalJSON(out)
			golden.Check(t, strings.TrimSuffix(f, ".txtar")+".golden.json", got)
		})
	}
}

func TestChapterStructure(t *testing.T) {
	out, err := parse(doctest.ZipFile(t, "testdata/golden/epub3.txtar"), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if out.Pages != 4 {
		t.Errorf("pages %d, want 4 spine items", out.Pages)
	}
	// Every heading, paragraph, list item and table is a block of its
	// chapter; a chapter that opens with a heading needs no nav title.
	var got []string
	for _, b := range out.Content {
		got = append(got, fmt.Sprintf("%d %s %q", b.Chapter, b.Type, b.Text))
	}
	want := []string{
		`2 heading "The Drowned Bell"`,
		`2 text "Beneath the mere the drowned bell tolls for the tidewrought dead; the Mind Flayer's hymn answers."`,
		`2 text "Its bronze is green as 海 glass."`,
		`2 list "First toll: the storm."`,
		`2 list "Second toll: the calm."`,
		`3 heading "Tide Tables"`,
		`3 table "Moon | High tide\nNew | Dawn\nFull | Dusk"`,
		`3 text "Broken markup here still reads."`,
		`4 heading "Notes"`,
		`4 text "A note on the bell."`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestPandocStructure reads a chapter the way pandoc writes EPUB: each
// entry in a <section> of its own, headings wrapped in links, divs with
// classes, names in bold and type lines in italic. Every entry must keep
// its heading and paragraphs, with their structure.
func TestPandocStructure(t *testing.T) {
	chapter := `<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Spells</title></head>
<body epub:type="bodymatter">
<section id="spells" class="level1"><h1 class="unnumbered"><a href="#spells">Spells</a></h1>
<section id="acid-splash" class="level2"><h2><a href="#acid-splash">Acid Splash</a></h2>
<p><em>Conjuration cantrip</em></p>
<p><strong>Casting Time:</strong> 1 action</p>
<div class="description"><p>You hurl a bubble of acid.</p></div>
</section>
<section id="bane" class="level2"><h2>Bane</h2>
<p><em>1st-level enchantment</em></p>
<p>Up to three creatures of your choice must make Charisma saving throws.</p>
</section>
<div class="items"><p><strong>Talisman of the Snow Queen</strong></p>
<p><em>Wondrous item, legendary (requires attunement)</em></p>
<p>This <b>small</b> talisman is cold to the touch.</p>
<p><strong><em>Winter's Grip.</em></strong> While holding it, you can cast <i>cone of cold</i>.</p>
<p><span style="font-weight: bold">Boots of Striding and Springing</span></p>
<p>While you wear these boots, your walking speed becomes 30 feet.</p>
</div>
<blockquote><p><em>The cold remembers.</em></p></blockquote>
</section>
</body></html>`
	book := doctest.Zip(t, txtar.Parse([]byte(`-- mimetype --
application/epub+zip
-- META-INF/container.xml --
<container><rootfiles><rootfile full-path="EPUB/content.opf"/></rootfiles></container>
-- EPUB/content.opf --
<package version="3.0"><metadata><title>T</title></metadata>
<manifest><item id="ch001" href="text/ch001.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="ch001"/></spine></package>
-- EPUB/text/ch001.xhtml --
`+chapter)))
	out, err := parse(book, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range out.Content {
		got = append(got, fmt.Sprintf("%s/%d/%s/%s/%q %q", b.Type, b.Level, b.Role, b.Style, b.Lead, b.Text))
	}
	want := []string{
		`heading/1///"" "Spells"`,
		`heading/2/name//"" "Acid Splash"`,
		`text/0/type_line/italic/"" "Conjuration cantrip"`,
		`text/0///"Casting Time:" "Casting Time: 1 action"`,
		`text/0///"" "You hurl a bubble of acid."`,
		`heading/2/name//"" "Bane"`,
		`text/0/type_line/italic/"" "1st-level enchantment"`,
		`text/0///"" "Up to three creatures of your choice must make Charisma saving throws."`,
		`heading/0/name/bold/"" "Talisman of the Snow Queen"`,
		`text/0/type_line/italic/"" "Wondrous item, legendary (requires attunement)"`,
		`text/0///"" "This small talisman is cold to the touch."`,
		`text/0///"Winter's Grip." "Winter's Grip. While holding it, you can cast cone of cold."`,
		`heading/0/name/bold/"" "Boots of Striding and Springing"`,
		`text/0///"" "While you wear these boots, your walking speed becomes 30 feet."`,
		`text/0//italic/"" "The cold remembers."`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestErrors(t *testing.T) {
	book := func(opf string) []byte {
		ar := txtar.Parse([]byte("-- mimetype --\napplication/epub+zip\n-- META-INF/container.xml --\n<container><rootfiles><rootfile full-path=\"p.opf\"/></rootfiles></container>\n-- p.opf --\n" + opf))
		return doctest.Zip(t, ar)
	}
	tests := []struct {
		name string
		data []byte
		lim  document.Limits
		want error
	}{
		{"not a zip", []byte("just text"), document.Limits{}, document.ErrMalformed},
		{"no package document", doctest.Zip(t, txtar.Parse([]byte("-- mimetype --\napplication/epub+zip\n"))), document.Limits{}, document.ErrMalformed},
		{"billion laughs in the OPF", book(`<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><package>&b;</package>`), document.Limits{}, document.ErrMalformed},
		{"deep OPF", book(strings.Repeat("<x>", 1000)), document.Limits{MaxXMLDepth: 100}, document.ErrLimit},
		{"too many entries", doctest.ZipFile(t, "testdata/golden/epub3.txtar"), document.Limits{MaxZipEntries: 3}, document.ErrLimit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(tc.data, tc.lim)
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestImageOnlyWarns(t *testing.T) {
	out, err := parse(doctest.ZipFile(t, "testdata/golden/image-only.txtar"), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Content) != 0 || len(out.Warnings) == 0 || !strings.Contains(out.Warnings[len(out.Warnings)-1].Reason, "no extractable text") {
		t.Errorf("got content %v warnings %v", out.Content, out.Warnings)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := syntheticBook(t, 50)
	if _, err := (Parser{}).Parse(ctx, document.Input{Name: "x.epub", Data: data}, document.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// syntheticBook builds an EPUB of n chapters of invented prose.
func syntheticBook(t testing.TB, n int) []byte {
	var b strings.Builder
	b.WriteString("-- mimetype --\napplication/epub+zip\n-- META-INF/container.xml --\n<container><rootfiles><rootfile full-path=\"o/p.opf\"/></rootfiles></container>\n-- o/p.opf --\n<package><metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Synthetic</dc:title></metadata><manifest>")
	for i := range n {
		fmt.Fprintf(&b, "<item id=\"c%d\" href=\"c%d.xhtml\" media-type=\"application/xhtml+xml\"/>", i, i)
	}
	b.WriteString("</manifest><spine>")
	for i := range n {
		fmt.Fprintf(&b, "<itemref idref=\"c%d\"/>", i)
	}
	b.WriteString("</spine></package>\n")
	para := "<p>The emberwright of the Glasswind coast binds a salamander to her lantern, and the mire trolls of Thornwick fear its cinder light; no ward of frost nor tide can quench it.</p>\n"
	for i := range n {
		fmt.Fprintf(&b, "-- o/c%d.xhtml --\n<html><body><h1>Chapter %d</h1>%s<table><tr><td>Ember</td><td>1d6 fire</td></tr></table></body></html>\n", i, i, strings.Repeat(para, 60))
	}
	return doctest.Zip(t, txtar.Parse([]byte(b.String())))
}

func TestDRM(t *testing.T) {
	const book = `-- mimetype --
application/epub+zip
-- META-INF/container.xml --
<container><rootfiles><rootfile full-path="p.opf"/></rootfiles></container>
-- META-INF/encryption.xml --
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/><enc:CipherData><enc:CipherReference URI="font.otf"/></enc:CipherData></enc:EncryptedData>
<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="c1.xhtml"/></enc:CipherData></enc:EncryptedData>
</encryption>
-- p.opf --
<package><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>
-- c1.xhtml --
\x93\xa7 ciphertext \x01\x02
`
	_, err := parse(doctest.Zip(t, txtar.Parse([]byte(book))), document.Limits{})
	if !errors.Is(err, document.ErrEncrypted) || !strings.Contains(err.Error(), "DRM") {
		t.Errorf("got %v, want a DRM error", err)
	}
	// Font obfuscation alone is no DRM: the text reads.
	fonts := strings.Replace(book, `URI="c1.xhtml"`, `URI="other.otf"`, 1)
	fonts = strings.Replace(fonts, "\\x93\\xa7 ciphertext \\x01\\x02", "<p>Plain text.</p>", 1)
	out, err := parse(doctest.Zip(t, txtar.Parse([]byte(fonts))), document.Limits{})
	if err != nil || len(out.Content) != 1 {
		t.Errorf("font obfuscation: %+v, %v", out, err)
	}
}

// TestStyleSheetStructure reads a book the way Calibre and InDesign write
// it: no <b> or <i>, only classes whose rules in a CSS file of the book
// set the weight and slant.
func TestStyleSheetStructure(t *testing.T) {
	book := doctest.Zip(t, txtar.Parse([]byte(`-- mimetype --
application/epub+zip
-- META-INF/container.xml --
<container><rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>
-- OEBPS/content.opf --
<package version="2.0"><metadata><title>T</title></metadata>
<manifest><item id="css" href="stylesheet.css" media-type="text/css"/>
<item id="c1" href="index_split_001.html" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="c1"/></spine></package>
-- OEBPS/stylesheet.css --
.calibre3 { display: block; font-size: 1em; font-weight: bold; margin: 0 }
.calibre4 { display: block; font-style: italic }
.calibre9 { font-weight: bold }
-- OEBPS/index_split_001.html --
<html><head><link href="stylesheet.css" rel="stylesheet" type="text/css"/></head><body>
<p class="calibre3">Gauntlets of Ogre Power</p>
<p class="calibre4">Wondrous item, uncommon (requires attunement)</p>
<p class="calibre2">Your Strength score is 19 while you wear these gauntlets.</p>
<p class="calibre2"><span class="calibre9">Power Strike.</span> When you hit, the blow lands hard.</p>
</body></html>
`)))
	out, err := parse(book, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range out.Content {
		got = append(got, fmt.Sprintf("%s/%s/%s/%q", b.Type, b.Role, b.Style, b.Lead))
	}
	want := `heading/name/bold/"" text/type_line/italic/"" text///"" text///"Power Strike."`
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}
