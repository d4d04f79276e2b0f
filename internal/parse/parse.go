package parse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
	"github.com/corpora-tools/corpora/internal/document/docx"
	"github.com/corpora-tools/corpora/internal/document/epub"
	"github.com/corpora-tools/corpora/internal/document/text"
	"github.com/corpora-tools/corpora/internal/fault"
)

// Config configures a Parser.
type Config struct {
	// Workers is how many documents may be parsed at once; the PDF engine
	// keeps one instance per worker.
	Workers int
	// CacheDir is where the PDF engine keeps its compilation cache; empty
	// means the engine's default under os.UserCacheDir.
	CacheDir string
}

// pdfEngine is what the dispatcher needs of the PDF parser.
type pdfEngine interface {
	document.Parser
	Close() error
}

// Parser parses documents of every supported format. Safe for concurrent use.
type Parser struct {
	cfg Config

	mu      sync.Mutex
	pdf     pdfEngine // made on the first PDF; it starts PDFium only when a page needs it
	pdfErr  error
	formats map[document.Format]document.Parser
}

// New returns a Parser. Close it when done.
func New(cfg Config) (*Parser, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	return &Parser{
		cfg: cfg,
		formats: map[document.Format]document.Parser{
			document.EPUB:     epub.Parser{},
			document.DOCX:     docx.Parser{},
			document.Text:     text.Plain{},
			document.Markdown: text.Markdown{},
			document.HTML:     text.HTML{},
		},
	}, nil
}

// Error is a failed parse: the file as the user named it and the reason,
// printed on one line as "<path>: <reason>". It unwraps to the reason, so
// errors.Is finds the document sentinels (document.ErrEncrypted, ...).
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + oneLine(e.Err.Error()) }

// Unwrap returns the reason.
func (e *Error) Unwrap() error { return e.Err }

// reason is an error whose message is exactly its text while it still
// matches a sentinel: "PNG image, not a PDF" is ErrUnsupported.
type reason struct {
	msg      string
	sentinel error
}

func (r *reason) Error() string { return r.msg }
func (r *reason) Unwrap() error { return r.sentinel }

// File parses the document at path.
func (p *Parser) File(ctx context.Context, path string, opts document.Options) (*document.Output, error) {
	lim := opts.Limits.WithDefaults()
	data, err := readFile(path, lim.MaxFileBytes)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	return p.Parse(ctx, document.Input{Name: path, Data: data}, opts)
}

// Parse parses a document already in memory; in.Name names it in errors and
// in Output.Source, and its extension tells the text formats apart.
func (p *Parser) Parse(ctx context.Context, in document.Input, opts document.Options) (*document.Output, error) {
	out, err := p.parse(ctx, in, opts)
	if err != nil {
		return nil, &Error{Path: in.Name, Err: err}
	}
	return out, nil
}

func (p *Parser) parse(ctx context.Context, in document.Input, opts document.Options) (*document.Output, error) {
	opts.Limits = opts.Limits.WithDefaults()
	if opts.OCR == "" {
		opts.OCR = document.OCRAuto
	}
	if int64(len(in.Data)) > opts.Limits.MaxFileBytes {
		return nil, fmt.Errorf("%w: file is %d bytes (limit %d)", document.ErrLimit, len(in.Data), opts.Limits.MaxFileBytes)
	}
	s := document.Sniff(in.Name, in.Data)
	if err := acceptable(in.Name, s); err != nil && !(s.Encrypted && strings.Contains(s.Kind, "Word")) {
		return nil, err
	}
	var parser document.Parser
	if s.Encrypted && strings.Contains(s.Kind, "Word") {
		// An encrypted DOCX: the DOCX parser decrypts it when it has the
		// password, and says what to do when it has not.
		parser = p.formats[document.DOCX]
	} else if s.Format == document.PDF {
		eng, err := p.pdfEngine()
		if err != nil {
			return nil, err
		}
		parser = eng
	} else {
		parser = p.formats[s.Format]
	}
	if parser == nil {
		return nil, &reason{s.Kind + ": not a supported document format", document.ErrUnsupported}
	}

	ctx, cancel := context.WithTimeout(ctx, opts.Limits.Timeout)
	defer cancel()
	// The parser may outlive the deadline; it honours ctx and stops soon,
	// and its result is dropped.
	out, err := fault.Contain(ctx, func() (*document.Output, error) { return parser.Parse(ctx, in, opts) }, func(v any) error {
		return fmt.Errorf("%w: the %s parser failed on this input (%v)", document.ErrMalformed, s.Format, v)
	})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil && !errors.Is(err, document.ErrTimeout) {
			if parent := context.Cause(ctx); parent != nil && !errors.Is(parent, context.DeadlineExceeded) {
				return nil, parent
			}
			return nil, fmt.Errorf("%w after %s", document.ErrTimeout, opts.Limits.Timeout)
		}
		return nil, err
	}
	if out == nil {
		return nil, fmt.Errorf("%w: the %s parser returned nothing", document.ErrMalformed, s.Format)
	}
	return p.finish(out, in.Name, s.Format, opts.Limits), nil
}

// finish sets the fields the dispatcher owns and enforces the text limit.
func (p *Parser) finish(out *document.Output, name string, f document.Format, lim document.Limits) *document.Output {
	out.SchemaVersion = document.SchemaVersion
	out.Source = name
	if out.Format == "" {
		out.Format = f
	}
	out.ExtractedAt = time.Now().UTC().Truncate(time.Second)
	if out.Warnings == nil {
		out.Warnings = []document.Warning{}
	}
	if out.Content == nil {
		out.Content = []document.Block{}
	}
	total := capMetadata(out, lim)
	for i, b := range out.Content {
		if total+int64(len(b.Text)) > lim.MaxTextBytes {
			// Keep the text up to the limit, the crossing block cut short.
			out.Content[i].Text = container.TruncateText(b.Text, int(lim.MaxTextBytes-total))
			out.Content = out.Content[:i+1]
			if out.Content[i].Text == "" {
				out.Content = out.Content[:i]
			}
			out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: fmt.Sprintf("text truncated at %d bytes (limit)", lim.MaxTextBytes)})
			break
		}
		total += int64(len(b.Text))
	}
	if len(out.Warnings) > maxWarnings {
		n := len(out.Warnings) - maxWarnings
		out.Warnings = append(out.Warnings[:maxWarnings], document.Warning{Location: "document", Reason: fmt.Sprintf("%d more warnings not listed", n)})
	}
	return out
}

// capMetadata cuts every metadata field and table-of-contents title to
// container.FieldRunes (the parsers cut them early too; this is the one
// place that holds for every format) and counts them against
// MaxTextBytes: the text the metadata took is returned, and TOC entries past
// the limit are dropped with a warning.
func capMetadata(out *document.Output, lim document.Limits) int64 {
	m := &out.Metadata
	var total int64
	for _, f := range []*string{&m.Title, &m.Author, &m.Subject, &m.Keywords, &m.Language, &m.Publisher, &m.Creator, &m.Producer, &m.Created, &m.Modified} {
		*f = container.Field(*f)
		total += int64(len(*f))
	}
	for i := range m.TOC {
		m.TOC[i].Title = container.Field(m.TOC[i].Title)
		if total+int64(len(m.TOC[i].Title)) > lim.MaxTextBytes {
			m.TOC = m.TOC[:i]
			out.Warnings = append(out.Warnings, document.Warning{Location: "document", Reason: fmt.Sprintf("table of contents truncated at %d entries (text limit %d bytes)", i, lim.MaxTextBytes)})
			break
		}
		total += int64(len(m.TOC[i].Title))
	}
	return min(total, lim.MaxTextBytes)
}

// maxWarnings bounds the warnings of one Output, whatever the parser found.
const maxWarnings = 1000

// acceptable refuses what sniffing found to be no document we read, naming
// what it is instead: "PNG image, not a PDF".
func acceptable(name string, s document.Sniffed) error {
	ext := strings.ToLower(filepath.Ext(name))
	claimed := map[string]string{".pdf": "a PDF", ".epub": "an EPUB", ".docx": "a DOCX document"}[ext]
	switch {
	case s.Format == "" && s.Encrypted:
		return &reason{s.Kind + "; decrypt it first", document.ErrEncrypted}
	case s.Format == "" && claimed != "":
		return &reason{s.Kind + ", not " + claimed, document.ErrUnsupported}
	case s.Format == "":
		return &reason{s.Kind + ": not a supported document format", document.ErrUnsupported}
	case claimed != "" && (s.Format == document.Text || s.Format == document.Markdown || s.Format == document.HTML):
		return &reason{s.Kind + ", not " + claimed, document.ErrUnsupported}
	}
	return nil
}

func (p *Parser) pdfEngine() (pdfEngine, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pdf == nil && p.pdfErr == nil {
		p.pdf, p.pdfErr = newPDFEngine(p.cfg)
		if p.pdfErr != nil {
			p.pdfErr = fmt.Errorf("PDF engine: %w", p.pdfErr)
		}
	}
	return p.pdf, p.pdfErr
}

// Close releases the engines.
func (p *Parser) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pdf == nil {
		return nil
	}
	err := p.pdf.Close()
	p.pdf = nil
	p.pdfErr = errors.New("parser closed")
	return err
}

// readFile reads path, refusing folders, anything but a regular file and
// files over max bytes before reading them.
func readFile(path string, max int64) ([]byte, error) {
	// A first look by name gives the common refusals without opening
	// anything (opening a device can have effects of its own).
	info, err := os.Stat(path)
	if err != nil {
		return nil, openReason(err)
	}
	if err := regular(info); err != nil {
		return nil, err
	}
	return readOpen(path, max)
}

// readOpen opens path without blocking and reads it if it is a regular
// file of at most max bytes.
func readOpen(path string, max int64) ([]byte, error) {
	// The file may be swapped for a FIFO between the look and the open:
	// O_NONBLOCK makes that open return at once instead of waiting for a
	// writer, and the look at the opened file decides.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, openReason(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := regular(info); err != nil {
		return nil, err
	}
	if info.Size() > max {
		return nil, fmt.Errorf("%w: file is %d bytes (limit %d)", document.ErrLimit, info.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: file is more than %d bytes (limit)", document.ErrLimit, max)
	}
	return data, nil
}

// regular refuses a folder, a FIFO, a device or a socket.
func regular(info os.FileInfo) error {
	switch {
	case info.IsDir():
		return errors.New("is a folder, not a document")
	case !info.Mode().IsRegular():
		return &reason{fmt.Sprintf("not a regular file (%s), not a document", fileKind(info.Mode())), document.ErrUnsupported}
	}
	return nil
}

// openReason words a failed stat or open: "no such file", "permission
// denied".
func openReason(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("no such file")
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "named pipe"
	case m&os.ModeSocket != 0:
		return "socket"
	case m&os.ModeCharDevice != 0:
		return "character device"
	case m&os.ModeDevice != 0:
		return "device"
	}
	return m.Type().String()
}

// oneLine folds a message onto one line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
