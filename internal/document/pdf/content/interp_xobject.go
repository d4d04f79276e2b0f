package content

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// doXObject draws the XObject named name: a form is interpreted, an image
// counts towards the page's image cover, anything else is ignored (as is a
// name missing from the resources, as readers do).
func (in *interp) doXObject(res *resources, name []byte) error {
	if !res.xobjRead {
		res.xobjRead = true
		res.xobjDict, _ = in.resolve(res.dict["XObject"]).(cos.Dict)
	}
	if len(in.recorders) > 0 {
		in.recordDo() // even for a missing name: another page may have it
	}
	v := res.xobjDict[cos.Name(name)]
	s, ok := in.resolve(v).(*cos.Stream)
	if !ok {
		return nil
	}
	switch sub, _ := in.resolve(s.Dict["Subtype"]).(cos.Name); sub {
	case "Image":
		in.image()
	case "Form":
		ref, _ := v.(cos.Ref)
		return in.drawForm(res, s, ref, name)
	}
	return nil
}

// image records an image drawn in the unit square of the CTM.
func (in *interp) image() {
	for _, r := range in.recorders {
		r.image(in.gs.ctm)
	}
	in.imageAt(in.gs.ctm)
}

// imageAt records an image drawn in the unit square of c.
func (in *interp) imageAt(c matrix) {
	bw, bh := in.box[2]-in.box[0], in.box[3]-in.box[1]
	if !(bw > 0 && bh > 0) {
		return
	}
	x0, x1 := c[4], c[4]
	y0, y1 := c[5], c[5]
	for _, p := range [3][2]float64{{c[0], c[1]}, {c[2], c[3]}, {c[0] + c[2], c[1] + c[3]}} {
		x, y := c[4]+p[0], c[5]+p[1]
		x0, x1 = min(x0, x), max(x1, x)
		y0, y1 = min(y0, y), max(y1, y)
	}
	w := min(x1, in.box[2]) - max(x0, in.box[0])
	h := min(y1, in.box[3]) - max(y0, in.box[1])
	if w > 0 && h > 0 {
		in.page.ImageCover = max(in.page.ImageCover, min(1, w*h/(bw*bh)))
	}
}

// drawForm interprets a form XObject in its own graphics state; ref is its
// reference (zero when unknown).
func (in *interp) drawForm(parent *resources, s *cos.Stream, ref cos.Ref, name []byte) error {
	for _, open := range in.formStack {
		if open == s {
			in.failRecorders()
			return nil // a form drawing itself: readers skip the loop
		}
	}
	if len(in.formStack) >= in.lim.MaxFormDepth {
		return fmt.Errorf("%w: forms nested deeper than %d", ErrLimit, in.lim.MaxFormDepth)
	}
	if ref != (cos.Ref{}) {
		if facts := in.fonts.formFacts(ref); facts != nil {
			return in.replayForm(facts)
		}
	}
	fm := in.form(s)
	if fm.err != nil {
		return fmt.Errorf("%w: form /%s: %w", ErrUnsupported, name, fm.err)
	}
	// A form drawn many times is read many times: its bytes count towards
	// the operator budget, so forms of long strings or inline images that
	// draw each other cannot multiply the work unseen.
	charge := len(fm.data) / formBytesPerOp
	in.ops += charge
	if in.ops > in.lim.MaxOps {
		return fmt.Errorf("%w: more than %d operators", ErrLimit, in.lim.MaxOps)
	}

	// Save everything the form may change; the text matrices too, for the
	// (invalid but seen) form drawn inside a text object.
	saved, tm, tlm := in.gs, in.tm, in.tlm
	depth, base, overflow := len(in.stack), in.base, in.overflow
	in.gs.ctm = fm.m.mul(in.gs.ctm)
	in.dirty = true
	in.base, in.overflow = depth, 0
	in.formStack = append(in.formStack, s)
	res := fm.res
	if res == nil {
		res = parent // a form without /Resources uses its drawer's
	}
	in.formOwnRes = append(in.formOwnRes, fm.res != nil)
	h := in.history(len(in.formStack))
	h.n, h.next = 0, 0 // a form is a content stream of its own
	rec := in.startRecording(ref, fm, charge)

	err := in.run(fm.data, res)

	in.stopRecording(rec, err)
	in.formStack = in.formStack[:len(in.formStack)-1]
	in.formOwnRes = in.formOwnRes[:len(in.formOwnRes)-1]
	in.gs, in.tm, in.tlm = saved, tm, tlm
	in.stack = in.stack[:depth]
	in.base, in.overflow = base, overflow
	in.dirty = true
	in.clearOperands()
	return err
}

// form returns the decoded form s, decoding it on first use in the page.
func (in *interp) form(s *cos.Stream) *form {
	if fm, ok := in.forms[s]; ok {
		return fm
	}
	fm := &form{m: identity}
	if in.r == nil {
		fm.err = errors.New("no resolver")
	} else {
		fm.data, fm.err = in.r.Decode(s)
	}
	if a, ok := in.resolve(s.Dict["Matrix"]).(cos.Array); ok && len(a) == 6 {
		var m matrix
		good := true
		for i, o := range a {
			v, ok := cos.Num(in.resolve(o))
			good = good && ok
			m[i] = v
		}
		if good {
			fm.m = m
		}
	}
	if rd, ok := in.resolve(s.Dict["Resources"]).(cos.Dict); ok {
		fm.res = &resources{dict: rd}
	}
	if in.forms == nil {
		in.forms = make(map[*cos.Stream]*form)
	}
	in.forms[s] = fm
	return fm
}

// formBytesPerOp is how many bytes of a form's content cost one operator of
// the budget each time it is drawn.
const formBytesPerOp = 2

// maxInlineKeys bounds an inline image's dictionary.
const maxInlineKeys = 64

// inlineImage reads an inline image after BI: its dictionary, ID, the data
// (skipped), EI. The image counts towards the page's image cover.
func (in *interp) inlineImage(lx *cos.Lexer) error {
	var (
		w, h, bpc, length  = -1.0, -1.0, -1.0, -1.0
		comps              = 0.0
		filtered, imask    bool
		sawID              bool
		key                cos.Name
		keys               int
		colorKnown, csSeen bool
	)
	for keys < maxInlineKeys {
		t := lx.Next()
		if t.Kind == cos.TokEOF {
			return nil
		}
		if t.Kind == cos.TokKeyword && string(t.Bytes) == "ID" {
			sawID = true
			break
		}
		if t.Kind == cos.TokKeyword && string(t.Bytes) == "EI" {
			return nil // no data: nothing is drawn
		}
		if t.Kind != cos.TokName {
			continue
		}
		key = cos.Name(t.Bytes)
		keys++
		v, err := lx.Object()
		if err != nil {
			return nil
		}
		if k, ok := v.(cos.Keyword); ok && k == "ID" {
			sawID = true
			break
		}
		switch key {
		case "W", "Width":
			w, _ = cos.Num(v)
		case "H", "Height":
			h, _ = cos.Num(v)
		case "BPC", "BitsPerComponent":
			bpc, _ = cos.Num(v)
		case "L", "Length":
			if n, ok := cos.Num(v); ok {
				length = n
			}
		case "IM", "ImageMask":
			imask = v == true
		case "F", "Filter":
			switch f := v.(type) {
			case cos.Name:
				filtered = true
			case cos.Array:
				filtered = len(f) > 0
			}
		case "CS", "ColorSpace":
			csSeen = true
			switch v {
			case cos.Name("G"), cos.Name("DeviceGray"), cos.Name("CalGray"):
				comps, colorKnown = 1, true
			case cos.Name("RGB"), cos.Name("DeviceRGB"), cos.Name("CalRGB"):
				comps, colorKnown = 3, true
			case cos.Name("CMYK"), cos.Name("DeviceCMYK"):
				comps, colorKnown = 4, true
			}
		}
	}
	if !sawID {
		return nil
	}
	in.image()

	data := lx.Data()
	start := lx.Pos()
	if start < len(data) && isWhite(data[start]) {
		start++ // the single white-space byte after ID
	}
	if imask {
		comps, colorKnown, bpc = 1, true, 1
	} else if !csSeen {
		colorKnown = false
	}
	// The data's length: given, or computable for unfiltered data.
	n := -1.0
	switch {
	case length >= 0:
		n = length
	case !filtered && colorKnown && w > 0 && h > 0 && bpc > 0:
		n = math.Ceil(w*comps*bpc/8) * h
	}
	if n >= 0 && n <= float64(len(data)-start) {
		if end, ok := eiAt(data, start+int(n)); ok {
			lx.Seek(end)
			return nil
		}
	}
	lx.Seek(scanEI(data, start))
	return nil
}

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// eiAt reports whether EI (after optional white space) ends the image data
// at pos, and the offset after it.
func eiAt(data []byte, pos int) (int, bool) {
	for pos < len(data) && isWhite(data[pos]) {
		pos++
	}
	if pos+2 <= len(data) && data[pos] == 'E' && data[pos+1] == 'I' && (pos+2 == len(data) || isWhite(data[pos+2])) {
		return pos + 2, true
	}
	return 0, false
}

// scanEI finds the end of inline image data from start: the first EI with
// white space before it and white space or the end of the data after it.
// Without one the image runs to the end of the data.
func scanEI(data []byte, start int) int {
	from := max(start-1, 0)
	for from < len(data) {
		i := bytes.Index(data[from:], []byte("EI"))
		if i < 0 {
			break
		}
		i += from
		if i > 0 && isWhite(data[i-1]) && (i+2 == len(data) || isWhite(data[i+2])) {
			return i + 2
		}
		from = i + 1
	}
	return len(data)
}
