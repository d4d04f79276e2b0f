package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/cluster"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
)

// batchOptions are the flags and dependencies of `corpora batch`.
type batchOptions struct {
	Input         string
	Output        string
	Workers       int
	Force         bool
	Quiet         bool
	Verbose       bool
	JSON          bool
	DryRun        bool
	NoConsolidate bool
	KeepGeneric   bool
	Blocklist     string
	OCR           string
	Password      string
	NATS          string // coordinate workers on this NATS server (cmd_batch_nats.go)
	classifier    classifierFlags

	// newClassifier builds the classifier; tests replace it.
	newClassifier func(ctx context.Context, s *Streams, cacheDir string) (classify.Classifier, func() error, error)
	// retryDelay overrides the pause before a retry (tests).
	retryDelay time.Duration
	// warn routes the classifier's notices; set by newClassifier.
	warn *warnTo
	// next says how the summary names the commands that come next.
	next nextCommands
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
		Long: `Process all documents in a folder: batch finds every supported document
below INPUT_DIR (PDF, EPUB, DOCX, text, Markdown, HTML; hidden folders and the output folder are skipped), runs parse,
extract, classify and the IP check on each in parallel, writes
OUT/<relative dir>/<stem>.vocab.json per document, then consolidates them into
OUT/master.vocab.json and the review queue OUT/flagged.json.

A run can be interrupted at any time (Ctrl+C, a crash, kill -9): the next run
skips every document already done with the same content and the same pipeline
(tool version, extraction settings, classifier, model, prompt version and
blocklist) and redoes the rest. --force reprocesses everything.

Workers (-w; 0 or less means the default) default to the cores, at most 4: parsing and extraction
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
				opts.Workers = 0 // 1.0: any value below 1 means the default
			}
			mode, err := ocrMode(opts.OCR)
			if err != nil {
				return err
			}
			opts.OCR = string(mode)
			opts.next = nextCommandsFor(cmd.Root())
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
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "one line per skipped document too (by default one line sums them up)")
	f.BoolVar(&opts.JSON, "json", false, "print JSON-lines events on stdout (start, document, summary or error; docs/events.md)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "list what would be processed and the cost estimate; write nothing")
	f.BoolVar(&opts.NoConsolidate, "no-consolidate", false, "do not update master.vocab.json and flagged.json")
	f.BoolVar(&opts.KeepGeneric, "keep-generic", false, "keep plain English words and fragments (dropped by default)")
	f.StringVarP(&opts.Blocklist, "blocklist", "b", "", "extra blocklist JSON (franchise -> terms) on top of the embedded one (default: the one recorded in the output folder, else data/ip-blocklist.json as in 1.0)")
	addDocumentFlags(f, &opts.OCR, &opts.Password)
	addClassifierFlags(cmd, &opts.classifier)
	addNATSFlag(f, &opts.NATS, "spread the documents over the workers of this NATS server")
	return cmd
}

// runBatch runs `corpora batch`. With --json, a run that stops before its
// summary (no documents, classifier unavailable, output not writable, the
// folder in use) ends its event stream with an error event.
func runBatch(ctx context.Context, opts *batchOptions, s *Streams) error {
	var events *eventWriter
	if opts.JSON {
		events = newEventWriter(s.Out)
	}
	err := runBatchEvents(ctx, opts, s, events)
	if err != nil && !events.done() {
		events.last(newJSONError(err.Error(), codeFor(err), time.Now()))
	}
	return err
}

func runBatchEvents(ctx context.Context, opts *batchOptions, s *Streams, events *eventWriter) error {
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
		return exitf(ExitNoInput, "batch: No PDF or EPUB files found in %s, nor any other supported document (looked for %s)", opts.Input, strings.Join(document.Extensions(), " "))
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
	rep := newBatchReporter(s, opts, events, len(docs))
	rep.pdfs = hasPDF(docs)
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
	closeRemote, err := setupRemote(ctx, opts, s, &cfg)
	if err != nil {
		return err
	}
	defer closeRemote()
	p, err := batch.New(cfg)
	if err != nil {
		if errors.Is(err, batch.ErrOutput) {
			return exitErr(ExitCantCreate, err)
		}
		return exitErr(ExitDataErr, err)
	}
	rep.begin(cls, p.OutputDir(), workersOrDefault(opts.Workers))
	sum := batch.Summary{InputDir: opts.Input, OutputDir: p.OutputDir(), Documents: len(docs)}
	plan, runErr := p.Plan(ctx, docs) // the folder is walked once
	if runErr == nil {
		sum, runErr = p.Run(ctx, plan)
	}
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
	case errors.Is(runErr, classify.ErrUnavailable), errors.Is(runErr, cluster.ErrUnavailable):
		code = ExitUnavailable
	case errors.Is(runErr, classify.ErrBudget):
		code = ExitPartial
		runErr = fmt.Errorf("%w (what was classified is cached: raise --max-cost and run again to continue)", runErr)
	case errors.Is(runErr, batch.ErrLocked):
		// Nothing ran: one line, and 75 (try again later), no summary.
		msg := fmt.Sprintf("batch: %v; try again when it has finished", runErr)
		fmt.Fprintf(s.Err, "corpora: %s\n", msg)
		events.last(newJSONError(msg, ExitPartial, time.Now()))
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
	if err := events.failed(); err != nil && code == ExitOK {
		// The work is done and saved, but the events the caller asked
		// for were lost: that is an output failure, not a success.
		fmt.Fprintf(s.Err, "corpora: batch: --json events: %v\n", stdoutErr(err))
		return silentExit(ExitCantCreate)
	}
	return silentExit(code)
}
