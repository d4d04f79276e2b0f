package cos

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func mustOpen(t *testing.T, data []byte) *File {
	t.Helper()
	f, err := Open(data, Limits{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return f
}

func pageCount(t *testing.T, f *File) int {
	t.Helper()
	p, err := f.Pages()
	if err != nil {
		t.Fatalf("Pages: %v", err)
	}
	return len(p)
}

func contentText(t *testing.T, f *File, p Page) string {
	t.Helper()
	var sb strings.Builder
	for _, s := range contents(f, p) {
		b, err := f.Decode(s)
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		sb.Write(b)
	}
	return sb.String()
}

func TestClassicTable(t *testing.T) {
	f := mustOpen(t, simplePDF())
	if f.Repaired() {
		t.Error("a valid file was repaired")
	}
	pages, err := f.Pages()
	if err != nil || len(pages) != 2 {
		t.Fatalf("Pages = %d, %v", len(pages), err)
	}
	if pages[0].MediaBox != [4]float64{0, 0, 300, 400} || pages[0].CropBox != pages[0].MediaBox {
		t.Errorf("boxes %v %v", pages[0].MediaBox, pages[0].CropBox)
	}
	if pages[1].Rotate != 90 || pages[0].Rotate != 0 {
		t.Errorf("rotate %d %d", pages[0].Rotate, pages[1].Rotate)
	}
	if pages[0].Ref != (Ref{Num: 3}) {
		t.Errorf("ref %v", pages[0].Ref)
	}
	if got := contentText(t, f, pages[0]); got != "BT /F1 12 Tf (Hello) Tj ET" {
		t.Errorf("content %q", got)
	}
	info := f.Info()
	if got := f.TextString(info["Producer"]); got != "Hi" {
		t.Errorf("Producer %q", got)
	}
	if got := f.TextString(info["Title"]); got != "Test" {
		t.Errorf("Title %q", got)
	}
	if o, err := f.Get(Ref{Num: 99}); o != nil || err != nil {
		t.Errorf("missing object = %v, %v", o, err)
	}
}

// objStreamPDF has its catalog and pages in an object stream and an xref
// stream.
func objStreamPDF(hybrid bool) []byte {
	w := newPDF()
	w.stream(5, "", []byte("BT (compressed) Tj ET"))
	comp := w.objStream(7, map[int]string{
		1: "<</Type /Catalog /Pages 2 0 R>>",
		2: "<</Type /Pages /Kids [3 0 R] /Count 1>>",
		3: "<</Type /Page /Parent 2 0 R /Contents 5 0 R /MediaBox [0 0 100 100]>>",
	})
	if !hybrid {
		at := w.xrefStream(8, comp, "/Root 1 0 R")
		return w.finish(at)
	}
	xs := w.xrefStream(8, comp, "/Root 1 0 R")
	// The classic table lists only the direct objects.
	delete(w.offs, 8)
	at := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 1\n0000000000 65535 f\r\n5 1\n%010d 00000 n\r\n7 1\n%010d 00000 n\r\n", w.offs[5], w.offs[7])
	fmt.Fprintf(&w.buf, "trailer\n<</Size 9 /Root 1 0 R /XRefStm %d>>\n", xs)
	return w.finish(at)
}

func TestXrefStream(t *testing.T) {
	for _, hybrid := range []bool{false, true} {
		t.Run(fmt.Sprint("hybrid=", hybrid), func(t *testing.T) {
			f := mustOpen(t, objStreamPDF(hybrid))
			if f.Repaired() {
				t.Error("repaired")
			}
			pages, err := f.Pages()
			if err != nil || len(pages) != 1 {
				t.Fatalf("Pages = %d, %v", len(pages), err)
			}
			if got := contentText(t, f, pages[0]); got != "BT (compressed) Tj ET" {
				t.Errorf("content %q", got)
			}
			if pages[0].MediaBox != [4]float64{0, 0, 100, 100} {
				t.Errorf("MediaBox %v", pages[0].MediaBox)
			}
		})
	}
}

func TestRebuild(t *testing.T) {
	good := simplePDF()
	tests := []struct {
		name string
		data []byte
	}{
		{"bad startxref", bytes.Replace(good, []byte("startxref\n"), []byte("startxref\n9"), 1)},
		{"no startxref", bytes.Replace(good, []byte("startxref"), []byte("startxrex"), 1)},
		{"startxref on an object", func() []byte {
			i := bytes.LastIndex(good, []byte("startxref\n"))
			return append(append([]byte(nil), good[:i]...), []byte("startxref\n9\n%%EOF\n")...)
		}()},
		{"wrong offsets", func() []byte {
			// Insert bytes after the header: every offset is now wrong.
			i := bytes.IndexByte(good, '\n') + 1
			d := append([]byte(nil), good[:i]...)
			d = append(d, "% some padding\n"...)
			d = append(d, good[i:]...)
			// startxref is wrong too; fix it so that only offsets are wrong.
			k := bytes.LastIndex(d, []byte("startxref\n"))
			x := bytes.LastIndex(d, []byte("xref\n0 "))
			return append(d[:k:k], fmt.Sprintf("startxref\n%d\n%%%%EOF\n", x)...)
		}()},
		{"no xref at all", func() []byte {
			i := bytes.LastIndex(good, []byte("xref\n0 "))
			j := bytes.Index(good[i:], []byte("trailer"))
			return append(append([]byte(nil), good[:i]...), good[i+j:]...)
		}()},
		{"junk after EOF", append(append([]byte(nil), good...), bytes.Repeat([]byte("junk "), 100)...)},
		{"much junk after EOF", append(append([]byte(nil), good...), bytes.Repeat([]byte("junk "), 3000)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustOpen(t, tt.data)
			if n := pageCount(t, f); n != 2 {
				t.Errorf("%d pages", n)
			}
			p, _ := f.Pages()
			if got := contentText(t, f, p[1]); got != "BT /F1 12 Tf (Hello) Tj ET" {
				t.Errorf("content %q", got)
			}
			if f.TextString(f.Info()["Title"]) != "Test" {
				t.Errorf("Info %v", f.Info())
			}
			if want := !strings.HasSuffix(tt.name, "junk after EOF"); f.Repaired() != want {
				t.Errorf("Repaired = %v, want %v", f.Repaired(), want)
			}
		})
	}
}

func TestLeadingJunk(t *testing.T) {
	// Offsets relative to %PDF, as written by tools that prepend headers.
	data := append([]byte("HTTP/1.1 200 OK\r\n\r\n"), simplePDF()...)
	f := mustOpen(t, data)
	if n := pageCount(t, f); n != 2 {
		t.Errorf("%d pages", n)
	}
}

func TestIncrementalUpdate(t *testing.T) {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	w.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1>>")
	w.obj(3, "<</Type /Page /Parent 2 0 R>>")
	w.obj(4, "<</Title (old)>>")
	first := w.table("/Root 1 0 R /Info 4 0 R")
	fmt.Fprintf(&w.buf, "startxref\n%d\n%%%%EOF\n", first)
	off := w.buf.Len()
	w.buf.WriteString("4 0 obj\n<</Title (new)>>\nendobj\n")
	second := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 1\n0000000000 65535 f\r\n4 1\n%010d 00000 n\r\ntrailer\n<</Size 5 /Root 1 0 R /Info 4 0 R /Prev %d>>\n", off, first)
	data := w.finish(second)
	f := mustOpen(t, data)
	if got := f.TextString(f.Info()["Title"]); got != "new" {
		t.Errorf("Title %q, want the newest definition", got)
	}
	if f.Repaired() {
		t.Error("repaired")
	}

	// The same file whose newest section points /Prev at itself.
	cyc := bytes.Replace(data, fmt.Appendf(nil, "/Prev %d", first), fmt.Appendf(nil, "/Prev %d", second), 1)
	f = mustOpen(t, cyc)
	if got := f.TextString(f.Info()["Title"]); got != "new" {
		t.Errorf("Title %q after a /Prev cycle", got)
	}
	if n := pageCount(t, f); n != 1 {
		t.Errorf("%d pages", n)
	}
}

func TestStartsAtOne(t *testing.T) {
	good := simplePDF()
	bad := bytes.Replace(good, []byte("xref\n0 7\n"), []byte("xref\n1 7\n"), 1)
	if bytes.Equal(good, bad) {
		t.Fatal("test file changed shape")
	}
	f := mustOpen(t, bad)
	if f.Repaired() {
		t.Error("repaired: the off-by-one table was not recognised")
	}
	if n := pageCount(t, f); n != 2 {
		t.Errorf("%d pages", n)
	}
}

func TestTableLineEndings(t *testing.T) {
	good := simplePDF()
	x := bytes.LastIndex(good, []byte("xref\n0 "))
	for name, eol := range map[string]string{"LF": "\n", "CR": "\r", "space LF": " \n", "none": " "} {
		t.Run(name, func(t *testing.T) {
			d := append([]byte(nil), good[:x]...)
			d = append(d, bytes.ReplaceAll(good[x:], []byte("\r\n"), []byte(eol))...)
			f := mustOpen(t, d)
			if f.Repaired() {
				t.Error("repaired")
			}
			if n := pageCount(t, f); n != 2 {
				t.Errorf("%d pages", n)
			}
		})
	}
}

func TestEncrypted(t *testing.T) {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	w.obj(2, "<</Type /Pages /Kids [] /Count 0>>")
	w.obj(3, "<</Filter /Standard /V 1 /R 2>>")
	data := w.classic("/Root 1 0 R /Encrypt 3 0 R")
	if _, err := Open(data, Limits{}); !errors.Is(err, ErrEncrypted) {
		t.Errorf("Open = %v, want ErrEncrypted", err)
	}
	// Also when the xref is broken.
	data = bytes.Replace(data, []byte("startxref\n"), []byte("startxref\n9"), 1)
	if _, err := Open(data, Limits{}); !errors.Is(err, ErrEncrypted) {
		t.Errorf("Open (rebuilt) = %v, want ErrEncrypted", err)
	}
}

func TestStreamLength(t *testing.T) {
	content := "BT (length) Tj ET"
	tests := []struct {
		name   string
		length string
		extra  string
	}{
		{"direct", fmt.Sprint(len(content)), ""},
		{"ref", "9 0 R", fmt.Sprintf("9 0 obj\n%d\nendobj\n", len(content))},
		{"too long", "5000", ""},
		{"too short", "3", ""},
		{"missing ref", "10 0 R", ""},
		{"self ref", "5 0 R", ""},
		{"negative", "-4", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newPDF()
			w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
			w.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1>>")
			w.obj(3, "<</Type /Page /Parent 2 0 R /Contents 5 0 R>>")
			w.offs[5] = w.buf.Len()
			fmt.Fprintf(&w.buf, "5 0 obj\n<</Length %s>>\nstream\r\n%s\r\nendstream\nendobj\n", tt.length, content)
			if tt.extra != "" {
				w.offs[9] = w.buf.Len()
				w.buf.WriteString(tt.extra)
			}
			f := mustOpen(t, w.classic("/Root 1 0 R"))
			p, err := f.Pages()
			if err != nil {
				t.Fatal(err)
			}
			if got := contentText(t, f, p[0]); got != content {
				t.Errorf("content %q", got)
			}
		})
	}
}

func TestConcurrentGet(t *testing.T) {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	var kids []string
	for i := range 50 {
		kids = append(kids, fmt.Sprintf("%d 0 R", 10+i))
	}
	w.obj(2, "<</Type /Pages /Kids ["+strings.Join(kids, " ")+"] /Count 50>>")
	objs := map[int]string{}
	for i := range 50 {
		objs[10+i] = fmt.Sprintf("<</Type /Page /Parent 2 0 R /Contents %d 0 R>>", 100+i)
	}
	comp := w.objStream(3, objs)
	for i := range 50 {
		w.stream(100+i, " /Filter /FlateDecode", zlibBytes(fmt.Appendf(nil, "(page %d) Tj", i)))
	}
	f := mustOpen(t, w.finish(w.xrefStream(4, comp, "/Root 1 0 R")))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := (i + g*7) % 50
				o, err := f.Get(Ref{Num: int32(10 + k)})
				if err != nil {
					t.Error(err)
					return
				}
				s := f.Stream(f.Dict(o)["Contents"])
				b, err := f.Decode(s)
				if err != nil || string(b) != fmt.Sprintf("(page %d) Tj", k) {
					t.Errorf("page %d: %q %v", k, b, err)
				}
			}
		}()
	}
	wg.Wait()
	if n := pageCount(t, f); n != 50 {
		t.Errorf("%d pages", n)
	}
}

func TestConvenience(t *testing.T) {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R /N 3 0 R /F 4 0 R /A 5 0 R /Chain 6 0 R>>")
	w.obj(2, "<</Type /Pages /Kids [] /Count 0>>")
	w.obj(3, "/Name")
	w.obj(4, "2.5")
	w.obj(5, "[1 2]")
	w.obj(6, "7 0 R")
	w.obj(7, "6 0 R")
	f := mustOpen(t, w.classic("/Root 1 0 R"))
	root := f.Dict(f.Trailer()["Root"])
	if f.Name(root["N"]) != "Name" || f.Name(root["F"]) != "" {
		t.Error("Name")
	}
	if v, ok := f.Float(root["F"]); !ok || v != 2.5 {
		t.Error("Float")
	}
	if v, ok := f.Integer(root["F"]); !ok || v != 2 {
		t.Error("Integer")
	}
	if len(f.Array(root["A"])) != 2 || f.Array(root["N"]) != nil {
		t.Error("Array")
	}
	if f.Stream(root["A"]) != nil || f.Dict(root["A"]) != nil {
		t.Error("Stream/Dict of an array")
	}
	if _, err := f.Resolve(root["Chain"]); err == nil {
		t.Error("a reference cycle resolved")
	}
	if _, err := f.Pages(); err == nil {
		t.Error("an empty page tree gave no error")
	}
}

func TestLazyRebuild(t *testing.T) {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	w.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1>>")
	w.obj(3, "<</Type /Page /Parent 2 0 R /Contents 4 0 R>>")
	w.stream(4, "", []byte("BT (lazy) Tj ET"))
	w.offs[4] = w.offs[3] // the xref points object 4 at object 3
	f := mustOpen(t, w.classic("/Root 1 0 R"))
	if f.Repaired() {
		t.Fatal("repaired before the bad object was read")
	}
	p, err := f.Pages()
	if err != nil {
		t.Fatal(err)
	}
	if got := contentText(t, f, p[0]); got != "BT (lazy) Tj ET" {
		t.Errorf("content %q", got)
	}
	if !f.Repaired() {
		t.Error("not repaired after reading the bad object")
	}

	// Many readers hitting the bad offset at once all get the object.
	f = mustOpen(t, w.buf.Bytes())
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s := f.Stream(Ref{Num: 4}); s == nil || string(s.Raw) != "BT (lazy) Tj ET" {
				t.Errorf("concurrent Get: %v", s)
			}
		}()
	}
	wg.Wait()
}

func TestRebuildObjectStreams(t *testing.T) {
	b := objStreamPDF(false)
	b = b[:bytes.LastIndex(b, []byte("startxref"))]
	f := mustOpen(t, b)
	if !f.Repaired() {
		t.Error("not repaired")
	}
	p, err := f.Pages()
	if err != nil || len(p) != 1 {
		t.Fatalf("%d pages, %v", len(p), err)
	}
	if got := contentText(t, f, p[0]); got != "BT (compressed) Tj ET" {
		t.Errorf("content %q", got)
	}
	// Without its xref stream too: the catalog is found in the object stream.
	b = b[:bytes.LastIndex(b, []byte("8 0 obj"))]
	f = mustOpen(t, b)
	if p, err := f.Pages(); err != nil || len(p) != 1 {
		t.Fatalf("%d pages, %v", len(p), err)
	}
}

func TestWrongCompressedEntry(t *testing.T) {
	w := newPDF()
	w.stream(5, "", []byte("BT (compressed) Tj ET"))
	comp := w.objStream(7, map[int]string{
		1: "<</Type /Catalog /Pages 2 0 R>>",
		2: "<</Type /Pages /Kids [3 0 R] /Count 1>>",
		3: "<</Type /Page /Parent 2 0 R /Contents 5 0 R>>",
	})
	comp[3] = [2]int{5, 0} // "object 3 is in object stream 5", which is no object stream
	f := mustOpen(t, w.finish(w.xrefStream(8, comp, "/Root 1 0 R")))
	p, err := f.Pages()
	if err != nil || len(p) != 1 {
		t.Fatalf("%d pages, %v", len(p), err)
	}
	if got := contentText(t, f, p[0]); got != "BT (compressed) Tj ET" {
		t.Errorf("content %q", got)
	}
	if !f.Repaired() {
		t.Error("not repaired")
	}
}
