package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"

	"golang.org/x/image/ccitt"

	"github.com/corpora-tools/corpora/internal/document/ocr"
	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// errImageUnsupported says a page's image is not one scanGray decodes
// (JBIG2, JPEG 2000, a soft mask, a colour space it does not convert...):
// the page is rendered instead.
var errImageUnsupported = errors.New("image left to rendering")

// scanDPI is the resolution scans are handed to Tesseract at when their own
// is far from it, as pages are rendered (ocrDPI).
const scanDPI = ocrDPI

// maxScanPixels bounds the pixels of an image decoded in Go.
const maxScanPixels = 200_000_000

// scanGray decodes img and places it as page pg shows it: the crop box,
// the image's placement (rotation, flips, scale), the page's /Rotate, at
// the image's own resolution when that is near 300 dpi and resampled to
// 300 dpi otherwise, within maxPixels.
func (fd *fastDoc) scanGray(img placedImage, pg cos.Page, maxPixels int64) (g ocr.Gray, err error) {
	defer func() {
		if v := recover(); v != nil {
			g, err = ocr.Gray{}, fmt.Errorf("%w: internal error: %v", errImageUnsupported, v)
		}
	}()
	src, w, h, err := fd.decodeImage(img.s)
	if err != nil {
		return g, err
	}
	g, err = place(src, w, h, img.ctm, pg.CropBox, maxPixels)
	if err != nil {
		return g, err
	}
	return ocr.Rotate(g, pg.Rotate), nil
}

func (fd *fastDoc) resolve(o cos.Object) cos.Object {
	v, err := fd.f.Resolve(o)
	if err != nil {
		return nil
	}
	return v
}

func (fd *fastDoc) intOf(o cos.Object, def int) int {
	if v, ok := cos.Int(fd.resolve(o)); ok {
		return int(v)
	}
	return def
}

// decodeImage returns the image's pixels as 8-bit gray (0 black), row by
// row, with its /Decode array and, for a stencil mask, black for painted.
func (fd *fastDoc) decodeImage(s *cos.Stream) (pix []byte, w, h int, err error) {
	d := s.Dict
	w, h = fd.intOf(d["Width"], 0), fd.intOf(d["Height"], 0)
	if w <= 0 || h <= 0 || int64(w)*int64(h) > maxScanPixels {
		return nil, 0, 0, fmt.Errorf("%w: image of %dx%d pixels", errImageUnsupported, w, h)
	}
	if d["SMask"] != nil || d["Mask"] != nil {
		return nil, 0, 0, fmt.Errorf("%w: masked image", errImageUnsupported)
	}
	mask, _ := fd.resolve(d["ImageMask"]).(bool)
	if im, _ := fd.resolve(d["IM"]).(bool); im {
		mask = true
	}
	bpc := fd.intOf(d["BitsPerComponent"], 8)
	var cs colorSpace
	if mask {
		bpc, cs = 1, colorSpace{n: 1}
	} else if cs, err = fd.colorSpace(d["ColorSpace"], 0); err != nil {
		return nil, 0, 0, err
	}
	var decode []float64
	if a, ok := fd.resolve(d["Decode"]).(cos.Array); ok {
		for _, o := range a {
			v, _ := cos.Num(fd.resolve(o))
			decode = append(decode, v)
		}
	}
	limit := int64(w)*int64(h)*int64(max(cs.n, 1))*int64(max(bpc, 8))/8 + 1<<20
	data, codec, parms, err := fd.f.DecodeImage(s, limit)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: %v", errImageUnsupported, err)
	}
	switch codec {
	case "":
		pix, err = samplesToGray(data, w, h, bpc, cs, decode)
		return pix, w, h, err
	case "DCTDecode":
		return decodeJPEG(data, decode)
	case "CCITTFaxDecode":
		pix, err = fd.decodeCCITT(data, parms, w, h)
		if err == nil && len(decode) >= 2 && decode[0] > decode[1] {
			for i, v := range pix {
				pix[i] = 255 - v
			}
		}
		return pix, w, h, err
	}
	return nil, 0, 0, fmt.Errorf("%w: %s", errImageUnsupported, codec)
}

// colorSpace is what decodeImage converts from: n components, or an
// indexed palette of base components.
type colorSpace struct {
	n       int    // components of a sample (1 for indexed)
	base    int    // indexed: components of a palette entry (1, 3 or 4)
	palette []byte // indexed: the lookup table
	hival   int
}

func (fd *fastDoc) colorSpace(o cos.Object, depth int) (colorSpace, error) {
	if depth > 4 {
		return colorSpace{}, fmt.Errorf("%w: colour space nested too deep", errImageUnsupported)
	}
	switch v := fd.resolve(o).(type) {
	case nil:
		return colorSpace{n: 1}, nil // missing: treat as gray
	case cos.Name:
		switch v {
		case "DeviceGray", "G", "CalGray":
			return colorSpace{n: 1}, nil
		case "DeviceRGB", "RGB", "CalRGB":
			return colorSpace{n: 3}, nil
		case "DeviceCMYK", "CMYK":
			return colorSpace{n: 4}, nil
		}
	case cos.Array:
		if len(v) == 0 {
			break
		}
		kind, _ := fd.resolve(v[0]).(cos.Name)
		switch kind {
		case "CalGray", "CalRGB", "DeviceGray", "DeviceRGB", "DeviceCMYK", "G", "RGB", "CMYK":
			return fd.colorSpace(kind, depth+1)
		case "ICCBased":
			if len(v) < 2 {
				break
			}
			if st, ok := fd.resolve(v[1]).(*cos.Stream); ok {
				switch fd.intOf(st.Dict["N"], 0) {
				case 1:
					return colorSpace{n: 1}, nil
				case 3:
					return colorSpace{n: 3}, nil
				case 4:
					return colorSpace{n: 4}, nil
				}
			}
		case "Indexed", "I":
			if len(v) < 4 {
				break
			}
			base, err := fd.colorSpace(v[1], depth+1)
			if err != nil || base.base != 0 {
				break
			}
			hival := fd.intOf(v[2], -1)
			var pal []byte
			switch t := fd.resolve(v[3]).(type) {
			case cos.String:
				pal = t
			case *cos.Stream:
				pal, err = fd.f.Decode(t)
				if err != nil {
					break
				}
			}
			if hival < 0 || hival > 255 || len(pal) < (hival+1)*base.n {
				break
			}
			return colorSpace{n: 1, base: base.n, palette: pal, hival: hival}, nil
		}
	}
	return colorSpace{}, fmt.Errorf("%w: colour space %v", errImageUnsupported, o)
}

// grayOf converts one colour of n components (0..255 each) to gray.
func grayOf(c []byte) byte {
	switch len(c) {
	case 3:
		return byte((299*int(c[0]) + 587*int(c[1]) + 114*int(c[2]) + 500) / 1000)
	case 4:
		k := (30*int(c[0])+59*int(c[1])+11*int(c[2]))/100 + int(c[3])
		return byte(255 - min(k, 255))
	}
	return c[0]
}

// samplesToGray converts uncompressed samples (rows padded to a byte) to
// gray, applying the /Decode array.
func samplesToGray(data []byte, w, h, bpc int, cs colorSpace, decode []float64) ([]byte, error) {
	switch bpc {
	case 1, 2, 4, 8, 16:
	default:
		return nil, fmt.Errorf("%w: %d bits per component", errImageUnsupported, bpc)
	}
	n := cs.n
	rowBytes := (w*n*bpc + 7) / 8
	if len(data) < rowBytes*h {
		// A short stream: the missing rows stay white, as readers show.
		data = append(data, bytes.Repeat([]byte{0xFF}, rowBytes*h-len(data))...)
	}
	maxv := (1 << bpc) - 1
	if bpc == 16 {
		maxv = 255 // the high byte of each sample is used
	}
	// lut[c][v] is component c's value 0..255 for sample v (for an indexed
	// image: the palette index).
	lut := make([][]byte, n)
	for c := range n {
		lo, hi := 0.0, 1.0
		if cs.palette != nil {
			hi = float64(maxv)
		}
		if len(decode) >= 2*c+2 {
			lo, hi = decode[2*c], decode[2*c+1]
		}
		lut[c] = make([]byte, maxv+1)
		for v := 0; v <= maxv; v++ {
			x := lo + float64(v)*(hi-lo)/float64(maxv)
			if cs.palette != nil {
				lut[c][v] = byte(min(max(math.Round(x), 0), float64(cs.hival)))
			} else {
				lut[c][v] = byte(min(max(math.Round(x*255), 0), 255))
			}
		}
	}
	// The gray of each palette entry.
	var palGray []byte
	if cs.palette != nil {
		palGray = make([]byte, cs.hival+1)
		for i := range palGray {
			palGray[i] = grayOf(cs.palette[i*cs.base : (i+1)*cs.base])
		}
	}
	out := make([]byte, w*h)
	comp := make([]byte, n)
	for y := range h {
		row := data[y*rowBytes : (y+1)*rowBytes]
		o := out[y*w : (y+1)*w]
		switch {
		case bpc == 8 && n == 1 && palGray == nil:
			l := lut[0]
			for x := range w {
				o[x] = l[row[x]]
			}
		case bpc == 1 && n == 1 && palGray == nil:
			l0, l1 := lut[0][0], lut[0][1]
			for x := range w {
				if row[x>>3]&(0x80>>(x&7)) != 0 {
					o[x] = l1
				} else {
					o[x] = l0
				}
			}
		default:
			bit := 0
			for x := range w {
				for c := range n {
					var v int
					switch bpc {
					case 8:
						v = int(row[bit>>3])
					case 16:
						v = int(row[bit>>3])
					default:
						v = int(row[bit>>3]>>(8-bpc-bit&7)) & maxv
					}
					bit += bpc
					comp[c] = lut[c][v]
				}
				if palGray != nil {
					o[x] = palGray[comp[0]]
				} else {
					o[x] = grayOf(comp)
				}
			}
		}
	}
	return out, nil
}

// decodeJPEG decodes DCT data to gray: the luma of a colour JPEG, gray
// from ink for CMYK (inverted when /Decode says so, as Adobe's are).
func decodeJPEG(data []byte, decode []float64) ([]byte, int, int, error) {
	im, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: JPEG: %v", errImageUnsupported, err)
	}
	b := im.Bounds()
	w, h := b.Dx(), b.Dy()
	out := make([]byte, w*h)
	invert := len(decode) >= 2 && decode[0] > decode[1]
	switch m := im.(type) {
	case *image.Gray:
		for y := range h {
			copy(out[y*w:(y+1)*w], m.Pix[y*m.Stride:])
		}
	case *image.YCbCr:
		for y := range h {
			copy(out[y*w:(y+1)*w], m.Y[y*m.YStride:])
		}
	case *image.CMYK:
		c := make([]byte, 4)
		for y := range h {
			row := m.Pix[y*m.Stride:]
			for x := range w {
				copy(c, row[4*x:4*x+4])
				if invert {
					for i := range c {
						c[i] = 255 - c[i]
					}
				}
				out[y*w+x] = grayOf(c)
			}
		}
		return out, w, h, nil
	default:
		return nil, 0, 0, fmt.Errorf("%w: JPEG of %T", errImageUnsupported, im)
	}
	if invert {
		for i, v := range out {
			out[i] = 255 - v
		}
	}
	return out, w, h, nil
}

// decodeCCITT decodes CCITT G3 (one-dimensional) or G4 fax data to gray.
func (fd *fastDoc) decodeCCITT(data []byte, p cos.Dict, w, h int) ([]byte, error) {
	k := fd.intOf(p["K"], 0)
	cols := fd.intOf(p["Columns"], 1728)
	rows := fd.intOf(p["Rows"], h)
	if rows <= 0 {
		rows = h
	}
	black1, _ := fd.resolve(p["BlackIs1"]).(bool)
	align, _ := fd.resolve(p["EncodedByteAlign"]).(bool)
	if cols != w || int64(cols)*int64(rows) > maxScanPixels {
		return nil, fmt.Errorf("%w: CCITT %dx%d for a %dx%d image", errImageUnsupported, cols, rows, w, h)
	}
	sf := ccitt.Group3
	switch {
	case k < 0:
		sf = ccitt.Group4
	case k > 0:
		return nil, fmt.Errorf("%w: CCITT G3 2-D", errImageUnsupported)
	}
	r := ccitt.NewReader(bytes.NewReader(data), ccitt.MSB, sf, cols, rows, &ccitt.Options{Align: align, Invert: black1})
	rowBytes := (cols + 7) / 8
	bits := make([]byte, rowBytes*rows)
	got, err := io.ReadFull(r, bits)
	if got < rowBytes {
		return nil, fmt.Errorf("%w: CCITT: %v", errImageUnsupported, err)
	}
	// Rows the data does not reach stay white, as readers show them.
	out := bytes.Repeat([]byte{0xFF}, w*h)
	for y := range min(got/rowBytes, h) {
		row := bits[y*rowBytes:]
		o := out[y*w : (y+1)*w]
		for x := range o {
			if row[x>>3]&(0x80>>(x&7)) == 0 {
				o[x] = 0
			}
		}
	}
	return out, nil
}

// place draws the w x h image src (gray) through ctm (its unit square to
// user space) into the crop box, at the image's resolution when it is
// between 200 and 400 dpi and at scanDPI otherwise, within maxPixels:
// nearest sample at about its own resolution, the mean of a grid of
// samples when shrinking, bilinear when enlarging. Outside the image the
// page is white.
func place(src []byte, w, h int, ctm [6]float64, box [4]float64, maxPixels int64) (ocr.Gray, error) {
	bw, bh := box[2]-box[0], box[3]-box[1]
	det := ctm[0]*ctm[3] - ctm[1]*ctm[2]
	native := imageDPI(w, h, ctm)
	if !(bw > 0 && bh > 0) || det == 0 || !(native > 0) || math.IsInf(native, 0) {
		return ocr.Gray{}, fmt.Errorf("%w: degenerate placement", errImageUnsupported)
	}
	dpi := native
	if dpi < 200 || dpi > 400 {
		dpi = scanDPI
	}
	if px := bw * bh * dpi * dpi / (72 * 72); px > float64(maxPixels) {
		dpi *= math.Sqrt(float64(maxPixels) / px)
	}
	scale := dpi / 72 // output pixels per point
	ow, oh := int(bw*scale+0.5), int(bh*scale+0.5)
	if ow < 1 || oh < 1 || int64(ow)*int64(oh) > max(maxPixels, 1)*11/10 {
		return ocr.Gray{}, fmt.Errorf("%w: page of %dx%d pixels", errImageUnsupported, ow, oh)
	}
	// at maps an output pixel position to a source pixel position.
	at := func(px, py float64) (float64, float64) {
		x := box[0] + px/scale
		y := box[3] - py/scale
		x, y = x-ctm[4], y-ctm[5]
		u := (ctm[3]*x - ctm[2]*y) / det
		v := (-ctm[1]*x + ctm[0]*y) / det
		return u * float64(w), (1 - v) * float64(h)
	}
	x0, y0 := at(0, 0)
	x1, y1 := at(1, 0)
	x2, y2 := at(0, 1)
	dxx, dxy := x1-x0, y1-y0 // source step per output pixel to the right
	dyx, dyy := x2-x0, y2-y0 // ... and down
	ratio := math.Sqrt(math.Abs(dxx*dyy - dxy*dyx))
	out := make([]byte, ow*oh)
	sample := func(sx, sy float64) int {
		if sx < 0 || sy < 0 {
			return 255
		}
		ix, iy := int(sx), int(sy)
		if ix >= w || iy >= h {
			return 255
		}
		return int(src[iy*w+ix])
	}
	switch {
	case ratio > 1.5:
		k := min(int(math.Ceil(ratio)), 8)
		var offs []float64
		for i := range k {
			offs = append(offs, (float64(i)+0.5)/float64(k))
		}
		kk := k * k
		for py := range oh {
			for px := range ow {
				sum := 0
				for _, oy := range offs {
					for _, ox := range offs {
						sx := x0 + (float64(px)+ox)*dxx + (float64(py)+oy)*dyx
						sy := y0 + (float64(px)+ox)*dxy + (float64(py)+oy)*dyy
						sum += sample(sx, sy)
					}
				}
				out[py*ow+px] = byte((sum + kk/2) / kk)
			}
		}
	case ratio < 0.75:
		for py := range oh {
			for px := range ow {
				sx := x0 + (float64(px)+0.5)*dxx + (float64(py)+0.5)*dyx - 0.5
				sy := y0 + (float64(px)+0.5)*dxy + (float64(py)+0.5)*dyy - 0.5
				fx, fy := math.Floor(sx), math.Floor(sy)
				ax, ay := sx-fx, sy-fy
				// Clamp to the image's edge, white beyond it.
				v00 := sampleClamp(src, w, h, fx, fy)
				v10 := sampleClamp(src, w, h, fx+1, fy)
				v01 := sampleClamp(src, w, h, fx, fy+1)
				v11 := sampleClamp(src, w, h, fx+1, fy+1)
				v := (1-ay)*((1-ax)*v00+ax*v10) + ay*((1-ax)*v01+ax*v11)
				out[py*ow+px] = byte(v + 0.5)
			}
		}
	default:
		for py := range oh {
			sx := x0 + 0.5*dxx + (float64(py)+0.5)*dyx
			sy := y0 + 0.5*dxy + (float64(py)+0.5)*dyy
			row := out[py*ow : (py+1)*ow]
			for px := range row {
				row[px] = byte(sample(sx, sy))
				sx += dxx
				sy += dxy
			}
		}
	}
	return ocr.Gray{Pix: out, W: ow, H: oh, DPI: int(dpi + 0.5)}, nil
}

// sampleClamp is the sample at (x, y), the nearest edge sample just outside
// the image and white farther out.
func sampleClamp(src []byte, w, h int, x, y float64) float64 {
	if x < -1 || y < -1 || x > float64(w) || y > float64(h) {
		return 255
	}
	ix := min(max(int(x), 0), w-1)
	iy := min(max(int(y), 0), h-1)
	return float64(src[iy*w+ix])
}
