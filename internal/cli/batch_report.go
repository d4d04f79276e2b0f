package cli

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/progress"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// batchReporter turns the processor's events into terminal output: a live
// display on a TTY, one line per document otherwise, JSON lines on stdout
// with --json (batch_events.go).
type batchReporter struct {
	s     *Streams
	opts  *batchOptions
	total int

	mu         sync.Mutex
	live       *progress.Display
	events     *eventWriter // nil without --json
	started    time.Time
	logPath    string
	classifier string
	outDir     string
	workers    int
	// toSkip is how many documents the run found already done; skipped
	// counts those reported so far. Their SKIP lines are summed up in one
	// line unless --verbose.
	toSkip, skipped int
	// pdfs says whether the run found a PDF: the first page that needs
	// PDFium makes a cold machine compile the engine.
	pdfs bool
}

func newBatchReporter(s *Streams, opts *batchOptions, events *eventWriter, total int) *batchReporter {
	return &batchReporter{s: s, opts: opts, total: total, events: events, started: time.Now()}
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
		r.events.emit(jsonStart{eventHeader: header(eventStart, e.Time), Version: version(), InputDir: r.opts.Input, OutputDir: r.outDir,
			Classifier: r.classifier, Workers: r.workers, Documents: e.Total, Pending: e.Pending, DryRun: r.opts.DryRun})
		r.mu.Lock()
		r.toSkip = e.Total - e.Pending
		r.mu.Unlock()
		if r.pdfs && e.Pending > 0 && !r.opts.DryRun && pdfEngineCold() {
			r.notice("preparing the PDF engine if a page needs it (first run on this machine only, 20-40 s)")
		}
		if r.s.live() && !r.opts.Quiet && !r.opts.DryRun && e.Pending > 0 {
			r.mu.Lock()
			// The bar counts the documents to process: skipped ones take
			// no time and would only distort the ETA.
			r.live = progress.New(r.s.Err, e.Pending, progress.Options{Label: "documents", Width: r.termWidth})
			r.mu.Unlock()
		}
	case batch.EventStage:
		r.assigned(e)
		if l := r.display(); l != nil {
			l.SetStage(e.Document, stageLabel(e))
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
		r.document(*e.Result, e.Time)
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
func (r *batchReporter) document(d batch.DocumentResult, at time.Time) {
	r.events.emit(newJSONDocument(d, at))
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
		r.mu.Lock()
		r.skipped++
		n, all := r.skipped, r.skipped == r.toSkip
		r.mu.Unlock()
		switch {
		case r.opts.Verbose:
			line = "SKIP " + d.Path + " (unchanged: same content and settings)"
		case all:
			line = skippedLine(n)
		}
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

// skippedLine sums up the documents a run found already done.
func skippedLine(n int) string {
	if n == 1 {
		return "skipped 1 unchanged document (same content and settings; --force reprocesses, -v lists it)"
	}
	return fmt.Sprintf("skipped %d unchanged documents (same content and settings; --force reprocesses, -v lists them)", n)
}

func failReason(d batch.DocumentResult) string {
	return fmt.Sprintf("%s: %s", d.Stage, errText(d))
}

// errText is a failed document's error message.
func errText(d batch.DocumentResult) string {
	if d.Err == nil {
		return "unknown error"
	}
	return d.Err.Error()
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

// summary prints the run's account on stderr (and as the last JSON event).
func (r *batchReporter) summary(sum batch.Summary, code int) {
	r.events.last(newJSONSummary(sum, code, r.opts.DryRun, time.Now()))
	writeBatchSummary(r.s.Err, sum, batchSummaryOptions{code: code, logPath: r.logPath, dryRun: r.opts.DryRun, next: r.opts.next})
}

// batchSummaryOptions says how to print a run's account.
type batchSummaryOptions struct {
	code    int
	logPath string // batch-errors.log
	dryRun  bool
	next    nextCommands
}

// nextCommands says how the commands that work on a batch's output folder
// take it, so that the summary names them exactly as they run.
type nextCommands struct {
	// reviewPositional: `corpora review list DIR`; else `--dir DIR`.
	reviewPositional bool
	// serve: the build has `corpora serve DIR`.
	serve bool
}

func (n nextCommands) review(dir string) string {
	if n.reviewPositional {
		return "corpora review list " + shellQuote(dir)
	}
	return "corpora review list --dir " + shellQuote(dir)
}

func writeBatchSummary(w io.Writer, sum batch.Summary, o batchSummaryOptions) {
	if o.dryRun {
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
	head := "Batch Processing Complete" // 1.0's heading, which scripts look for
	if o.code == ExitInterrupted {
		head = "batch interrupted"
	}
	fmt.Fprintf(w, "\n%s: %d documents: %d processed, %d skipped, %d failed", head, sum.Documents, sum.Processed, sum.Skipped, sum.Failed)
	if left := sum.Documents - sum.Processed - sum.Skipped - sum.Failed; left > 0 && o.code == ExitInterrupted {
		fmt.Fprintf(w, ", %d left for the next run", left)
	}
	fmt.Fprintln(w)
	// The terms line counts per book (this run's books only); the master
	// line counts unique terms. Both say so, so that "19 flagged" beside
	// "18 flagged" cannot read as a contradiction.
	if sum.Processed == 0 {
		fmt.Fprintln(w, "  terms:     none new (no document processed)")
	} else {
		fmt.Fprintf(w, "  terms:     %d extracted, %d classified, %d flagged, counted per book processed", sum.TermsExtracted, sum.TermsClassified, sum.TermsFlagged)
		if sum.TermsDropped > 0 {
			fmt.Fprintf(w, "; %d plain English or fragments dropped (--keep-generic keeps them)", sum.TermsDropped)
		}
		fmt.Fprintln(w)
	}
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
		fmt.Fprintf(w, "  master:    %s: %d unique terms (%d new, %d updated, %d removed), %d flagged for IP review\n",
			filepath.Join(sum.OutputDir, vocab.MasterFile), c.Total, c.New, c.Updated, c.Removed, c.Flagged)
	}
	fmt.Fprintf(w, "  wall time: %s\n", progress.FormatDuration(sum.WallTime))
	if len(sum.Failures) > 0 {
		fmt.Fprintf(w, "  failed (details in %s):\n", o.logPath)
		for _, f := range sum.Failures {
			fmt.Fprintf(w, "    %s: %s\n", f.Path, failReason(f))
		}
	}
	if o.code == ExitInterrupted {
		fmt.Fprintln(w, "  run the same command again to finish; done documents are skipped")
	}
	c := sum.Consolidated
	if c == nil {
		return
	}
	var lines [][2]string
	if c.Flagged > 0 {
		lines = append(lines, [2]string{o.next.review(sum.OutputDir), fmt.Sprintf("review the %d name%s flagged for IP review", c.Flagged, sIfMany(c.Flagged))})
	}
	if o.next.serve {
		lines = append(lines, [2]string{"corpora serve " + shellQuote(sum.OutputDir), "browse the vocabulary"})
	}
	if len(lines) == 0 {
		return
	}
	width := 0
	for _, l := range lines {
		width = max(width, len(l[0]))
	}
	fmt.Fprintln(w, "\nnext:")
	for _, l := range lines {
		fmt.Fprintf(w, "  %-*s   # %s\n", width, l[0], l[1])
	}
}

// nextCommandsFor finds how this build's commands take an output folder.
func nextCommandsFor(root *cobra.Command) nextCommands {
	var n nextCommands
	if root == nil {
		return n
	}
	if c, _, err := root.Find([]string{"review", "list"}); err == nil && c != nil && c.Name() == "list" {
		n.reviewPositional = c.Args != nil && c.Args(c, []string{"DIR"}) == nil
	}
	if c, _, err := root.Find([]string{"serve"}); err == nil && c != nil && c.Name() == "serve" {
		n.serve = true
	}
	return n
}

// hasPDF reports whether docs has a PDF.
func hasPDF(docs []batch.Document) bool {
	for _, d := range docs {
		if strings.EqualFold(filepath.Ext(d.Path), ".pdf") {
			return true
		}
	}
	return false
}

// pdfEngineCold reports whether PDFium's compiled code is missing from the
// user cache (internal/document/pdf keeps it in UserCacheDir/corpora/wazero):
// then the first page that needs PDFium compiles it, for 20-40 s, while the
// display would otherwise show nothing but its ETA.
func pdfEngineCold() bool {
	base, err := os.UserCacheDir()
	if err != nil {
		return false // the engine falls back to a temporary folder: nothing known
	}
	cold := true
	_ = filepath.WalkDir(filepath.Join(base, "corpora", "wazero"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			cold = false
			return fs.SkipAll
		}
		return nil
	})
	return cold
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
