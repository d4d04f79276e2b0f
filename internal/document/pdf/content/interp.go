package content

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// Glyph is one character as the layout wants it: Unicode text and a loose
// box in default user space (y up), like PDFium's FPDFText_GetLooseCharBox.
type Glyph struct {
	// Text is usually one rune; a ligature mapping gives several (each later
	// becomes a character sharing the box). Empty when Unmapped.
	Text       string
	L, B, R, T float32
	// Size is the effective font size: Tfs scaled by the vertical scale of
	// the text matrix times the CTM.
	Size float32
	// Unmapped reports that the font had no Unicode for this code.
	Unmapped bool
	// Space reports a space character (Text " "): a space glyph, a
	// no-break space, a white-space control character, or an unmapped
	// single-byte code 32.
	Space bool
	// Bold and Italic say the glyph's type style: from its font, and bold
	// also for text filled and stroked (render mode 2, a common fake bold).
	Bold, Italic bool
	// Family identifies the font's family (see Font.Family).
	Family uint32
}

// Page is what one page's content yields.
type Page struct {
	Glyphs []Glyph
	// ImageCover is the largest image's area inside the page box divided by
	// the page box area (0..1): images drawn by Do (at any form depth) and
	// inline images, each as the bounding box of its unit square through
	// the CTM.
	ImageCover float64
}

// Limits bound the work spent on one page. Zero fields take the defaults.
type Limits struct {
	MaxOps       int // operators per page, forms included (default 5,000,000)
	MaxGlyphs    int // glyphs per page (default 2,000,000)
	MaxFormDepth int // nesting of form XObjects (default 12)
}

// Default limits.
const (
	DefaultMaxOps       = 5_000_000
	DefaultMaxGlyphs    = 2_000_000
	DefaultMaxFormDepth = 12
)

// ErrLimit reports a page that exceeds a Limits bound.
var ErrLimit = errors.New("content limit")

// glyphFont is what the interpreter needs from a font; *Font implements it
// (and tests use a fake).
type glyphFont interface {
	Next(s []byte) (code uint32, n int)
	Text(code uint32) (string, bool)
	Width(code uint32) float64
	Ascent() float64
	Descent() float64
	WordSpace(code uint32, n int) bool
	Style() FontStyle
	Family() uint32
}

// matrix is a PDF transformation [a b c d e f]: a point (x, y) maps to
// (a*x + c*y + e, b*x + d*y + f).
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n: m applied first, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// translate returns T(tx, ty) × m.
func (m matrix) translate(tx, ty float64) matrix {
	m[4] += tx*m[0] + ty*m[2]
	m[5] += tx*m[1] + ty*m[3]
	return m
}

// gstate is the part of the graphics state the text needs; q and Q save and
// restore it.
type gstate struct {
	ctm      matrix
	font     glyphFont
	fontID   int32 // the font's number in the page, for the duplicate filter
	fontErr  error // why the font selected by Tf is not usable
	tfs      float64
	tc, tw   float64
	th       float64 // horizontal scaling, 1 = 100%
	tl, rise float64
	tr       int // text rendering mode
}

const (
	maxSaveDepth = 256 // q nesting kept; deeper q/Q pairs are counted only
	maxOperands  = 16  // numbers kept before an operator (the last ones)
	ctxEvery     = 4096
)

// interp interprets one page and the forms it draws.
type interp struct {
	ctx   context.Context
	r     Resolver
	fonts *FontCache
	lim   Limits
	box   [4]float64
	page  *Page

	gs       gstate
	stack    []gstate
	base     int // stack depth at the start of the current form: Q stops here
	overflow int // q beyond maxSaveDepth not yet closed
	tm, tlm  matrix
	trm      matrix // tm × ctm, valid when !dirty
	dirty    bool

	ops      int
	unmapped int
	printed  int // non-space glyphs

	// Operands since the last operator.
	nums    [maxOperands]float64
	nnum    int
	str     []byte
	hasStr  bool
	name    []byte
	hasName bool
	tj      []tjItem // the last array operand, for TJ
	tjStr   []byte
	hasTJ   bool

	formStack  []*cos.Stream
	formOwnRes []bool // by form depth: the form has its own /Resources
	forms      map[*cos.Stream]*form
	recorders  []*recorder // forms being recorded (interp_formcache.go)
	fontIDs    map[glyphFont]int32

	// Duplicate filters (interp_text.go).
	cur            textObject   // the text object being shown
	hist           []objHistory // by form depth
	recent         [ringLen]recentGlyph
	nrecent, rhead int
}

// tjItem is one element of a TJ array: a number, or a string in tjStr.
type tjItem struct {
	num        float64
	start, end int32
	isStr      bool
}

// form is a form XObject decoded once per page.
type form struct {
	data []byte
	res  *resources // its own /Resources; nil when it has none
	m    matrix
	err  error
}

// resources is one resource dictionary with its lookups cached for a page.
type resources struct {
	dict     cos.Dict
	fontDict cos.Dict
	xobjDict cos.Dict
	fontRead bool
	xobjRead bool
	byName   map[string]fontSel
}

// fontSel is the outcome of selecting a font by name.
type fontSel struct {
	f   glyphFont
	id  int32
	err error
}

// Run interprets one page. content is the page's decoded content (the
// caller concatenates /Contents streams with a space between), resources
// the page's resource dictionary and box its CropBox (for ImageCover). fonts
// caches loaded fonts across the document's pages.
//
// The error wraps ErrUnsupported when the page must be read by another
// engine (a font the fast path cannot read, rotated, skewed or mirrored
// text, too many glyphs without Unicode), ErrLimit when a bound of lim is
// exceeded, or is ctx.Err().
func Run(ctx context.Context, r Resolver, fonts *FontCache, resDict cos.Dict, content []byte, box [4]float64, lim Limits) (*Page, error) {
	if lim.MaxOps <= 0 {
		lim.MaxOps = DefaultMaxOps
	}
	if lim.MaxGlyphs <= 0 {
		lim.MaxGlyphs = DefaultMaxGlyphs
	}
	if lim.MaxFormDepth <= 0 {
		lim.MaxFormDepth = DefaultMaxFormDepth
	}
	if fonts == nil {
		fonts = NewFontCache()
	}
	if box[0] > box[2] {
		box[0], box[2] = box[2], box[0]
	}
	if box[1] > box[3] {
		box[1], box[3] = box[3], box[1]
	}
	guess := min(len(content)/4+64, 16384, lim.MaxGlyphs)
	in := &interp{
		ctx:   ctx,
		r:     r,
		fonts: fonts,
		lim:   lim,
		box:   box,
		page:  &Page{Glyphs: make([]Glyph, 0, guess)},
		gs:    gstate{ctm: identity, th: 1},
		tm:    identity,
		tlm:   identity,
		dirty: true,
		cur:   textObject{codes: make([]uint32, 0, 256)},
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := in.run(content, &resources{dict: resDict}); err != nil {
		return nil, err
	}
	if in.unmapped > 0 && in.unmapped*20 > in.printed {
		return nil, fmt.Errorf("%w: unmapped glyphs (%d of %d)", ErrUnsupported, in.unmapped, in.printed)
	}
	return in.page, nil
}

// run interprets one content stream with its resources.
func (in *interp) run(data []byte, res *resources) error {
	lx := cos.NewLexer(data, 0)
	in.clearOperands()
	for {
		t := lx.Next()
		switch t.Kind {
		case cos.TokEOF:
			return nil
		case cos.TokNumber:
			if in.nnum == maxOperands {
				copy(in.nums[:], in.nums[1:])
				in.nnum--
			}
			in.nums[in.nnum] = t.Num
			in.nnum++
		case cos.TokString:
			in.str = append(in.str[:0], t.Bytes...)
			in.hasStr = true
		case cos.TokName:
			in.name = append(in.name[:0], t.Bytes...)
			in.hasName = true
		case cos.TokArrayStart:
			in.readArray(lx)
		case cos.TokDictStart:
			skipDict(lx)
		case cos.TokKeyword:
			if isOperandWord(t.Bytes) {
				continue
			}
			in.ops++
			if in.ops > in.lim.MaxOps {
				return fmt.Errorf("%w: more than %d operators", ErrLimit, in.lim.MaxOps)
			}
			if in.ops%ctxEvery == 0 {
				if err := in.ctx.Err(); err != nil {
					return err
				}
			}
			if err := in.op(lx, t.Bytes, res); err != nil {
				return err
			}
			in.clearOperands()
		}
		// ']', '>>' and junk outside their pairs are ignored.
	}
}

func (in *interp) clearOperands() {
	in.nnum = 0
	in.hasStr = false
	in.hasName = false
	in.hasTJ = false
}

// isOperandWord reports the keywords that are operands, not operators.
func isOperandWord(w []byte) bool {
	switch string(w) {
	case "true", "false", "null":
		return true
	}
	return false
}

// readArray reads an array operand after its '[' into tj: numbers and
// strings at its top level; nested arrays and dictionaries are skipped.
func (in *interp) readArray(lx *cos.Lexer) {
	in.tj = in.tj[:0]
	in.tjStr = in.tjStr[:0]
	in.hasTJ = true
	depth := 0
	for {
		t := lx.Next()
		switch t.Kind {
		case cos.TokEOF:
			return
		case cos.TokArrayStart:
			depth++
		case cos.TokArrayEnd:
			if depth == 0 {
				return
			}
			depth--
		case cos.TokNumber:
			if depth == 0 {
				in.tj = append(in.tj, tjItem{num: t.Num})
			}
		case cos.TokString:
			if depth == 0 && len(in.tjStr)+len(t.Bytes) <= math.MaxInt32 {
				start := int32(len(in.tjStr))
				in.tjStr = append(in.tjStr, t.Bytes...)
				in.tj = append(in.tj, tjItem{start: start, end: int32(len(in.tjStr)), isStr: true})
			}
		case cos.TokDictStart:
			skipDict(lx)
		case cos.TokKeyword:
			// An operator inside an array: the array was never closed.
			// Readers end the array here; the operator is lost either way.
			if !isOperandWord(t.Bytes) {
				return
			}
		}
	}
}

// skipDict skips a dictionary operand after its '<<'.
func skipDict(lx *cos.Lexer) {
	depth := 1
	for {
		switch lx.Next().Kind {
		case cos.TokEOF:
			return
		case cos.TokDictStart:
			depth++
		case cos.TokDictEnd:
			depth--
			if depth == 0 {
				return
			}
		}
	}
}

// num returns the k-th last number operand (0 = the last).
func (in *interp) num(k int) float64 { return in.nums[in.nnum-1-k] }

// mat returns the last six numbers as a matrix.
func (in *interp) mat() matrix {
	n := in.nums[in.nnum-6 : in.nnum]
	return matrix{n[0], n[1], n[2], n[3], n[4], n[5]}
}

// op runs one operator.
func (in *interp) op(lx *cos.Lexer, kw []byte, res *resources) error {
	if len(in.recorders) > 0 && inks(kw) {
		in.failRecorders()
	}
	switch string(kw) {
	case "Tj":
		if in.hasStr {
			return in.showText(in.str, false)
		}
	case "TJ":
		if in.hasTJ {
			return in.showText(nil, true)
		}
	case "Td":
		if in.nnum >= 2 {
			in.moveLine(in.num(1), in.num(0))
		}
	case "TD":
		if in.nnum >= 2 {
			in.gs.tl = -in.num(0)
			in.moveLine(in.num(1), in.num(0))
		}
	case "T*":
		in.moveLine(0, -in.gs.tl)
	case "Tm":
		if in.nnum >= 6 {
			in.tm = in.mat()
			in.tlm = in.tm
			in.dirty = true
		}
	case "Tf":
		if in.hasName && in.nnum >= 1 {
			in.gs.tfs = in.num(0)
			in.selectFont(res, in.name)
		}
	case "Tc":
		if in.nnum >= 1 {
			in.gs.tc = in.num(0)
		}
	case "Tw":
		if in.nnum >= 1 {
			in.gs.tw = in.num(0)
		}
	case "Tz":
		if in.nnum >= 1 {
			in.gs.th = in.num(0) / 100
		}
	case "TL":
		if in.nnum >= 1 {
			in.gs.tl = in.num(0)
		}
	case "Ts":
		if in.nnum >= 1 {
			in.gs.rise = in.num(0)
		}
	case "Tr":
		if in.nnum >= 1 {
			in.gs.tr = int(in.num(0))
		}
	case "'":
		if in.hasStr {
			in.moveLine(0, -in.gs.tl)
			return in.showText(in.str, false)
		}
	case "\"":
		if in.hasStr && in.nnum >= 2 {
			in.gs.tw = in.num(1)
			in.gs.tc = in.num(0)
			in.moveLine(0, -in.gs.tl)
			return in.showText(in.str, false)
		}
	case "BT":
		in.tm = identity
		in.tlm = identity
		in.dirty = true
	case "q":
		if len(in.stack) >= maxSaveDepth {
			in.overflow++
		} else {
			in.stack = append(in.stack, in.gs)
		}
	case "Q":
		if in.overflow > 0 {
			in.overflow--
		} else if len(in.stack) > in.base {
			in.gs = in.stack[len(in.stack)-1]
			in.stack = in.stack[:len(in.stack)-1]
			in.dirty = true
		}
	case "cm":
		if in.nnum >= 6 {
			in.gs.ctm = in.mat().mul(in.gs.ctm)
			in.dirty = true
		}
	case "Do":
		if in.hasName {
			return in.doXObject(res, in.name)
		}
	case "BI":
		return in.inlineImage(lx)
	}
	// Everything else (paths, colours, marked content, shadings, Type 3
	// glyph metrics, compatibility sections) does not change the text.
	return nil
}

// moveLine starts a new line at (tx, ty) from the current line's start.
func (in *interp) moveLine(tx, ty float64) {
	in.tlm = in.tlm.translate(tx, ty)
	in.tm = in.tlm
	in.dirty = true
}

// selectFont makes the font named name in res current.
func (in *interp) selectFont(res *resources, name []byte) {
	sel, ok := res.byName[string(name)]
	if !ok {
		sel.f, sel.err = in.loadFont(res, name)
		if sel.f != nil {
			// One number per font, whatever names it goes by.
			if in.fontIDs == nil {
				in.fontIDs = make(map[glyphFont]int32)
			}
			id, known := in.fontIDs[sel.f]
			if !known {
				id = int32(len(in.fontIDs) + 1)
				in.fontIDs[sel.f] = id
			}
			sel.id = id
		}
		if res.byName == nil {
			res.byName = make(map[string]fontSel)
		}
		res.byName[string(name)] = sel
	}
	in.gs.font, in.gs.fontID, in.gs.fontErr = sel.f, sel.id, sel.err
}

func (in *interp) loadFont(res *resources, name []byte) (glyphFont, error) {
	if !res.fontRead {
		res.fontRead = true
		res.fontDict, _ = in.resolve(res.dict["Font"]).(cos.Dict)
	}
	v, ok := res.fontDict[cos.Name(name)]
	if !ok {
		return nil, fmt.Errorf("%w: font /%s not in the resources", ErrUnsupported, name)
	}
	f, err := in.fonts.get(in.r, v)
	if err != nil {
		if errors.Is(err, ErrUnsupported) {
			return nil, fmt.Errorf("font /%s: %w", name, err)
		}
		return nil, fmt.Errorf("%w: font /%s: %w", ErrUnsupported, name, err)
	}
	return f, nil
}

// resolve follows a reference; anything unresolvable is nil.
func (in *interp) resolve(o cos.Object) cos.Object {
	if _, ok := o.(cos.Ref); !ok {
		return o
	}
	if in.r == nil {
		return nil
	}
	v, err := in.r.Resolve(o)
	if err != nil {
		return nil
	}
	return v
}

// textMatrix returns Tm × CTM.
func (in *interp) textMatrix() matrix {
	if in.dirty {
		in.trm = in.tm.mul(in.gs.ctm)
		in.dirty = false
	}
	return in.trm
}

// advance moves the text position by tx in unscaled text space.
func (in *interp) advance(tx float64) {
	in.tm[4] += tx * in.tm[0]
	in.tm[5] += tx * in.tm[1]
	if !in.dirty {
		in.trm[4] += tx * in.trm[0]
		in.trm[5] += tx * in.trm[1]
	}
}
