package content

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// Resolver is what fonts and the interpreter need from the file: references
// followed and streams decoded (bounded). *cos.File implements it.
type Resolver interface {
	Resolve(o cos.Object) (cos.Object, error)
	Decode(s *cos.Stream) ([]byte, error)
}

// ErrUnsupported marks a page or font the fast path cannot read exactly; the
// caller hands the page to PDFium. Wrap it with the reason.
var ErrUnsupported = errors.New("not supported by the fast path")

// Font is a loaded font resource: how its strings split into character
// codes, what each code means in Unicode, and how wide it is. Immutable once
// loaded, so pages read in parallel share it.
//
// CONTRACT (owned by the font helper; the interpreter codes against it):
//
//	LoadFont(r Resolver, d cos.Dict) (*Font, error)
//	  d is the resolved font dictionary. Returns an error wrapping
//	  ErrUnsupported for fonts the fast path must not guess at (vertical
//	  writing, CID fonts without ToUnicode whose ordering is not Identity
//	  with a usable mapping, missing widths for a non-standard font, ...).
//	(*Font).Next(s []byte) (code uint32, n int)
//	  the next character code at the start of s and its length in bytes
//	  (n >= 1 whenever len(s) > 0): one byte for simple fonts, the CMap's
//	  code space ranges for Type0 (2 bytes for Identity-H).
//	(*Font).Text(code uint32) (string, bool)
//	  the Unicode text of code: ToUnicode first, else the encoding's glyph
//	  name through the Adobe Glyph List (uniXXXX, uXXXX[XX] and AGL names);
//	  false when nothing maps it (an "unmapped glyph").
//	(*Font).Width(code uint32) float64
//	  the glyph's advance in text space units per 1 unit of font size
//	  (i.e. the /Widths or /W value divided by 1000, or for Type3 through
//	  the FontMatrix).
//	(*Font).Ascent() float64, (*Font).Descent() float64
//	  in text space units per unit of font size (0.8 and -0.2 style values,
//	  descent negative), from the FontDescriptor, else the FontBBox, else
//	  0.8/-0.2.
//	(*Font).WordSpace(code uint32, n int) bool
//	  whether Tw applies: a single-byte code 32.
//
// LoadFont deliberately returns ErrUnsupported (wrapped, with the reason) for:
//   - a font subtype other than Type1, MMType1, TrueType, Type3 and Type0,
//     or a Type0 whose descendant is not a CIDFontType0/2 dictionary;
//   - an /Encoding name we do not know (MacExpertEncoding among them), or an
//     /Encoding or /Differences of the wrong type or absurd size;
//   - Symbol and ZapfDingbats (by /BaseFont) without a ToUnicode CMap;
//   - a simple font without /Widths unless its /BaseFont is one of the
//     standard 14 (aliases such as Arial and TimesNewRoman included) and
//     every glyph with Unicode that its encoding names has a known width
//     (the MacRoman math signs take Symbol's widths and read as unmapped);
//     a Type3 font without /Widths;
//   - a Type3 FontMatrix whose advances are not rightward horizontal
//     (b != 0 or a <= 0);
//   - a Type0 /Encoding other than Identity-H or an embedded CMap stream;
//     Identity-V and any vertical CMap (WMode 1, or a name ending in -V);
//     an embedded CMap that uses another CMap (usecmap), has no or bad
//     codespace ranges, or codes of two lengths with the same value;
//   - a Type0 font without ToUnicode whose CIDSystemInfo ordering is a
//     registered character collection (Japan1, GB1, CNS1, Korea1, ...): its
//     text needs the collection's tables, which we do not carry (Identity
//     or unknown orderings load, with every code unmapped);
//   - a malformed /W array, or a CMap, /W or /Differences over its bound;
//   - a ToUnicode or embedded CMap stream the Resolver cannot decode, and
//     any Resolver error on a key the font needs.
type Font struct {
	name            string
	kind            fontKind
	style           FontStyle
	family          uint32
	ascent, descent float64

	// Simple fonts and Type3: one byte per code.
	text   [256]string
	mapped [256]bool
	width  [256]float64

	// Type0 only.
	cid *cidFont
}

type fontKind uint8

const (
	kindSimple fontKind = iota
	kindType3
	kindType0
)

// cidFont is the Type0 side of a Font.
type cidFont struct {
	identity bool      // Identity-H: 2-byte codes, CID = code
	cs       codeSpace // code lengths when not identity
	toCID    []uint16  // code -> CID for codes < len (not identity)
	// cidRanges holds code -> CID ranges for codes beyond toCID (sorted,
	// disjoint).
	cidRanges []cidRange
	uniDense  []string          // code -> text, "" unmapped
	uniSparse map[uint32]string // used when codes are too spread for uniDense
	widths    []float32         // CID -> width in glyph units; beyond -> dw
	dw        float32
}

// Name returns the font's /BaseFont (for diagnostics).
func (f *Font) Name() string { return f.name }

// Type3 reports a Type3 font.
func (f *Font) Type3() bool { return f.kind == kindType3 }

// Next returns the character code at the start of s and its length in bytes.
func (f *Font) Next(s []byte) (code uint32, n int) {
	if len(s) == 0 {
		return 0, 0
	}
	if f.kind != kindType0 {
		return uint32(s[0]), 1
	}
	if f.cid.identity {
		if len(s) >= 2 {
			return uint32(s[0])<<8 | uint32(s[1]), 2
		}
		return uint32(s[0]), 1
	}
	return f.cid.cs.next(s)
}

// Text returns the Unicode text of code, false when the font does not map it.
func (f *Font) Text(code uint32) (string, bool) {
	if f.kind != kindType0 {
		if code < 256 {
			return f.text[code], f.mapped[code]
		}
		return "", false
	}
	c := f.cid
	if code < uint32(len(c.uniDense)) {
		s := c.uniDense[code]
		return s, s != ""
	}
	if c.uniSparse != nil {
		s, ok := c.uniSparse[code]
		return s, ok
	}
	return "", false
}

// Width returns the advance of code in text space units per unit font size.
func (f *Font) Width(code uint32) float64 {
	if f.kind != kindType0 {
		if code < 256 {
			return f.width[code]
		}
		return 0
	}
	c := f.cid
	cid := code
	if !c.identity {
		cid = c.cidOf(code)
	}
	if cid < uint32(len(c.widths)) {
		return float64(c.widths[cid]) / 1000
	}
	return float64(c.dw) / 1000
}

// Ascent returns how far a glyph's box reaches above the baseline, in text
// space units per unit font size (> 0); see boxMetrics.
func (f *Font) Ascent() float64 { return f.ascent }

// Descent returns how far a glyph's box reaches below the baseline, in text
// space units per unit font size (<= 0); see boxMetrics.
func (f *Font) Descent() float64 { return f.descent }

// boxMetrics turns a font descriptor's ascent and descent into the extent
// of glyph boxes. A descriptor's Ascent and Descent are often the
// line-spacing metrics (1.16 em for DejaVu) or missing (LibreOffice writes
// 0, leaving the FontBBox, 1.7 em), while PDFium measures such fonts' boxes
// from about the cap height to the descender (0.93-0.95 em), and the
// layout's thresholds (word gaps, column gutters, line bands) are tuned to
// PDFium's boxes: with the taller boxes, two-column SRD pages read 3-10%
// further from PDFium's order. (Standard fonts without a descriptor keep
// their FontBBox, as PDFium's substitutes measure 1.15 em.)
func boxMetrics(a, d float64) (float64, float64) {
	return min(a, maxBoxAscent), max(d, minBoxDescent)
}

// The box of a glyph reaches at most this far above and below its baseline,
// per unit of font size.
const (
	maxBoxAscent  = 0.75
	minBoxDescent = -0.22
)

// WordSpace reports whether word spacing (Tw) applies to code: the single
// byte 32, in simple and multi-byte fonts alike.
func (f *Font) WordSpace(code uint32, n int) bool { return n == 1 && code == 32 }

// cidOf maps a code to its CID.
func (c *cidFont) cidOf(code uint32) uint32 {
	if c.identity {
		return code
	}
	if code < uint32(len(c.toCID)) {
		return uint32(c.toCID[code])
	}
	rs := c.cidRanges
	i := sort.Search(len(rs), func(i int) bool { return rs[i].hi >= code })
	if i < len(rs) && rs[i].lo <= code {
		return rs[i].cid + code - rs[i].lo
	}
	return 0
}

// Bounds on font dictionaries.
const (
	maxDifferences = 4096    // elements of one /Differences array
	maxWElements   = 1 << 18 // elements of one /W array
	maxWAssign     = 1 << 20 // CID widths one /W array may set
	maxCID         = 0xFFFF
)

// unsupported returns an error wrapping ErrUnsupported.
func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}

// LoadFont loads the resolved font dictionary d.
func LoadFont(r Resolver, d cos.Dict) (*Font, error) {
	l := loader{r: r}
	f := &Font{}
	if n, ok := d["BaseFont"].(cos.Name); ok {
		f.name = string(n)
	}
	sub, _ := d["Subtype"].(cos.Name)
	var err error
	switch sub {
	case "Type1", "MMType1", "TrueType":
		err = l.simple(f, d)
	case "Type3":
		f.kind = kindType3
		err = l.simple(f, d)
	case "Type0":
		f.kind = kindType0
		err = l.type0(f, d)
	default:
		err = unsupported("font subtype %q", string(sub))
	}
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", f.name, err)
	}
	f.style = fontStyle(r, d)
	f.family = familyOf(f.name)
	return f, nil
}

// loader reads font dictionaries through a Resolver.
type loader struct {
	r Resolver
}

// get returns d[key] resolved; nil when absent.
func (l *loader) get(d cos.Dict, key cos.Name) (cos.Object, error) {
	o, ok := d[key]
	if !ok || o == nil {
		return nil, nil
	}
	if _, isRef := o.(cos.Ref); !isRef {
		return o, nil
	}
	v, err := l.r.Resolve(o)
	if err != nil {
		return nil, fmt.Errorf("%w: /%s: %w", ErrUnsupported, key, err)
	}
	return v, nil
}

// resolve resolves an array element.
func (l *loader) resolve(o cos.Object) (cos.Object, error) {
	if _, isRef := o.(cos.Ref); !isRef {
		return o, nil
	}
	v, err := l.r.Resolve(o)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	return v, nil
}

// dict returns d[key] as a dictionary (nil when absent or of another type).
func (l *loader) dict(d cos.Dict, key cos.Name) (cos.Dict, error) {
	o, err := l.get(d, key)
	if err != nil {
		return nil, err
	}
	v, _ := o.(cos.Dict)
	return v, nil
}

// num returns d[key] as a number.
func (l *loader) num(d cos.Dict, key cos.Name) (float64, bool, error) {
	o, err := l.get(d, key)
	if err != nil {
		return 0, false, err
	}
	v, ok := cos.Num(o)
	return v, ok, nil
}

// numbers returns d[key] as an array of exactly n numbers.
func (l *loader) numbers(d cos.Dict, key cos.Name, n int) ([]float64, error) {
	o, err := l.get(d, key)
	if err != nil {
		return nil, err
	}
	a, ok := o.(cos.Array)
	if !ok || len(a) != n {
		return nil, nil
	}
	out := make([]float64, n)
	for i, e := range a {
		e, err := l.resolve(e)
		if err != nil {
			return nil, err
		}
		v, ok := cos.Num(e)
		if !ok {
			return nil, nil
		}
		out[i] = v
	}
	return out, nil
}

// toUnicode parses d's /ToUnicode stream; nil when absent, not a stream, or
// empty.
func (l *loader) toUnicode(d cos.Dict) (*cmapFile, error) {
	o, err := l.get(d, "ToUnicode")
	if err != nil {
		return nil, err
	}
	s, ok := o.(*cos.Stream)
	if !ok {
		return nil, nil // absent, or a name such as /Identity-H: no mapping
	}
	data, err := l.r.Decode(s)
	if err != nil {
		return nil, fmt.Errorf("%w: ToUnicode: %w", ErrUnsupported, err)
	}
	cm, err := parseCMap(data)
	if err != nil {
		return nil, fmt.Errorf("ToUnicode: %w", err)
	}
	if len(cm.uni) == 0 {
		return nil, nil
	}
	return cm, nil
}

// Font descriptor flags.
const flagSymbolic = 1 << 2

// simple loads a Type1, MMType1, TrueType or Type3 font.
func (l *loader) simple(f *Font, d cos.Dict) error {
	fd, err := l.dict(d, "FontDescriptor")
	if err != nil {
		return err
	}
	flags := 0
	if v, ok, err := l.num(fd, "Flags"); err != nil {
		return err
	} else if ok && v >= 0 && v < 1<<32 {
		flags = int(int64(v))
	}
	std := standardFont(f.name)
	symbolic := flags&flagSymbolic != 0
	if fd == nil && (std == "Symbol" || std == "ZapfDingbats") {
		symbolic = true
	}
	tu, err := l.toUnicode(d)
	if err != nil {
		return err
	}

	// Type3 glyph space.
	var fm []float64
	if f.kind == kindType3 {
		fm, err = l.numbers(d, "FontMatrix", 6)
		if err != nil {
			return err
		}
		if fm == nil {
			return unsupported("Type3 font without a FontMatrix")
		}
		if fm[1] != 0 || fm[0] <= 0 {
			return unsupported("Type3 FontMatrix %v", fm)
		}
	}

	names, err := l.encoding(d, fd, f.kind, std, symbolic)
	if err != nil {
		return err
	}

	// Text: ToUnicode first, then the glyph names.
	if tu != nil {
		all := string(tu.text)
		for _, e := range tu.uni {
			if e.code < 256 {
				f.text[e.code] = all[e.off:e.end]
				f.mapped[e.code] = true
			}
		}
	}
	for c := range 256 {
		if f.mapped[c] || names[c] == "" {
			continue
		}
		if s, ok := glyphText(names[c]); ok {
			f.text[c], f.mapped[c] = s, true
		} else if std == "ZapfDingbats" {
			// Zapf's glyph names (a1 ... a191) are not in the Adobe Glyph
			// List; its own list maps them.
			if s, ok := zapfText(names[c]); ok {
				f.text[c], f.mapped[c] = s, true
			}
		}
	}

	if err := l.simpleWidths(f, d, fd, fm, std, &names); err != nil {
		return err
	}

	// Ascent and descent.
	if f.kind == kindType3 {
		bbox, err := l.numbers(d, "FontBBox", 4)
		if err != nil {
			return err
		}
		var a, dsc float64
		if bbox != nil {
			y1 := bbox[1]*fm[3] + fm[5]
			y2 := bbox[3]*fm[3] + fm[5]
			a, dsc = max(y1, y2), min(y1, y2)
		}
		f.ascent, f.descent = saneMetrics(a, dsc)
		return nil
	}
	if fd == nil && std != "" {
		// A standard font without a descriptor: its FontBBox, as PDFium
		// measures the font it substitutes. The layout's thresholds are
		// tuned to boxes about 1.15 em high, which 0.8/-0.2 would miss.
		f.ascent, f.descent = standardBBox(std)
		return nil
	}
	f.ascent, f.descent, err = l.descriptorMetrics(fd)
	f.ascent, f.descent = boxMetrics(f.ascent, f.descent)
	return err
}

// standardBBox returns the top and bottom of a standard font's FontBBox
// (Adobe's Core14 AFM files) per unit of font size.
func standardBBox(std string) (float64, float64) {
	switch {
	case strings.HasPrefix(std, "Helvetica"):
		return 0.931, -0.225
	case strings.HasPrefix(std, "Times"):
		return 0.898, -0.218
	case strings.HasPrefix(std, "Courier"):
		return 0.805, -0.250
	case std == "Symbol":
		return 1.010, -0.293
	case std == "ZapfDingbats":
		return 0.820, -0.143
	}
	return 0.8, -0.2
}

// encoding returns the glyph name of every code of a simple font.
func (l *loader) encoding(d, fd cos.Dict, kind fontKind, std string, symbolic bool) ([256]string, error) {
	var names [256]string
	enc, err := l.get(d, "Encoding")
	if err != nil {
		return names, err
	}
	var diffs cos.Array
	switch e := enc.(type) {
	case nil:
		return l.builtinEncoding(d, fd, kind, std, symbolic)
	case cos.Name:
		id, ok := encodingByName(string(e))
		if !ok {
			return names, unsupported("encoding %q", string(e))
		}
		baseNames(id, &names)
		return names, nil
	case cos.Dict:
		b, err := l.get(e, "BaseEncoding")
		if err != nil {
			return names, err
		}
		switch b := b.(type) {
		case nil:
			if names, err = l.builtinEncoding(d, fd, kind, std, symbolic); err != nil {
				return names, err
			}
		case cos.Name:
			id, ok := encodingByName(string(b))
			if !ok {
				return names, unsupported("base encoding %q", string(b))
			}
			baseNames(id, &names)
		default:
			return names, unsupported("/BaseEncoding of type %T", b)
		}
		o, err := l.get(e, "Differences")
		if err != nil {
			return names, err
		}
		switch o := o.(type) {
		case nil:
		case cos.Array:
			diffs = o
		default:
			return names, unsupported("/Differences of type %T", o)
		}
	default:
		return names, unsupported("/Encoding of type %T", e)
	}
	if len(diffs) > maxDifferences {
		return names, unsupported("/Differences of %d elements", len(diffs))
	}
	code := int64(-1)
	for _, o := range diffs {
		o, err := l.resolve(o)
		if err != nil {
			return names, err
		}
		switch v := o.(type) {
		case int64:
			code = v
		case cos.Name:
			if code >= 0 && code < 256 {
				names[code] = string(v)
			}
			if code >= 0 {
				code++
			}
		}
	}
	return names, nil
}

// builtinEncoding returns the encoding a simple font uses without an
// /Encoding (or under /Differences without /BaseEncoding): none for Type3;
// the font program's own for an embedded Type1 or Type1C (CFF) whose
// program we can read;
// else StandardEncoding for a non-symbolic font, and nothing (every code
// unmapped) for a symbolic one.
func (l *loader) builtinEncoding(d, fd cos.Dict, kind fontKind, std string, symbolic bool) ([256]string, error) {
	var names [256]string
	if kind == kindType3 {
		return names, nil
	}
	// Symbol and ZapfDingbats, embedded or not, encode by their own
	// built-in encodings (what PDFium and poppler read them by).
	if std != "" && (!embedded(fd) || std == "Symbol" || std == "ZapfDingbats") {
		switch std {
		case "Symbol", "ZapfDingbats":
			tbl := &symbolBuiltin
			if std == "ZapfDingbats" {
				tbl = &zapfBuiltin
			}
			for c, g := range tbl {
				names[c] = g.name
			}
		default:
			baseNames(encStandard, &names)
		}
		return names, nil
	}
	if fd != nil {
		o, err := l.get(fd, "FontFile")
		if err != nil {
			return names, err
		}
		if s, ok := o.(*cos.Stream); ok {
			if n, ok := l.type1Encoding(s); ok {
				return *n, nil
			}
		}
		o, err = l.get(fd, "FontFile3")
		if err != nil {
			return names, err
		}
		if s, ok := o.(*cos.Stream); ok && kind == kindSimple {
			if n, ok := l.fontFile3Encoding(s); ok {
				return *n, nil
			}
		}
	}
	if !symbolic {
		baseNames(encStandard, &names)
	}
	return names, nil
}

// embedded reports a font descriptor with a font program.
func embedded(fd cos.Dict) bool {
	if fd == nil {
		return false
	}
	for _, k := range [...]cos.Name{"FontFile", "FontFile2", "FontFile3"} {
		if fd[k] != nil {
			return true
		}
	}
	return false
}

// simpleWidths fills f.width from /Widths, or the standard 14 metrics.
func (l *loader) simpleWidths(f *Font, d, fd cos.Dict, fm []float64, std string, names *[256]string) error {
	scale := 1.0 / 1000
	if fm != nil {
		scale = fm[0]
	}
	wo, err := l.get(d, "Widths")
	if err != nil {
		return err
	}
	switch wa := wo.(type) {
	case cos.Array:
		missing, _, err := l.num(fd, "MissingWidth")
		if err != nil {
			return err
		}
		for c := range f.width {
			f.width[c] = missing * scale
		}
		first := int64(0)
		if v, ok := d["FirstChar"]; ok {
			v, err := l.resolve(v)
			if err != nil {
				return err
			}
			if n, ok := cos.Int(v); ok {
				first = n
			}
		}
		start := int64(0)
		if first < 0 {
			start = int64(len(wa))
			if first > -int64(len(wa)) {
				start = -first
			}
		}
		for i := start; i < int64(len(wa)) && first+i < 256; i++ {
			v, err := l.resolve(wa[i])
			if err != nil {
				return err
			}
			if w, ok := cos.Num(v); ok {
				f.width[first+i] = w * scale
			}
		}
		return nil
	case nil:
		if f.kind == kindType3 {
			return unsupported("Type3 font without /Widths")
		}
		return f.standardWidths(std, names)
	default:
		return unsupported("/Widths of type %T", wo)
	}
}

// standardWidths fills f.width from the built-in metrics of standard font
// std, for a font without /Widths. A glyph the Latin fonts lack but Symbol
// has (the math signs of MacRomanEncoding: notequal, infinity, ...) takes
// Symbol's width, which is what printers substituted, and is marked
// unmapped: its place is a guess. A glyph with Unicode but no metrics
// anywhere makes the font unsupported.
func (f *Font) standardWidths(std string, names *[256]string) error {
	if std == "Symbol" || std == "ZapfDingbats" {
		tbl := &symbolBuiltin
		if std == "ZapfDingbats" {
			tbl = &zapfBuiltin
		}
		for c, n := range names {
			if n == "" {
				continue
			}
			w, ok := builtinWidth(tbl, n)
			if !ok {
				return unsupported("no /Widths and no metrics for glyph %q of %s", n, std)
			}
			f.width[c] = w
		}
		return nil
	}
	widths, ok := std14Widths[std]
	if !ok {
		return unsupported("no /Widths and not a standard font")
	}
	courier := strings.HasPrefix(std, "Courier")
	for c, n := range names {
		if n == "" {
			continue
		}
		i := sort.SearchStrings(std14Glyphs[:], n)
		switch {
		case i < len(std14Glyphs) && std14Glyphs[i] == n:
			f.width[c] = float64(widths[i]) / 1000
		case courier:
			f.width[c] = 0.6 // fixed pitch: every Courier glyph is 600 units
		default:
			w, ok := builtinWidth(&symbolBuiltin, n)
			if !ok && f.mapped[c] {
				return unsupported("no /Widths and no metrics for glyph %q of %s", n, std)
			}
			f.width[c] = w
			f.text[c], f.mapped[c] = "", false
		}
	}
	return nil
}

// namedWidth is a glyph of a built-in encoding and its width in glyph units.
type namedWidth struct {
	name  string
	width uint16
}

// builtinWidth returns the width (per unit font size) of glyph name in tbl.
func builtinWidth(tbl *[256]namedWidth, name string) (float64, bool) {
	for _, g := range tbl {
		if g.name == name {
			return float64(g.width) / 1000, true
		}
	}
	return 0, false
}

// descriptorMetrics returns ascent and descent from a font descriptor.
func (l *loader) descriptorMetrics(fd cos.Dict) (float64, float64, error) {
	if fd == nil {
		a, d := saneMetrics(0, 0)
		return a, d, nil
	}
	a, _, err := l.num(fd, "Ascent")
	if err != nil {
		return 0, 0, err
	}
	d, _, err := l.num(fd, "Descent")
	if err != nil {
		return 0, 0, err
	}
	if a == 0 || d == 0 {
		bbox, err := l.numbers(fd, "FontBBox", 4)
		if err != nil {
			return 0, 0, err
		}
		if bbox != nil {
			if a == 0 {
				a = max(bbox[1], bbox[3])
			}
			if d == 0 {
				d = min(bbox[1], bbox[3])
			}
		}
	}
	a, d = saneMetrics(a/1000, d/1000)
	return a, d, nil
}

// saneMetrics clamps ascent and descent (text space per unit font size):
// a positive descent is taken as a sign error; ascent is kept in (0, 2],
// descent in [-1, 0]; 0.8 and -0.2 stand in for missing values and for
// boxes under half an em.
func saneMetrics(a, d float64) (float64, float64) {
	if d > 0 {
		d = -d
	}
	if a <= 0 {
		a = 0.8
	}
	if d == 0 {
		d = -0.2
	}
	a = min(a, 2)
	d = max(d, -1)
	if a-d < 0.5 {
		return 0.8, -0.2
	}
	return a, d
}

// standardFont returns the standard 14 font a /BaseFont names ("Helvetica",
// "Times-BoldItalic", "Symbol", ...), or "" for any other font. A subset
// prefix ("ABCDEF+") is ignored, and the usual aliases are recognised:
// Arial for Helvetica, TimesNewRoman for Times, CourierNew for Courier, with
// ",Bold", "-BoldItalicMT" style suffixes.
func standardFont(base string) string {
	if len(base) > 7 && base[6] == '+' {
		prefix := true
		for i := range 6 {
			if base[i] < 'A' || base[i] > 'Z' {
				prefix = false
			}
		}
		if prefix {
			base = base[7:]
		}
	}
	family, style := base, ""
	if i := strings.IndexAny(base, ",-"); i >= 0 {
		family, style = base[:i], base[i+1:]
	}
	switch family {
	case "Helvetica", "Arial", "ArialMT":
		family = "Helvetica"
	case "Times", "TimesNewRoman", "TimesNewRomanPS", "TimesNewRomanPSMT":
		family = "Times"
	case "Courier", "CourierNew", "CourierNewPS", "CourierNewPSMT":
		family = "Courier"
	case "Symbol", "SymbolMT":
		if style == "" {
			return "Symbol"
		}
		return ""
	case "ZapfDingbats":
		if style == "" {
			return "ZapfDingbats"
		}
		return ""
	default:
		return ""
	}
	style = strings.TrimSuffix(style, "MT")
	style = strings.TrimSuffix(style, "PS")
	var bold, italic bool
	switch style {
	case "", "Roman", "Regular", "Normal":
	case "Bold":
		bold = true
	case "Italic", "Oblique":
		italic = true
	case "BoldItalic", "BoldOblique":
		bold, italic = true, true
	default:
		return ""
	}
	switch family {
	case "Times":
		switch {
		case bold && italic:
			return "Times-BoldItalic"
		case bold:
			return "Times-Bold"
		case italic:
			return "Times-Italic"
		}
		return "Times-Roman"
	default:
		switch {
		case bold && italic:
			return family + "-BoldOblique"
		case bold:
			return family + "-Bold"
		case italic:
			return family + "-Oblique"
		}
		return family
	}
}
