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

	"github.com/corpora-tools/corpora/internal/textnorm"
)

// ErrUnavailable means the tesseract binary was not found.
var ErrUnavailable = errors.New("tesseract not installed")

// Config configures an Engine. Zero fields take the defaults.
type Config struct {
	Binary string // path or name of the tesseract executable; default "tesseract"
	Lang   string // Tesseract language(s), default "eng"
	PSM    int    // page segmentation mode; default 1 (automatic with orientation detection, keeps columns apart)
	Jobs   int    // pages recognised at once; default the number of CPUs
}

// Engine runs Tesseract. Safe for concurrent use; Jobs bounds the number of
// processes running at once.
type Engine struct {
	cfg  Config
	sem  chan struct{}
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
		cfg.PSM = 1
	}
	if cfg.Jobs <= 0 {
		cfg.Jobs = runtime.NumCPU()
	}
	return &Engine{cfg: cfg, sem: make(chan struct{}, cfg.Jobs)}
}

// Jobs is how many pages the engine recognises at once.
func (e *Engine) Jobs() int { return e.cfg.Jobs }

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
// (PNG, TIFF, JPEG...). It waits for a free job slot first.
func (e *Engine) Recognize(ctx context.Context, path string) (string, error) {
	if err := e.Available(); err != nil {
		return "", err
	}
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-e.sem }()
	cmd := exec.CommandContext(ctx, e.path, path, "stdout",
		"-l", e.cfg.Lang, "--psm", strconv.Itoa(e.cfg.PSM))
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
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
		return "", fmt.Errorf("tesseract %s: %w: %s", path, err, msg)
	}
	return out.String(), nil
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
