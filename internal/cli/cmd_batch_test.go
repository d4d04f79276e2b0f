package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
)

func TestBatchFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    func(o *batchOptions) bool
		wantErr string
	}{
		{[]string{"books"}, func(o *batchOptions) bool {
			return o.Input == "books" && o.Output == "" && o.Workers == 0 && !o.Force && !o.Quiet && !o.JSON && !o.DryRun && !o.NoConsolidate && o.OCR == "auto" && o.classifier.Backend == "auto"
		}, ""},
		{[]string{"books", "-o", "out", "-w", "3", "--force", "--quiet", "--json", "--dry-run", "--no-consolidate", "-b", "bl.json", "--ocr", "off", "--password", "pw", "--classifier", "offline", "--model", "m", "--max-cost", "1.5"},
			func(o *batchOptions) bool {
				return o.Output == "out" && o.Workers == 3 && o.Force && o.Quiet && o.JSON && o.DryRun && o.NoConsolidate && o.Blocklist == "bl.json" &&
					o.OCR == "off" && o.Password == "pw" && o.classifier.Backend == "offline" && o.classifier.Model == "m" && o.classifier.MaxCost == 1.5
			}, ""},
		{[]string{}, nil, "accepts 1 arg"},
		{[]string{"a", "b"}, nil, "accepts 1 arg"},
		{[]string{"books", "--ocr", "sometimes"}, nil, "--ocr must be"},
		{[]string{"books", "-w", "-1"}, func(o *batchOptions) bool { return o.Workers == 0 }, ""}, // 1.0: below 1 is the default
		{[]string{"books", "--frobnicate"}, nil, "unknown flag"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var got *batchOptions
			s := &Streams{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Getenv: func(string) string { return "" }}
			cmd := newBatchCmdWith(s, func(_ context.Context, o *batchOptions, _ *Streams) error { got = o; return nil })
			if !parseFlags(t, cmd, tc.args, tc.wantErr) {
				return
			}
			if !tc.want(got) {
				t.Errorf("options: %+v", got)
			}
		})
	}
}

// testClassifier classifies every candidate the same way, deterministically.
type testClassifier struct{}

func (testClassifier) Backend() string       { return "test" }
func (testClassifier) Model() string         { return "t1" }
func (testClassifier) PromptVersion() string { return "1" }
func (testClassifier) Classify(_ context.Context, req classify.Request) (classify.Result, error) {
	var res classify.Result
	for _, c := range req.Terms {
		res.Terms = append(res.Terms, classify.Term{ID: req.Source + "-" + c.Lemma, Text: c.Text, Source: req.Source, Genre: classify.Genre,
			Intent: classify.Utility, POS: c.POS, Category: classify.Concept, Canonical: c.Lemma, Mood: classify.Arcane, Count: c.Count, Classifier: "test/t1"})
	}
	res.Usage.Requests = 1
	return res, nil
}

// runBatchCmd runs `corpora batch args...` with the given classifier builder.
func runBatchCmd(t *testing.T, ctx context.Context, build func(context.Context, *Streams, string) (classify.Classifier, func() error, error), args ...string) cliRun {
	t.Helper()
	return runCLI(t, cliCall{ctx: ctx, batch: func(ctx context.Context, o *batchOptions, s *Streams) error {
		if build != nil {
			o.newClassifier = build
		}
		o.retryDelay = time.Millisecond
		return runBatch(ctx, o, s)
	}}, append([]string{"batch"}, args...)...)
}

func testBuild(context.Context, *Streams, string) (classify.Classifier, func() error, error) {
	return testClassifier{}, func() error { return nil }, nil
}

func writeBooks(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBatchExitCodesBeforeProcessing(t *testing.T) {
	ctx := context.Background()
	empty := writeBooks(t, map[string]string{"notes.rtf": "x", ".git/readme.md": "x"})
	books := writeBooks(t, map[string]string{"a.txt": "The dragon sleeps.", "sub/b.md": "# Spells\n\nFireball."})
	unavailable := func(context.Context, *Streams, string) (classify.Classifier, func() error, error) {
		return nil, nil, errors.New("ANTHROPIC_API_KEY rejected (401)")
	}
	tests := []struct {
		name     string
		build    func(context.Context, *Streams, string) (classify.Classifier, func() error, error)
		args     []string
		code     int
		inStderr string
	}{
		{"missing folder", testBuild, []string{filepath.Join(empty, "nope")}, ExitNoInput, "no such file"},
		{"no documents", testBuild, []string{empty}, ExitNoInput, "No PDF or EPUB files found"},
		{"classifier unavailable", unavailable, []string{books}, ExitUnavailable, "401"},
		{"missing blocklist", testBuild, []string{books, "-b", filepath.Join(empty, "none.json")}, ExitNoInput, "blocklist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runBatchCmd(t, ctx, tc.build, tc.args...)
			if r.code != tc.code || !strings.Contains(r.err, tc.inStderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d mentioning %q", r.code, r.err, tc.code, tc.inStderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(empty, "output")); err == nil {
		t.Error("an output folder was created for an empty input")
	}
}

func TestBatchDryRunJSON(t *testing.T) {
	books := writeBooks(t, map[string]string{"a.txt": "The dragon sleeps.", "sub/b.md": "# Spells\n\nFireball.", "sub/b.epub": "x"})
	r := runBatchCmd(t, context.Background(), testBuild, books, "--dry-run", "--json")
	if r.code != ExitOK {
		t.Fatalf("exit %d:\n%s", r.code, r.err)
	}
	events := parseJSONLines(t, r.out)
	if len(events) != 2 || events[0]["event"] != "start" || events[1]["event"] != "summary" {
		t.Fatalf("events: %v", events)
	}
	if events[0]["documents"] != 3.0 || events[0]["pending"] != 3.0 || events[0]["classifier"] != "test/t1" {
		t.Errorf("start event: %v", events[0])
	}
	if list, _ := events[1]["dry_run"].([]any); len(list) != 3 || list[0] != "a.txt" {
		t.Errorf("summary dry_run: %v", events[1]["dry_run"])
	}
	for _, want := range []string{"would be processed", "sub/b.epub", "nothing was written"} {
		if !strings.Contains(r.err, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.err)
		}
	}
	if _, err := os.Stat(filepath.Join(books, "output")); err == nil {
		t.Error("dry run created the output folder")
	}
}

func parseJSONLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var events []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", sc.Text(), err)
		}
		events = append(events, m)
	}
	return events
}

func TestBatchSummaryText(t *testing.T) {
	var b bytes.Buffer
	sum := batch.Summary{OutputDir: "out", Documents: 5, Processed: 2, Skipped: 1, Failed: 1, TermsExtracted: 40, TermsClassified: 38, TermsFlagged: 2,
		Usage:    classify.Usage{Requests: 3, TermsSent: 30, CacheHits: 8, InputTokens: 900, OutputTokens: 300, CostUSD: 0.0123},
		WallTime: 1500 * time.Millisecond,
		Failures: []batch.DocumentResult{{Path: "bad.pdf", Status: batch.StatusFailed, Stage: batch.StageParse, Err: errors.New("PNG image"), Attempts: 1}},
	}
	writeBatchSummary(&b, sum, batchSummaryOptions{code: ExitInterrupted, logPath: "out/batch-errors.log"})
	got := b.String()
	for _, want := range []string{
		"batch interrupted: 5 documents: 2 processed, 1 skipped, 1 failed, 1 left for the next run",
		"40 extracted, 38 classified, 2 flagged",
		"8 cache hits, 3 API requests, 1200 tokens (40 per term), $0.0123",
		"wall time: 1.5s",
		"bad.pdf: parse: PNG image",
		"out/batch-errors.log",
		"run the same command again",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
}

// failingClassifier fails with err on the document named source.
type failingClassifier struct {
	testClassifier
	source string
	err    error
}

func (c failingClassifier) Classify(ctx context.Context, req classify.Request) (classify.Result, error) {
	if req.Source == c.source {
		return classify.Result{}, c.err
	}
	return c.testClassifier.Classify(ctx, req)
}

func TestBatchRun(t *testing.T) {
	books := map[string]string{
		"a.txt":    "The ancient dragon breathes fire upon the castle walls.",
		"b.md":     "# Spells\n\nThe wizard casts a fireball at the goblin horde.",
		"sub/c.md": "# Monsters\n\nA basilisk turns adventurers to stone.",
	}
	build := func(c classify.Classifier) func(context.Context, *Streams, string) (classify.Classifier, func() error, error) {
		return func(context.Context, *Streams, string) (classify.Classifier, func() error, error) {
			return c, func() error { return nil }, nil
		}
	}
	tests := []struct {
		name       string
		classifier classify.Classifier
		args       []string
		code       int
		inStderr   []string
		notStderr  []string
	}{
		{"all succeed", testClassifier{}, nil, ExitOK,
			[]string{"OK a.txt (", "OK sub/c.md (", "3 processed, 0 skipped, 0 failed", "master:"}, nil},
		{"quiet", testClassifier{}, []string{"--quiet"}, ExitOK,
			[]string{"3 processed"}, []string{"OK a.txt"}},
		{"one document fails", failingClassifier{source: "b.md", err: errors.New("model exploded")}, nil, ExitPartial,
			[]string{"FAIL b.md: classify: model exploded", "2 processed, 0 skipped, 1 failed", "batch-errors.log"}, nil},
		// With one worker the largest document, b.md, goes first; the
		// batch stops there.
		{"budget spent", failingClassifier{source: "b.md", err: fmt.Errorf("claude: %w", classify.ErrBudget)}, []string{"-w", "1"}, ExitPartial,
			[]string{"FAIL b.md", "raise --max-cost"}, []string{"OK a.txt", "OK sub/c.md"}},
		{"key revoked mid-run", failingClassifier{source: "b.md", err: fmt.Errorf("claude: %w: 401", classify.ErrUnavailable)}, []string{"-w", "1"}, ExitUnavailable,
			[]string{"FAIL b.md", "401"}, []string{"OK a.txt", "OK sub/c.md"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeBooks(t, books)
			r := runBatchCmd(t, context.Background(), build(tc.classifier), append([]string{dir}, tc.args...)...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tc.code, r.err)
			}
			for _, want := range tc.inStderr {
				if !strings.Contains(r.err, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.err)
				}
			}
			for _, not := range tc.notStderr {
				if strings.Contains(r.err, not) {
					t.Errorf("stderr has %q:\n%s", not, r.err)
				}
			}
		})
	}
}

func TestBatchInterruptedExits130(t *testing.T) {
	dir := writeBooks(t, map[string]string{"a.txt": "The ancient dragon.", "b.txt": "The young wizard."})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	blocking := func(context.Context, *Streams, string) (classify.Classifier, func() error, error) {
		return cancellingClassifier{cancel}, func() error { return nil }, nil
	}
	r := runBatchCmd(t, ctx, blocking, dir, "-w", "1")
	if r.code != ExitInterrupted || !strings.Contains(r.err, "batch interrupted") {
		t.Errorf("exit %d, want 130\n%s", r.code, r.err)
	}
}

// cancellingClassifier cancels the run (as Ctrl+C would) and waits for it.
type cancellingClassifier struct{ cancel context.CancelFunc }

func (cancellingClassifier) Backend() string       { return "test" }
func (cancellingClassifier) Model() string         { return "t1" }
func (cancellingClassifier) PromptVersion() string { return "1" }
func (c cancellingClassifier) Classify(ctx context.Context, _ classify.Request) (classify.Result, error) {
	c.cancel()
	<-ctx.Done()
	return classify.Result{}, ctx.Err()
}

// TestBatchKeepGeneric checks the dropped-terms count in the text and JSON
// summaries, and that --keep-generic keeps everything.
func TestBatchKeepGeneric(t *testing.T) {
	books := map[string]string{"a.md": "# Bestiary\n\nEvery afternoon the ancient dragon arrives, and vice versa, with abrasive breath."}
	summary := func(args ...string) (map[string]any, string) {
		dir := writeBooks(t, books)
		r := runBatchCmd(t, context.Background(), testBuild, append([]string{dir, "--json"}, args...)...)
		if r.code != ExitOK {
			t.Fatalf("exit %d: %s", r.code, r.err)
		}
		evs := parseJSONLines(t, r.out)
		last := evs[len(evs)-1]
		if last["event"] != "summary" {
			t.Fatalf("last event %v", last)
		}
		return last, r.err
	}
	sum, stderr := summary()
	dropped, _ := sum["terms_dropped"].(float64)
	if dropped < 2 || !strings.Contains(stderr, "plain English or fragments dropped") {
		t.Errorf("default: terms_dropped %v; stderr:\n%s", sum["terms_dropped"], stderr)
	}
	kept, stderr := summary("--keep-generic")
	if kept["terms_dropped"] != float64(0) || strings.Contains(stderr, "dropped") {
		t.Errorf("--keep-generic: terms_dropped %v; stderr:\n%s", kept["terms_dropped"], stderr)
	}
	if kept["terms_extracted"].(float64) != sum["terms_extracted"].(float64)+dropped {
		t.Errorf("--keep-generic extracted %v, want %v + %v", kept["terms_extracted"], sum["terms_extracted"], dropped)
	}
}
