package main

// End-to-end checks of the documented formats: every JSON file and event
// the built binary writes, on the sample books, validates against its
// schema in docs/schema (a field added without documenting it fails here).

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/docs"
)

// sampleBooks copies examples/books into a new folder, without the scanned
// PDF (it needs PDFium and OCR: half a minute on a cold machine, and the
// other PDF covers the format).
func sampleBooks(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "books")
	src := filepath.Join("..", "..", "examples", "books")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "hollowmere-fragment.pdf" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, e.Name()), string(data))
	}
	return dir
}

func validateFile(t *testing.T, schema, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := docs.Validate(schema, data); err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
	}
}

// events parses a --json stream after validating every line.
func events(t *testing.T, stdout string) []map[string]any {
	t.Helper()
	if err := docs.ValidateLines("event.schema.json", []byte(stdout)); err != nil {
		t.Errorf("events: %v", err)
	}
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		if m["schema"] != "corpora.event/1" {
			t.Errorf("event without its version: %s", line)
		}
		out = append(out, m)
	}
	return out
}

func TestOutputsMatchTheirSchemas(t *testing.T) {
	skipShort(t)
	books := sampleBooks(t)
	out := filepath.Join(books, "output")
	// A document that fails (batch-errors.log, a failed event) and a -b
	// blocklist (recorded in OUT) beside the sample books.
	writeFile(t, filepath.Join(books, "broken.docx"), "PK\x03\x04 not really a DOCX")
	blocklist := filepath.Join(t.TempDir(), "custom.json")
	writeFile(t, blocklist, `{"Test Franchise": ["Veyrasholm", {"term": "Tamsk", "kind": "shared", "owner": "Test Owner"}]}`)

	r := corpora(t, "batch", books, "--classifier", "offline", "--json", "-b", blocklist)
	if r.code != 75 {
		t.Fatalf("exit %d, want 75 (one document failed)\n%s", r.code, r.stderr)
	}
	evs := events(t, r.stdout)
	var failed, succeeded int
	for _, e := range evs {
		if e["event"] != "document" {
			continue
		}
		switch e["status"] {
		case "failed":
			failed++
			if _, ok := e["vocab_path"]; ok {
				t.Errorf("a failed document names a vocab file: %v", e)
			}
			if e["error"] == "" || e["stage"] == "" {
				t.Errorf("a failed document without its error and stage: %v", e)
			}
		case "success":
			succeeded++
			if e["vocab_terms"] != e["terms_classified"] {
				t.Errorf("vocab_terms %v, terms_classified %v", e["vocab_terms"], e["terms_classified"])
			}
		}
	}
	if failed != 1 || succeeded != 4 {
		t.Errorf("%d failed, %d succeeded: want 1 and 4", failed, succeeded)
	}
	sum := evs[len(evs)-1]
	if sum["event"] != "summary" || sum["exit_code"] != 75.0 || sum["failed"] != 1.0 {
		t.Errorf("last event: %v", sum)
	}

	vocabs, _ := filepath.Glob(filepath.Join(out, "*.vocab.json"))
	if len(vocabs) != 5 { // 4 books and the master
		t.Errorf("vocab files: %q", vocabs)
	}
	for _, v := range vocabs {
		validateFile(t, "vocab.schema.json", v)
	}
	validateFile(t, "flagged.schema.json", filepath.Join(out, "flagged.json"))
	validateFile(t, "manifest.schema.json", filepath.Join(out, ".corpora-manifest.json"))
	validateFile(t, "consolidate-state.schema.json", filepath.Join(out, ".corpora-consolidate.json"))
	validateFile(t, "blocklist.schema.json", filepath.Join(out, ".corpora-blocklist.json"))
	errLog, err := os.ReadFile(filepath.Join(out, "batch-errors.log"))
	if err != nil {
		t.Fatal(err)
	}
	if err := docs.ValidateLines("batch-error.schema.json", errLog); err != nil {
		t.Errorf("batch-errors.log: %v", err)
	}

	// The re-run skips every book: its events count no new work, and say
	// what the vocab files made earlier hold.
	if err := os.Remove(filepath.Join(books, "broken.docx")); err != nil {
		t.Fatal(err)
	}
	r = corpora(t, "batch", books, "--classifier", "offline", "--json")
	if r.code != 0 {
		t.Fatalf("re-run: exit %d\n%s", r.code, r.stderr)
	}
	for _, e := range events(t, r.stdout) {
		if e["event"] == "document" {
			if e["status"] != "skipped" || e["terms_classified"] != 0.0 || e["terms_extracted"] != 0.0 || e["vocab_terms"] == nil || e["vocab_terms"] == 0.0 {
				t.Errorf("skipped document event: %v", e)
			}
		}
	}
	if !strings.Contains(r.stderr, "skipped 4 unchanged documents") || strings.Contains(r.stderr, "SKIP ") {
		t.Errorf("skipped documents not summed up in one line:\n%s", r.stderr)
	}

	// Review: one decision of each kind, applied; then the decisions file,
	// the reviewed master and the queue still match their schemas.
	var queue struct {
		Terms []struct {
			Canonical string `json:"canonical"`
		} `json:"terms"`
	}
	data, err := os.ReadFile(filepath.Join(out, "flagged.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &queue); err != nil || len(queue.Terms) < 3 {
		t.Fatalf("queue: %v, %d terms", err, len(queue.Terms))
	}
	for i, args := range [][]string{{"keep"}, {"remove"}, {"rename", "Invented Name"}} {
		a := append([]string{"review", "decide", queue.Terms[i].Canonical}, args...)
		if r := corpora(t, append(a, "--dir", out)...); r.code != 0 {
			t.Fatalf("%q: exit %d\n%s", a, r.code, r.stderr)
		}
	}
	if r := corpora(t, "review", "apply", "--dir", out); r.code != 0 {
		t.Fatalf("review apply: exit %d\n%s", r.code, r.stderr)
	}
	validateFile(t, "decisions.schema.json", filepath.Join(out, "review-decisions.json"))
	if r := corpora(t, "review", "list", "--json", "--dir", out); r.code != 0 {
		t.Errorf("review list --json: exit %d\n%s", r.code, r.stderr)
	} else {
		// review list --json printed the queue itself before it printed
		// the table's rows and counts; each shape has its schema.
		schema := "review-list.schema.json"
		if strings.Contains(r.stdout, `"total_flagged"`) {
			schema = "flagged.schema.json"
		}
		if err := docs.Validate(schema, []byte(r.stdout)); err != nil {
			t.Errorf("review list --json: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ".corpora-review", "state.json")); err == nil {
		validateFile(t, "review-state.schema.json", filepath.Join(out, ".corpora-review", "state.json"))
	}
	validateFile(t, "vocab.schema.json", filepath.Join(out, "master.vocab.json"))
	validateFile(t, "flagged.schema.json", filepath.Join(out, "flagged.json"))
	if master, _ := os.ReadFile(filepath.Join(out, "master.vocab.json")); !bytes.Contains(master, []byte(`"review"`)) {
		t.Error("the reviewed master has no review marks: the schema check above did not see them")
	}

	// The stages one at a time.
	work := t.TempDir()
	parsed := filepath.Join(work, "parsed.json")
	if r := corpora(t, "parse", filepath.Join(books, "emberfall-codex.pdf"), "-o", parsed); r.code != 0 {
		t.Fatalf("parse: exit %d\n%s", r.code, r.stderr)
	}
	validateFile(t, "document.schema.json", parsed)
	r = corpora(t, "extract", parsed, "--classifier", "offline")
	if r.code != 0 {
		t.Fatalf("extract: exit %d\n%s", r.code, r.stderr)
	}
	if err := docs.Validate("terms.schema.json", []byte(r.stdout)); err != nil {
		t.Errorf("extract: %v", err)
	}
	r = corpora(t, "extract", parsed, "--candidates-only")
	if r.code != 0 {
		t.Fatalf("extract --candidates-only: exit %d\n%s", r.code, r.stderr)
	}
	if err := docs.Validate("candidates.schema.json", []byte(r.stdout)); err != nil {
		t.Errorf("extract --candidates-only: %v", err)
	}
}

// A run that stops before processing ends its --json stream with one
// error event carrying the exit code; stdout holds nothing else.
func TestBatchSetupErrorEvents(t *testing.T) {
	skipShort(t)
	empty := t.TempDir()
	notDir := filepath.Join(empty, "file.md")
	writeFile(t, notDir, "# A file\n")
	books := library(t, 1, 10)
	blocked := filepath.Join(t.TempDir(), "out")
	writeFile(t, blocked, "a file where the output folder should be")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no documents", []string{"batch", t.TempDir(), "--json"}, 66},
		{"not a folder", []string{"batch", notDir, "--json"}, 66},
		{"classifier unavailable", []string{"batch", books, "--json", "--classifier", "claude"}, 69},
		{"output not writable", []string{"batch", books, "--json", "--classifier", "offline", "-o", blocked}, 73},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := corpora(t, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r.stderr)
			}
			evs := events(t, r.stdout)
			if len(evs) != 1 || evs[0]["event"] != "error" || evs[0]["exit_code"] != float64(tc.code) || evs[0]["error"] == "" {
				t.Fatalf("events %v: want one error event with exit code %d", evs, tc.code)
			}
			if msg := evs[0]["error"].(string); !strings.Contains(r.stderr, msg) {
				t.Errorf("the event's message %q is not the one stderr shows:\n%s", msg, r.stderr)
			}
		})
	}
}

// An interrupted run's --json summary counts every document it left undone,
// so that processed + skipped + failed + interrupted = documents.
func TestBatchInterruptedJSON(t *testing.T) {
	skipShort(t)
	dir := library(t, 12, 400)
	out := filepath.Join(t.TempDir(), "out")
	var stdout bytes.Buffer
	run := &running{cmd: exec.Command(corporaBin, "batch", dir, "-o", out, "--classifier", "offline", "-w", "2", "--json"),
		stderr: &bytes.Buffer{}, done: make(chan struct{})}
	run.cmd.Env = cleanEnv()
	run.cmd.Stdout, run.cmd.Stderr = &stdout, run.stderr
	if err := run.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		run.state, _ = run.cmd.Process.Wait()
		close(run.done)
	}()
	t.Cleanup(func() { _ = run.cmd.Process.Kill(); <-run.done })
	run.waitForManifest(t, out, 1)
	if err := run.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := run.wait(t); code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, run.stderr)
	}
	evs := events(t, stdout.String())
	sum := evs[len(evs)-1]
	if sum["event"] != "summary" || sum["exit_code"] != 130.0 {
		t.Fatalf("last event: %v", sum)
	}
	n := func(k string) float64 { return sum[k].(float64) }
	if n("interrupted") == 0 || n("processed")+n("skipped")+n("failed")+n("interrupted") != n("documents") {
		t.Errorf("summary counts do not add up to the documents: %v", sum)
	}
	for _, e := range evs {
		if e["status"] == "interrupted" {
			if _, ok := e["vocab_path"]; ok {
				t.Errorf("an interrupted document names a vocab file: %v", e)
			}
		}
	}
}
