package lexicon

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed rules.txt
var rulesTxt string

// Rules are the word lists of extract's tagging and phrase rules, read
// from rules.txt: the words that mark a trait line, make a title a clause,
// open a clause, label a stat block or join the words of a name.
type Rules struct {
	TraitWords    map[string]bool     // "uncommon", "large": a Pathfinder trait line
	ClauseTitles  map[string]bool     // "you", "how", "before": a title worded as a clause
	Compounds     map[string][]string // "hit" -> "points", "dice": noun compounds
	Subordinators map[string]bool     // "until", "while": a clause opens
	ColonLabels   map[string]bool     // "casting time", "range": block header labels
	StatLeads     map[string]bool     // "speed", "hd", "perception": stat-line leads before a number
	LineLeads     map[string]bool     // "senses", "languages": stat-line leads
	Connectors    map[string]bool     // "of", "with": inside names
	GenericHeads  map[string]bool     // "spell", "attack": after a name, not of it
}

// PhraseRules returns the embedded rule lists, parsed on first use. A
// section missing from the file yields an empty list; the package's tests
// check that none is.
var PhraseRules = sync.OnceValue(func() *Rules {
	sec := sections(rulesTxt)
	r := &Rules{
		TraitWords:    words(sec["trait-words"], false),
		ClauseTitles:  words(sec["clause-titles"], false),
		Compounds:     map[string][]string{},
		Subordinators: words(sec["subordinators"], false),
		ColonLabels:   words(sec["colon-labels"], true),
		StatLeads:     words(sec["stat-leads"], false),
		LineLeads:     words(sec["line-leads"], false),
		Connectors:    words(sec["connectors"], false),
		GenericHeads:  words(sec["generic-heads"], false),
	}
	for _, line := range strings.Split(sec["compounds"], "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		first, rest, ok := strings.Cut(line, ":")
		if first = strings.TrimSpace(first); ok && first != "" {
			r.Compounds[first] = strings.Fields(rest)
		}
	}
	return r
})

// sections splits a list file into its "[name]" sections; the text before
// the first is under "".
func sections(text string) map[string]string {
	out := map[string]string{}
	name := ""
	for _, line := range strings.Split(text, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			name = t[1 : len(t)-1]
			continue
		}
		out[name] += line + "\n"
	}
	return out
}
