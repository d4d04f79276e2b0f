package content

// Simple-font encodings (PDF 32000-1:2008, Annex D): code -> glyph name.
// An empty name is an unused code.

// latin1Names names the glyphs of ISO 8859-1 0xA1..0xFF, shared by
// WinAnsiEncoding and PDFDocEncoding.
var latin1Names = [...]string{
	0xA1: "exclamdown", "cent", "sterling", "currency", "yen", "brokenbar", "section",
	"dieresis", "copyright", "ordfeminine", "guillemotleft", "logicalnot", "hyphen",
	"registered", "macron", "degree", "plusminus", "twosuperior", "threesuperior",
	"acute", "mu", "paragraph", "periodcentered", "cedilla", "onesuperior",
	"ordmasculine", "guillemotright", "onequarter", "onehalf", "threequarters",
	"questiondown", "Agrave", "Aacute", "Acircumflex", "Atilde", "Adieresis", "Aring",
	"AE", "Ccedilla", "Egrave", "Eacute", "Ecircumflex", "Edieresis", "Igrave",
	"Iacute", "Icircumflex", "Idieresis", "Eth", "Ntilde", "Ograve", "Oacute",
	"Ocircumflex", "Otilde", "Odieresis", "multiply", "Oslash", "Ugrave", "Uacute",
	"Ucircumflex", "Udieresis", "Yacute", "Thorn", "germandbls", "agrave", "aacute",
	"acircumflex", "atilde", "adieresis", "aring", "ae", "ccedilla", "egrave",
	"eacute", "ecircumflex", "edieresis", "igrave", "iacute", "icircumflex",
	"idieresis", "eth", "ntilde", "ograve", "oacute", "ocircumflex", "otilde",
	"odieresis", "divide", "oslash", "ugrave", "uacute", "ucircumflex", "udieresis",
	"yacute", "thorn", "ydieresis",
}

// asciiNames names 0x20..0x7E as in WinAnsi, MacRoman and PDFDoc encodings
// (quotesingle and grave); StandardEncoding differs at 0x27 and 0x60.
var asciiNames = [...]string{
	0x20: "space", "exclam", "quotedbl", "numbersign", "dollar", "percent",
	"ampersand", "quotesingle", "parenleft", "parenright", "asterisk", "plus",
	"comma", "hyphen", "period", "slash", "zero", "one", "two", "three", "four",
	"five", "six", "seven", "eight", "nine", "colon", "semicolon", "less", "equal",
	"greater", "question", "at", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J",
	"K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
	"bracketleft", "backslash", "bracketright", "asciicircum", "underscore",
	"grave", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
	"o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "braceleft", "bar",
	"braceright", "asciitilde",
}

// standardHigh is StandardEncoding above 0x7F.
var standardHigh = map[byte]string{
	0xA1: "exclamdown", 0xA2: "cent", 0xA3: "sterling", 0xA4: "fraction", 0xA5: "yen",
	0xA6: "florin", 0xA7: "section", 0xA8: "currency", 0xA9: "quotesingle",
	0xAA: "quotedblleft", 0xAB: "guillemotleft", 0xAC: "guilsinglleft",
	0xAD: "guilsinglright", 0xAE: "fi", 0xAF: "fl", 0xB1: "endash", 0xB2: "dagger",
	0xB3: "daggerdbl", 0xB4: "periodcentered", 0xB6: "paragraph", 0xB7: "bullet",
	0xB8: "quotesinglbase", 0xB9: "quotedblbase", 0xBA: "quotedblright",
	0xBB: "guillemotright", 0xBC: "ellipsis", 0xBD: "perthousand", 0xBF: "questiondown",
	0xC1: "grave", 0xC2: "acute", 0xC3: "circumflex", 0xC4: "tilde", 0xC5: "macron",
	0xC6: "breve", 0xC7: "dotaccent", 0xC8: "dieresis", 0xCA: "ring", 0xCB: "cedilla",
	0xCD: "hungarumlaut", 0xCE: "ogonek", 0xCF: "caron", 0xD0: "emdash", 0xE1: "AE",
	0xE3: "ordfeminine", 0xE8: "Lslash", 0xE9: "Oslash", 0xEA: "OE",
	0xEB: "ordmasculine", 0xF1: "ae", 0xF5: "dotlessi", 0xF8: "lslash", 0xF9: "oslash",
	0xFA: "oe", 0xFB: "germandbls",
}

// winAnsiHigh is WinAnsiEncoding 0x7F..0xA0 (Latin-1 above). Unused codes
// map to bullet, as the specification's note and other readers do.
var winAnsiHigh = [...]string{
	0x7F: "bullet", "Euro", "bullet", "quotesinglbase", "florin", "quotedblbase",
	"ellipsis", "dagger", "daggerdbl", "circumflex", "perthousand", "Scaron",
	"guilsinglleft", "OE", "bullet", "Zcaron", "bullet", "bullet", "quoteleft",
	"quoteright", "quotedblleft", "quotedblright", "bullet", "endash", "emdash",
	"tilde", "trademark", "scaron", "guilsinglright", "oe", "bullet", "zcaron",
	"Ydieresis", "space",
}

// macRomanHigh is MacRomanEncoding 0x80..0xFF.
var macRomanHigh = [...]string{
	"Adieresis", "Aring", "Ccedilla", "Eacute", "Ntilde", "Odieresis", "Udieresis",
	"aacute", "agrave", "acircumflex", "adieresis", "atilde", "aring", "ccedilla",
	"eacute", "egrave", "ecircumflex", "edieresis", "iacute", "igrave", "icircumflex",
	"idieresis", "ntilde", "oacute", "ograve", "ocircumflex", "odieresis", "otilde",
	"uacute", "ugrave", "ucircumflex", "udieresis", "dagger", "degree", "cent",
	"sterling", "section", "bullet", "paragraph", "germandbls", "registered",
	"copyright", "trademark", "acute", "dieresis", "notequal", "AE", "Oslash",
	"infinity", "plusminus", "lessequal", "greaterequal", "yen", "mu", "partialdiff",
	"summation", "product", "pi", "integral", "ordfeminine", "ordmasculine", "Omega",
	"ae", "oslash", "questiondown", "exclamdown", "logicalnot", "radical", "florin",
	"approxequal", "Delta", "guillemotleft", "guillemotright", "ellipsis", "space",
	"Agrave", "Atilde", "Otilde", "OE", "oe", "endash", "emdash", "quotedblleft",
	"quotedblright", "quoteleft", "quoteright", "divide", "lozenge", "ydieresis",
	"Ydieresis", "fraction", "currency", "guilsinglleft", "guilsinglright", "fi", "fl",
	"daggerdbl", "periodcentered", "quotesinglbase", "quotedblbase", "perthousand",
	"Acircumflex", "Ecircumflex", "Aacute", "Edieresis", "Egrave", "Iacute",
	"Icircumflex", "Idieresis", "Igrave", "Oacute", "Ocircumflex", "apple", "Ograve",
	"Uacute", "Ucircumflex", "Ugrave", "dotlessi", "circumflex", "tilde", "macron",
	"breve", "dotaccent", "ring", "cedilla", "hungarumlaut", "ogonek", "caron",
}

// pdfDocLow is PDFDocEncoding 0x18..0x1F and pdfDocHigh 0x80..0xA0.
var (
	pdfDocLow = [...]string{
		0x18: "breve", "caron", "circumflex", "dotaccent", "hungarumlaut", "ogonek",
		"ring", "tilde",
	}
	pdfDocHigh = [...]string{
		0x80: "bullet", "dagger", "daggerdbl", "ellipsis", "emdash", "endash", "florin",
		"fraction", "guilsinglleft", "guilsinglright", "minus", "perthousand",
		"quotedblbase", "quotedblleft", "quotedblright", "quoteleft", "quoteright",
		"quotesinglbase", "trademark", "fi", "fl", "Lslash", "OE", "Scaron", "Ydieresis",
		"Zcaron", "dotlessi", "lslash", "oe", "scaron", "zcaron", "", "Euro",
	}
)

// encodingID names a base encoding.
type encodingID uint8

const (
	encNone encodingID = iota // no base: only /Differences (or a builtin we cannot read)
	encStandard
	encWinAnsi
	encMacRoman
	encPDFDoc
)

// encodingByName maps an /Encoding or /BaseEncoding name to its id; ok is
// false for names we do not know (MacExpertEncoding among them).
func encodingByName(name string) (encodingID, bool) {
	switch name {
	case "StandardEncoding":
		return encStandard, true
	case "WinAnsiEncoding":
		return encWinAnsi, true
	case "MacRomanEncoding":
		return encMacRoman, true
	case "PDFDocEncoding":
		return encPDFDoc, true
	}
	return encNone, false
}

// baseNames fills names with the glyph names of encoding id.
func baseNames(id encodingID, names *[256]string) {
	switch id {
	case encStandard:
		copy(names[0x20:], asciiNames[0x20:])
		names['\''] = "quoteright"
		names['`'] = "quoteleft"
		for c, n := range standardHigh {
			names[c] = n
		}
	case encWinAnsi:
		copy(names[0x20:], asciiNames[0x20:])
		copy(names[0x7F:], winAnsiHigh[0x7F:])
		copy(names[0xA1:], latin1Names[0xA1:])
	case encMacRoman:
		copy(names[0x20:], asciiNames[0x20:])
		copy(names[0x80:], macRomanHigh[:])
	case encPDFDoc:
		copy(names[0x18:], pdfDocLow[0x18:])
		copy(names[0x20:], asciiNames[0x20:])
		copy(names[0x80:], pdfDocHigh[0x80:])
		copy(names[0xA1:], latin1Names[0xA1:])
		names[0xAD] = ""
	}
}
