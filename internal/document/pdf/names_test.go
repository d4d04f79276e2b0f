package pdf

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// nameScore measures how a book's entry names come out: of the gold names
// that occur in the text, how many come out as a block whose whole text is
// the name with Role name (clean), and how many blocks glue a name to the
// type word or stat label after it ("Ring of Invisibility Ring",
// "Mending Transmutation").
type nameScore struct {
	present, clean, glued int
	missing, gluedEx      []string
}

var typeWordRE = regexp.MustCompile(`(?i)^(\d+(st|nd|rd|th)-level|cantrip\b|ring\b|wondrous\b|armor\b|weapon\b|potion\b|rod\b|staff\b|wand\b|scroll\b|tiny\b|small\b|medium\b|large\b|huge\b|gargantuan\b|abjuration\b|conjuration\b|divination\b|enchantment\b|evocation\b|illusion\b|necromancy\b|transmutation\b|challenge\b|armor class\b|hit points\b)`)

func scoreNames(out *document.Output, gold []string) nameScore {
	var sb strings.Builder
	names := map[string]bool{}
	for _, b := range out.Content {
		sb.WriteString(strings.ToLower(b.Text))
		sb.WriteByte(' ')
		if b.Role == document.RoleName {
			names[strings.ToLower(b.Text)] = true
		}
	}
	full := " " + strings.Join(strings.Fields(sb.String()), " ") + " "
	var present []string
	for _, g := range gold {
		if g == "" {
			continue
		}
		re := regexp.MustCompile(`[^\pL\pN]` + regexp.QuoteMeta(strings.ToLower(g)) + `[^\pL\pN]`)
		if re.MatchString(full) {
			present = append(present, g)
		}
	}
	var s nameScore
	s.present = len(present)
	for _, g := range present {
		if names[strings.ToLower(g)] {
			s.clean++
		} else {
			s.missing = append(s.missing, g)
		}
	}
	sort.Slice(present, func(i, j int) bool { return len(present[i]) > len(present[j]) })
	for _, b := range out.Content {
		low := strings.ToLower(b.Text)
		for _, g := range present {
			if rest, ok := strings.CutPrefix(low, strings.ToLower(g)+" "); ok {
				if typeWordRE.MatchString(rest) && b.Role != document.RoleTypeLine {
					s.glued++
					s.gluedEx = append(s.gluedEx, b.Text[:min(len(b.Text), 60)])
				}
				break
			}
		}
	}
	return s
}

// TestBookStyleNames renders SRD chapters as printed books set them (bold
// names at body size, italic type lines, no paragraph spacing, run-in
// labels, stat blocks) in several ways, and checks that the names come out
// as clean name blocks and are never glued to their type lines.
func TestBookStyleNames(t *testing.T) {
	dir := testcorpus.Dir(t)
	chapters := []struct{ md, gold string }{
		{"08_spellcasting.md", "spells.txt"},
		{"10_magic_items.md", "magic_items.txt"},
		{"11_monsters.md", "monsters.txt"},
	}
	styles := []struct {
		name string
		st   bookStyle
	}{
		{"times-1col-indent", bookStyle{columns: 1, body: 10, core: true, indent: true, bullets: true}},
		{"go-2col", bookStyle{columns: 2, body: 9, bullets: true}},
	}
	p := newTestParser(t, 1)
	for _, ch := range chapters {
		md, err := os.ReadFile(filepath.Join(dir, "srd", "markdown", ch.md))
		if err != nil {
			t.Fatal(err)
		}
		gold := testcorpus.Lines(t, filepath.Join(dir, "srd", "gold", ch.gold))
		for _, sty := range styles {
			t.Run(ch.md+"/"+sty.name, func(t *testing.T) {
				data := renderBook(t, string(md), sty.st)
				path := filepath.Join(t.TempDir(), "book.pdf")
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				if dump := os.Getenv("CORPORA_BOOK_DUMP"); dump != "" {
					_ = os.WriteFile(filepath.Join(dump, strings.TrimSuffix(ch.md, ".md")+"."+sty.name+".pdf"), data, 0o644)
				}
				out, err := parseFile(t, p, path, document.Options{OCR: document.OCROff})
				if err != nil {
					t.Fatal(err)
				}
				s := scoreNames(out, gold)
				// The gold lists hold names the chapter only mentions
				// ("Bat" in a sentence) or sets as variants of one entry
				// ("Belt of Frost Giant Strength"): the test holds the
				// parser to the names the chapter sets as entries.
				s = scoreNames(out, mdEntries(string(md), gold))
				rate := float64(s.clean) / float64(max(s.present, 1))
				t.Logf("%d of %d names clean (%.1f%%), %d glued; missing %v; glued %v", s.clean, s.present, 100*rate, s.glued,
					s.missing[:min(len(s.missing), 12)], s.gluedEx[:min(len(s.gluedEx), 6)])
				if rate < 0.9 {
					t.Errorf("only %.1f%% of the names come out clean", 100*rate)
				}
				if s.glued*50 > s.present {
					t.Errorf("%d names glued to their type line (over 2%%)", s.glued)
				}
			})
		}
	}
}

// TestSpellcastingBookNames is the issue's own example: the book-style
// render of the SRD's spellcasting chapter (and its LibreOffice render),
// read by the fast path and by PDFium (which gives the style from the
// font's weight, flags and name).
func TestSpellcastingBookNames(t *testing.T) {
	dir := testcorpus.Dir(t)
	gold := testcorpus.Lines(t, filepath.Join(dir, "srd", "gold", "spells.txt"))
	for _, run := range []struct{ engine, file string }{
		{"fast", "srd_spellcasting.book.pdf"},
		{"pdfium", "srd_spellcasting.book.pdf"},
		// LibreOffice sets the names in DejaVu Sans Oblique over a serif
		// body: distinct by family, not by weight.
		{"fast", "srd_spellcasting.libreoffice.pdf"},
		{"pdfium", "srd_spellcasting.libreoffice.pdf"},
	} {
		engine := run.engine
		t.Run(engine+"/"+run.file, func(t *testing.T) {
			p, err := NewParser(Config{Instances: 1, NoFastPath: engine == "pdfium"})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			out, err := parseFile(t, p, filepath.Join(dir, "srd", "rendered", run.file), document.Options{OCR: document.OCROff})
			if err != nil {
				t.Fatal(err)
			}
			s := scoreNames(out, gold)
			rate := float64(s.clean) / float64(max(s.present, 1))
			t.Logf("%d of %d spells clean (%.1f%%), %d glued; missing %v; glued %v", s.clean, s.present, 100*rate, s.glued, s.missing, s.gluedEx)
			if rate < 0.95 || s.glued*50 > s.present {
				t.Errorf("%.1f%% clean, %d glued", 100*rate, s.glued)
			}
			for _, b := range out.Content {
				for _, bad := range []string{"Mending Transmutation", "Acid Splash Conjuration cantrip", "Magic Weapon Sorcerer Spells"} {
					if strings.HasPrefix(b.Text, bad) {
						t.Errorf("glued block %q", b.Text[:min(len(b.Text), 80)])
					}
				}
			}
		})
	}
}

// mdEntries returns the gold names a Markdown chapter sets as headings.
func mdEntries(md string, gold []string) []string {
	heads := map[string]bool{}
	for _, ln := range strings.Split(md, "\n") {
		if strings.HasPrefix(ln, "#") {
			heads[strings.ToLower(strings.TrimSpace(strings.TrimLeft(ln, "#")))] = true
		}
	}
	var out []string
	for _, g := range gold {
		if heads[strings.ToLower(g)] {
			out = append(out, g)
		}
	}
	return out
}
