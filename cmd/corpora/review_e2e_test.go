package main

// End-to-end tests of the review workflow, input kinds, locks and flags
// (issue 21), run with the built binary on generated books.

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

// reviewBook names protected terms in several sentences, so that a removal
// or a rename must reach other entries' contexts too.
const reviewBook = `# The Glasswind Grimoire

## Melf's Acid Arrow

Apprentices sometimes try to cast Melf's Acid Arrow at the dust serpents of the frozen steppe.

## Mordenkainen's Sword

One villain carried a copy of Mordenkainen's Sword as a signature spell, beside the ancient wyvern.

## The Beholder

The beholder hunts the shadowed caverns; every ranger fears the beholder and its radiant gaze.

The ancient wyvern of Hollowmere guards the gilded amulet with a frozen longsword.
`

// reviewedFolder runs a batch on reviewBook and returns the output folder.
func reviewedFolder(t *testing.T) string {
	t.Helper()
	skipShort(t)
	dir := t.TempDir()
	books := filepath.Join(dir, "books")
	writeFile(t, filepath.Join(books, "grimoire.md"), reviewBook)
	writeFile(t, filepath.Join(books, "bestiary.md"), book(5, 60, true))
	out := filepath.Join(dir, "out")
	if r := corpora(t, "batch", books, "-o", out, "--quiet", "--classifier", "offline"); r.code != 0 {
		t.Fatalf("batch: %d %s", r.code, r.stderr)
	}
	return out
}

// shipped lists the files of out that ship: the master and the vocab files.
func shipped(t *testing.T, out string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, "*.vocab.json"))
	if len(files) < 3 {
		t.Fatalf("shipped files: %v", files)
	}
	return files
}

// TestReviewedNameGoneFromEveryOutput: batch, remove one name and rename
// another, apply: neither old name is in any shipped file (entries,
// lemma, variants, other entries' contexts); the new name is; an undo
// brings the removed term back.
func TestReviewedNameGoneFromEveryOutput(t *testing.T) {
	out := reviewedFolder(t)
	for _, args := range [][]string{
		{"review", "decide", "-d", out, "Melf's Acid Arrow", "remove"},
		{"review", "decide", "-d", out, "beholder", "remove"},
		{"review", "decide", "-d", out, "Mordenkainen's Sword", "rename", "Arcane Sword"},
		{"review", "apply", out},
	} {
		if r := corpora(t, args...); r.code != 0 {
			t.Fatalf("%v: %d %s", args, r.code, r.stderr)
		}
	}
	for _, f := range shipped(t, out) {
		data, _ := os.ReadFile(f)
		low := strings.ToLower(string(data))
		for _, gone := range []string{"melf's acid arrow", "beholder", "mordenkainen's sword"} {
			if strings.Contains(low, gone) {
				t.Errorf("%s still names %q", filepath.Base(f), gone)
			}
		}
	}
	master, _ := os.ReadFile(filepath.Join(out, "master.vocab.json"))
	if !strings.Contains(string(master), `"text": "Arcane Sword"`) || !strings.Contains(string(master), "a copy of Arcane Sword as") {
		t.Errorf("the renamed term is not under its new name everywhere")
	}
	// Consolidating again changes nothing; undoing a removal brings it back.
	if r := corpora(t, "consolidate", out); r.code != 0 || !strings.Contains(r.stderr, "+0 new, ~0 updated, -0 removed") {
		t.Errorf("consolidate after apply: %d %s", r.code, r.stderr)
	}
	corpora(t, "review", "decide", "-d", out, "beholder", "keep")
	if r := corpora(t, "review", "apply", out); r.code != 0 {
		t.Fatal(r.stderr)
	}
	master, _ = os.ReadFile(filepath.Join(out, "master.vocab.json"))
	if !strings.Contains(strings.ToLower(string(master)), `"beholder"`) {
		t.Errorf("keep after remove did not bring the term back")
	}
}

// TestReviewListAndBulkDecisions: the table fits COLUMNS, -v shows the
// context, --json has the table's fields and the counts apply prints;
// decisions by franchise (dry run, --yes) and from a CSV file.
func TestReviewListAndBulkDecisions(t *testing.T) {
	out := reviewedFolder(t)
	cmd := exec.Command(corporaBin, "review", "list", out, "-v")
	cmd.Env = append(cleanEnv(), "COLUMNS=60")
	table, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimRight(string(table), "\n"), "\n") {
		if utf8.RuneCountInString(l) > 60 {
			t.Errorf("line past 60 columns: %q", l)
		}
	}
	if !strings.Contains(string(table), "“") || !strings.Contains(string(table), "…") {
		t.Errorf("no context sentence or no truncation:\n%s", table)
	}
	r := corpora(t, "review", "list", out, "--json")
	var lj struct {
		Total, Pending int
		Items          []map[string]any
	}
	if err := json.Unmarshal([]byte(r.stdout), &lj); err != nil || lj.Total == 0 || lj.Pending != lj.Total {
		t.Fatalf("--json: %v %s", err, r.stdout)
	}
	for _, k := range []string{"term", "decision", "franchise", "alternative", "sources", "context"} {
		if _, ok := lj.Items[0][k]; !ok {
			t.Errorf("--json item lacks %q", k)
		}
	}
	// A franchise at once: the dry run records nothing, --yes records.
	dry := corpora(t, "review", "decide", "-d", out, "--franchise", "greyhawk", "remove", "--dry-run")
	if dry.code != 0 || !strings.Contains(dry.stderr, "would remove") {
		t.Fatalf("dry run: %d %s", dry.code, dry.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "review-decisions.json")); err == nil {
		t.Error("a dry run recorded decisions")
	}
	if r := corpora(t, "review", "decide", "-d", out, "--franchise", "greyhawk", "remove"); r.code != 64 || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("bulk without --yes and no terminal: %d %s", r.code, r.stderr)
	}
	if r := corpora(t, "review", "decide", "-d", out, "--franchise", "greyhawk", "remove", "--yes"); r.code != 0 || !strings.Contains(r.stderr, "recorded: remove") {
		t.Fatalf("bulk: %d %s", r.code, r.stderr)
	}
	// The rest from the CSV 'review list --csv' prints, filled in.
	csvOut := corpora(t, "review", "list", out, "--pending", "--csv").stdout
	lines := strings.Split(strings.TrimSpace(csvOut), "\n")
	var filled []string
	filled = append(filled, lines[0])
	for _, l := range lines[1:] {
		term, rest, _ := strings.Cut(l, ",")
		filled = append(filled, term+",keep"+strings.TrimPrefix(rest, ""))
	}
	path := filepath.Join(t.TempDir(), "decisions.csv")
	writeFile(t, path, strings.Join(filled, "\n")+"\n")
	if r := corpora(t, "review", "decide", "--from", path, out); r.code != 0 || !strings.Contains(r.stderr, "recorded:") {
		t.Fatalf("--from: %d %s", r.code, r.stderr)
	}
	list := corpora(t, "review", "list", out)
	apply := corpora(t, "review", "apply", out)
	if apply.code != 0 || !strings.Contains(list.stderr, "0 pending") {
		t.Fatalf("apply: %d %s / list %s", apply.code, apply.stderr, list.stderr)
	}
	// list and apply print the same counts line.
	if !strings.Contains(apply.stderr, strings.TrimSpace(list.stderr)) {
		t.Errorf("counts disagree: list %q, apply %q", list.stderr, apply.stderr)
	}
}

// TestInputKindsNamed: each command names a wrong file's kind and the
// command it belongs to; consolidate refuses a books folder.
func TestInputKindsNamed(t *testing.T) {
	out := reviewedFolder(t)
	books := filepath.Join(filepath.Dir(out), "books")
	parsed := filepath.Join(t.TempDir(), "parsed.json")
	if r := corpora(t, "parse", filepath.Join(books, "grimoire.md"), "-o", parsed); r.code != 0 {
		t.Fatalf("parse: %s", r.stderr)
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"extract", filepath.Join(out, "master.vocab.json")}, 65, "master.vocab.json is a master vocabulary (corpora consolidate output); extract reads parse output or documents"},
		{[]string{"output", parsed}, 65, "this is parse output; run 'corpora extract"},
		{[]string{"output", filepath.Join(out, "flagged.json")}, 65, "flagged.json is a review queue (corpora consolidate output)"},
		{[]string{"consolidate", books}, 66, "not vocab files: consolidate works on a batch's output folder"},
	}
	for _, tc := range tests {
		r := corpora(t, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: %d %q, want %d %q", tc.args, r.code, r.stderr, tc.code, tc.want)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(books, "*.json")); len(m) > 0 {
		t.Errorf("consolidate wrote among the books: %v", m)
	}
}

// TestEveryWriterTakesTheFolderLock: with the output folder's lock held,
// consolidate, review decide/apply and output into the folder each print
// one line naming the holder and exit 75.
func TestEveryWriterTakesTheFolderLock(t *testing.T) {
	out := reviewedFolder(t)
	terms := filepath.Join(t.TempDir(), "terms.json")
	if r := corpora(t, "extract", filepath.Join(filepath.Dir(out), "books", "grimoire.md"), "-o", terms, "--classifier", "offline"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	f, err := os.OpenFile(filepath.Join(out, ".corpora-batch.lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Skip(err)
	}
	f.Truncate(0)
	f.WriteAt([]byte("pid 4242, since 2026-12-06T15:04:05Z\n"), 0)
	for _, args := range [][]string{
		{"consolidate", out},
		{"review", "decide", "-d", out, "beholder", "keep"},
		{"review", "apply", out},
		{"output", terms, "-o", out},
	} {
		r := corpora(t, args...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 75 || len(lines) != 1 || !strings.Contains(r.stderr, "pid 4242, since 2026-12-06T15:04:05Z") {
			t.Errorf("%v: exit %d, stderr %q: want 75 and one line naming the holder", args, r.code, r.stderr)
		}
	}
}

// TestFlagVocabulary: the output folder as DIR, -d or CORPORA_OUTPUT in
// consolidate and review, old spellings accepted, and a warning for a
// flag that does nothing.
func TestFlagVocabulary(t *testing.T) {
	out := reviewedFolder(t)
	for _, args := range [][]string{
		{"consolidate", "-d", out},
		{"consolidate", "--output-dir", out},
		{"review", "list", out},
		{"review", "list", "-o", out},
	} {
		if r := corpora(t, args...); r.code != 0 {
			t.Errorf("%v: %d %s", args, r.code, r.stderr)
		}
	}
	cmd := exec.Command(corporaBin, "consolidate")
	cmd.Env = append(cleanEnv(), "CORPORA_OUTPUT="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("CORPORA_OUTPUT: %v %s", err, b)
	}
	r := corpora(t, "extract", filepath.Join(filepath.Dir(out), "books", "grimoire.md"), "--classifier", "offline", "--model", "gpt-5", "-o", filepath.Join(t.TempDir(), "t.json"))
	if r.code != 0 || !strings.Contains(r.stderr, "--model has no effect with the offline classifier") {
		t.Errorf("no warning for --model with offline: %d %s", r.code, r.stderr)
	}
}

// TestBackupsCompressedAndRotated: every apply that changes the master
// leaves one gzipped backup, at most --keep-backups of them.
func TestBackupsCompressedAndRotated(t *testing.T) {
	out := reviewedFolder(t)
	for i := range 7 {
		action := []string{"keep", "remove"}[i%2]
		corpora(t, "review", "decide", "-d", out, "beholder", action)
		if r := corpora(t, "review", "apply", out); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	plain, _ := filepath.Glob(filepath.Join(out, "backups", "*.json"))
	gz, _ := filepath.Glob(filepath.Join(out, "backups", "*.json.gz"))
	if len(plain) != 0 || len(gz) != 5 {
		t.Errorf("backups: plain %v, gzipped %d: want none and 5", plain, len(gz))
	}
}
