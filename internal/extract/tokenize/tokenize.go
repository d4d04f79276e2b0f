package tokenize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind says what a token is.
type Kind uint8

// The token kinds.
const (
	Word   Kind = iota // letters, possibly with internal hyphens, apostrophes, slashes or periods
	Number             // 12, 1,000, 1.5, 1st, 3rd-level, 10-foot, +5, 50%
	Dice               // 2d6, 2d6+3, d20, d%
	Clitic             // 's, ', n't, 're, 've, 'll, 'd, 'm
	Punct              // one punctuation or symbol character (or ... / --)
	Cell               // the | between table cells
)

// Token is one token of a text; Start and End are byte offsets.
type Token struct {
	Start, End int
	Kind       Kind
}

// Text returns the token's text in s.
func (t Token) Text(s string) string { return s[t.Start:t.End] }

// abbrevs are lower-case words that keep their period. The bool says
// whether the abbreviation often ends a sentence ("... range of 60 ft.").
var abbrevs = map[string]bool{
	"e.g": false, "i.e": false, "etc": true, "vs": false, "cf": false, "viz": false, "approx": false,
	"mr": false, "mrs": false, "ms": false, "dr": false, "st": false, "mt": false, "prof": false, "sr": false, "jr": false, "lt": false, "capt": false, "gen": false, "col": false, "sgt": false,
	"ft": true, "lb": true, "lbs": true, "oz": true, "in": false, "yd": true, "yds": true, "mi": true, "gal": true, "pt": true, "qt": true, "sq": false, "cu": false,
	"gp": true, "sp": true, "cp": true, "ep": true, "pp": true, "p": false, "no": false, "nos": false, "vol": false, "ch": false, "fig": false, "min": true, "hr": true, "hrs": true, "sec": true, "rd": false, "ed": false, "eds": false, "al": true,
	"jan": false, "feb": false, "mar": false, "apr": false, "jun": false, "jul": false, "aug": false, "sep": false, "sept": false, "oct": false, "nov": false, "dec": false,
}

// clitics that follow an apostrophe and are split off, Penn Treebank style.
var clitics = []string{"s", "re", "ve", "ll", "d", "m"}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func isAlnum(r rune) bool { return isLetter(r) || isDigit(r) }

func at(s string, i int) (rune, int) {
	if i >= len(s) {
		return 0, 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// Tokens appends the tokens of s to dst and returns it.
func Tokens(dst []Token, s string) []Token {
	i := 0
	for i < len(s) {
		r, n := at(s, i)
		switch {
		case r == ' ' || r == '\n' || r == '\t' || r == '\r' || (r >= utf8.RuneSelf && unicode.IsSpace(r)):
			i += n
		case isDigit(r) || ((r == '+' || r == '-') && nextIsDigit(s, i+1) && !prevIsAlnum(s, i)):
			dst, i = number(dst, s, i)
		case isLetter(r):
			dst, i = word(dst, s, i)
		case r == '\'':
			// A clitic after a space ("rock 'n") or a quote: 's glued to a
			// previous word is handled in word().
			dst = append(dst, Token{i, i + 1, Punct})
			i++
		case r == '|':
			dst = append(dst, Token{i, i + 1, Cell})
			i++
		case r == '.' && strings.HasPrefix(s[i:], "..."):
			dst = append(dst, Token{i, i + 3, Punct})
			i += 3
		case r == '-' && strings.HasPrefix(s[i:], "--"):
			j := i
			for j < len(s) && s[j] == '-' {
				j++
			}
			dst = append(dst, Token{i, j, Punct})
			i = j
		default:
			dst = append(dst, Token{i, i + n, Punct})
			i += n
		}
	}
	return dst
}

func nextIsDigit(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

func prevIsAlnum(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isAlnum(r)
}

// number reads a numeric token starting at i: digits with , or . groups,
// an ordinal or unit suffix, hyphenated compounds, dice and percentages.
func number(dst []Token, s string, i int) ([]Token, int) {
	start := i
	if s[i] == '+' || s[i] == '-' {
		i++
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			i++
		case (c == ',' || c == '.') && nextIsDigit(s, i+1):
			i++
		default:
			goto digitsDone
		}
	}
digitsDone:
	kind := Number
	// Dice: NdM, NdM+K.
	if i < len(s) && (s[i] == 'd' || s[i] == 'D') && (nextIsDigit(s, i+1) || (i+1 < len(s) && s[i+1] == '%')) {
		kind = Dice
		i = diceTail(s, i+1)
	}
	// Letters and hyphenated parts glued to the number (1st, 3rd-level,
	// 10-foot, 20th-level, 5ft) stay in the token.
	for i < len(s) {
		r, n := at(s, i)
		if isAlnum(r) {
			i += n
			continue
		}
		if r == '-' || r == '/' {
			r2, _ := at(s, i+1)
			if isAlnum(r2) {
				i += n
				continue
			}
		}
		if r == '%' {
			i += n
		}
		break
	}
	return append(dst, Token{start, i, kind}), i
}

func diceTail(s string, i int) int {
	if i < len(s) && s[i] == '%' {
		return i + 1
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i+1 < len(s) && (s[i] == '+' || s[i] == '-') && nextIsDigit(s, i+1) {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i
}

// word reads a word starting at i and any clitic after it.
func word(dst []Token, s string, i int) ([]Token, int) {
	start := i
	for i < len(s) {
		r, n := at(s, i)
		if isAlnum(r) {
			i += n
			continue
		}
		if r == '-' || r == '/' || r == '.' || r == '\'' {
			r2, n2 := at(s, i+1)
			if r == '\'' && r2 == '-' && i > start && s[i-1] != '\'' {
				// "Will-o'-Wisp".
				if r3, _ := at(s, i+2); isLetter(r3) {
					i += 2
					continue
				}
			}
			if !isAlnum(r2) {
				break
			}
			if r == '\'' {
				if c := clitic(s, i+1); c > 0 || isNT(s, i) {
					break
				}
			}
			if r == '.' {
				// Internal periods only in e.g. / U.S. style: single letters.
				if i-start > 2 || n2 != 1 || !isLetter(r2) {
					break
				}
				if j := i + 2; j < len(s) && isAlnum(rune(s[j])) && s[j] != '.' {
					break
				}
			}
			i += n
			continue
		}
		break
	}
	w := s[start:i]
	// n't: "don't" -> "do" "n't".
	if i < len(s) && s[i] == '\'' && i+1 < len(s) && s[i+1] == 't' && (i+2 == len(s) || !isAlnum(rune(s[i+2]))) &&
		len(w) > 1 && (w[len(w)-1] == 'n' || w[len(w)-1] == 'N') {
		if len(w) > 2 || strings.EqualFold(w, "ca") {
			dst = append(dst, Token{start, i - 1, Word}, Token{i - 1, i + 2, Clitic})
			return dst, i + 2
		}
	}
	// Abbreviation period.
	if i < len(s) && s[i] == '.' {
		lw := w
		if hasUpper(w) {
			lw = strings.ToLower(w)
		}
		if _, ok := abbrevs[lw]; ok || isInitials(w) {
			i++
			return append(dst, Token{start, i, Word}), i
		}
	}
	dst = append(dst, Token{start, i, Word})
	if i < len(s) && s[i] == '\'' {
		if c := clitic(s, i+1); c > 0 {
			dst = append(dst, Token{i, i + 1 + c, Clitic})
			return dst, i + 1 + c
		}
		// Plural possessive: "Heroes' Feast", "Thieves' Tools".
		if (w[len(w)-1] == 's' || w[len(w)-1] == 'S') && !nextIsLetter(s, i+1) {
			dst = append(dst, Token{i, i + 1, Clitic})
			return dst, i + 1
		}
	}
	return dst, i
}

// isNT reports "n't" with its apostrophe at i.
func isNT(s string, i int) bool {
	return i > 0 && (s[i-1] == 'n' || s[i-1] == 'N') && i+1 < len(s) && (s[i+1] == 't' || s[i+1] == 'T') &&
		(i+2 == len(s) || !isAlnum(rune(s[i+2])))
}

// isInitials reports a single capital letter (J. R. R.) or dotted letters
// (e.g, U.S) before a period.
func isInitials(w string) bool {
	if len(w) == 1 {
		return w[0] >= 'A' && w[0] <= 'Z'
	}
	return strings.IndexByte(w, '.') > 0
}

func nextIsLetter(s string, i int) bool {
	r, _ := at(s, i)
	return isLetter(r)
}

func hasUpper(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// clitic returns the length of a clitic starting at i (after an
// apostrophe) when it ends there, or 0.
func clitic(s string, i int) int {
	for _, c := range clitics {
		if len(s)-i >= len(c) && strings.EqualFold(s[i:i+len(c)], c) {
			j := i + len(c)
			if r, _ := at(s, j); !isAlnum(r) {
				return len(c)
			}
		}
	}
	return 0
}
