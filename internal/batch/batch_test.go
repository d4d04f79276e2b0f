package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/vocab"

	"github.com/corpora-tools/corpora/internal/fault"
)

// fakeClassifier answers every candidate deterministically from its lemma.
type fakeClassifier struct {
	model string
	calls atomic.Int64
	// fail, when set, may fail a request; it sees the request's source and
	// the how-manieth call for that source this is (from 1).
	fail    func(ctx context.Context, source string, call int) error
	mu      sync.Mutex
	perDocs map[string]int
}

func (c *fakeClassifier) Backend() string       { return "fake" }
func (c *fakeClassifier) Model() string         { return c.model }
func (c *fakeClassifier) PromptVersion() string { return "1" }

func (c *fakeClassifier) Classify(ctx context.Context, req classify.Request) (classify.Result, error) {
	c.calls.Add(1)
	c.mu.Lock()
	if c.perDocs == nil {
		c.perDocs = map[string]int{}
	}
	c.perDocs[req.Source]++
	n := c.perDocs[req.Source]
	c.mu.Unlock()
	if c.fail != nil {
		if err := c.fail(ctx, req.Source, n); err != nil {
			return classify.Result{Usage: classify.Usage{Requests: 1}}, err
		}
	}
	var res classify.Result
	for _, cand := range req.Terms {
		res.Terms = append(res.Terms, classify.Term{
			ID: req.Source + "-" + cand.Lemma, Text: cand.Text, Source: req.Source, Genre: classify.Genre,
			Intent: classify.Utility, POS: cand.POS, Category: classify.Concept, Canonical: cand.Lemma,
			Mood: classify.Arcane, Count: cand.Count, Classifier: "fake/" + c.model,
		})
	}
	res.Usage = classify.Usage{Requests: 1, TermsSent: len(req.Terms)}
	return res, nil
}

// fakeParser parses a text file into one block, counting its calls.
func fakeParser(parses *atomic.Int64) ParserFunc {
	return func(ctx context.Context, path string, _ document.Options) (*document.Output, error) {
		if parses != nil {
			parses.Add(1)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if bytes.HasPrefix(data, []byte("\x89PNG")) {
			return nil, fmt.Errorf("%s: %w: PNG image", path, document.ErrUnsupported)
		}
		return &document.Output{Source: path, Content: []document.Block{{Type: document.Paragraph, Text: string(data)}}}, nil
	}
}

// fakeStages extract its distinct words of
// four letters or more, write vocab files as JSON and consolidate them by
// listing every vocab file's terms.
func fakeStages(parses *atomic.Int64) stages {
	return stages{
		extract: func(ctx context.Context, doc *document.Output, _ extract.Options) ([]extract.Candidate, error) {
			seen := map[string]bool{}
			var out []extract.Candidate
			for _, b := range doc.Content {
				for _, w := range strings.Fields(strings.ToLower(b.Text)) {
					w = strings.Trim(w, ".,;:!?")
					if len(w) >= 4 && !seen[w] {
						seen[w] = true
						out = append(out, extract.Candidate{Text: w, Lemma: w, POS: extract.Noun, Count: 1})
					}
				}
			}
			sort.Slice(out, func(i, j int) bool { return out[i].Lemma < out[j].Lemma })
			return out, nil
		},
		writeVocab: func(path string, info vocab.DocumentInfo, terms []classify.Term, now time.Time) error {
			return atomicfile.WriteJSON(path, fakeVocab{Source: info.SourcePath, Hash: info.SourceHash, Pipeline: info.Pipeline, At: now, Terms: terms})
		},
		readTerms: func(path string) ([]classify.Term, error) {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			var v fakeVocab
			err = json.Unmarshal(data, &v)
			return v.Terms, err
		},
		consolidate: func(ctx context.Context, opts vocab.ConsolidateOptions) (vocab.ConsolidateSummary, error) {
			var all []string
			err := filepath.WalkDir(opts.Dir, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".vocab.json") || p == opts.Master {
					return err
				}
				var v fakeVocab
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				if err := json.Unmarshal(data, &v); err != nil {
					return fmt.Errorf("%s: %w", p, err)
				}
				for _, t := range v.Terms {
					all = append(all, v.Source+":"+t.Canonical)
				}
				return nil
			})
			if err != nil {
				return vocab.ConsolidateSummary{}, err
			}
			sort.Strings(all)
			return vocab.ConsolidateSummary{Total: len(all)}, atomicfile.WriteJSON(opts.Master, all)
		},
	}
}

type fakeVocab struct {
	Source   string          `json:"source"`
	Hash     string          `json:"hash"`
	Pipeline string          `json:"pipeline"`
	At       time.Time       `json:"at"`
	Terms    []classify.Term `json:"terms"`
}

func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		// Old enough that size and mtime vouch for the hash (not racily clean).
		old := time.Now().Add(-time.Hour)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
}

var threeBooks = map[string]string{
	"dragons.txt":          "The ancient dragon breathes fire upon the castle.",
	"spells/wizardry.md":   "# Wizardry\n\nA wizard casts fireball and lightning bolt.",
	"spells/necromancy.md": "The necromancer raises skeletons from the grave.",
}

type harness struct {
	t      testing.TB
	in     string
	cls    *fakeClassifier
	parses atomic.Int64
	mu     sync.Mutex
	got    []DocumentResult
	events []Event
}

func newHarness(t testing.TB, files map[string]string) *harness {
	h := &harness{t: t, in: t.TempDir(), cls: &fakeClassifier{model: "m1"}}
	writeFiles(t, h.in, files)
	return h
}

func (h *harness) run(ctx context.Context, mod func(*Config)) (Summary, error) {
	h.t.Helper()
	h.mu.Lock()
	h.got, h.events = nil, nil
	h.mu.Unlock()
	cfg := Config{
		InputDir:   h.in,
		Classifier: h.cls,
		Parser:     fakeParser(&h.parses),
		Workers:    2,
		RetryDelay: time.Millisecond,
		OnDocumentComplete: func(r DocumentResult) {
			h.mu.Lock()
			h.got = append(h.got, r)
			h.mu.Unlock()
		},
		OnEvent: func(e Event) {
			h.mu.Lock()
			h.events = append(h.events, e)
			h.mu.Unlock()
		},
	}
	if mod != nil {
		mod(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	p.stages = fakeStages(&h.parses)
	plan, err := p.Plan(ctx, nil)
	if err != nil {
		return Summary{InputDir: h.in, OutputDir: p.OutputDir()}, err
	}
	return p.Run(ctx, plan)
}

func (h *harness) out(rel string) string {
	return filepath.Join(h.in, "output", filepath.FromSlash(rel))
}

func (h *harness) statuses() map[string]Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := map[string]Status{}
	for _, r := range h.got {
		m[r.Path] = r.Status
	}
	return m
}

func readManifest(t *testing.T, path string) manifestFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m manifestFile
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest %s is not valid JSON: %v", path, err)
	}
	return m
}

func TestRunProcessesThenSkips(t *testing.T) {
	h := newHarness(t, threeBooks)
	ctx := context.Background()
	sum, err := h.run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 3 || sum.Processed != 3 || sum.Skipped != 0 || sum.Failed != 0 {
		t.Fatalf("first run: %+v", sum)
	}
	if sum.TermsExtracted == 0 || sum.TermsClassified != sum.TermsExtracted || sum.Usage.Requests != 3 {
		t.Errorf("first run counts: %+v", sum)
	}
	if sum.Consolidated == nil {
		t.Error("no consolidation")
	}
	for _, v := range []string{"dragons.vocab.json", "spells/wizardry.vocab.json", "spells/necromancy.vocab.json", vocab.MasterFile} {
		if _, err := os.Stat(h.out(v)); err != nil {
			t.Errorf("missing %s: %v", v, err)
		}
	}
	m := readManifest(t, h.out(ManifestName))
	e, ok := m.Documents["spells/wizardry.md"]
	if !ok || e.VocabPath != "spells/wizardry.vocab.json" || len(e.SourceHash) != 64 || e.TermCount == 0 || !strings.Contains(e.Pipeline, "fake/m1/1") {
		t.Errorf("manifest entry: %+v (ok=%v)", e, ok)
	}

	calls, parses := h.cls.calls.Load(), h.parses.Load()
	sum, err = h.run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped != 3 || sum.Processed != 0 {
		t.Fatalf("second run: %+v", sum)
	}
	if h.cls.calls.Load() != calls || h.parses.Load() != parses {
		t.Error("an unchanged re-run parsed or classified again")
	}
	for p, s := range h.statuses() {
		if s != StatusSkipped {
			t.Errorf("%s: %s, want skipped", p, s)
		}
	}
}

func TestResumeDecisions(t *testing.T) {
	tests := []struct {
		name   string
		change func(h *harness, cfg *Config)
		want   map[string]Status
	}{
		{"nothing", nil, map[string]Status{"dragons.txt": StatusSkipped, "spells/wizardry.md": StatusSkipped, "spells/necromancy.md": StatusSkipped}},
		{"content edited", func(h *harness, _ *Config) {
			writeFiles(h.t, h.in, map[string]string{"dragons.txt": "A different dragon entirely."})
		}, map[string]Status{"dragons.txt": StatusSuccess, "spells/wizardry.md": StatusSkipped, "spells/necromancy.md": StatusSkipped}},
		{"touched, same content", func(h *harness, _ *Config) {
			now := time.Now().Add(-time.Minute)
			os.Chtimes(filepath.Join(h.in, "dragons.txt"), now, now)
		}, map[string]Status{"dragons.txt": StatusSkipped, "spells/wizardry.md": StatusSkipped, "spells/necromancy.md": StatusSkipped}},
		{"vocab file deleted", func(h *harness, _ *Config) {
			os.Remove(h.out("spells/necromancy.vocab.json"))
		}, map[string]Status{"dragons.txt": StatusSkipped, "spells/wizardry.md": StatusSkipped, "spells/necromancy.md": StatusSuccess}},
		{"model changed", func(h *harness, _ *Config) { h.cls.model = "m2" },
			map[string]Status{"dragons.txt": StatusSuccess, "spells/wizardry.md": StatusSuccess, "spells/necromancy.md": StatusSuccess}},
		{"extraction settings changed", func(_ *harness, cfg *Config) { cfg.ExtractOptions.MaxCandidates = 7 },
			map[string]Status{"dragons.txt": StatusSuccess, "spells/wizardry.md": StatusSuccess, "spells/necromancy.md": StatusSuccess}},
		{"tool version changed", func(_ *harness, cfg *Config) { cfg.ToolVersion = "v9" },
			map[string]Status{"dragons.txt": StatusSuccess, "spells/wizardry.md": StatusSuccess, "spells/necromancy.md": StatusSuccess}},
		{"force", func(_ *harness, cfg *Config) { cfg.Force = true },
			map[string]Status{"dragons.txt": StatusSuccess, "spells/wizardry.md": StatusSuccess, "spells/necromancy.md": StatusSuccess}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, threeBooks)
			if _, err := h.run(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			var cfgChange func(*Config)
			if tc.change != nil {
				cfgChange = func(cfg *Config) { tc.change(h, cfg) }
			}
			if _, err := h.run(context.Background(), cfgChange); err != nil {
				t.Fatal(err)
			}
			got := h.statuses()
			for p, want := range tc.want {
				if got[p] != want {
					t.Errorf("%s: %s, want %s", p, got[p], want)
				}
			}
		})
	}
}

func TestTouchedFileRefreshesManifest(t *testing.T) {
	h := newHarness(t, threeBooks)
	if _, err := h.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	when := time.Now().Add(-30 * time.Minute).UTC().Truncate(time.Second)
	os.Chtimes(filepath.Join(h.in, "dragons.txt"), when, when)
	if _, err := h.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	e := readManifest(t, h.out(ManifestName)).Documents["dragons.txt"]
	if !e.MTime.Equal(when) {
		t.Errorf("manifest mtime %v, want refreshed to %v", e.MTime, when)
	}
}

func TestFingerprintDiffers(t *testing.T) {
	base := NewFingerprint("v1", document.Options{}, extract.Options{}, "offline", "k1", "p1", "abc")
	if base != NewFingerprint("v1", document.Options{OCR: document.OCRAuto}, extract.Options{}, "offline", "k1", "p1", "abc") {
		t.Error("OCR \"\" and auto should be the same fingerprint")
	}
	others := []Fingerprint{
		NewFingerprint("v2", document.Options{}, extract.Options{}, "offline", "k1", "p1", "abc"),
		NewFingerprint("v1", document.Options{OCR: document.OCROff}, extract.Options{}, "offline", "k1", "p1", "abc"),
		NewFingerprint("v1", document.Options{}, extract.Options{MaxCandidates: 3}, "offline", "k1", "p1", "abc"),
		NewFingerprint("v1", document.Options{}, extract.Options{}, "claude", "k1", "p1", "abc"),
		NewFingerprint("v1", document.Options{}, extract.Options{}, "offline", "k2", "p1", "abc"),
		NewFingerprint("v1", document.Options{}, extract.Options{}, "offline", "k1", "p2", "abc"),
		NewFingerprint("v1", document.Options{}, extract.Options{}, "offline", "k1", "p1", "abd"),
	}
	for i, o := range others {
		if o.String() == base.String() {
			t.Errorf("variant %d has the base fingerprint %q", i, o)
		}
	}
}

func TestRetryOnce(t *testing.T) {
	h := newHarness(t, threeBooks)
	h.cls.fail = func(_ context.Context, source string, call int) error {
		switch {
		case source == "dragons.txt" && call == 1:
			return fault.Retryable(errors.New("transient API error"), 0)
		case source == "spells/wizardry.md":
			return fault.Retryable(errors.New("always broken"), 0)
		}
		return nil
	}
	sum, err := h.run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Processed != 2 || sum.Failed != 1 || len(sum.Failures) != 1 {
		t.Fatalf("summary: %+v", sum)
	}
	f := sum.Failures[0]
	if f.Path != "spells/wizardry.md" || f.Stage != StageClassify || f.Attempts != 2 || f.Err == nil {
		t.Errorf("failure: %+v", f)
	}
	for _, r := range h.got {
		if r.Path == "dragons.txt" && (r.Status != StatusSuccess || r.Attempts != 2) {
			t.Errorf("dragons.txt: %+v", r)
		}
	}
	// Only extraction's work is kept across attempts: the retry classifies
	// again but does not parse again.
	if n := h.parses.Load(); n != 3 {
		t.Errorf("parsed %d times, want 3", n)
	}
	log, err := os.ReadFile(h.out(ErrorLogName))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(log)), "\n")
	if len(lines) != 3 {
		t.Fatalf("error log has %d lines, want 3:\n%s", len(lines), log)
	}
	var e ErrorLogEntry
	if err := json.Unmarshal([]byte(lines[2]), &e); err != nil {
		t.Fatal(err)
	}
	if e.Document == "" || e.Stage != StageClassify || e.Attempt == 0 || e.Error == "" || e.Time.IsZero() {
		t.Errorf("log entry: %+v", e)
	}
	if !strings.Contains(string(log), `"document":"spells/wizardry.md"`) {
		t.Errorf("log does not name the failing document:\n%s", log)
	}
	// The failed document is not in the manifest; the next run retries it.
	if _, ok := readManifest(t, h.out(ManifestName)).Documents["spells/wizardry.md"]; ok {
		t.Error("failed document recorded in the manifest")
	}
	h.cls.fail = nil
	sum, err = h.run(context.Background(), nil)
	if err != nil || sum.Processed != 1 || sum.Skipped != 2 {
		t.Errorf("re-run: %+v, %v", sum, err)
	}
}

func TestPermanentFailureNotRetried(t *testing.T) {
	files := map[string]string{"good.txt": "A goblin with a sword.", "picture.pdf": "\x89PNG\r\n\x1a\nrest"}
	h := newHarness(t, files)
	sum, err := h.run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 1 || sum.Processed != 1 {
		t.Fatalf("summary: %+v", sum)
	}
	f := sum.Failures[0]
	if f.Path != "picture.pdf" || f.Attempts != 1 || f.Stage != StageParse || !errors.Is(f.Err, document.ErrUnsupported) {
		t.Errorf("failure: %+v", f)
	}
}

func TestPanicIsAFailure(t *testing.T) {
	h := newHarness(t, threeBooks)
	h.cls.fail = func(_ context.Context, source string, _ int) error {
		if source == "dragons.txt" {
			panic("boom")
		}
		return nil
	}
	sum, err := h.run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 1 || sum.Processed != 2 || !strings.Contains(sum.Failures[0].Err.Error(), "boom") {
		t.Fatalf("summary: %+v", sum)
	}
}

func TestCancelRecordsFinishedAndResumes(t *testing.T) {
	files := map[string]string{}
	for i := range 8 {
		files[fmt.Sprintf("book%02d.txt", i)] = fmt.Sprintf("Chapter %d tells of dragons, wizards and the sword number%d.", i, i)
	}
	// The reference: an uninterrupted run.
	ref := newHarness(t, files)
	if _, err := ref.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}

	h := newHarness(t, files)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.cls.fail = func(ctx context.Context, source string, _ int) error {
		if source == "book03.txt" { // cancel while this one is in flight
			cancel()
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}
	sum, err := h.run(ctx, func(cfg *Config) { cfg.Workers = 1 })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if sum.Processed != 3 || sum.Interrupted != 1 || sum.Failed != 0 || sum.Consolidated != nil {
		t.Fatalf("interrupted summary: %+v", sum)
	}
	m := readManifest(t, h.out(ManifestName))
	if len(m.Documents) != 3 {
		t.Errorf("manifest has %d documents, want 3", len(m.Documents))
	}
	if _, err := os.Stat(h.out("book03.vocab.json")); err == nil {
		t.Error("the interrupted document has a vocab file")
	}
	assertNoTempFiles(t, h.out(""))
	if _, err := os.Stat(h.out(ErrorLogName)); err == nil {
		if data, _ := os.ReadFile(h.out(ErrorLogName)); len(data) > 0 {
			t.Errorf("an interruption was logged as an error:\n%s", data)
		}
	}

	h.cls.fail = nil
	sum, err = h.run(context.Background(), func(cfg *Config) { cfg.Workers = 1 })
	if err != nil || sum.Skipped != 3 || sum.Processed != 5 {
		t.Fatalf("resumed run: %+v, %v", sum, err)
	}
	want, _ := os.ReadFile(ref.out(vocab.MasterFile))
	got, _ := os.ReadFile(h.out(vocab.MasterFile))
	if len(want) == 0 || !bytes.Equal(got, want) {
		t.Errorf("resumed master differs from the uninterrupted one:\n%s\nwant:\n%s", got, want)
	}
}

func assertNoTempFiles(t *testing.T, root string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), atomicfile.TempPrefix) {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

func TestStaleTempFilesCleaned(t *testing.T) {
	h := newHarness(t, threeBooks)
	stale := []string{h.out(atomicfile.TempPrefix + "master.vocab.json-123"), h.out("spells/" + atomicfile.TempPrefix + "wizardry.vocab.json-9")}
	for _, p := range stale {
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("{half"), 0o644)
	}
	if _, err := h.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	assertNoTempFiles(t, h.out(""))
}

func TestNoDocuments(t *testing.T) {
	h := newHarness(t, map[string]string{"notes.rtf": "x", ".hidden/a.txt": "hidden"})
	_, err := h.run(context.Background(), nil)
	if !errors.Is(err, ErrNoDocuments) {
		t.Fatalf("err = %v, want ErrNoDocuments", err)
	}
	if _, err := os.Stat(h.out("")); err == nil {
		t.Error("output folder created for nothing")
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	h := newHarness(t, threeBooks)
	sum, err := h.run(context.Background(), func(cfg *Config) { cfg.DryRun = true })
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.DryRun) != 3 || sum.DryRun[0] != "dragons.txt" {
		t.Errorf("dry run lists %v", sum.DryRun)
	}
	if _, err := os.Stat(h.out("")); err == nil {
		t.Error("dry run created the output folder")
	}
	if h.cls.calls.Load() != 0 {
		t.Error("dry run classified")
	}
	// After a real run, a dry run has nothing left to do.
	h.run(context.Background(), nil)
	sum, err = h.run(context.Background(), func(cfg *Config) { cfg.DryRun = true })
	if err != nil || len(sum.DryRun) != 0 || sum.Skipped != 3 {
		t.Errorf("dry run after a run: %+v, %v", sum, err)
	}
}

type estimatingClassifier struct{ *fakeClassifier }

func (estimatingClassifier) Estimate(terms []extract.Candidate) classify.Estimate {
	e := classify.Estimate{Terms: len(terms), ToSend: len(terms), Requests: 1, PriceKnown: true}
	e.Usage.CostUSD = 0.001 * float64(len(terms))
	return e
}

func TestDryRunEstimate(t *testing.T) {
	// "dragon" and "ancient" appear in two documents: counted once.
	h := newHarness(t, map[string]string{"a.txt": "ancient dragon", "b.txt": "ancient dragon wizard"})
	sum, err := h.run(context.Background(), func(cfg *Config) {
		cfg.DryRun = true
		cfg.Classifier = estimatingClassifier{h.cls}
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Estimate == nil || sum.Estimate.Terms != 3 || sum.Estimate.Usage.CostUSD != 0.003 {
		t.Errorf("estimate: %+v", sum.Estimate)
	}
	if h.cls.calls.Load() != 0 {
		t.Error("the estimate classified")
	}
}

func TestVanishedAndRenamedSourcesPruned(t *testing.T) {
	h := newHarness(t, threeBooks)
	if _, err := h.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(h.in, "spells/necromancy.md"))
	// A second format of dragons appears: both vocab files get the extension.
	writeFiles(t, h.in, map[string]string{"dragons.md": "Dragons in markdown."})
	if _, err := h.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"spells/necromancy.vocab.json", "dragons.vocab.json"} {
		if _, err := os.Stat(h.out(gone)); err == nil {
			t.Errorf("%s still there", gone)
		}
	}
	for _, there := range []string{"dragons.txt.vocab.json", "dragons.md.vocab.json"} {
		if _, err := os.Stat(h.out(there)); err != nil {
			t.Errorf("%s missing", there)
		}
	}
	m := readManifest(t, h.out(ManifestName))
	if _, ok := m.Documents["spells/necromancy.md"]; ok || len(m.Documents) != 3 {
		t.Errorf("manifest documents: %v", m.Documents)
	}
}

func TestSecondRunOnSameOutputIsLocked(t *testing.T) {
	h := newHarness(t, threeBooks)
	out := h.out("")
	os.MkdirAll(out, 0o755)
	unlock, err := lockDir(filepath.Join(out, LockName))
	if err != nil {
		t.Skip("no file locking here:", err)
	}
	defer unlock()
	_, err = h.run(context.Background(), nil)
	if !errors.Is(err, ErrLocked) {
		t.Errorf("err = %v, want ErrLocked", err)
	}
	// The refusal says who holds the lock (this test process, here).
	if runtime.GOOS != "windows" && !strings.Contains(fmt.Sprint(err), fmt.Sprintf("pid %d, since ", os.Getpid())) {
		t.Errorf("err = %v: want the holder's pid and start time", err)
	}
}

func TestEventsAndCallbacks(t *testing.T) {
	h := newHarness(t, threeBooks)
	if _, err := h.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(h.got) != 3 {
		t.Fatalf("%d results, want 3", len(h.got))
	}
	kinds := map[EventKind]int{}
	stagesSeen := map[Stage]bool{}
	for _, e := range h.events {
		kinds[e.Kind]++
		if e.Kind == EventStage {
			stagesSeen[e.Stage] = true
		}
	}
	if kinds[EventStart] != 1 || kinds[EventDocument] != 3 || kinds[EventConsolidate] != 1 {
		t.Errorf("event kinds: %v", kinds)
	}
	for _, s := range []Stage{StageParse, StageExtract, StageClassify, StageWrite} {
		if !stagesSeen[s] {
			t.Errorf("no %s stage event", s)
		}
	}
	if h.events[0].Kind != EventStart || h.events[0].Total != 3 || h.events[0].Pending != 3 {
		t.Errorf("first event: %+v", h.events[0])
	}
}

func TestCorruptManifestIsAnError(t *testing.T) {
	h := newHarness(t, threeBooks)
	os.MkdirAll(h.out(""), 0o755)
	os.WriteFile(h.out(ManifestName), []byte("{not json"), 0o644)
	if _, err := h.run(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("err = %v, want a manifest error suggesting --force", err)
	}
}

// progressiveClassifier reports its terms in chunks of two.
type progressiveClassifier struct{ *fakeClassifier }

func (c progressiveClassifier) ClassifyEach(ctx context.Context, req classify.Request, each func([]int, []classify.Term)) (classify.Result, error) {
	res, err := c.Classify(ctx, req)
	for i := 0; i < len(res.Terms); i += 2 {
		end := min(i+2, len(res.Terms))
		idx := []int{}
		for j := i; j < end; j++ {
			idx = append(idx, j)
		}
		each(idx, res.Terms[i:end])
	}
	return res, err
}

// TestRetryOnlyMarked: a document gets a second attempt only for an error
// marked retryable where it arose; a no-retry error (an API 400, an
// encrypted file) and an error nobody marked fail at once.
func TestRetryOnlyMarked(t *testing.T) {
	cases := []struct {
		name     string
		err      error
		attempts int
	}{
		{"retryable", fault.Retryable(errors.New("HTTP 529 overloaded"), 0), 2},
		{"retryable under a wrapper", fmt.Errorf("classify: gave up: %w", fault.Retryable(errors.New("HTTP 500"), 0)), 2},
		{"no-retry", fault.MarkNoRetry(errors.New("HTTP 400: bad request")), 1},
		{"invalid answers", fault.MarkNoRetry(errors.New("12 of 40 terms never came back valid")), 1},
		{"unmarked", errors.New("something nobody recognised"), 1},
		{"document error", fmt.Errorf("%w: bad xref", document.ErrMalformed), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, map[string]string{"a.txt": "dragon wizard"})
			h.cls.fail = func(context.Context, string, int) error { return c.err }
			sum, err := h.run(context.Background(), func(cfg *Config) { cfg.RetryDelay = -1 })
			if err != nil {
				t.Fatal(err)
			}
			if sum.Failed != 1 || sum.Failures[0].Attempts != c.attempts {
				t.Errorf("failures %+v, want one after %d attempt(s)", sum.Failures, c.attempts)
			}
		})
	}
}

func TestProgressEvents(t *testing.T) {
	h := newHarness(t, map[string]string{"a.txt": "dragon wizard sword castle goblin"})
	if _, err := h.run(context.Background(), func(cfg *Config) { cfg.Classifier = progressiveClassifier{h.cls} }); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range h.events {
		if e.Kind == EventProgress {
			got = append(got, fmt.Sprintf("%d/%d", e.Done, e.Of))
		}
	}
	if strings.Join(got, " ") != "2/5 4/5 5/5" {
		t.Errorf("progress events %v", got)
	}
}

func TestStopOnFatalError(t *testing.T) {
	errBudget := fault.MarkFatal(errors.New("cost limit reached"))
	files := map[string]string{}
	for i := range 5 {
		files[fmt.Sprintf("b%d.txt", i)] = fmt.Sprintf("dragon number%d", i)
	}
	h := newHarness(t, files)
	h.cls.fail = func(_ context.Context, source string, _ int) error {
		if source == "b1.txt" {
			return fmt.Errorf("classify: %w", errBudget)
		}
		return nil
	}
	sum, err := h.run(context.Background(), func(cfg *Config) {
		cfg.Workers = 1
	})
	if !errors.Is(err, errBudget) || !strings.Contains(err.Error(), "b1.txt") {
		t.Fatalf("err = %v, want the budget error naming b1.txt", err)
	}
	if sum.Processed != 1 || sum.Failed != 1 || sum.Failures[0].Attempts != 1 || sum.Consolidated != nil {
		t.Errorf("summary: %+v", sum)
	}
	if got := h.statuses(); len(got) != 2 {
		t.Errorf("documents reported: %v (the rest should not start)", got)
	}
}

func TestBlocklistChangeOnlyReflags(t *testing.T) {
	blocklist := func(t *testing.T, terms ...string) *ipreview.Blocklist {
		path := filepath.Join(t.TempDir(), "bl.json")
		data, _ := json.Marshal(map[string][]string{"Test Franchise": terms})
		os.WriteFile(path, data, 0o644)
		bl, err := ipreview.LoadBlocklist(path)
		if err != nil {
			t.Fatal(err)
		}
		return bl
	}
	withA := func(cfg *Config) { cfg.Blocklist = blocklist(t, "necromancer") }
	withB := func(cfg *Config) { cfg.Blocklist = blocklist(t, "dragon", "wizard") }

	h := newHarness(t, threeBooks)
	if _, err := h.run(context.Background(), withA); err != nil {
		t.Fatal(err)
	}
	calls, parses := h.cls.calls.Load(), h.parses.Load()
	sum, err := h.run(context.Background(), withB)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Processed != 3 || h.cls.calls.Load() != calls || h.parses.Load() != parses {
		t.Fatalf("a blocklist change parsed or classified again: %+v", sum)
	}
	for _, r := range h.got {
		if !r.Reflagged {
			t.Errorf("%s not re-flagged: %+v", r.Path, r)
		}
	}
	// The same as a fresh run with the new blocklist.
	fresh := newHarness(t, threeBooks)
	if _, err := fresh.run(context.Background(), withB); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"dragons.vocab.json", "spells/wizardry.vocab.json", "spells/necromancy.vocab.json"} {
		var got, want fakeVocab
		for _, x := range []struct {
			h *harness
			v *fakeVocab
		}{{h, &got}, {fresh, &want}} {
			data, err := os.ReadFile(x.h.out(v))
			if err != nil {
				t.Fatal(err)
			}
			json.Unmarshal(data, x.v)
			x.v.At = time.Time{}
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if !bytes.Equal(g, w) {
			t.Errorf("%s after re-flagging:\n%s\nfresh run:\n%s", v, g, w)
		}
	}
	if sum.TermsFlagged == 0 {
		t.Error("nothing flagged by the new blocklist")
	}
	// A third run has nothing to do.
	if sum, _ := h.run(context.Background(), withB); sum.Skipped != 3 {
		t.Errorf("third run: %+v", sum)
	}
}

func TestLargestDocumentsFirst(t *testing.T) {
	h := newHarness(t, map[string]string{"a.txt": "small dragon", "b.txt": strings.Repeat("enormous wyvern ", 50), "c.txt": "medium sized griffon here"})
	if _, err := h.run(context.Background(), func(cfg *Config) { cfg.Workers = 1 }); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range h.got {
		order = append(order, r.Path)
	}
	if got := strings.Join(order, " "); got != "b.txt c.txt a.txt" {
		t.Errorf("processing order %s, want the largest first", got)
	}
}
