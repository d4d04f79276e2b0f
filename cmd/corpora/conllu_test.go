package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExtractCoNLLU runs `corpora extract --conllu` on a text file: one
// CoNLL-U block per sentence, with the tags the 1.0 tool's tests asked for
// on fantasy prose, and candidates that treat capitals like any other case.
func TestExtractCoNLLU(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "tale.txt")
	writeFile(t, in, "The ancient wizard cast a powerful spell. The ancient dragon breathed deadly fire.\n\nTHE PEOPLE ARE GOOD.\n")
	r := corpora(t, "extract", in, "--conllu")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	blocks := strings.Split(strings.TrimSuffix(r.stdout, "\n\n"), "\n\n")
	if len(blocks) != 3 {
		t.Fatalf("%d sentences, want 3:\n%s", len(blocks), r.stdout)
	}
	want := []map[string]string{
		{"ancient": "ADJ", "wizard": "NOUN", "cast": "VERB", "powerful": "ADJ", "spell": "NOUN", ".": "PUNCT"},
		{"ancient": "ADJ", "dragon": "NOUN", "breathed": "VERB", "deadly": "ADJ", "fire": "NOUN"},
		{"THE": "DET", "PEOPLE": "NOUN", "ARE": "AUX", "GOOD": "ADJ"},
	}
	for i, b := range blocks {
		lines := strings.Split(b, "\n")
		if lines[0] != "# sent_id = "+string(rune('1'+i)) || !strings.HasPrefix(lines[1], "# text = ") {
			t.Fatalf("sentence %d: comments %q", i+1, lines[:2])
		}
		got := map[string]string{}
		for _, l := range lines[2:] {
			f := strings.Split(l, "\t")
			if len(f) != 10 {
				t.Fatalf("sentence %d: %d fields in %q", i+1, len(f), l)
			}
			got[f[1]] = f[3]
		}
		for form, u := range want[i] {
			if got[form] != u {
				t.Errorf("sentence %d: %s is %q, want %s", i+1, form, got[form], u)
			}
		}
	}
	if !strings.Contains(r.stdout, "\tbreathed\tbreathe\tVERB\t") {
		t.Errorf("breathed not lemmatised as a verb:\n%s", r.stdout)
	}

	c := corpora(t, "extract", in, "--candidates-only")
	if c.code != 0 {
		t.Fatalf("--candidates-only: exit %d: %s", c.code, c.stderr)
	}
	lower := strings.ToLower(c.stdout)
	for _, w := range []string{`"deadly"`, `"ancient dragon"`} {
		if !strings.Contains(lower, w) {
			t.Errorf("candidate %s missing: %s", w, c.stdout)
		}
	}
	for _, w := range []string{`"people"`, `"good"`, `"are"`} {
		if strings.Contains(lower, `"text": `+w) {
			t.Errorf("%s in capitals escaped the stop-word and common-word filters: %s", w, c.stdout)
		}
	}
}
