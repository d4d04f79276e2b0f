package cos

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"sort"
)

// pdfWriter builds small PDF files for tests.
type pdfWriter struct {
	buf  bytes.Buffer
	offs map[int]int
}

func newPDF() *pdfWriter {
	w := &pdfWriter{offs: make(map[int]int)}
	w.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return w
}

// obj writes "num 0 obj body endobj".
func (w *pdfWriter) obj(num int, body string) {
	w.offs[num] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", num, body)
}

// stream writes a stream object; dict is the inside of its dictionary
// without /Length.
func (w *pdfWriter) stream(num int, dict string, data []byte) {
	w.offs[num] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n<<%s /Length %d>>\nstream\n", num, dict, len(data))
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

// nums returns the object numbers written, sorted.
func (w *pdfWriter) nums() []int {
	var n []int
	for k := range w.offs {
		n = append(n, k)
	}
	sort.Ints(n)
	return n
}

// table writes a classic xref table for objects 0..max and the trailer
// (the inside of its dictionary, /Size added), and returns the table's
// offset.
func (w *pdfWriter) table(trailer string) int {
	nums := w.nums()
	size := 1
	if len(nums) > 0 {
		size = nums[len(nums)-1] + 1
	}
	at := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f\r\n", size)
	for i := 1; i < size; i++ {
		if off, ok := w.offs[i]; ok {
			fmt.Fprintf(&w.buf, "%010d 00000 n\r\n", off)
		} else {
			w.buf.WriteString("0000000000 00000 f\r\n")
		}
	}
	fmt.Fprintf(&w.buf, "trailer\n<</Size %d %s>>\n", size, trailer)
	return at
}

// finish writes startxref and %%EOF.
func (w *pdfWriter) finish(xrefAt int) []byte {
	fmt.Fprintf(&w.buf, "startxref\n%d\n%%%%EOF\n", xrefAt)
	return w.buf.Bytes()
}

// classic finishes the file with a classic table.
func (w *pdfWriter) classic(trailer string) []byte {
	return w.finish(w.table(trailer))
}

// objStream writes object stream num holding the given objects (number ->
// body) and returns the compressed xref entries (number -> index).
func (w *pdfWriter) objStream(num int, objs map[int]string) map[int][2]int {
	var keys []int
	for k := range objs {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var head, body bytes.Buffer
	entries := make(map[int][2]int)
	for i, k := range keys {
		fmt.Fprintf(&head, "%d %d ", k, body.Len())
		body.WriteString(objs[k])
		body.WriteString("\n")
		entries[k] = [2]int{num, i}
	}
	data := append(head.Bytes(), body.Bytes()...)
	w.stream(num, fmt.Sprintf("/Type /ObjStm /N %d /First %d /Filter /FlateDecode", len(keys), head.Len()), zlibBytes(data))
	return entries
}

// xrefStream writes a cross-reference stream as object num, covering
// every object written directly plus the compressed ones, and returns its
// offset. trailer is the inside of its dictionary (/Size, /W, /Type added).
func (w *pdfWriter) xrefStream(num int, compressed map[int][2]int, trailer string) int {
	at := w.buf.Len()
	w.offs[num] = at
	size := num + 1
	for k := range w.offs {
		size = max(size, k+1)
	}
	for k := range compressed {
		size = max(size, k+1)
	}
	var rows []byte
	for i := 0; i < size; i++ {
		if c, ok := compressed[i]; ok {
			rows = append(rows, 2, byte(c[0]>>16), byte(c[0]>>8), byte(c[0]), byte(c[1]))
		} else if off, ok := w.offs[i]; ok {
			rows = append(rows, 1, byte(off>>16), byte(off>>8), byte(off), 0)
		} else {
			rows = append(rows, 0, 0, 0, 0, 0)
		}
	}
	// PNG Up predictor, as most writers use: 5 columns.
	var pred []byte
	prev := make([]byte, 5)
	for r := 0; r < len(rows); r += 5 {
		pred = append(pred, 2)
		for i := 0; i < 5; i++ {
			pred = append(pred, rows[r+i]-prev[i])
		}
		copy(prev, rows[r:r+5])
	}
	data := zlibBytes(pred)
	fmt.Fprintf(&w.buf, "%d 0 obj\n<</Type /XRef /Size %d /W [1 3 1] /Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns 5>> /Length %d %s>>\nstream\n",
		num, size, len(data), trailer)
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
	return at
}

func zlibBytes(b []byte) []byte {
	var out bytes.Buffer
	zw := zlib.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// simplePDF is a valid two-page file with a classic table.
func simplePDF() []byte {
	w := newPDF()
	w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	w.obj(2, "<</Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 300 400]>>")
	w.obj(3, "<</Type /Page /Parent 2 0 R /Contents 5 0 R>>")
	w.obj(4, "<</Type /Page /Parent 2 0 R /Contents 5 0 R /Rotate 90>>")
	w.stream(5, " /Filter /FlateDecode", zlibBytes([]byte("BT /F1 12 Tf (Hello) Tj ET")))
	w.obj(6, "<</Title (Test) /Producer <FEFF00480069>>>")
	return w.classic("/Root 1 0 R /Info 6 0 R")
}
