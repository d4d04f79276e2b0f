package cli

import (
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
)

// EventSchema names the shape of `corpora batch --json` events; every event
// carries it in its "schema" field. A change that removes or renames a field,
// or changes a field's meaning, takes a new number; an added field does not.
// docs/events.md describes the events and docs/schema/event.schema.json
// checks them.
const EventSchema = "corpora.event/1"

// The event names.
const (
	eventStart    = "start"
	eventDocument = "document"
	eventSummary  = "summary"
	eventError    = "error"
)

// eventHeader opens every event.
type eventHeader struct {
	Schema string    `json:"schema"`
	Event  string    `json:"event"`
	Time   time.Time `json:"time"`
}

func header(event string, t time.Time) eventHeader {
	if t.IsZero() {
		t = time.Now()
	}
	return eventHeader{Schema: EventSchema, Event: event, Time: t.UTC()}
}

// eventWriter writes JSON-lines events on stdout, one Encode (one write)
// per event, and remembers the first write that failed.
type eventWriter struct {
	mu     sync.Mutex
	enc    *json.Encoder
	outErr error
	// closed is set once the run's last event (summary or error) is out.
	closed bool
}

func newEventWriter(w io.Writer) *eventWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &eventWriter{enc: enc}
}

func (ew *eventWriter) emit(v any) {
	if ew == nil {
		return
	}
	ew.mu.Lock()
	defer ew.mu.Unlock()
	if ew.closed {
		return
	}
	if err := ew.enc.Encode(v); err != nil && ew.outErr == nil {
		ew.outErr = err
	}
}

// last emits the run's final event; later events are dropped.
func (ew *eventWriter) last(v any) {
	if ew == nil {
		return
	}
	ew.emit(v)
	ew.mu.Lock()
	ew.closed = true
	ew.mu.Unlock()
}

// done reports whether the final event is out.
func (ew *eventWriter) done() bool {
	if ew == nil {
		return true
	}
	ew.mu.Lock()
	defer ew.mu.Unlock()
	return ew.closed
}

// failed returns the first event that could not be written, if any.
func (ew *eventWriter) failed() error {
	if ew == nil {
		return nil
	}
	ew.mu.Lock()
	defer ew.mu.Unlock()
	return ew.outErr
}

// jsonStart opens the stream: what the run found and how it will work.
type jsonStart struct {
	eventHeader
	Version    string `json:"corpora_version"`
	InputDir   string `json:"input_dir"`
	OutputDir  string `json:"output_dir"`
	Classifier string `json:"classifier"`
	Workers    int    `json:"workers"`
	Documents  int    `json:"documents"`
	Pending    int    `json:"pending"`
	DryRun     bool   `json:"dry_run,omitempty"`
}

// jsonDocument reports one finished document. The terms_* counts are this
// run's work: all zero for a skipped document, whose vocab file (made by an
// earlier run) is described by vocab_terms and vocab_flagged instead. A
// failed or interrupted document names no vocab file: none was written.
type jsonDocument struct {
	eventHeader
	Path            string       `json:"path"`
	Status          batch.Status `json:"status"`
	TermsExtracted  int          `json:"terms_extracted"`
	TermsClassified int          `json:"terms_classified"`
	TermsFlagged    int          `json:"terms_flagged"`
	TermsDropped    int          `json:"terms_dropped"`
	Reflagged       bool         `json:"reflagged,omitempty"`
	// VocabPath, VocabTerms and VocabFlagged describe the document's vocab
	// file, for a document that has one (success or skipped).
	VocabPath    string         `json:"vocab_path,omitempty"`
	VocabTerms   *int           `json:"vocab_terms,omitempty"`
	VocabFlagged *int           `json:"vocab_flagged,omitempty"`
	Stage        batch.Stage    `json:"stage,omitempty"`
	Error        string         `json:"error,omitempty"`
	Attempts     int            `json:"attempts"`
	Worker       string         `json:"worker,omitempty"` // the cluster worker of the last attempt (--nats)
	Usage        classify.Usage `json:"usage"`
	DurationMS   int64          `json:"duration_ms"`
}

func newJSONDocument(d batch.DocumentResult, now time.Time) jsonDocument {
	j := jsonDocument{eventHeader: header(eventDocument, now), Path: d.Path, Status: d.Status, Attempts: d.Attempts,
		Usage: d.Usage, DurationMS: d.Duration.Milliseconds(), Reflagged: d.Reflagged, Worker: d.Worker}
	switch d.Status {
	case batch.StatusSuccess:
		j.TermsExtracted, j.TermsClassified, j.TermsFlagged, j.TermsDropped = d.TermsExtracted, d.TermsClassified, d.TermsFlagged, d.TermsDropped
		j.VocabPath = d.VocabPath
		j.VocabTerms, j.VocabFlagged = ptr(d.TermsClassified), ptr(d.TermsFlagged)
	case batch.StatusSkipped:
		// The processor repeats the manifest's counts in the terms_*
		// fields; they are the earlier run's, not this one's.
		j.VocabPath = d.VocabPath
		j.VocabTerms, j.VocabFlagged = ptr(d.TermsClassified), ptr(d.TermsFlagged)
	case batch.StatusFailed, batch.StatusInterrupted:
		j.Stage = d.Stage
		if d.Status == batch.StatusFailed {
			j.Error = errText(d)
		}
	}
	return j
}

func ptr(n int) *int { return &n }

type jsonFailure struct {
	Path     string      `json:"path"`
	Stage    batch.Stage `json:"stage"`
	Attempts int         `json:"attempts"`
	Error    string      `json:"error"`
}

// jsonSummary closes the stream of a run that got as far as processing.
type jsonSummary struct {
	eventHeader
	InputDir  string `json:"input_dir"`
	OutputDir string `json:"output_dir"`
	Documents int    `json:"documents"`
	Processed int    `json:"processed"`
	Skipped   int    `json:"skipped"`
	Failed    int    `json:"failed"`
	// Interrupted counts every document an interruption left undone,
	// cancelled mid-way or never started: the next run does them.
	// Processed + skipped + failed + interrupted = documents, except in a
	// dry run.
	Interrupted     int                `json:"interrupted"`
	TermsExtracted  int                `json:"terms_extracted"`
	TermsClassified int                `json:"terms_classified"`
	TermsFlagged    int                `json:"terms_flagged"`
	TermsDropped    int                `json:"terms_dropped"`
	Usage           classify.Usage     `json:"usage"`
	Consolidated    *jsonConsolidated  `json:"consolidated,omitempty"`
	DryRun          []string           `json:"dry_run,omitempty"`
	Estimate        *classify.Estimate `json:"estimate,omitempty"`
	WallTimeMS      int64              `json:"wall_time_ms"`
	Failures        []jsonFailure      `json:"failures"`
	ExitCode        int                `json:"exit_code"`
}

// jsonConsolidated is what consolidation made of the master. Its counts are
// unique master terms, where the document counts are per book (a name
// flagged in two books is 2 in terms_flagged and 1 in flagged).
type jsonConsolidated struct {
	Master  string `json:"master"`
	Queue   string `json:"queue"`
	Total   int    `json:"total"`
	New     int    `json:"new"`
	Updated int    `json:"updated"`
	Removed int    `json:"removed"`
	Flagged int    `json:"flagged"`
	Files   int    `json:"files"`
	Read    int    `json:"read"`
	Written bool   `json:"written"`
}

func newJSONSummary(sum batch.Summary, code int, dryRun bool, now time.Time) jsonSummary {
	js := jsonSummary{eventHeader: header(eventSummary, now), InputDir: sum.InputDir, OutputDir: sum.OutputDir,
		Documents: sum.Documents, Processed: sum.Processed, Skipped: sum.Skipped, Failed: sum.Failed,
		TermsExtracted: sum.TermsExtracted, TermsClassified: sum.TermsClassified, TermsFlagged: sum.TermsFlagged,
		TermsDropped: sum.TermsDropped, Usage: sum.Usage, DryRun: sum.DryRun, Estimate: sum.Estimate,
		WallTimeMS: sum.WallTime.Milliseconds(), Failures: []jsonFailure{}, ExitCode: code}
	if !dryRun {
		js.Interrupted = max(0, sum.Documents-sum.Processed-sum.Skipped-sum.Failed)
	}
	if c := sum.Consolidated; c != nil {
		js.Consolidated = &jsonConsolidated{Master: c.Master, Queue: c.Queue, Total: c.Total, New: c.New, Updated: c.Updated,
			Removed: c.Removed, Flagged: c.Flagged, Files: c.Files, Read: c.Read, Written: c.Written}
	}
	for _, f := range sum.Failures {
		js.Failures = append(js.Failures, jsonFailure{Path: f.Path, Stage: f.Stage, Attempts: f.Attempts, Error: failReason(f)})
	}
	return js
}

// jsonError closes the stream of a run that stopped before processing
// (no documents, classifier unavailable, output not writable, output folder
// in use): the one-line message the terminal gets, and the exit code.
type jsonError struct {
	eventHeader
	Error    string `json:"error"`
	ExitCode int    `json:"exit_code"`
}

func newJSONError(msg string, code int, now time.Time) jsonError {
	return jsonError{eventHeader: header(eventError, now), Error: msg, ExitCode: code}
}
