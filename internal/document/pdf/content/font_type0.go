package content

import (
	"slices"
	"strings"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// type0 loads a composite font with one CIDFontType0/2 descendant.
func (l *loader) type0(f *Font, d cos.Dict) error {
	o, err := l.get(d, "DescendantFonts")
	if err != nil {
		return err
	}
	arr, ok := o.(cos.Array)
	if !ok || len(arr) == 0 {
		return unsupported("Type0 font without /DescendantFonts")
	}
	o, err = l.resolve(arr[0])
	if err != nil {
		return err
	}
	desc, ok := o.(cos.Dict)
	if !ok {
		return unsupported("descendant font of type %T", o)
	}
	if sub, _ := desc["Subtype"].(cos.Name); sub != "CIDFontType0" && sub != "CIDFontType2" {
		return unsupported("descendant font subtype %q", string(sub))
	}
	c := &cidFont{dw: 1000}
	f.cid = c

	if err := l.cidEncoding(c, d); err != nil {
		return err
	}

	tu, err := l.toUnicode(d)
	if err != nil {
		return err
	}
	if tu != nil {
		c.setText(tu)
	} else {
		info, err := l.dict(desc, "CIDSystemInfo")
		if err != nil {
			return err
		}
		o, err := l.get(info, "Ordering")
		if err != nil {
			return err
		}
		var ordering string
		switch v := o.(type) {
		case cos.String:
			ordering = string(v)
		case cos.Name:
			ordering = string(v)
		}
		switch ordering {
		case "Japan1", "GB1", "CNS1", "Korea1", "Japan2", "KR":
			return unsupported("CID font without ToUnicode, ordering %s", ordering)
		}
		// Identity or unknown: every code unmapped.
	}

	if err := l.cidWidths(c, desc); err != nil {
		return err
	}
	fd, err := l.dict(desc, "FontDescriptor")
	if err != nil {
		return err
	}
	f.ascent, f.descent, err = l.descriptorMetrics(fd)
	f.ascent, f.descent = boxMetrics(f.ascent, f.descent)
	return err
}

// cidEncoding reads a Type0 /Encoding: Identity-H or an embedded CMap.
func (l *loader) cidEncoding(c *cidFont, d cos.Dict) error {
	o, err := l.get(d, "Encoding")
	if err != nil {
		return err
	}
	switch e := o.(type) {
	case cos.Name:
		if e == "Identity-H" {
			c.identity = true
			return nil
		}
		return unsupported("CMap %s", string(e))
	case *cos.Stream:
		if w, ok := cos.Int(e.Dict["WMode"]); ok && w != 0 {
			return unsupported("vertical CMap")
		}
		if e.Dict["UseCMap"] != nil {
			return unsupported("CMap with /UseCMap")
		}
		data, err := l.r.Decode(e)
		if err != nil {
			return unsupported("CMap stream: %v", err)
		}
		cm, err := parseCMap(data)
		if err != nil {
			return err
		}
		name := cm.name
		if n, ok := e.Dict["CMapName"].(cos.Name); ok {
			name = string(n)
		}
		if cm.wmode != 0 || strings.HasSuffix(name, "-V") {
			return unsupported("vertical CMap %s", name)
		}
		if cm.useCMap != "" {
			return unsupported("CMap %s uses %s", name, cm.useCMap)
		}
		return c.setCIDs(cm)
	default:
		return unsupported("Type0 /Encoding of type %T", o)
	}
}

// setCIDs installs an embedded CMap's codespace and code -> CID map.
func (c *cidFont) setCIDs(cm *cmapFile) error {
	cs, err := newCodeSpace(cm.codespace)
	if err != nil {
		return unsupported("CMap: %v", err)
	}
	// The common case: an embedded copy of Identity-H.
	if len(cm.codespace) == 1 && len(cm.cids) == 1 {
		r, k := cm.codespace[0], cm.cids[0]
		if r.n == 2 && r.lo == [4]byte{} && r.hi == [4]byte{0xFF, 0xFF} &&
			k.n == 2 && k.lo == 0 && k.hi == 0xFFFF && k.cid == 0 {
			c.identity = true
			return nil
		}
	}
	c.cs = cs
	var maxCode uint32
	var span uint64
	for _, r := range cm.cids {
		maxCode = max(maxCode, r.hi)
		span += uint64(r.hi-r.lo) + 1
	}
	if span > maxWAssign {
		return unsupported("CMap maps %d codes", span)
	}
	if maxCode <= 0xFFFF {
		c.toCID = make([]uint16, maxCode+1)
		for _, r := range cm.cids {
			for code := r.lo; code <= r.hi; code++ {
				cid := r.cid + code - r.lo
				if cid > maxCID {
					break
				}
				c.toCID[code] = uint16(cid)
			}
		}
		return nil
	}
	rs := slices.Clone(cm.cids)
	slices.SortStableFunc(rs, func(a, b cidRange) int {
		switch {
		case a.lo < b.lo:
			return -1
		case a.lo > b.lo:
			return 1
		}
		return 0
	})
	for i := 1; i < len(rs); i++ {
		if rs[i].lo <= rs[i-1].hi {
			return unsupported("CMap with overlapping 4-byte CID ranges")
		}
	}
	c.cidRanges = rs
	return nil
}

// setText installs a ToUnicode CMap.
func (c *cidFont) setText(cm *cmapFile) {
	all := string(cm.text)
	var maxCode uint32
	for _, e := range cm.uni {
		maxCode = max(maxCode, e.code)
	}
	if uint64(maxCode) < 8*uint64(len(cm.uni))+1024 {
		c.uniDense = make([]string, maxCode+1)
		for _, e := range cm.uni {
			c.uniDense[e.code] = all[e.off:e.end]
		}
		return
	}
	c.uniSparse = make(map[uint32]string, len(cm.uni))
	for _, e := range cm.uni {
		c.uniSparse[e.code] = all[e.off:e.end]
	}
}

// cidWidths reads /DW and /W of a CID font.
func (l *loader) cidWidths(c *cidFont, desc cos.Dict) error {
	if v, ok, err := l.num(desc, "DW"); err != nil {
		return err
	} else if ok {
		c.dw = float32(v)
	}
	o, err := l.get(desc, "W")
	if err != nil {
		return err
	}
	var w cos.Array
	switch v := o.(type) {
	case nil:
		return nil
	case cos.Array:
		w = v
	default:
		return unsupported("/W of type %T", o)
	}
	if len(w) > maxWElements {
		return unsupported("/W of %d elements", len(w))
	}
	assigned := 0
	set := func(cid int64, width float64) {
		if cid >= int64(len(c.widths)) {
			n := len(c.widths)
			c.widths = slices.Grow(c.widths, int(cid)+1-n)[:cid+1]
			for i := n; i < len(c.widths); i++ {
				c.widths[i] = c.dw
			}
		}
		c.widths[cid] = float32(width)
	}
	for i := 0; i < len(w); {
		o, err := l.resolve(w[i])
		if err != nil {
			return err
		}
		first, ok := cos.Int(o)
		if !ok || first < 0 || i+1 >= len(w) {
			return unsupported("malformed /W at element %d", i)
		}
		o, err = l.resolve(w[i+1])
		if err != nil {
			return err
		}
		if ws, ok := o.(cos.Array); ok {
			// c [w1 w2 ...]
			if assigned += len(ws); assigned > maxWAssign {
				return unsupported("/W too large")
			}
			for j, e := range ws {
				cid := first + int64(j)
				if cid > maxCID {
					break
				}
				e, err := l.resolve(e)
				if err != nil {
					return err
				}
				v, ok := cos.Num(e)
				if !ok {
					return unsupported("malformed /W width")
				}
				set(cid, v)
			}
			i += 2
			continue
		}
		// cfirst clast w
		last, ok := cos.Int(o)
		if !ok || i+2 >= len(w) {
			return unsupported("malformed /W at element %d", i)
		}
		o, err = l.resolve(w[i+2])
		if err != nil {
			return err
		}
		v, ok := cos.Num(o)
		if !ok {
			return unsupported("malformed /W width")
		}
		i += 3
		if last < first || first > maxCID {
			continue
		}
		last = min(last, maxCID)
		if assigned += int(last - first + 1); assigned > maxWAssign {
			return unsupported("/W too large")
		}
		for cid := first; cid <= last; cid++ {
			set(cid, v)
		}
	}
	return nil
}
