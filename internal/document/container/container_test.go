package container

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/document"
)

// makeZip builds a zip from name, content pairs.
func makeZip(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		f, err := w.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestZipLimits(t *testing.T) {
	big := strings.Repeat("a", 3<<20) // compresses about 1000:1
	tests := []struct {
		name    string
		files   []string
		lim     document.Limits
		read    string
		wantErr error
	}{
		{"ok", []string{"a.xml", "<a/>"}, document.Limits{}, "a.xml", nil},
		{"too many entries", []string{"a", "1", "b", "2", "c", "3"}, document.Limits{MaxZipEntries: 2}, "", document.ErrLimit},
		{"entry too big", []string{"a", strings.Repeat("x", 5000)}, document.Limits{MaxEntryBytes: 4096}, "a", document.ErrLimit},
		{"total too big", []string{"a", strings.Repeat("x", 3000), "b", strings.Repeat("y", 3000)}, document.Limits{MaxDecompressed: 5000}, "a,b", document.ErrLimit},
		{"compression ratio", []string{"bomb", big}, document.Limits{}, "bomb", document.ErrLimit},
		{"missing entry", []string{"a", "1"}, document.Limits{}, "b", ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := OpenZip(makeZip(t, tc.files...), tc.lim)
			if err == nil && tc.read != "" {
				for _, n := range strings.Split(tc.read, ",") {
					if _, err = a.ReadFile(n); err != nil {
						break
					}
				}
			}
			if tc.wantErr == nil && err != nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// TestZipSizeHeadersIgnored: an entry whose header claims a small size is
// still stopped by the bytes actually decompressed.
func TestZipSizeHeadersIgnored(t *testing.T) {
	data := makeZip(t, "a", strings.Repeat("x", 10000))
	// Patch the uncompressed size in the local and central headers to 10.
	for _, sig := range []string{"PK\x03\x04", "PK\x01\x02"} {
		i := bytes.Index(data, []byte(sig))
		off := 22
		if sig == "PK\x01\x02" {
			off = 24
		}
		copy(data[i+off:], []byte{10, 0, 0, 0})
	}
	a, err := OpenZip(data, document.Limits{MaxEntryBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReadFile("a"); err == nil {
		t.Fatal("read past the lying header without an error")
	}
}

func TestZipRecoverTruncated(t *testing.T) {
	data := makeZip(t, "first.xml", "<a>one</a>", "second.xml", strings.Repeat("<b>two</b>", 100))
	cut := data[:bytes.Index(data, []byte("PK\x01\x02"))-20] // no central directory, last entry cut
	a, err := OpenZip(cut, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Recovered {
		t.Error("Recovered not set")
	}
	got, err := a.ReadFile("first.xml")
	if err != nil || string(got) != "<a>one</a>" {
		t.Fatalf("first.xml = %q, %v", got, err)
	}
	if got, err := a.ReadFile("second.xml"); err != nil || !bytes.HasPrefix(got, []byte("<b>two</b>")) {
		t.Fatalf("second.xml = %.20q, %v", got, err)
	}
	if _, err := OpenZip([]byte("not a zip at all"), document.Limits{}); !errors.Is(err, document.ErrMalformed) {
		t.Errorf("garbage: %v", err)
	}
}

func TestLookup(t *testing.T) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, name := range []string{"OEBPS/Text/Chapter 1.xhtml", "EPUB/content_\x82.xhtml", "dir\\win.xml"} {
		f, _ := w.CreateHeader(&zip.FileHeader{Name: name, NonUTF8: true})
		f.Write([]byte("x"))
	}
	w.Close()
	a, err := OpenZip(buf.Bytes(), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"OEBPS/Text/Chapter 1.xhtml",
		"OEBPS/Text/Chapter%201.xhtml",
		"oebps/text/chapter 1.xhtml",
		"/OEBPS/./Text/../Text/Chapter 1.xhtml",
		"EPUB/content_é.xhtml", // CP437 0x82
		"dir/win.xml",
	} {
		if !a.Has(q) {
			t.Errorf("lookup %q failed", q)
		}
	}
	if a.Has("OEBPS/Text/Chapter 2.xhtml") {
		t.Error("found a name that is not there")
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"utf8", "caf\u00e9", "caf\u00e9"},
		{"utf8 bom", "\xEF\xBB\xBFhi", "hi"},
		{"utf16le", "\xFF\xFEh\x00i\x00\xe9\x00", "hi\u00e9"},
		{"utf16be", "\xFE\xFF\x00h\x00i", "hi"},
		{"latin1", "caf\xe9 na\xefve", "caf\u00e9 na\u00efve"},
		{"cp1252 quotes in utf8", "\u00e9 \x93quoted\x94", "\u00e9 \u201cquoted\u201d"},
		{"junk bytes dropped", "hello\xff\xff world", "hello world"},
	}
	for _, tc := range tests {
		if got := string(DecodeText([]byte(tc.in))); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// drain reads every token of data, returning the first error.
func drain(data string, lim document.Limits) error {
	d := NewDecoder(context.Background(), []byte(data), lim)
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestXMLLimits(t *testing.T) {
	deep := strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300)
	many := "<r>" + strings.Repeat("<b/>", 2000) + "</r>"
	tests := []struct {
		name string
		xml  string
		lim  document.Limits
		want error
	}{
		{"ok", "<a><b>text &amp; more &nbsp;</b></a>", document.Limits{}, nil},
		{"depth", deep, document.Limits{MaxXMLDepth: 256}, document.ErrLimit},
		{"tokens", many, document.Limits{MaxXMLTokens: 1000}, document.ErrLimit},
		{"billion laughs", billionLaughs, document.Limits{}, document.ErrMalformed},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>`, document.Limits{}, document.ErrMalformed},
		{"plain doctype is fine", `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd"><html/>`, document.Limits{}, nil},
		{"unknown entity left alone", "<a>&lol9; &#xD800;</a>", document.Limits{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			err := drain(tc.xml, tc.lim)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>`

func TestDecoderHelpers(t *testing.T) {
	d := NewDecoder(context.Background(), []byte(`<r><a k="v">one<b>two</b></a><c><d/></c><e>x</e></r>`), document.Limits{})
	var got []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "a":
			s, _ := d.Text()
			got = append(got, Attr(se, "k")+"="+s)
		case "c":
			if err := d.Skip(); err != nil {
				t.Fatal(err)
			}
		case "d":
			t.Error("Skip did not skip <d>")
		default:
			got = append(got, se.Name.Local)
		}
	}
	if strings.Join(got, ",") != "r,v=onetwo,e" {
		t.Errorf("got %v", got)
	}
	if d.Depth() != 0 {
		t.Errorf("depth %d at the end", d.Depth())
	}
}

// FuzzOpenZip reads every entry of mutated archives, including damaged ones
// recovered from local headers: errors are fine, panics and runaway output
// are not.
func FuzzOpenZip(f *testing.F) {
	f.Add(makeZip(f, "a.xml", "<a>one</a>", "b/c.txt", strings.Repeat("two ", 100)))
	full := makeZip(f, "first", "1", "second", strings.Repeat("x", 1000))
	f.Add(full[:len(full)-30])
	lim := document.Limits{MaxDecompressed: 1 << 20, MaxEntryBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := OpenZip(data, lim)
		if err != nil {
			return
		}
		var total int
		for _, n := range a.Names() {
			got, err := a.ReadFile(n)
			if err != nil {
				continue
			}
			total += len(got)
		}
		if total > 1<<20 {
			t.Fatalf("read %d bytes past the limit", total)
		}
	})
}

func FuzzDecoder(f *testing.F) {
	f.Add([]byte(billionLaughs))
	f.Add([]byte(`<a x="1"><b>t&amp;</b><!-- c --><![CDATA[d]]></a>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewDecoder(context.Background(), data, document.Limits{MaxXMLDepth: 64, MaxXMLTokens: 10000})
		for i := 0; ; i++ {
			_, err := d.Token()
			if err != nil {
				return
			}
			if i > 10000 {
				t.Fatal("token limit not enforced")
			}
		}
	})
}

func TestUTF16WithoutBOM(t *testing.T) {
	le := []byte("T\x00h\x00e\x00 \x00A\x00s\x00h\x00e\x00n\x00 \x00R\x00o\x00a\x00d\x00")
	if got := string(DecodeText(le)); got != "The Ashen Road" {
		t.Errorf("LE: %q", got)
	}
	be := []byte("\x00T\x00h\x00e\x00 \x00r\x00o\x00a\x00d")
	if got := string(DecodeText(be)); got != "The road" {
		t.Errorf("BE: %q", got)
	}
	if UTF16Order([]byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08")) != nil {
		t.Error("binary taken for UTF-16")
	}
}
