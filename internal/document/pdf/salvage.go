package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
)

var (
	pageTypeRE = regexp.MustCompile(`/Type\s*/Page\b`)
	objHeadRE  = regexp.MustCompile(`(\d{1,10})\s+(\d{1,5})\s+obj\b`)
)

// maxSalvagePages bounds the page tree salvage builds.
const maxSalvagePages = 20000

// salvage rebuilds a page tree for a file PDFium refuses, typically one cut
// short: the page objects that survive are found by scanning, and a new page
// tree, catalog and trailer pointing at them are appended. PDFium then
// rebuilds the cross-reference table by scanning and reads what is left.
// It returns nil when no page object is found.
func salvage(data []byte) ([]byte, int) {
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return nil, 0
	}
	heads := objHeadRE.FindAllSubmatchIndex(data, -1)
	if len(heads) == 0 {
		return nil, 0
	}
	maxNum := 0
	for _, h := range heads {
		if n, err := strconv.Atoi(string(data[h[2]:h[3]])); err == nil && n > maxNum {
			maxNum = n
		}
	}
	var kids []string
	seen := map[string]bool{}
	hi := 0
	for _, m := range pageTypeRE.FindAllIndex(data, -1) {
		// The object this page dictionary belongs to: the last header before it.
		for hi+1 < len(heads) && heads[hi+1][0] < m[0] {
			hi++
		}
		h := heads[hi]
		if h[0] > m[0] || m[0]-h[0] > 64<<10 {
			continue
		}
		ref := string(data[h[2]:h[3]]) + " " + string(data[h[4]:h[5]]) + " R"
		if !seen[ref] {
			seen[ref] = true
			kids = append(kids, ref)
		}
		if len(kids) >= maxSalvagePages {
			break
		}
	}
	if len(kids) == 0 || maxNum > 1<<30 {
		return nil, 0
	}
	pages, catalog := maxNum+1, maxNum+2
	var b bytes.Buffer
	b.Grow(len(data) + 16*len(kids) + 256)
	b.Write(data)
	fmt.Fprintf(&b, "\nendstream\nendobj\n%d 0 obj\n<< /Type /Pages /Count %d /Kids [", pages, len(kids))
	for _, k := range kids {
		b.WriteString(k)
		b.WriteByte(' ')
	}
	fmt.Fprintf(&b, "] >>\nendobj\n%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\ntrailer\n<< /Size %d /Root %d 0 R >>\n%%%%EOF\n",
		catalog, pages, catalog+1, catalog)
	return b.Bytes(), len(kids)
}
