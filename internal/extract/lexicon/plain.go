package lexicon

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"strings"
	"sync"
)

var (
	//go:embed plain.txt.gz
	plainGz []byte
	//go:embed keep.txt
	keepTxt string
	//go:embed fragments.txt
	fragmentsTxt string
)

// English is the general-English knowledge of the generic-term filter.
type English struct {
	plain    map[string]bool // common English with no game sense (gen/)
	keep     map[string]bool // keep.txt and fantasy.txt
	phrases  map[string]bool // stock phrases ("vice versa")
	credits  map[string]bool // byline and front-matter words
	units    map[string]bool // measures
	tagWords map[string]bool // words of type and tag lines
	mods     map[string]bool // plain modifiers ("nearby", "various")
	labels   map[string]bool // stat and type-line labels ("atk", "bulk")
}

// PlainEnglish returns the embedded lists, parsed on first use. The data is
// generated into the binary; a corrupt file is a build error caught by the
// package's tests, so it yields empty lists rather than a panic.
var PlainEnglish = sync.OnceValue(func() *English {
	e := &English{plain: map[string]bool{}, phrases: map[string]bool{}}
	if zr, err := gzip.NewReader(bytes.NewReader(plainGz)); err == nil {
		if b, err := io.ReadAll(zr); err == nil {
			for _, w := range strings.Split(string(b), "\n") {
				if w != "" && w[0] != '#' {
					e.plain[w] = true
				}
			}
		}
	}
	e.keep = words(keepTxt, false)
	for w := range Default().fantasy {
		e.keep[w] = true
	}
	sections := sections(fragmentsTxt)
	e.phrases = words(sections["phrases"], true)
	e.credits = words(sections["credits"], false)
	e.units = words(sections["units"], false)
	e.tagWords = words(sections["tags"], false)
	e.mods = words(sections["modifiers"], false)
	e.labels = words(sections["labels"], false)
	return e
})

// Plain reports a common English word (lower case) with no game sense.
func (e *English) Plain(w string) bool { return e.plain[w] }

// Keep reports a word of the fantasy keep-lists (lower case).
func (e *English) Keep(w string) bool { return e.keep[w] }

// StockPhrase reports a stock phrase such as "vice versa" (lower case,
// single spaces).
func (e *English) StockPhrase(p string) bool { return e.phrases[p] }

// Credit reports a word of bylines and front matter ("authors", "editor").
func (e *English) Credit(w string) bool { return e.credits[w] }

// Unit reports a word of measure ("degrees", "feet").
func (e *English) Unit(w string) bool { return e.units[w] }

// StatLabel reports a stat or type-line label of another system ("atk",
// "usage", "bulk").
func (e *English) StatLabel(w string) bool { return e.labels[w] }

// Modifier reports a plain modifier that describes rather than names
// ("nearby", "various").
func (e *English) Modifier(w string) bool { return e.mods[w] }

// TagWord reports a word of type and tag lines ("ongoing", "cantrip").
func (e *English) TagWord(w string) bool { return e.tagWords[w] }
