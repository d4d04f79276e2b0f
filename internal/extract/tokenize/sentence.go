package tokenize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is a run of tokens [From, To) forming one sentence, table row or
// stat-block line.
type Sentence struct{ From, To int }

// MaxSentenceTokens bounds a sentence: text without punctuation (a word
// list, a broken extraction) is cut into pieces of this many tokens.
const MaxSentenceTokens = 256

// Sentences appends the sentences of s, tokenised as toks, to dst.
func Sentences(dst []Sentence, s string, toks []Token) []Sentence {
	from := 0
	lineHasCell := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.Kind == Cell {
			lineHasCell = true
		}
		if i+1 == len(toks) {
			break
		}
		next := toks[i+1]
		newline := strings.IndexByte(s[t.End:next.Start], '\n') >= 0
		end := false
		switch {
		case t.Kind == Punct && isTerminal(s[t.Start:t.End]):
			// Closing quotes and brackets stay with the sentence.
			for i+1 < len(toks) && toks[i+1].Kind == Punct && isCloser(s[toks[i+1].Start:toks[i+1].End]) &&
				strings.IndexByte(s[toks[i].End:toks[i+1].Start], '\n') < 0 {
				i++
			}
			if i+1 == len(toks) {
				continue
			}
			next = toks[i+1]
			newline = strings.IndexByte(s[toks[i].End:next.Start], '\n') >= 0
			end = newline || startsSentence(s, next)
		case t.Kind == Word && s[t.End-1] == '.' && abbrevEnds(s[t.Start:t.End-1]):
			end = newline || (next.Kind == Word && startsUpper(s[next.Start:next.End]))
		case newline:
			end = lineHasCell || !continues(s, t, next)
		}
		if !end && i+1-from >= MaxSentenceTokens {
			end = true
		}
		if end {
			dst = append(dst, Sentence{from, i + 1})
			from = i + 1
		}
		if newline {
			lineHasCell = false
		}
	}
	if from < len(toks) {
		dst = append(dst, Sentence{from, len(toks)})
	}
	return dst
}

func isTerminal(p string) bool {
	return p == "." || p == "!" || p == "?" || p == "..." || p == "…"
}

func isCloser(p string) bool {
	return p == "\"" || p == "'" || p == ")" || p == "]" || p == "»" || p == "”" || p == "’"
}

func abbrevEnds(w string) bool {
	if hasUpper(w) {
		w = strings.ToLower(w)
	}
	return abbrevs[w]
}

// startsSentence reports whether t can begin a sentence after a period.
func startsSentence(s string, t Token) bool {
	switch t.Kind {
	case Number, Dice:
		return true
	case Punct:
		p := s[t.Start:t.End]
		return p == "\"" || p == "'" || p == "(" || p == "[" || p == "“" || p == "—" || p == "-" || p == "•" || p == "*"
	case Cell:
		return true
	}
	return startsUpper(s[t.Start:t.End])
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsTitle(r)
}

// continues reports whether a line break between a and b is a wrapped line
// inside one sentence: the line ends in a lower-case word or a comma and
// the next starts with a lower-case word.
func continues(s string, a, b Token) bool {
	if b.Kind != Word || startsUpper(s[b.Start:b.End]) {
		return false
	}
	switch a.Kind {
	case Word, Clitic:
		r, _ := utf8.DecodeLastRuneInString(s[a.Start:a.End])
		return unicode.IsLower(r)
	case Punct:
		p := s[a.Start:a.End]
		return p == "," || p == ";" || p == "-" || p == "—" || p == "("
	}
	return false
}
