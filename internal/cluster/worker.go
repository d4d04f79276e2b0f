package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
	"github.com/corpora-tools/corpora/internal/fault"
	"github.com/corpora-tools/corpora/internal/parse"
)

// WorkerConfig configures a Worker.
type WorkerConfig struct {
	// Name identifies the worker in the coordinator's display; "" is
	// host:pid.
	Name string
	// Workers is how many documents the worker analyses at once; 0 is
	// batch.DefaultWorkers.
	Workers int
	// Classifier returns the classifier for a job's backend and model,
	// built from this machine's own credentials; it is called once per
	// pair and the result kept.
	Classifier func(ctx context.Context, backend, model string) (classify.Classifier, error)
	// Parser parses the documents; nil starts a parse.Parser.
	Parser batch.Parser
	// Extract is the extraction stage; nil is extract.Extract.
	Extract func(ctx context.Context, doc *document.Output, opts extract.Options) ([]extract.Candidate, error)
	// ParseOptions are this machine's parse settings (password, limits,
	// warnings); the job sets OCR.
	ParseOptions document.Options
	// ToolVersion is corpora's version: a job from another version is
	// refused, since its fingerprint would not match.
	ToolVersion string
	// AckWait is how long a job may go without a progress acknowledgement
	// before it is given to another worker; 0 is DefaultAckWait.
	AckWait time.Duration
	// MaxDeliver bounds the deliveries of one job (workers killed on it);
	// 0 is DefaultMaxDeliver.
	MaxDeliver int
	// RetryDelay is the pause before a failed job's second attempt; 0 is
	// batch.DefaultRetryDelay.
	RetryDelay time.Duration
	// TempDir holds the documents while they are analysed; "" is the
	// system's.
	TempDir string
	// Logf hears about jobs started, finished and failed; nil discards.
	Logf func(format string, args ...any)
}

// Worker pulls jobs and analyses them.
type Worker struct {
	cfg WorkerConfig
	nc  *nats.Conn
	js  jetstream.JetStream
	st  *stores
	// getFile is st.sources.GetFile; tests replace it to inject faults.
	getFile func(ctx context.Context, name, path string) error

	terms jetstream.KeyValue // the cluster's term cache (TermBucket)

	mu  sync.Mutex
	cls map[[2]string]classify.Classifier
}

// NewWorker connects a worker to the NATS server at url and creates the
// streams and buckets it uses when they are missing.
func NewWorker(ctx context.Context, url string, cfg WorkerConfig) (*Worker, error) {
	if cfg.Classifier == nil {
		return nil, errors.New("cluster: worker without a classifier")
	}
	if cfg.Name == "" {
		host, _ := os.Hostname()
		cfg.Name = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	if cfg.Workers <= 0 {
		cfg.Workers = batch.DefaultWorkers()
	}
	if cfg.Extract == nil {
		cfg.Extract = extract.Extract
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = DefaultAckWait
	}
	if cfg.MaxDeliver <= 0 {
		cfg.MaxDeliver = DefaultMaxDeliver
	}
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = batch.DefaultRetryDelay
	}
	if cfg.ToolVersion == "" {
		cfg.ToolVersion = "dev"
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	nc, js, err := Connect(url, "corpora worker "+cfg.Name)
	if err != nil {
		return nil, err
	}
	st, err := setup(ctx, js, 0, false)
	if err != nil {
		nc.Close()
		return nil, err
	}
	terms, err := ensureKV(ctx, js, jetstream.KeyValueConfig{Bucket: TermBucket, Storage: jetstream.FileStorage}, false)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("%w: create key-value bucket %s: %w", ErrUnavailable, TermBucket, err)
	}
	w := &Worker{cfg: cfg, nc: nc, js: js, st: st, terms: terms, cls: map[[2]string]classify.Classifier{}}
	w.getFile = func(ctx context.Context, name, path string) error { return st.sources.GetFile(ctx, name, path) }
	return w, nil
}

// Name is the worker's name.
func (w *Worker) Name() string { return w.cfg.Name }

// Close closes the connection; jobs not acknowledged go back to the queue
// after their acknowledgement deadline.
func (w *Worker) Close() { w.nc.Close() }

// Run pulls and analyses jobs until ctx ends; jobs in progress then are
// handed back (Nak) for another worker, and Run returns nil.
func (w *Worker) Run(ctx context.Context) error {
	ccfg := jetstream.ConsumerConfig{
		Durable: WorkerConsumer, AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: w.cfg.AckWait, MaxDeliver: w.cfg.MaxDeliver, FilterSubject: JobSubject,
	}
	// The consumer is shared: only a worker whose settings differ updates it.
	cons, err := ensure(ctx,
		func(ctx context.Context) (jetstream.Consumer, error) {
			return w.js.Consumer(ctx, JobStream, WorkerConsumer)
		},
		jetstream.ErrConsumerNotFound,
		func(ctx context.Context) (jetstream.Consumer, error) {
			return w.js.CreateOrUpdateConsumer(ctx, JobStream, ccfg)
		},
		func(c jetstream.Consumer) bool {
			have := c.CachedInfo().Config
			return have.AckWait == ccfg.AckWait && have.MaxDeliver == ccfg.MaxDeliver && have.FilterSubject == ccfg.FilterSubject
		},
		func(ctx context.Context) (jetstream.Consumer, error) {
			return w.js.CreateOrUpdateConsumer(ctx, JobStream, ccfg)
		},
	)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("%w: consumer %s: %w", ErrUnavailable, WorkerConsumer, err)
	}
	parser := w.cfg.Parser
	if parser == nil {
		pp, err := parse.New(parse.Config{Workers: w.cfg.Workers})
		if err != nil {
			return fmt.Errorf("start parser: %w", err)
		}
		defer pp.Close()
		parser = pp
	}
	var wg sync.WaitGroup
	for range w.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				batchMsgs, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second))
				if err != nil {
					if ctx.Err() == nil {
						sleepCtx(ctx, time.Second) // the server is away: try again
					}
					continue
				}
				for msg := range batchMsgs.Messages() {
					w.handle(ctx, parser, msg)
				}
			}
		}()
	}
	wg.Wait()
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// handle analyses one job and acknowledges it.
func (w *Worker) handle(ctx context.Context, parser batch.Parser, msg jetstream.Msg) {
	var job JobMsg
	if err := json.Unmarshal(msg.Data(), &job); err != nil || job.ID == "" {
		w.cfg.Logf("dropping an unreadable job: %v", err)
		_ = msg.Term()
		return
	}
	if ctx.Err() != nil {
		_ = msg.Nak()
		return
	}
	// Progress acknowledgements keep the job ours during a long document.
	hbCtx, stopHB := context.WithCancel(context.Background())
	defer stopHB()
	go func() {
		t := time.NewTicker(max(w.cfg.AckWait/3, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-t.C:
				_ = msg.InProgress()
			case <-hbCtx.Done():
				return
			}
		}
	}()

	bg := context.Background()
	if done, err := resultExists(bg, w.st.results, job.ID); err == nil && done {
		_ = msg.Ack() // already done by another worker (a redelivery)
		return
	}
	w.cfg.Logf("%s: started", job.Source)
	begin := time.Now()
	res, stage, err := w.analyse(ctx, parser, job)
	res.ID, res.Worker = job.ID, w.cfg.Name
	res.DurationMS = time.Since(begin).Milliseconds()
	if err != nil && ctx.Err() != nil {
		// Ctrl+C: hand the job back at once.
		_ = msg.Nak()
		w.cfg.Logf("%s: handed back", job.Source)
		return
	}
	if err != nil {
		n := w.countFailure(bg, job.ID)
		res.Attempts = n
		if n < 2 && fault.IsRetryable(err) {
			w.event(job.ID, EventMsg{Kind: "retry", Stage: string(stage), Attempt: n, Error: err.Error()})
			w.cfg.Logf("%s: %s: %v; retrying", job.Source, stage, err)
			_ = msg.NakWithDelay(max(w.cfg.RetryDelay, 0))
			return
		}
		res.Stage, res.Error, res.Fatal = string(stage), err.Error(), fault.IsFatal(err)
		w.cfg.Logf("%s: failed at %s: %v", job.Source, stage, err)
	} else {
		res.Attempts = w.failures(bg, job.ID) + 1
		w.cfg.Logf("%s: done, %d terms", job.Source, len(res.Terms))
	}
	data, merr := json.Marshal(res)
	if merr == nil {
		_, merr = w.st.results.PutBytes(bg, job.ID, data)
	}
	if merr != nil {
		// The result could not be stored: let the job come back.
		w.cfg.Logf("%s: storing the result: %v", job.Source, merr)
		_ = msg.NakWithDelay(time.Second)
		return
	}
	_ = msg.Ack()
}

// countFailure records a failed attempt of job id and returns how many
// there have been, on any worker.
func (w *Worker) countFailure(ctx context.Context, id string) int {
	for range 5 {
		e, err := w.st.attempts.Get(ctx, id)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			if _, err := w.st.attempts.Create(ctx, id, []byte("1")); err == nil {
				return 1
			}
			continue
		}
		if err != nil {
			return 1
		}
		var n int
		_, _ = fmt.Sscan(string(e.Value()), &n)
		if _, err := w.st.attempts.Update(ctx, id, []byte(fmt.Sprint(n+1)), e.Revision()); err == nil {
			return n + 1
		}
	}
	return 1
}

func (w *Worker) failures(ctx context.Context, id string) int {
	e, err := w.st.attempts.Get(ctx, id)
	if err != nil {
		return 0
	}
	var n int
	_, _ = fmt.Sscan(string(e.Value()), &n)
	return n
}

func (w *Worker) event(id string, e EventMsg) {
	e.Worker = w.cfg.Name
	data, _ := json.Marshal(e)
	_ = w.nc.Publish(EventPrefix+id, data)
}

// classifier returns the classifier for backend and model.
func (w *Worker) classifier(ctx context.Context, backend, model string) (classify.Classifier, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	k := [2]string{backend, model}
	if c, ok := w.cls[k]; ok {
		return c, nil
	}
	c, err := w.cfg.Classifier(ctx, backend, model)
	if err != nil {
		return nil, err
	}
	w.cls[k] = c
	return c, nil
}

// fetchPatience bounds how long fetching a document's bytes keeps trying
// while the NATS server is away (restarting, a network blip) before the
// failure is charged to the document as one of its attempts.
const fetchPatience = 45 * time.Second

// fetch copies the document with hash from the shared store to path. A
// server that restarts mid-run makes reads time out or the connection
// drop for a few seconds; that is the cluster's trouble, not the
// document's, so fetch waits it out (backing off, up to fetchPatience)
// instead of spending the document's two attempts on it. A source that is
// really gone is not waited for.
func (w *Worker) fetch(ctx context.Context, hash, path string) error {
	deadline := time.Now().Add(fetchPatience)
	delay := 100 * time.Millisecond
	for {
		err := w.getFile(ctx, hash, path)
		if err == nil {
			h, herr := batch.HashFile(path)
			if herr == nil && h == hash {
				return nil
			}
			err = errors.New("content does not match its hash")
		}
		err = fmt.Errorf("fetch %s: %w", hash, err)
		if errors.Is(err, jetstream.ErrObjectNotFound) || ctx.Err() != nil || time.Now().Add(delay).After(deadline) {
			return err
		}
		w.cfg.Logf("%v; trying again in %v", err, delay)
		sleepCtx(ctx, delay)
		delay = min(2*delay, 5*time.Second)
	}
}

// analyse runs parse, extract and classify on the job's document.
func (w *Worker) analyse(ctx context.Context, parser batch.Parser, job JobMsg) (res ResultMsg, stage batch.Stage, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("internal error: %v", rec)
		}
	}()
	attempt := w.failures(context.Background(), job.ID) + 1
	at := func(s batch.Stage) {
		stage = s
		w.event(job.ID, EventMsg{Kind: "stage", Stage: string(s), Attempt: attempt})
	}
	at(batch.StageQueued)
	cls, err := w.classifier(ctx, job.Backend, job.Model)
	if err != nil {
		return res, stage, fault.MarkNoRetry(fmt.Errorf("classifier %s/%s on worker %s: %w", job.Backend, job.Model, w.cfg.Name, err))
	}
	eo := extract.Options{KeepGeneric: job.KeepGeneric, MaxCandidates: job.MaxCandidates, MinScore: job.MinScore}
	po := w.cfg.ParseOptions
	po.OCR = document.OCRMode(job.OCR)
	fp := batch.NewFingerprint(w.cfg.ToolVersion, po, eo, cls.Backend(), cls.Model(), cls.PromptVersion(), job.BlocklistHash).String()
	if fp != job.Pipeline {
		return res, stage, fault.MarkNoRetry(fmt.Errorf("worker %s runs another pipeline (%s) than the batch (%s): run the same corpora version everywhere", w.cfg.Name, fp, job.Pipeline))
	}

	at(batch.StageHash) // fetching the bytes
	dir, err := os.MkdirTemp(w.cfg.TempDir, "corpora-job-")
	if err != nil {
		return res, stage, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, filepath.Base(job.Name))
	if err := w.fetch(ctx, job.Hash, path); err != nil {
		return res, stage, fault.Retryable(err, 0)
	}

	at(batch.StageParse)
	doc, err := parser.File(ctx, path, po)
	if err != nil {
		return res, stage, err
	}
	doc.Source = job.Source
	at(batch.StageExtract)
	eo.Dropped = &res.Dropped
	cands, err := w.cfg.Extract(ctx, doc, eo)
	if err != nil {
		return res, stage, err
	}
	res.Extracted = len(cands)
	res.Terms = []classify.Term{}
	if len(cands) > 0 {
		at(batch.StageClassify)
		req := classify.Request{Source: job.Source, Terms: cands}
		var out classify.Result
		if pc, ok := cls.(interface {
			ClassifyEach(ctx context.Context, req classify.Request, each func(idx []int, terms []classify.Term)) (classify.Result, error)
		}); ok {
			done := 0
			out, err = pc.ClassifyEach(ctx, req, func(idx []int, _ []classify.Term) {
				done += len(idx)
				w.event(job.ID, EventMsg{Kind: "progress", Stage: string(batch.StageClassify), Attempt: attempt, Done: done, Of: len(cands)})
			})
		} else {
			out, err = cls.Classify(ctx, req)
		}
		res.Usage = out.Usage
		if err != nil {
			return res, stage, err
		}
		if out.Terms != nil {
			res.Terms = out.Terms
		}
	}
	return res, "", nil
}
