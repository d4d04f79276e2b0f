package extract

import (
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
)

// sections tracks the headings a block sits under, for Candidate.Section.
//
// With heading levels (Block.Level) it is a stack. Without them a heading
// counts as a section's title when another heading follows it with at most
// one short block between ("# Cavern Dwellers" then "## Ankheg"); an entry's
// own heading, followed by its description, does not.
type sections struct {
	stack []sectionHead
	// last is the latest heading without a level, not yet known to be a
	// section title; between counts the blocks since it, short whether
	// they were all short.
	last    string
	between int
	short   bool
	path    string // the stack joined, innermost last
}

type sectionHead struct {
	level int
	text  string
}

// maxSections bounds the headings kept without levels.
const maxSections = 3

// shortIntro is the longest block (bytes) between a section title and the
// next heading: a byline or a one-line introduction, shorter than most
// entries' descriptions.
const shortIntro = 80

// block updates the sections with the next block, before its candidates
// are taken: a heading's own candidates get the sections it opens under.
func (s *sections) block(b *document.Block) {
	if b.Type != document.Heading {
		if s.last != "" {
			s.between++
			s.short = s.short && len(b.Text) < shortIntro && b.Type != document.List
		}
		return
	}
	text := strings.Join(strings.Fields(b.Text), " ")
	if b.Level > 0 {
		s.last = ""
		for len(s.stack) > 0 && s.stack[len(s.stack)-1].level >= b.Level {
			s.stack = s.stack[:len(s.stack)-1]
		}
		s.join()
		s.stack = append(s.stack, sectionHead{b.Level, text})
		return
	}
	if s.last != "" && (s.between == 0 || s.between == 1 && s.short) {
		s.stack = append(s.stack, sectionHead{0, s.last})
		if len(s.stack) > maxSections {
			// The first title (the book's or chapter's) stays: it says
			// what the sections after it hold.
			s.stack = append(s.stack[:1], s.stack[2:]...)
		}
		s.join()
	}
	s.last, s.between, s.short = text, 0, true
}

func (s *sections) join() {
	parts := make([]string, len(s.stack))
	for i, h := range s.stack {
		parts[i] = h.text
	}
	s.path = strings.Join(parts, " / ")
}
