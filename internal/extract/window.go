package extract

import (
	"strings"
	"unicode/utf8"
)

// Context windows: the sentence and the text around an occurrence.

// runeAt converts a byte offset of the current block to a rune offset,
// moving a cursor (offsets mostly increase).
func (p *phraser) runeAt(b int) int {
	if b >= p.curByte {
		p.curRune += utf8.RuneCountInString(p.text[p.curByte:b])
	} else {
		p.curRune -= utf8.RuneCountInString(p.text[b:p.curByte])
	}
	p.curByte = b
	return p.curRune
}

// context300 returns the sentence s with white space collapsed, cut to
// MaxContext runes around the occurrence at bytes [start, end).
func context300(s string, start, end int) string {
	if utf8.RuneCountInString(s) > MaxContext {
		a, b := start, end
		budget := MaxContext - utf8.RuneCountInString(s[start:end])
		if budget < 0 {
			budget = 0
			b = start
			for n := 0; b < len(s) && n < MaxContext; n++ {
				_, w := utf8.DecodeRuneInString(s[b:])
				b += w
			}
		}
		left := budget / 2
		for n := 0; a > 0 && n < left; n++ {
			_, w := utf8.DecodeLastRuneInString(s[:a])
			a -= w
		}
		right := budget - utf8.RuneCountInString(s[a:start])
		for n := 0; b < len(s) && n < right; n++ {
			_, w := utf8.DecodeRuneInString(s[b:])
			b += w
		}
		// Cut at word boundaries when that loses little.
		if i := strings.IndexByte(s[a:start], ' '); a > 0 && i >= 0 && i < 20 {
			a += i + 1
		}
		// (An occurrence longer than MaxContext was cut inside itself:
		// b is before its end.)
		if b >= end {
			if i := strings.LastIndexByte(s[end:b], ' '); b < len(s) && i >= 0 && len(s[end:b])-i < 20 {
				b = end + i
			}
		}
		s = s[a:b]
	}
	return collapse(s)
}

// collapse copies s with runs of white space made one space.
func collapse(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			space = true
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	return sb.String()
}

// window returns a copy of about size bytes of s around [start, end), cut
// at character boundaries.
func window(s string, start, end, size int) string {
	if len(s) <= size {
		return strings.Clone(s)
	}
	half := (size - (end - start)) / 2
	a := max(0, start-max(half, 0))
	b := min(len(s), end+max(half, 0))
	for a > 0 && !utf8.RuneStart(s[a]) {
		a--
	}
	for b < len(s) && !utf8.RuneStart(s[b]) {
		b++
	}
	return strings.Clone(s[a:b])
}
