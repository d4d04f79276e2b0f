package cos

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// pdfDocHigh maps the PDFDocEncoding bytes that differ from Latin-1.
var pdfDocHigh = map[byte]rune{
	0x18: 0x02D8, 0x19: 0x02C7, 0x1A: 0x02C6, 0x1B: 0x02D9,
	0x1C: 0x02DD, 0x1D: 0x02DB, 0x1E: 0x02DA, 0x1F: 0x02DC,
	0x80: 0x2022, 0x81: 0x2020, 0x82: 0x2021, 0x83: 0x2026,
	0x84: 0x2014, 0x85: 0x2013, 0x86: 0x0192, 0x87: 0x2044,
	0x88: 0x2039, 0x89: 0x203A, 0x8A: 0x2212, 0x8B: 0x2030,
	0x8C: 0x201E, 0x8D: 0x201C, 0x8E: 0x201D, 0x8F: 0x2018,
	0x90: 0x2019, 0x91: 0x201A, 0x92: 0x2122, 0x93: 0xFB01,
	0x94: 0xFB02, 0x95: 0x0141, 0x96: 0x0152, 0x97: 0x0160,
	0x98: 0x0178, 0x99: 0x017D, 0x9A: 0x0131, 0x9B: 0x0142,
	0x9C: 0x0153, 0x9D: 0x0161, 0x9E: 0x017E, 0x9F: utf8.RuneError,
	0x7F: utf8.RuneError, 0xA0: 0x20AC,
}

// TextString resolves o and decodes a PDF text string: UTF-16BE after the
// FE FF byte order mark, UTF-8 after EF BB BF, PDFDocEncoding otherwise
// (and UTF-16LE after FF FE, which some tools write).
// A name is returned as its bytes; anything else is "".
func (f *File) TextString(o Object) string {
	o, err := f.Resolve(o)
	if err != nil {
		return ""
	}
	switch v := o.(type) {
	case String:
		return DecodeTextString(v)
	case Name:
		return strings.ToValidUTF8(string(v), "\uFFFD")
	}
	return ""
}

// DecodeTextString decodes the bytes of a PDF text string (see
// File.TextString).
func DecodeTextString(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		b = b[2:]
		u := make([]uint16, 0, len(b)/2)
		for i := 0; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		// Language escapes (ESC code ESC) carry no text.
		out := u[:0]
		for i := 0; i < len(u); i++ {
			if u[i] == 0x1B {
				for i++; i < len(u) && u[i] != 0x1B; i++ {
				}
				continue
			}
			out = append(out, u[i])
		}
		return string(utf16.Decode(out))
	}
	if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE {
		// UTF-16LE: not in the standard, but written by some tools and
		// read by PDFium.
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i+1])<<8|uint16(b[i]))
		}
		return string(utf16.Decode(u))
	}
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return strings.ToValidUTF8(string(b[3:]), "\uFFFD")
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		if r, ok := pdfDocHigh[c]; ok {
			sb.WriteRune(r)
		} else {
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// OutlineItem is one bookmark.
type OutlineItem struct {
	Title string
	Level int // 0 = top
	Page  int // 1-based; 0 when unknown
}

// maxOutlineDepth bounds the nesting of bookmarks.
const maxOutlineDepth = 32

// maxNameTreeNodes bounds the work of reading the /Dests name tree.
const maxNameTreeNodes = 100_000

// Outline returns at most limit bookmarks, depth first, nested at most 32
// deep; cycles are skipped.
func (f *File) Outline(limit int) (items []OutlineItem) {
	defer func() {
		if p := recover(); p != nil {
			items = nil
		}
	}()
	root := f.Dict(f.Trailer()["Root"])
	outlines := f.Dict(root["Outlines"])
	if outlines == nil || limit <= 0 {
		return nil
	}
	pageIndex := make(map[Ref]int)
	pages, err := f.Pages()
	if err == nil {
		for i, p := range pages {
			if p.Ref != (Ref{}) {
				pageIndex[p.Ref] = i + 1
			}
		}
	}
	w := outlineWalker{f: f, root: root, pageIndex: pageIndex, pageCount: len(pages), seen: make(map[Ref]bool), max: limit}
	w.siblings(outlines["First"], 0)
	return w.items
}

type outlineWalker struct {
	f         *File
	root      Dict
	pageIndex map[Ref]int
	pageCount int
	seen      map[Ref]bool
	max       int
	items     []OutlineItem
	steps     int
}

func (w *outlineWalker) siblings(o Object, level int) {
	if level >= maxOutlineDepth {
		return
	}
	for o != nil && len(w.items) < w.max && w.steps < 4*w.max+1024 {
		w.steps++
		if r, ok := o.(Ref); ok {
			if w.seen[r] {
				return
			}
			w.seen[r] = true
		}
		d := w.f.Dict(o)
		if d == nil {
			return
		}
		w.items = append(w.items, OutlineItem{
			Title: w.f.TextString(d["Title"]),
			Level: level,
			Page:  w.destPage(d),
		})
		if _, ok := d["First"]; ok {
			w.siblings(d["First"], level+1)
		}
		o = d["Next"]
	}
}

// destPage finds the page an outline item points to: its /Dest or the /D
// of a /GoTo action.
func (w *outlineWalker) destPage(item Dict) int {
	f := w.f
	dest := item["Dest"]
	if dest == nil {
		a := f.Dict(item["A"])
		if a == nil || f.Name(a["S"]) != "GoTo" {
			return 0
		}
		dest = a["D"]
	}
	for range 4 { // a named destination may name a dictionary with /D
		o, err := f.Resolve(dest)
		if err != nil {
			return 0
		}
		switch v := o.(type) {
		case Array:
			if len(v) == 0 {
				return 0
			}
			switch p := v[0].(type) {
			case Ref:
				return w.pageIndex[p]
			case int64:
				// A page number where a page reference belongs: PDFium
				// reads it as a 0-based index.
				if p >= 0 && p < int64(w.pageCount) {
					return int(p) + 1
				}
			}
			return 0
		case Dict:
			dest = v["D"]
		case Name:
			dest = f.namedDest(string(v))
		case String:
			dest = f.namedDest(string(v))
		default:
			return 0
		}
	}
	return 0
}

// namedDest looks a destination name up in /Root /Dests and the /Root
// /Names /Dests name tree.
func (f *File) namedDest(name string) Object {
	f.destsOnce.Do(func() {
		// The name tree first, then the older /Dests dictionary, as PDFium
		// looks them up.
		f.dests = make(map[string]Object)
		root := f.Dict(f.Trailer()["Root"])
		if names := f.Dict(root["Names"]); names != nil {
			seen := make(map[Ref]bool)
			budget := maxNameTreeNodes
			f.nameTree(names["Dests"], 0, seen, &budget)
		}
		if old := f.Dict(root["Dests"]); old != nil {
			for k, v := range old {
				if _, dup := f.dests[string(k)]; !dup {
					f.dests[string(k)] = v
				}
			}
		}
	})
	return f.dests[name]
}

func (f *File) nameTree(o Object, depth int, seen map[Ref]bool, budget *int) {
	if depth > maxOutlineDepth || *budget <= 0 {
		return
	}
	*budget--
	if r, ok := o.(Ref); ok {
		if seen[r] {
			return
		}
		seen[r] = true
	}
	n := f.Dict(o)
	if n == nil {
		return
	}
	kv := f.Array(n["Names"])
	for i := 0; i+1 < len(kv) && *budget > 0; i += 2 {
		*budget--
		k, err := f.Resolve(kv[i])
		if err != nil {
			continue
		}
		if s, ok := k.(String); ok {
			if _, dup := f.dests[string(s)]; !dup {
				f.dests[string(s)] = kv[i+1]
			}
		}
	}
	for _, k := range f.Array(n["Kids"]) {
		f.nameTree(k, depth+1, seen, budget)
	}
}
