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
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

func TestRecognizeGray(t *testing.T) {
	e := New(Config{})
	requireTesseract(t, e)
	img := textImage([]string{"THE EMBER DRAKE", "sleeps under the ash"}, 4).(*image.Gray)
	g := Gray{Pix: img.Pix, W: img.Rect.Dx(), H: img.Rect.Dy(), DPI: 300}
	loaded := 0
	text, err := e.RecognizeGray(context.Background(), func() (Gray, error) { loaded++; return g, nil }, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if loaded != 1 {
		t.Errorf("image loaded %d times, want once", loaded)
	}
	got := strings.ToLower(text)
	for _, w := range []string{"ember", "drake", "sleeps", "ash"} {
		if !strings.Contains(got, w) {
			t.Errorf("OCR text %q lacks %q", got, w)
		}
	}
	if _, err := e.RecognizeGray(context.Background(), func() (Gray, error) { return Gray{}, errors.New("bad image") }, 0); err == nil {
		t.Error("a load error was not returned")
	}
}

func TestOrientation(t *testing.T) {
	tests := []struct {
		osd  string
		rot  int
		conf float64
	}{
		{"Page number: 0\nOrientation in degrees: 90\nRotate: 270\nOrientation confidence: 31.73\nScript: Latin\n", 270, 31.73},
		{"Rotate: 180\n", 180, 0},
		{"Too few characters. Skipping this page\n", 0, 0},
		{"Rotate: 45\nOrientation confidence: 3\n", 0, 3},
	}
	for _, tt := range tests {
		if rot, conf := Orientation(tt.osd); rot != tt.rot || conf != tt.conf {
			t.Errorf("Orientation(%q) = %d, %g; want %d, %g", tt.osd, rot, conf, tt.rot, tt.conf)
		}
	}
}

func TestRotate(t *testing.T) {
	// 3x2: a b c / d e f
	g := Gray{Pix: []byte("abcdef"), W: 3, H: 2}
	tests := []struct {
		deg  int
		want string
		w, h int
	}{
		{0, "abcdef", 3, 2},
		{90, "daebfc", 2, 3},
		{180, "fedcba", 3, 2},
		{270, "cfbead", 2, 3},
		{-90, "cfbead", 2, 3},
	}
	for _, tt := range tests {
		r := Rotate(g, tt.deg)
		if string(r.Pix) != tt.want || r.W != tt.w || r.H != tt.h {
			t.Errorf("Rotate(%d) = %q %dx%d, want %q %dx%d", tt.deg, r.Pix, r.W, r.H, tt.want, tt.w, tt.h)
		}
	}
}

func TestWordShare(t *testing.T) {
	tests := []struct {
		text string
		min  float64
		max  float64
	}{
		{"The dragon sleeps under the ash of the old mountain, and the river runs cold.", 0.3, 1},
		{"“‘SUOS & UIYJIM posueyd oq Aeul pu ‘posn oq AWW AYN IVNOIS AWLL AUV", 0, 0.05},
		{"Le dragon dort sous la cendre de la vieille montagne.", 0.3, 1},
		{"12 34 --", 1, 1},
	}
	for _, tt := range tests {
		if s := WordShare(tt.text); s < tt.min || s > tt.max {
			t.Errorf("WordShare(%q) = %.2f, want %.2f..%.2f", tt.text, s, tt.min, tt.max)
		}
	}
}

func TestSharedPool(t *testing.T) {
	a, b := New(Config{}), New(Config{})
	if a.pool != b.pool || a.pool != Shared() {
		t.Error("engines without a pool do not share the process's pool")
	}
	if Shared().Size() != runtime.GOMAXPROCS(0) {
		t.Errorf("shared pool of %d, want GOMAXPROCS %d", Shared().Size(), runtime.GOMAXPROCS(0))
	}
	if c := New(Config{Jobs: 3}); c.Jobs() != 3 || c.pool == Shared() {
		t.Error("Jobs does not give an engine its own pool")
	}
	p := NewPool(1)
	if d := New(Config{Pool: p}); d.pool != p {
		t.Error("Config.Pool not used")
	}
}

// TestPoolBounds: no more processes run at once than the pool has slots.
func TestPoolBounds(t *testing.T) {
	p := NewPool(2)
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.acquire(context.Background()); err != nil {
				t.Error(err)
				return
			}
			n := running.Add(1)
			for {
				old := peak.Load()
				if n <= old || peak.CompareAndSwap(old, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			p.release()
		}()
	}
	wg.Wait()
	if peak.Load() > 2 {
		t.Errorf("%d ran at once in a pool of 2", peak.Load())
	}
}
