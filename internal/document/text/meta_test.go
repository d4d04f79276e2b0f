package text

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/document/container"
)

// TestTitleCapped: a 20 MB HTML <title> and a huge Markdown heading or
// front-matter title are cut to container.FieldRunes.
func TestTitleCapped(t *testing.T) {
	huge := strings.Repeat("Dragon ", 600_000)
	for _, tc := range []struct {
		name string
		p    document.Parser
		data string
	}{
		{"x.html", HTML{}, "<html><head><title>" + huge + "</title></head><body><p>The emberwright binds a salamander.</p></body></html>"},
		{"x.md", Markdown{}, "# " + huge[:1<<20] + "\n\nThe emberwright binds a salamander.\n"},
		{"y.md", Markdown{}, "---\ntitle: " + huge[:1<<20] + "\nauthor: " + huge[:1<<20] + "\n---\n\nThe emberwright binds a salamander.\n"},
	} {
		out, err := tc.p.Parse(context.Background(), document.Input{Name: tc.name, Data: []byte(tc.data)}, document.Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for field, v := range map[string]string{"title": out.Metadata.Title, "author": out.Metadata.Author} {
			if n := utf8.RuneCountInString(v); n > container.FieldRunes {
				t.Errorf("%s: %s is %d runes", tc.name, field, n)
			}
		}
		if out.Metadata.Title == "" {
			t.Errorf("%s: title lost", tc.name)
		}
	}
}
