package ipreview

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir returns $CORPORA_TEST_CORPUS or skips.
func corpusDir(t testing.TB) string {
	dir := os.Getenv("CORPORA_TEST_CORPUS")
	if dir == "" {
		t.Skip("CORPORA_TEST_CORPUS is not set: skipping the corpus test")
	}
	return dir
}

func readLines(t testing.TB, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// TestCorpusProductIdentityRecall: every Product Identity term named by
// the SRD 5.1 legal text is flagged, in both typographies.
func TestCorpusProductIdentityRecall(t *testing.T) {
	dir := corpusDir(t)
	b := Default()
	for _, name := range []string{"product_identity_srd5_ogl.txt", "product_identity_srd5_ogl.original_typography.txt", "product_identity_creatures.txt"} {
		terms := readLines(t, filepath.Join(dir, "ip", "gold", name))
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
	dir := corpusDir(t)
	b := Default()
	total, flagged := 0, 0
	for _, name := range []string{"spells.txt", "monsters.txt", "magic_items.txt", "all_terms.txt"} {
		for _, term := range readLines(t, filepath.Join(dir, "srd", "gold", name)) {
			total++
			if r := b.FlagTexts(term); r != nil {
				flagged++
				t.Errorf("%s: %q flagged: %s", name, term, *r)
			}
		}
	}
	t.Logf("SRD names checked: %d, flagged: %d", total, flagged)
}
