package content

import (
	"github.com/corpora-tools/corpora/internal/document/pdf/cos"
)

// cffISOAdobe is the CFF standard strings 0..228 (the ISOAdobe charset), in
// SID order (Adobe Technical Note #5176, Appendix A). SIDs 229..390 (expert
// and style names) are left out: a glyph named by one reads as unmapped.
var cffISOAdobe = [...]string{
	".notdef", "space", "exclam", "quotedbl", "numbersign", "dollar", "percent",
	"ampersand", "quoteright", "parenleft", "parenright", "asterisk", "plus", "comma",
	"hyphen", "period", "slash", "zero", "one", "two", "three", "four", "five", "six",
	"seven", "eight", "nine", "colon", "semicolon", "less", "equal", "greater",
	"question", "at", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
	"N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "bracketleft",
	"backslash", "bracketright", "asciicircum", "underscore", "quoteleft", "a", "b",
	"c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s",
	"t", "u", "v", "w", "x", "y", "z", "braceleft", "bar", "braceright", "asciitilde",
	"exclamdown", "cent", "sterling", "fraction", "yen", "florin", "section",
	"currency", "quotesingle", "quotedblleft", "guillemotleft", "guilsinglleft",
	"guilsinglright", "fi", "fl", "endash", "dagger", "daggerdbl", "periodcentered",
	"paragraph", "bullet", "quotesinglbase", "quotedblbase", "quotedblright",
	"guillemotright", "ellipsis", "perthousand", "questiondown", "grave", "acute",
	"circumflex", "tilde", "macron", "breve", "dotaccent", "dieresis", "ring",
	"cedilla", "hungarumlaut", "ogonek", "caron", "emdash", "AE", "ordfeminine",
	"Lslash", "Oslash", "OE", "ordmasculine", "ae", "dotlessi", "lslash", "oslash",
	"oe", "germandbls", "onesuperior", "logicalnot", "mu", "trademark", "Eth",
	"onehalf", "plusminus", "Thorn", "onequarter", "divide", "brokenbar", "degree",
	"thorn", "threequarters", "twosuperior", "registered", "minus", "eth",
	"multiply", "threesuperior", "copyright", "Aacute", "Acircumflex", "Adieresis",
	"Agrave", "Aring", "Atilde", "Ccedilla", "Eacute", "Ecircumflex", "Edieresis",
	"Egrave", "Iacute", "Icircumflex", "Idieresis", "Igrave", "Ntilde", "Oacute",
	"Ocircumflex", "Odieresis", "Ograve", "Otilde", "Scaron", "Uacute",
	"Ucircumflex", "Udieresis", "Ugrave", "Yacute", "Ydieresis", "Zcaron", "aacute",
	"acircumflex", "adieresis", "agrave", "aring", "atilde", "ccedilla", "eacute",
	"ecircumflex", "edieresis", "egrave", "iacute", "icircumflex", "idieresis",
	"igrave", "ntilde", "oacute", "ocircumflex", "odieresis", "ograve", "otilde",
	"scaron", "uacute", "ucircumflex", "udieresis", "ugrave", "yacute", "ydieresis",
	"zcaron",
}

// cffStdStrings is the number of CFF standard strings; SIDs from here on
// index the font's String INDEX.
const cffStdStrings = 391

// cffIndex is a parsed CFF INDEX: count items, item i is
// data[offs[i]:offs[i+1]].
type cffIndex struct {
	data []byte
	offs []int
}

func (x *cffIndex) count() int { return max(len(x.offs)-1, 0) }

func (x *cffIndex) item(i int) []byte {
	if i < 0 || i+1 >= len(x.offs) {
		return nil
	}
	return x.data[x.offs[i]:x.offs[i+1]]
}

// readCFFIndex reads the INDEX at p; it returns the offset after it.
func readCFFIndex(b []byte, p int) (cffIndex, int, bool) {
	if p < 0 || p+2 > len(b) {
		return cffIndex{}, 0, false
	}
	n := int(b[p])<<8 | int(b[p+1])
	p += 2
	if n == 0 {
		return cffIndex{}, p, true
	}
	if p >= len(b) {
		return cffIndex{}, 0, false
	}
	size := int(b[p])
	p++
	if size < 1 || size > 4 || p+(n+1)*size > len(b) {
		return cffIndex{}, 0, false
	}
	offs := make([]int, n+1)
	for i := range offs {
		v := 0
		for k := range size {
			v = v<<8 | int(b[p+i*size+k])
		}
		offs[i] = v - 1
	}
	data := b[p+(n+1)*size:]
	for i, o := range offs {
		if o < 0 || o > len(data) || i > 0 && o < offs[i-1] {
			return cffIndex{}, 0, false
		}
	}
	return cffIndex{data: data, offs: offs}, p + (n+1)*size + offs[n], true
}

// cffTopDict reads the Top DICT operators we need: charset (15), Encoding
// (16), CharStrings (17); cid reports a CID-keyed font (ROS, 12 30).
func cffTopDict(d []byte) (charset, encoding, charStrings int, cid, ok bool) {
	var stack [48]float64
	n := 0
	charStrings = -1
	for p := 0; p < len(d); {
		b0 := d[p]
		switch {
		case b0 <= 21: // operator
			op := int(b0)
			p++
			if b0 == 12 {
				if p >= len(d) {
					return 0, 0, 0, false, false
				}
				op = 1200 + int(d[p])
				p++
			}
			var v int
			if n > 0 {
				v = int(stack[n-1])
			}
			switch op {
			case 15:
				charset = v
			case 16:
				encoding = v
			case 17:
				charStrings = v
			case 1230:
				cid = true
			}
			n = 0
			continue
		case b0 == 28:
			if p+3 > len(d) {
				return 0, 0, 0, false, false
			}
			stack[n%len(stack)] = float64(int16(uint16(d[p+1])<<8 | uint16(d[p+2])))
			p += 3
		case b0 == 29:
			if p+5 > len(d) {
				return 0, 0, 0, false, false
			}
			stack[n%len(stack)] = float64(int32(uint32(d[p+1])<<24 | uint32(d[p+2])<<16 | uint32(d[p+3])<<8 | uint32(d[p+4])))
			p += 5
		case b0 == 30: // real: nibbles up to 0xf; its value is not needed
			p++
			for p < len(d) && d[p]&0x0f != 0x0f && d[p]>>4 != 0x0f {
				p++
			}
			p++
			stack[n%len(stack)] = 0
		case b0 >= 32 && b0 <= 246:
			stack[n%len(stack)] = float64(int(b0) - 139)
			p++
		case b0 >= 247 && b0 <= 250:
			if p+2 > len(d) {
				return 0, 0, 0, false, false
			}
			stack[n%len(stack)] = float64((int(b0)-247)*256 + int(d[p+1]) + 108)
			p += 2
		case b0 >= 251 && b0 <= 254:
			if p+2 > len(d) {
				return 0, 0, 0, false, false
			}
			stack[n%len(stack)] = float64(-(int(b0)-251)*256 - int(d[p+1]) - 108)
			p += 2
		default: // 22..27, 31, 255: reserved
			return 0, 0, 0, false, false
		}
		if n < len(stack) {
			n++
		}
	}
	return charset, encoding, charStrings, cid, true
}

// cffEncoding reads the built-in encoding of a bare CFF font program
// (FontFile3 /Subtype /Type1C). ok is false for CID-keyed fonts, the Expert
// encoding and charsets, and anything malformed.
func cffEncoding(b []byte) (*[256]string, bool) {
	if len(b) < 4 || b[0] != 1 {
		return nil, false
	}
	p := int(b[2])
	_, p, ok := readCFFIndex(b, p) // Name INDEX
	if !ok {
		return nil, false
	}
	top, p, ok := readCFFIndex(b, p)
	if !ok || top.count() < 1 {
		return nil, false
	}
	strs, _, ok := readCFFIndex(b, p)
	if !ok {
		return nil, false
	}
	charsetOff, encOff, csOff, cid, ok := cffTopDict(top.item(0))
	if !ok || cid || csOff <= 0 {
		return nil, false
	}
	cs, _, ok := readCFFIndex(b, csOff)
	if !ok || cs.count() == 0 {
		return nil, false
	}
	var names [256]string
	switch encOff {
	case 0:
		baseNames(encStandard, &names)
		return &names, true
	case 1:
		return nil, false // Expert encoding
	}
	nGlyphs := cs.count()
	sidName := func(sid int) string {
		if sid < len(cffISOAdobe) {
			return cffISOAdobe[sid]
		}
		if sid >= cffStdStrings {
			return string(strs.item(sid - cffStdStrings))
		}
		return ""
	}
	// charset: GID -> SID.
	sids := make([]uint16, nGlyphs)
	switch charsetOff {
	case 0: // ISOAdobe
		for g := range sids {
			if g < len(cffISOAdobe) {
				sids[g] = uint16(g)
			}
		}
	case 1, 2:
		return nil, false // Expert charsets
	default:
		q := charsetOff
		if q < 0 || q >= len(b) {
			return nil, false
		}
		format := b[q]
		q++
		switch format {
		case 0:
			for g := 1; g < nGlyphs; g++ {
				if q+2 > len(b) {
					return nil, false
				}
				sids[g] = uint16(b[q])<<8 | uint16(b[q+1])
				q += 2
			}
		case 1, 2:
			for g := 1; g < nGlyphs; {
				need := 3
				if format == 2 {
					need = 4
				}
				if q+need > len(b) {
					return nil, false
				}
				first := int(b[q])<<8 | int(b[q+1])
				left := int(b[q+2])
				if format == 2 {
					left = left<<8 | int(b[q+3])
				}
				q += need
				for k := 0; k <= left && g < nGlyphs; k++ {
					sids[g] = uint16(first + k)
					g++
				}
			}
		default:
			return nil, false
		}
	}
	// encoding: code -> GID, plus supplements code -> SID.
	q := encOff
	if q < 0 || q >= len(b) {
		return nil, false
	}
	format := b[q]
	q++
	switch format & 0x7f {
	case 0:
		if q >= len(b) {
			return nil, false
		}
		nCodes := int(b[q])
		q++
		if q+nCodes > len(b) {
			return nil, false
		}
		for i := range nCodes {
			if g := i + 1; g < nGlyphs {
				names[b[q+i]] = sidName(int(sids[g]))
			}
		}
		q += nCodes
	case 1:
		if q >= len(b) {
			return nil, false
		}
		nRanges := int(b[q])
		q++
		g := 1
		for range nRanges {
			if q+2 > len(b) {
				return nil, false
			}
			first, left := int(b[q]), int(b[q+1])
			q += 2
			for k := 0; k <= left && first+k < 256 && g < nGlyphs; k++ {
				names[first+k] = sidName(int(sids[g]))
				g++
			}
		}
	default:
		return nil, false
	}
	if format&0x80 != 0 {
		if q >= len(b) {
			return nil, false
		}
		nSups := int(b[q])
		q++
		for range nSups {
			if q+3 > len(b) {
				return nil, false
			}
			names[b[q]] = sidName(int(b[q+1])<<8 | int(b[q+2]))
			q += 3
		}
	}
	return &names, true
}

// fontFile3Encoding reads the built-in encoding of a FontFile3 stream of
// subtype Type1C.
func (l *loader) fontFile3Encoding(s *cos.Stream) (*[256]string, bool) {
	if sub, _ := s.Dict["Subtype"].(cos.Name); sub != "Type1C" {
		return nil, false
	}
	data, err := l.r.Decode(s)
	if err != nil {
		return nil, false
	}
	return cffEncoding(data)
}
