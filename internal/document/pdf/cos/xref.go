package cos

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
)

// readXref reads the cross-reference sections from startxref through the
// /Prev chain into f.xref and f.trailer; newer definitions win.
func (f *File) readXref() error {
	pos, ok := f.startxref()
	if !ok {
		return fmt.Errorf("%w: no startxref", ErrDamaged)
	}
	seen := make(map[int64]bool)
	for n := 0; n < maxPrevChain; n++ {
		if seen[pos] {
			// A /Prev cycle: some sections are likely never reached (qpdf's
			// append-xref-loop): rebuild, as poppler and PDFium do.
			return fmt.Errorf("%w: /Prev cycle at offset %d", ErrDamaged, pos)
		}
		seen[pos] = true
		trailer, err := f.readSection(pos)
		if err != nil && f.headerOff > 0 {
			trailer, err = f.readSection(pos + int64(f.headerOff))
		}
		if err != nil {
			return err // a damaged section, newer or older: rebuild
		}
		if f.trailer == nil {
			f.trailer = trailer
		} else {
			for k, v := range trailer {
				if _, ok := f.trailer[k]; !ok && k != "Prev" && k != "XRefStm" {
					f.trailer[k] = v
				}
			}
		}
		prev, ok := Int(trailer["Prev"])
		if !ok || prev < 0 {
			break
		}
		pos = prev
	}
	if f.trailer == nil {
		return fmt.Errorf("%w: no trailer", ErrDamaged)
	}
	return nil
}

// startxref finds the offset given after the last "startxref" near the end.
func (f *File) startxref() (int64, bool) {
	d := f.data
	tail := max(0, len(d)-startxrefWin)
	k := bytes.LastIndex(d[tail:], []byte("startxref"))
	if k < 0 {
		// Much junk after %%EOF: look further back.
		if tail, k = 0, bytes.LastIndex(d, []byte("startxref")); k < 0 {
			return 0, false
		}
	}
	p := tail + k + len("startxref")
	for p < len(d) && isSpace(d[p]) {
		p++
	}
	v, _, ok := uintAt(d, p)
	return v, ok
}

// readSection reads the xref table or stream at pos and returns its
// trailer dictionary.
func (f *File) readSection(pos int64) (Dict, error) {
	d := f.data
	if pos < 0 || pos >= int64(len(d)) {
		return nil, fmt.Errorf("%w: xref offset %d outside the file", ErrDamaged, pos)
	}
	p := int(pos)
	for p < len(d) && isSpace(d[p]) {
		p++
	}
	if bytes.HasPrefix(d[p:], []byte("xref")) {
		trailer, err := f.readTable(p + 4)
		if err != nil {
			return nil, err
		}
		if xs, ok := Int(trailer["XRefStm"]); ok {
			// A hybrid file: the stream holds the compressed objects.
			_, _ = f.readXrefStream(xs)
		}
		return trailer, nil
	}
	return f.readXrefStream(int64(p))
}

// objectsPerByte bounds object numbers by the file's size, so that a tiny
// hostile file cannot make a huge xref: even object streams packed with
// empty objects hold fewer than one object per byte of the file.
const objectsPerByte = 16

// setEntry records an entry unless a newer section defined num already.
func (f *File) setEntry(num int64, e xrefEntry) bool {
	if num < 0 || num >= int64(f.lim.MaxObjects) || num > objectsPerByte*int64(len(f.data))+1024 {
		return false
	}
	if num >= int64(len(f.xref)) {
		n := int(num) + 1
		if n <= cap(f.xref) {
			f.xref = f.xref[:n]
		} else {
			x := make([]xrefEntry, n, max(n, 2*cap(f.xref)))
			copy(x, f.xref)
			f.xref = x
		}
	}
	if k := f.xref[num].kind; k == xrefOffset || k == xrefCompressed {
		return false
	}
	f.xref[num] = e
	return true
}

// readTable reads a classic table whose "xref" keyword ends at p, then its
// trailer dictionary.
func (f *File) readTable(p int) (Dict, error) {
	d := f.data
	skip := func() {
		for p < len(d) && isSpace(d[p]) {
			p++
		}
	}
	for sub := 0; ; sub++ {
		skip()
		if bytes.HasPrefix(d[p:], []byte("trailer")) {
			p += len("trailer")
			break
		}
		start, q, ok := uintAt(d, p)
		if !ok {
			return nil, fmt.Errorf("%w: bad xref subsection at %d", ErrDamaged, p)
		}
		p = q
		skip()
		count, q, ok := uintAt(d, p)
		if !ok {
			return nil, fmt.Errorf("%w: bad xref subsection at %d", ErrDamaged, p)
		}
		p = q
		if start+count > int64(f.lim.MaxObjects) {
			return nil, fmt.Errorf("%w: xref subsection of %d objects", ErrLimit, count)
		}
		for i := int64(0); i < count; i++ {
			skip()
			off, q, ok := uintAt(d, p)
			if !ok {
				return nil, fmt.Errorf("%w: bad xref entry at %d", ErrDamaged, p)
			}
			p = q
			skip()
			gen, q, ok := uintAt(d, p)
			if !ok {
				return nil, fmt.Errorf("%w: bad xref entry at %d", ErrDamaged, p)
			}
			p = q
			skip()
			if p >= len(d) || d[p] != 'n' && d[p] != 'f' {
				return nil, fmt.Errorf("%w: bad xref entry at %d", ErrDamaged, p)
			}
			free := d[p] == 'f'
			p++
			if i == 0 && start == 1 && free && off == 0 && gen == 65535 {
				start = 0 // the "starts at 1" writer bug: this is object 0
			}
			e := xrefEntry{kind: xrefOffset, off: off, idx: int32(min(gen, math.MaxInt32))}
			if free {
				e = xrefEntry{kind: xrefFree}
			}
			f.setEntry(start+i, e)
		}
	}
	lx := NewLexer(d, p)
	lx.Refs = true
	o, err := lx.Object()
	if err != nil {
		return nil, fmt.Errorf("%w: trailer: %w", ErrDamaged, err)
	}
	t, ok := o.(Dict)
	if !ok {
		return nil, fmt.Errorf("%w: trailer is not a dictionary", ErrDamaged)
	}
	return t, nil
}

// readXrefStream reads the cross-reference stream object at pos and
// returns its dictionary, which is the trailer.
func (f *File) readXrefStream(pos int64) (Dict, error) {
	o, err := f.parseAt(pos, -1, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: no xref at offset %d", ErrDamaged, pos)
	}
	st, ok := o.(*Stream)
	if !ok {
		return nil, fmt.Errorf("%w: no xref stream at offset %d", ErrDamaged, pos)
	}
	data, err := f.decode(st, 0)
	if err != nil {
		return nil, fmt.Errorf("xref stream: %w", err)
	}
	wa, _ := st.Dict["W"].(Array)
	if len(wa) < 3 {
		return nil, fmt.Errorf("%w: xref stream /W", ErrDamaged)
	}
	var w [3]int
	row := 0
	for i := range w {
		n, ok := Int(wa[i])
		if !ok || n < 0 || n > 8 {
			return nil, fmt.Errorf("%w: xref stream /W", ErrDamaged)
		}
		w[i] = int(n)
		row += w[i]
	}
	if row == 0 {
		return nil, fmt.Errorf("%w: xref stream /W", ErrDamaged)
	}
	index, _ := st.Dict["Index"].(Array)
	if len(index) == 0 {
		size, _ := Int(st.Dict["Size"])
		index = Array{int64(0), size}
	}
	p := 0
	for i := 0; i+1 < len(index); i += 2 {
		start, ok1 := Int(index[i])
		count, ok2 := Int(index[i+1])
		if !ok1 || !ok2 || start < 0 || count < 0 {
			break
		}
		for j := int64(0); j < count && p+row <= len(data); j++ {
			typ := int64(1)
			if w[0] > 0 {
				typ = field(data[p : p+w[0]])
			}
			a := field(data[p+w[0] : p+w[0]+w[1]])
			b := field(data[p+w[0]+w[1] : p+row])
			p += row
			var e xrefEntry
			switch typ {
			case 0:
				e = xrefEntry{kind: xrefFree}
			case 1:
				e = xrefEntry{kind: xrefOffset, off: a, idx: int32(min(b, math.MaxInt32))}
			case 2:
				e = xrefEntry{kind: xrefCompressed, off: a, idx: int32(min(b, math.MaxInt32))}
			default:
				continue // reserved types are null objects
			}
			f.setEntry(start+j, e)
		}
	}
	return st.Dict, nil
}

// field reads a big-endian unsigned number, clamped to MaxInt64>>1.
func field(b []byte) int64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	if v > math.MaxInt64>>1 {
		return math.MaxInt64 >> 1
	}
	return int64(v)
}

// rebuildLazy rebuilds the xref after a lookup found a wrong offset; it
// reports whether the table changed (a rebuild runs at most once).
func (f *File) rebuildLazy() bool {
	f.mu.Lock()
	done, scanned := f.rebuilt, f.scanned
	f.mu.Unlock()
	if done {
		// Another caller rebuilt it or is rebuilding it: wait for the scan,
		// then look again.
		<-scanned
		return true
	}
	return f.rebuild() == nil
}

// rebuild scans the file for "num gen obj" headers (the last occurrence of
// a number wins) and for a trailer, replacing the xref. It runs once.
func (f *File) rebuild() error {
	f.mu.Lock()
	if f.rebuilt {
		scanned := f.scanned
		f.mu.Unlock()
		<-scanned // another caller is rebuilding: wait for its xref
		return nil
	}
	f.rebuilt = true
	scanned := make(chan struct{})
	f.scanned = scanned
	f.mu.Unlock()
	published := false
	defer func() {
		if !published {
			close(scanned)
		}
	}()

	d := f.data
	type hdr struct {
		num       int64
		start     int // offset of the header
		bodyStart int
	}
	var hdrs []hdr
	kw := []byte("obj")
	for i := 0; i < len(d); {
		k := bytes.Index(d[i:], kw)
		if k < 0 {
			break
		}
		k += i
		i = k + 3
		if k+3 < len(d) && regular[d[k+3]] {
			continue
		}
		// Backwards: spaces, gen digits, spaces, num digits.
		j := k - 1
		if j = digitsBefore(d, j); j == -2 {
			continue
		}
		if j = digitsBefore(d, j); j == -2 {
			continue
		}
		if j >= 0 && regular[d[j]] {
			continue
		}
		num, _, ok := uintAt(d, j+1)
		if !ok {
			continue
		}
		hdrs = append(hdrs, hdr{num: num, start: j + 1, bodyStart: k + 3})
	}

	xref := make([]xrefEntry, 0, len(hdrs)+1)
	set := func(num int64, e xrefEntry, override bool) {
		if num < 0 || num >= int64(f.lim.MaxObjects) || num > objectsPerByte*int64(len(d))+1024 {
			return
		}
		if int64(len(xref)) <= num {
			n := len(xref)
			xref = slices.Grow(xref, int(num)+1-n)[:num+1]
			clear(xref[n:])
		}
		if override || xref[num].kind != xrefOffset {
			xref[num] = e
		}
	}
	var trailer, xrefTrailer Dict
	var catalog Ref
	haveCatalog := false
	var objstms []int64
	for i, h := range hdrs {
		set(h.num, xrefEntry{kind: xrefOffset, off: int64(h.start)}, true)
		end := len(d)
		if i+1 < len(hdrs) {
			end = hdrs[i+1].start
		}
		p := h.bodyStart
		for p < end && isSpace(d[p]) {
			p++
		}
		if !bytes.HasPrefix(d[p:end], []byte("<<")) {
			continue
		}
		lx := NewLexer(d[:end], p)
		lx.Refs = true
		o, _ := lx.Object()
		dict, ok := o.(Dict)
		if !ok {
			continue
		}
		switch dict["Type"] {
		case Name("XRef"):
			if _, ok := dict["Root"]; ok {
				xrefTrailer = dict
			}
		case Name("ObjStm"):
			objstms = append(objstms, h.num)
		case Name("Catalog"):
			if h.num <= math.MaxInt32 {
				catalog, haveCatalog = Ref{Num: int32(h.num)}, true
			}
		}
	}

	// The trailer: the last "trailer" dictionary with /Root, completed by
	// the earlier ones.
	tkw := []byte("trailer")
	for i := 0; i < len(d); {
		k := bytes.Index(d[i:], tkw)
		if k < 0 {
			break
		}
		i += k + len(tkw)
		end := len(d)
		if n := bytes.Index(d[i:], tkw); n >= 0 {
			end = i + n
		}
		lx := NewLexer(d[:end], i)
		lx.Refs = true
		o, _ := lx.Object()
		t, ok := o.(Dict)
		if !ok {
			continue
		}
		if _, ok := t["Root"]; ok || trailer == nil {
			for k, v := range trailer {
				if _, ok := t[k]; !ok {
					t[k] = v
				}
			}
			trailer = t
		}
	}
	if _, ok := trailer["Root"]; !ok {
		if xrefTrailer != nil {
			trailer = xrefTrailer
		} else {
			f.mu.Lock()
			old := f.trailer
			f.mu.Unlock()
			if _, ok := old["Root"]; ok {
				trailer = old
			}
		}
	}
	// A copy: the old trailer may be in use by other callers.
	trailer = maps.Clone(trailer)
	if trailer == nil {
		trailer = Dict{}
	}
	if haveCatalog {
		if r, ok := trailer["Root"].(Ref); !ok || int(r.Num) >= len(xref) || xref[r.Num].kind == xrefNone {
			trailer["Root"] = catalog
		}
	}

	// Compressed objects: those of every object stream not defined
	// directly. The object streams are read through a private File over the
	// new table, so that nobody sees the table before it is complete and a
	// lookup inside cannot wait on this rebuild.
	done := make(chan struct{})
	close(done)
	tmp := &File{
		data: f.data, lim: f.lim, headerOff: f.headerOff,
		xref: xref, ends: objectStarts(xref), trailer: trailer,
		rebuilt: true, scanned: done, repaired: true,
		cache: make(map[int32]cached), objstms: make(map[int32]*objStream),
	}
	_, hasRoot := trailer["Root"]
	for _, n := range objstms {
		if n > math.MaxInt32 {
			continue
		}
		s, err := tmp.objStream(int32(n), 1)
		if err != nil {
			continue
		}
		for idx, num := range s.nums {
			set(int64(num), xrefEntry{kind: xrefCompressed, off: n, idx: int32(idx)}, false)
			if !hasRoot {
				// No trailer names the catalog: look for it here too.
				if o, _ := s.object(num, idx); o != nil {
					if d, ok := o.(Dict); ok && d["Type"] == Name("Catalog") {
						trailer["Root"] = Ref{Num: num}
						hasRoot = true
					}
				}
			}
		}
	}

	f.mu.Lock()
	f.xref = xref
	f.ends = objectStarts(xref)
	f.trailer = trailer
	f.repaired = true
	f.cache = make(map[int32]cached)
	f.objstms = make(map[int32]*objStream)
	for n, s := range tmp.objstms {
		if s.err == nil { // an error may come from the table being incomplete
			f.objstms[n] = s
		}
	}
	f.mu.Unlock()
	published = true
	close(scanned)
	if len(hdrs) == 0 {
		return fmt.Errorf("%w: no objects found", ErrDamaged)
	}
	return nil
}

// digitsBefore steps back from d[j] over white space (at least one byte)
// and then 1-10 digits, returning the index before them, or -2 when d does
// not read that way.
func digitsBefore(d []byte, j int) int {
	s := j
	for j >= 0 && isSpace(d[j]) {
		j--
	}
	if j == s {
		return -2
	}
	s = j
	for j >= 0 && d[j] >= '0' && d[j] <= '9' {
		j--
	}
	if j == s || s-j > 10 {
		return -2
	}
	return j
}
