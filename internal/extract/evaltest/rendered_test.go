package evaltest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
	"github.com/corpora-tools/corpora/internal/extract/lexicon"
	"github.com/corpora-tools/corpora/internal/parse"
)

// goldVariants returns the forms a gold term may be found as: itself, with
// a trailing parenthesis dropped ("Acid (vial)"), and inverted at a comma
// ("Crossbow, hand" -> "hand crossbow").
func goldVariants(g string) []string {
	g = strings.ToLower(strings.TrimSpace(g))
	out := []string{g}
	base := g
	if i := strings.Index(base, " ("); i > 0 {
		base = strings.TrimSpace(base[:i])
		out = append(out, base)
	}
	if a, b, ok := strings.Cut(base, ", "); ok {
		out = append(out, b+" "+a, a)
	}
	return out
}

func plurals(s string) []string {
	out := []string{s, s + "s", s + "es", strings.TrimSuffix(s, "s"), strings.TrimSuffix(s, "es")}
	if strings.HasSuffix(s, "y") {
		out = append(out, strings.TrimSuffix(s, "y")+"ies")
	}
	return out
}

func TestRenderedSRD(t *testing.T) {
	dir := os.Getenv("CORPORA_TEST_CORPUS")
	if dir == "" {
		t.Skip("CORPORA_TEST_CORPUS not set: skipping corpus test")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "srd", "rendered", "srd_*.*"))
	if os.Getenv("EXTRACT_NO_PDF") != "" {
		var keep []string
		for _, f := range files {
			if !strings.HasSuffix(f, ".pdf") {
				keep = append(keep, f)
			}
		}
		files = keep
	}
	p, err := parse.New(parse.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	lx := lexicon.Default()
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			gold, err := os.ReadFile(filepath.Join(dir, "srd", "gold", "per-document", name+".txt"))
			if err != nil {
				t.Skipf("no gold list for %s", name)
			}
			doc, err := p.File(context.Background(), f, document.Options{OCR: document.OCROff})
			if err != nil {
				t.Skipf("parser not ready for %s: %v", name, err)
			}
			// The parsers and candidate rules: the generic filter drops gold
			// names used as plain English ("original creation"); corpus_test.go
			// measures it.
			cands, err := extract.Extract(context.Background(), doc, extract.Options{KeepGeneric: true})
			if err != nil {
				t.Fatal(err)
			}
			have := map[string]bool{}
			junk := 0
			for _, c := range cands {
				have[strings.ToLower(c.Text)] = true
				have[strings.ToLower(c.Lemma)] = true
				if strings.IndexFunc(c.Text, unicode.IsDigit) >= 0 || len([]rune(c.Text)) <= 2 || lx.Stop(strings.ToLower(c.Text)) {
					junk++
				}
			}
			found, total := 0, 0
			var missed []string
			for _, g := range strings.Split(string(gold), "\n") {
				if g = strings.TrimSpace(g); g == "" || len(strings.Fields(g)) > 4 {
					continue
				}
				total++
				ok := false
				for _, v := range goldVariants(g) {
					for _, f := range plurals(v) {
						ok = ok || have[f]
					}
				}
				if ok {
					found++
				} else {
					missed = append(missed, g)
				}
			}
			rec := float64(found) / float64(max(total, 1))
			jr := float64(junk) / float64(max(len(cands), 1))
			t.Logf("%s: %d blocks, %d candidates, recall %d/%d = %.3f, junk %d = %.4f", name, len(doc.Content), len(cands), found, total, rec, junk, jr)
			if len(missed) > 0 {
				t.Logf("missed: %q", missed)
			}
			if rec < 0.90 {
				t.Errorf("recall %.3f < 0.90", rec)
			}
			if jr >= 0.02 {
				t.Errorf("junk %.4f >= 0.02", jr)
			}
		})
	}
}
