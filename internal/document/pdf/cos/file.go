package cos

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
)

// Limits bounds the work and memory one file may cost. A zero field takes
// its default.
type Limits struct {
	MaxStreamBytes int64 // decoded bytes of one stream (default 256 MiB)
	MaxObjects     int   // objects in the xref (default 10,000,000)
	MaxPages       int   // pages in the page tree (default 100,000)
}

func (l Limits) withDefaults() Limits {
	if l.MaxStreamBytes <= 0 {
		l.MaxStreamBytes = 256 << 20
	}
	if l.MaxObjects <= 0 {
		l.MaxObjects = 10_000_000
	}
	if l.MaxPages <= 0 {
		l.MaxPages = 100_000
	}
	return l
}

var (
	// ErrEncrypted reports a file whose trailer has /Encrypt: this package
	// does not decrypt, the caller hands the file to PDFium.
	ErrEncrypted = errors.New("pdf: encrypted document")
	// ErrDamaged reports a file structure that is unreadable even after the
	// cross-reference table was rebuilt by scanning the file.
	ErrDamaged = errors.New("pdf: damaged file structure")
	// ErrUnsupportedFilter reports a stream filter the decoder does not do
	// (image codecs such as DCT, JPX, JBIG2, CCITTFax, and Crypt).
	ErrUnsupportedFilter = errors.New("pdf: unsupported stream filter")
	// ErrLimit reports a limit of Limits being hit; the wrapping error says
	// which.
	ErrLimit = errors.New("pdf: limit exceeded")
)

const (
	maxRefHops   = 32   // Ref -> Ref -> ... chains followed by Resolve
	maxPrevChain = 256  // xref sections followed through /Prev
	maxGetDepth  = 16   // nested loads (stream /Length, object streams)
	startxrefWin = 4096 // bytes searched for "startxref" at the end
)

// xref entry kinds.
const (
	xrefNone uint8 = iota
	xrefFree
	xrefOffset     // off is the byte offset of "num gen obj"
	xrefCompressed // off is the object stream's number, idx the index in it
)

type xrefEntry struct {
	off  int64
	idx  int32
	kind uint8
}

// objStream is a decoded object stream: its bytes and where each of its
// objects starts.
type objStream struct {
	data   []byte
	nums   []int32
	offs   []int32
	sorted []int32 // offs, sorted
	index  map[int32]int
	first  int
	err    error
}

// cached is a loaded object, or the error loading it gave.
type cached struct {
	obj Object
	err error
}

// File is an opened PDF file: its cross-reference table and trailer, with
// objects parsed on demand and cached. A File is safe for concurrent use.
type File struct {
	data      []byte
	lim       Limits
	headerOff int

	mu       sync.Mutex
	xref     []xrefEntry
	trailer  Dict
	repaired bool
	rebuilt  bool          // a rebuild was started (at most once)
	scanned  chan struct{} // closed when the rebuilt xref is in place
	cache    map[int32]cached
	objstms  map[int32]*objStream
	// ends holds the sorted offsets of the objects in the xref: an object
	// is parsed no further than the next one's start, so that unterminated
	// strings or arrays in many objects cost linear time, not quadratic.
	ends []int64

	endstreamOnce sync.Once
	endstreams    []int

	pagesOnce sync.Once
	pages     []Page
	pagesErr  error

	destsOnce sync.Once
	dests     map[string]Object
}

// errWrongObject reports an xref offset that does not hold the object.
var errWrongObject = fmt.Errorf("%w: offset does not hold the object", ErrDamaged)

// Open reads the cross-reference information of a PDF file held in data.
// Objects are parsed later, on demand. data must not change while the File
// is in use: streams are slices of it.
func Open(data []byte, lim Limits) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%w: internal error: %v", ErrDamaged, r)
		}
	}()
	f = &File{
		data:    data,
		lim:     lim.withDefaults(),
		cache:   make(map[int32]cached),
		objstms: make(map[int32]*objStream),
	}
	if h := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); h > 0 {
		f.headerOff = h
	}
	xerr := f.readXref()
	f.ends = objectStarts(f.xref)
	if xerr == nil && f.trailer != nil && encrypted(f.trailer) {
		return nil, ErrEncrypted
	}
	if xerr != nil || !f.rootOK() {
		if err := f.rebuild(); err != nil {
			return nil, err
		}
		if encrypted(f.trailer) {
			return nil, ErrEncrypted
		}
		if !f.rootOK() {
			return nil, fmt.Errorf("%w: no document catalog", ErrDamaged)
		}
	}
	if encrypted(f.Trailer()) { // a lazy rebuild may have found another trailer
		return nil, ErrEncrypted
	}
	return f, nil
}

func encrypted(trailer Dict) bool {
	e, ok := trailer["Encrypt"]
	return ok && e != nil
}

// rootOK reports whether the trailer's /Root loads as a dictionary. A
// wrong offset found on the way triggers the lazy rebuild inside get.
func (f *File) rootOK() bool {
	f.mu.Lock()
	root := f.trailer["Root"]
	f.mu.Unlock()
	o, err := f.resolve(root, 0)
	if err != nil {
		return false
	}
	_, ok := o.(Dict)
	return ok
}

// Trailer returns the trailer dictionary (the newest one, completed by
// the older ones).
func (f *File) Trailer() Dict {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.trailer
}

// Repaired reports whether the cross-reference table had to be rebuilt by
// scanning the file.
func (f *File) Repaired() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.repaired
}

// Get returns the object r refers to, parsed once and cached. A reference
// to an object that does not exist is the null object (nil, nil).
func (f *File) Get(r Ref) (o Object, err error) {
	defer func() {
		if p := recover(); p != nil {
			o, err = nil, fmt.Errorf("%w: internal error: %v", ErrDamaged, p)
		}
	}()
	return f.get(r, 0)
}

// Resolve follows references until o is not a Ref. A reference to an
// object that does not exist resolves to nil, nil.
func (f *File) Resolve(o Object) (res Object, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("%w: internal error: %v", ErrDamaged, p)
		}
	}()
	return f.resolve(o, 0)
}

func (f *File) resolve(o Object, depth int) (Object, error) {
	for range maxRefHops {
		r, ok := o.(Ref)
		if !ok {
			return o, nil
		}
		var err error
		if o, err = f.get(r, depth); err != nil {
			return nil, err
		}
	}
	if _, ok := o.(Ref); ok {
		return nil, fmt.Errorf("%w: reference chain longer than %d", ErrDamaged, maxRefHops)
	}
	return o, nil
}

func (f *File) entry(num int32) xrefEntry {
	if num < 0 || int(num) >= len(f.xref) {
		return xrefEntry{}
	}
	return f.xref[num]
}

func (f *File) get(r Ref, depth int) (Object, error) {
	if depth > maxGetDepth {
		return nil, fmt.Errorf("%w: object %v: %w (%d)", ErrDamaged, r, errTooDeep, maxGetDepth)
	}
	f.mu.Lock()
	if c, ok := f.cache[r.Num]; ok {
		f.mu.Unlock()
		return c.obj, c.err
	}
	e := f.entry(r.Num)
	f.mu.Unlock()
	o, err := f.load(r.Num, e, depth)
	if errors.Is(err, errWrongObject) {
		if f.rebuildLazy() {
			f.mu.Lock()
			e2 := f.entry(r.Num)
			f.mu.Unlock()
			if e2 != e {
				o, err = f.load(r.Num, e2, depth)
			}
		}
	}
	if err != nil {
		err = fmt.Errorf("object %v: %w", r, err)
		if errors.Is(err, errTooDeep) {
			return nil, err // depends on the path here: do not cache
		}
		o = nil
	}
	f.mu.Lock()
	if c, ok := f.cache[r.Num]; ok {
		o, err = c.obj, c.err // another goroutine won: share its object
	} else {
		f.cache[r.Num] = cached{obj: o, err: err}
	}
	f.mu.Unlock()
	return o, err
}

func (f *File) load(num int32, e xrefEntry, depth int) (Object, error) {
	switch e.kind {
	case xrefOffset:
		o, err := f.parseAt(e.off, num, depth)
		if errors.Is(err, errWrongObject) && f.headerOff > 0 {
			if o2, err2 := f.parseAt(e.off+int64(f.headerOff), num, depth); err2 == nil {
				return o2, nil
			}
		}
		return o, err
	case xrefCompressed:
		if e.off > math.MaxInt32 {
			return nil, nil
		}
		s, err := f.objStream(int32(e.off), depth+1)
		if err != nil {
			return nil, err
		}
		return s.object(num, int(e.idx))
	}
	return nil, nil
}

// objectHeader parses "num gen obj" at p (white space before it allowed)
// and returns num and the offset after "obj".
func objectHeader(d []byte, p int) (num int64, end int, ok bool) {
	for p < len(d) && isSpace(d[p]) {
		p++
	}
	num, p, ok = uintAt(d, p)
	if !ok {
		return 0, 0, false
	}
	q := p
	for p < len(d) && isSpace(d[p]) {
		p++
	}
	if p == q {
		return 0, 0, false
	}
	_, p, ok = uintAt(d, p)
	if !ok {
		return 0, 0, false
	}
	for p < len(d) && isSpace(d[p]) {
		p++
	}
	if !bytes.HasPrefix(d[p:], []byte("obj")) || p+3 < len(d) && regular[d[p+3]] {
		return 0, 0, false
	}
	return num, p + 3, true
}

// uintAt parses decimal digits at p (at most 18 of them).
func uintAt(d []byte, p int) (int64, int, bool) {
	start := p
	var v int64
	for p < len(d) && d[p] >= '0' && d[p] <= '9' {
		if p-start >= 18 {
			return 0, p, false
		}
		v = v*10 + int64(d[p]-'0')
		p++
	}
	return v, p, p > start
}

// parseAt parses the indirect object at byte offset off; num >= 0 is the
// object number expected there.
func (f *File) parseAt(off int64, num int32, depth int) (Object, error) {
	if off < 0 || off >= int64(len(f.data)) {
		return nil, errWrongObject
	}
	n, p, ok := objectHeader(f.data, int(off))
	if !ok || num >= 0 && n != int64(num) {
		return nil, errWrongObject
	}
	lx := NewLexer(f.data[:f.objectEnd(off)], p)
	lx.Refs = true
	o, err := lx.Object()
	if err != nil {
		if d, ok := o.(Dict); ok && len(d) > 0 && !IsEOD(err) {
			return d, nil // an unterminated dictionary: keep what was read
		}
		return nil, err
	}
	d, ok := o.(Dict)
	if !ok {
		return o, nil
	}
	t := lx.Next()
	if t.Kind != TokKeyword || string(t.Bytes) != "stream" {
		return d, nil
	}
	return f.streamAt(d, lx.Pos(), depth), nil
}

// streamAt builds the stream whose dictionary is d and whose "stream"
// keyword ends at p.
func (f *File) streamAt(d Dict, p int, depth int) *Stream {
	data := f.data
	for p < len(data) && data[p] == ' ' {
		p++
	}
	if p < len(data) && data[p] == '\r' {
		p++
	}
	if p < len(data) && data[p] == '\n' {
		p++
	}
	length := int64(-1)
	switch v := d["Length"].(type) {
	case Ref:
		if o, err := f.resolve(v, depth+1); err == nil {
			if n, ok := Int(o); ok {
				length = n
			}
		}
	default:
		if n, ok := Int(v); ok {
			length = n
		}
	}
	if length >= 0 && length <= int64(len(data)-p) {
		end := p + int(length)
		q := end
		for q < len(data) && q < end+32 && isSpace(data[q]) {
			q++
		}
		if bytes.HasPrefix(data[q:], []byte("endstream")) {
			return &Stream{Dict: d, Raw: data[p:end:end]}
		}
	}
	// A wrong or missing /Length: the data ends at the next "endstream".
	if e := f.nextEndstream(p); e >= 0 {
		end := e
		if end > p && data[end-1] == '\n' {
			end--
		}
		if end > p && data[end-1] == '\r' {
			end--
		}
		return &Stream{Dict: d, Raw: data[p:end:end]}
	}
	end := len(data)
	if length >= 0 && length <= int64(len(data)-p) {
		end = p + int(length)
	}
	return &Stream{Dict: d, Raw: data[p:end:end]}
}

// nextEndstream returns the offset of the first "endstream" at or after p,
// or -1. The offsets are found by one scan of the file, so that many
// streams with wrong lengths cost linear time.
func (f *File) nextEndstream(p int) int {
	f.endstreamOnce.Do(func() {
		kw := []byte("endstream")
		for i := 0; i < len(f.data); {
			k := bytes.Index(f.data[i:], kw)
			if k < 0 {
				break
			}
			f.endstreams = append(f.endstreams, i+k)
			i += k + len(kw)
		}
	})
	i := sort.SearchInts(f.endstreams, p)
	if i < len(f.endstreams) {
		return f.endstreams[i]
	}
	return -1
}

// objStream returns the decoded object stream number num, parsed once.
func (f *File) objStream(num int32, depth int) (*objStream, error) {
	f.mu.Lock()
	s, ok := f.objstms[num]
	f.mu.Unlock()
	if ok {
		return s, s.err
	}
	s = f.loadObjStream(num, depth)
	if s.err != nil && errors.Is(s.err, errTooDeep) {
		return nil, s.err // depends on the path here: do not cache
	}
	f.mu.Lock()
	if prev, ok := f.objstms[num]; ok {
		s = prev
	} else {
		f.objstms[num] = s
	}
	f.mu.Unlock()
	return s, s.err
}

var errTooDeep = errors.New("loads nested too deep")

func (f *File) loadObjStream(num int32, depth int) *objStream {
	if depth > maxGetDepth {
		return &objStream{err: fmt.Errorf("%w: object stream %d: %w", ErrDamaged, num, errTooDeep)}
	}
	o, err := f.get(Ref{Num: num}, depth)
	if err != nil {
		return &objStream{err: err}
	}
	st, ok := o.(*Stream)
	if !ok {
		return &objStream{err: fmt.Errorf("object stream %d is not a stream: %w", num, errWrongObject)}
	}
	data, err := f.decode(st, depth+1)
	if err != nil {
		return &objStream{err: fmt.Errorf("object stream %d: %w", num, err)}
	}
	n, _ := Int(st.Dict["N"])
	first, _ := Int(st.Dict["First"])
	if n < 0 || n > int64(len(data)/2+1) || first < 0 || first > int64(len(data)) {
		return &objStream{err: fmt.Errorf("%w: object stream %d: bad /N or /First", ErrDamaged, num)}
	}
	s := &objStream{data: data, first: int(first)}
	lx := NewLexer(data[:first], 0)
	for range n {
		a, b := lx.Next(), lx.Next()
		if a.Kind != TokNumber || b.Kind != TokNumber || !a.Int || !b.Int ||
			a.Num < 0 || a.Num > math.MaxInt32 || b.Num < 0 || b.Num > math.MaxInt32 {
			break
		}
		s.nums = append(s.nums, int32(a.Num))
		s.offs = append(s.offs, int32(b.Num))
	}
	s.index = make(map[int32]int, len(s.nums))
	for i, n := range s.nums {
		if _, dup := s.index[n]; !dup {
			s.index[n] = i
		}
	}
	s.sorted = slices.Clone(s.offs)
	slices.Sort(s.sorted)
	return s
}

// object parses object num, the idx-th of the stream.
func (s *objStream) object(num int32, idx int) (Object, error) {
	if idx < 0 || idx >= len(s.nums) || s.nums[idx] != num {
		// A wrong index in the xref: look the number up.
		i, ok := s.index[num]
		if !ok {
			return nil, errWrongObject // the xref is wrong: rebuild it
		}
		idx = i
	}
	p := s.first + int(s.offs[idx])
	if p < 0 || p > len(s.data) {
		return nil, fmt.Errorf("%w: object offset outside its object stream", ErrDamaged)
	}
	end := len(s.data)
	if i, _ := slices.BinarySearch(s.sorted, s.offs[idx]+1); i < len(s.sorted) {
		end = min(end, max(p, s.first+int(s.sorted[i])))
	}
	lx := NewLexer(s.data[:end], p)
	lx.Refs = true
	o, err := lx.Object()
	if err != nil {
		return nil, err
	}
	if k, ok := o.(Keyword); ok && (k == "endobj" || k == "obj") {
		return nil, nil
	}
	return o, nil
}

// objectStarts returns the sorted, distinct offsets of the objects of xref.
func objectStarts(xref []xrefEntry) []int64 {
	var ends []int64
	for _, e := range xref {
		if e.kind == xrefOffset {
			ends = append(ends, e.off)
		}
	}
	slices.Sort(ends)
	return slices.Compact(ends)
}

// objectEnd returns the offset where the object at off must end: the
// start of the next object in the xref, or the end of the data.
func (f *File) objectEnd(off int64) int {
	f.mu.Lock()
	ends := f.ends
	f.mu.Unlock()
	i, _ := slices.BinarySearch(ends, off+1)
	if i < len(ends) && ends[i] < int64(len(f.data)) {
		return int(ends[i])
	}
	return len(f.data)
}
