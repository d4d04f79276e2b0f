package content

import (
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// Bounds on one CMap, hostile input in mind.
const (
	maxCMapEntries      = 100_000 // code->text and code->CID entries (a range counts its span for text)
	maxBfrangeSpan      = 65_536  // codes one bfrange may cover
	maxCMapText         = 4 << 20 // bytes of UTF-8 text one ToUnicode CMap may produce
	maxCMapDst          = 512     // bytes of one bfchar/bfrange destination string
	maxCodespaceRanges  = 256
	maxCMapRangeEntries = 100_000 // cidrange/cidchar entries
	maxCMapStream       = 8 << 20 // decoded bytes of one CMap stream
)

// errCMapTooLarge reports a CMap over the bounds above.
var errCMapTooLarge = fmt.Errorf("%w: CMap too large", ErrUnsupported)

// codespaceRange is one begincodespacerange entry: codes of n bytes whose
// every byte lies between lo and hi.
type codespaceRange struct {
	n      int
	lo, hi [4]byte
}

// cidRange maps codes lo..hi (n bytes) to CIDs cid, cid+1, ...
type cidRange struct {
	lo, hi uint32
	n      int
	cid    uint32
}

// uniEntry maps one code to text[off:end] of its CMap.
type uniEntry struct {
	code     uint32
	n        int
	off, end uint32
}

// cmapFile is a parsed CMap stream: an encoding CMap (codespace, CIDs) or a
// ToUnicode CMap (codespace, text), or both.
type cmapFile struct {
	name      string
	useCMap   string
	wmode     int
	codespace []codespaceRange
	cids      []cidRange
	uni       []uniEntry
	text      []byte
	entries   int
}

// parseCMap parses the decoded bytes of a CMap. It never fails on syntax:
// junk is skipped, as readers do; it fails only when a bound is exceeded.
func parseCMap(data []byte) (*cmapFile, error) {
	if len(data) > maxCMapStream {
		return nil, errCMapTooLarge
	}
	p := &cmapParser{lx: cos.NewLexer(data, 0), cm: &cmapFile{}}
	if err := p.run(); err != nil {
		return nil, err
	}
	return p.cm, nil
}

type cmapParser struct {
	lx *cos.Lexer
	cm *cmapFile
	// the two previous top-level tokens, for "/WMode 1 def",
	// "/CMapName /X def" and "/X usecmap".
	prev [2]prevTok
	// scratch for a destination string's runes.
	runes []rune
}

type prevTok struct {
	kind cos.TokenKind
	num  float64
	name string
}

func (p *cmapParser) push(t cos.Token) {
	p.prev[0] = p.prev[1]
	pt := prevTok{kind: t.Kind, num: t.Num}
	if t.Kind == cos.TokName && len(t.Bytes) <= 128 {
		pt.name = string(t.Bytes)
	}
	p.prev[1] = pt
}

func (p *cmapParser) run() error {
	for {
		t := p.lx.Next()
		switch t.Kind {
		case cos.TokEOF:
			return nil
		case cos.TokKeyword:
			var err error
			switch string(t.Bytes) {
			case "begincodespacerange":
				err = p.codespace()
			case "beginbfchar":
				err = p.bfchar()
			case "beginbfrange":
				err = p.bfrange()
			case "begincidchar":
				err = p.cidchar()
			case "begincidrange":
				err = p.cidrange()
			case "def":
				if p.prev[0].kind == cos.TokName {
					switch p.prev[0].name {
					case "WMode":
						if p.prev[1].kind == cos.TokNumber {
							p.cm.wmode = int(p.prev[1].num)
						}
					case "CMapName":
						if p.prev[1].kind == cos.TokName {
							p.cm.name = p.prev[1].name
						}
					}
				}
			case "usecmap":
				if p.prev[1].kind == cos.TokName {
					p.cm.useCMap = p.prev[1].name
				}
			}
			if err != nil {
				return err
			}
		}
		p.push(t)
	}
}

// isEnd reports a keyword token that closes a section ("end...").
func isEnd(t cos.Token) bool {
	return t.Kind == cos.TokKeyword && len(t.Bytes) >= 3 && string(t.Bytes[:3]) == "end" ||
		t.Kind == cos.TokEOF
}

// code reads a source code from a string token: 1 to 4 bytes.
func code(t cos.Token) (c uint32, n int, ok bool) {
	if t.Kind != cos.TokString || len(t.Bytes) == 0 || len(t.Bytes) > 4 {
		return 0, 0, false
	}
	for _, b := range t.Bytes {
		c = c<<8 | uint32(b)
	}
	return c, len(t.Bytes), true
}

func (p *cmapParser) codespace() error {
	for {
		t := p.lx.Next()
		if isEnd(t) {
			return nil
		}
		if t.Kind != cos.TokString || len(t.Bytes) == 0 || len(t.Bytes) > 4 {
			continue
		}
		var r codespaceRange
		r.n = len(t.Bytes)
		copy(r.lo[:], t.Bytes)
		t = p.lx.Next()
		if isEnd(t) {
			return nil
		}
		if t.Kind != cos.TokString || len(t.Bytes) != r.n {
			continue
		}
		copy(r.hi[:], t.Bytes)
		if len(p.cm.codespace) >= maxCodespaceRanges {
			return errCMapTooLarge
		}
		p.cm.codespace = append(p.cm.codespace, r)
	}
}

func (p *cmapParser) bfchar() error {
	for {
		t := p.lx.Next()
		if isEnd(t) {
			return nil
		}
		c, n, ok := code(t)
		if !ok {
			continue
		}
		t = p.lx.Next()
		switch t.Kind {
		case cos.TokString:
			if err := p.addText(c, n, t.Bytes); err != nil {
				return err
			}
		case cos.TokName:
			// a glyph-name destination (dstCharName)
			if s, ok := glyphText(string(t.Bytes)); ok {
				if err := p.addUTF8(c, n, s); err != nil {
					return err
				}
			}
		default:
			if isEnd(t) {
				return nil
			}
		}
	}
}

// codeRange reads the "<lo> <hi>" of a range whose first token is t; end
// reports the end of the section, ok a usable pair (same code lengths).
func (p *cmapParser) codeRange(t cos.Token) (lo, hi uint32, n int, ok, end bool) {
	lo, n, ok = code(t)
	if !ok {
		return 0, 0, 0, false, false
	}
	t = p.lx.Next()
	if isEnd(t) {
		return 0, 0, 0, false, true
	}
	hi, n2, ok := code(t)
	return lo, hi, n, ok && n2 == n, false
}

func (p *cmapParser) bfrange() error {
	for {
		t := p.lx.Next()
		if isEnd(t) {
			return nil
		}
		lo, hi, n, ok, end := p.codeRange(t)
		if end {
			return nil
		}
		if !ok {
			continue
		}
		t = p.lx.Next()
		switch t.Kind {
		case cos.TokString:
			if hi < lo {
				continue
			}
			span := min(hi-lo, maxBfrangeSpan-1)
			if err := p.addRange(lo, n, span, t.Bytes); err != nil {
				return err
			}
		case cos.TokArrayStart:
			// one destination per code: [<d0> <d1> ...]
			for i := uint32(0); ; i++ {
				t = p.lx.Next()
				if t.Kind == cos.TokArrayEnd || t.Kind == cos.TokEOF {
					break
				}
				if t.Kind != cos.TokString || hi < lo || i > hi-lo || i >= maxBfrangeSpan {
					continue
				}
				if err := p.addText(lo+i, n, t.Bytes); err != nil {
					return err
				}
			}
		default:
			if isEnd(t) {
				return nil
			}
		}
	}
}

// addRange adds codes lo..lo+span with dst's last character incremented.
func (p *cmapParser) addRange(lo uint32, n int, span uint32, dst []byte) error {
	from := uint32(0)
	if len(dst) > 0 && len(dst) <= 4 && allZero(dst) {
		// <0000> <FFFF> <0000>: an identity map (fpdf writes one). Only its
		// first code means "no text".
		p.runes = append(p.runes[:0], 0)
		from = 1
	} else if !p.decodeDst(dst) {
		return nil
	}
	for i := from; i <= span; i++ {
		if err := p.addRunes(lo+i, n, rune(i)); err != nil {
			return err
		}
	}
	return nil
}

// addText adds code -> the UTF-16BE string dst.
func (p *cmapParser) addText(c uint32, n int, dst []byte) error {
	if !p.decodeDst(dst) {
		return nil
	}
	return p.addRunes(c, n, 0)
}

// decodeDst decodes a UTF-16BE destination into p.runes; false when it is
// empty, all zero bytes, too long, or not valid UTF-16 (an unpaired
// surrogate). A single byte is read as a code point, as some producers
// write <41>.
func (p *cmapParser) decodeDst(dst []byte) bool {
	p.runes = p.runes[:0]
	if len(dst) == 0 || len(dst) > maxCMapDst || allZero(dst) {
		return false // <0000> is producers' way of saying "no text"
	}
	if len(dst) == 1 {
		p.runes = append(p.runes, rune(dst[0]))
		return true
	}
	if len(dst)%2 != 0 {
		return false
	}

	for i := 0; i < len(dst); i += 2 {
		u := rune(dst[i])<<8 | rune(dst[i+1])
		switch {
		case utf16.IsSurrogate(u):
			if u >= 0xDC00 || i+3 >= len(dst) {
				return false
			}
			u2 := rune(dst[i+2])<<8 | rune(dst[i+3])
			r := utf16.DecodeRune(u, u2)
			if r == utf8.RuneError {
				return false
			}
			p.runes = append(p.runes, r)
			i += 2
		default:
			p.runes = append(p.runes, u)
		}
	}
	return true
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// addRunes adds code -> p.runes with the last rune increased by inc.
func (p *cmapParser) addRunes(c uint32, n int, inc rune) error {
	cm := p.cm
	if cm.entries >= maxCMapEntries {
		return errCMapTooLarge
	}
	off := len(cm.text)
	last := len(p.runes) - 1
	for i, r := range p.runes {
		if i == last {
			r += inc
			if r > utf8.MaxRune || r >= 0xD800 && r <= 0xDFFF {
				cm.text = cm.text[:off]
				return nil
			}
		}
		cm.text = utf8.AppendRune(cm.text, r)
	}
	if len(cm.text) > maxCMapText {
		return errCMapTooLarge
	}
	cm.entries++
	cm.uni = append(cm.uni, uniEntry{code: c, n: n, off: uint32(off), end: uint32(len(cm.text))})
	return nil
}

// addUTF8 adds code -> s.
func (p *cmapParser) addUTF8(c uint32, n int, s string) error {
	p.runes = p.runes[:0]
	for _, r := range s {
		p.runes = append(p.runes, r)
	}
	if len(p.runes) == 0 {
		return nil
	}
	return p.addRunes(c, n, 0)
}

func (p *cmapParser) cidchar() error {
	for {
		t := p.lx.Next()
		if isEnd(t) {
			return nil
		}
		c, n, ok := code(t)
		if !ok {
			continue
		}
		t = p.lx.Next()
		if isEnd(t) {
			return nil
		}
		if t.Kind != cos.TokNumber || !t.Int || t.Num < 0 || t.Num > 0xFFFF {
			continue
		}
		if err := p.addCID(cidRange{lo: c, hi: c, n: n, cid: uint32(t.Num)}); err != nil {
			return err
		}
	}
}

func (p *cmapParser) cidrange() error {
	for {
		t := p.lx.Next()
		if isEnd(t) {
			return nil
		}
		lo, hi, n, ok, end := p.codeRange(t)
		if end {
			return nil
		}
		if !ok {
			continue
		}
		t = p.lx.Next()
		if isEnd(t) {
			return nil
		}
		if t.Kind != cos.TokNumber || !t.Int || t.Num < 0 || t.Num > 0xFFFF || hi < lo {
			continue
		}
		if err := p.addCID(cidRange{lo: lo, hi: hi, n: n, cid: uint32(t.Num)}); err != nil {
			return err
		}
	}
}

func (p *cmapParser) addCID(r cidRange) error {
	if len(p.cm.cids) >= maxCMapRangeEntries {
		return errCMapTooLarge
	}
	p.cm.cids = append(p.cm.cids, r)
	return nil
}

// codeMatch reports whether the n bytes at the start of s lie in r.
func (r *codespaceRange) match(s []byte) bool {
	if len(s) < r.n {
		return false
	}
	for i := 0; i < r.n; i++ {
		if s[i] < r.lo[i] || s[i] > r.hi[i] {
			return false
		}
	}
	return true
}

// bounds returns the numeric range of codes r covers.
func (r *codespaceRange) bounds() (lo, hi uint32) {
	for i := 0; i < r.n; i++ {
		lo = lo<<8 | uint32(r.lo[i])
		hi = hi<<8 | uint32(r.hi[i])
	}
	return lo, hi
}

// codeSpace splits strings into codes by a CMap's codespace ranges.
type codeSpace struct {
	ranges []codespaceRange
	minLen int
}

// newCodeSpace checks ranges: every range well-formed, and no code value
// reachable with two lengths (Text and Width take the code alone, so 0x41
// and 0x0041 must not both exist).
func newCodeSpace(ranges []codespaceRange) (codeSpace, error) {
	if len(ranges) == 0 {
		return codeSpace{}, errors.New("no codespace ranges")
	}
	cs := codeSpace{ranges: ranges, minLen: 4}
	for i := range ranges {
		r := &ranges[i]
		for k := 0; k < r.n; k++ {
			if r.lo[k] > r.hi[k] {
				return codeSpace{}, fmt.Errorf("codespace range %d is empty", i)
			}
		}
		cs.minLen = min(cs.minLen, r.n)
		lo, hi := r.bounds()
		for j := range i {
			o := &ranges[j]
			if o.n == r.n {
				continue
			}
			olo, ohi := o.bounds()
			if lo <= ohi && olo <= hi {
				return codeSpace{}, errors.New("codespace ranges of different lengths overlap numerically")
			}
		}
	}
	return cs, nil
}

// next reads one code from s (len(s) > 0): the shortest matching range
// wins; bytes matching no range form one code of the shortest length.
func (cs *codeSpace) next(s []byte) (uint32, int) {
	for n := 1; n <= 4 && n <= len(s); n++ {
		for i := range cs.ranges {
			r := &cs.ranges[i]
			if r.n == n && r.match(s) {
				var c uint32
				for _, b := range s[:n] {
					c = c<<8 | uint32(b)
				}
				return c, n
			}
		}
	}
	n := min(cs.minLen, len(s))
	var c uint32
	for _, b := range s[:n] {
		c = c<<8 | uint32(b)
	}
	return c, n
}
