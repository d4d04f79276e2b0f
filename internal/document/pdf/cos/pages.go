package cos

import (
	"fmt"
	"math"
)

// Page is one leaf of the page tree with its inherited attributes.
type Page struct {
	Ref       Ref        // the page object's reference (zero for a direct dictionary)
	Dict      Dict       // the page dictionary
	Resources Dict       // resolved, inherited from ancestors when absent
	MediaBox  [4]float64 // inherited; normalised so [0]<[2], [1]<[3]; default Letter
	CropBox   [4]float64 // inherited; defaults to MediaBox; intersected with MediaBox
	Rotate    int        // inherited; normalised to 0, 90, 180 or 270
}

// maxTreeDepth bounds the depth of the page tree walk.
const maxTreeDepth = 64

var letter = [4]float64{0, 0, 612, 792}

// inherited holds the attributes a page tree node passes to its kids.
type inherited struct {
	resources Dict
	mediaBox  *[4]float64
	cropBox   *[4]float64
	rotate    int64
}

// Pages returns the leaves of the page tree, in order. It is computed once.
func (f *File) Pages() (pages []Page, err error) {
	defer func() {
		if p := recover(); p != nil {
			pages, err = nil, fmt.Errorf("%w: internal error: %v", ErrDamaged, p)
		}
	}()
	f.pagesOnce.Do(func() {
		f.pages, f.pagesErr = f.walkPages()
	})
	return f.pages, f.pagesErr
}

func (f *File) walkPages() ([]Page, error) {
	root := f.Dict(f.Trailer()["Root"])
	if root == nil {
		return nil, fmt.Errorf("%w: no document catalog", ErrDamaged)
	}
	w := pageWalker{f: f, seen: make(map[Ref]bool)}
	top := root["Pages"]
	if r, ok := top.(Ref); ok {
		w.seen[r] = true
	}
	node, err := f.Resolve(top)
	if err != nil {
		return nil, err
	}
	d, ok := node.(Dict)
	if !ok {
		return nil, fmt.Errorf("%w: no page tree", ErrDamaged)
	}
	var ref Ref
	if r, ok := top.(Ref); ok {
		ref = r
	}
	if err := w.node(ref, d, inherited{}, 0); err != nil {
		return nil, err
	}
	if len(w.pages) == 0 {
		return nil, fmt.Errorf("%w: the page tree has no pages", ErrDamaged)
	}
	return w.pages, nil
}

type pageWalker struct {
	f     *File
	seen  map[Ref]bool
	pages []Page
}

func (w *pageWalker) node(ref Ref, d Dict, inh inherited, depth int) error {
	f := w.f
	// An attribute present on a node replaces the inherited one even when
	// it is malformed, as PDFium's lookup does: a bad box reads as empty
	// (and so defaults), a bad rotation as 0, bad resources as none.
	if v := w.attr(d, "Resources"); v != nil {
		rd, _ := v.(Dict)
		inh.resources = rd
	}
	if v := w.attr(d, "MediaBox"); v != nil {
		b := f.box(v)
		inh.mediaBox = &b
	}
	if v := w.attr(d, "CropBox"); v != nil {
		b := f.box(v)
		inh.cropBox = &b
	}
	if v := w.attr(d, "Rotate"); v != nil {
		inh.rotate, _ = Int(v)
	}
	typ := f.Name(d["Type"])
	kids := f.Array(d["Kids"])
	if kids == nil && f.Dict(d["Kids"]) != nil {
		kids = Array{d["Kids"]} // "/Kids 8 0 R" without brackets, as readers accept
	}
	_, hasKids := d["Kids"]
	_, hasContents := d["Contents"]
	if typ == "Page" || typ != "Pages" && (hasContents || !hasKids) {
		if len(w.pages) >= f.lim.MaxPages {
			return fmt.Errorf("%w: more than %d pages", ErrLimit, f.lim.MaxPages)
		}
		w.pages = append(w.pages, makePage(ref, d, inh))
		return nil
	}
	if depth >= maxTreeDepth {
		return fmt.Errorf("%w: page tree deeper than %d", ErrDamaged, maxTreeDepth)
	}
	for _, k := range kids {
		var kref Ref
		if r, ok := k.(Ref); ok {
			if w.seen[r] {
				continue
			}
			w.seen[r] = true
			kref = r
		}
		kd := f.Dict(k)
		if kd == nil {
			continue
		}
		if err := w.node(kref, kd, inh, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func makePage(ref Ref, d Dict, inh inherited) Page {
	p := Page{Ref: ref, Dict: d, Resources: inh.resources, MediaBox: letter}
	if inh.mediaBox != nil && inh.mediaBox[2] > inh.mediaBox[0] && inh.mediaBox[3] > inh.mediaBox[1] {
		p.MediaBox = *inh.mediaBox
	}
	p.CropBox = p.MediaBox
	if c := inh.cropBox; c != nil {
		b := [4]float64{
			max(c[0], p.MediaBox[0]), max(c[1], p.MediaBox[1]),
			min(c[2], p.MediaBox[2]), min(c[3], p.MediaBox[3]),
		}
		if b[2] > b[0] && b[3] > b[1] {
			p.CropBox = b
		}
	}
	r := inh.rotate
	if r%90 != 0 {
		r -= r % 90
	}
	p.Rotate = int(((r/90)%4+4)%4) * 90
	return p
}

// box reads a rectangle as PDFium does: not four elements is the empty
// rectangle, an element that is not a number is 0; normalised so that
// [0]<=[2] and [1]<=[3].
func (f *File) box(o Object) [4]float64 {
	a, _ := o.(Array)
	if len(a) != 4 {
		return [4]float64{}
	}
	var b [4]float64
	for i := range b {
		if v, ok := f.Float(a[i]); ok && math.Abs(v) <= 1e7 {
			b[i] = v
		}
	}
	if b[0] > b[2] {
		b[0], b[2] = b[2], b[0]
	}
	if b[1] > b[3] {
		b[1], b[3] = b[3], b[1]
	}
	return b
}

// attr returns the resolved value of an inheritable attribute of a page
// tree node, or nil when absent (or null).
func (w *pageWalker) attr(d Dict, key Name) Object {
	v, ok := d[key]
	if !ok {
		return nil
	}
	o, err := w.f.Resolve(v)
	if err != nil {
		return nil
	}
	return o
}

// Info returns the resolved document information dictionary, or nil.
func (f *File) Info() Dict {
	return f.Dict(f.Trailer()["Info"])
}

// Dict resolves o and returns it as a dictionary, or nil (a stream is not
// a dictionary: use Stream and its Dict).
func (f *File) Dict(o Object) Dict {
	o, err := f.Resolve(o)
	if err != nil {
		return nil
	}
	d, _ := o.(Dict)
	return d
}

// Array resolves o and returns it as an array, or nil.
func (f *File) Array(o Object) Array {
	o, err := f.Resolve(o)
	if err != nil {
		return nil
	}
	a, _ := o.(Array)
	return a
}

// Name resolves o and returns it as a name, or "".
func (f *File) Name(o Object) Name {
	o, err := f.Resolve(o)
	if err != nil {
		return ""
	}
	n, _ := o.(Name)
	return n
}

// Stream resolves o and returns it as a stream, or nil.
func (f *File) Stream(o Object) *Stream {
	o, err := f.Resolve(o)
	if err != nil {
		return nil
	}
	s, _ := o.(*Stream)
	return s
}

// Float resolves o and returns it as a number.
func (f *File) Float(o Object) (float64, bool) {
	o, err := f.Resolve(o)
	if err != nil {
		return 0, false
	}
	return Num(o)
}

// Integer resolves o and returns it as an integer (a real is truncated).
func (f *File) Integer(o Object) (int64, bool) {
	o, err := f.Resolve(o)
	if err != nil {
		return 0, false
	}
	return Int(o)
}
