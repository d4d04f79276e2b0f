package cos

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// TokenKind says what a Token is.
type TokenKind uint8

// Token kinds.
const (
	TokEOF        TokenKind = iota
	TokNumber               // Num (Int says whether it was written as an integer)
	TokName                 // Bytes: the name, #xx decoded
	TokString               // Bytes: the decoded bytes of a (literal) or <hex> string
	TokKeyword              // Bytes: a bare word (true, false, null, operators, R, obj, stream...)
	TokArrayStart           // [
	TokArrayEnd             // ]
	TokDictStart            // <<
	TokDictEnd              // >>
	TokError                // junk that is not a token (a stray ')' or '>'); Bytes holds it
)

// Token is one lexical token. Bytes points into the lexer's scratch buffer
// or the input and is valid until the next call to Next.
type Token struct {
	Kind  TokenKind
	Int   bool
	Num   float64
	Bytes []byte
}

// ErrSyntax reports input that is not PDF syntax.
var ErrSyntax = errors.New("pdf syntax error")

// maxDepth bounds the nesting of arrays and dictionaries.
const maxDepth = 64

// maxStringBytes bounds one string or name token.
const maxStringBytes = 16 << 20

// Lexer reads PDF tokens and objects from a byte slice. The zero value is
// not usable; use NewLexer.
type Lexer struct {
	data    []byte
	pos     int
	scratch []byte
	// Refs makes Object assemble "num gen R" into a Ref (file objects); off
	// for content streams, which have no references.
	Refs bool
	// peeked tokens, for the two-token lookahead of references.
	ahead []savedTok
}

type savedTok struct {
	tok   Token
	start int // position before the token
}

// NewLexer returns a lexer reading data from offset pos.
func NewLexer(data []byte, pos int) *Lexer {
	return &Lexer{data: data, pos: pos}
}

// Pos is the offset of the next unread byte.
func (l *Lexer) Pos() int {
	if len(l.ahead) > 0 {
		return l.ahead[0].start
	}
	return l.pos
}

// Seek moves to offset pos and drops any lookahead.
func (l *Lexer) Seek(pos int) {
	l.pos = min(max(pos, 0), len(l.data))
	l.ahead = l.ahead[:0]
}

// Data is the input.
func (l *Lexer) Data() []byte { return l.data }

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// regular reports a byte that belongs to a bare word or number; space
// reports white space.
var regular, space [256]bool

func init() {
	for i := range regular {
		c := byte(i)
		regular[i] = !isSpace(c) && !isDelim(c)
		space[i] = isSpace(c)
	}
}

// SkipSpace skips white space and comments.
func (l *Lexer) SkipSpace() {
	d := l.data
	pos := l.pos
	for pos < len(d) {
		c := d[pos]
		if space[c] {
			pos++
			continue
		}
		if c == '%' {
			for pos < len(d) && d[pos] != '\n' && d[pos] != '\r' {
				pos++
			}
			continue
		}
		break
	}
	l.pos = pos
}

// Next returns the next token.
func (l *Lexer) Next() Token {
	if len(l.ahead) > 0 {
		return l.nextAhead()
	}
	return l.lex()
}

func (l *Lexer) nextAhead() Token {
	t := l.ahead[0]
	copy(l.ahead, l.ahead[1:])
	l.ahead = l.ahead[:len(l.ahead)-1]
	return t.tok
}

func (l *Lexer) lex() Token {
	l.SkipSpace()
	d := l.data
	if l.pos >= len(d) {
		return Token{Kind: TokEOF}
	}
	c := d[l.pos]
	switch c {
	case '[':
		l.pos++
		return Token{Kind: TokArrayStart}
	case ']':
		l.pos++
		return Token{Kind: TokArrayEnd}
	case '{', '}': // PostScript calculator functions: treat as array brackets
		l.pos++
		if c == '{' {
			return Token{Kind: TokArrayStart}
		}
		return Token{Kind: TokArrayEnd}
	case '<':
		if l.pos+1 < len(d) && d[l.pos+1] == '<' {
			l.pos += 2
			return Token{Kind: TokDictStart}
		}
		return l.hexString()
	case '>':
		if l.pos+1 < len(d) && d[l.pos+1] == '>' {
			l.pos += 2
			return Token{Kind: TokDictEnd}
		}
		l.pos++
		return Token{Kind: TokError, Bytes: d[l.pos-1 : l.pos]}
	case '(':
		return l.literalString()
	case ')':
		l.pos++
		return Token{Kind: TokError, Bytes: d[l.pos-1 : l.pos]}
	case '/':
		return l.name()
	}
	start := l.pos
	pos := start
	for pos < len(d) && regular[d[pos]] {
		pos++
	}
	l.pos = pos
	word := d[start:pos]
	if v, isInt, ok := number(word); ok {
		return Token{Kind: TokNumber, Int: isInt, Num: v}
	}
	return Token{Kind: TokKeyword, Bytes: word}
}

// number parses a PDF number: an optional sign, digits, at most one point.
// Malformed numbers that readers accept ("--5", "5.3.2", "-") are read as
// far as they make sense, as Adobe Reader, pdf.js and PDFium do.
func number(w []byte) (v float64, isInt, ok bool) {
	if len(w) == 0 {
		return 0, false, false
	}
	c := w[0]
	if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
		return 0, false, false
	}
	i := 0
	neg := false
	for i < len(w) && (w[i] == '-' || w[i] == '+') {
		if w[i] == '-' {
			neg = true // "--5" is -5, as in Adobe Reader and pdf.js
		}
		i++
	}
	var ip uint64
	digits := 0
	overflow := false
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		if ip > (math.MaxInt64-9)/10 {
			overflow = true
		} else {
			ip = ip*10 + uint64(w[i]-'0')
		}
		digits++
		i++
	}
	if i == len(w) && !overflow {
		if digits == 0 {
			// "-" or "+": PDFium reads 0.
			return 0, true, true
		}
		n := int64(ip)
		if neg {
			n = -n
		}
		return float64(n), true, true
	}
	if i < len(w) && w[i] != '.' && !overflow {
		// "12abc" is a keyword, not a number.
		return 0, false, false
	}
	// A real: the fraction after the point, as far as it is digits.
	f := float64(ip)
	if overflow {
		f, _ = strconv.ParseFloat(string(w[i-digits:i]), 64)
	}
	if i < len(w) && w[i] == '.' {
		scale := 0.1
		for i++; i < len(w) && w[i] >= '0' && w[i] <= '9'; i++ {
			f += float64(w[i]-'0') * scale
			scale /= 10
		}
	}
	if math.IsInf(f, 0) || math.IsNaN(f) || f > math.MaxFloat32 {
		f = math.MaxFloat32
	}
	if neg {
		f = -f
	}
	return f, false, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func (l *Lexer) hexString() Token {
	d := l.data
	l.pos++ // <
	out := l.scratch[:0]
	var hi byte
	half := false
	for l.pos < len(d) {
		c := d[l.pos]
		l.pos++
		if c == '>' {
			break
		}
		v, ok := unhex(c)
		if !ok {
			continue // white space and junk are ignored
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
		if len(out) > maxStringBytes {
			break
		}
	}
	if half {
		out = append(out, hi<<4)
	}
	l.scratch = out
	return Token{Kind: TokString, Bytes: out}
}

func (l *Lexer) literalString() Token {
	d := l.data
	l.pos++ // (
	out := l.scratch[:0]
	depth := 1
	for l.pos < len(d) && len(out) <= maxStringBytes {
		c := d[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				l.scratch = out
				return Token{Kind: TokString, Bytes: out}
			}
		case '\r':
			// An end of line in a string is a \n, whatever the file uses.
			if l.pos < len(d) && d[l.pos] == '\n' {
				l.pos++
			}
			c = '\n'
		case '\\':
			if l.pos >= len(d) {
				continue
			}
			e := d[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(d) && d[l.pos] == '\n' {
					l.pos++
				}
				continue // line continuation
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(d) && d[l.pos] >= '0' && d[l.pos] <= '7'; k++ {
						v = v*8 + int(d[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e // \( \) \\ and unknown escapes: the character itself
				}
			}
		}
		out = append(out, c)
	}
	l.scratch = out
	return Token{Kind: TokString, Bytes: out}
}

func (l *Lexer) name() Token {
	d := l.data
	l.pos++ // /
	start := l.pos
	for l.pos < len(d) && regular[d[l.pos]] {
		l.pos++
	}
	raw := d[start:l.pos]
	if bytes.IndexByte(raw, '#') < 0 {
		return Token{Kind: TokName, Bytes: raw}
	}
	out := l.scratch[:0]
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) {
			h, ok1 := unhex(raw[i+1])
			lo, ok2 := unhex(raw[i+2])
			if ok1 && ok2 {
				out = append(out, h<<4|lo)
				i += 2
				continue
			}
		}
		out = append(out, raw[i])
	}
	l.scratch = out
	return Token{Kind: TokName, Bytes: out}
}

// peek returns the k-th token ahead (0 = next) without consuming it.
func (l *Lexer) peek(k int) Token {
	for len(l.ahead) <= k {
		start := l.pos
		t := l.lex()
		// Tokens whose bytes live in scratch must be copied before lexing on.
		if t.Kind == TokString || t.Kind == TokName {
			t.Bytes = append([]byte(nil), t.Bytes...)
		}
		l.ahead = append(l.ahead, savedTok{tok: t, start: start})
	}
	return l.ahead[k].tok
}

// Object reads one complete object: arrays and dictionaries are assembled
// (nesting bounded), "num gen R" becomes a Ref when l.Refs is set, and a
// bare word is a Keyword. A stream's data is not read: after a dictionary
// the caller checks for the "stream" keyword itself. At the end of input
// Object returns io.EOF-like ErrSyntax wrapped with "end of data".
func (l *Lexer) Object() (Object, error) {
	return l.object(0)
}

// errEOD reports the end of the data in the middle of an object.
var errEOD = fmt.Errorf("%w: unexpected end of data", ErrSyntax)

// IsEOD reports whether err is the end of the data.
func IsEOD(err error) bool { return errors.Is(err, errEOD) }

func (l *Lexer) object(depth int) (Object, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: objects nested deeper than %d", ErrSyntax, maxDepth)
	}
	t := l.Next()
	return l.objectFrom(t, depth)
}

func (l *Lexer) objectFrom(t Token, depth int) (Object, error) {
	if depth > maxDepth && (t.Kind == TokArrayStart || t.Kind == TokDictStart) {
		return nil, fmt.Errorf("%w: objects nested deeper than %d", ErrSyntax, maxDepth)
	}
	switch t.Kind {
	case TokEOF:
		return nil, errEOD
	case TokNumber:
		if !t.Int {
			return t.Num, nil
		}
		if l.Refs && t.Num >= 0 && t.Num <= math.MaxInt32 {
			if g := l.peek(0); g.Kind == TokNumber && g.Int && g.Num >= 0 && g.Num <= math.MaxInt32 {
				if r := l.peek(1); r.Kind == TokKeyword && len(r.Bytes) == 1 && r.Bytes[0] == 'R' {
					l.Next()
					l.Next()
					return Ref{Num: int32(t.Num), Gen: int32(g.Num)}, nil
				}
			}
		}
		return int64(t.Num), nil
	case TokName:
		return Name(t.Bytes), nil
	case TokString:
		return String(append([]byte(nil), t.Bytes...)), nil
	case TokKeyword:
		switch string(t.Bytes) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		return Keyword(t.Bytes), nil
	case TokArrayStart:
		var a Array
		for {
			n := l.Next()
			if n.Kind == TokArrayEnd {
				return a, nil
			}
			if n.Kind == TokDictEnd || n.Kind == TokError {
				continue // junk inside an array: skip it, as readers do
			}
			o, err := l.objectFrom(n, depth+1)
			if err != nil {
				return a, err
			}
			if k, ok := o.(Keyword); ok && (k == "endobj" || k == "stream" || k == "obj") {
				return a, fmt.Errorf("%w: unterminated array", ErrSyntax)
			}
			a = append(a, o)
		}
	case TokDictStart:
		d := Dict{}
		for {
			n := l.Next()
			if n.Kind == TokDictEnd {
				return d, nil
			}
			if n.Kind == TokEOF {
				return d, errEOD
			}
			if n.Kind != TokName {
				if n.Kind == TokKeyword {
					if k := string(n.Bytes); k == "endobj" || k == "stream" || k == "obj" {
						return d, fmt.Errorf("%w: unterminated dictionary", ErrSyntax)
					}
				}
				continue // a value without a key: skip it
			}
			key := Name(n.Bytes)
			v := l.Next()
			if v.Kind == TokDictEnd {
				d[key] = nil
				return d, nil
			}
			o, err := l.objectFrom(v, depth+1)
			if err != nil {
				return d, err
			}
			if k, ok := o.(Keyword); ok && (k == "endobj" || k == "stream" || k == "obj") {
				return d, fmt.Errorf("%w: unterminated dictionary", ErrSyntax)
			}
			if o != nil { // a null value is the same as no entry
				d[key] = o
			}
		}
	case TokArrayEnd, TokDictEnd, TokError:
		return Keyword(t.Bytes), nil
	}
	return nil, fmt.Errorf("%w: unexpected token", ErrSyntax)
}
