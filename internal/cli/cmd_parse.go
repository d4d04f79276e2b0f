package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/parse"
	"github.com/corpora-tools/corpora/internal/progress"
)

// parseOptions are the flags and arguments of `corpora parse`.
type parseOptions struct {
	Inputs   []string
	Output   string
	OCR      string
	Password string
	Flat     bool
	Workers  int

	// 1.0's flags.
	NoOCR    bool   // --no-ocr: --ocr off
	FailFast bool   // stop at the first document that fails (exit 65)
	Verbose  bool   // say what each document became, also for one
	Format   string // only "json"
	Yes      bool   // no effect: corpora never asks before OCR
	Partial  bool   // no effect: what parsed is always written
}

func newParseCmd(s *Streams) *cobra.Command {
	opts := &parseOptions{}
	cmd := &cobra.Command{
		Use:   "parse INPUT... [-o PATH]",
		Short: "Parse documents (PDF, EPUB, DOCX, text, Markdown, HTML) into DocumentOutput JSON",
		Long: `Parse documents into normalised text blocks (DocumentOutput JSON).

INPUT is a file, a folder (searched recursively for .pdf .epub .docx .txt .md
.html, hidden folders skipped) or a glob. One input file and no -o prints the
JSON on stdout; with -o FILE it is written there. Several inputs, or a folder,
need -o DIR: each document becomes DIR/<relative path>/<name>.json (--flat:
DIR/<name>.json). The format is decided by content, not by extension.

--fail-fast stops at the first document that fails instead of parsing the
rest. 1.0's flags are accepted: a bare --ocr means --ocr on, --no-ocr means
--ocr off, -v says what each document became, --format json; -y and
--partial change nothing (corpora never asks before OCR, and writes every
document that parsed).

Exit codes: 0 all parsed, 64 usage, 65 the document is unusable (or
--fail-fast stopped the run), 66 no input found, 73 cannot write output, 75
some of several documents failed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Inputs = args
			return runParse(cmd.Context(), opts, s)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "output file (one input) or folder (several)")
	addDocumentFlags(f, &opts.OCR, &opts.Password)
	f.BoolVar(&opts.Flat, "flat", false, "write DIR/<name>.json without mirroring sub-folders")
	f.IntVarP(&opts.Workers, "workers", "w", 0, "documents parsed at once (default: number of CPUs, at most 4)")
	f.BoolVar(&opts.NoOCR, "no-ocr", false, "never OCR (1.0's flag; the same as --ocr off)")
	f.BoolVar(&opts.FailFast, "fail-fast", false, "stop at the first document that fails (exit 65) instead of parsing the rest")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "say what each document became, also for a single one (stderr)")
	f.StringVar(&opts.Format, "format", "json", "output format: json (1.0's flag; the only one)")
	f.BoolVarP(&opts.Yes, "yes", "y", false, "accepted for 1.0 scripts: corpora never asks before OCR (--ocr decides)")
	f.BoolVar(&opts.Partial, "partial", false, "accepted for 1.0 scripts: every document that parsed is always written")
	return cmd
}

// inputDoc is one document found from the inputs.
type inputDoc struct {
	path string // as the user gave it, or joined from a folder they gave
	rel  string // slash-separated path under its input folder (base name for files)
	out  string // output path, in folder mode
}

func runParse(ctx context.Context, opts *parseOptions, s *Streams) error {
	if !strings.EqualFold(opts.Format, "json") {
		return usagef("--format must be json, not %q", opts.Format)
	}
	if opts.NoOCR {
		m, err := ocrMode(opts.OCR)
		if err != nil {
			return err
		}
		if m == document.OCROn {
			return usagef("--no-ocr and --ocr on contradict each other")
		}
		opts.OCR = string(document.OCROff)
	}
	mode, err := ocrMode(opts.OCR)
	if err != nil {
		return err
	}
	if opts.Workers < 0 {
		return usagef("--workers must be positive")
	}
	password := documentPassword(s, opts.Password)

	docs, folderMode, problems := collectInputs(opts.Inputs)
	for _, p := range problems {
		fmt.Fprintf(s.Err, "corpora: %v\n", p)
	}
	if len(docs) == 0 {
		if len(problems) == len(opts.Inputs) {
			return silentExit(ExitNoInput) // each input already said what is wrong with it
		}
		return exitf(ExitNoInput, "no supported documents found in %s", strings.Join(opts.Inputs, ", "))
	}
	several := folderMode || len(docs) > 1 || len(opts.Inputs) > 1
	if several && opts.Output == "" {
		return usagef("parsing several documents or a folder needs -o DIR")
	}

	var warnMu sync.Mutex
	warned := map[string]bool{}
	docOpts := document.Options{
		OCR:      mode,
		Password: password,
		Limits:   document.DefaultLimits(),
		Warnf: func(format string, args ...any) {
			msg := fmt.Sprintf(format, args...)
			warnMu.Lock()
			defer warnMu.Unlock()
			if !warned[msg] {
				warned[msg] = true
				fmt.Fprintf(s.Err, "corpora: warning: %s\n", msg)
			}
		},
	}
	workers := opts.Workers
	if workers == 0 {
		workers = min(runtime.NumCPU(), 4)
	}
	workers = max(1, min(workers, len(docs)))
	p, err := parse.New(parse.Config{Workers: workers})
	if err != nil {
		return exitErr(ExitUnavailable, err)
	}
	defer p.Close()

	if !several {
		return parseOne(ctx, p, docs[0], opts.Output, docOpts, s, opts.Verbose)
	}
	assignOutputs(docs, opts.Output, opts.Flat)
	return parseMany(ctx, p, docs, workers, docOpts, s, len(problems), opts.FailFast)
}

// parseOne parses a single document to stdout or to the -o file.
func parseOne(ctx context.Context, p *parse.Parser, d inputDoc, output string, opts document.Options, s *Streams, verbose bool) error {
	start := time.Now()
	out, err := p.File(ctx, d.path, opts)
	if err != nil {
		if ctx.Err() != nil {
			return exitErr(ExitInterrupted, err)
		}
		return exitErr(ExitDataErr, err)
	}
	data, err := atomicfile.MarshalJSON(out)
	if err != nil {
		return exitErr(ExitDataErr, fmt.Errorf("%s: encode: %w", d.path, err))
	}
	if info, err := os.Stat(output); output != "" && output != "-" && ((err == nil && info.IsDir()) || strings.HasSuffix(output, "/") || strings.HasSuffix(output, string(filepath.Separator))) {
		output = filepath.Join(output, stem(d.rel)+".json")
	}
	if err := writeOutput(s, output, data); err != nil {
		return err
	}
	if verbose {
		dest := output
		if dest == "" || dest == "-" {
			dest = "stdout"
		}
		fmt.Fprintf(s.Err, "OK %s -> %s (%d blocks, %s)\n", d.path, dest, len(out.Content), progress.FormatDuration(time.Since(start)))
	}
	return nil
}

// parseMany parses documents in a worker pool, writing one JSON file each.
func parseMany(parent context.Context, p *parse.Parser, docs []inputDoc, workers int, opts document.Options, s *Streams, missing int, failFast bool) error {
	// --fail-fast stops the run at the first failure: documents not yet
	// started are not, those in flight are cancelled.
	ctx, stop := context.WithCancel(parent)
	defer stop()
	stopped := false
	type result struct {
		doc      inputDoc
		err      error
		writeErr bool
		blocks   int
		elapsed  time.Duration
	}
	results := make(chan result)
	go func() {
		defer close(results)
		var g errgroup.Group
		g.SetLimit(workers)
		for _, d := range docs {
			if ctx.Err() != nil {
				break // the rest are not started
			}
			g.Go(func() error {
				start := time.Now()
				out, err := p.File(ctx, d.path, opts)
				r := result{doc: d, err: err}
				if err == nil {
					r.blocks = len(out.Content)
					if werr := atomicfile.WriteJSON(d.out, out); werr != nil {
						r.err, r.writeErr = werr, true
					}
				}
				r.elapsed = time.Since(start)
				if r.err != nil && failFast && ctx.Err() == nil {
					stop() // before the slot frees: nothing more starts
				}
				results <- r
				return nil
			})
		}
		_ = g.Wait() // the workers report through results, never an error
	}()

	var ok, failed, writeFailed int
	for r := range results {
		switch {
		case stopped && r.err != nil && parent.Err() == nil && errors.Is(r.err, context.Canceled):
			continue // cancelled by --fail-fast: counted as not started
		case r.err != nil:
			failed++
			if r.writeErr {
				writeFailed++
			}
			fmt.Fprintf(s.Err, "corpora: %v\n", r.err)
			if failFast {
				stopped = true
			}
		default:
			ok++
			fmt.Fprintf(s.Err, "OK %s -> %s (%d blocks, %.1fs)\n", r.doc.path, r.doc.out, r.blocks, r.elapsed.Seconds())
		}
	}
	skipped := len(docs) - ok - failed
	fmt.Fprintf(s.Err, "parsed %d of %d documents", ok, len(docs))
	if failed > 0 {
		fmt.Fprintf(s.Err, ", %d failed", failed)
	}
	if skipped > 0 {
		why := "interrupted"
		if stopped && parent.Err() == nil {
			why = "--fail-fast"
		}
		fmt.Fprintf(s.Err, ", %d not started or stopped (%s)", skipped, why)
	}
	fmt.Fprintln(s.Err)
	switch {
	case parent.Err() != nil:
		return silentExit(ExitInterrupted)
	case stopped:
		return silentExit(ExitDataErr)
	case writeFailed > 0:
		return silentExit(ExitCantCreate)
	case failed > 0 || missing > 0:
		return silentExit(ExitPartial)
	}
	return nil
}

// collectInputs expands files, folders and globs into documents, sorted by
// path and without duplicates. folderMode is set when a folder was given.
func collectInputs(inputs []string) (docs []inputDoc, folderMode bool, problems []error) {
	seen := map[string]bool{}
	add := func(p, rel string) {
		key := filepath.Clean(p)
		if abs, err := filepath.Abs(p); err == nil {
			key = abs
		}
		if !seen[key] {
			seen[key] = true
			docs = append(docs, inputDoc{path: p, rel: rel})
		}
	}
	var visit func(arg string, fromGlob bool)
	visit = func(arg string, fromGlob bool) {
		info, err := os.Stat(arg)
		switch {
		case err == nil && info.IsDir():
			folderMode = true
			if err := walkFolder(arg, add); err != nil {
				problems = append(problems, err)
			}
		case err == nil:
			if !fromGlob || document.Supported(arg) {
				add(arg, filepath.Base(arg))
			}
		case !fromGlob && strings.ContainsAny(arg, "*?["):
			matches, gerr := filepath.Glob(arg)
			if gerr != nil {
				problems = append(problems, fmt.Errorf("%s: bad pattern: %v", arg, gerr))
				return
			}
			if len(matches) == 0 {
				problems = append(problems, fmt.Errorf("%s: matches nothing", arg))
			}
			for _, m := range matches {
				visit(m, true)
			}
		default:
			problems = append(problems, fmt.Errorf("%s: no such file or folder", arg))
		}
	}
	for _, in := range inputs {
		visit(in, false)
	}
	sort.SliceStable(docs, func(i, j int) bool { return docs[i].path < docs[j].path })
	return docs, folderMode, problems
}

// walkFolder finds the supported documents under root, skipping hidden
// files and folders. Symbolic links to folders are not followed, so a link
// loop cannot trap the walk.
func walkFolder(root string, add func(p, rel string)) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // an unreadable sub-folder is skipped, not fatal
		}
		name := d.Name()
		if p != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !document.Supported(name) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			rel = name
		}
		add(p, filepath.ToSlash(rel))
		return nil
	})
}

// assignOutputs gives every document its JSON path under dir: the relative
// path with the extension replaced by .json (flat: the name only). Names that
// would clash (book.pdf and book.epub) keep their extension
// (book.pdf.json); clashes left after that get a numeric suffix, in path
// order.
func assignOutputs(docs []inputDoc, dir string, flat bool) {
	base := func(d inputDoc) string {
		rel := d.rel
		if flat {
			rel = path.Base(rel)
		}
		return rel
	}
	key := func(d inputDoc, withExt bool) string {
		rel := base(d)
		if withExt {
			return strings.ToLower(rel)
		}
		return strings.ToLower(stem(rel))
	}
	count := map[string]int{}
	for _, d := range docs {
		count[key(d, false)]++
	}
	used := map[string]int{}
	for i := range docs {
		rel := base(docs[i])
		name := stem(rel)
		if count[key(docs[i], false)] > 1 {
			name = rel
		}
		k := strings.ToLower(name)
		used[k]++
		if n := used[k]; n > 1 {
			name = fmt.Sprintf("%s-%d", name, n)
		}
		docs[i].out = filepath.Join(dir, filepath.FromSlash(name)+".json")
	}
}

// stem is a path without its extension.
func stem(p string) string { return strings.TrimSuffix(p, path.Ext(p)) }
