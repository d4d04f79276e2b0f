package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/extract/lexicon"
)

// Why a candidate is no fantasy term (genericReason).
const (
	reasonStock   = "stock phrase"  // "vice versa"
	reasonCredit  = "credit"        // "authors Dan Dillon"
	reasonUnit    = "measure"       // "degrees Fahrenheit"
	reasonPair    = "label pair"    // "Acrobatics and Stealth"
	reasonTags    = "tag line"      // "Cantrip Ongoing"
	reasonLabel   = "stat label"    // "Atk", "Usage worn cloak", "Bulk L"
	reasonClause  = "clause"        // "Derro use dogmole juggernauts"
	reasonSection = "section title" // "Creating the world"
	reasonPlain   = "plain English" // "afternoon", "Various parts"
	reasonMod     = "described"     // "nearest steading", "listed deity"
)

// repeatedPhrase is how many occurrences make a described phrase a term.
const repeatedPhrase = 3

// joinWords are the function words inside names ("Bag of Holding").
var joinWords = map[string]bool{
	"of": true, "the": true, "a": true, "an": true, "and": true, "or": true, "in": true, "on": true, "to": true,
	"from": true, "with": true, "for": true, "at": true, "by": true, "your": true, "their": true, "its": true, "my": true,
}

// genericReason says why the candidate is plain English or a fragment
// rather than a fantasy term, or "" when it is a term. heading is whether
// the text ever stood as a heading of its own ("Cure Light Wounds",
// "Shatter"), capped whether it was capitalised inside a sentence ("the
// Black Gates"); context is its sentence ("the cure wounds spell").
func genericReason(en *lexicon.English, lx *lexicon.Lexicon, text, lemma string, pos POS, count int, heading, capped bool, context string) string {
	named := heading || capped
	surf := termWords(text)
	if len(surf) == 0 {
		return ""
	}
	lows := make([]string, len(surf))
	for i, w := range surf {
		lows[i] = strings.ToLower(w)
	}
	lemmas := termWords(strings.ToLower(lemma))
	joined := strings.Join(lows, " ")
	if en.StockPhrase(joined) {
		return reasonStock
	}
	keep := func(i int) bool {
		w := lows[i]
		if en.Keep(w) || i < len(lemmas) && en.Keep(lemmas[i]) {
			return true
		}
		if s, ok := strings.CutSuffix(w, "s"); ok && en.Keep(s) {
			return true
		}
		return false
	}
	n := len(lows)
	// "authors Dan Dillon", "Illustrations by ...": a credit word opens
	// the byline.
	for i, w := range lows {
		if en.Credit(w) && !keep(i) && (i == 0 || i+1 < n && lows[i+1] == "by") {
			return reasonCredit
		}
	}
	if n >= 2 && en.Unit(lows[n-1]) && !keep(n-1) {
		return reasonUnit
	}
	// "Acrobatics and Stealth": two labels listed, not one name.
	if n == 3 && (lows[1] == "and" || lows[1] == "or") && !named && !isLowerWord(surf[0]) && !isLowerWord(surf[2]) {
		return reasonPair
	}
	// A stat line's label, alone or with what follows it.
	if en.StatLabel(lows[0]) && !(heading && n > 1) {
		return reasonLabel
	}
	allTags := true
	for _, w := range lows {
		if !en.TagWord(w) && !isNumeral(w) {
			allTags = false
			break
		}
	}
	if allTags && (n >= 2 || en.TagWord(lows[0]) && !keep(0)) {
		return reasonTags
	}
	// A lowercase generic verb inside a phrase makes it a clause.
	if n >= 3 {
		for i := 1; i < n-1; i++ {
			if isLowerWord(surf[i]) && lx.Generic(lows[i]) && !keep(i) {
				return reasonClause
			}
		}
	}
	// "Creating the world", "Making a Village": a gerund opening a section.
	if n >= 3 && strings.HasSuffix(lows[0], "ing") && en.Plain(lows[0]) && !keep(0) {
		for _, w := range lows[1:] {
			if joinWords[w] {
				return reasonSection
			}
		}
	}
	// "New towns": a sentence-case heading opened by a plain modifier is a
	// section's title, not a name (names are title case; table cells such
	// as "Little bag of sand" are not headings).
	if heading && n >= 2 && plainModifier(en, lx, lows[0]) && !keep(0) && sentenceCase(surf) {
		return reasonMod
	}
	if heading || capped && pos != Verb && pos != Adjective {
		return ""
	}
	// "nearest steading", "listed deity", "new steadings": a plain
	// modifier before a term describes it; the term is its head alone.
	// Not a name: lower case, or capitalised only as a sentence's start.
	// A phrase the book repeats is one of its terms ("ranged attack",
	// "failed save"), whatever its words.
	lowerPhrase := n >= 2 && pos == Phrase && count < repeatedPhrase && (isLowerWord(surf[0]) || sentenceCase(surf))
	if lowerPhrase && !keep(0) && plainModifier(en, lx, lows[0]) {
		return reasonMod
	}
	// "monster problem", "adventuring life": a lower-case phrase is what
	// its head is; a plain head makes a plain phrase.
	if lowerPhrase {
		h := n - 1
		for i := 1; i < n; i++ {
			if joinWords[lows[i]] {
				h = i - 1
				break
			}
		}
		if h >= 0 && en.Plain(lows[h]) && !keep(h) && !(h < len(lemmas) && en.Keep(lemmas[h])) {
			return reasonPlain
		}
	}

	// "the cure wounds spell", "cast shatter": a name written in lower case.
	if low := strings.ToLower(context); low != "" && joined != "" {
		if i := strings.Index(low, joined); i >= 0 {
			after := strings.TrimLeft(low[i+len(joined):], " *_")
			before := strings.TrimRight(low[:i], " *_")
			if strings.HasPrefix(after, "spell") || strings.HasSuffix(before, "cast") || strings.HasSuffix(before, "casts") {
				return ""
			}
		}
	}
	content := 0
	for i, w := range lows {
		if joinWords[w] || lx.Stop(w) || isNumeral(w) {
			continue
		}
		content++
		if keep(i) || !en.Plain(w) && !(i < len(lemmas) && en.Plain(lemmas[i])) {
			return ""
		}
	}
	if content == 0 {
		return ""
	}
	return reasonPlain
}

// termWords splits a term into words: letters, digits, inner apostrophes
// and hyphens; a possessive "'s" is dropped.
func termWords(s string) []string {
	fs := strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-')
	})
	out := fs[:0]
	for _, f := range fs {
		f = strings.Trim(f, "'’-")
		f = strings.TrimSuffix(strings.TrimSuffix(f, "'s"), "’s")
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

// isNumeral reports a number or dice expression: "3", "1d6", "+2".
func isNumeral(w string) bool {
	digit := false
	for _, r := range w {
		switch {
		case unicode.IsDigit(r):
			digit = true
		case r != '+' && r != '-' && r != 'd':
			return false
		}
	}
	return digit
}

func isLowerWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLower(r)
}

// OwnLine reports whether text stands as a whole line of block: a heading
// or an entry's name the parser did not mark ("Sanctify" between blank
// lines of one block). The offline classifier asks it too.
func OwnLine(block, text string) bool {
	if text == "" {
		return false
	}
	for off := 0; off < len(block); {
		i := strings.Index(block[off:], text)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(text)
		off = end
		before := strings.TrimRight(block[:i], " \t*_#")
		after := strings.TrimLeft(block[end:], " \t*_")
		if (before == "" || strings.HasSuffix(before, "\n")) && (after == "" || after[0] == '\n') {
			return true
		}
	}
	return false
}

// plainModifier reports a common-English word that describes a noun
// rather than names a kind of it: a generic adjective ("new"), a listed
// modifier ("nearby"), an adjective by its ending ("successive"), a
// superlative or comparative ("nearest", "smaller") or a past participle
// ("listed").
func plainModifier(en *lexicon.English, lx *lexicon.Lexicon, w string) bool {
	if lx.Generic(w) || en.Modifier(w) {
		return true
	}
	// An adjective of common English by its ending: "successive",
	// "organizational", "dangerous".
	if en.Plain(w) {
		for _, suf := range [...]string{"ive", "al", "ous", "ful", "less", "able", "ible", "ary"} {
			if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
				return true
			}
		}
	}
	// A comparative has a superlative ("lower", "lowest"); an agent noun
	// does not ("displacer").
	if b, ok := strings.CutSuffix(w, "er"); ok && len(b) >= 2 && en.Plain(b+"est") {
		return true
	}
	for _, suf := range [...]string{"est", "ed"} {
		if b, ok := strings.CutSuffix(w, suf); ok && len(b) >= 3 && (en.Plain(b) || en.Plain(b+"e") || len(b) >= 4 && b[len(b)-1] == b[len(b)-2] && en.Plain(b[:len(b)-1])) {
			return true
		}
	}
	return false
}

// sentenceCase reports words whose first is capitalised and the others
// (function words aside) are not: "New towns", not "New Towns".
func sentenceCase(words []string) bool {
	if len(words) < 2 || isLowerWord(words[0]) {
		return false
	}
	for _, w := range words[1:] {
		if !isLowerWord(w) && !joinWords[strings.ToLower(w)] {
			return false
		}
	}
	return true
}
