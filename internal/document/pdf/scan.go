package pdf

import (
	"math"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// A scanned page is usually one image covering the page. Its OCR needs no
// rendering: the image is decoded in Go (scan_decode.go), placed as the page
// shows it, and handed to Tesseract. placedImage finds that image.

// placedImage is an image XObject and where the page draws it.
type placedImage struct {
	s   *cos.Stream
	ctm [6]float64 // maps the image's unit square to default user space
}

// Bounds on the content a page may have and still be read as one image.
const (
	scanMaxOps    = 2000 // operators, forms included
	scanMaxForms  = 4    // form nesting
	scanMinCover  = 0.85 // the image's share of the crop box
	scanMaxOthers = 0.02 // the largest other image's share
)

// fullPageImage returns the page's one full-page image: the largest image
// drawn covers at least scanMinCover of the crop box and no other image more
// than scanMaxOthers. Inline images, soft masks and anything it cannot
// follow give ok false (the page is then rendered).
func (fd *fastDoc) fullPageImage(pg cos.Page) (img placedImage, ok bool) {
	defer func() {
		if v := recover(); v != nil {
			ok = false
		}
	}()
	data, err := fd.contents(pg)
	if err != nil {
		return img, false
	}
	w := &imageWalker{f: fd.f}
	if !w.run(data, pg.Resources, [6]float64{1, 0, 0, 1, 0, 0}, 0) || len(w.found) == 0 {
		return img, false
	}
	box := pg.CropBox
	area := (box[2] - box[0]) * (box[3] - box[1])
	if !(area > 0) {
		return img, false
	}
	best, bestCover, second := -1, 0.0, 0.0
	for i, p := range w.found {
		c := coverOf(p.ctm, box) / area
		switch {
		case c > bestCover:
			second, best, bestCover = bestCover, i, c
		case c > second:
			second = c
		}
	}
	if best < 0 || bestCover < scanMinCover || second > scanMaxOthers {
		return img, false
	}
	return w.found[best], true
}

// coverOf is the area of the unit square's bounding box through m inside
// box.
func coverOf(m [6]float64, box [4]float64) float64 {
	x0, x1 := m[4], m[4]
	y0, y1 := m[5], m[5]
	for _, p := range [3][2]float64{{m[0], m[1]}, {m[2], m[3]}, {m[0] + m[2], m[1] + m[3]}} {
		x, y := m[4]+p[0], m[5]+p[1]
		x0, x1 = min(x0, x), max(x1, x)
		y0, y1 = min(y0, y), max(y1, y)
	}
	w := min(x1, box[2]) - max(x0, box[0])
	h := min(y1, box[3]) - max(y0, box[1])
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// imageWalker follows q, Q, cm and Do through a content stream and its
// forms, collecting the images drawn.
type imageWalker struct {
	f     *cos.File
	ops   int
	found []placedImage
}

// mul returns a then b: the matrix that applies a first.
func mul(a, b [6]float64) [6]float64 {
	return [6]float64{
		a[0]*b[0] + a[1]*b[2], a[0]*b[1] + a[1]*b[3],
		a[2]*b[0] + a[3]*b[2], a[2]*b[1] + a[3]*b[3],
		a[4]*b[0] + a[5]*b[2] + b[4], a[4]*b[1] + a[5]*b[3] + b[5],
	}
}

// run walks one content stream; false means the page is not one it reads.
func (w *imageWalker) run(data []byte, res cos.Dict, ctm [6]float64, depth int) bool {
	var xobj cos.Dict
	if o, err := w.f.Resolve(res["XObject"]); err == nil {
		xobj, _ = o.(cos.Dict)
	}
	var stack [][6]float64
	var nums []float64
	var name cos.Name
	lx := cos.NewLexer(data, 0)
	for {
		t := lx.Next()
		switch t.Kind {
		case cos.TokEOF:
			return true
		case cos.TokNumber:
			nums = append(nums, t.Num)
			continue
		case cos.TokName:
			name = cos.Name(t.Bytes)
			continue
		case cos.TokKeyword:
		default:
			nums = nums[:0]
			continue
		}
		w.ops++
		if w.ops > scanMaxOps {
			return false
		}
		switch string(t.Bytes) {
		case "q":
			if len(stack) > 64 {
				return false
			}
			stack = append(stack, ctm)
		case "Q":
			if len(stack) > 0 {
				ctm = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(nums) >= 6 {
				var m [6]float64
				copy(m[:], nums[len(nums)-6:])
				ctm = mul(m, ctm)
			}
		case "BI":
			return false // an inline image: rendered instead
		case "Do":
			if !w.do(xobj, name, ctm, depth) {
				return false
			}
		}
		nums = nums[:0]
	}
}

// do follows one Do operator.
func (w *imageWalker) do(xobj cos.Dict, name cos.Name, ctm [6]float64, depth int) bool {
	o, err := w.f.Resolve(xobj[name])
	if err != nil {
		return false
	}
	s, ok := o.(*cos.Stream)
	if !ok {
		return true // a missing XObject draws nothing
	}
	sub, _ := w.resolve(s.Dict["Subtype"]).(cos.Name)
	switch sub {
	case "Image":
		w.found = append(w.found, placedImage{s: s, ctm: ctm})
		return len(w.found) <= 64
	case "Form":
		if depth >= scanMaxForms {
			return false
		}
		m := [6]float64{1, 0, 0, 1, 0, 0}
		if a, ok := w.resolve(s.Dict["Matrix"]).(cos.Array); ok && len(a) == 6 {
			for i, v := range a {
				if x, ok := cos.Num(w.resolve(v)); ok {
					m[i] = x
				}
			}
		}
		data, err := w.f.Decode(s)
		if err != nil {
			return false
		}
		res, _ := w.resolve(s.Dict["Resources"]).(cos.Dict)
		if res == nil {
			res = cos.Dict{"XObject": xobj}
		}
		return w.run(data, res, mul(m, ctm), depth+1)
	}
	return true
}

func (w *imageWalker) resolve(o cos.Object) cos.Object {
	v, err := w.f.Resolve(o)
	if err != nil {
		return nil
	}
	return v
}

// imageDPI is the resolution at which the page shows img's pixels: its
// pixels per inch along the image's wider-sampled axis.
func imageDPI(width, height int, m [6]float64) float64 {
	sx := math.Hypot(m[0], m[1])
	sy := math.Hypot(m[2], m[3])
	if !(sx > 0 && sy > 0) {
		return 0
	}
	return 72 * max(float64(width)/sx, float64(height)/sy)
}

// decodable reports whether decodeImage can decode s, from its dictionary
// alone: no mask, a colour space it converts, and its codec, if any, JPEG
// or CCITT (one-dimensional G3 or G4). JBIG2 and JPEG 2000 are rendered.
func (fd *fastDoc) decodable(s *cos.Stream) bool {
	d := s.Dict
	if d["SMask"] != nil || d["Mask"] != nil {
		return false
	}
	mask, _ := fd.resolve(d["ImageMask"]).(bool)
	if !mask {
		if _, err := fd.colorSpace(d["ColorSpace"], 0); err != nil {
			return false
		}
	}
	filters := fd.resolve(d["Filter"])
	parms := fd.resolve(d["DecodeParms"])
	if a, ok := filters.(cos.Array); ok && len(a) > 0 {
		filters = fd.resolve(a[len(a)-1])
		if pa, ok := parms.(cos.Array); ok && len(pa) == len(a) {
			parms = fd.resolve(pa[len(pa)-1])
		}
	}
	switch name, _ := filters.(cos.Name); name {
	case "", "FlateDecode", "Fl", "LZWDecode", "LZW", "RunLengthDecode", "RL",
		"ASCIIHexDecode", "AHx", "ASCII85Decode", "A85", "DCTDecode", "DCT":
		return true
	case "CCITTFaxDecode", "CCF":
		p, _ := parms.(cos.Dict)
		return fd.intOf(p["K"], 0) <= 0
	}
	return false
}
