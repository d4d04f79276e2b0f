package vocab

import (
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"
)

// TestNewFileUniqueIDs checks that a noun and a verb with the same canonical
// form, which extraction keeps apart, never share an id in one file.
func TestNewFileUniqueIDs(t *testing.T) {
	mk := func(pos extract.POS) classify.Term {
		return classify.Term{ID: "book-pdf-attack", Text: "attack", Canonical: "attack", POS: pos,
			Intent: classify.Offensive, Category: classify.Action, Mood: classify.Martial}
	}
	f := NewFile(DocumentInfo{SourcePath: "book.pdf"}, []classify.Term{mk(extract.Verb), mk(extract.Noun), mk(extract.Noun)}, time.Unix(0, 0))
	seen := map[string]bool{}
	for _, e := range f.Entries {
		if seen[e.ID] {
			t.Fatalf("duplicate id %q in %+v", e.ID, f.Entries)
		}
		seen[e.ID] = true
		if !strings.HasPrefix(e.ID, "book-pdf-attack") {
			t.Fatalf("id %q lost its base", e.ID)
		}
	}
}
