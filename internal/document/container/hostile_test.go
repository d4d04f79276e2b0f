package container

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
)

// TestZipOverlappingEntries: central directory entries that share one local
// entry (a non-recursive zip bomb) are refused when the archive opens.
func TestZipOverlappingEntries(t *testing.T) {
	data := makeZip(t, "a.xhtml", strings.Repeat("ember ", 1000), "b.xhtml", "other")
	// Point b's central directory entry at a's local header.
	cd := bytes.Index(data, []byte("PK\x01\x02"))
	second := cd + 4 + bytes.Index(data[cd+4:], []byte("PK\x01\x02"))
	binary.LittleEndian.PutUint32(data[second+42:], binary.LittleEndian.Uint32(data[cd+42:]))
	_, err := OpenZip(data, document.Limits{})
	if !errors.Is(err, document.ErrMalformed) || !strings.Contains(err.Error(), "overlapping zip entries") {
		t.Fatalf("got %v, want ErrMalformed naming overlapping zip entries", err)
	}
	// The same archive unpatched opens.
	if _, err := OpenZip(makeZip(t, "a.xhtml", "x", "b.xhtml", "y"), document.Limits{}); err != nil {
		t.Fatal(err)
	}
}

// zerosZip is a zip holding one entry of n zero bytes, deflated.
func zerosZip(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, err := w.Create("bomb.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for i := 0; i < n; i += len(chunk) {
		if _, err := f.Write(chunk[:min(len(chunk), n-i)]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestZipRatioStopsEarly: a ratio-1000 bomb is stopped while inflating, a
// few megabytes in, not at the ratio times its whole compressed size.
func TestZipRatioStopsEarly(t *testing.T) {
	data := zerosZip(t, 128<<20) // about 125 KB compressed: 25 MB at ratio 200
	a, err := OpenZip(data, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = a.ReadFile("bomb.xml")
	runtime.ReadMemStats(&after)
	if !errors.Is(err, document.ErrLimit) || !strings.Contains(err.Error(), "ratio") {
		t.Fatalf("got %v, want a ratio ErrLimit", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("allocated %d MB before the ratio check stopped the bomb (want under 16 MB)", alloc>>20)
	}
	if a.used > ratioFloor+ratioSlack+1<<20 {
		t.Errorf("decompressed %d bytes before stopping", a.used)
	}
}

// TestZipBufferBounded: an entry that stops at MaxEntryBytes never had a
// buffer much larger than the limit.
func TestZipBufferBounded(t *testing.T) {
	data := zerosZip(t, 10<<20)
	a, err := OpenZip(data, document.Limits{MaxEntryBytes: 3 << 20, MaxCompressRatio: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = a.ReadFile("bomb.xml")
	runtime.ReadMemStats(&after)
	if !errors.Is(err, document.ErrLimit) {
		t.Fatalf("got %v, want ErrLimit", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 10<<20 {
		t.Errorf("allocated %d MB for a 3 MB limit", alloc>>20)
	}
}

// TestZipChecksAsArchiveZip: inflating by hand keeps archive/zip's checks
// of the size and checksum the headers give.
func TestZipChecksAsArchiveZip(t *testing.T) {
	good := makeZip(t, "a", strings.Repeat("x", 10000))
	a, err := OpenZip(good, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := a.ReadFile("a"); err != nil || len(got) != 10000 {
		t.Fatalf("got %d bytes, %v", len(got), err)
	}
	bad := bytes.Clone(good)
	cd := bytes.Index(bad, []byte("PK\x01\x02"))
	bad[cd+16] ^= 0xFF // the CRC in the central directory
	a, err = OpenZip(bad, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReadFile("a"); !errors.Is(err, document.ErrMalformed) || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("bad CRC: got %v", err)
	}
}

// TestErrorWording: errors read as reasons, not as Go's package messages,
// and still wrap the sentinel.
func TestErrorWording(t *testing.T) {
	_, zerr := OpenZip([]byte("this is not a zip at all, just text"), document.Limits{})
	xerr := drain(`<a><b x="1`, document.Limits{})
	d := NewDecoder(t.Context(), []byte(`<a><b x="1`), document.Limits{})
	d.Name = "word/document.xml"
	var nerr error
	for nerr == nil {
		_, nerr = d.Token()
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{zerr, "not a valid zip container (truncated or damaged)"},
		{xerr, "malformed XML at line 1: "},
		{nerr, "malformed XML in word/document.xml at line 1: "},
	} {
		if !errors.Is(tc.err, document.ErrMalformed) {
			t.Errorf("%v does not wrap ErrMalformed", tc.err)
		}
		msg := tc.err.Error()
		if !strings.Contains(msg, tc.want) {
			t.Errorf("got %q, want it to contain %q", msg, tc.want)
		}
		for _, leak := range []string{"zip: ", "XML syntax error"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%q leaks Go's wording %q", msg, leak)
			}
		}
	}
}

func TestField(t *testing.T) {
	long := strings.Repeat("é", 5000)
	words := strings.Repeat("word ", 1000)
	for _, tc := range []struct{ in, name string }{{"Short title", "short"}, {long, "runes"}, {words, "words"}, {strings.Repeat("x", FieldRunes), "exact"}} {
		got := Field(tc.in)
		if n := utf8.RuneCountInString(got); n > FieldRunes || !utf8.ValidString(got) {
			t.Errorf("%s: %d runes, valid %v", tc.name, n, utf8.ValidString(got))
		}
		if len(tc.in) > 0 && utf8.RuneCountInString(tc.in) <= FieldRunes && got != tc.in {
			t.Errorf("%s: changed a short field", tc.name)
		}
		if utf8.RuneCountInString(tc.in) > FieldRunes && !strings.HasSuffix(got, "…") {
			t.Errorf("%s: cut without an ellipsis", tc.name)
		}
		if Field(got) != got {
			t.Errorf("%s: not idempotent", tc.name)
		}
	}
}

// TestTextCapped: Decoder.Text keeps at most MaxTextField bytes of a huge
// element, and the rest of the document still reads.
func TestTextCapped(t *testing.T) {
	doc := "<m><title>" + strings.Repeat("é long title ", 400_000) + "</title><x>after</x></m>"
	d := NewDecoder(t.Context(), []byte(doc), document.Limits{})
	var title, after string
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if se, ok := startName(tok); ok {
			s, err := d.Text()
			if err != nil {
				t.Fatal(err)
			}
			if se == "title" {
				title = s
			} else {
				after = s
			}
		}
	}
	if len(title) > MaxTextField || !utf8.ValidString(title) || title == "" {
		t.Errorf("title is %d bytes (valid %v)", len(title), utf8.ValidString(title))
	}
	if after != "after" {
		t.Errorf("text after the long title: %q", after)
	}
}

func startName(tok any) (string, bool) {
	if se, ok := tok.(xml.StartElement); ok && se.Name.Local != "m" {
		return se.Name.Local, true
	}
	return "", false
}

// FuzzReadFileSameAsZip: where archive/zip and ReadFile both read an entry,
// they give the same bytes (ReadFile inflates by hand to count its input).
func FuzzReadFileSameAsZip(f *testing.F) {
	f.Add(makeZip(f, "a.xml", "<a>one</a>", "b/c.txt", strings.Repeat("two ", 100)))
	f.Add(makeZip(f, "x", ""))
	lim := document.Limits{MaxDecompressed: 1 << 20, MaxEntryBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := OpenZip(data, lim)
		if err != nil || a.Recovered {
			return
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, zf := range zr.File {
			e := a.byName[CleanName(zf.Name)]
			if e == nil || e.zf != zf && e.zf.Name != zf.Name {
				continue
			}
			got, err := a.ReadFile(CleanName(zf.Name))
			if err != nil {
				continue
			}
			rc, err := e.zf.Open()
			if err != nil {
				continue
			}
			want, err := io.ReadAll(io.LimitReader(rc, 2<<20))
			rc.Close()
			if err == nil && !bytes.Equal(got, want) {
				t.Fatalf("%s: ReadFile gives %d bytes, archive/zip %d", zf.Name, len(got), len(want))
			}
		}
	})
}
