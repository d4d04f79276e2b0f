package parse

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
)

// TestMetadataBounded: whatever a parser returns, the dispatcher cuts each
// metadata field and TOC title to container.FieldRunes and counts them
// against MaxTextBytes.
func TestMetadataBounded(t *testing.T) {
	huge := strings.Repeat("é", 1<<20)
	p := newTestParser(t)
	p.formats[document.Text] = fakeParser(func(context.Context, document.Input, document.Options) (*document.Output, error) {
		out := &document.Output{Content: []document.Block{{Type: document.Paragraph, Text: strings.Repeat("a", 9000)}}}
		out.Metadata = document.Metadata{Title: huge, Author: huge, Keywords: huge, Producer: "short"}
		for range 10 {
			out.Metadata.TOC = append(out.Metadata.TOC, document.TOCEntry{Title: huge, Level: 1})
		}
		return out, nil
	})
	path := writeTemp(t, "notes.txt", "anything")
	out, err := p.File(context.Background(), path, document.Options{Limits: document.Limits{MaxTextBytes: 16_000}})
	if err != nil {
		t.Fatal(err)
	}
	m := out.Metadata
	total := 0
	for name, v := range map[string]string{"title": m.Title, "author": m.Author, "keywords": m.Keywords, "producer": m.Producer} {
		if n := utf8.RuneCountInString(v); n > container.FieldRunes {
			t.Errorf("%s is %d runes", name, n)
		}
		total += len(v)
	}
	if m.Producer != "short" || !strings.HasSuffix(m.Title, "…") {
		t.Errorf("producer %q, title ends %q", m.Producer, m.Title[len(m.Title)-10:])
	}
	for _, e := range m.TOC {
		total += len(e.Title)
	}
	for _, b := range out.Content {
		total += len(b.Text)
	}
	if total > 16_000 {
		t.Errorf("metadata, TOC and text are %d bytes, over MaxTextBytes", total)
	}
	if len(m.TOC) == 0 || len(m.TOC) == 10 {
		t.Errorf("%d TOC entries kept, want some dropped at the text limit", len(m.TOC))
	}
	var warned bool
	for _, w := range out.Warnings {
		warned = warned || strings.Contains(w.Reason, "table of contents truncated")
	}
	if !warned {
		t.Errorf("no warning for the dropped TOC entries: %v", out.Warnings)
	}
}
