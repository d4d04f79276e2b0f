package epub

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/doctest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func loadTxtar(t testing.TB, name string) []byte {
	t.Helper()
	ar, err := doctest.ParseTxtarFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return doctest.Zip(t, ar)
}

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
			out, err := parse(loadTxtar(t, f), document.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := atomicfile.MarshalJSON(out)
			golden := strings.TrimSuffix(f, ".txtar") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("differs from %s:\n%s", golden, got)
			}
		})
	}
}

func TestChapterStructure(t *testing.T) {
	out, err := parse(loadTxtar(t, "testdata/golden/epub3.txtar"), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if out.Pages != 4 {
		t.Errorf("pages %d, want 4 spine items", out.Pages)
	}
	// Each chapter with text: a heading with the nav title, then one text block.
	var got []string
	for _, b := range out.Content {
		got = append(got, fmt.Sprintf("%d %s", b.Chapter, b.Type))
	}
	want := "2 heading,2 text,3 heading,3 text,4 heading,4 text"
	if strings.Join(got, ",") != want {
		t.Errorf("blocks %v, want %s", got, want)
	}
	text := out.Content[1].Text
	for _, s := range []string{"tidewrought", "Mind Flayer's", "green as 海 glass.", "\n\nFirst toll: the storm.\n\n"} {
		if !strings.Contains(text, s) {
			t.Errorf("chapter text lacks %q:\n%s", s, text)
		}
	}
	if tables := out.Content[3].Text; !strings.Contains(tables, "Moon | High tide\nNew | Dawn\nFull | Dusk") {
		t.Errorf("table rows: %q", tables)
	}
}

func TestErrors(t *testing.T) {
	book := func(opf string) []byte {
		ar := doctest.ParseTxtar([]byte("-- mimetype --\napplication/epub+zip\n-- META-INF/container.xml --\n<container><rootfiles><rootfile full-path=\"p.opf\"/></rootfiles></container>\n-- p.opf --\n" + opf))
		return doctest.Zip(t, ar)
	}
	tests := []struct {
		name string
		data []byte
		lim  document.Limits
		want error
	}{
		{"not a zip", []byte("just text"), document.Limits{}, document.ErrMalformed},
		{"no package document", doctest.Zip(t, doctest.ParseTxtar([]byte("-- mimetype --\napplication/epub+zip\n"))), document.Limits{}, document.ErrMalformed},
		{"billion laughs in the OPF", book(`<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><package>&b;</package>`), document.Limits{}, document.ErrMalformed},
		{"deep OPF", book(strings.Repeat("<x>", 1000)), document.Limits{MaxXMLDepth: 100}, document.ErrLimit},
		{"too many entries", loadTxtar(t, "testdata/golden/epub3.txtar"), document.Limits{MaxZipEntries: 3}, document.ErrLimit},
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
	out, err := parse(loadTxtar(t, "testdata/golden/image-only.txtar"), document.Limits{})
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
	return doctest.Zip(t, doctest.ParseTxtar([]byte(b.String())))
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
	_, err := parse(doctest.Zip(t, doctest.ParseTxtar([]byte(book))), document.Limits{})
	if !errors.Is(err, document.ErrEncrypted) || !strings.Contains(err.Error(), "DRM") {
		t.Errorf("got %v, want a DRM error", err)
	}
	// Font obfuscation alone is no DRM: the text reads.
	fonts := strings.Replace(book, `URI="c1.xhtml"`, `URI="other.otf"`, 1)
	fonts = strings.Replace(fonts, "\\x93\\xa7 ciphertext \\x01\\x02", "<p>Plain text.</p>", 1)
	out, err := parse(doctest.Zip(t, doctest.ParseTxtar([]byte(fonts))), document.Limits{})
	if err != nil || len(out.Content) != 1 {
		t.Errorf("font obfuscation: %+v, %v", out, err)
	}
}
