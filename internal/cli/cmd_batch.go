package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
	"github.com/corpora-tools/corpora/internal/progress"
)

// batchOptions are the flags and dependencies of `corpora batch`.
type batchOptions struct {
	Input         string
	Output        string
	Workers       int
	Force         bool
	Quiet         bool
	JSON          bool
	DryRun        bool
	NoConsolidate bool
	KeepGeneric   bool
	Blocklist     string
	OCR           string
	Password      string
	classifier    classifierFlags

	// newClassifier builds the classifier; tests replace it.
	newClassifier func(ctx context.Context, s *Streams, cacheDir string) (classify.Classifier, func() error, error)
	// retryDelay overrides the pause before a retry (tests).
	retryDelay time.Duration
	// warn routes the classifier's notices; set by newClassifier.
	warn *warnTo
}

func newBatchCmd(s *Streams) *cobra.Command {
	return newBatchCmdWith(s, nil)
}

// newBatchCmdWith builds the command; runF, when set, replaces runBatch (flag
// parsing tests).
func newBatchCmdWith(s *Streams, runF func(context.Context, *batchOptions, *Streams) error) *cobra.Command {
	opts := &batchOptions{}
	opts.newClassifier = func(ctx context.Context, s *Streams, cacheDir string) (classify.Classifier, func() error, error) {
		// A dry run calls nothing: no up-front check of the backend.
		st, err := opts.classifier.setup(ctx, s, cacheDir, !opts.DryRun)
		if err != nil {
			return nil, nil, err
		}
		opts.warn = st.Warn
		return st.Classifier, st.Close, nil
	}
	cmd := &cobra.Command{
		Use:   "batch INPUT_DIR",
		Short: "Run the whole pipeline over a folder of documents, resumably",
		Long: `Batch finds every supported document below INPUT_DIR (PDF, EPUB, DOCX, text,
Markdown, HTML; hidden folders and the output folder are skipped), runs parse,
extract, classify and the IP check on each in parallel, writes
OUT/<relative dir>/<stem>.vocab.json per document, then consolidates them into
OUT/master.vocab.json and the review queue OUT/flagged.json.

A run can be interrupted at any time (Ctrl+C, a crash, kill -9): the next run
skips every document already done with the same content and the same pipeline
(tool version, extraction settings, classifier, model, prompt version and
blocklist) and redoes the rest. --force reprocesses everything.

Workers (-w) default to the number of cores, at most 4: parsing and extraction
never use more cores than the machine has, while API calls are bounded by
--api-concurrency.

Exit codes: 0 all documents succeeded or were already done; 66 no supported
document found; 69 classifier unavailable; 73 cannot write OUT; 75 some
documents failed (see OUT/batch-errors.log), or another batch is writing OUT
(try again when it has finished); 130 interrupted.`,
		Example: `  corpora batch examples/books
  corpora batch ~/books -o ~/vocab -w 2 --classifier offline
  corpora batch ~/books --dry-run --classifier claude
  corpora batch ~/books --json > events.jsonl`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Input = args[0]
			if opts.Workers < 0 {
				return usagef("-w must be at least 1")
			}
			mode, err := ocrMode(opts.OCR)
			if err != nil {
				return err
			}
			opts.OCR = string(mode)
			if runF != nil {
				return runF(cmd.Context(), opts, s)
			}
			return runBatch(cmd.Context(), opts, s)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "output folder (default INPUT_DIR/output)")
	f.IntVarP(&opts.Workers, "workers", "w", 0, fmt.Sprintf("documents processed at once (default %d: cores, at most 4)", batch.DefaultWorkers()))
	f.BoolVarP(&opts.Force, "force", "f", false, "reprocess every document, even those already done")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print only errors and the summary")
	f.BoolVar(&opts.JSON, "json", false, "print JSON-lines events (start, document, summary) on stdout")
	f.BoolVar(&opts.DryRun, "dry-run", false, "list what would be processed and the cost estimate; write nothing")
	f.BoolVar(&opts.NoConsolidate, "no-consolidate", false, "do not update master.vocab.json and flagged.json")
	f.BoolVar(&opts.KeepGeneric, "keep-generic", false, "keep plain English words and fragments (dropped by default)")
	f.StringVarP(&opts.Blocklist, "blocklist", "b", "", "extra blocklist JSON (franchise -> terms) on top of the embedded one")
	addDocumentFlags(f, &opts.OCR, &opts.Password)
	addClassifierFlags(cmd, &opts.classifier)
	return cmd
}

// runBatch runs `corpora batch`.
func runBatch(ctx context.Context, opts *batchOptions, s *Streams) error {
	info, err := os.Stat(opts.Input)
	if err != nil {
		return exitf(ExitNoInput, "batch: %v", err)
	}
	if !info.IsDir() {
		return exitf(ExitNoInput, "batch: %s is not a folder", opts.Input)
	}
	out := opts.Output
	if out == "" {
		out = filepath.Join(opts.Input, "output")
	}

	// Find the documents first: an empty folder is reported as such, before
	// any classifier is checked or any folder created.
	docs, err := batch.Discover(ctx, opts.Input, out, nil)
	if err != nil {
		if ctx.Err() != nil {
			return exitErr(ExitInterrupted, ctx.Err())
		}
		return exitf(ExitNoInput, "batch: %v", err)
	}
	if len(docs) == 0 {
		return exitf(ExitNoInput, "batch: no supported documents in %s (looked for %s)", opts.Input, strings.Join(document.Extensions(), " "))
	}

	// The blocklist is recorded in OUT, so that a later consolidate or
	// review apply there flags by the same list (a dry run writes nothing).
	bl, err := outputBlocklist(s, opts.Blocklist, out, !opts.DryRun)
	if err != nil {
		return fmt.Errorf("batch: blocklist: %w", err)
	}

	if !opts.DryRun {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return exitf(ExitCantCreate, "batch: cannot create output folder: %v", err)
		}
	}
	cacheDir := out
	if _, err := os.Stat(filepath.Join(out, classify.CacheFileName)); opts.DryRun && err != nil {
		// A dry run writes nothing: with no cache yet in OUT, an empty
		// one in a temporary folder answers the estimate's lookups.
		tmp, err := os.MkdirTemp("", "corpora-dry-run-")
		if err != nil {
			return exitf(ExitCantCreate, "batch: %v", err)
		}
		defer os.RemoveAll(tmp)
		cacheDir = tmp
	}
	cls, closeCls, err := opts.newClassifier(ctx, s, cacheDir)
	if err != nil {
		if ctx.Err() != nil {
			return exitErr(ExitInterrupted, ctx.Err())
		}
		var ee *ExitError
		var ue usageError
		if errors.As(err, &ee) || errors.As(err, &ue) {
			return err
		}
		return exitf(ExitUnavailable, "batch: classifier unavailable: %v", err)
	}
	if closeCls != nil {
		defer func() {
			if err := closeCls(); err != nil {
				fmt.Fprintf(s.Err, "corpora: closing the classifier: %v\n", err)
			}
		}()
	}

	password := documentPassword(s, opts.Password)
	rep := newBatchReporter(s, opts, len(docs))
	if opts.warn != nil {
		opts.warn.Set(rep.notice) // under the live display, not through it
	}
	cfg := batch.Config{
		InputDir:      opts.Input,
		OutputDir:     out,
		Workers:       opts.Workers,
		Force:         opts.Force,
		DryRun:        opts.DryRun,
		NoConsolidate: opts.NoConsolidate,
		Blocklist:     bl,
		Classifier:    cls,
		ParseOptions: document.Options{
			OCR:      document.OCRMode(opts.OCR),
			Password: password,
			Limits:   document.DefaultLimits(),
			Warnf:    rep.notice,
		},
		ToolVersion: version(),
		RetryDelay:  opts.retryDelay,
		OnEvent:     rep.event,
		Logf:        rep.notice,
	}
	cfg.ExtractOptions = extract.Options{KeepGeneric: opts.KeepGeneric}
	p, err := batch.New(cfg)
	if err != nil {
		if errors.Is(err, batch.ErrOutput) {
			return exitErr(ExitCantCreate, err)
		}
		return exitErr(ExitDataErr, err)
	}
	rep.begin(cls, p.OutputDir(), workersOrDefault(opts.Workers))
	sum, runErr := p.Run(ctx)
	rep.end()

	code := ExitOK
	switch {
	case runErr == nil && sum.Failed > 0:
		code = ExitPartial
	case runErr == nil:
	case ctx.Err() != nil && errors.Is(runErr, ctx.Err()):
		code = ExitInterrupted
	case errors.Is(runErr, batch.ErrNoDocuments):
		code = ExitNoInput
	case errors.Is(runErr, classify.ErrUnavailable):
		code = ExitUnavailable
	case errors.Is(runErr, classify.ErrBudget):
		code = ExitPartial
		runErr = fmt.Errorf("%w (what was classified is cached: raise --max-cost and run again to continue)", runErr)
	case errors.Is(runErr, batch.ErrLocked):
		// Nothing ran: one line, and 75 (try again later), no summary.
		fmt.Fprintf(s.Err, "corpora: batch: %v; try again when it has finished\n", runErr)
		return silentExit(ExitPartial)
	case errors.Is(runErr, batch.ErrOutput):
		code = ExitCantCreate
	default:
		code = ExitCantCreate // consolidation could not write the master
	}
	if runErr != nil && code != ExitInterrupted {
		fmt.Fprintf(s.Err, "corpora: batch: %v\n", runErr)
	}
	rep.summary(sum, code)
	if err := rep.stdoutFailed(); err != nil && code == ExitOK {
		// The work is done and saved, but the events the caller asked
		// for were lost: that is an output failure, not a success.
		fmt.Fprintf(s.Err, "corpora: batch: --json events: %v\n", stdoutErr(err))
		return silentExit(ExitCantCreate)
	}
	return silentExit(code)
}

// batchReporter turns the processor's events into terminal output: a live
// display on a TTY, one line per document otherwise, JSON lines on stdout
// with --json.
type batchReporter struct {
	s     *Streams
	opts  *batchOptions
	total int

	mu         sync.Mutex
	live       *progress.Display
	jsonEnc    *json.Encoder
	outErr     error // the first JSON event that could not be written
	started    time.Time
	logPath    string
	classifier string
	outDir     string
	workers    int
}

func newBatchReporter(s *Streams, opts *batchOptions, total int) *batchReporter {
	r := &batchReporter{s: s, opts: opts, total: total, started: time.Now()}
	if opts.JSON {
		enc := json.NewEncoder(s.Out)
		enc.SetEscapeHTML(false)
		r.jsonEnc = enc
	}
	return r
}

func (r *batchReporter) begin(cls classify.Classifier, out string, workers int) {
	r.logPath = filepath.Join(out, batch.ErrorLogName)
	r.classifier = cls.Backend() + "/" + cls.Model()
	r.outDir = out
	r.workers = workers
}

// event receives the processor's events; calls are serialised by the processor.
func (r *batchReporter) event(e batch.Event) {
	switch e.Kind {
	case batch.EventStart:
		if r.jsonEnc != nil {
			r.emitJSON(jsonStart{Event: "start", Time: e.Time.UTC(), InputDir: r.opts.Input, OutputDir: r.outDir,
				Classifier: r.classifier, Workers: r.workers, Documents: e.Total, Pending: e.Pending, DryRun: r.opts.DryRun})
		}
		if r.s.live() && !r.opts.Quiet && !r.opts.DryRun && e.Pending > 0 {
			r.mu.Lock()
			// The bar counts the documents to process: skipped ones take
			// no time and would only distort the ETA.
			r.live = progress.New(r.s.Err, e.Pending, progress.Options{Label: "documents", Width: r.termWidth})
			r.mu.Unlock()
		}
	case batch.EventStage:
		if l := r.display(); l != nil {
			l.SetStage(e.Document, string(e.Stage))
		}
	case batch.EventProgress:
		if l := r.display(); l != nil {
			l.SetDetail(e.Document, fmt.Sprintf("%d/%d terms", e.Done, e.Of))
		}
	case batch.EventRetry:
		r.human(fmt.Sprintf("RETRY %s: %s: %v", e.Document, e.Stage, e.Err), true)
	case batch.EventConsolidate:
		if l := r.display(); l != nil {
			l.SetStage("master.vocab.json", "merge")
		}
	case batch.EventDocument:
		r.document(*e.Result)
	}
}

func (r *batchReporter) display() *progress.Display {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.live
}

func (r *batchReporter) termWidth() int {
	if f, ok := r.s.Err.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil {
			return w
		}
	}
	return 80
}

// document reports a finished document.
func (r *batchReporter) document(d batch.DocumentResult) {
	if r.jsonEnc != nil {
		r.emitJSON(newJSONDocument(d))
	}
	var line string
	isErr := false
	switch d.Status {
	case batch.StatusSuccess:
		how := ""
		if d.Reflagged {
			how = "re-flagged only, "
		}
		line = fmt.Sprintf("OK %s (%d terms, %s%s)", d.Path, d.TermsClassified, how, progress.FormatDuration(d.Duration))
	case batch.StatusSkipped:
		line = "SKIP " + d.Path
	case batch.StatusFailed:
		line = fmt.Sprintf("FAIL %s: %s", d.Path, failReason(d))
		isErr = true
	case batch.StatusInterrupted:
		line = "STOP " + d.Path + " (interrupted, will be redone)"
	}
	if l := r.display(); l != nil && d.Status != batch.StatusSkipped {
		if r.opts.Quiet && !isErr {
			line = ""
		}
		l.Finish(d.Path, line)
		return
	}
	r.human(line, isErr)
}

func failReason(d batch.DocumentResult) string {
	msg := "unknown error"
	if d.Err != nil {
		msg = d.Err.Error()
	}
	return fmt.Sprintf("%s: %s", d.Stage, msg)
}

// human prints a line on stderr (above the live display when there is one);
// --quiet keeps only errors.
func (r *batchReporter) human(line string, isErr bool) {
	if line == "" || (r.opts.Quiet && !isErr) {
		return
	}
	if l := r.display(); l != nil {
		l.Println(line)
		return
	}
	fmt.Fprintln(r.s.Err, line)
}

func (r *batchReporter) notice(format string, args ...any) {
	r.human("corpora: "+fmt.Sprintf(format, args...), false)
}

func (r *batchReporter) end() {
	if l := r.display(); l != nil {
		l.Stop()
	}
}

func (r *batchReporter) emitJSON(v any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.jsonEnc.Encode(v); err != nil && r.outErr == nil {
		r.outErr = err
	}
}

// stdoutFailed returns the first failed write of a JSON event, if any.
func (r *batchReporter) stdoutFailed() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.outErr
}

type jsonStart struct {
	Event      string    `json:"event"`
	Time       time.Time `json:"time"`
	InputDir   string    `json:"input_dir"`
	OutputDir  string    `json:"output_dir"`
	Classifier string    `json:"classifier"`
	Workers    int       `json:"workers"`
	Documents  int       `json:"documents"`
	Pending    int       `json:"pending"`
	DryRun     bool      `json:"dry_run,omitempty"`
}

type jsonDocument struct {
	Event string    `json:"event"`
	Time  time.Time `json:"time"`
	batch.DocumentResult
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

func newJSONDocument(d batch.DocumentResult) jsonDocument {
	j := jsonDocument{Event: "document", Time: time.Now().UTC(), DocumentResult: d, DurationMS: d.Duration.Milliseconds()}
	if d.Err != nil {
		j.Error = d.Err.Error()
	}
	return j
}

type jsonFailure struct {
	Path     string      `json:"path"`
	Stage    batch.Stage `json:"stage"`
	Attempts int         `json:"attempts"`
	Error    string      `json:"error"`
}

type jsonSummary struct {
	Event string    `json:"event"`
	Time  time.Time `json:"time"`
	batch.Summary
	WallTimeMS int64         `json:"wall_time_ms"`
	Failures   []jsonFailure `json:"failures"`
	// Left is how many documents an interrupted run did not reach; the
	// next run does them.
	Left     int `json:"left"`
	ExitCode int `json:"exit_code"`
}

// summary prints the run's account on stderr (and as the last JSON event).
func (r *batchReporter) summary(sum batch.Summary, code int) {
	if r.jsonEnc != nil {
		js := jsonSummary{Event: "summary", Time: time.Now().UTC(), Summary: sum, WallTimeMS: sum.WallTime.Milliseconds(), Failures: []jsonFailure{}, ExitCode: code}
		if !r.opts.DryRun {
			js.Left = max(0, sum.Documents-sum.Processed-sum.Skipped-sum.Failed)
		}
		for _, f := range sum.Failures {
			js.Failures = append(js.Failures, jsonFailure{Path: f.Path, Stage: f.Stage, Attempts: f.Attempts, Error: failReason(f)})
		}
		r.emitJSON(js)
	}
	writeBatchSummary(r.s.Err, sum, code, r.logPath, r.opts.DryRun)
}

func writeBatchSummary(w io.Writer, sum batch.Summary, code int, logPath string, dryRun bool) {
	if dryRun {
		fmt.Fprintf(w, "\ndry run: %d documents found, %d would be processed, %d already done\n", sum.Documents, len(sum.DryRun), sum.Skipped)
		for _, p := range sum.DryRun {
			fmt.Fprintf(w, "  %s\n", p)
		}
		if e := sum.Estimate; e != nil {
			u := e.Usage
			fmt.Fprintf(w, "estimate: %d distinct terms, %d in the cache, %d to send in about %d requests, ~%d tokens, $%.2f",
				e.Terms, e.CacheHits, e.ToSend, e.Requests, u.InputTokens+u.CacheWriteTokens+u.CacheReadTokens+u.OutputTokens, u.CostUSD)
			if !e.PriceKnown {
				fmt.Fprint(w, " (no price known for this model)")
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, "nothing was written")
		return
	}
	head := "batch"
	if code == ExitInterrupted {
		head = "batch interrupted"
	}
	fmt.Fprintf(w, "\n%s: %d documents: %d processed, %d skipped, %d failed", head, sum.Documents, sum.Processed, sum.Skipped, sum.Failed)
	if left := sum.Documents - sum.Processed - sum.Skipped - sum.Failed; left > 0 && code == ExitInterrupted {
		fmt.Fprintf(w, ", %d left for the next run", left)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  terms:     %d extracted, %d classified, %d flagged for IP review", sum.TermsExtracted, sum.TermsClassified, sum.TermsFlagged)
	if sum.TermsDropped > 0 {
		fmt.Fprintf(w, "; %d plain English or fragments dropped (--keep-generic keeps them)", sum.TermsDropped)
	}
	fmt.Fprintln(w)
	u := sum.Usage
	tokens := u.InputTokens + u.CacheWriteTokens + u.CacheReadTokens + u.OutputTokens
	fmt.Fprintf(w, "  classify:  %d cache hits, %d API requests, %d tokens", u.CacheHits, u.Requests, tokens)
	if u.TermsSent > 0 && tokens > 0 {
		fmt.Fprintf(w, " (%.0f per term)", float64(tokens)/float64(u.TermsSent))
	}
	fmt.Fprintf(w, ", $%.4f", u.CostUSD)
	if u.Fallbacks > 0 || u.DroppedFields > 0 {
		fmt.Fprintf(w, "; %d term%s answered by the offline fallback, %d unreadable field%s dropped",
			u.Fallbacks, sIfMany(u.Fallbacks), u.DroppedFields, sIfMany(u.DroppedFields))
	}
	fmt.Fprintln(w)
	if c := sum.Consolidated; c != nil {
		fmt.Fprintf(w, "  master:    %s: %d terms (%d new, %d updated, %d removed), %d flagged\n",
			filepath.Join(sum.OutputDir, batch.MasterName), c.Total, c.New, c.Updated, c.Removed, c.Flagged)
	}
	fmt.Fprintf(w, "  wall time: %s\n", progress.FormatDuration(sum.WallTime))
	if len(sum.Failures) > 0 {
		fmt.Fprintf(w, "  failed (details in %s):\n", logPath)
		for _, f := range sum.Failures {
			fmt.Fprintf(w, "    %s: %s\n", f.Path, failReason(f))
		}
	}
	if code == ExitInterrupted {
		fmt.Fprintln(w, "  run the same command again to finish; done documents are skipped")
	}
	if c := sum.Consolidated; c != nil && c.Flagged > 0 && !dryRun {
		fmt.Fprintf(w, "\nnext: review the %d flagged name%s: corpora review list --dir %s\n", c.Flagged, sIfMany(c.Flagged), shellQuote(sum.OutputDir))
	}
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func workersOrDefault(n int) int {
	if n > 0 {
		return n
	}
	return batch.DefaultWorkers()
}
