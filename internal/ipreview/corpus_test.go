package ipreview

import (
	"path/filepath"
	"testing"

	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// TestCorpusProductIdentityRecall: every Product Identity term named by
// the SRD 5.1 legal text is flagged, in both typographies.
func TestCorpusProductIdentityRecall(t *testing.T) {
	dir := testcorpus.Dir(t)
	b := Default()
	for _, name := range []string{"product_identity_srd5_ogl.txt", "product_identity_srd5_ogl.original_typography.txt", "product_identity_creatures.txt"} {
		terms := testcorpus.Lines(t, filepath.Join(dir, "ip", "gold", name))
		hit := 0
		for _, term := range terms {
			if b.FlagTexts(term) == nil {
				t.Errorf("%s: %q is not flagged", name, term)
				continue
			}
			hit++
		}
		t.Logf("%s: recall %d/%d", name, hit, len(terms))
	}
}

// TestCorpusNoFalseFlags: no SRD spell, monster or magic-item name is
// flagged unless it contains Product Identity (none of them should).
func TestCorpusNoFalseFlags(t *testing.T) {
	dir := testcorpus.Dir(t)
	b := Default()
	total, flagged := 0, 0
	for _, name := range []string{"spells.txt", "monsters.txt", "magic_items.txt", "all_terms.txt"} {
		for _, term := range testcorpus.Lines(t, filepath.Join(dir, "srd", "gold", name)) {
			total++
			if r := b.FlagTexts(term); r != nil {
				flagged++
				t.Errorf("%s: %q flagged: %s", name, term, *r)
			}
		}
	}
	t.Logf("SRD names checked: %d, flagged: %d", total, flagged)
}
