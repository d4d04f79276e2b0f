// Package servetest writes small output folders for the tests of
// `corpora serve`: two books' vocab files consolidated into a master and
// a review queue, with protected names to review and a term whose text is
// markup.
package servetest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// Hostile is a term text that would run script if a page inserted it as markup.
const Hostile = "<img src=x onerror=alert(1)>"

// Now is the fixture's clock.
var Now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Term builds a classified term of source.
func Term(source, text, canonical string, cat classify.Category, conf float64, axes map[string]float64) classify.Term {
	t := classify.Term{
		Text: text, Source: source, Genre: classify.Genre, Intent: classify.Offensive, POS: "phrase",
		Category: cat, Canonical: canonical, Mood: classify.Arcane, Energy: "force",
		Confidence: classify.Score(conf), Count: 2, Pages: []int{4, 9}, Context: "In the book, " + text + " appears.",
		Classifier: "offline/test",
	}
	for k, v := range axes {
		t.Axes[classify.AxisIndex(k)] = v
	}
	t.ID = classify.Slug(source) + "-" + classify.Slug(canonical)
	return t
}

// BookA and BookB are the fixture's books.
func BookA() []classify.Term {
	return []classify.Term{
		Term("books/Tome A.pdf", "Fireball", "fireball", classify.Spell, 0.9, map[string]float64{"fire": 1, "force": 0.4}),
		Term("books/Tome A.pdf", "Beholder", "beholder", classify.Creature, 0.7, map[string]float64{"sight": 0.8}),
		Term("books/Tome A.pdf", "Mind Flayer", "mind flayer", classify.Creature, 0.7, map[string]float64{"mind": 0.9}),
		Term("books/Tome A.pdf", "Frost Ray", "frost ray", classify.Spell, 0.6, map[string]float64{"water": 0.7}),
		Term("books/Tome A.pdf", Hostile, Hostile, classify.Item, 0.5, map[string]float64{"void": 0.3}),
	}
}

func BookB() []classify.Term {
	return []classify.Term{
		Term("books/Tome B.epub", "Fireballs", "fireballs", classify.Spell, 0.8, map[string]float64{"fire": 0.8}),
		Term("books/Tome B.epub", "Bigby's Hand", "Bigby's Hand", classify.Spell, 0.8, map[string]float64{"force": 0.9}),
		Term("books/Tome B.epub", "=HYPERLINK(\"http://x\")", "=hyperlink", classify.Item, 0.4, nil),
		Term("books/Tome B.epub", "Shadow Veil", "shadow veil", classify.Spell, 0.7, map[string]float64{"shadow": 0.9}),
	}
}

// Write writes the fixture's output folder at dir: a.vocab.json,
// sub/b.vocab.json, master.vocab.json and flagged.json (three flagged
// names: beholder, Bigby's Hand, mind flayer).
func Write(dir string) error {
	for name, terms := range map[string][]classify.Term{"a.vocab.json": BookA(), "sub/b.vocab.json": BookB()} {
		ipreview.Default().Flag(terms)
		f := vocab.NewFile(vocab.DocumentInfo{SourcePath: terms[0].Source, SourceHash: strings.Repeat("ab", 32), Pipeline: "corpora/test offline"}, terms, Now)
		if err := vocab.Write(filepath.Join(dir, name), f); err != nil {
			return err
		}
	}
	_, err := vocab.Consolidate(context.Background(), vocab.ConsolidateOptions{Dir: dir, Now: func() time.Time { return Now }})
	return err
}

// Master writes a master of n generated terms at dir (no per-book files),
// for benchmarks.
func Master(dir string, n int) error {
	cats := classify.Categories
	moods := classify.Moods
	words := []string{"fire", "frost", "shadow", "storm", "stone", "light", "void", "blood", "iron", "glass", "thorn", "ember"}
	nouns := []string{"bolt", "ward", "veil", "blade", "circle", "sigil", "gate", "crown", "hound", "wyrm", "shield", "song"}
	es := make([]vocab.Entry, n)
	for i := range es {
		text := fmt.Sprintf("%s %s %d", words[i%len(words)], nouns[(i/len(words))%len(nouns)], i)
		t := Term(fmt.Sprintf("books/Book %02d.pdf", i%40), text, text, cats[i%len(cats)], float64(i%100)/100, nil)
		t.Mood = moods[(i/7)%len(moods)]
		for a := range t.Axes {
			t.Axes[a] = float64((i*(a+3))%11) / 10
		}
		t.ID = fmt.Sprintf("t%06d", i)
		es[i] = vocab.Entry{Term: t, Sources: []vocab.SourceCount{{Source: t.Source, Count: 2}}}
	}
	f := &vocab.File{Metadata: vocab.Metadata{SchemaVersion: vocab.SchemaVersion, SourcePath: dir, TermCount: n}, Entries: es}
	return vocab.Write(filepath.Join(dir, vocab.MasterFile), f)
}
