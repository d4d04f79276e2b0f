package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/fault"
)

// IDFile, in the output folder, names the folder for the coordinators'
// lease, so that two machines sharing the folder see the same lease.
const IDFile = ".corpora-cluster-id"

// CoordinatorConfig configures a Coordinator.
type CoordinatorConfig struct {
	// OutputDir is the batch's output folder (for the lease).
	OutputDir string
	// ToolVersion, Backend, Model, OCR, extraction settings and the
	// blocklist hash travel with every job; Pipeline is the fingerprint
	// string the worker must reproduce.
	Template JobMsg
	// Force ignores the results of earlier runs: every document is
	// analysed again (batch --force).
	Force bool
	// Poll is how often the coordinator also looks for results itself, in
	// case the watch missed one (a server restart); 0 is 5 seconds.
	Poll time.Duration
	// Keep is how long sources and results stay in their stores; 0 is
	// DefaultKeep.
	Keep time.Duration
	// Logf hears notices; nil discards them.
	Logf func(format string, args ...any)
}

// Coordinator hands a batch's documents to the workers; it is a
// batch.Remote.
type Coordinator struct {
	cfg CoordinatorConfig
	nc  *nats.Conn
	js  jetstream.JetStream
	st  *stores
}

// NewCoordinator connects to the NATS server at url and creates the streams
// and buckets when they are missing.
func NewCoordinator(ctx context.Context, url string, cfg CoordinatorConfig) (*Coordinator, error) {
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	host, _ := os.Hostname()
	nc, js, err := Connect(url, fmt.Sprintf("corpora batch %s:%d", host, os.Getpid()))
	if err != nil {
		return nil, err
	}
	st, err := setup(ctx, js, cfg.Keep, true)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return &Coordinator{cfg: cfg, nc: nc, js: js, st: st}, nil
}

// Close closes the connection. Published jobs stay queued and results stay
// stored: the next run takes them up.
func (c *Coordinator) Close() { c.nc.Close() }

// pending is a job in flight: one id may stand for several documents of the
// same content.
type pending struct {
	jobs []batch.Job
}

// Analyze implements batch.Remote.
func (c *Coordinator) Analyze(ctx context.Context, jobs []batch.Job, sink batch.Sink) error {
	release, err := c.lease(ctx)
	if err != nil {
		return err
	}
	defer release()

	var mu sync.Mutex
	byID := map[string]*pending{}
	byDoc := map[string]string{} // id -> the first document's rel, for events
	order := []string{}
	for _, j := range jobs {
		id := JobID(j.Source.Hash, j.Doc.Rel, c.cfg.Template.Pipeline)
		p := byID[id]
		if p == nil {
			p = &pending{}
			byID[id] = p
			byDoc[id] = j.Doc.Rel
			order = append(order, id)
		}
		p.jobs = append(p.jobs, j)
	}

	// Worker events: which worker has which document, at which stage.
	sub, err := c.nc.Subscribe(EventPrefix+"*", func(m *nats.Msg) {
		id := strings.TrimPrefix(m.Subject, EventPrefix)
		mu.Lock()
		p := byID[id]
		mu.Unlock()
		if p == nil {
			return
		}
		var e EventMsg
		if json.Unmarshal(m.Data, &e) != nil {
			return
		}
		for _, j := range p.jobs {
			switch e.Kind {
			case "stage":
				sink.Event(batch.Event{Kind: batch.EventStage, Document: j.Doc.Rel, Stage: batch.Stage(e.Stage), Attempt: e.Attempt, Worker: e.Worker})
			case "progress":
				sink.Event(batch.Event{Kind: batch.EventProgress, Document: j.Doc.Rel, Stage: batch.Stage(e.Stage), Attempt: e.Attempt, Done: e.Done, Of: e.Of, Worker: e.Worker})
			case "retry":
				sink.AttemptFailed(j, batch.Stage(e.Stage), e.Attempt, fmt.Errorf("%s (on %s)", e.Error, e.Worker))
			}
		}
	})
	if err != nil {
		return fmt.Errorf("%w: subscribe: %w", ErrUnavailable, err)
	}
	defer func() { _ = sub.Unsubscribe() }()

	// Jobs a worker gave up on after MaxDeliver deliveries (killed on it
	// again and again) are recorded as failed.
	given := make(chan givenUpJob, 16)
	adv, err := c.nc.Subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES."+JobStream+"."+WorkerConsumer, func(m *nats.Msg) {
		var a givenUpJob
		if json.Unmarshal(m.Data, &a) == nil && a.StreamSeq > 0 {
			select {
			case given <- a:
			default:
			}
		}
	})
	if err == nil {
		defer func() { _ = adv.Unsubscribe() }()
	}

	// Results: watched before anything is published, so none is missed.
	watcher, err := c.st.results.Watch(ctx, jetstream.UpdatesOnly())
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: watch %s: %w", ErrUnavailable, ResultBucket, err)
	}
	defer func() { _ = watcher.Stop() }()

	left := len(order)
	take := func(id string) *pending {
		mu.Lock()
		defer mu.Unlock()
		p := byID[id]
		delete(byID, id)
		if p != nil {
			left--
		}
		return p
	}
	collect := func(id string) error {
		data, err := c.st.results.GetBytes(ctx, id)
		if err != nil {
			return err
		}
		var res ResultMsg
		if err := json.Unmarshal(data, &res); err != nil {
			return fmt.Errorf("result %s: %w", id, err)
		}
		p := take(id)
		if p == nil {
			return nil
		}
		c.deliver(ctx, id, p, res, sink)
		return nil
	}

	// Publish what is not already done, resuming an earlier run.
	for _, id := range order {
		if err := ctx.Err(); err != nil {
			return err
		}
		var done bool
		err := c.retry(ctx, func(ctx context.Context) (err error) {
			done, err = resultExists(ctx, c.st.results, id)
			if err != nil {
				return fmt.Errorf("%w: %w", ErrUnavailable, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if done && c.cfg.Force {
			c.forget(ctx, id)
			done = false
		}
		if done {
			if err := collect(id); err == nil {
				continue
			}
		}
		mu.Lock()
		p := byID[id]
		mu.Unlock()
		if p == nil {
			continue
		}
		if err := c.retry(ctx, func(ctx context.Context) error { return c.publish(ctx, id, p.jobs[0]) }); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		for _, j := range p.jobs {
			sink.Event(batch.Event{Kind: batch.EventStage, Document: j.Doc.Rel, Stage: batch.StageQueued, Attempt: 1})
		}
	}

	poll := c.cfg.Poll
	if poll <= 0 {
		poll = 5 * time.Second
	}
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	for {
		mu.Lock()
		n := left
		mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			mu.Lock()
			ids := make([]string, 0, len(byID))
			for id := range byID {
				ids = append(ids, id)
			}
			mu.Unlock()
			for _, id := range ids {
				// Bounded, so that a reply lost to a server restart costs
				// one poll, not the run: the next tick asks again.
				tctx, cancel := context.WithTimeout(ctx, callTimeout)
				if done, err := resultExists(tctx, c.st.results, id); err == nil && done {
					if err := collect(id); err != nil && ctx.Err() == nil {
						c.cfg.Logf("result %s: %v", id, err)
					}
				}
				cancel()
			}
		case info, ok := <-watcher.Updates():
			if !ok {
				return fmt.Errorf("%w: the result watch ended", ErrUnavailable)
			}
			if info == nil || info.Deleted {
				continue
			}
			if err := collect(info.Name); err != nil && ctx.Err() == nil {
				c.cfg.Logf("result %s: %v", info.Name, err)
			}
		case g := <-given:
			c.givenUp(ctx, g, take, sink)
		}
	}
}

// deliver hands a result to the sink for every document it stands for. A
// failure's traces are removed, so that the next run tries again.
func (c *Coordinator) deliver(ctx context.Context, id string, p *pending, res ResultMsg, sink batch.Sink) {
	a := batch.Analysis{
		Terms: res.Terms, Extracted: res.Extracted, Dropped: res.Dropped, Usage: res.Usage,
		Attempts: res.Attempts, Worker: res.Worker, Duration: time.Duration(res.DurationMS) * time.Millisecond,
	}
	if res.Error != "" {
		a.Stage = batch.Stage(res.Stage)
		a.Err = errors.New(res.Error)
		if res.Fatal {
			a.Err = fault.MarkFatal(a.Err)
		}
	}
	for i, j := range p.jobs {
		if i > 0 {
			a.Usage = classify.Usage{} // paid once
		}
		if err := sink.Done(j, a); err != nil {
			c.cfg.Logf("%s: %v", j.Doc.Rel, err)
		}
	}
	if res.Error != "" {
		c.forget(ctx, id) // the next run tries again
	}
}

// forget removes job id's result and failed attempts, and moves it to a new
// generation, so that publishing it again is not taken for a duplicate.
func (c *Coordinator) forget(ctx context.Context, id string) {
	_ = c.st.attempts.Delete(ctx, id)
	_, _ = c.st.attempts.Put(ctx, genKey(id), []byte(fmt.Sprint(c.generation(ctx, id)+1)))
	_ = c.st.results.Delete(ctx, id)
}

// givenUpJob is the server's max-deliveries advisory.
type givenUpJob struct {
	StreamSeq  uint64 `json:"stream_seq"`
	Deliveries int    `json:"deliveries"`
}

// givenUp records the job of the advisory as failed: it was delivered
// MaxDeliver times without an answer.
func (c *Coordinator) givenUp(ctx context.Context, g givenUpJob, take func(string) *pending, sink batch.Sink) {
	seq := g.StreamSeq
	raw, err := c.st.jobs.GetMsg(ctx, seq)
	if err != nil {
		return
	}
	var job JobMsg
	if json.Unmarshal(raw.Data, &job) != nil {
		return
	}
	_ = c.st.jobs.DeleteMsg(ctx, seq)
	p := take(job.ID)
	if p == nil {
		return
	}
	c.deliver(ctx, job.ID, p, ResultMsg{ID: job.ID, Attempts: max(1, g.Deliveries), Stage: string(batch.StageQueued),
		Error: fmt.Sprintf("no worker finished it: delivered the maximum number of times (%d; workers killed or stopped on it)", g.Deliveries)}, sink)
}

// callTimeout bounds one request to the server. A request whose reply is
// lost (the server restarted between them) would otherwise wait for the
// whole run's context.
const callTimeout = 15 * time.Second

// retry runs call with a bounded context, again (up to five times, a
// moment apart) while it fails for want of the server (ErrUnavailable):
// every call it wraps is idempotent (object names are content hashes, jobs
// are deduplicated by message id).
func (c *Coordinator) retry(ctx context.Context, call func(context.Context) error) error {
	for try := 1; ; try++ {
		tctx, cancel := context.WithTimeout(ctx, callTimeout)
		err := call(tctx)
		cancel()
		if err == nil || ctx.Err() != nil || try == 5 || !errors.Is(err, ErrUnavailable) {
			if err != nil && ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(try) * 500 * time.Millisecond):
		}
	}
}

// publish puts the document's bytes into the source store (once per
// content) and publishes its job, deduplicated by id.
func (c *Coordinator) publish(ctx context.Context, id string, j batch.Job) error {
	if _, err := c.st.sources.GetInfo(ctx, j.Source.Hash); err != nil {
		if !errors.Is(err, jetstream.ErrObjectNotFound) {
			return fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		f, err := os.Open(j.Doc.Path)
		if err != nil {
			return fmt.Errorf("%s: %w", j.Doc.Rel, err)
		}
		_, err = c.st.sources.Put(ctx, jetstream.ObjectMeta{Name: j.Source.Hash, Description: j.Doc.Rel}, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%w: upload %s: %w", ErrUnavailable, j.Doc.Rel, err)
		}
	}
	job := c.cfg.Template
	job.ID, job.Source, job.Name, job.Hash, job.Size = id, j.Doc.Rel, filepath.Base(j.Doc.Path), j.Source.Hash, j.Source.Size
	data, err := json.Marshal(job)
	if err != nil {
		return err
	}
	msgID := fmt.Sprintf("%s.%d", id, c.generation(ctx, id))
	if _, err := c.js.Publish(ctx, JobSubject, data, jetstream.WithMsgID(msgID)); err != nil {
		return fmt.Errorf("%w: publish %s: %w", ErrUnavailable, j.Doc.Rel, err)
	}
	return nil
}

// genKey is the key of job id's generation in AttemptBucket: how many
// times it was recorded failed. It is part of the message id, so that a job
// published again after a failure is not taken for a duplicate.
func genKey(id string) string { return "gen-" + id }

func (c *Coordinator) generation(ctx context.Context, id string) int {
	e, err := c.st.attempts.Get(ctx, genKey(id))
	if err != nil {
		return 0
	}
	var n int
	_, _ = fmt.Sscan(string(e.Value()), &n)
	return n
}

// lease takes the output folder's lease, refused (batch.ErrLocked) while a
// coordinator on another machine holds it. The folder lock already keeps
// out a second coordinator on this machine, so a lease held by this host is
// a dead run's and is taken over.
func (c *Coordinator) lease(ctx context.Context) (release func(), err error) {
	key, err := folderID(c.cfg.OutputDir)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", batch.ErrOutput, err)
	}
	host, _ := os.Hostname()
	me := []byte(fmt.Sprintf("%s %d", host, os.Getpid()))
	if _, err := c.st.leases.Create(ctx, key, me); err != nil {
		e, gerr := c.st.leases.Get(ctx, key)
		if gerr != nil || !strings.HasPrefix(string(e.Value()), host+" ") {
			holder := "another machine"
			if gerr == nil {
				holder = string(e.Value())
			}
			return nil, fmt.Errorf("%w (coordinator %s holds the NATS lease)", batch.ErrLocked, holder)
		}
		if _, err := c.st.leases.Put(ctx, key, me); err != nil {
			return nil, fmt.Errorf("%w: lease: %w", ErrUnavailable, err)
		}
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(leaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				_, _ = c.st.leases.Put(context.Background(), key, me)
			case <-stop:
				return
			}
		}
	}()
	return func() {
		close(stop)
		<-done
		_ = c.st.leases.Delete(context.Background(), key)
	}, nil
}

// folderID returns the output folder's cluster id, creating it.
func folderID(dir string) (string, error) {
	path := filepath.Join(dir, IDFile)
	if data, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(data))) == 32 {
		return strings.TrimSpace(string(data)), nil
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := hex.EncodeToString(b)
	if err := atomicfile.WriteFile(path, []byte(id+"\n"), 0o644); err != nil {
		return "", err
	}
	return id, nil
}
