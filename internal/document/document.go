package document

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"time"

	"github.com/corpora-tools/corpora/internal/fault"
)

// SchemaVersion is written into every file corpora produces.
const SchemaVersion = "2.0"

// Format is a supported document format.
type Format string

// The supported formats.
const (
	PDF      Format = "pdf"
	EPUB     Format = "epub"
	DOCX     Format = "docx"
	Text     Format = "txt"
	Markdown Format = "md"
	HTML     Format = "html"
)

// extensions are the file extensions of the supported formats, lower case.
const extensions = ".pdf .epub .docx .txt .text .md .markdown .mdown .mkd .html .htm .xhtml"

// Extensions returns the file extensions (lower case, with the dot) that a
// folder walk picks up, in a fixed order; every command uses this one list.
// The parser still sniffs the content to decide the format.
func Extensions() []string { return strings.Fields(extensions) }

// Supported reports whether name has one of Extensions, compared
// case-insensitively.
func Supported(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == "" {
		return false
	}
	for _, e := range strings.Fields(extensions) {
		if ext == e {
			return true
		}
	}
	return false
}

// BlockType says what kind of content a block holds.
type BlockType string

// The block types.
const (
	Heading   BlockType = "heading"
	Paragraph BlockType = "text"
	List      BlockType = "list"
	Table     BlockType = "table"
)

// Output is the DocumentOutput of SPEC section 3: what `corpora parse` prints.
// Field order is the JSON key order.
type Output struct {
	SchemaVersion string    `json:"schema_version"`
	Source        string    `json:"source"`
	Format        Format    `json:"format"`
	ExtractedAt   time.Time `json:"extracted_at"`
	OCRUsed       bool      `json:"ocr_used"`
	Pages         int       `json:"pages"`
	Metadata      Metadata  `json:"metadata"`
	Warnings      []Warning `json:"warnings"`
	Content       []Block   `json:"content"`
}

// Metadata is what the format offers about the document.
type Metadata struct {
	Title     string     `json:"title,omitempty"`
	Author    string     `json:"author,omitempty"`
	Subject   string     `json:"subject,omitempty"`
	Keywords  string     `json:"keywords,omitempty"`
	Language  string     `json:"language,omitempty"`
	Publisher string     `json:"publisher,omitempty"`
	Creator   string     `json:"creator,omitempty"`
	Producer  string     `json:"producer,omitempty"`
	Created   string     `json:"created,omitempty"`
	Modified  string     `json:"modified,omitempty"`
	Encrypted bool       `json:"encrypted,omitempty"`
	TOC       []TOCEntry `json:"toc,omitempty"`
}

// TOCEntry is one entry of a PDF outline or EPUB navigation document.
type TOCEntry struct {
	Title   string `json:"title"`
	Level   int    `json:"level"`
	Page    int    `json:"page,omitempty"`
	Chapter int    `json:"chapter,omitempty"`
}

// Warning is a problem confined to one page or chapter; the rest of the
// document was still parsed.
type Warning struct {
	Location string `json:"location"` // "page 12", "chapter 3 (OEBPS/ch3.xhtml)", "document"
	Page     int    `json:"page,omitempty"`
	Chapter  int    `json:"chapter,omitempty"`
	Reason   string `json:"reason"`
}

// Block is one unit of normalised content, in reading order.
// Page is 1-based for paged formats; Chapter is the 1-based spine position for EPUB.
//
// The fields after Chapter carry the structure a printed book marks with type
// style rather than with heading sizes: each is optional (omitted from JSON
// when empty), so a 1.0 DocumentOutput reads unchanged and a parser that cannot
// tell leaves them zero.
type Block struct {
	Type    BlockType `json:"type"`
	Text    string    `json:"text"`
	Page    int       `json:"page,omitempty"`
	Chapter int       `json:"chapter,omitempty"`
	// Level is a heading's depth, 1 (chapter) to 6, where the format says it
	// (HTML h1-h6, Markdown #, DOCX Heading N, PDF size rank); 0 if unknown.
	Level int `json:"level,omitempty"`
	// Role says what a block is within an entry of a sourcebook.
	Role Role `json:"role,omitempty"`
	// Style is the type style the whole block is set in, where it is uniform.
	Style Style `json:"style,omitempty"`
	// Lead is a run-in label that opens the block's Text ("Power Strike." in
	// "Power Strike. When you hit..."), set apart by bold or italic type and
	// ending in a full stop or colon; Text still starts with it.
	Lead string `json:"lead,omitempty"`
}

// Role is what a block is within an entry of a sourcebook.
type Role string

// The block roles.
const (
	// RoleName is an entry's name line: a heading, or a short line set in
	// bold (or otherwise distinct) type at body size, followed by its entry.
	RoleName Role = "name"
	// RoleTypeLine is the line right under a name that says what the entry
	// is ("Ring, legendary (requires attunement)", "3rd-level evocation",
	// "Large dragon, chaotic evil", "Creature 5"); it belongs to the name
	// block before it.
	RoleTypeLine Role = "type_line"
	// RoleStats is a stat block, or one line of it ("Armor Class 15",
	// "HD 3, AC 5", "Perception +12"): labels and numbers, not prose.
	RoleStats Role = "stats"
)

// Style is the type style of a block's text.
type Style string

// The styles.
const (
	Bold       Style = "bold"
	Italic     Style = "italic"
	BoldItalic Style = "bold_italic"
)

// MakeStyle returns the Style for the given weight and slant ("" for
// neither).
func MakeStyle(bold, italic bool) Style {
	switch {
	case bold && italic:
		return BoldItalic
	case bold:
		return Bold
	case italic:
		return Italic
	}
	return ""
}

// IsBold reports whether s is a bold style.
func (s Style) IsBold() bool { return s == Bold || s == BoldItalic }

// IsItalic reports whether s is an italic style.
func (s Style) IsItalic() bool { return s == Italic || s == BoldItalic }

// OCRMode says when OCR is used on PDF pages.
type OCRMode string

// The OCR modes.
const (
	OCRAuto OCRMode = "auto"
	OCROn   OCRMode = "on"
	OCROff  OCRMode = "off"
)

// Options configure one parse.
type Options struct {
	OCR      OCRMode
	Password string // tried after the empty password; "" means only the empty one
	Limits   Limits
	// Warnf, when set, receives one-off notices for the user (such as
	// "tesseract not installed, continuing without OCR").
	Warnf func(format string, args ...any)
}

// Limits bound the work and memory of one parse. Zero fields take the defaults.
type Limits struct {
	Timeout           time.Duration // wall time for one document
	MaxFileBytes      int64         // size of the input file
	MaxPages          int           // pages parsed from one PDF
	MaxRenderPixels   int64         // pixels of one page rendered for OCR
	MaxDecompressed   int64         // total bytes decompressed from a zip container
	MaxEntryBytes     int64         // bytes decompressed from one zip entry
	MaxZipEntries     int           // entries in a zip container
	MaxCompressRatio  int64         // decompressed/compressed ratio of one zip entry
	MaxXMLDepth       int           // element nesting
	MaxXMLTokens      int           // tokens in one XML document
	MaxTextBytes      int64         // normalised text kept for one document
	MaxOCRPages       int           // pages OCR'd in one document
	MemoryLimitBytes  int64         // soft memory limit the caller may apply per process
	PerPageTimeout    time.Duration // one PDF page (text extraction or OCR)
	MaxOutlineEntries int           // TOC entries kept
}

// DefaultLimits are generous for real sourcebooks (a 1,000-page PDF, a 300 MB
// EPUB) and tight enough that hostile input cannot exhaust the machine.
func DefaultLimits() Limits {
	return Limits{
		Timeout:           10 * time.Minute,
		MaxFileBytes:      2 << 30,
		MaxPages:          5000,
		MaxRenderPixels:   40_000_000,
		MaxDecompressed:   1 << 30,
		MaxEntryBytes:     256 << 20,
		MaxZipEntries:     20000,
		MaxCompressRatio:  200,
		MaxXMLDepth:       256,
		MaxXMLTokens:      20_000_000,
		MaxTextBytes:      512 << 20,
		MaxOCRPages:       2000,
		PerPageTimeout:    60 * time.Second,
		MaxOutlineEntries: 5000,
	}
}

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxPages <= 0 {
		l.MaxPages = d.MaxPages
	}
	if l.MaxRenderPixels <= 0 {
		l.MaxRenderPixels = d.MaxRenderPixels
	}
	if l.MaxDecompressed <= 0 {
		l.MaxDecompressed = d.MaxDecompressed
	}
	if l.MaxEntryBytes <= 0 {
		l.MaxEntryBytes = d.MaxEntryBytes
	}
	if l.MaxZipEntries <= 0 {
		l.MaxZipEntries = d.MaxZipEntries
	}
	if l.MaxCompressRatio <= 0 {
		l.MaxCompressRatio = d.MaxCompressRatio
	}
	if l.MaxXMLDepth <= 0 {
		l.MaxXMLDepth = d.MaxXMLDepth
	}
	if l.MaxXMLTokens <= 0 {
		l.MaxXMLTokens = d.MaxXMLTokens
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = d.MaxTextBytes
	}
	if l.MaxOCRPages <= 0 {
		l.MaxOCRPages = d.MaxOCRPages
	}
	if l.PerPageTimeout <= 0 {
		l.PerPageTimeout = d.PerPageTimeout
	}
	if l.MaxOutlineEntries <= 0 {
		l.MaxOutlineEntries = d.MaxOutlineEntries
	}
	return l
}

// Input is one document's bytes and the name used in messages.
type Input struct {
	Name string // path as the user gave it
	Data []byte
}

// Parser turns the bytes of one format into an Output. Implementations fill
// Format, Pages, Metadata, Warnings, Content and OCRUsed; the dispatcher sets
// Source, SchemaVersion and ExtractedAt. A Parser must honour ctx, stay within
// opts.Limits, and return errors wrapping the sentinels below.
type Parser interface {
	Parse(ctx context.Context, in Input, opts Options) (*Output, error)
}

// Errors callers tell apart. Parsers wrap them with the specific reason:
//
//	fmt.Errorf("%w: %d zip entries (limit %d)", document.ErrLimit, n, max)
//
// Each is marked no-retry (package fault): the same bytes fail the same way
// on every attempt.
var (
	ErrUnsupported = fault.MarkNoRetry(errors.New("unsupported format"))        // sniffed as something we do not read
	ErrEncrypted   = fault.MarkNoRetry(errors.New("encrypted"))                 // no password given or the password is wrong
	ErrMalformed   = fault.MarkNoRetry(errors.New("malformed"))                 // broken beyond repair
	ErrLimit       = fault.MarkNoRetry(errors.New("exceeds limit"))             // a Limits bound was hit
	ErrTimeout     = fault.MarkNoRetry(errors.New("timed out"))                 // Limits.Timeout elapsed
	ErrNoText      = fault.MarkNoRetry(errors.New("no extractable text found")) // parsed, but nothing to read and no OCR
)
