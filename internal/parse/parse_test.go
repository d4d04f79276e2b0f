package parse

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/document"
)

// fakeParser lets a test decide what a format parser does.
type fakeParser func(ctx context.Context, in document.Input, opts document.Options) (*document.Output, error)

func (f fakeParser) Parse(ctx context.Context, in document.Input, opts document.Options) (*document.Output, error) {
	return f(ctx, in, opts)
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSniffedErrors(t *testing.T) {
	p := newTestParser(t)
	ole := "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + strings.Repeat("\x00", 600) + "E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00"
	tests := []struct {
		name, content string
		reason        string
		sentinel      error
	}{
		{"scan.pdf", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image, not a PDF", document.ErrUnsupported},
		{"book.epub", "\xFF\xD8\xFF\xE0\x00\x10JFIF", "JPEG image, not an EPUB", document.ErrUnsupported},
		{"notes.pdf", "just some text\n", "plain text, not a PDF", document.ErrUnsupported},
		{"archive.docx", "\x1F\x8B\x08\x00", "gzip archive, not a DOCX document", document.ErrUnsupported},
		{"picture.png", "\x89PNG\r\n\x1a\n", "PNG image: not a supported document format", document.ErrUnsupported},
		{"secret.docx", ole, "encrypted Word document (OLE2 container); decrypt it first or give its password with --password", document.ErrEncrypted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, tc.name, tc.content)
			_, err := p.File(context.Background(), path, document.Options{})
			if err == nil || err.Error() != path+": "+tc.reason {
				t.Errorf("got %v, want %q", err, path+": "+tc.reason)
			}
			if !errors.Is(err, tc.sentinel) {
				t.Errorf("%v does not wrap %v", err, tc.sentinel)
			}
		})
	}
}

func TestFileErrors(t *testing.T) {
	p := newTestParser(t)
	dir := t.TempDir()
	big := writeTemp(t, "big.txt", strings.Repeat("x", 2000))
	tests := []struct {
		name, path string
		opts       document.Options
		want       string
		sentinel   error
	}{
		{"missing", filepath.Join(dir, "nope.md"), document.Options{}, "no such file", nil},
		{"folder", dir, document.Options{}, "is a folder, not a document", nil},
		{"too big", big, document.Options{Limits: document.Limits{MaxFileBytes: 1000}}, "exceeds limit: file is 2000 bytes (limit 1000)", document.ErrLimit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.File(context.Background(), tc.path, tc.opts)
			if err == nil || err.Error() != tc.path+": "+tc.want {
				t.Errorf("got %v, want %q", err, tc.path+": "+tc.want)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("%v does not wrap %v", err, tc.sentinel)
			}
		})
	}
}

// TestGuards covers what the dispatcher promises whatever the format
// parser does: panics and overruns become one-line errors naming the file.
func TestGuards(t *testing.T) {
	path := writeTemp(t, "book.md", "# x\n")
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	tests := []struct {
		name     string
		parser   fakeParser
		ctx      func() context.Context
		want     string
		sentinel error
		timeout  time.Duration // default 50ms
	}{
		{"panic", func(context.Context, document.Input, document.Options) (*document.Output, error) {
			panic("index out of range [3] with length 3")
		}, nil, "malformed: the md parser failed on this input (index out of range [3] with length 3)", document.ErrMalformed, 0},
		{"ignores its context", func(context.Context, document.Input, document.Options) (*document.Output, error) {
			<-block
			return nil, nil
		}, nil, "timed out after 50ms", document.ErrTimeout, 0},
		{"honours its context", func(ctx context.Context, _ document.Input, _ document.Options) (*document.Output, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, nil, "timed out after 50ms", document.ErrTimeout, 0},
		{"interrupted", func(ctx context.Context, _ document.Input, _ document.Options) (*document.Output, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(10*time.Millisecond, cancel)
			return ctx
			// A timeout far off: on a loaded machine the cancel may fire
			// after 50ms, and the test is of the cancel.
		}, "context canceled", context.Canceled, 30 * time.Second},
		{"multi-line reason", func(context.Context, document.Input, document.Options) (*document.Output, error) {
			return nil, errors.New("line one\nline two\r\n  line three")
		}, nil, "line one line two line three", nil, 0},
		{"nil output", func(context.Context, document.Input, document.Options) (*document.Output, error) {
			return nil, nil
		}, nil, "malformed: the md parser returned nothing", document.ErrMalformed, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestParser(t)
			p.formats[document.Markdown] = tc.parser
			ctx := context.Background()
			if tc.ctx != nil {
				ctx = tc.ctx()
			}
			timeout := 50 * time.Millisecond
			if tc.timeout > 0 {
				timeout = tc.timeout
			}
			start := time.Now()
			_, err := p.File(ctx, path, document.Options{Limits: document.Limits{Timeout: timeout}})
			if err == nil || err.Error() != path+": "+tc.want {
				t.Errorf("got %v, want %q", err, path+": "+tc.want)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("%v does not wrap %v", err, tc.sentinel)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

func TestDispatcherFields(t *testing.T) {
	p := newTestParser(t)
	p.formats[document.Text] = fakeParser(func(context.Context, document.Input, document.Options) (*document.Output, error) {
		return &document.Output{Content: []document.Block{{Type: document.Paragraph, Text: "aaaa"}, {Type: document.Paragraph, Text: "bbbb"}}}, nil
	})
	path := writeTemp(t, "notes.txt", "anything")
	before := time.Now().UTC().Truncate(time.Second)
	out, err := p.File(context.Background(), path, document.Options{Limits: document.Limits{MaxTextBytes: 6}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Source != path || out.SchemaVersion != "2.0" || out.Format != document.Text {
		t.Errorf("source %q schema %q format %q", out.Source, out.SchemaVersion, out.Format)
	}
	if out.ExtractedAt.Location() != time.UTC || out.ExtractedAt.Nanosecond() != 0 || out.ExtractedAt.Before(before) {
		t.Errorf("extracted_at %v", out.ExtractedAt)
	}
	if len(out.Content) != 2 || out.Content[1].Text != "bb" || len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0].Reason, "truncated") {
		t.Errorf("text limit: content %v warnings %v", out.Content, out.Warnings)
	}

	p.formats[document.Text] = fakeParser(func(context.Context, document.Input, document.Options) (*document.Output, error) {
		return &document.Output{}, nil
	})
	out, err = p.File(context.Background(), path, document.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out.Warnings == nil || out.Content == nil {
		t.Error("nil slices would encode as null")
	}
}

func TestEveryTextFormat(t *testing.T) {
	p := newTestParser(t)
	tests := []struct {
		name, content string
		format        document.Format
		first         document.Block
	}{
		{"a.txt", "The ember gate.\n", document.Text, document.Block{Type: document.Paragraph, Text: "The ember gate."}},
		{"a.md", "# Ember Gate\n", document.Markdown, document.Block{Type: document.Heading, Text: "Ember Gate", Level: 1}},
		{"a.html", "<h1>Ember Gate</h1>", document.HTML, document.Block{Type: document.Heading, Text: "Ember Gate", Level: 1}},
		{"noext", "<!DOCTYPE html><p>Ember</p>", document.HTML, document.Block{Type: document.Paragraph, Text: "Ember"}},
	}
	for _, tc := range tests {
		out, err := p.File(context.Background(), writeTemp(t, tc.name, tc.content), document.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if out.Format != tc.format || len(out.Content) == 0 || out.Content[0] != tc.first {
			t.Errorf("%s: format %s content %+v", tc.name, out.Format, out.Content)
		}
	}
}
