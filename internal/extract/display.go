package extract

import (
	"strings"
	"unicode"

	"github.com/corpora-tools/corpora/internal/extract/lemma"
)

// Display text: a candidate's text is the form the book prints its name in,
// not merely the first one seen. The SRD writes "fireball" in running text
// but "Fireball" over the spell's entry; the display text is "Fireball".

// maxForms bounds the written forms an entry remembers.
const maxForms = 4

// form is one way a candidate is written, with where it was seen.
type form struct {
	text string
	n    int // occurrences
	// free counts occurrences capitalised where capitals are not forced:
	// a capital on a word that does not start the sentence.
	free int
	// named counts occurrences that were a whole name line, or a whole
	// heading with a type line under it: the entry's own title.
	named int
	// head counts occurrences in a heading or name line, whole or not.
	head int
}

// noteForm records an occurrence written as text; line says it was the
// whole of a heading or name line, named that it was a name line, free
// that it carries a capital not at a sentence start.
func (e *entry) noteForm(text string, head, line, named, free bool) {
	i := -1
	for j := range e.forms {
		if e.forms[j].text == text {
			i = j
			break
		}
	}
	if i < 0 {
		if len(e.forms) >= maxForms {
			return
		}
		e.forms = append(e.forms, form{text: strings.Clone(text)})
		i = len(e.forms) - 1
	}
	f := &e.forms[i]
	f.n++
	if free {
		f.free++
	}
	if head {
		f.head++
	}
	if named {
		f.named++
	}
	if line {
		e.lineForm = i + 1
	}
}

// titled marks the form last seen as a whole heading as named: a type line
// follows the heading.
func (e *entry) titled() {
	if e.lineForm > 0 && e.lineForm <= len(e.forms) {
		e.forms[e.lineForm-1].named++
	}
	e.lineForm = 0
}

// mergeForms adds the forms of o to e.
func (e *entry) mergeForms(o *entry) {
	for _, f := range o.forms {
		i := -1
		for j := range e.forms {
			if e.forms[j].text == f.text {
				i = j
				break
			}
		}
		if i < 0 {
			if len(e.forms) >= maxForms {
				continue
			}
			e.forms = append(e.forms, form{text: f.text})
			i = len(e.forms) - 1
		}
		e.forms[i].n += f.n
		e.forms[i].free += f.free
		e.forms[i].named += f.named
		e.forms[i].head += f.head
	}
}

// display is the text to show for e. A name (seen capitalised where
// capitals are not forced) is shown as its entry title prints it, else in
// its most frequent freely capitalised form; an all-capitals title gives
// way to a mixed-case form, and is title-cased when the book has none.
// Anything else keeps the first form seen: plain words stay lowercase.
func (e *entry) display(lm *lemma.Lemmatizer) string {
	fallback := e.c.Text
	var shout string
	for _, f := range e.forms { // forms are in order of first sight
		if f.named == 0 || !hasUpper(f.text) {
			continue
		}
		if !allCaps(f.text) {
			return f.text
		}
		if shout == "" {
			shout = f.text
		}
	}
	// Freely capitalised forms name the candidate when they are at least
	// as common as its forms with no capital ("the Armor table" beside a
	// hundred "armor" is no name).
	free, plain := 0, 0
	for _, f := range e.forms {
		free += f.free
		if !hasUpper(f.text) {
			plain += f.n
		}
	}
	// The form of the first occurrence's word, recased, comes first: the
	// singular's capitals do not turn "Dexterity check" into "checks".
	best := -1
	for pass := 0; pass < 2 && best < 0; pass++ {
		for i, f := range e.forms {
			if f.free == 0 || allCaps(f.text) || free < plain || pass == 0 && !strings.EqualFold(f.text, fallback) {
				continue
			}
			if best < 0 || f.free > e.forms[best].free {
				best = i
			}
		}
	}
	if best >= 0 {
		return e.forms[best].text
	}
	if shout == "" {
		// No name: the first form, in lowercase when only sentence
		// starts capitalise it and the book also prints it so.
		for _, f := range e.forms {
			if f.text == fallback && f.head > 0 {
				return fallback
			}
		}
		for _, f := range e.forms {
			if !hasUpper(f.text) && strings.EqualFold(f.text, fallback) {
				return f.text
			}
		}
		return fallback
	}
	// Only capitals in titles: the most frequent mixed-case form with a
	// capital, else the title in title case.
	for i, f := range e.forms {
		if hasUpper(f.text) && !allCaps(f.text) && (best < 0 || f.n > e.forms[best].n) {
			best = i
		}
	}
	if best >= 0 {
		return e.forms[best].text
	}
	return titleCase(shout, lm)
}

// hasUpper reports an upper-case letter in s.
func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// allCaps reports letters in s that are all upper case, two or more of them
// ("FIREBALL", "CONE OF COLD"; not "A" or "Fireball").
func allCaps(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n > 1
}

// smallWords stay lowercase inside a title-cased name.
var smallWords = map[string]bool{"a": true, "an": true, "the": true, "of": true, "and": true, "or": true,
	"to": true, "in": true, "on": true, "at": true, "for": true, "with": true, "by": true, "from": true}

// titleCase rewrites an all-capitals name in title case: "CONE OF COLD" is
// "Cone of Cold". A short word rare in English stays in capitals as
// an abbreviation ("NPC", "DC").
func titleCase(s string, lm *lemma.Lemmatizer) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		low := strings.ToLower(w)
		switch {
		case i > 0 && smallWords[low]:
			words[i] = low
		case len([]rune(w)) <= 3 && (lm == nil || lm.Count(low) == 0):
			// an abbreviation: kept
		default:
			rs := []rune(low)
			for j, r := range rs {
				if unicode.IsLetter(r) {
					rs[j] = unicode.ToUpper(r)
					break
				}
			}
			words[i] = string(rs)
		}
	}
	return strings.Join(words, " ")
}
