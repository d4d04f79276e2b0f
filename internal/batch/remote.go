package batch

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/fault"
)

// Remote runs the analysis of documents (parse, extract, classify) somewhere
// else, as internal/cluster does on the machines of a NATS cluster. The
// Processor keeps everything that touches the output folder: it re-flags
// where only the blocklist changed, hashes, flags, writes the vocab files,
// records the manifest, logs errors and consolidates.
type Remote interface {
	// Analyze hands jobs (hashed, none of them a re-flag) out and reports
	// each one's end through sink.Done, once. It returns when every job has
	// ended or ctx ends; the context's error is then returned.
	Analyze(ctx context.Context, jobs []Job, sink Sink) error
}

// Sink is where a Remote reports. Its methods may be called from several
// goroutines.
type Sink interface {
	// Event forwards a progress event (stage, progress, with Worker set).
	Event(Event)
	// AttemptFailed records a failed attempt that will be retried.
	AttemptFailed(j Job, stage Stage, attempt int, err error)
	// Done records a job's end: on success, its terms are flagged, written
	// and recorded in the manifest. An error means the output could not be
	// written (the document is then reported failed).
	Done(j Job, a Analysis) error
}

// Analysis is what a remote pipeline made of a document.
type Analysis struct {
	// Terms are the classified terms, not yet flagged.
	Terms []classify.Term
	// Extracted and Dropped count the candidates kept and dropped.
	Extracted, Dropped int
	Usage              classify.Usage
	// Attempts is how many times the pipeline ran for the document.
	Attempts int
	// Worker names who did the last attempt.
	Worker   string
	Duration time.Duration
	// Stage and Err tell where and why the last attempt failed; Err is nil
	// on success. A fault.Fatal error stops the batch.
	Stage Stage
	Err   error
}

// runRemote re-flags and hashes here, then hands the rest to the Remote.
func (p *Processor) runRemote(ctx context.Context, jobs []Job, sum *Summary) error {
	var remote []Job
	for _, j := range jobs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		at := func(s Stage) { p.emit(Event{Kind: EventStage, Document: j.Doc.Rel, Stage: s, Attempt: 1}) }
		if j.Reflag {
			begin := p.cfg.Now()
			r := DocumentResult{Path: j.Doc.Rel, VocabPath: j.Doc.VocabRel, Attempts: 1}
			at(StageFlag)
			terms, err := p.stages.readTerms(p.vocabPath(j.Doc))
			if err == nil {
				r.Reflagged = true
				r.TermsClassified = len(terms)
				stage, err := p.finish(ctx, j, terms, &r, at)
				p.settle(&r, j, stage, err, begin)
				p.complete(sum, r)
				continue
			}
			p.cfg.Logf("%s: %v; processing it again", j.Doc.VocabRel, err)
			j.Reflag = false
		}
		if j.Source.Hash == "" {
			at(StageHash)
			src, err := hashSource(j.Doc.Path)
			if err != nil {
				begin := p.cfg.Now()
				r := DocumentResult{Path: j.Doc.Rel, VocabPath: j.Doc.VocabRel, Attempts: 1}
				p.settle(&r, j, StageHash, err, begin)
				p.complete(sum, r)
				continue
			}
			j.Source = src
		}
		remote = append(remote, j)
	}
	if len(remote) == 0 {
		return nil
	}
	return p.cfg.Remote.Analyze(ctx, remote, &remoteSink{p: p, sum: sum})
}

func hashSource(path string) (Source, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Source{}, err
	}
	h, err := HashFile(path)
	if err != nil {
		return Source{}, err
	}
	return Source{Hash: h, Size: info.Size(), MTime: info.ModTime().UTC()}, nil
}

// settle sets r's status from the outcome of its last attempt, logging a
// failure and halting the batch on a fatal one.
func (p *Processor) settle(r *DocumentResult, j Job, stage Stage, err error, begin time.Time) {
	r.Duration = p.cfg.Now().Sub(begin)
	if err == nil {
		r.Status, r.Stage, r.Err = StatusSuccess, "", nil
		return
	}
	r.Status, r.Stage, r.Err = StatusFailed, stage, err
	p.errlog.log(p.cfg.Now(), j.Doc.Rel, stage, max(1, r.Attempts), err)
	if fault.IsFatal(err) {
		p.haltOnce.Do(func() {
			p.haltErr = fmt.Errorf("%s: %w", j.Doc.Rel, err)
			p.halt()
		})
	}
}

type remoteSink struct {
	p   *Processor
	sum *Summary
}

func (s *remoteSink) Event(e Event) { s.p.emit(e) }

func (s *remoteSink) AttemptFailed(j Job, stage Stage, attempt int, err error) {
	s.p.errlog.log(s.p.cfg.Now(), j.Doc.Rel, stage, attempt, err)
	s.p.emit(Event{Kind: EventRetry, Document: j.Doc.Rel, Stage: stage, Attempt: attempt, Err: err})
}

func (s *remoteSink) Done(j Job, a Analysis) error {
	p := s.p
	begin := p.cfg.Now().Add(-a.Duration)
	r := DocumentResult{
		Path: j.Doc.Rel, VocabPath: j.Doc.VocabRel, Attempts: max(1, a.Attempts), Worker: a.Worker,
		TermsExtracted: a.Extracted, TermsDropped: a.Dropped, Usage: a.Usage,
	}
	if a.Err != nil {
		p.settle(&r, j, a.Stage, a.Err, begin)
		p.complete(s.sum, r)
		return nil
	}
	terms := a.Terms
	if terms == nil {
		terms = []classify.Term{}
	}
	r.TermsClassified = len(terms)
	at := func(st Stage) {
		p.emit(Event{Kind: EventStage, Document: j.Doc.Rel, Stage: st, Attempt: r.Attempts, Worker: a.Worker})
	}
	at(StageFlag)
	stage, err := p.finish(context.Background(), j, terms, &r, at)
	p.settle(&r, j, stage, err, begin)
	p.complete(s.sum, r)
	return err
}
