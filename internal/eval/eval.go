package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
)

// GoldEntry is one gold name.
type GoldEntry struct {
	Name     string            `json:"name"`
	Category classify.Category `json:"category"`
	Aliases  []string          `json:"aliases,omitempty"`
}

// Parser reads a document; *parse.Parser is one.
type Parser interface {
	File(ctx context.Context, path string, opts document.Options) (*document.Output, error)
}

// Config says what to measure.
type Config struct {
	Books  string // folder of books (not recursive)
	Gold   string // folder of gold lists; default Books/gold
	Judged string // folder of hand judgements; optional
	// KeepGeneric measures without the generic-term filter.
	KeepGeneric bool
	Parser      Parser
	Classifier  classify.Classifier
}

// Book is the measure of one book.
type Book struct {
	File   string
	Layout string // "book" or "plain"
	Format string // the file extension
	// Gold names of the book, and those among the terms.
	Gold, Found int
	// Confusion counts found gold names by gold category then by the
	// category given.
	Confusion map[classify.Category]map[classify.Category]int
	// Wrong lists found gold names given another category: "name=given".
	Wrong []string
	// Missed lists the gold names not among the terms.
	Missed []string
	// Terms emitted, and candidates dropped as generic.
	Terms, Dropped int
	// Judged counts the judged terms among all candidates (KeepGeneric),
	// and Kept those emitted, by judgement (good, plain, junk).
	Judged, Kept map[string]int
	// Emitted lists the judged terms emitted that were judged plain or
	// junk: "term=judgement".
	Emitted []string
}

// Report is the measure of a folder.
type Report struct {
	Books []Book
}

// books are the extensions read.
var books = map[string]bool{".md": true, ".txt": true, ".epub": true, ".pdf": true, ".docx": true, ".html": true, ".htm": true}

// Run measures every book of cfg.Books that has gold names.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Parser == nil || cfg.Classifier == nil {
		return nil, errors.New("eval: no parser or classifier")
	}
	if cfg.Gold == "" {
		cfg.Gold = filepath.Join(cfg.Books, "gold")
	}
	shared, err := sharedGold(cfg.Gold)
	if err != nil {
		return nil, err
	}
	ents, err := os.ReadDir(cfg.Books)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	rep := &Report{}
	for _, e := range ents {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || !books[ext] {
			continue
		}
		b, err := measure(ctx, cfg, e.Name(), shared)
		if err != nil {
			return nil, err
		}
		rep.Books = append(rep.Books, b)
	}
	return rep, nil
}

// stem is a book's name without extensions and layout mark.
func stem(file string) (string, string) {
	s := strings.TrimSuffix(file, filepath.Ext(file))
	if p, ok := strings.CutSuffix(s, ".plain"); ok {
		return p, "plain"
	}
	return s, "book"
}

func measure(ctx context.Context, cfg Config, file string, shared []GoldEntry) (Book, error) {
	st, layout := stem(file)
	b := Book{File: file, Layout: layout, Format: strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), "."),
		Confusion: map[classify.Category]map[classify.Category]int{}, Judged: map[string]int{}, Kept: map[string]int{}}
	own, err := readJSONGold(filepath.Join(cfg.Gold, st+".json"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return b, err
	}
	judged, err := readJudged(cfg.Judged, st)
	if err != nil {
		return b, err
	}
	if own == nil && len(shared) == 0 && len(judged) == 0 {
		return b, nil
	}
	doc, err := cfg.Parser.File(ctx, filepath.Join(cfg.Books, file), document.Options{})
	if err != nil {
		return b, fmt.Errorf("eval %s: %w", file, err)
	}
	all, err := extract.Extract(ctx, doc, extract.Options{KeepGeneric: true})
	if err != nil {
		return b, fmt.Errorf("eval %s: %w", file, err)
	}
	var cands []extract.Candidate
	if cfg.KeepGeneric {
		cands = all
	} else if cands, err = extract.Extract(ctx, doc, extract.Options{Dropped: &b.Dropped}); err != nil {
		return b, fmt.Errorf("eval %s: %w", file, err)
	}
	b.Terms = len(cands)
	res, err := cfg.Classifier.Classify(ctx, classify.Request{Source: file, Terms: cands})
	if err != nil {
		return b, fmt.Errorf("eval %s: %w", file, err)
	}
	given := map[string]classify.Category{}
	for i, t := range res.Terms {
		k := key(cands[i].Text)
		if _, ok := given[k]; !ok {
			given[k] = t.Category
		}
	}
	gold := own
	if gold == nil {
		var text strings.Builder
		for _, bl := range doc.Content {
			text.WriteString(key(bl.Text))
			text.WriteByte('\n')
		}
		for _, g := range shared {
			if containsWord(text.String(), key(g.Name)) {
				gold = append(gold, g)
			}
		}
	}
	for _, g := range gold {
		b.Gold++
		cat, ok := given[key(g.Name)]
		for _, a := range g.Aliases {
			if !ok {
				cat, ok = given[key(a)]
			}
		}
		if !ok {
			b.Missed = append(b.Missed, g.Name)
			continue
		}
		b.Found++
		if b.Confusion[g.Category] == nil {
			b.Confusion[g.Category] = map[classify.Category]int{}
		}
		b.Confusion[g.Category][cat]++
		if cat != g.Category {
			b.Wrong = append(b.Wrong, g.Name+"="+string(cat))
		}
	}
	if len(judged) > 0 {
		emitted := map[string]bool{}
		for _, c := range cands {
			emitted[key(c.Text)] = true
		}
		for _, c := range all {
			k := key(c.Text)
			if j, ok := judged[k]; ok {
				b.Judged[j]++
				if emitted[k] {
					b.Kept[j]++
					if j != "good" {
						b.Emitted = append(b.Emitted, c.Text+"="+j)
					}
				}
				delete(judged, k) // count each term once
			}
		}
	}
	return b, nil
}

// key is the matching form of a name: lower case, straight apostrophes,
// single spaces.
func key(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "’", "'")
	return strings.Join(strings.Fields(s), " ")
}

func containsWord(text, w string) bool {
	for off := 0; w != ""; {
		i := strings.Index(text[off:], w)
		if i < 0 {
			return false
		}
		i += off
		end := i + len(w)
		if (i == 0 || !isLetter(text[i-1])) && (end == len(text) || !isLetter(text[end])) {
			return true
		}
		off = i + 1
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func readJSONGold(path string) ([]GoldEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var g []GoldEntry
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("eval: gold %s: %w", path, err)
	}
	return g, nil
}

// listCategory maps the category lists a gold folder may hold.
var listCategory = map[string]classify.Category{
	"spells.txt": classify.Spell, "monsters.txt": classify.Creature, "creatures.txt": classify.Creature,
	"magic_items.txt": classify.Item, "items.txt": classify.Item,
}

// sharedGold reads the category lists of a gold folder (missing: none).
func sharedGold(dir string) ([]GoldEntry, error) {
	var out []GoldEntry
	names := make([]string, 0, len(listCategory))
	for n := range listCategory {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f, err := os.Open(filepath.Join(dir, n))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
				out = append(out, GoldEntry{Name: l, Category: listCategory[n]})
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("eval: %s: %w", n, err)
		}
	}
	return out, nil
}

// readJudged reads dir/<stem>.tsv: term, tab, good|plain|junk.
func readJudged(dir, st string) (map[string]string, error) {
	if dir == "" {
		return nil, nil
	}
	data, err := os.ReadFile(filepath.Join(dir, st+".tsv"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	m := map[string]string{}
	for i, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		term, j, ok := strings.Cut(l, "\t")
		j = strings.TrimSpace(j)
		if !ok || j != "good" && j != "plain" && j != "junk" {
			return nil, fmt.Errorf("eval: %s.tsv line %d: want term<TAB>good|plain|junk", st, i+1)
		}
		m[key(term)] = j
	}
	return m, nil
}
