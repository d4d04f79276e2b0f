package batch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
	"github.com/corpora-tools/corpora/internal/fault"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/parse"
	"github.com/corpora-tools/corpora/internal/vocab"
	"golang.org/x/sync/errgroup"
)

// File names inside the output folder.
const (
	ErrorLogName = "batch-errors.log"
	LockName     = ".corpora-batch.lock"
)

// Errors the caller tells apart.
var (
	// ErrNoDocuments: the input folder holds no supported document.
	ErrNoDocuments = errors.New("no supported documents found")
	// ErrOutput: the output folder cannot be written.
	ErrOutput = errors.New("cannot write output")
	// ErrLocked: another batch run is writing the same output folder.
	ErrLocked = errors.New("another corpora batch is running on this output folder")
)

// DefaultWorkers is the worker count when Config.Workers is 0: one per core, at
// most 4. Parsing and extraction are CPU-bound and never run on more documents
// than there are cores; classification's API concurrency is the classifier's
// own business, so more workers mostly buy more memory.
func DefaultWorkers() int { return max(1, min(runtime.NumCPU(), 4)) }

// DefaultRetryDelay is the pause before a failed document's second attempt.
const DefaultRetryDelay = time.Second

// Config configures a Processor.
type Config struct {
	InputDir string
	// OutputDir defaults to InputDir/output.
	OutputDir string
	// Workers is how many documents are in flight at once; 0 is DefaultWorkers.
	Workers int
	// Force reprocesses every document, whatever the manifest says.
	Force bool
	// DryRun finds what would be processed (and, when the classifier offers
	// one, the cost estimate) and writes nothing.
	DryRun bool
	// NoConsolidate skips the consolidation into the master at the end.
	NoConsolidate bool
	// Blocklist flags IP-encumbered terms; nil loads the embedded default.
	Blocklist *ipreview.Blocklist
	// Classifier classifies the candidates; required.
	Classifier classify.Classifier
	// Parser parses the documents; nil starts a parse.Parser for the run.
	Parser Parser
	// Remote, when set, runs parse, extract and classify elsewhere (the
	// cluster coordinator); flagging, writing and recording stay here.
	Remote Remote
	// ParseOptions and ExtractOptions tune the stages of the same names.
	ParseOptions   document.Options
	ExtractOptions extract.Options
	// ToolVersion is corpora's version, part of the pipeline fingerprint.
	ToolVersion string
	// RetryDelay is the pause before a failed document's second attempt;
	// 0 is DefaultRetryDelay, negative is none.
	RetryDelay time.Duration

	// OnDocumentComplete hears about every document that ends, skipped ones
	// included. OnEvent hears about progress. Calls are serialised, so the
	// callbacks need no locking of their own, and must return quickly.
	OnDocumentComplete func(DocumentResult)
	OnEvent            func(Event)
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Logf receives notices for the user (unreadable folders, removed stale
	// files); nil discards them.
	Logf func(format string, args ...any)
}

// Parser turns a file into a document (parse.Parser does).
type Parser interface {
	File(ctx context.Context, path string, opts document.Options) (*document.Output, error)
}

// ParserFunc adapts a function to Parser.
type ParserFunc func(ctx context.Context, path string, opts document.Options) (*document.Output, error)

// File calls f.
func (f ParserFunc) File(ctx context.Context, path string, opts document.Options) (*document.Output, error) {
	return f(ctx, path, opts)
}

// stages are the pipeline's steps, replaceable in tests.
type stages struct {
	extract     func(ctx context.Context, doc *document.Output, opts extract.Options) ([]extract.Candidate, error)
	writeVocab  func(path string, info vocab.DocumentInfo, terms []classify.Term, now time.Time) error
	readTerms   func(path string) ([]classify.Term, error)
	consolidate func(ctx context.Context, opts vocab.ConsolidateOptions) (vocab.ConsolidateSummary, error)
}

// Processor runs a batch. Create one with New; Run it once.
type Processor struct {
	cfg         Config
	out         string
	fingerprint Fingerprint
	stages      stages
	parser      Parser

	cbMu     sync.Mutex // serialises callbacks
	manifest *Manifest

	haltOnce sync.Once
	halt     context.CancelFunc // stops the run on a fatal error
	haltErr  error              // that error, set once before halt is called
	errlog   *errorLog
	cpu      chan struct{} // bounds the CPU stages to the cores
}

// New checks cfg and returns a Processor.
func New(cfg Config) (*Processor, error) {
	if cfg.InputDir == "" {
		return nil, errors.New("batch: no input folder")
	}
	if cfg.Classifier == nil {
		return nil, errors.New("batch: no classifier")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers()
	}
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = DefaultRetryDelay
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.ToolVersion == "" {
		cfg.ToolVersion = "dev"
	}
	if cfg.Blocklist == nil {
		bl, err := ipreview.LoadBlocklist("")
		if err != nil {
			return nil, fmt.Errorf("batch: %w", err)
		}
		cfg.Blocklist = bl
	}
	out := cfg.OutputDir
	if out == "" {
		out = filepath.Join(cfg.InputDir, "output")
	}
	c := cfg.Classifier
	p := &Processor{
		cfg:         cfg,
		out:         out,
		parser:      cfg.Parser,
		fingerprint: NewFingerprint(cfg.ToolVersion, cfg.ParseOptions, cfg.ExtractOptions, c.Backend(), c.Model(), c.PromptVersion(), cfg.Blocklist.Hash()),
		cpu:         make(chan struct{}, max(1, runtime.NumCPU())),
		stages: stages{
			extract: extract.Extract,
			writeVocab: func(path string, info vocab.DocumentInfo, terms []classify.Term, now time.Time) error {
				return vocab.Write(path, vocab.NewFile(info, terms, now))
			},
			readTerms: func(path string) ([]classify.Term, error) {
				f, err := vocab.Read(path)
				if err != nil {
					return nil, err
				}
				return f.Terms(), nil
			},
			consolidate: vocab.ConsolidateReviewed,
		},
	}
	return p, nil
}

// OutputDir is the output folder the run writes.
func (p *Processor) OutputDir() string { return p.out }

// Run carries out plan, made by Plan. The error is nil when the batch ran to
// its end, even if documents failed (Summary.Failed says so); it wraps
// ErrOutput or ErrLocked when the run could not start, and is the context's
// error when the run was interrupted, in which case every document finished
// before the interruption is recorded and Summary tells what happened.
func (p *Processor) Run(ctx context.Context, plan *Plan) (sum Summary, err error) {
	start := p.cfg.Now()
	sum = Summary{InputDir: p.cfg.InputDir, OutputDir: p.out, Documents: len(plan.Documents)}
	defer func() { sum.WallTime = p.cfg.Now().Sub(start) }()
	p.manifest = plan.manifest

	if p.cfg.DryRun {
		for _, j := range plan.Jobs {
			sum.DryRun = append(sum.DryRun, j.Doc.Rel)
		}
		sum.Skipped = len(plan.Skipped)
		sum.Estimate = plan.Estimate
		return sum, nil
	}

	unlock, err := p.prepareOutput()
	if err != nil {
		return sum, err
	}
	defer unlock()
	defer p.errlog.close()

	p.pruneStale(plan.Documents)
	for _, r := range plan.Skipped {
		p.complete(&sum, r)
	}
	if err := p.manifest.Save(); err != nil { // keeps refreshed mtimes
		return sum, fmt.Errorf("%w: %w", ErrOutput, err)
	}

	if jobs := slices.Clone(plan.Jobs); len(jobs) > 0 {
		largestFirst(jobs)
		runCtx, cancel := context.WithCancel(ctx)
		p.halt = cancel
		if p.cfg.Remote != nil {
			err = p.runRemote(runCtx, jobs, &sum)
		} else {
			err = p.runJobs(runCtx, jobs, &sum)
		}
		cancel()
		if err != nil && ctx.Err() == nil && p.haltErr == nil {
			return sum, err
		}
	}
	sort.Slice(sum.Failures, func(i, j int) bool { return sum.Failures[i].Path < sum.Failures[j].Path })
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	if p.haltErr != nil {
		return sum, fmt.Errorf("batch stopped: %w", p.haltErr)
	}

	// With no document ever done there is nothing to consolidate.
	if !p.cfg.NoConsolidate && sum.Processed+sum.Skipped > 0 {
		p.emit(Event{Kind: EventConsolidate})
		cs, err := p.stages.consolidate(ctx, vocab.ConsolidateOptions{
			Dir:       p.out,
			Master:    filepath.Join(p.out, vocab.MasterFile),
			Blocklist: p.cfg.Blocklist,
			Force:     p.cfg.Force,
			Now:       p.cfg.Now,
		})
		if err != nil {
			if ctx.Err() != nil {
				return sum, ctx.Err()
			}
			return sum, fmt.Errorf("consolidate %s: %w", p.out, err)
		}
		sum.Consolidated = &cs
	}
	return sum, nil
}

// prepareOutput creates and locks the output folder, removes temporary files
// left by a killed run, and opens the error log.
func (p *Processor) prepareOutput() (unlock func(), err error) {
	if err := os.MkdirAll(p.out, 0o755); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOutput, err)
	}
	release, err := lockDir(filepath.Join(p.out, LockName))
	if err != nil {
		if errors.Is(err, ErrLocked) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", ErrOutput, err)
	}
	defer func() {
		if err != nil {
			release()
		}
	}()
	// Holding the lock, every temporary file below OUT belongs to a dead run.
	if n := cleanStaleTree(p.out); n > 0 {
		p.cfg.Logf("removed %d temporary file(s) left by an interrupted run", n)
	}
	p.errlog = openErrorLog(filepath.Join(p.out, ErrorLogName))
	return release, nil
}

func cleanStaleTree(root string) int {
	n := 0
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			n += atomicfile.CleanStale(path, 0)
		}
		return nil
	})
	return n
}

// pruneStale removes the records of documents no longer in the input folder,
// and the vocab files that this tool wrote for them (or for a document whose
// vocab file was renamed by a stem clash), so that the master reflects the
// folder as it is.
func (p *Processor) pruneStale(docs []Document) {
	current := map[string]string{} // rel -> vocab rel
	inUse := map[string]bool{}
	for _, d := range docs {
		current[d.Rel] = d.VocabRel
		inUse[d.VocabRel] = true
	}
	p.manifest.mu.Lock()
	defer p.manifest.mu.Unlock()
	for rel, e := range p.manifest.file.Documents {
		v, present := current[rel]
		if present && v == e.VocabPath {
			continue
		}
		if e.VocabPath != "" && !inUse[e.VocabPath] {
			path := filepath.Join(p.out, filepath.FromSlash(e.VocabPath))
			if err := os.Remove(path); err == nil {
				p.cfg.Logf("removed %s: its source %s is gone or renamed", e.VocabPath, rel)
			}
		}
		delete(p.manifest.file.Documents, rel)
		p.manifest.dirty = true
	}
}

func (p *Processor) vocabPath(d Document) string {
	return filepath.Join(p.out, filepath.FromSlash(d.VocabRel))
}

// runJobs runs the worker pool over jobs.
func (p *Processor) runJobs(ctx context.Context, jobs []Job, sum *Summary) error {
	if p.parser == nil {
		pp, err := newParser(min(p.cfg.Workers, cap(p.cpu)))
		if err != nil {
			return err
		}
		defer pp.Close()
		p.parser = pp
		defer func() { p.parser = nil }()
	}
	p.each(ctx, jobs, func(j Job) { p.complete(sum, p.process(ctx, j)) })
	return nil
}

// each calls f for every job in order, on up to Config.Workers goroutines at
// once, and returns when all have returned. Once ctx ends no further job
// starts, so f reports only on jobs it began.
func (p *Processor) each(ctx context.Context, jobs []Job, f func(Job)) {
	var g errgroup.Group
	g.SetLimit(min(p.cfg.Workers, len(jobs)))
	for _, j := range jobs {
		if ctx.Err() != nil {
			break // the rest are not started
		}
		g.Go(func() error {
			if ctx.Err() == nil { // else its turn came with the interruption
				f(j)
			}
			return nil
		})
	}
	_ = g.Wait() // f reports on its own, never through an error
}

// largestFirst orders jobs by decreasing file size (then by path): a big book
// started last would keep one worker busy long after the others ran dry, so
// the biggest go first and the small ones fill the gaps.
func largestFirst(jobs []Job) {
	size := make(map[string]int64, len(jobs))
	for _, j := range jobs {
		s := j.Source.Size
		if s == 0 {
			if info, err := os.Stat(j.Doc.Path); err == nil {
				s = info.Size()
			}
		}
		size[j.Doc.Rel] = s
	}
	sort.SliceStable(jobs, func(a, b int) bool { return size[jobs[a].Doc.Rel] > size[jobs[b].Doc.Rel] })
}

func newParser(workers int) (*parse.Parser, error) {
	pp, err := parse.New(parse.Config{Workers: workers})
	if err != nil {
		return nil, fmt.Errorf("start parser: %w", err)
	}
	return pp, nil
}

// complete accounts for a finished document and tells the callbacks.
func (p *Processor) complete(sum *Summary, r DocumentResult) {
	p.cbMu.Lock()
	defer p.cbMu.Unlock()
	switch r.Status {
	case StatusSuccess:
		sum.Processed++
		sum.TermsExtracted += r.TermsExtracted
		sum.TermsDropped += r.TermsDropped
		sum.TermsClassified += r.TermsClassified
		sum.TermsFlagged += r.TermsFlagged
	case StatusSkipped:
		sum.Skipped++
	case StatusFailed:
		sum.Failed++
		sum.Failures = append(sum.Failures, r)
	case StatusInterrupted:
		sum.Interrupted++
	}
	sum.Usage.Add(r.Usage)
	if p.cfg.OnDocumentComplete != nil {
		p.cfg.OnDocumentComplete(r)
	}
	if p.cfg.OnEvent != nil {
		p.cfg.OnEvent(Event{Kind: EventDocument, Time: p.cfg.Now(), Document: r.Path, Stage: r.Stage, Err: r.Err, Result: &r})
	}
}

func (p *Processor) emit(e Event) {
	if p.cfg.OnEvent == nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = p.cfg.Now()
	}
	p.cbMu.Lock()
	defer p.cbMu.Unlock()
	p.cfg.OnEvent(e)
}

// progressive is implemented by classifiers that report terms as they are
// classified (classify.Progressive); the live display shows the count.
type progressive interface {
	ClassifyEach(ctx context.Context, req classify.Request, each func(idx []int, terms []classify.Term)) (classify.Result, error)
}

// attemptState carries what an attempt achieved into the next one: a retry
// after a classification failure does not parse and extract again.
type attemptState struct {
	cands     []extract.Candidate
	extracted bool
	dropped   int // candidates dropped as generic
}

// process runs one document through the pipeline, retrying once.
func (p *Processor) process(ctx context.Context, j Job) DocumentResult {
	begin := p.cfg.Now()
	r := DocumentResult{Path: j.Doc.Rel, VocabPath: j.Doc.VocabRel}
	var st attemptState
	for attempt := 1; attempt <= 2; attempt++ {
		r.Attempts = attempt
		stage, err := p.attempt(ctx, j, attempt, &st, &r)
		if err == nil {
			r.Status, r.Stage, r.Err = StatusSuccess, "", nil
			break
		}
		if ctx.Err() != nil {
			r.Status, r.Stage, r.Err = StatusInterrupted, stage, ctx.Err()
			break
		}
		r.Status, r.Stage, r.Err = StatusFailed, stage, err
		p.errlog.log(p.cfg.Now(), j.Doc.Rel, stage, attempt, err)
		// A fatal error (a spent --max-cost budget, a revoked API key) would
		// fail every later document the same way: it fails its document
		// without a retry and stops the batch as an interruption would; Run
		// returns it.
		if fault.IsFatal(err) {
			p.haltOnce.Do(func() {
				p.haltErr = fmt.Errorf("%s: %w", j.Doc.Rel, err)
				p.halt()
			})
			break
		}
		if attempt == 2 || !fault.IsRetryable(err) {
			break
		}
		p.emit(Event{Kind: EventRetry, Document: j.Doc.Rel, Stage: stage, Attempt: attempt, Err: err})
		if !sleep(ctx, p.cfg.RetryDelay) {
			r.Status, r.Err = StatusInterrupted, ctx.Err()
			break
		}
	}
	r.Duration = p.cfg.Now().Sub(begin)
	return r
}

// attempt runs the pipeline once and returns the stage that failed.
func (p *Processor) attempt(ctx context.Context, j Job, attempt int, st *attemptState, r *DocumentResult) (Stage, error) {
	at := func(s Stage) { p.emit(Event{Kind: EventStage, Document: j.Doc.Rel, Stage: s, Attempt: attempt}) }
	if j.Source.Hash == "" {
		at(StageHash)
		info, err := os.Stat(j.Doc.Path)
		if err != nil {
			return StageHash, err
		}
		h, err := HashFile(j.Doc.Path)
		if err != nil {
			return StageHash, err
		}
		j.Source = Source{Hash: h, Size: info.Size(), MTime: info.ModTime().UTC()}
	}
	if j.Reflag && !st.extracted {
		// Only the blocklist changed: the vocab file's terms are what the
		// pipeline would classify again, so they are flagged anew instead.
		at(StageFlag)
		terms, err := p.stages.readTerms(p.vocabPath(j.Doc))
		if err == nil {
			r.Reflagged = true
			r.TermsClassified = len(terms)
			return p.finish(ctx, j, terms, r, at)
		}
		// An unreadable vocab file: run the whole pipeline instead.
		p.cfg.Logf("%s: %v; processing it again", j.Doc.VocabRel, err)
		j.Reflag = false
	}
	if !st.extracted {
		if err := p.acquireCPU(ctx); err != nil {
			return StageParse, err
		}
		at(StageParse)
		doc, err := contained(ctx, func() (*document.Output, error) { return p.parser.File(ctx, j.Doc.Path, p.cfg.ParseOptions) })
		if err != nil {
			p.releaseCPU()
			return StageParse, err
		}
		at(StageExtract)
		eo := p.cfg.ExtractOptions
		eo.Dropped = &st.dropped
		cands, err := contained(ctx, func() ([]extract.Candidate, error) { return p.stages.extract(ctx, doc, eo) })
		p.releaseCPU()
		if err != nil {
			return StageExtract, err
		}
		st.cands, st.extracted = cands, true
	}
	r.TermsExtracted = len(st.cands)
	r.TermsDropped = st.dropped

	var terms []classify.Term
	if len(st.cands) > 0 {
		at(StageClassify)
		req := classify.Request{Source: j.Doc.Rel, Terms: st.cands}
		// Not abandoned when ctx ends: the classifier stores what it was
		// paid for as answers arrive (classify.Progressive), and that must
		// end before Run returns and the caller closes the cache.
		res, err := contained(context.WithoutCancel(ctx), func() (classify.Result, error) {
			if pc, ok := p.cfg.Classifier.(progressive); ok {
				done := 0
				return pc.ClassifyEach(ctx, req, func(idx []int, _ []classify.Term) {
					done += len(idx)
					p.emit(Event{Kind: EventProgress, Document: j.Doc.Rel, Stage: StageClassify, Attempt: attempt, Done: done, Of: len(req.Terms)})
				})
			}
			return p.cfg.Classifier.Classify(ctx, req)
		})
		r.Usage.Add(res.Usage)
		if err != nil {
			return StageClassify, err
		}
		terms = res.Terms
	}
	if terms == nil {
		terms = []classify.Term{}
	}
	r.TermsClassified = len(terms)
	at(StageFlag)
	return p.finish(ctx, j, terms, r, at)
}

// finish flags terms, writes the vocab file and records the document.
func (p *Processor) finish(ctx context.Context, j Job, terms []classify.Term, r *DocumentResult, at func(Stage)) (Stage, error) {
	r.TermsFlagged = p.cfg.Blocklist.Flag(terms)

	if err := ctx.Err(); err != nil {
		return StageWrite, err
	}
	at(StageWrite)
	now := p.cfg.Now().UTC()
	info := vocab.DocumentInfo{SourcePath: j.Doc.Rel, SourceHash: j.Source.Hash, Pipeline: p.fingerprint.String()}
	if err := p.stages.writeVocab(p.vocabPath(j.Doc), info, terms, now); err != nil {
		return StageWrite, err
	}
	at(StageManifest)
	err := p.manifest.Record(j.Doc.Rel, ManifestEntry{
		SourcePath:   j.Doc.Path,
		SourceHash:   j.Source.Hash,
		Size:         j.Source.Size,
		MTime:        j.Source.MTime,
		VocabPath:    j.Doc.VocabRel,
		TermCount:    len(terms),
		FlaggedCount: r.TermsFlagged,
		ProcessedAt:  now,
		Pipeline:     p.fingerprint.String(),
	})
	if err != nil {
		return StageManifest, err
	}
	return "", nil
}

func (p *Processor) acquireCPU(ctx context.Context) error {
	select {
	case p.cpu <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *Processor) releaseCPU() { <-p.cpu }

// contained runs one stage of a document under fault.Contain, turning a
// panic into an error so that one bad document cannot bring the batch down,
// and returning as soon as ctx ends (the stage, which honours ctx, is left
// to stop on its own and its result is dropped).
func contained[T any](ctx context.Context, f func() (T, error)) (T, error) {
	return fault.Contain(ctx, f, func(v any) error { return fmt.Errorf("internal error: %v", v) })
}

// sleep waits d or until ctx ends; it reports whether the full wait elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
