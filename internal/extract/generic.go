package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/extract/lexicon"
)

// Why a candidate is no fantasy term (genericReason).
const (
	reasonStock      = "stock phrase"  // "vice versa"
	reasonCredit     = "credit"        // "authors Dan Dillon"
	reasonUnit       = "measure"       // "degrees Fahrenheit"
	reasonPair       = "label pair"    // "Acrobatics and Stealth"
	reasonTags       = "tag line"      // "Cantrip Ongoing"
	reasonLabel      = "stat label"    // "Atk", "Usage worn cloak", "Bulk L"
	reasonClause     = "clause"        // "Derro use dogmole juggernauts"
	reasonSection    = "section title" // "Creating the world"
	reasonPlain      = "plain English" // "afternoon", "Various parts"
	reasonMod        = "described"     // "nearest steading", "listed deity"
	reasonOwner      = "possessive"    // "the GM's fronts"
	reasonApposition = "apposition"    // "sloop Gull"
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
	// "degrees Fahrenheit", "10 feet": a measure. A name's "of" phrase
	// may end on one: "Lock of Years", "Boots of Seven Leagues".
	if n >= 2 && en.Unit(lows[n-1]) && !keep(n-1) && !(named && ofPhrase(lows)) {
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
	// "creature Duration": the end of one field and the label of the next
	// ("Targets 1 creature / Duration 10 minutes").
	for i := 1; i < n; i++ {
		if en.StatLabel(lows[i]) && !isLowerWord(surf[i]) && isLowerWord(surf[i-1]) && !joinWords[lows[i-1]] {
			return reasonLabel
		}
	}
	// "sloop Gull", "smuggling sloop Gull": a common noun before a name
	// in apposition; the name is the term. Not across "of": "ring of
	// Protection".
	if !heading && isLowerWord(surf[0]) {
		for i := 1; i < n; i++ {
			if !isLowerWord(surf[i]) && isLowerWord(surf[i-1]) && !joinWords[lows[i-1]] && !isNumeral(lows[i]) {
				return reasonApposition
			}
		}
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
	if capped && !heading && count < repeatedPhrase {
		switch {
		case n >= 2 && sentenceCase(surf) && opensSentence(context, text) && (lx.Generic(lows[0]) || en.Modifier(lows[0])):
			// "New towns immediately gain market": a capital that only
			// opens the sentence, on a word that describes ("new",
			// "various"), names nothing. A participle there may name a
			// kind: "Padded armor consists of quilted layers".
			capped = false
		case n == 1 && count == 1 && pos != ProperNoun && plainPlural(en, lows[0], strings.ToLower(lemma)) && !keep(0):
			// "Crosses", "Recruits": a plain plural capitalised once, in a
			// list of names or a label, is no name of its own; names are
			// kinds or individuals, written in the singular.
			return reasonPlain
		case n == 1 && pos == Noun && !keep(0) && (en.Plain(lows[0]) || en.Plain(strings.ToLower(lemma))) && inProse(context, text):
			// "They met the People", "went to the Place": a common noun
			// capitalised inside running prose, fewer times than a book
			// names its own things ("the Blight" of a setting recurs), is
			// the word 1.0 filtered in any case. Not in a list of names
			// ("Brindenburg, Shambles, Covaner").
			return reasonPlain
		}
	}
	// "the GM's fronts", "a player's notes": a common noun's belongings,
	// written in lower case after a determiner, describe rather than name.
	if !heading && count < repeatedPhrase && n >= 2 && ownedByCommon(en, text, surf, context) {
		return reasonOwner
	}
	if heading || capped && pos != Verb && pos != Adjective {
		return ""
	}
	// "nearest steading", "listed deity", "new steadings": a plain
	// modifier before a term describes it; the term is its head alone.
	// Not a name: lower case, or capitalised only as a sentence's start.
	// A phrase the book repeats is one of its terms ("ranged attack",
	// "failed save"), whatever its words.
	lowerPhrase := n >= 2 && pos == Phrase && count < repeatedPhrase && (isLowerWord(surf[0]) || sentenceCase(surf)) &&
		!namedInContext(context, joined)
	if lowerPhrase && !keep(0) && plainModifier(en, lx, lows[0]) {
		return reasonMod
	}
	// "the adventuring life", "rising tension": a present participle of a
	// plain verb describes what it precedes, as a past participle does.
	// Not before a kind of creature or thing, which the participle names
	// ("riding horse", "flying sword"): the head must be plain English.
	if lowerPhrase && n == 2 && !keep(0) && plainParticiple(en, lows[0]) &&
		(en.Plain(lows[1]) || len(lemmas) == 2 && en.Plain(lemmas[1])) {
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

	if namedInContext(context, joined) {
		return ""
	}
	content := 0
	for i, w := range lows {
		if joinWords[w] || lx.Stop(w) || isNumeral(w) {
			continue
		}
		content++
		if keep(i) || !plainWord(en, lx, w) && !(i < len(lemmas) && en.Plain(lemmas[i])) {
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
	// "dangerous"; or derived from a plain word, which the list may lack:
	// "organizational" (organization), "logistical" (logistic).
	for _, suf := range [...]string{"ive", "al", "ous", "ful", "less", "able", "ible", "ary"} {
		b, ok := strings.CutSuffix(w, suf)
		if !ok || len(b) < 3 {
			continue
		}
		if en.Plain(w) || en.Plain(b) || en.Plain(b+"e") || en.Plain(b+"y") {
			return true
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

// namedInContext reports a name written in lower case, as its sentence
// shows: "the cure wounds spell", "cast shatter", set in emphasis ("the
// target of *shocking grasp*") or listed after a label ("At will: dancing
// lights, minor illusion").
func namedInContext(context, joined string) bool {
	low := strings.ToLower(context)
	if low == "" || joined == "" {
		return false
	}
	i := strings.Index(low, joined)
	if i < 0 {
		return false
	}
	rawAfter, rawBefore := low[i+len(joined):], low[:i]
	after := strings.TrimLeft(rawAfter, " *_")
	before := strings.TrimRight(rawBefore, " *_")
	if strings.HasPrefix(after, "spell") || strings.HasSuffix(before, "cast") || strings.HasSuffix(before, "casts") {
		return true
	}
	for _, m := range [...]string{"*", "_"} {
		if strings.HasSuffix(rawBefore, m) && strings.HasPrefix(rawAfter, m) {
			return true
		}
	}
	// "At will: dancing lights, minor illusion": a whole item of a list
	// after a label names something, as a stat block's spells, gear or
	// immunities do.
	if strings.Contains(rawBefore, ":") {
		b := strings.TrimRight(rawBefore, " ")
		a := strings.TrimLeft(rawAfter, " ")
		if (strings.HasSuffix(b, ",") || strings.HasSuffix(b, ":") || strings.HasSuffix(b, ";")) &&
			(a == "" || a[0] == ',' || a[0] == ';' || a[0] == '(') {
			return true
		}
	}
	return false
}

// opensSentence reports text at the start of a sentence that goes on in
// lower case, list marks and quotes aside: "New towns immediately gain".
// A table cell or label that is the text alone ("Little bag of sand")
// keeps its capital as a name's.
func opensSentence(context, text string) bool {
	c := strings.TrimLeft(context, " \t*_-–—•\"“'‘(")
	rest, ok := strings.CutPrefix(c, text)
	if text == "" || !ok || !strings.HasPrefix(rest, " ") {
		return false
	}
	next := strings.Fields(rest)
	return len(next) > 0 && isLowerWord(next[0])
}

// inProse reports whether text follows a lower-case word in context with
// nothing between but a space: "met the People", not "Brindenburg,
// Shambles" or a label at a line's start.
func inProse(context, text string) bool {
	for off := 0; off < len(context); {
		i := strings.Index(context[off:], text)
		if i < 0 {
			return false
		}
		i += off
		off = i + len(text)
		if r, _ := utf8.DecodeRuneInString(context[off:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			continue // inside a longer word: "the Hearthstone" is no "Hearth"
		}
		before := context[:i]
		if !strings.HasSuffix(before, " ") {
			continue
		}
		fs := strings.Fields(before)
		if len(fs) > 0 && isLowerWord(fs[len(fs)-1]) && strings.IndexFunc(fs[len(fs)-1], func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
			return true
		}
	}
	return false
}

// plainPlural reports the plural of a plain-English noun: "crosses",
// "recruits". Words that are the same in both numbers are no plural.
func plainPlural(en *lexicon.English, w, lemma string) bool {
	if !strings.HasSuffix(w, "s") || lemma == w || strings.HasSuffix(w, "ss") {
		return false
	}
	return en.Plain(w) && (en.Plain(lemma) || en.Plain(strings.TrimSuffix(w, "s")) || en.Plain(strings.TrimSuffix(w, "es")))
}

// determiners open a noun phrase that describes what it names.
var determiners = map[string]bool{
	"the": true, "a": true, "an": true, "your": true, "their": true, "his": true, "her": true, "its": true,
	"our": true, "my": true, "each": true, "every": true, "this": true, "that": true, "any": true,
}

// ownedByCommon reports "the GM's fronts": a singular possessive of a
// common noun or role abbreviation, after a determiner, followed by lower-
// case words. Names in the possessive keep their capitals ("Tenser's
// Floating Disk") or stand with no determiner ("thieves' tools" is no
// singular possessive).
func ownedByCommon(en *lexicon.English, text string, surf []string, context string) bool {
	fs := strings.Fields(text)
	if len(fs) < 2 {
		return false
	}
	owner, ok := strings.CutSuffix(strings.ReplaceAll(fs[0], "’", "'"), "'s")
	if !ok || owner == "" {
		return false
	}
	for _, w := range surf[1:] {
		if !isLowerWord(w) {
			return false
		}
	}
	low := strings.ToLower(owner)
	abbrev := len(owner) <= 4 && strings.ToUpper(owner) == owner // GM, DM, PC, NPC
	if !abbrev && !isLowerWord(owner) && !en.Plain(low) && !en.Keep(low) {
		return false // a proper name's belongings: "Nulty's Harbor"
	}
	if abbrev && !en.Keep(low) {
		return false
	}
	lc := strings.ToLower(strings.ReplaceAll(context, "’", "'"))
	i := strings.Index(lc, strings.ToLower(strings.ReplaceAll(text, "’", "'")))
	if i < 0 {
		return false
	}
	before := strings.Fields(lc[:i])
	return len(before) > 0 && determiners[strings.Trim(before[len(before)-1], "*_\"“(")]
}

// plainParticiple reports the present participle of a plain-English verb:
// "adventuring", "grasping" (not "king", "ring").
func plainParticiple(en *lexicon.English, w string) bool {
	b, ok := strings.CutSuffix(w, "ing")
	if !ok || len(b) < 3 || !en.Plain(w) {
		return false
	}
	return en.Plain(b) || en.Plain(b+"e") || len(b) >= 4 && b[len(b)-1] == b[len(b)-2] && en.Plain(b[:len(b)-1])
}

// ofPhrase reports a phrase with "of" inside it: "Lock of Years".
func ofPhrase(lows []string) bool {
	for _, w := range lows[1 : len(lows)-1] {
		if w == "of" {
			return true
		}
	}
	return false
}

// plainWord reports a plain-English word, or a hyphenated one made only of
// plain words and function words: "made-up", "well-known" (not
// "eel-bodied" or "fire-breathing").
func plainWord(en *lexicon.English, lx *lexicon.Lexicon, w string) bool {
	if en.Plain(w) {
		return true
	}
	if !strings.Contains(w, "-") {
		return false
	}
	for _, p := range strings.Split(w, "-") {
		if p == "" || !en.Plain(p) && !lx.Stop(p) && !joinWords[p] || en.Keep(p) {
			return false
		}
	}
	return true
}
