package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The scanned page: A4 at 300 dpi, 1-bit black on white.
const (
	scanDPI    = 300
	scanW      = 2480
	scanH      = 3508
	scanMargin = 240
	scanSize   = 12.0 // points
)

// renderScan draws text onto a 300 dpi bitmap and places it as the only
// content of a one-page PDF: there is no text layer, so only OCR reads it.
// The first line is the title, set in bold. It returns the PDF and the
// page's exact text.
func renderScan(text string, m bookMeta) ([]byte, string, error) {
	text = strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n") + "\n"
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	img, err := drawPage(lines)
	if err != nil {
		return nil, "", err
	}
	var pngBuf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&pngBuf, img); err != nil {
		return nil, "", err
	}

	f := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: pageW, Ht: pageH}})
	f.SetCatalogSort(true)
	f.SetCreationDate(fixedTime)
	f.SetModificationDate(fixedTime)
	f.SetProducer("corpora sample book generator", true)
	f.SetCreator("examples/gen (simulated scanner)", true)
	f.SetTitle(lines[0], true)
	f.SetAuthor(m.author, true)
	f.SetSubject(m.subject, true)
	f.SetAutoPageBreak(false, 0)
	f.AddPage()
	f.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &pngBuf)
	f.ImageOptions("scan", 0, 0, pageW, pageH, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	if err := f.Error(); err != nil {
		return nil, "", fmt.Errorf("scan page: %w", err)
	}
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		return nil, "", err
	}
	return out.Bytes(), text, nil
}

// drawPage renders lines in the Go fonts and thresholds the result to a
// two-colour image, as a bilevel scanner would.
func drawPage(lines []string) (*image.Paletted, error) {
	regular, err := scanFace(goregular.TTF, scanSize)
	if err != nil {
		return nil, err
	}
	defer regular.Close()
	bold, err := scanFace(gobold.TTF, scanSize*1.25)
	if err != nil {
		return nil, err
	}
	defer bold.Close()

	gray := image.NewGray(image.Rect(0, 0, scanW, scanH))
	draw.Draw(gray, gray.Bounds(), image.White, image.Point{}, draw.Src)
	lead := int(scanSize * 1.5 * scanDPI / 72)
	y := scanMargin + lead
	for i, ln := range lines {
		face := regular
		if i == 0 {
			face = bold
		}
		d := font.Drawer{Dst: gray, Src: image.Black, Face: face, Dot: fixed.P(scanMargin, y)}
		if d.MeasureString(ln).Ceil() > scanW-2*scanMargin {
			return nil, fmt.Errorf("line %d is too wide for the page: %q", i+1, ln)
		}
		d.DrawString(ln)
		y += lead
		if y > scanH-scanMargin {
			return nil, fmt.Errorf("text does not fit on one page")
		}
	}
	bw := image.NewPaletted(gray.Bounds(), color.Palette{color.Black, color.White})
	for yy := 0; yy < scanH; yy++ {
		for xx := 0; xx < scanW; xx++ {
			if gray.GrayAt(xx, yy).Y >= 128 {
				bw.SetColorIndex(xx, yy, 1)
			}
		}
	}
	return bw, nil
}

func scanFace(ttf []byte, size float64) (font.Face, error) {
	fnt, err := opentype.Parse(ttf)
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(fnt, &opentype.FaceOptions{Size: size, DPI: scanDPI, Hinting: font.HintingFull})
}
