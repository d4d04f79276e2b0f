package docx

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/tools/txtar"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/doctest"
	"github.com/corpora-tools/corpora/internal/testutil/golden"
)

func parse(data []byte, lim document.Limits) (*document.Output, error) {
	return Parser{}.Parse(context.Background(), document.Input{Name: "test.docx", Data: data}, document.Options{Limits: lim})
}

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

// TestReaderSeesOnlyWhatIsShown pins the rules of the package comment.
func TestReaderSeesOnlyWhatIsShown(t *testing.T) {
	out, err := parse(doctest.ZipFile(t, "testdata/golden/transitional.txtar"), document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, b := range out.Content {
		fmt.Fprintf(&all, "%s: %s\n", b.Type, b.Text)
	}
	text := all.String()
	for _, bad := range []string{"never", "moved-away", "MERGEFORMAT", "AUTHOR", "REF bog", "SEPARATOR", "Creature\"", "x"} {
		if bad == "x" {
			continue
		}
		if strings.Contains(text, bad) {
			t.Errorf("%q should not be extracted:\n%s", bad, text)
		}
	}
	for _, want := range []string{
		"heading: Thornwick Bestiary\n",
		"heading: Mire Trolls\n",
		"text: The mire troll always hates fire and\ncold iron; its hide is half-rotten.\n",
		"heading: Bog Hags\n",
		"list: Brews in the fen\n",
		"list: Steals names\n",
		"text: numId 0 is no list\n",
		"text: Author: ANTONI; see Bog Hags at the archive.\n",
		"text: Content control: the salamander.\n",
		"table: Creature | CR\nMire troll | 5\ninner | cell\n",
		"heading: Direct outline level heading\n",
		"text: Trolls regrow lost limbs.\n",
		"text: Endnote: compiled at Thornwick.\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "Sidebar: wisps lure travellers."); n != 1 {
		t.Errorf("text box text found %d times, want once", n)
	}
	if out.Pages != 3 || out.Metadata.Title != "Thornwick Bestiary" || out.Metadata.Author != "Corpora Test Team" || out.Metadata.Creator != "Microsoft Office Word" {
		t.Errorf("metadata %+v pages %d", out.Metadata, out.Pages)
	}
}

func TestEncryptedAndLegacy(t *testing.T) {
	ole := func(extra string) []byte {
		b := append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 504)...)
		return append(b, []byte(extra)...)
	}
	encInfo := "E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00"
	_, err := Parser{}.Parse(context.Background(), document.Input{Name: "secret.docx", Data: ole(encInfo)}, document.Options{})
	if !errors.Is(err, document.ErrEncrypted) || !strings.Contains(err.Error(), "encrypted Word document (OLE2 container); decrypt it first") {
		t.Errorf("encrypted: %v", err)
	}
	_, err = Parser{}.Parse(context.Background(), document.Input{Name: "old.docx", Data: ole("W\x00o\x00r\x00d\x00")}, document.Options{})
	if !errors.Is(err, document.ErrUnsupported) {
		t.Errorf("legacy: %v", err)
	}
}

func TestErrors(t *testing.T) {
	pkg := func(doc string) []byte {
		return doctest.Zip(t, txtar.Parse([]byte("-- word/document.xml --\n"+doc)))
	}
	tests := []struct {
		name string
		data []byte
		lim  document.Limits
		want error
	}{
		{"not a zip", []byte("PK but not really"), document.Limits{}, document.ErrMalformed},
		{"no document part", doctest.Zip(t, txtar.Parse([]byte("-- other.xml --\n<a/>\n"))), document.Limits{}, document.ErrMalformed},
		{"billion laughs", pkg(`<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>`), document.Limits{}, document.ErrMalformed},
		{"too deep", pkg(strings.Repeat("<w:p>", 5000)), document.Limits{MaxXMLDepth: 256}, document.ErrLimit},
		{"too many tokens", pkg("<d>" + strings.Repeat("<a/>", 5000) + "</d>"), document.Limits{MaxXMLTokens: 1000}, document.ErrLimit},
		{"entry too big", pkg("<d>" + strings.Repeat(" ", 100000) + "</d>"), document.Limits{MaxEntryBytes: 10000}, document.ErrLimit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parse(tc.data, tc.lim); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// syntheticDocument builds a DOCX of n paragraphs and n/20 table rows.
func syntheticDocument(t testing.TB, n int) []byte {
	var b strings.Builder
	b.WriteString(`-- word/document.xml --
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for i := range n {
		if i%50 == 0 {
			fmt.Fprintf(&b, `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Chapter %d</w:t></w:r></w:p>`, i/50)
		}
		b.WriteString(`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">The emberwright of the Glasswind coast </w:t></w:r><w:r><w:t>binds a salamander to her lantern, and the mire trolls of Thornwick fear its cinder light.</w:t></w:r></w:p>`)
		if i%20 == 0 {
			b.WriteString(`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ember</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1d6 fire</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`)
		}
	}
	b.WriteString("</w:body></w:document>\n")
	return doctest.Zip(t, txtar.Parse([]byte(b.String())))
}

func TestBrokenPackages(t *testing.T) {
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	t.Run("field never separated nor ended", func(t *testing.T) {
		doc := `<w:document ` + w + `><w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>` +
			`<w:p><w:r><w:t>Later paragraph.</w:t></w:r></w:p></w:body></w:document>`
		out, err := parse(doctest.Zip(t, txtar.Parse([]byte("-- word/document.xml --\n"+doc+"\n"))), document.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Content) != 1 || out.Content[0].Text != "Later paragraph." {
			t.Errorf("got %+v", out.Content)
		}
	})
	t.Run("officeDocument relationship pointing at itself", func(t *testing.T) {
		ar := txtar.Parse([]byte(`-- _rels/.rels --
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="_rels/.rels"/></Relationships>
-- word/document.xml --
<w:document ` + w + `><w:body><w:p><w:r><w:t>Found anyway.</w:t></w:r></w:p></w:body></w:document>
`))
		out, err := parse(doctest.Zip(t, ar), document.Limits{})
		if err != nil || len(out.Content) != 1 || out.Content[0].Text != "Found anyway." {
			t.Errorf("got %+v, %v", out, err)
		}
	})
	t.Run("text over MaxTextBytes", func(t *testing.T) {
		doc := `<w:document ` + w + `><w:body><w:p><w:r><w:t>` + strings.Repeat("ember ", 100000) + `</w:t></w:r></w:p></w:body></w:document>`
		_, err := parse(doctest.Zip(t, txtar.Parse([]byte("-- word/document.xml --\n"+doc+"\n"))), document.Limits{MaxTextBytes: 1000})
		if !errors.Is(err, document.ErrLimit) || !strings.Contains(err.Error(), "bytes of text") {
			t.Errorf("got %v", err)
		}
	})
}

// minimalCFB builds a 512-byte-sector compound file with a root entry and
// the EncryptionInfo (agile header, spinCount 1) and EncryptedPackage
// streams, both in regular sectors.
func minimalCFB() []byte {
	const sec = 512
	le := binary.LittleEndian
	info := append([]byte{4, 0, 4, 0, 0x40, 0, 0, 0}, []byte(`<encryption><keyData saltValue="AAAAAAAAAAAAAAAAAAAAAA==" hashAlgorithm="SHA1" blockSize="16" keyBits="128" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC"/><keyEncryptors><keyEncryptor uri="p"><encryptedKey spinCount="1" saltValue="AAAAAAAAAAAAAAAAAAAAAA==" hashAlgorithm="SHA1" keyBits="128" encryptedVerifierHashInput="AAAAAAAAAAAAAAAAAAAAAA==" encryptedVerifierHashValue="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" encryptedKeyValue="AAAAAAAAAAAAAAAAAAAAAA=="/></keyEncryptor></keyEncryptors></encryption>`)...)
	pkg := append(make([]byte, 8), bytes.Repeat([]byte{0x11}, 64)...)
	le.PutUint64(pkg, 40)
	pad := func(b []byte) []byte { return append(b, make([]byte, (sec-len(b)%sec)%sec)...) }
	info, pkg = pad(info), pad(pkg)
	// Sectors: 0 FAT, 1 directory, 2.. info, then package.
	nInfo, nPkg := len(info)/sec, len(pkg)/sec
	fat := make([]byte, sec)
	for i := range sec / 4 {
		le.PutUint32(fat[4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(fat[0:], 0xFFFFFFFD)
	le.PutUint32(fat[4:], 0xFFFFFFFE)
	chain := func(start, n int) {
		for i := 0; i < n; i++ {
			next := uint32(start + i + 1)
			if i == n-1 {
				next = 0xFFFFFFFE
			}
			le.PutUint32(fat[4*(start+i):], next)
		}
	}
	chain(2, nInfo)
	chain(2+nInfo, nPkg)
	entry := func(name string, typ byte, start uint32, size uint64) []byte {
		e := make([]byte, 128)
		u := utf16.Encode([]rune(name))
		for i, c := range u {
			le.PutUint16(e[2*i:], c)
		}
		le.PutUint16(e[0x40:], uint16(2*len(u)+2))
		e[0x42] = typ
		le.PutUint32(e[0x74:], start)
		le.PutUint64(e[0x78:], size)
		return e
	}
	dir := append(entry("Root Entry", 5, 0xFFFFFFFE, 0), entry("EncryptionInfo", 2, 2, uint64(nInfo*sec))...)
	dir = append(dir, entry("EncryptedPackage", 2, uint32(2+nInfo), uint64(nPkg*sec))...)
	dir = pad(dir)
	h := make([]byte, sec)
	copy(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	le.PutUint16(h[0x1E:], 9)
	le.PutUint16(h[0x20:], 6)
	le.PutUint32(h[0x2C:], 1)
	le.PutUint32(h[0x30:], 1)
	le.PutUint32(h[0x38:], 64) // every stream in regular sectors
	le.PutUint32(h[0x3C:], 0xFFFFFFFE)
	le.PutUint32(h[0x44:], 0xFFFFFFFE)
	for i := range 109 {
		le.PutUint32(h[0x4C+4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(h[0x4C:], 0)
	out := append(h, fat...)
	out = append(out, dir...)
	out = append(out, info...)
	return append(out, pkg...)
}

func TestDecryptMinimal(t *testing.T) {
	// The seed's keys are zeros: the password cannot match its verifier.
	_, err := decryptOOXML(minimalCFB(), "pass")
	if !errors.Is(err, document.ErrEncrypted) || !strings.Contains(err.Error(), "wrong password") {
		t.Errorf("got %v, want a wrong-password error", err)
	}
	if _, err := decryptOOXML([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), "pass"); !errors.Is(err, document.ErrMalformed) {
		t.Errorf("header only: %v", err)
	}
}
