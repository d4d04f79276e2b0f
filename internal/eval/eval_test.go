package eval

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/offline"
	"github.com/corpora-tools/corpora/internal/parse"
	"github.com/corpora-tools/corpora/internal/testcorpus"
)

func run(t *testing.T, cfg Config) *Report {
	t.Helper()
	p, err := parse.New(parse.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cfg.Parser, cfg.Classifier = p, offline.New()
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rep.Write(&b, true)
	t.Log("\n" + b.String())
	return rep
}

// checkLayouts asserts the accuracy of each of spells, creatures and items
// per layout (issue 13's targets) and the recall.
func checkLayouts(t *testing.T, rep *Report, book, plain, recall float64) {
	t.Helper()
	for layout, min := range map[string]float64{"book": book, "plain": plain} {
		conf := rep.Layout(layout)
		for _, c := range []classify.Category{classify.Spell, classify.Creature, classify.Item} {
			row := conf[c]
			found := 0
			for _, n := range row {
				found += n
			}
			if found == 0 {
				continue
			}
			if acc := float64(row[c]) / float64(found); acc < min {
				t.Errorf("%s layout, %s: accuracy %.1f%% < %.0f%%", layout, c, 100*acc, 100*min)
			}
		}
	}
	for _, b := range rep.Books {
		if b.Gold > 0 && float64(b.Found) < recall*float64(b.Gold) {
			t.Errorf("%s: recall %d/%d < %.0f%%", b.File, b.Found, b.Gold, 100*recall)
		}
	}
}

// TestMadeUpSystems measures the made-up Pathfinder-2e-style and OSR-style
// books of testdata/books (names no lexicon knows), in book and plain
// layout.
func TestMadeUpSystems(t *testing.T) {
	rep := run(t, Config{Books: filepath.Join("testdata", "books")})
	if len(rep.Books) != 8 {
		t.Fatalf("%d books measured, want 8", len(rep.Books))
	}
	checkLayouts(t, rep, 0.85, 0.75, 0.8)
}

// TestHeldOut measures the books of testdata/heldout, written apart from
// the classifier's rules (make.py): a 5e-compatible third-party spellbook,
// bestiary and treasury, a Pathfinder-2e-style adventure whose chapters mix
// creatures, items, spells and people, and an OSR-style grimoire.
func TestHeldOut(t *testing.T) {
	rep := run(t, Config{Books: filepath.Join("testdata", "heldout")})
	if len(rep.Books) != 10 {
		t.Fatalf("%d books measured, want 10", len(rep.Books))
	}
	checkLayouts(t, rep, 0.85, 0.75, 0.85)
}

// TestDungeonWorld measures the Dungeon World books of the test corpus: the
// gold categories in both layouts and three formats, and the hand-judged
// terms of dw_world.md.
func TestDungeonWorld(t *testing.T) {
	dir := filepath.Join(testcorpus.Dir(t), "systems", "dungeon-world")
	if testing.Short() {
		t.Skip("parses PDFs: skipped with -short")
	}
	rep := run(t, Config{Books: dir, Judged: filepath.Join("testdata", "judged")})
	checkLayouts(t, rep, 0.85, 0.75, 0.9)
	judged, kept := map[string]int{}, map[string]int{}
	for _, b := range rep.Books {
		for j, n := range b.Judged {
			judged[j] += n
			kept[j] += b.Kept[j]
		}
	}
	if judged["good"] == 0 {
		t.Fatal("no judged terms found among the candidates of dw_world.md")
	}
	share := func(j string) float64 { return float64(kept[j]) / float64(judged[j]) }
	// Issue 13's targets are 90% / 35% / 20% on other books; these bounds
	// guard the measured figures against regressions.
	if share("good") < 0.85 || share("plain") > 0.35 || share("junk") > 0.4 {
		t.Errorf("judged terms still emitted: good %.2f, plain %.2f, junk %.2f", share("good"), share("plain"), share("junk"))
	}
}

// TestReadJudged checks the judgement file format and its errors.
func TestReadJudged(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.tsv"), []byte("# c\nFire\tgood\nvice versa\tjunk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := readJudged(dir, "a")
	if err != nil || m["fire"] != "good" || m["vice versa"] != "junk" {
		t.Fatalf("readJudged = %v, %v", m, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.tsv"), []byte("Fire\tmaybe\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readJudged(dir, "b"); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad judgement: %v", err)
	}
	if m, err := readJudged(dir, "none"); err != nil || m != nil {
		t.Errorf("missing file: %v, %v", m, err)
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string][2]string{
		"dw_magic.plain.md": {"dw_magic", "plain"},
		"dw_magic.epub":     {"dw_magic", "book"},
		"srd.v2.pdf":        {"srd.v2", "book"},
	} {
		if s, l := stem(in); s != want[0] || l != want[1] {
			t.Errorf("stem(%q) = %q, %q", in, s, l)
		}
	}
}
