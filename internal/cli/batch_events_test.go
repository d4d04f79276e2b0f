package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/vocab"
)

func TestJSONDocumentCounts(t *testing.T) {
	at := time.Date(2026, 12, 6, 17, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   batch.DocumentResult
		want string
	}{
		{"success", batch.DocumentResult{Path: "a.md", Status: batch.StatusSuccess, TermsExtracted: 10, TermsClassified: 9, TermsFlagged: 1, TermsDropped: 3, VocabPath: "a.vocab.json", Attempts: 1},
			`"terms_extracted":10,"terms_classified":9,"terms_flagged":1,"terms_dropped":3,"vocab_path":"a.vocab.json","vocab_terms":9,"vocab_flagged":1,"attempts":1`},
		// The processor repeats the manifest's counts for a skipped
		// document: they are not this run's work.
		{"skipped", batch.DocumentResult{Path: "a.md", Status: batch.StatusSkipped, TermsClassified: 519, TermsFlagged: 4, VocabPath: "a.vocab.json"},
			`"terms_extracted":0,"terms_classified":0,"terms_flagged":0,"terms_dropped":0,"vocab_path":"a.vocab.json","vocab_terms":519,"vocab_flagged":4,"attempts":0`},
		{"failed", batch.DocumentResult{Path: "a.md", Status: batch.StatusFailed, Stage: batch.StageParse, Err: errors.New("bad zip"), VocabPath: "a.vocab.json", Attempts: 1},
			`"terms_extracted":0,"terms_classified":0,"terms_flagged":0,"terms_dropped":0,"stage":"parse","error":"bad zip","attempts":1`},
		{"interrupted", batch.DocumentResult{Path: "a.md", Status: batch.StatusInterrupted, Stage: batch.StageClassify, Err: errors.New("context canceled"), VocabPath: "a.vocab.json"},
			`"terms_extracted":0,"terms_classified":0,"terms_flagged":0,"terms_dropped":0,"stage":"classify","attempts":0`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(newJSONDocument(tc.in, at))
			if err != nil {
				t.Fatal(err)
			}
			want := `{"schema":"corpora.event/1","event":"document","time":"2026-12-06T17:00:00Z","path":"a.md","status":"` + string(tc.in.Status) + `",` + tc.want
			if !strings.HasPrefix(string(b), want) {
				t.Errorf("got  %s\nwant %s...", b, want)
			}
		})
	}
}

func TestJSONSummaryCountsEveryDocument(t *testing.T) {
	sum := batch.Summary{Documents: 10, Processed: 4, Skipped: 2, Failed: 1, Interrupted: 1,
		Usage: classify.Usage{CostUSD: 0.48639004999999996}}
	js := newJSONSummary(sum, ExitInterrupted, false, time.Now())
	if js.Interrupted != 3 { // 1 cancelled mid-way, 2 never started
		t.Errorf("interrupted = %d, want 3", js.Interrupted)
	}
	if js.Processed+js.Skipped+js.Failed+js.Interrupted != js.Documents {
		t.Errorf("counts do not add up: %+v", js)
	}
	b, err := json.Marshal(js)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"cost_usd":0.48639}`)) || !bytes.Contains(b, []byte(`"schema":"corpora.event/1"`)) {
		t.Errorf("summary: %s", b)
	}
	if dry := newJSONSummary(batch.Summary{Documents: 3, DryRun: []string{"a", "b"}}, 0, true, time.Now()); dry.Interrupted != 0 {
		t.Errorf("a dry run counts %d interrupted", dry.Interrupted)
	}
}

// The stream's last event closes it: nothing is written after it.
func TestEventWriterLast(t *testing.T) {
	var b bytes.Buffer
	ew := newEventWriter(&b)
	ew.emit(map[string]int{"a": 1})
	ew.last(newJSONError("batch: no documents", ExitNoInput, time.Now()))
	ew.emit(map[string]int{"b": 2})
	if n := strings.Count(b.String(), "\n"); n != 2 || !ew.done() {
		t.Errorf("%d lines, done %v:\n%s", n, ew.done(), b.String())
	}
	var nilWriter *eventWriter
	nilWriter.emit(1) // without --json: no writer, no panic
	if !nilWriter.done() || nilWriter.failed() != nil {
		t.Error("a nil writer")
	}
}

// The human summary labels per-book and unique master counts, says when
// nothing was processed, and names the next commands as this build runs them.
func TestBatchSummaryLabels(t *testing.T) {
	c := &vocab.ConsolidateSummary{Total: 831, New: 831, Flagged: 18}
	tests := []struct {
		name string
		sum  batch.Summary
		next nextCommands
		want []string
		not  []string
	}{
		{"processed", batch.Summary{OutputDir: "out", Documents: 5, Processed: 5, TermsExtracted: 1032, TermsClassified: 1032, TermsFlagged: 19, Consolidated: c},
			nextCommands{},
			[]string{"19 flagged, counted per book processed", "831 unique terms", "18 flagged for IP review", "corpora review list --dir out   # review the 18 names flagged for IP review"},
			[]string{"corpora serve"}},
		{"all skipped", batch.Summary{OutputDir: "my out", Documents: 5, Skipped: 5, Consolidated: c},
			nextCommands{reviewPositional: true, serve: true},
			[]string{"terms:     none new (no document processed)", "corpora review list 'my out'", "corpora serve 'my out'"},
			[]string{"0 extracted"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			writeBatchSummary(&b, tc.sum, batchSummaryOptions{next: tc.next})
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("lacks %q:\n%s", w, b.String())
				}
			}
			for _, w := range tc.not {
				if strings.Contains(b.String(), w) {
					t.Errorf("has %q:\n%s", w, b.String())
				}
			}
		})
	}
}
