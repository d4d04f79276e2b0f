package batch

import (
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// Status is how a document ended in a run.
type Status string

// The statuses.
const (
	StatusSuccess Status = "success" // processed and written
	StatusFailed  Status = "failed"  // failed on every attempt
	StatusSkipped Status = "skipped" // unchanged since the run recorded in the manifest
	// StatusInterrupted marks a document cancelled mid-way by an interruption;
	// nothing of it was recorded and the next run processes it.
	StatusInterrupted Status = "interrupted"
)

// Stage is a step of the per-document pipeline.
type Stage string

// The stages, in pipeline order.
const (
	StageQueued   Stage = "queued"
	StageHash     Stage = "hash"
	StageParse    Stage = "parse"
	StageExtract  Stage = "extract"
	StageClassify Stage = "classify"
	StageFlag     Stage = "flag"
	StageWrite    Stage = "write"
	StageManifest Stage = "manifest"
)

// DocumentResult is what happened to one document.
type DocumentResult struct {
	// Path is the document's path relative to the input folder, "/"-separated.
	Path string `json:"path"`
	// Status says how the document ended.
	Status Status `json:"status"`
	// TermsExtracted, TermsClassified and TermsFlagged count this run's terms;
	// for a skipped document they repeat the manifest's counts.
	TermsExtracted  int `json:"terms_extracted"`
	TermsClassified int `json:"terms_classified"`
	TermsFlagged    int `json:"terms_flagged"`
	// TermsDropped counts the candidates extraction dropped as plain
	// English or fragments in this run (0 for a skipped document).
	TermsDropped int `json:"terms_dropped"`
	// Reflagged says that only the IP check ran again: the blocklist was the
	// only part of the pipeline that changed since the document was done.
	Reflagged bool `json:"reflagged,omitempty"`
	// VocabPath is the vocab file, relative to the output folder.
	VocabPath string `json:"vocab_path,omitempty"`
	// Stage is where the last attempt failed (failed documents only).
	Stage Stage `json:"stage,omitempty"`
	// Err is the last attempt's error (failed documents only).
	Err error `json:"-"`
	// Attempts is how many times the pipeline ran for this document.
	Attempts int `json:"attempts"`
	// Worker names the cluster worker that did the last attempt (batches
	// run with --nats only).
	Worker string `json:"worker,omitempty"`
	// Duration is the wall time spent on the document, retries included.
	Duration time.Duration `json:"-"`
	// Usage is what classifying this document cost.
	Usage classify.Usage `json:"usage"`
}

// Summary is the account of a whole run.
type Summary struct {
	InputDir  string `json:"input_dir"`
	OutputDir string `json:"output_dir"`
	// Documents is how many supported documents were found.
	Documents   int `json:"documents"`
	Processed   int `json:"processed"`
	Skipped     int `json:"skipped"`
	Failed      int `json:"failed"`
	Interrupted int `json:"interrupted"`
	// Terms counts cover the documents processed in this run.
	TermsExtracted  int `json:"terms_extracted"`
	TermsClassified int `json:"terms_classified"`
	TermsFlagged    int `json:"terms_flagged"`
	// TermsDropped counts the candidates dropped as plain English or
	// fragments (extract.Options.KeepGeneric keeps them).
	TermsDropped int `json:"terms_dropped"`
	// Usage sums the classifier's usage: requests, cache hits, tokens, cost.
	Usage classify.Usage `json:"usage"`
	// WallTime is the run's duration, consolidation included.
	WallTime time.Duration `json:"-"`
	// Consolidated is set when consolidation ran.
	Consolidated *vocab.ConsolidateSummary `json:"consolidated,omitempty"`
	// Failures lists the failed documents in path order.
	Failures []DocumentResult `json:"-"`
	// DryRun lists, in a dry run, the documents that would be processed.
	DryRun []string `json:"dry_run,omitempty"`
	// Estimate is the classifier's cost estimate for a dry run, when it
	// offers one (classify.Estimator).
	Estimate *classify.Estimate `json:"estimate,omitempty"`
}

// EventKind says what an Event reports.
type EventKind string

// The event kinds.
const (
	// EventStart: discovery is done; Total documents found, Pending to process.
	EventStart EventKind = "start"
	// EventStage: Document entered Stage (Attempt says which attempt).
	EventStage EventKind = "stage"
	// EventDocument: Document finished; Result says how.
	EventDocument EventKind = "document"
	// EventProgress: Document has Done of Of terms classified.
	EventProgress EventKind = "progress"
	// EventRetry: Document failed at Stage and will be retried after a pause.
	EventRetry EventKind = "retry"
	// EventConsolidate: consolidation into the master started.
	EventConsolidate EventKind = "consolidate"
)

// Event is a progress report. Only the fields its Kind names are set.
type Event struct {
	Kind     EventKind
	Time     time.Time
	Document string
	Stage    Stage
	Attempt  int
	Err      error
	Total    int
	Pending  int
	Done     int
	Of       int
	Result   *DocumentResult
	// Worker names the cluster worker that has Document (--nats only).
	Worker string
}
