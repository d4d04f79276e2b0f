package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/vocab"
)

func TestReviewFlags(t *testing.T) {
	tests := []struct {
		args    []string
		sub     string
		check   func(o *reviewOptions) bool
		wantErr string
	}{
		{[]string{"list"}, "list", func(o *reviewOptions) bool { return o.Dir == "." && !o.JSON }, ""},
		{[]string{"list", "--dir", "out", "--json"}, "list", func(o *reviewOptions) bool { return o.Dir == "out" && o.JSON }, ""},
		{[]string{"decide", "beholder", "remove"}, "decide", func(o *reviewOptions) bool { return o.Term == "beholder" && o.Action == ipreview.Remove }, ""},
		{[]string{"decide", "--dir", "d", "Bigby's Hand", "rename", "Arcane Hand", "--note", "SRD"}, "decide", func(o *reviewOptions) bool {
			return o.Dir == "d" && o.Action == ipreview.Rename && o.NewText == "Arcane Hand" && o.Note == "SRD"
		}, ""},
		{[]string{"decide", "x", "KEEP"}, "decide", func(o *reviewOptions) bool { return o.Action == ipreview.Keep }, ""},
		{[]string{"decide", "x"}, "", nil, "needs TERM"},
		{[]string{"decide", "x", "burn"}, "", nil, "not keep, remove or rename"},
		{[]string{"decide", "x", "rename"}, "", nil, "exactly one NEW"},
		{[]string{"decide", "x", "rename", " "}, "", nil, "non-empty"},
		{[]string{"decide", "x", "keep", "y"}, "", nil, "no further argument"},
		{[]string{"apply", "--dir", "d"}, "apply", func(o *reviewOptions) bool { return o.Dir == "d" }, ""},
		{[]string{"list", "extra"}, "list", func(o *reviewOptions) bool { return o.Dir == "extra" }, ""},
		{[]string{"list", "a", "b"}, "", nil, "at most one output folder"},
		{[]string{"decide", "--franchise", "dnd", "remove", "-n"}, "decide", func(o *reviewOptions) bool { return o.Franchise == "dnd" && o.Action == ipreview.Remove && o.DryRun }, ""},
		{[]string{"decide", "--from", "-"}, "decide", func(o *reviewOptions) bool { return o.From == "-" }, ""},
		{[]string{"decide", "--from", "-", "x", "keep"}, "", nil, "--from takes no TERM"},
		{[]string{"decide", "--from", "r.csv", "out"}, "decide", func(o *reviewOptions) bool { return o.From == "r.csv" && o.Dir == "out" }, ""},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var got *reviewOptions
			var sub string
			s := &Streams{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}
			cmd := newReviewCmdWith(s, func(_ context.Context, name string, o *reviewOptions, _ *Streams) error {
				got, sub = o, name
				return nil
			})
			if !parseFlags(t, cmd, tc.args, tc.wantErr) {
				return
			}
			if sub != tc.sub || !tc.check(got) {
				t.Errorf("%s: options %+v", sub, got)
			}
		})
	}
}

// TestConsolidateAndReviewEndToEnd: output two books, consolidate, review
// the queue, decide, apply, re-consolidate: the decisions stick.
func TestConsolidateAndReviewEndToEnd(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	writeTerms(t, filepath.Join(dir, "a.json"),
		classifiedTerm("a.pdf", "Mind Flayers", "mind flayer", 0.9),
		classifiedTerm("a.pdf", "Fireball", "fireball", 0.8),
		classifiedTerm("a.pdf", "Mordenkainen’s Sword", "Mordenkainen's Sword", 0.7))
	writeTerms(t, filepath.Join(dir, "b.json"),
		classifiedTerm("b.pdf", "Fire-ball", "Fire-ball", 0.6),
		classifiedTerm("b.pdf", "Tasha's Hideous Laughter", "Tasha's Hideous Laughter", 0.6))
	for _, name := range []string{"a", "b"} {
		if code, _, stderr := runStreams(t, "output", filepath.Join(dir, name+".json"), "-o", filepath.Join(out, name+".vocab.json")); code != 0 {
			t.Fatalf("output %s: %s", name, stderr)
		}
	}
	code, stdout, stderr := runStreams(t, "consolidate", out)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "+4 new, ~0 updated, -0 removed, !3 flagged") {
		t.Fatalf("consolidate: code %d stdout %q stderr %s", code, stdout, stderr)
	}

	// The table goes to stdout (it can be piped); the counts to stderr.
	code, stdout, stderr = runStreams(t, "review", "list", "--dir", out, "-v")
	if code != 0 || !strings.Contains(stderr, "review queue: 3 terms: 3 pending") || !strings.Contains(stdout, "mind flayer") {
		t.Fatalf("review list: %d %q %s", code, stdout, stderr)
	}
	// The list says which entry matched, why, and the open alternative.
	for _, want := range []string{"ALTERNATIVE", "Wizards of the Coast Product Identity", "coined name", "Arcane Sword", "Hideous Laughter"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("review list lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = runStreams(t, "review", "list", "--dir", out, "--json")
	var lj listJSON
	if err := json.Unmarshal([]byte(stdout), &lj); code != 0 || err != nil || lj.Total != 3 || lj.Pending != 3 || len(lj.Items) != 3 || lj.Items[1].Alternative != "Arcane Sword" {
		t.Errorf("review list --json: %d %v %+v", code, err, lj)
	}

	steps := [][]string{
		{"review", "decide", "--dir", out, "Mind Flayers", "remove"},
		{"review", "decide", "--dir", out, "mordenkainen's sword", "keep"},
		{"review", "decide", "--dir", out, "Mordenkainen's Sword", "rename", "Arcane Sword", "--note", "SRD name"},
		{"review", "decide", "--dir", out, "tasha's hideous laughter", "rename", "Hideous Laughter"},
	}
	for _, args := range steps {
		if code, _, stderr := runStreams(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	if code, _, stderr := runStreams(t, "review", "decide", "--dir", out, "Zorblax", "keep"); code != ExitDataErr || !strings.Contains(stderr, "Zorblax") {
		t.Errorf("unknown term: code %d %s", code, stderr)
	}
	ds, err := ipreview.ReadDecisions(filepath.Join(out, ipreview.DecisionsFile))
	if err != nil || len(ds.Decisions) != 3 {
		t.Fatalf("decisions: %+v %v", ds, err)
	}
	if d, _ := ds.Lookup("Mordenkainen's Sword"); d.Action != ipreview.Rename || len(d.History) != 1 || d.History[0].Action != ipreview.Keep {
		t.Errorf("re-decided term lost its history: %+v", d)
	}
	_, stdout, stderr = runStreams(t, "review", "list", "--dir", out)
	if !strings.Contains(stderr, "0 pending,") || !strings.Contains(stdout, "rename -> Arcane Sword") {
		t.Errorf("queue does not show the decisions:\n%s%s", stdout, stderr)
	}
	// --pending leaves out the decided terms.
	_, stdout, _ = runStreams(t, "review", "list", "--dir", out, "--pending")
	if strings.Contains(stdout, "Arcane Sword") || !strings.HasPrefix(stdout, "TERM") {
		t.Errorf("review list --pending shows decided terms:\n%s", stdout)
	}

	code, _, stderr = runStreams(t, "review", "apply", "--dir", out)
	if code != 0 || !strings.Contains(stderr, "1 removed, 0 kept, 2 renamed") || !strings.Contains(stderr, "!0 flagged") {
		t.Fatalf("apply: %d %s", code, stderr)
	}
	applied, _ := os.ReadFile(filepath.Join(out, vocab.MasterFile))

	// Consolidating again applies the same decisions: nothing changes.
	code, _, stderr = runStreams(t, "consolidate", out)
	if code != 0 || !strings.Contains(stderr, "+0 new, ~0 updated, -0 removed, !0 flagged") {
		t.Errorf("re-consolidate: %s", stderr)
	}
	code, _, stderr = runStreams(t, "consolidate", out, "--force")
	if code != 0 || !strings.Contains(stderr, "+0 new, ~0 updated, -0 removed, !0 flagged") {
		t.Errorf("forced re-consolidate: %s", stderr)
	}
	again, _ := os.ReadFile(filepath.Join(out, vocab.MasterFile))
	if !bytes.Equal(applied, again) {
		t.Errorf("consolidation after apply changed the master")
	}
	m, _ := vocab.Read(filepath.Join(out, vocab.MasterFile))
	var canon []string
	for _, e := range m.Entries {
		canon = append(canon, e.Canonical)
	}
	if strings.Join(canon, "|") != "Arcane Sword|fireball|Hideous Laughter" {
		t.Errorf("master entries = %v", canon)
	}
}

func TestConsolidateReviewErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	bad := filepath.Join(dir, "bad")
	os.Mkdir(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "x.vocab.json"), []byte("{"), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"consolidate", filepath.Join(dir, "nope")}, ExitNoInput, "not a folder"},
		{[]string{"consolidate", empty}, ExitNoInput, "no vocabulary files"},
		{[]string{"consolidate", bad}, ExitDataErr, "x.vocab.json"},
		{[]string{"review", "list", "--dir", empty}, ExitNoInput, "no review queue"},
		{[]string{"review", "apply", "--dir", empty}, ExitNoInput, "master.vocab.json"},
		{[]string{"review", "decide", "--dir", empty, "x", "keep"}, ExitNoInput, "no review queue"},
		{[]string{"review", "decide", "x"}, ExitUsage, "needs TERM"},
	}
	for _, tc := range tests {
		code, _, stderr := runStreams(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: code %d (want %d), stderr %q", tc.args, code, tc.code, stderr)
		}
	}
}

// Concurrent `review decide` commands (each its own open of the lock file,
// as separate processes would) keep every decision, in the decisions file
// and in the queue.
func TestReviewDecideConcurrent(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	writeTerms(t, filepath.Join(dir, "a.json"),
		classifiedTerm("a.pdf", "Mind Flayers", "mind flayer", 0.9),
		classifiedTerm("a.pdf", "Beholder", "beholder", 0.8),
		classifiedTerm("a.pdf", "Mordenkainen’s Sword", "Mordenkainen's Sword", 0.7),
		classifiedTerm("a.pdf", "Tasha's Hideous Laughter", "Tasha's Hideous Laughter", 0.6))
	if code, _, stderr := runStreams(t, "output", filepath.Join(dir, "a.json"), "-o", filepath.Join(out, "a.vocab.json")); code != 0 {
		t.Fatalf("output: %s", stderr)
	}
	if code, _, stderr := runStreams(t, "consolidate", out); code != 0 {
		t.Fatalf("consolidate: %s", stderr)
	}
	terms := []string{"mind flayer", "beholder", "Mordenkainen's Sword", "Tasha's Hideous Laughter"}
	var wg sync.WaitGroup
	for _, term := range terms {
		wg.Go(func() {
			if code, _, stderr := runStreams(t, "review", "decide", "--dir", out, term, "keep"); code != 0 {
				t.Errorf("decide %s: %s", term, stderr)
			}
		})
	}
	wg.Wait()
	ds, err := ipreview.ReadDecisions(filepath.Join(out, ipreview.DecisionsFile))
	if err != nil {
		t.Fatal(err)
	}
	q, err := ipreview.ReadQueue(filepath.Join(out, ipreview.QueueFile))
	if err != nil {
		t.Fatal(err)
	}
	decided := 0
	for _, it := range q.Items {
		if it.Decision != nil {
			decided++
		}
	}
	if len(ds.Decisions) != len(terms) || decided != len(terms) {
		t.Errorf("%d decisions recorded, %d shown in the queue, want %d", len(ds.Decisions), decided, len(terms))
	}
}
