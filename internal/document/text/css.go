package text

import (
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
)

// ClassStyles maps a CSS class name to the type style its rules set: how
// EPUBs made by InDesign, Calibre or Vellum mark a bold name line
// (<p class="SpellName">, <span class="calibre5">) when they use no <b>.
type ClassStyles map[string]document.Style

// maxCSSBytes bounds the style sheets read for one document.
const maxCSSBytes = 4 << 20

// ParseCSS adds to cs the classes whose rules set bold or italic type
// (font-weight: bold or 600-900, font-style: italic or oblique, or the font
// shorthand). Only a selector's last compound counts, with one class and
// no pseudo-class ("p.SpellName", ".calibre5", "div.entry span.bold");
// @media blocks are
// read through; other at-rules name no classes. It is a tolerant scan,
// linear in len(css), for style sheets of untrusted books.
func ParseCSS(cs ClassStyles, css []byte) {
	s := stripComments(string(css[:min(len(css), maxCSSBytes)]))
	for len(s) > 0 {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			return
		}
		sel := s[:open]
		if k := strings.LastIndexByte(sel, '}'); k >= 0 {
			sel = sel[k+1:] // the close of an @media block before this rule
		}
		sel = strings.TrimSpace(sel)
		s = s[open+1:]
		if strings.HasPrefix(sel, "@media") || strings.HasPrefix(sel, "@supports") {
			continue // read the rules inside
		}
		end := strings.IndexByte(s, '}')
		if end < 0 {
			end = len(s)
		}
		decls := strings.ToLower(s[:end])
		s = s[min(end+1, len(s)):]
		bold, italic := declStyle(decls)
		if !bold && !italic || strings.HasPrefix(sel, "@") {
			continue
		}
		for _, one := range strings.Split(sel, ",") {
			if c := lastClass(one); c != "" {
				st := cs[c]
				cs[c] = document.MakeStyle(bold || st.IsBold(), italic || st.IsItalic())
			}
		}
	}
}

// declStyle reads the weight and slant a declaration block sets.
func declStyle(decls string) (bold, italic bool) {
	for _, d := range strings.Split(decls, ";") {
		k, v, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important"))
		switch k {
		case "font-weight":
			bold = boldWeight(v)
		case "font-style":
			italic = strings.HasPrefix(v, "italic") || strings.HasPrefix(v, "oblique")
		case "font":
			for _, w := range strings.Fields(v) {
				bold = bold || boldWeight(w)
				italic = italic || w == "italic" || w == "oblique"
			}
		}
	}
	return bold, italic
}

func boldWeight(v string) bool {
	switch strings.TrimSpace(v) {
	case "bold", "bolder", "600", "700", "800", "900":
		return true
	}
	return false
}

// lastClass returns the one class of a selector's last compound, or "".
func lastClass(sel string) string {
	sel = strings.TrimSpace(sel)
	if i := strings.LastIndexAny(sel, " >+~\t\n"); i >= 0 {
		sel = sel[i+1:]
	}
	if strings.IndexByte(sel, ':') >= 0 {
		return "" // ::first-line, :hover: not the whole element at rest
	}
	if i := strings.IndexByte(sel, '['); i >= 0 {
		sel = sel[:i]
	}
	dot := strings.IndexByte(sel, '.')
	if dot < 0 || strings.Count(sel, ".") > 1 || strings.IndexByte(sel, '#') >= 0 {
		return ""
	}
	return sel[dot+1:]
}

// stripComments replaces each /* comment */ with a space, in one pass.
func stripComments(s string) string {
	if !strings.Contains(s, "/*") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "/*")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		j := strings.Index(s[i+2:], "*/")
		if j < 0 {
			return b.String()
		}
		s = s[i+2+j+2:]
	}
}
