package cos

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestHostile feeds inputs built to make a careless parser quadratic or
// unbounded; each must finish quickly.
func TestHostile(t *testing.T) {
	const n = 20000
	kids := func() string {
		var sb strings.Builder
		for i := range n {
			fmt.Fprintf(&sb, "%d 0 R ", 10+i)
		}
		return sb.String()
	}
	tests := map[string]func() []byte{
		"unterminated strings, no xref": func() []byte {
			var b bytes.Buffer
			b.WriteString("%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n")
			for i := range n {
				fmt.Fprintf(&b, "%d 0 obj <</A (\n", 10+i)
			}
			return b.Bytes()
		},
		"unterminated strings in the xref": func() []byte {
			w := newPDF()
			w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
			w.obj(2, "<</Type /Pages /Kids ["+kids()+"]>>")
			for i := range n {
				w.offs[10+i] = w.buf.Len()
				fmt.Fprintf(&w.buf, "%d 0 obj <</Type /Page /A (\n", 10+i)
			}
			return w.classic("/Root 1 0 R")
		},
		"unterminated arrays in an object stream": func() []byte {
			w := newPDF()
			w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
			w.obj(2, "<</Type /Pages /Kids ["+kids()+"]>>")
			objs := map[int]string{}
			for i := range n {
				objs[10+i] = "<</Type /Page /A [ (x"
			}
			comp := w.objStream(3, objs)
			return w.finish(w.xrefStream(4, comp, "/Root 1 0 R"))
		},
		"trailers": func() []byte {
			return []byte("%PDF-1.4\n1 0 obj <<>> endobj\n" + strings.Repeat("trailer<</Root 1 0 R /A (", n))
		},
		"streams without endstream": func() []byte {
			w := newPDF()
			w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
			w.obj(2, "<</Type /Pages /Kids ["+kids()+"]>>")
			for i := range n {
				w.offs[10+i] = w.buf.Len()
				fmt.Fprintf(&w.buf, "%d 0 obj <</Type /Page /Contents %d 0 R>> endobj\n", 10+i, 10+n+i)
				w.offs[10+n+i] = w.buf.Len()
				fmt.Fprintf(&w.buf, "%d 0 obj <</Length 999999>> stream\nBT ET\n", 10+n+i)
			}
			return w.classic("/Root 1 0 R")
		},
		"reference chain": func() []byte {
			w := newPDF()
			w.obj(1, "<</Type /Catalog /Pages 10 0 R>>")
			for i := range 1000 {
				w.obj(10+i, fmt.Sprintf("%d 0 R", 11+i))
			}
			return w.classic("/Root 1 0 R")
		},
		"length chain": func() []byte {
			w := newPDF()
			w.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
			w.obj(2, "<</Type /Pages /Kids [3 0 R]>>")
			w.obj(3, "<</Type /Page /Contents 10 0 R>>")
			for i := range 1000 {
				w.offs[10+i] = w.buf.Len()
				fmt.Fprintf(&w.buf, "%d 0 obj <</Length %d 0 R>> stream\nxx\nendstream endobj\n", 10+i, 11+i)
			}
			return w.classic("/Root 1 0 R")
		},
		"object stream chain": func() []byte {
			var b bytes.Buffer
			b.WriteString("%PDF-1.5\n")
			// Each object stream is itself said to live in the next one.
			at := b.Len()
			var rows []byte
			rows = append(rows, 0, 0, 0, 0, 0)
			for i := 1; i < 1000; i++ {
				rows = append(rows, 2, 0, 0, byte((i+1)>>8), byte(i+1))
			}
			fmt.Fprintf(&b, "1000 0 obj <</Type /XRef /Size 1000 /W [1 3 1] /Root 1 0 R /Length %d>> stream\n", len(rows))
			b.Write(rows)
			fmt.Fprintf(&b, "\nendstream endobj\nstartxref\n%d\n%%%%EOF\n", at)
			return b.Bytes()
		},
	}
	for name, build := range tests {
		t.Run(name, func(t *testing.T) {
			data := build()
			start := time.Now()
			f, err := Open(data, Limits{})
			if err == nil {
				pages, _ := f.Pages()
				for _, p := range pages {
					for _, s := range contents(f, p) {
						f.Decode(s)
					}
				}
				f.Outline(100)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("%d bytes took %v", len(data), d)
			}
		})
	}
}
