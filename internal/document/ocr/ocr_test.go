package ocr

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// RequireTesseract skips the test when tesseract is missing, unless
// CORPORA_REQUIRE_OCR=1, which turns the skip into a failure (CI sets it).
func requireTesseract(t *testing.T, e *Engine) {
	t.Helper()
	if err := e.Available(); err != nil {
		if os.Getenv("CORPORA_REQUIRE_OCR") == "1" {
			t.Fatalf("CORPORA_REQUIRE_OCR=1 but %v", err)
		}
		t.Skipf("skipping OCR test: %v (install tesseract-ocr tesseract-ocr-eng)", err)
	}
}

// textImage renders lines with the 7x13 bitmap font, scaled up so
// Tesseract sees print-sized letters.
func textImage(lines []string, scale int) image.Image {
	small := image.NewGray(image.Rect(0, 0, 420, 20+len(lines)*16))
	draw.Draw(small, small.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: small, Src: image.Black, Face: basicfont.Face7x13}
	for i, l := range lines {
		d.Dot = fixed.P(10, 20+i*16)
		d.DrawString(l)
	}
	b := small.Bounds()
	big := image.NewGray(image.Rect(0, 0, b.Dx()*scale, b.Dy()*scale))
	for y := 0; y < big.Bounds().Dy(); y++ {
		for x := 0; x < big.Bounds().Dx(); x++ {
			big.SetGray(x, y, color.Gray{Y: small.GrayAt(x/scale, y/scale).Y})
		}
	}
	return big
}

func TestRecognize(t *testing.T) {
	e := New(Config{})
	requireTesseract(t, e)
	path := filepath.Join(t.TempDir(), "page.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, textImage([]string{"THE EMBER DRAKE", "sleeps under the ash"}, 4)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	text, err := e.Recognize(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ToLower(strings.Join(Paragraphs(text), " "))
	for _, w := range []string{"ember", "drake", "sleeps", "ash"} {
		if !strings.Contains(got, w) {
			t.Errorf("OCR text %q lacks %q", got, w)
		}
	}
}

func TestRecognizeMissingFile(t *testing.T) {
	e := New(Config{})
	requireTesseract(t, e)
	_, err := e.Recognize(context.Background(), filepath.Join(t.TempDir(), "none.png"))
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v, want a one-line error", err)
	}
}

func TestUnavailable(t *testing.T) {
	e := New(Config{Binary: filepath.Join(t.TempDir(), "no-tesseract")})
	if err := e.Available(); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Available() = %v, want ErrUnavailable", err)
	}
	if _, err := e.Recognize(context.Background(), "x.png"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Recognize() = %v, want ErrUnavailable", err)
	}
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"one line\n", []string{"one line"}},
		{"The dragon flew swift-\nly over the hills.\n\nNew para\u00a0here.\n", []string{"The dragon flew swiftly over the hills.", "New para here."}},
		{"\n\n  \n", nil},
		{"a\r\nb\f", []string{"a b"}},
	}
	for _, tt := range tests {
		got := Paragraphs(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
