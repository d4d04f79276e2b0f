package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/ocr"
)

// scanLines is the text of the test scans.
var scanLines = []string{
	"THE EMBER DRAKE SLEEPS",
	"under the ash of the old mountain,",
	"and the river runs cold below it.",
	"The wardens keep the gate at night.",
}

// scanImage draws scanLines with the 7x13 bitmap font, each pixel a
// scale x scale block, black on white: print-sized letters at 300 dpi.
func scanImage(scale int) *image.Gray {
	small := image.NewGray(image.Rect(0, 0, 300, 16+len(scanLines)*16))
	draw.Draw(small, small.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: small, Src: image.Black, Face: basicfont.Face7x13}
	for i, l := range scanLines {
		d.Dot = fixed.P(12, 20+i*16)
		d.DrawString(l)
	}
	b := small.Bounds()
	big := image.NewGray(image.Rect(0, 0, b.Dx()*scale, b.Dy()*scale))
	for y := range big.Bounds().Dy() {
		for x := range big.Bounds().Dx() {
			big.Pix[y*big.Stride+x] = small.Pix[(y/scale)*small.Stride+x/scale]
		}
	}
	return big
}

// scanPDF is a one-page PDF drawing one image XObject (dict and data) with
// the content stream content, on a page of w x h points (extra: more page
// entries).
func scanPDF(w, h float64, extra, content, dict string, data []byte) []byte {
	return pdfOf(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] %s /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>", w, h, extra),
		stream("", content),
		stream("/Type /XObject /Subtype /Image "+dict, string(data)),
	)
}

// fullPage is the content stream drawing /Im0 over a w x h page.
func fullPage(w, h float64) string { return fmt.Sprintf("q %g 0 0 %g 0 0 cm /Im0 Do Q", w, h) }

func zlibOf(b []byte) []byte {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// packBits packs a gray image to 1 bit per pixel (1 for white unless
// inverted), rows padded to a byte.
func packBits(g *image.Gray, invert bool) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	rb := (w + 7) / 8
	out := make([]byte, rb*h)
	for y := range h {
		for x := range w {
			white := g.Pix[y*g.Stride+x] >= 128
			if white != invert {
				out[y*rb+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	return out
}

// pngUp applies the PNG "Up" filter to every row (Predictor 15 data).
func pngUp(pix []byte, rowBytes int) []byte {
	var out []byte
	prev := make([]byte, rowBytes)
	for y := 0; y*rowBytes < len(pix); y++ {
		row := pix[y*rowBytes : (y+1)*rowBytes]
		out = append(out, 2)
		for i, v := range row {
			out = append(out, v-prev[i])
		}
		prev = row
	}
	return out
}

// tiffDiff applies TIFF predictor 2 (horizontal differencing) to 8-bit rows
// of n components.
func tiffDiff(pix []byte, rowBytes, n int) []byte {
	out := make([]byte, len(pix))
	for y := 0; y*rowBytes < len(pix); y++ {
		row := pix[y*rowBytes : (y+1)*rowBytes]
		o := out[y*rowBytes:]
		for i := range row {
			if i < n {
				o[i] = row[i]
			} else {
				o[i] = row[i] - row[i-n]
			}
		}
	}
	return out
}

// rotateGray turns g clockwise by deg (0, 90, 180, 270).
func rotateGray(g *image.Gray, deg int) *image.Gray {
	r := ocr.Rotate(ocr.Gray{Pix: g.Pix, W: g.Rect.Dx(), H: g.Rect.Dy()}, deg)
	return &image.Gray{Pix: r.Pix, Stride: r.W, Rect: image.Rect(0, 0, r.W, r.H)}
}

// scanCase is one way of storing and placing the test scan.
type scanCase struct {
	name string
	pdf  func(g *image.Gray, w, h float64) []byte
}

func scanCases(t testing.TB) []scanCase {
	jpegOf := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	dims := func(g *image.Gray) string { return fmt.Sprintf("/Width %d /Height %d", g.Rect.Dx(), g.Rect.Dy()) }
	rgb := func(g *image.Gray, cmyk bool) []byte {
		var out []byte
		for _, v := range g.Pix {
			if cmyk {
				out = append(out, 0, 0, 0, 255-v)
			} else {
				out = append(out, v, v/2+128, v) // greenish paper, dark ink
			}
		}
		return out
	}
	return []scanCase{
		{"flate-gray8", func(g *image.Gray, w, h float64) []byte {
			return scanPDF(w, h, "", fullPage(w, h), dims(g)+" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", zlibOf(g.Pix))
		}},
		{"flate-png-predictor", func(g *image.Gray, w, h float64) []byte {
			return scanPDF(w, h, "", fullPage(w, h), dims(g)+fmt.Sprintf(" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors 1 /BitsPerComponent 8 /Columns %d >>", g.Rect.Dx()),
				zlibOf(pngUp(g.Pix, g.Rect.Dx())))
		}},
		{"flate-tiff-predictor-rgb", func(g *image.Gray, w, h float64) []byte {
			return scanPDF(w, h, "", fullPage(w, h), dims(g)+fmt.Sprintf(" /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 2 /Colors 3 /BitsPerComponent 8 /Columns %d >>", g.Rect.Dx()),
				zlibOf(tiffDiff(rgb(g, false), 3*g.Rect.Dx(), 3)))
		}},
		{"flate-cmyk", func(g *image.Gray, w, h float64) []byte {
			return scanPDF(w, h, "", fullPage(w, h), dims(g)+" /ColorSpace /DeviceCMYK /BitsPerComponent 8 /Filter /FlateDecode", zlibOf(rgb(g, true)))
		}},
		{"flate-bilevel", func(g *image.Gray, w, h float64) []byte {
			return scanPDF(w, h, "", fullPage(w, h), dims(g)+" /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode", zlibOf(packBits(g, false)))
		}},
		{"flate-indexed-1bit", func(g *image.Gray, w, h float64) []byte {
			// palette entry 0 is white, 1 black: the bits are inverted
			return scanPDF(w, h, "", fullPage(w, h), dims(g)+" /ColorSpace [/Indexed /DeviceRGB 1 <FFFFFF000000>] /BitsPerComponent 1 /Filter /FlateDecode", zlibOf(packBits(g, true)))
		}},
		{"decode-array-inverted", func(g *image.Gray, w, h float64) []byte {
			inv := make([]byte, len(g.Pix))
			for i, v := range g.Pix {
				inv[i] = 255 - v
			}
			return scanPDF(w, h, "", fullPage(w, h), dims(g)+" /ColorSpace /DeviceGray /BitsPerComponent 8 /Decode [1 0] /Filter /FlateDecode", zlibOf(inv))
		}},
		{"image-mask", func(g *image.Gray, w, h float64) []byte {
			// a stencil mask: 0 paints the fill colour (black)
			return scanPDF(w, h, "", "0 g "+fullPage(w, h), dims(g)+" /ImageMask true /BitsPerComponent 1 /Filter /FlateDecode", zlibOf(packBits(g, false)))
		}},
		{"image-mask-inverted", func(g *image.Gray, w, h float64) []byte {
			return scanPDF(w, h, "", "0 g "+fullPage(w, h), dims(g)+" /ImageMask true /Decode [1 0] /BitsPerComponent 1 /Filter /FlateDecode", zlibOf(packBits(g, true)))
		}},
		{"dct-gray", func(g *image.Gray, w, h float64) []byte {
			return scanPDF(w, h, "", fullPage(w, h), dims(g)+" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", jpegOf(g))
		}},
		{"dct-rgb", func(g *image.Gray, w, h float64) []byte {
			c := image.NewRGBA(g.Rect)
			draw.Draw(c, c.Rect, g, image.Point{}, draw.Src)
			for i := 0; i < len(c.Pix); i += 4 {
				c.Pix[i+2] = c.Pix[i+2]/2 + 100 // tinted paper
			}
			return scanPDF(w, h, "", fullPage(w, h), dims(g)+" /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", jpegOf(c))
		}},
		{"ctm-rotated-90", func(g *image.Gray, w, h float64) []byte {
			// The image is stored turned a quarter anticlockwise and the
			// CTM turns it back.
			r := rotateGray(g, 270)
			return scanPDF(w, h, "", fmt.Sprintf("q 0 -%g %g 0 0 %g cm /Im0 Do Q", h, w, h),
				fmt.Sprintf("/Width %d /Height %d", r.Rect.Dx(), r.Rect.Dy())+" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", zlibOf(r.Pix))
		}},
		{"ctm-flipped-page-rotate-180", func(g *image.Gray, w, h float64) []byte {
			// Stored upside down and drawn as stored, on a page the viewer
			// turns half round: shown upright.
			return scanPDF(w, h, "/Rotate 180", fmt.Sprintf("q %g 0 0 %g 0 0 cm /Im0 Do Q", w, h),
				dims(g)+" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", zlibOf(rotateGray(g, 180).Pix))
		}},
		{"cropped-and-in-a-form", func(g *image.Gray, w, h float64) []byte {
			// The image, with a white margin, is drawn by a form XObject
			// larger than the page's crop box.
			m := 40.0
			return pdfOf(
				"<< /Type /Catalog /Pages 2 0 R >>",
				"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
				fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /CropBox [%g %g %g %g] /Resources << /XObject << /Fm0 6 0 R >> >> /Contents 4 0 R >>", w+2*m, h+2*m, m, m, w+m, h+m),
				stream("", "/Fm0 Do"),
				stream("/Type /XObject /Subtype /Image "+dims(g)+" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", string(zlibOf(g.Pix))),
				stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 %g %g] /Matrix [1 0 0 1 %g %g] /Resources << /XObject << /Im0 5 0 R >> >>", w, h, m, m), fullPage(w, h)),
			)
		}},
	}
}

// ocrText parses data with OCR on and returns its text; direct says
// whether the page was recognised from its own image, without PDFium.
func ocrText(t *testing.T, p *Parser, data []byte) (text string, direct bool) {
	t.Helper()
	s0, f0 := p.scanPages.Load(), p.pdfiumPages.Load()
	out, err := p.Parse(t.Context(), document.Input{Name: "scan.pdf", Data: data}, document.Options{OCR: document.OCRAuto})
	if err != nil {
		t.Fatal(err)
	}
	if !out.OCRUsed {
		t.Fatalf("OCR not used; warnings %v", out.Warnings)
	}
	return allText(out), p.scanPages.Load() > s0 && p.pdfiumPages.Load() == f0
}

// TestScanEncodings: a scan stored with each filter, colour space and
// placement reads, from its own image, as the rendered page does.
func TestScanEncodings(t *testing.T) {
	requireOCR(t)
	g := scanImage(4)
	w, h := float64(g.Rect.Dx())*72/300, float64(g.Rect.Dy())*72/300
	rendered := newTestParser(t, 1)
	rendered.cfg.NoFastPath = true
	direct := newTestParser(t, 1)
	cases := scanCases(t)
	want, _ := ocrText(t, rendered, cases[0].pdf(g, w, h))
	if similarity(want, strings.Join(scanLines, " ")) < 0.9 {
		t.Fatalf("rendered page reads %q", want)
	}
	short := map[string]bool{"dct-gray": true, "image-mask-inverted": true, "ctm-rotated-90": true}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && !short[c.name] {
				t.Skip("-short: three cases only")
			}
			got, ok := ocrText(t, direct, c.pdf(g, w, h))
			if !ok {
				t.Error("page rendered, want its image decoded")
			}
			if s := similarity(got, want); s < 0.9 {
				t.Errorf("similarity to the rendered page %.2f: %q, want %q", s, got, want)
			}
		})
	}
}

// TestScanCCITT: fax-coded scans (testdata/scan-ccitt-g*.pdf, made with
// libtiff's ppm2tiff -c g3/g4 and tiff2pdf from scanImage(4)) read as their
// rendering does.
func TestScanCCITT(t *testing.T) {
	requireOCR(t)
	rendered := newTestParser(t, 1)
	rendered.cfg.NoFastPath = true
	direct := newTestParser(t, 1)
	for _, name := range []string{"scan-ccitt-g4.pdf", "scan-ccitt-g3.pdf"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := ocrText(t, rendered, data)
			got, ok := ocrText(t, direct, data)
			if !ok {
				t.Error("page rendered, want its image decoded")
			}
			if s := similarity(got, want); s < 0.9 || similarity(got, strings.Join(scanLines, " ")) < 0.9 {
				t.Errorf("similarity to the rendered page %.2f: %q, want %q", s, got, want)
			}
		})
	}
}

// TestScanUpsideDown: a scan whose image is upside down is read after
// Tesseract's orientation detection.
func TestScanUpsideDown(t *testing.T) {
	requireOCR(t)
	g := rotateGray(scanImage(4), 180)
	w, h := float64(g.Rect.Dx())*72/300, float64(g.Rect.Dy())*72/300
	data := scanPDF(w, h, "", fullPage(w, h), fmt.Sprintf("/Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", g.Rect.Dx(), g.Rect.Dy()), zlibOf(g.Pix))
	got, _ := ocrText(t, newTestParser(t, 1), data)
	if s := similarity(got, strings.Join(scanLines, " ")); s < 0.9 {
		t.Errorf("upside-down scan reads %q (similarity %.2f)", got, s)
	}
}

// TestScanFallback: an image the fast path does not decode (a soft mask
// here; JBIG2 and JPEG 2000 alike) is rendered by PDFium and still read.
func TestScanFallback(t *testing.T) {
	requireOCR(t)
	g := scanImage(4)
	w, h := float64(g.Rect.Dx())*72/300, float64(g.Rect.Dy())*72/300
	dims := fmt.Sprintf("/Width %d /Height %d", g.Rect.Dx(), g.Rect.Dy())
	opaque := bytes.Repeat([]byte{255}, len(g.Pix))
	data := pdfOf(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>", w, h),
		stream("", fullPage(w, h)),
		stream("/Type /XObject /Subtype /Image "+dims+" /ColorSpace /DeviceGray /BitsPerComponent 8 /SMask 6 0 R /Filter /FlateDecode", string(zlibOf(g.Pix))),
		stream("/Type /XObject /Subtype /Image "+dims+" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", string(zlibOf(opaque))),
	)
	p := newTestParser(t, 1)
	got, direct := ocrText(t, p, data)
	if direct || p.pdfiumPages.Load() != 1 {
		t.Errorf("page decoded in Go (pdfium pages %d), want it rendered", p.pdfiumPages.Load())
	}
	if s := similarity(got, strings.Join(scanLines, " ")); s < 0.9 {
		t.Errorf("rendered fallback reads %q (similarity %.2f)", got, s)
	}
}

// TestDecodable: the codecs decoded in Go, and those left to rendering.
func TestDecodable(t *testing.T) {
	tests := []struct {
		dict string
		want bool
	}{
		{"/ColorSpace /DeviceGray /BitsPerComponent 8", true},
		{"/ColorSpace /DeviceRGB /Filter [/ASCII85Decode /DCTDecode]", true},
		{"/ColorSpace /DeviceGray /Filter /CCITTFaxDecode /DecodeParms << /K -1 >>", true},
		{"/ColorSpace /DeviceGray /Filter /CCITTFaxDecode /DecodeParms << /K 4 >>", false},
		{"/ColorSpace /DeviceGray /Filter /JBIG2Decode", false},
		{"/ColorSpace /DeviceRGB /Filter /JPXDecode", false},
		{"/ColorSpace [/Separation /Spot /DeviceCMYK 9 0 R] /Filter /FlateDecode", false},
		{"/ColorSpace /DeviceGray /SMask 9 0 R", false},
		{"/ImageMask true /Filter /FlateDecode", true},
	}
	for _, tt := range tests {
		data := scanPDF(100, 100, "", fullPage(100, 100), "/Width 1 /Height 1 "+tt.dict, []byte{0})
		fd, err := openFast(data, document.Limits{}.WithDefaults())
		if err != nil {
			t.Fatal(err)
		}
		img, ok := fd.fullPageImage(fd.pages[0])
		if !ok {
			t.Fatalf("%s: no full-page image found", tt.dict)
		}
		if got := fd.decodable(img.s); got != tt.want {
			t.Errorf("decodable(%s) = %v, want %v", tt.dict, got, tt.want)
		}
	}
}

// TestFullPageImage: which pages count as one full-page image.
func TestFullPageImage(t *testing.T) {
	tests := []struct {
		content string
		want    bool
	}{
		{fullPage(100, 100), true},
		{"q 1 0 0 1 5 5 cm q 90 0 0 90 0 0 cm /Im0 Do Q Q", false},                      // 81% of the page: too small
		{"q 100 0 0 100 0 0 cm /Im0 Do Q q 30 0 0 30 0 0 cm /Im0 Do Q", false},          // a second large image
		{"q 50 0 0 100 0 0 cm /Im0 Do Q", false},                                        // half the page
		{"q 100 0 0 100 0 0 cm /Im0 Do Q BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI", false}, // an inline image
		{"1 1 1 rg 0 0 100 100 re f " + fullPage(100, 100), true},                       // vector art is ignored
	}
	for _, tt := range tests {
		data := scanPDF(100, 100, "", tt.content, "/Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0})
		fd, err := openFast(data, document.Limits{}.WithDefaults())
		if err != nil {
			t.Fatal(err)
		}
		if _, got := fd.fullPageImage(fd.pages[0]); got != tt.want {
			t.Errorf("fullPageImage(%q) = %v, want %v", tt.content, got, tt.want)
		}
	}
}

// TestPlace: the placement of an image on the page, pixel by pixel.
func TestPlace(t *testing.T) {
	// A 2x2 image: 0 10 / 20 30 (top row first), on a 2x2-point page at 72
	// dpi (scale 1 via a 1 pixel per point CTM, then the dpi rule resamples
	// to 300 dpi: checked on the corners only).
	src := []byte{0, 10, 20, 30}
	tests := []struct {
		name string
		ctm  [6]float64
		want [4]byte // top-left, top-right, bottom-left, bottom-right of the page
	}{
		{"upright", [6]float64{2, 0, 0, 2, 0, 0}, [4]byte{0, 10, 20, 30}},
		{"flipped vertically", [6]float64{2, 0, 0, -2, 0, 2}, [4]byte{20, 30, 0, 10}},
		{"turned clockwise", [6]float64{0, -2, 2, 0, 0, 2}, [4]byte{20, 0, 30, 10}},
	}
	for _, tt := range tests {
		g, err := place(src, 2, 2, tt.ctm, [4]float64{0, 0, 2, 2}, 1e6)
		if err != nil {
			t.Fatal(err)
		}
		at := func(x, y int) byte { return g.Pix[y*g.W+x] }
		got := [4]byte{at(0, 0), at(g.W-1, 0), at(0, g.H-1), at(g.W-1, g.H-1)}
		if got != tt.want {
			t.Errorf("%s: corners %v, want %v", tt.name, got, tt.want)
		}
	}
}
