package content

import (
	"fmt"
	"math"
	"slices"
)

// Text showing, and the two duplicate filters of PDFium's text page, so that
// text drawn twice for a bold or shadow effect is read once:
//
//   - a text object (one Tj, TJ, ' or ") with the same codes as one of the
//     five text objects drawn before it in the same content stream, at
//     nearly the same place and size, is dropped whole
//     (CPDF_TextPage::IsSameTextObject);
//   - a glyph with the same code and font as one of the seven glyphs before
//     it, less than 0.07 em away, is dropped (ProcessTextObjectItems).

// maxCoord bounds the glyph coordinates kept: beyond it the numbers are
// nonsense (and would not survive float32).
const maxCoord = 1e7

const (
	objHistoryLen    = 5    // text objects compared in one content stream
	recentLen        = 7    // glyphs compared
	ringLen          = 8    // ring holding them (a power of two)
	stringBytesPerOp = 2    // string bytes shown that cost one operator of the budget
	maxObjCodes      = 4096 // codes kept of one object; a longer one is never a duplicate
	sepCode          = math.MaxUint32
	// maxSlant is the largest horizontal shear of oblique text, as a
	// fraction of its height (0.5: about 27 degrees).
	maxSlant = 0.5
)

// textObject is what the object filter compares.
type textObject struct {
	codes  []uint32 // character codes; sepCode between TJ strings
	ox, oy float64  // origin of the first glyph
	rect   [4]float64
	tfs    float64
	lastW  float64 // width of the last glyph, per unit of font size
	boxed  bool    // rect holds at least one glyph
	long   bool    // more codes than maxObjCodes
	// Where the object's output starts, to drop it.
	glyphs, unmapped, printed int
	recent                    [ringLen]recentGlyph
	nrecent, rhead            int
}

// objHistory is the last text objects of one content stream.
type objHistory struct {
	objs [objHistoryLen]textObject
	n    int // objects held
	next int // slot for the next one
}

// recentGlyph is what the glyph filter compares.
type recentGlyph struct {
	font   int32
	code   uint32
	ox, oy float64
}

// showText runs one text-showing operator: the string s, or the TJ array.
func (in *interp) showText(s []byte, array bool) error {
	in.beginObject()
	var err error
	if array {
		err = in.showArray()
	} else {
		err = in.show(s)
	}
	if err != nil {
		return err
	}
	in.endObject()
	return nil
}

func (in *interp) beginObject() {
	o := &in.cur
	o.codes = o.codes[:0]
	o.boxed, o.long = false, false
	o.tfs = in.gs.tfs
	o.glyphs, o.unmapped, o.printed = len(in.page.Glyphs), in.unmapped, in.printed
	o.recent, o.nrecent, o.rhead = in.recent, in.nrecent, in.rhead
}

// endObject drops the object just shown if it repeats a recent one, and
// records it.
func (in *interp) endObject() {
	o := &in.cur
	if !o.boxed || o.long {
		return
	}
	depth := len(in.formStack)
	h := in.history(depth)
	for k := 1; k <= h.n; k++ {
		prev := &h.objs[(h.next-k+objHistoryLen)%objHistoryLen]
		if sameTextObject(prev, o) {
			in.page.Glyphs = in.page.Glyphs[:o.glyphs]
			in.unmapped, in.printed = o.unmapped, o.printed
			in.recent, in.nrecent, in.rhead = o.recent, o.nrecent, o.rhead
			break
		}
	}
	slot := &h.objs[h.next]
	codes := slot.codes
	*slot = *o
	o.codes = codes[:0] // the slot's old buffer serves the next object
	h.next = (h.next + 1) % objHistoryLen
	h.n = min(h.n+1, objHistoryLen)
}

// sameTextObject is CPDF_TextPage::IsSameTextObject with loose boxes for
// PDFium's glyph outlines.
func sameTextObject(prev, cur *textObject) bool {
	l, b := max(prev.rect[0], cur.rect[0]), max(prev.rect[1], cur.rect[1])
	r, t := min(prev.rect[2], cur.rect[2]), min(prev.rect[3], cur.rect[3])
	if l >= r || b >= t {
		return false
	}
	pw := prev.rect[2] - prev.rect[0]
	if math.Abs((r-l)-pw) > pw/2 || prev.tfs != cur.tfs || !slices.Equal(prev.codes, cur.codes) {
		return false
	}
	maxSize := max(t-b, r-l, cur.tfs)
	return math.Abs(prev.ox-cur.ox) <= 0.9*cur.lastW*cur.tfs && math.Abs(prev.oy-cur.oy) <= maxSize/8
}

// showArray shows the TJ array operand.
func (in *interp) showArray() error {
	gs := &in.gs
	strs := 0
	for _, it := range in.tj {
		if !it.isStr {
			in.advance(-it.num / 1000 * gs.tfs * gs.th)
			continue
		}
		if it.end == it.start {
			continue
		}
		if strs > 0 {
			in.cur.codes = append(in.cur.codes, sepCode)
		}
		strs++
		if err := in.show(in.tjStr[it.start:it.end]); err != nil {
			return err
		}
	}
	return nil
}

// show draws the string s with the current font.
func (in *interp) show(s []byte) error {
	if len(s) == 0 {
		return nil
	}
	gs := &in.gs
	f := gs.font
	if f == nil {
		if gs.fontErr != nil {
			return gs.fontErr
		}
		return fmt.Errorf("%w: text shown without a font", ErrUnsupported)
	}
	// Long strings count towards the operator budget, so invisible text
	// (which no glyph limit counts) cannot multiply the work unseen.
	in.ops += len(s) / stringBytesPerOp
	if in.ops > in.lim.MaxOps {
		return fmt.Errorf("%w: more than %d operators", ErrLimit, in.lim.MaxOps)
	}
	m := in.textMatrix()
	tfs, th := gs.tfs, gs.th
	// The text rendering matrix without its translation: [tfs*th 0 0 tfs] × m.
	ea, eb := tfs*th*m[0], tfs*th*m[1]
	ec, ed := tfs*m[2], tfs*m[3]
	if scale := max(math.Abs(ea), math.Abs(eb), math.Abs(ec), math.Abs(ed)); scale > 0 {
		// Oblique text (a slanted font matrix, as for a synthetic italic)
		// stays on its line; rotated or mirrored text does not.
		if ea < 0 || ed < 0 || math.Abs(eb) > 1e-3*scale || math.Abs(ec) > maxSlant*ed {
			return fmt.Errorf("%w: rotated, skewed or mirrored text [%.3g %.3g %.3g %.3g]", ErrUnsupported, ea, eb, ec, ed)
		}
	}
	// Glyphs drawn with no width (Tf 0, Tz 0) get no box: PDFium's box is
	// empty, and the layout drops them.
	visible := ea > 0
	asc, desc := f.Ascent(), f.Descent()
	if !(asc > desc) || math.IsInf(asc-desc, 0) {
		asc, desc = 0.8, -0.2
	}
	// The loose box is PDFium's: the rectangle from the origin to the
	// advance, from the descent to the ascent, through the text rendering
	// matrix, bounded.
	gm := glyphMetrics{
		f:    f,
		font: gs.fontID,
		ea:   ea,
		eb:   eb,
		left: min(desc*ec, asc*ec),
		wide: max(desc*ec, asc*ec),
		low:  desc * ed,
		high: asc * ed,
		near: 0.07 * ea,
		size: float32(math.Abs(tfs) * math.Hypot(m[2], m[3])),
	}
	st := f.Style()
	gm.bold = st.Bold() || gs.tr == 2 || gs.tr == 6
	// A slanted text matrix is a synthetic italic.
	gm.italic = st.Italic() || ec > 0.1*ed
	gm.family = f.Family()
	for len(s) > 0 {
		code, n := f.Next(s)
		n = min(max(n, 1), len(s))
		w0 := f.Width(code)
		if len(in.cur.codes) < maxObjCodes {
			in.cur.codes = append(in.cur.codes, code)
		} else {
			in.cur.long = true
		}
		in.cur.lastW = w0
		if visible {
			if err := in.emit(&gm, code, n, w0); err != nil {
				return err
			}
		}
		tx := w0*tfs + gs.tc
		if gs.tw != 0 && f.WordSpace(code, n) {
			tx += gs.tw
		}
		in.advance(tx * th)
		s = s[n:]
	}
	return nil
}

// glyphMetrics is what the glyphs of one string share.
type glyphMetrics struct {
	f          glyphFont
	font       int32
	ea, eb     float64 // first column of the text rendering matrix
	left, wide float64 // box edges right of the origin and of the advance
	low, high  float64 // box edges above the origin
	near       float64 // distance under which a repeated glyph is a duplicate
	size       float32
	bold       bool
	italic     bool
	family     uint32
}

// emit appends the glyph for code at the current text position.
func (in *interp) emit(gm *glyphMetrics, code uint32, n int, w0 float64) error {
	m := &in.trm // current: show called textMatrix
	ox := m[4] + in.gs.rise*m[2]
	oy := m[5] + in.gs.rise*m[3]
	l, r := ox+gm.left, ox+w0*gm.ea+gm.wide
	b, t := oy+gm.low+min(0, w0*gm.eb), oy+gm.high+max(0, w0*gm.eb)
	if !(math.Abs(l) < maxCoord && math.Abs(b) < maxCoord && math.Abs(r) < maxCoord && math.Abs(t) < maxCoord) {
		return nil
	}
	o := &in.cur
	if !o.boxed {
		o.boxed = true
		o.ox, o.oy = ox, oy
		o.rect = [4]float64{l, b, r, t}
	} else {
		o.rect[0], o.rect[1] = min(o.rect[0], l), min(o.rect[1], b)
		o.rect[2], o.rect[3] = max(o.rect[2], r), max(o.rect[3], t)
	}
	g := Glyph{L: float32(l), B: float32(b), R: float32(r), T: float32(t), Size: gm.size, Bold: gm.bold, Italic: gm.italic, Family: gm.family}
	text, ok := gm.f.Text(code)
	switch {
	case !ok && text == "":
		if gm.f.WordSpace(code, n) {
			g.Text, g.Space = " ", true
		} else {
			g.Unmapped = true
		}
	case text == " " || text == "\u00a0":
		g.Text, g.Space = " ", true
	case len(text) == 1 && (text[0] < 0x20 || text[0] == 0x7f):
		switch text[0] {
		case '\t', '\n', '\v', '\f', '\r':
			g.Text, g.Space = " ", true
		default:
			return nil // a control character: nothing to read
		}
	case text == "":
		return nil // mapped to nothing on purpose
	default:
		g.Text = text
	}
	if in.duplicate(gm, code, ox, oy) {
		// PDFium also drops a space just before a duplicate that starts
		// its text object.
		if len(o.codes) == 1 && len(in.page.Glyphs) > 0 && in.page.Glyphs[len(in.page.Glyphs)-1].Space {
			in.page.Glyphs = in.page.Glyphs[:len(in.page.Glyphs)-1]
			o.glyphs = min(o.glyphs, len(in.page.Glyphs))
			if in.nrecent > 0 {
				in.rhead = (in.rhead - 1) & (ringLen - 1)
				in.nrecent--
			}
		}
		return nil
	}
	if len(in.page.Glyphs) >= in.lim.MaxGlyphs {
		return fmt.Errorf("%w: more than %d glyphs", ErrLimit, in.lim.MaxGlyphs)
	}
	switch {
	case g.Unmapped:
		in.unmapped++
		in.printed++
	case !g.Space:
		in.printed++
	}
	in.page.Glyphs = append(in.page.Glyphs, g)
	in.recent[in.rhead] = recentGlyph{font: gm.font, code: code, ox: ox, oy: oy}
	in.rhead = (in.rhead + 1) & (ringLen - 1)
	in.nrecent = min(in.nrecent+1, recentLen)
	return nil
}

// duplicate reports a glyph repeating one of the last ones at nearly the
// same place.
func (in *interp) duplicate(gm *glyphMetrics, code uint32, ox, oy float64) bool {
	for i := range in.nrecent {
		r := &in.recent[(in.rhead-1-i)&(ringLen-1)]
		if r.code == code && math.Abs(r.ox-ox) < gm.near && math.Abs(r.oy-oy) < gm.near && r.font == gm.font {
			return true
		}
	}
	return false
}

// history returns the object history of the content stream at form depth
// depth.
func (in *interp) history(depth int) *objHistory {
	for len(in.hist) <= depth {
		var h objHistory
		const codesCap = 128
		backing := make([]uint32, objHistoryLen*codesCap)
		for i := range h.objs {
			h.objs[i].codes = backing[i*codesCap : i*codesCap : (i+1)*codesCap]
		}
		in.hist = append(in.hist, h)
	}
	return &in.hist[depth]
}
