package vocab

import (
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
)

func TestRedactorContexts(t *testing.T) {
	index := map[string]ipreview.Decision{
		termkey.Key("beholder"):             {Action: ipreview.Remove},
		termkey.Key("Mordenkainen's Sword"): {Action: ipreview.Rename, NewText: "Arcane Sword"},
		termkey.Key("Sigil"):                {Action: ipreview.Keep},
	}
	files := []*File{{Entries: []Entry{
		{Term: classify.Term{Text: "beholder", Canonical: "beholder", Lemma: "beholder"}, Variants: []string{"Beholders"}},
		{Term: classify.Term{Text: "Mordenkainen’s Sword", Canonical: "Mordenkainen's Sword"}},
		{Term: classify.Term{Text: "Sigil", Canonical: "Sigil"}},
	}}}
	r := newRedactor(index, files)
	tests := []struct{ ctx, own, want string }{
		{"The beholder hunts.", "wyvern", ""},
		{"Two BEHOLDERS float by.", "wyvern", ""},
		{"A beholderkin is not one.", "wyvern", "A beholderkin is not one."},
		{"The beholder hunts.", "beholder eye", "The beholder hunts."}, // inside the entry's own text
		{"He cast Mordenkainen's Sword twice.", "wyvern", "He cast Arcane Sword twice."},
		{"He cast Mordenkainen’s Sword, then mordenkainen's sword.", "x", "He cast Arcane Sword, then Arcane Sword."},
		{"Sigil stands.", "x", "Sigil stands."},
		{"", "x", ""},
	}
	for _, tc := range tests {
		if got := r.context(tc.ctx, tc.own); got != tc.want {
			t.Errorf("context(%q, own %q) = %q, want %q", tc.ctx, tc.own, got, tc.want)
		}
	}
	// Per-document entries: a removed one goes, a renamed one takes the
	// new name everywhere, a kept one stays as it is.
	var kept []Entry
	for _, e := range files[0].Entries {
		e.ID = "book-" + classify.Slug(e.Canonical)
		if r.apply(&e, false) {
			kept = append(kept, e)
		}
	}
	if len(kept) != 2 {
		t.Fatalf("kept %d entries, want 2", len(kept))
	}
	if e := kept[0]; e.Text != "Arcane Sword" || e.Canonical != "Arcane Sword" || e.Lemma != "arcane sword" || e.ID != "book-arcane-sword" {
		t.Errorf("renamed entry: %+v", e.Term)
	}
	if kept[1].Text != "Sigil" {
		t.Errorf("kept entry changed: %+v", kept[1].Term)
	}
}
