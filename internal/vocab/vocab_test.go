package vocab

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/testutil/golden"
)

var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func term(source, text, canonical string, conf float64, count int, axes map[string]float64, tags ...string) classify.Term {
	t := classify.Term{
		Text: text, Source: source, Genre: classify.Genre, Intent: classify.Offensive, POS: "phrase",
		Tags: tags, Category: classify.Spell, Canonical: canonical, Mood: classify.Arcane, Energy: "force",
		Confidence: classify.Score(conf), Count: count, Pages: []int{1, 3}, Context: "A sentence with " + text + ".",
		Classifier: "offline/test",
	}
	for k, v := range axes {
		t.Axes[classify.AxisIndex(k)] = v
	}
	t.ID = classify.Slug(source) + "-" + classify.Slug(canonical)
	return t
}

func bookA() []classify.Term {
	return []classify.Term{
		term("books/Tome A.pdf", "Mordenkainen’s Sword", "Mordenkainen's Sword", 0.8, 2, map[string]float64{"force": 0.9}, "evocation"),
		term("books/Tome A.pdf", "Fireball", "fireball", 0.9, 7, map[string]float64{"fire": 1}, "evocation", "area"),
		term("books/Tome A.pdf", "Beholders", "beholder", 0.7, 3, map[string]float64{"sight": 0.8}),
		term("books/Tome A.pdf", "Mass Cure Wounds", "mass cure wounds", 0.6, 1, map[string]float64{"life": 0.9}),
	}
}

func bookB() []classify.Term {
	return []classify.Term{
		term("books/Tome B.epub", "Fire-ball", "Fire-ball", 0.5, 2, map[string]float64{"fire": 0.4, "air": 0.2}, "fire"),
		term("books/Tome B.epub", "fireballs", "fireballs", 0.9, 1, map[string]float64{"fire": 0.8}, "spell"),
		term("books/Tome B.epub", "Arcane Sword", "arcane sword", 0.6, 4, map[string]float64{"force": 0.7}),
		term("books/Tome B.epub", "Sigil", "Sigil", 0.6, 1, nil),
		term("books/Tome B.epub", "sigil", "sigil", 0.4, 5, map[string]float64{"binding": 0.3}),
	}
}

func writeBook(t *testing.T, dir, name string, terms []classify.Term) string {
	t.Helper()
	ipreview.Default().Flag(terms)
	f := NewFile(DocumentInfo{SourcePath: terms[0].Source, SourceHash: strings.Repeat("ab", 32), Pipeline: "corpora/test offline"}, terms, fixedNow)
	path := filepath.Join(dir, name)
	if err := Write(path, f); err != nil {
		t.Fatal(err)
	}
	return path
}

var timestamps = regexp.MustCompile(`"(extracted_at|generated_at|decided_at)": "[^"]*"`)

func stripTimes(b []byte) []byte {
	return timestamps.ReplaceAll(b, []byte(`"$1": "T"`))
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVocabFileGolden(t *testing.T) {
	dir := t.TempDir()
	path := writeBook(t, dir, "a.vocab.json", bookA())
	got := read(t, path)
	golden.Check(t, "testdata/book.vocab.golden.json", got)

	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Metadata.TermCount != 4 || f.Metadata.FlaggedCount != 2 || f.Metadata.ClassifiedCount != 4 {
		t.Errorf("metadata = %+v", f.Metadata)
	}
	again, _ := Marshal(f)
	if !bytes.Equal(again, got) {
		t.Errorf("read and written again differs:\n%s", again)
	}
}

func TestReadAccepts10Shapes(t *testing.T) {
	tests := map[string]string{
		"object without 2.0 fields": `{"metadata": {"source_path": "a.pdf", "source_hash": "", "extracted_at": "2020-01-01T00:00:00Z", "term_count": 1},
			"entries": [{"id": "a-fire", "text": "Fire", "source": "a.pdf", "genre": "fantasy", "intent": "offensive", "pos": "noun",
			"axes": {"fire": 1}, "tags": ["x"], "category": "concept", "canonical": "fire", "mood": "primal", "energy": "fire",
			"confidence": 0.5, "secondary_intents": [], "ip_flag": null}]}`,
		"bare array": `[{"text": "Fire", "canonical": "fire", "source": "a.pdf", "confidence": 0.5}]`,
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := Parse([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Entries) != 1 || f.Entries[0].Canonical != "fire" || f.Entries[0].Pages == nil || f.Entries[0].Tags == nil {
				t.Errorf("entries = %+v", f.Entries)
			}
		})
	}
	for _, bad := range []string{``, `{}`, `{"entries": 3}`, `[1]`, `nope`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestMerge(t *testing.T) {
	a := Entry{Term: term("a.pdf", "Fireball", "fireball", 0.9, 3, map[string]float64{"fire": 1}, "evocation")}
	b := Entry{Term: term("b.pdf", "Fire-ball", "Fire-ball", 0.3, 2, map[string]float64{"fire": 0, "air": 1}, "fire")}
	c := Entry{Term: term("b.pdf", "fireballs", "fireballs", 0.9, 1, map[string]float64{"fire": 0.5}, "area")}
	c.Intent = classify.Control
	tests := []struct {
		name  string
		in    []Entry
		check func(t *testing.T, m Entry)
	}{
		{"single", []Entry{a}, func(t *testing.T, m Entry) {
			if m.Text != "Fireball" || m.Source != "a.pdf" || len(m.Sources) != 1 || m.Sources[0].Count != 3 || m.ID != "master-fireball" {
				t.Errorf("%+v", m)
			}
		}},
		{"weighted axes, union", []Entry{a, b}, func(t *testing.T, m Entry) {
			if got := m.Axes[classify.AxisIndex("fire")]; fmt.Sprintf("%.2f", got) != "0.75" {
				t.Errorf("fire = %v, want 0.75 (confidence-weighted)", got)
			}
			if got := m.Axes[classify.AxisIndex("air")]; fmt.Sprintf("%.2f", got) != "0.25" {
				t.Errorf("air = %v", got)
			}
			if strings.Join(m.Tags, ",") != "evocation,fire" || strings.Join(m.Variants, ",") != "Fire-ball,Fireball" {
				t.Errorf("tags %v variants %v", m.Tags, m.Variants)
			}
			if m.Source != "a.pdf; b.pdf" || m.Count != 5 {
				t.Errorf("source %q count %d", m.Source, m.Count)
			}
		}},
		{"tie on confidence: first source wins, order free", []Entry{c, b, a}, func(t *testing.T, m Entry) {
			if m.Text != "Fireball" || m.Intent != classify.Offensive {
				t.Errorf("base = %q/%s, want Fireball from a.pdf", m.Text, m.Intent)
			}
			if len(m.SecondaryIntents) != 1 || m.SecondaryIntents[0] != classify.Control {
				t.Errorf("secondary = %v", m.SecondaryIntents)
			}
			if len(m.Sources) != 2 || m.Sources[1] != (SourceCount{"b.pdf", 3}) {
				t.Errorf("sources = %v", m.Sources)
			}
		}},
		{"zero confidence: plain mean", []Entry{withConf(a, 0), withConf(b, 0)}, func(t *testing.T, m Entry) {
			if got := m.Axes[classify.AxisIndex("fire")]; got != 0.5 {
				t.Errorf("fire = %v", got)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, Merge(tc.in)) })
	}
	// Order independence.
	x, _ := Marshal(&File{Entries: []Entry{Merge([]Entry{a, b, c})}})
	y, _ := Marshal(&File{Entries: []Entry{Merge([]Entry{c, a, b})}})
	if !bytes.Equal(x, y) {
		t.Error("Merge depends on input order")
	}
}

func withConf(e Entry, c float64) Entry { e.Confidence = classify.Score(c); return e }

// setup writes two books into dir/out and returns the folder.
func setup(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "out")
	writeBook(t, dir, "a.vocab.json", bookA())
	writeBook(t, dir, "sub/b.vocab.json", bookB())
	return dir
}

func consolidate(t *testing.T, dir string, now time.Time, force bool) ConsolidateSummary {
	t.Helper()
	sum, err := ConsolidateReviewed(context.Background(), ConsolidateOptions{Dir: dir, Force: force, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestConsolidateGolden(t *testing.T) {
	dir := setup(t)
	sum := consolidate(t, dir, fixedNow, false)
	if sum.String() != "+6 new, ~0 updated, -0 removed, !3 flagged" || sum.Files != 2 || sum.Read != 2 {
		t.Errorf("summary %s %+v", sum, sum)
	}
	golden.Check(t, "testdata/master.vocab.golden.json", read(t, filepath.Join(dir, MasterFile)))
	golden.Check(t, "testdata/flagged.golden.json", read(t, filepath.Join(dir, ipreview.QueueFile)))
}

func TestConsolidateTwiceIdentical(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	first := read(t, filepath.Join(dir, MasterFile))
	firstQ := read(t, filepath.Join(dir, ipreview.QueueFile))

	sum := consolidate(t, dir, fixedNow.Add(time.Hour), false)
	if sum.Read != 0 || sum.Written || sum.String() != "+0 new, ~0 updated, -0 removed, !3 flagged" {
		t.Errorf("second run: %s %+v", sum, sum)
	}
	if !bytes.Equal(first, read(t, filepath.Join(dir, MasterFile))) {
		t.Error("unchanged inputs rewrote the master")
	}
	// A forced rebuild reads everything and gives the same bytes apart from timestamps.
	sum = consolidate(t, dir, fixedNow.Add(2*time.Hour), true)
	if sum.Read != 2 {
		t.Errorf("forced run read %d files", sum.Read)
	}
	if !bytes.Equal(stripTimes(first), stripTimes(read(t, filepath.Join(dir, MasterFile)))) {
		t.Error("forced rebuild differs apart from timestamps")
	}
	if !bytes.Equal(stripTimes(firstQ), stripTimes(read(t, filepath.Join(dir, ipreview.QueueFile)))) {
		t.Error("queue differs apart from timestamps")
	}
	// A second folder built from scratch gives the same bytes too.
	other := setup(t)
	consolidate(t, other, fixedNow, false)
	if !bytes.Equal(first, read(t, filepath.Join(other, MasterFile))) {
		t.Error("two folders with the same inputs differ")
	}
}

func TestConsolidateIncrementalAndDeleted(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	// Change book B: drop the sigils.
	writeBook(t, dir, "sub/b.vocab.json", bookB()[:3])
	sum := consolidate(t, dir, fixedNow.Add(time.Minute), false)
	if sum.Read != 1 || sum.Removed != 1 {
		t.Errorf("after changing b: %s %+v", sum, sum)
	}
	// Delete book B: its terms leave, shared ones lose it as a source.
	if err := os.Remove(filepath.Join(dir, "sub", "b.vocab.json")); err != nil {
		t.Fatal(err)
	}
	sum = consolidate(t, dir, fixedNow.Add(2*time.Minute), false)
	if sum.Read != 0 || sum.Removed != 1 || sum.Total != 4 {
		t.Errorf("after deleting b: %s %+v", sum, sum)
	}
	m, err := Read(filepath.Join(dir, MasterFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range m.Entries {
		if strings.Contains(e.Source, "Tome B") || e.Canonical == "arcane sword" {
			t.Errorf("entry from the deleted file left: %+v", e.Canonical)
		}
	}
	backups, _ := filepath.Glob(filepath.Join(dir, BackupDir, "*"+BackupSuffix))
	if len(backups) != 2 {
		t.Errorf("backups = %v", backups)
	}
}

func TestBackupRetention(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	for i := range 8 {
		// Alternate the inputs so every run changes the master.
		terms := bookB()
		terms[0].Count = 10 + i
		writeBook(t, dir, "sub/b.vocab.json", terms)
		consolidate(t, dir, fixedNow.Add(time.Duration(i+1)*time.Minute), false)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, BackupDir, "*"+BackupSuffix))
	if len(backups) != DefaultKeepBackups {
		t.Errorf("%d backups kept, want %d", len(backups), DefaultKeepBackups)
	}
	// The backups, hidden folders and the master are not read as vocab files.
	writeBook(t, dir, ".hidden/h.vocab.json", bookB())
	sum := consolidate(t, dir, fixedNow.Add(time.Hour), true)
	if sum.Files != 2 {
		t.Errorf("consolidated %d files, want 2", sum.Files)
	}
}

func TestDecisionsSurviveAndApply(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	ds := ipreview.NewDecisions()
	must(t, ds.Record("Mordenkainen's Sword", ipreview.Decision{Action: ipreview.Rename, NewText: "Arcane Sword", Note: "SRD name", DecidedAt: "2026-01-02T03:04:05Z"}))
	must(t, ds.Record("beholder", ipreview.Decision{Action: ipreview.Remove, DecidedAt: "2026-01-02T03:04:05Z"}))
	must(t, ds.Record("Sigil", ipreview.Decision{Action: ipreview.Keep, Note: "the common noun", DecidedAt: "2026-01-02T03:04:05Z"}))
	decPath := filepath.Join(dir, ipreview.DecisionsFile)
	must(t, ds.Write(decPath))
	decBytes := read(t, decPath)
	golden.Check(t, "testdata/review-decisions.golden.json", decBytes)

	for round := range 2 {
		sum := consolidate(t, dir, fixedNow.Add(time.Duration(round+1)*time.Hour), round == 1)
		if sum.Flagged != 0 {
			t.Errorf("round %d: %d still flagged", round, sum.Flagged)
		}
		m, err := Read(filepath.Join(dir, MasterFile))
		if err != nil {
			t.Fatal(err)
		}
		byCanon := map[string]Entry{}
		for _, e := range m.Entries {
			byCanon[e.Canonical] = e
		}
		if _, ok := byCanon["beholder"]; ok {
			t.Error("removed term still in the master")
		}
		as, ok := byCanon["Arcane Sword"]
		if !ok || as.OldText != "" || as.IPFlag != nil || as.Review == nil || as.Review.Decision != "rename" {
			t.Errorf("renamed entry: %+v", as)
		}
		if as.Source != "books/Tome A.pdf; books/Tome B.epub" {
			t.Errorf("renamed entry did not merge with the existing one: %q", as.Source)
		}
		sg := byCanon["Sigil"]
		if sg.IPFlag != nil || sg.Review == nil || sg.Review.Decision != "keep" || sg.Review.IPFlag == "" {
			t.Errorf("kept entry: %+v %+v", sg.IPFlag, sg.Review)
		}
		q, err := ipreview.ReadQueue(filepath.Join(dir, ipreview.QueueFile))
		if err != nil {
			t.Fatal(err)
		}
		if q.Total != 3 || q.Pending != 0 {
			t.Errorf("queue total %d pending %d", q.Total, q.Pending)
		}
		for _, it := range q.Items {
			if it.Decision == nil {
				t.Errorf("queue item %q shows no decision", it.Canonical)
			}
		}
		if !bytes.Equal(decBytes, read(t, decPath)) {
			t.Error("consolidation changed the decisions file")
		}
	}
	golden.Check(t, "testdata/master-decided.golden.json", stripTimes(read(t, filepath.Join(dir, MasterFile))))
	golden.Check(t, "testdata/flagged-decided.golden.json", stripTimes(read(t, filepath.Join(dir, ipreview.QueueFile))))

	// Apply on an already consolidated master changes nothing.
	sum, err := Apply(ApplyOptions{Dir: dir, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written || sum.Removed+sum.Kept+sum.Renamed != 0 {
		t.Errorf("apply after consolidation: %+v", sum)
	}
}

func TestApplyMatchesConsolidate(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	ds := ipreview.NewDecisions()
	must(t, ds.Record("Mordenkainen's Sword", ipreview.Decision{Action: ipreview.Rename, NewText: "Arcane Sword"}))
	must(t, ds.Record("beholders", ipreview.Decision{Action: ipreview.Remove}))
	must(t, ds.Write(filepath.Join(dir, ipreview.DecisionsFile)))
	sum, err := Apply(ApplyOptions{Dir: dir, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Removed != 1 || sum.Renamed != 1 || !sum.Written {
		t.Errorf("apply: %+v", sum)
	}
	applied := read(t, filepath.Join(dir, MasterFile))
	consolidate(t, dir, fixedNow, true)
	rebuilt := read(t, filepath.Join(dir, MasterFile))
	if !bytes.Equal(stripTimes(applied), stripTimes(rebuilt)) {
		t.Errorf("apply and consolidation disagree:\n%s\n---\n%s", applied, rebuilt)
	}
}

func TestConsolidateErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Consolidate(ctx, ConsolidateOptions{Dir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "no vocabulary") {
		t.Errorf("empty folder: %v", err)
	}
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "bad.vocab.json"), []byte("{nope"), 0o644))
	if _, err := Consolidate(ctx, ConsolidateOptions{Dir: dir}); err == nil || !strings.Contains(err.Error(), "bad.vocab.json") {
		t.Errorf("malformed file: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Consolidate(cctx, ConsolidateOptions{Dir: setup(t)}); err == nil {
		t.Error("cancelled context: no error")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestMergeConfidenceIsTheMean: as in 1.0, merging Fireball at 0.7 and at
// 0.95 gives 0.825, not the more optimistic 0.95; and classified_count counts
// entries above 0.3 confidence, whoever classified them.
func TestMergeConfidenceIsTheMean(t *testing.T) {
	a := Entry{Term: classify.Term{Text: "Fireball", Canonical: "fireball", Confidence: 0.7, Source: "a.md"}}
	b := Entry{Term: classify.Term{Text: "fireball", Canonical: "fireball", Confidence: 0.95, Source: "b.md"}}
	if got := float64(Merge([]Entry{a, b}).Confidence); got < 0.8249 || got > 0.8251 {
		t.Errorf("merged confidence %v, want 0.825", got)
	}
	f := &File{Entries: []Entry{
		{Term: classify.Term{Confidence: 0.9}},
		{Term: classify.Term{Confidence: 0.31, Classifier: ""}},
		{Term: classify.Term{Confidence: 0.3, Classifier: "offline/x"}},
	}}
	f.count()
	if f.Metadata.ClassifiedCount != 2 {
		t.Errorf("classified_count = %d, want 2 (confidence above 0.3)", f.Metadata.ClassifiedCount)
	}
}

// TestRenameToProtectedNameStaysQueued: renaming a flagged term to another
// protected name ("Bigby's Sword") leaves the new name in the review queue,
// pending, through consolidate and through review apply.
func TestRenameToProtectedNameStaysQueued(t *testing.T) {
	for _, viaApply := range []bool{false, true} {
		dir := setup(t)
		consolidate(t, dir, fixedNow, false)
		ds := ipreview.NewDecisions()
		must(t, ds.Record("Mordenkainen's Sword", ipreview.Decision{Action: ipreview.Rename, NewText: "Bigby's Sword", DecidedAt: "2026-01-02T03:04:05Z"}))
		must(t, ds.Write(filepath.Join(dir, ipreview.DecisionsFile)))
		if viaApply {
			if _, err := Apply(ApplyOptions{Dir: dir, Now: func() time.Time { return fixedNow.Add(time.Hour) }}); err != nil {
				t.Fatal(err)
			}
		} else {
			consolidate(t, dir, fixedNow.Add(time.Hour), true)
		}
		q, err := ipreview.ReadQueue(filepath.Join(dir, ipreview.QueueFile))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range q.Items {
			if it.Canonical == "Bigby's Sword" {
				found = true
				if it.Decision != nil || it.IPFlag == "" {
					t.Errorf("apply=%v: renamed protected name queued as %+v", viaApply, it)
				}
			}
		}
		if !found {
			t.Errorf("apply=%v: renamed protected name left the queue: %+v", viaApply, q.Items)
		}
	}
}

// TestApplyUndoesARemoval: "keep" after "remove" brings the term back at
// the next review apply, without a full consolidate by hand.
func TestApplyUndoesARemoval(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	decide := func(a ipreview.Action) {
		ds, err := ipreview.ReadDecisions(filepath.Join(dir, ipreview.DecisionsFile))
		if err != nil {
			t.Fatal(err)
		}
		must(t, ds.Record("beholder", ipreview.Decision{Action: a, DecidedAt: "2026-01-02T03:04:05Z"}))
		must(t, ds.Write(filepath.Join(dir, ipreview.DecisionsFile)))
	}
	has := func() bool {
		m, err := Read(filepath.Join(dir, MasterFile))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range m.Entries {
			if e.Canonical == "beholder" {
				return true
			}
		}
		return false
	}
	decide(ipreview.Remove)
	if sum, err := Apply(ApplyOptions{Dir: dir, Now: func() time.Time { return fixedNow }}); err != nil || sum.Removed != 1 || has() {
		t.Fatalf("remove: %+v %v, still there: %v", sum, err, has())
	}
	decide(ipreview.Keep)
	sum, err := Apply(ApplyOptions{Dir: dir, Now: func() time.Time { return fixedNow }})
	if err != nil || sum.Kept != 1 || !has() {
		t.Fatalf("keep after remove: %+v %v, back: %v", sum, err, has())
	}
}
