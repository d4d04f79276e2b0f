package offline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"

	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// srdDocs is the SRD markdown as a parser would give it: per file, its lines
// with markup removed, and where each heading is.
type srdDocs struct {
	files    []string   // base names, sorted
	raw      [][]string // lines as written
	clean    [][]string // lines without markup
	lower    [][]string // clean, lowercased
	headings map[string][][2]int
}

func loadSRD(t testing.TB, dir string) *srdDocs {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "srd", "markdown", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no SRD markdown under %s: %v", dir, err)
	}
	sort.Strings(files)
	d := &srdDocs{headings: map[string][][2]int{}}
	for fi, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raw := strings.Split(string(b), "\n")
		clean := make([]string, len(raw))
		for i, l := range raw {
			clean[i] = cleanMD(l)
			if strings.HasPrefix(l, "#") {
				d.headings[clean[i]] = append(d.headings[clean[i]], [2]int{fi, i})
			}
		}
		d.files = append(d.files, filepath.Base(f))
		d.raw = append(d.raw, raw)
		d.clean = append(d.clean, clean)
		lower := make([]string, len(clean))
		for i, l := range clean {
			lower[i] = strings.ToLower(l)
		}
		d.lower = append(d.lower, lower)
	}
	return d
}

// cleanMD removes markdown markup and table rules.
func cleanMD(l string) string {
	l = strings.TrimLeft(l, "# ")
	l = strings.NewReplacer("*", "", "_", "", "|", " ").Replace(l)
	if strings.Trim(l, "-: ") == "" {
		return ""
	}
	return strings.Join(strings.Fields(l), " ")
}

// candidateFor builds the candidate a name's heading (in the preferred
// chapters first) or, failing that, its first mention gives: the heading and
// its header line as the context sentence, the section as the block.
func (d *srdDocs) candidateFor(name string, prefer []string, withBlock bool) (extract.Candidate, bool) {
	c := extract.Candidate{Text: name, Lemma: strings.ToLower(name), POS: extract.Phrase}
	if !strings.Contains(name, " ") {
		c.POS = extract.ProperNoun
	}
	locs := d.headings[name]
	sort.SliceStable(locs, func(i, j int) bool {
		return slices.Contains(prefer, d.files[locs[i][0]]) && !slices.Contains(prefer, d.files[locs[j][0]])
	})
	if len(locs) > 0 {
		fi, li := locs[0][0], locs[0][1]
		var body []string
		for i := li + 1; i < len(d.raw[fi]); i++ {
			if strings.HasPrefix(d.raw[fi][i], "#") {
				break
			}
			if s := d.clean[fi][i]; s != "" {
				body = append(body, s)
			}
		}
		c.Context = name
		if len(body) > 0 {
			c.Context += " " + body[0]
		}
		c.Context = cut(c.Context, extract.MaxContext)
		if withBlock {
			c.Block = cut(name+"\n"+strings.Join(body, "\n"), 1500)
		}
		return c, true
	}
	for _, lines := range d.clean {
		for i, s := range lines {
			if j := strings.Index(s, name); j >= 0 {
				k := max(0, j-100)
				c.Context = cut(s[k:], extract.MaxContext)
				if withBlock {
					c.Block = cut(strings.Join(lines[i:min(len(lines), i+4)], "\n"), 1500)
				}
				return c, true
			}
		}
	}
	return c, false
}

// proseFor builds the candidate of a name's first mention in running text
// (not a heading, list or table): the sentence, and the paragraph as block.
func (d *srdDocs) proseFor(name string) (extract.Candidate, bool) {
	c := extract.Candidate{Text: name, Lemma: strings.ToLower(name), POS: extract.Phrase}
	if !strings.Contains(name, " ") {
		c.POS = extract.ProperNoun
	}
	lowName := strings.ToLower(name)
	for fi, lines := range d.clean {
		for i, s := range lines {
			r := d.raw[fi][i]
			if strings.HasPrefix(r, "#") || strings.HasPrefix(r, "-") || strings.HasPrefix(r, "|") {
				continue
			}
			// Spell names are lowercase in prose: "the plane shift spell".
			low := d.lower[fi][i]
			j := wordIndex(low, lowName)
			if j < 0 || len(low) != len(s) {
				continue
			}
			c.Text = s[j : j+len(name)]
			start := strings.LastIndex(s[:j], ". ") + 1
			end := strings.Index(s[j:], ". ")
			if end < 0 {
				end = len(s)
			} else {
				end += j + 1
			}
			c.Context = cut(strings.TrimSpace(s[start:end]), extract.MaxContext)
			c.Block = cut(s, 1500)
			return c, true
		}
	}
	return c, false
}

// renamed replaces the candidate's name, in its text, sentence and block,
// by an invented word no lexicon knows ("Vorukash"): what is left to
// classify it is the context alone.
func renamed(c extract.Candidate, i int) extract.Candidate {
	syl := []string{"vor", "ka", "zul", "min", "tha", "rek", "osh", " qui", "lan", "dru", "pex", "yth"}
	name := ""
	for n := i + 7; len(name) < 7; n /= 5 {
		name += strings.TrimSpace(syl[n%len(syl)])
		n += 3
	}
	name = strings.ToUpper(name[:1]) + name[1:]
	old := c.Text
	c.Text, c.Lemma, c.POS = name, strings.ToLower(name), extract.ProperNoun
	r := strings.NewReplacer(old, name, strings.ToLower(old), strings.ToLower(name))
	c.Context, c.Block = r.Replace(c.Context), r.Replace(c.Block)
	return c
}

// wordIndex finds word in s as whole words ("ettin" not in "setting").
func wordIndex(s, word string) int {
	isLetter := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
	for off := 0; ; {
		j := strings.Index(s[off:], word)
		if j < 0 {
			return -1
		}
		j += off
		end := j + len(word)
		if (j == 0 || !isLetter(s[j-1])) && (end == len(s) || !isLetter(s[end])) {
			return j
		}
		off = j + 1
	}
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func readGold(t testing.TB, dir, name string) []string {
	t.Helper()
	return testcorpus.Lines(t, filepath.Join(dir, "srd", "gold", name))
}

// fireSpells lists the SRD spells that deal fire damage: damage type fire,
// or "fire damage" in the description.
func fireSpells(t testing.TB, dir string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "srd", "json", "2014", "5e-SRD-Spells.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spells []struct {
		Name   string   `json:"name"`
		Desc   []string `json:"desc"`
		Damage struct {
			Type struct {
				Index string `json:"index"`
			} `json:"damage_type"`
		} `json:"damage"`
	}
	if err := json.Unmarshal(b, &spells); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, s := range spells {
		if s.Damage.Type.Index == "fire" || strings.Contains(strings.Join(s.Desc, " "), "fire damage") {
			out[s.Name] = true
		}
	}
	return out
}

type corpusCase struct {
	gold   string
	want   classify.Category
	prefer []string // the chapters that describe these names
}

var corpusCases = []corpusCase{
	{"spells.txt", classify.Spell, []string{"08_spellcasting.md"}},
	{"monsters.txt", classify.Creature, []string{"11_monsters.md", "15_creatures.md", "16_npcs.md"}},
	{"magic_items.txt", classify.Item, []string{"10_magic_items.md"}},
}

// TestCorpusSRD measures, over the gold spells, monsters and magic items
// found in the SRD documents, how many get the right category, with the SRD
// lexicon and without it (context, WordNet and morphology only: the case of
// names the classifier has never seen), and with the block or only the
// context sentence.
func TestCorpusSRD(t *testing.T) {
	dir := testcorpus.Dir(t)
	docs := loadSRD(t, dir)
	fire := fireSpells(t, dir)
	modes := []struct {
		name      string
		opts      Options
		withBlock bool
		min       float64
		prose     bool
		rename    bool // replace the name by an invented one everywhere
	}{
		{"lexicon+context", Options{}, true, 0.95, false, false},
		{"no-lexicon", Options{NoSRD: true}, true, 0.8, false, false},
		{"no-lexicon,sentence-only", Options{NoSRD: true}, false, 0.8, false, false},
		{"no-lexicon,prose-mention", Options{NoSRD: true}, true, 0, true, false},
		{"no-lexicon,invented-names", Options{NoSRD: true}, true, 0.8, false, true},
		{"lexicon,prose-mention", Options{}, true, 0, true, false},
	}
	for _, m := range modes {
		c := NewWithOptions(m.opts)
		for _, cc := range corpusCases {
			var cands []extract.Candidate
			var isFire []bool
			for _, name := range readGold(t, dir, cc.gold) {
				cand, ok := docs.candidateFor(name, cc.prefer, m.withBlock)
				if m.prose {
					cand, ok = docs.proseFor(name)
				}
				if ok {
					isFire = append(isFire, cc.want == classify.Spell && fire[name])
				}
				if ok && m.rename {
					cand = renamed(cand, len(cands))
				}
				if ok {
					cands = append(cands, cand)
				}
			}
			res, err := c.Classify(context.Background(), classify.Request{Source: "srd", Terms: cands})
			if err != nil {
				t.Fatal(err)
			}
			right, fireN, fireOK := 0, 0, 0
			var fireMiss []string
			var wrong []string
			for i, tm := range res.Terms {
				if tm.Category == cc.want {
					right++
				} else {
					wrong = append(wrong, tm.Text+"="+string(tm.Category))
				}
				if isFire[i] {
					fireN++
					if tm.Axes[0] >= 0.5 || tm.Energy == "fire" {
						fireOK++
					} else {
						fireMiss = append(fireMiss, tm.Text+"="+tm.Energy)
					}
				}
			}
			acc := float64(right) / float64(max(1, len(cands)))
			t.Logf("%-26s %-16s %3d/%3d = %.1f%%", m.name, cc.gold, right, len(cands), 100*acc)
			if len(wrong) > 0 {
				t.Logf("  wrong: %s", strings.Join(wrong[:min(len(wrong), 25)], ", "))
			}
			if len(cands) < 100 && !m.prose {
				t.Errorf("%s: only %d gold names found in the SRD documents", cc.gold, len(cands))
			}
			if acc < m.min {
				t.Errorf("%s %s: accuracy %.1f%% < %.0f%%", m.name, cc.gold, 100*acc, 100*m.min)
			}
			if fireN > 0 {
				t.Logf("%-26s fire spells with fire >= 0.5 or energy fire: %d/%d %v", m.name, fireOK, fireN, fireMiss)
				if m.withBlock && !m.prose && float64(fireOK) < 0.85*float64(fireN) {
					t.Errorf("%s: only %d of %d fire spells have fire", m.name, fireOK, fireN)
				}
			}
		}
	}
}
