package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/corpora-tools/corpora/internal/textnorm"
)

// ErrUnavailable means the tesseract binary was not found.
var ErrUnavailable = errors.New("tesseract not installed")

// Config configures an Engine. Zero fields take the defaults.
type Config struct {
	Binary string // path or name of the tesseract executable; default "tesseract"
	Lang   string // Tesseract language(s), default "eng"
	// PSM is the page segmentation mode; default 3 (automatic, keeps
	// columns apart; orientation is detected only for pages whose text
	// looks wrong, see Engine.RecognizeGray).
	PSM int
	// Pool bounds the Tesseract processes running at once. Nil means the
	// pool shared by every Engine of the process (Shared), unless Jobs is
	// set, which gives the Engine a pool of its own.
	Pool *Pool
	Jobs int // size of the Engine's own pool when Pool is nil; 0: use Shared
}

// Pool bounds how many Tesseract processes run at once. One Pool shared by
// every Engine (and so by every page of every document of a batch) keeps
// each core busy with one single-threaded Tesseract and never more.
type Pool struct {
	sem chan struct{}
}

// NewPool returns a pool of n slots (n <= 0: one per core, GOMAXPROCS).
func NewPool(n int) *Pool {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return &Pool{sem: make(chan struct{}, n)}
}

// Size is how many processes the pool runs at once.
func (p *Pool) Size() int { return cap(p.sem) }

func (p *Pool) acquire(ctx context.Context) error {
	select {
	case p.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *Pool) release() { <-p.sem }

var (
	sharedOnce sync.Once
	shared     *Pool
)

// Shared returns the process's pool, sized by GOMAXPROCS at its first use.
func Shared() *Pool {
	sharedOnce.Do(func() { shared = NewPool(0) })
	return shared
}

// Engine runs Tesseract. Safe for concurrent use; its Pool bounds the
// number of processes running at once.
type Engine struct {
	cfg  Config
	pool *Pool
	once sync.Once
	path string
	err  error
}

// New returns an Engine; it does not look for the binary until first use.
func New(cfg Config) *Engine {
	if cfg.Binary == "" {
		cfg.Binary = "tesseract"
	}
	if cfg.Lang == "" {
		cfg.Lang = "eng"
	}
	if cfg.PSM <= 0 {
		cfg.PSM = 3
	}
	pool := cfg.Pool
	switch {
	case pool != nil:
	case cfg.Jobs > 0:
		pool = NewPool(cfg.Jobs)
	default:
		pool = Shared()
	}
	return &Engine{cfg: cfg, pool: pool}
}

// Jobs is how many pages the engine recognises at once.
func (e *Engine) Jobs() int { return e.pool.Size() }

// Available reports whether tesseract can be run; the error wraps
// ErrUnavailable when it cannot.
func (e *Engine) Available() error {
	e.once.Do(func() {
		p, err := exec.LookPath(e.cfg.Binary)
		if err != nil {
			e.err = fmt.Errorf("%w: %v", ErrUnavailable, err)
			return
		}
		e.path = p
	})
	return e.err
}

// Recognize returns the text Tesseract reads in the image file at path
// (PNG, TIFF, JPEG...). It waits for a free slot of the pool first.
func (e *Engine) Recognize(ctx context.Context, path string) (string, error) {
	if err := e.Available(); err != nil {
		return "", err
	}
	if err := e.pool.acquire(ctx); err != nil {
		return "", err
	}
	defer e.pool.release()
	out, err := e.run(ctx, path, nil, "-l", e.cfg.Lang, "--psm", strconv.Itoa(e.cfg.PSM))
	if err != nil {
		return "", fmt.Errorf("tesseract %s: %w", path, err)
	}
	return out, nil
}

// Gray is an 8-bit grayscale image (0 black, 255 white), row by row
// without padding, and the resolution it was scanned or rendered at (0:
// unknown). The resolution is not passed to Tesseract: it estimates it from
// the text, and a page of a JPEG scan read worse with --dpi 300 given (3
// spell names of a list lost) than without.
type Gray struct {
	Pix  []byte
	W, H int
	DPI  int
}

// RecognizeGray returns the text Tesseract reads in the image that load
// produces. It waits for a free slot of the pool, then calls load (so that
// only the images being recognised are held in memory), and hands the
// pixels to Tesseract as PGM on its standard input: no temporary file.
// timeout bounds the work once the slot is taken (0: none).
//
// When the text looks wrong (hardly any common words, see WordShare: an
// upside-down or sideways scan), Tesseract's orientation detection (--psm 0) runs once
// and the image is recognised again turned upright; the reading with more
// common words wins.
func (e *Engine) RecognizeGray(ctx context.Context, load func() (Gray, error), timeout time.Duration) (string, error) {
	if err := e.Available(); err != nil {
		return "", err
	}
	if err := e.pool.acquire(ctx); err != nil {
		return "", err
	}
	defer e.pool.release()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	img, err := load()
	if err != nil {
		return "", err
	}
	if img.W <= 0 || img.H <= 0 || len(img.Pix) < img.W*img.H {
		return "", fmt.Errorf("image of %dx%d pixels with %d bytes", img.W, img.H, len(img.Pix))
	}
	text, err := e.recognizePGM(ctx, img, "-l", e.cfg.Lang, "--psm", strconv.Itoa(e.cfg.PSM))
	if err != nil {
		return "", fmt.Errorf("tesseract: %w", err)
	}
	good, n := wordCounts(text)
	if n < suspectMinWords || float64(good) >= suspectShare*float64(n) {
		return text, nil
	}
	osd, err := e.recognizePGM(ctx, img, "-l", "osd", "--psm", "0")
	if err != nil {
		return text, nil // no orientation data, or too little text for it
	}
	rot, conf := Orientation(osd)
	if rot == 0 {
		if conf >= unsureOrientation {
			return text, nil
		}
		// Tesseract cannot tell (too little text, an odd typeface): a page
		// that reads as garbage is most often upside down (Tesseract reads
		// sideways lines itself).
		rot = 180
	}
	again, err := e.recognizePGM(ctx, Rotate(img, rot), "-l", e.cfg.Lang, "--psm", strconv.Itoa(e.cfg.PSM))
	if err != nil {
		return text, nil
	}
	if good2, _ := wordCounts(again); good2 <= good {
		return text, nil
	}
	return again, nil
}

// A reading with fewer than suspectShare of its words looking like words
// (and at least suspectMinWords words) gets an orientation check.
const (
	suspectShare    = 0.1
	suspectMinWords = 8
)

// recognizePGM runs tesseract on img, given as binary PGM on stdin.
func (e *Engine) recognizePGM(ctx context.Context, img Gray, args ...string) (string, error) {
	var hdr []byte
	hdr = fmt.Appendf(hdr, "P5\n%d %d\n255\n", img.W, img.H)
	return e.run(ctx, "stdin", append(hdr, img.Pix[:img.W*img.H]...), args...)
}

// run runs tesseract on input (a path, or "stdin" with the image in data)
// with args; the error is one line.
func (e *Engine) run(ctx context.Context, input string, data []byte, args ...string) (string, error) {
	argv := append([]string{input, "stdout"}, args...)
	cmd := exec.CommandContext(ctx, e.path, argv...)
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	if data != nil {
		cmd.Stdin = bytes.NewReader(data)
	}
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		return "", fmt.Errorf("%w: %s", err, msg)
	}
	return out.String(), nil
}

// Orientation reads Tesseract's orientation report (--psm 0): rot is the
// "Rotate: N" line, the clockwise turn in degrees (0, 90, 180 or 270) that
// makes the image upright, and conf the "Orientation confidence" (0 when
// missing).
func Orientation(osd string) (rot int, conf float64) {
	for _, l := range strings.Split(osd, "\n") {
		l = strings.TrimSpace(l)
		if v, ok := strings.CutPrefix(l, "Rotate:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err == nil && n%90 == 0 {
				rot = (n%360 + 360) % 360
			}
		}
		if v, ok := strings.CutPrefix(l, "Orientation confidence:"); ok {
			conf, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return rot, conf
}

// unsureOrientation is the orientation confidence under which Tesseract's
// "upright" is not believed for a page that reads as garbage.
const unsureOrientation = 2.0

// Rotate returns img turned clockwise by deg degrees (a multiple of 90).
func Rotate(img Gray, deg int) Gray {
	deg = (deg%360 + 360) % 360
	w, h := img.W, img.H
	src := img.Pix
	switch deg {
	case 180:
		out := make([]byte, w*h)
		for i, n := 0, w*h; i < n; i++ {
			out[n-1-i] = src[i]
		}
		return Gray{Pix: out, W: w, H: h, DPI: img.DPI}
	case 90, 270:
		out := make([]byte, w*h)
		// The result is h wide and w high.
		for y := 0; y < h; y++ {
			row := src[y*w : y*w+w]
			for x, v := range row {
				if deg == 90 {
					// (x, y) goes to (h-1-y, x)
					out[x*h+h-1-y] = v
				} else {
					// (x, y) goes to (y, w-1-x)
					out[(w-1-x)*h+y] = v
				}
			}
		}
		return Gray{Pix: out, W: h, H: w, DPI: img.DPI}
	}
	return img
}

// Paragraphs splits Tesseract output into normalised paragraphs: blank lines
// separate paragraphs, line-end hyphenation is joined.
func Paragraphs(text string) []string {
	var out []string
	var lines []string
	flush := func() {
		if len(lines) > 0 {
			if p := textnorm.JoinLines(lines, nil); p != "" {
				out = append(out, p)
			}
			lines = nil
		}
	}
	for _, l := range strings.Split(textnorm.String(text), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			flush()
			continue
		}
		lines = append(lines, l)
	}
	flush()
	return out
}
