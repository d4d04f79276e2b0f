package cluster

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/offline"
	"github.com/corpora-tools/corpora/internal/cluster/natstest"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/fault"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/parse"
)

var books = map[string]string{
	"dragons.txt":          "The ancient red dragon Vermithrax breathes fire upon the castle of Highmoor. Knights of the Silver Order ride griffons against the wyrm.",
	"spells/wizardry.md":   "# Wizardry\n\nA wizard casts fireball and lightning bolt. The archmage Elminara binds a familiar with a spell of warding.",
	"spells/necromancy.md": "The necromancer raises skeletons and ghouls from the grave. A lich hides its phylactery in the Crypt of Sorrows.",
	"copy/dragons.txt":     "The ancient red dragon Vermithrax breathes fire upon the castle of Highmoor. Knights of the Silver Order ride griffons against the wyrm.",
}

func writeBooks(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// testAckWait is the workers' acknowledgement deadline in these tests.
var testAckWait = time.Second

var fixedNow = func() time.Time { return time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC) }

// runBatch runs a batch over in into out, locally or (url set) through the
// cluster.
func runBatch(ctx context.Context, t testing.TB, in, out, url string, mods ...func(*batch.Config)) (batch.Summary, error) {
	t.Helper()
	bl, err := ipreview.LoadBlocklist("")
	if err != nil {
		t.Fatal(err)
	}
	cls := offline.New()
	cfg := batch.Config{InputDir: in, OutputDir: out, Workers: 2, Classifier: cls, Blocklist: bl, Now: fixedNow,
		RetryDelay: time.Millisecond, ParseOptions: document.Options{Limits: document.DefaultLimits()}}
	for _, m := range mods {
		m(&cfg)
	}
	if url != "" {
		coord, err := NewCoordinator(ctx, url, CoordinatorConfig{OutputDir: out, Force: cfg.Force, Poll: 500 * time.Millisecond,
			Template: NewTemplate(cfg.ToolVersion, cfg.ParseOptions, cfg.ExtractOptions, cfg.Classifier, bl.Hash())})
		if err != nil {
			t.Fatal(err)
		}
		defer coord.Close()
		cfg.Remote = coord
	}
	p, err := batch.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := p.Plan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p.Run(ctx, plan)
}

type testWorker struct {
	*Worker
	parses atomic.Int64
	cancel context.CancelFunc
	done   chan struct{}
}

// startWorker starts an in-process worker; parse, when set, replaces the
// real parser.
func startWorker(t testing.TB, url, name string, parse batch.ParserFunc) *testWorker {
	return startWorkerWith(t, url, name, parse, nil)
}

// startWorkerWith is startWorker with a classifier made for the worker
// (nil: offline).
func startWorkerWith(t testing.TB, url, name string, parse batch.ParserFunc, cls func(*Worker) classify.Classifier) *testWorker {
	return startWorkerCfg(t, url, name, parse, cls, 0)
}

func startWorkerCfg(t testing.TB, url, name string, parse batch.ParserFunc, cls func(*Worker) classify.Classifier, maxDeliver int) *testWorker {
	t.Helper()
	tw := &testWorker{done: make(chan struct{})}
	pp, err := newRealParser()
	if err != nil {
		t.Fatal(err)
	}
	inner := batch.ParserFunc(pp.File)
	if parse != nil {
		inner = parse
	}
	ctx, cancel := context.WithCancel(context.Background())
	tw.cancel = cancel
	w, err := NewWorker(ctx, url, WorkerConfig{
		Name: name, Workers: 1, AckWait: testAckWait, RetryDelay: 10 * time.Millisecond, MaxDeliver: maxDeliver,
		Classifier: func(context.Context, string, string) (classify.Classifier, error) {
			if cls != nil {
				return cls(tw.Worker), nil
			}
			return offline.New(), nil
		},
		Parser: batch.ParserFunc(func(ctx context.Context, path string, o document.Options) (*document.Output, error) {
			tw.parses.Add(1)
			return inner(ctx, path, o)
		}),
		ParseOptions: document.Options{Limits: document.DefaultLimits()},
	})
	if err != nil {
		t.Fatal(err)
	}
	tw.Worker = w
	go func() {
		defer close(tw.done)
		_ = w.Run(ctx)
	}()
	t.Cleanup(tw.stop)
	return tw
}

func (tw *testWorker) stop() {
	tw.cancel()
	<-tw.done
	tw.Close()
}

func newRealParser() (*parse.Parser, error) { return parse.New(parse.Config{Workers: 1}) }

// vocabFiles reads every file of out but the lock, the cluster id and the
// cache, by relative path.
func vocabFiles(t *testing.T, out string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameFiles(t *testing.T, want, got map[string][]byte) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !bytes.Equal(want[n], got[n]) {
			t.Errorf("%s differs from the local run's:\nlocal:   %.300s\ncluster: %.300s", n, want[n], got[n])
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			t.Errorf("%s: only in the cluster run", n)
		}
	}
}

// Two workers and a coordinator write the same files as a local run, and
// a book found twice travels and is analysed once.
func TestClusterMatchesLocal(t *testing.T) {
	in := writeBooks(t, books)
	local := filepath.Join(t.TempDir(), "local")
	if sum, err := runBatch(context.Background(), t, in, local, ""); err != nil || sum.Processed != 4 {
		t.Fatalf("local run: %+v %v", sum, err)
	}
	srv := natstest.Start(t, "")
	w1 := startWorker(t, srv.ClientURL(), "w1", nil)
	w2 := startWorker(t, srv.ClientURL(), "w2", nil)
	out := filepath.Join(t.TempDir(), "cluster")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sum, err := runBatch(ctx, t, in, out, srv.ClientURL())
	if err != nil || sum.Processed != 4 || sum.Failed != 0 {
		t.Fatalf("cluster run: %+v %v", sum, err)
	}
	sameFiles(t, vocabFiles(t, local), vocabFiles(t, out))
	if n := w1.parses.Load() + w2.parses.Load(); n != 4 {
		t.Errorf("%d parses for 4 books", n)
	}
	// The book found twice travelled once.
	_, js, err := Connect(srv.ClientURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	obs, err := js.ObjectStore(ctx, SourceBucket)
	if err != nil {
		t.Fatal(err)
	}
	if l, err := obs.List(ctx); err != nil || len(l) != 3 {
		t.Errorf("%d sources stored for 3 distinct contents (%v)", len(l), err)
	}
	// A second run skips everything, as locally; --force analyses
	// everything again, ignoring the stored results.
	sum, err = runBatch(ctx, t, in, out, srv.ClientURL())
	if err != nil || sum.Skipped != 4 || sum.Processed != 0 {
		t.Fatalf("second run: %+v %v", sum, err)
	}
	sum, err = runBatch(ctx, t, in, out, srv.ClientURL(), func(c *batch.Config) { c.Force = true })
	if err != nil || sum.Processed != 4 {
		t.Fatalf("forced run: %+v %v", sum, err)
	}
	if n := w1.parses.Load() + w2.parses.Load(); n != 8 {
		t.Errorf("%d parses after a forced run, want 8", n)
	}
	sameFiles(t, vocabFiles(t, local), vocabFiles(t, out))
}

// A worker that dies in the middle of a document (its connection closed,
// no acknowledgement) loses nothing: the job goes to another worker.
func TestWorkerKilledMidJob(t *testing.T) {
	in := writeBooks(t, map[string]string{"dragons.txt": books["dragons.txt"]})
	srv := natstest.Start(t, "")
	started := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	var once sync.Once
	dying := startWorker(t, srv.ClientURL(), "dying", func(ctx context.Context, path string, o document.Options) (*document.Output, error) {
		once.Do(func() { close(started) })
		<-release
		return nil, errors.New("never")
	})
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	type ran struct {
		sum batch.Summary
		err error
	}
	res := make(chan ran, 1)
	go func() {
		sum, err := runBatch(ctx, t, in, out, srv.ClientURL())
		res <- ran{sum, err}
	}()
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("the job never reached the worker")
	}
	dying.Close() // as kill -9: no ack, no nak
	healthy := startWorker(t, srv.ClientURL(), "healthy", nil)
	r := <-res
	if r.err != nil || r.sum.Processed != 1 {
		t.Fatalf("%+v %v", r.sum, r.err)
	}
	if healthy.parses.Load() != 1 {
		t.Errorf("healthy worker parsed %d times", healthy.parses.Load())
	}
	local := filepath.Join(t.TempDir(), "local")
	if _, err := runBatch(context.Background(), t, in, local, ""); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, vocabFiles(t, local), vocabFiles(t, out))
}

// A coordinator stopped after publishing resumes from the results the
// workers stored meanwhile, without redoing a document.
func TestCoordinatorRestartResumes(t *testing.T) {
	in := writeBooks(t, books)
	srv := natstest.Start(t, "")
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := runBatch(ctx, t, in, out, srv.ClientURL())
		errc <- err
	}()
	nc, js, err := Connect(srv.ClientURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	waitFor(t, "4 jobs published", func() bool {
		s, err := js.Stream(context.Background(), JobStream)
		return err == nil && streamMsgs(s) == 4
	})
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted coordinator: %v", err)
	}
	w := startWorker(t, srv.ClientURL(), "w", nil)
	obs, err := js.ObjectStore(context.Background(), ResultBucket)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "4 results", func() bool {
		l, err := obs.List(context.Background())
		return err == nil && len(l) == 4
	})
	w.stop()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel2()
	sum, err := runBatch(ctx2, t, in, out, srv.ClientURL())
	if err != nil || sum.Processed != 4 {
		t.Fatalf("resumed run: %+v %v", sum, err)
	}
	if n := w.parses.Load(); n != 4 {
		t.Errorf("%d parses, want 4", n)
	}
}

func streamMsgs(s jetstream.Stream) uint64 {
	info, err := s.Info(context.Background())
	if err != nil {
		return 0
	}
	return info.State.Msgs
}

// A document failing with a transient error is tried twice (on any
// worker), then recorded once as failed, with both attempts in the log.
func TestFailedDocumentRetriedOnce(t *testing.T) {
	in := writeBooks(t, map[string]string{"dragons.txt": books["dragons.txt"], "bad.txt": "cursed scroll"})
	srv := natstest.Start(t, "")
	pp, _ := newRealParser()
	var badTries atomic.Int64
	flaky := func(ctx context.Context, path string, o document.Options) (*document.Output, error) {
		if filepath.Base(path) == "bad.txt" {
			badTries.Add(1)
			return nil, fault.Retryable(errors.New("disk on fire"), 0)
		}
		return pp.File(ctx, path, o)
	}
	startWorker(t, srv.ClientURL(), "w1", flaky)
	startWorker(t, srv.ClientURL(), "w2", flaky)
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sum, err := runBatch(ctx, t, in, out, srv.ClientURL())
	if err != nil || sum.Processed != 1 || sum.Failed != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	if f := sum.Failures[0]; f.Path != "bad.txt" || f.Attempts != 2 || f.Stage != batch.StageParse || f.Worker == "" {
		t.Errorf("failure: %+v", f)
	}
	if n := badTries.Load(); n != 2 {
		t.Errorf("bad.txt parsed %d times, want 2", n)
	}
	waitFor(t, "two log lines", func() bool {
		data, _ := os.ReadFile(filepath.Join(out, batch.ErrorLogName))
		return bytes.Count(data, []byte("\n")) == 2
	})
	// The next run tries the failed document again.
	badTries.Store(0)
	sum, err = runBatch(ctx, t, in, out, srv.ClientURL())
	if err != nil || sum.Skipped != 1 || sum.Failed != 1 || badTries.Load() != 2 {
		t.Fatalf("second run: %+v %v, %d tries", sum, err, badTries.Load())
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The NATS server restarting in the middle of a run (its store kept) ends
// in the same output as a local run.
func TestServerRestartMidRun(t *testing.T) {
	if testing.Short() {
		t.Skip("restarts a server: skipped with -short")
	}
	in := writeBooks(t, books)
	store := t.TempDir()
	srv := natstest.Start(t, store)
	url := srv.ClientURL()
	pp, _ := newRealParser()
	var parsed atomic.Int64
	slow := func(ctx context.Context, path string, o document.Options) (*document.Output, error) {
		parsed.Add(1)
		time.Sleep(300 * time.Millisecond)
		return pp.File(ctx, path, o)
	}
	startWorker(t, url, "w1", slow)
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	type ran struct {
		sum batch.Summary
		err error
	}
	res := make(chan ran, 1)
	go func() {
		sum, err := runBatch(ctx, t, in, out, url)
		res <- ran{sum, err}
	}()
	waitFor(t, "a first document", func() bool { return parsed.Load() >= 1 })
	srv.Restart(t)
	r := <-res
	if r.err != nil || r.sum.Processed != 4 {
		t.Fatalf("%+v %v", r.sum, r.err)
	}
	local := filepath.Join(t.TempDir(), "local")
	if _, err := runBatch(context.Background(), t, in, local, ""); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, vocabFiles(t, local), vocabFiles(t, out))
}

// countingLLM stands for an LLM backend: it answers as the offline
// classifier does and counts the terms sent to it.
type countingLLM struct {
	mu   sync.Mutex
	sent map[string]int
}

func (c *countingLLM) Backend() string       { return "fake" }
func (c *countingLLM) Model() string         { return "fake-1" }
func (c *countingLLM) PromptVersion() string { return "p1" }
func (c *countingLLM) Classify(ctx context.Context, req classify.Request) (classify.Result, error) {
	c.mu.Lock()
	for _, t := range req.Terms {
		c.sent[string(t.POS)+" "+t.Lemma]++
	}
	c.mu.Unlock()
	return offline.New().Classify(ctx, req)
}

func (c *countingLLM) total() (terms, sends int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range c.sent {
		terms++
		sends += n
	}
	return terms, sends
}

// The cluster's term cache: a term is sent to the LLM once, whichever
// worker meets it, in this run or a later one.
func TestSharedTermCache(t *testing.T) {
	in := writeBooks(t, books)
	srv := natstest.Start(t, "")
	llm := &countingLLM{sent: map[string]int{}}
	shared := func(w *Worker) classify.Classifier { return w.SharedCache(llm) }
	useLLM := func(c *batch.Config) { c.Classifier = llm }
	one := startWorkerWith(t, srv.ClientURL(), "one", nil, shared)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := filepath.Join(t.TempDir(), "out")
	if sum, err := runBatch(ctx, t, in, out, srv.ClientURL(), useLLM); err != nil || sum.Processed != 4 {
		t.Fatalf("%+v %v", sum, err)
	}
	terms, sends := llm.total()
	if terms == 0 || sends != terms {
		t.Fatalf("%d sends for %d distinct terms", sends, terms)
	}
	one.stop()
	startWorkerWith(t, srv.ClientURL(), "w1", nil, shared)
	startWorkerWith(t, srv.ClientURL(), "w2", nil, shared)
	force := func(c *batch.Config) { c.Classifier, c.Force = llm, true }
	if sum, err := runBatch(ctx, t, in, filepath.Join(t.TempDir(), "again"), srv.ClientURL(), force); err != nil || sum.Processed != 4 {
		t.Fatalf("forced run: %+v %v", sum, err)
	}
	if _, again := llm.total(); again != sends {
		t.Errorf("%d terms sent again", again-sends)
	}
}

// A coordinator on another machine holding the output folder's lease keeps
// a second one out (batch.ErrLocked, exit 75 in the CLI); a lease left by a
// dead run of this host is taken over.
func TestLeaseRefusesSecondCoordinator(t *testing.T) {
	in := writeBooks(t, map[string]string{"dragons.txt": books["dragons.txt"]})
	srv := natstest.Start(t, "")
	out := filepath.Join(t.TempDir(), "out")
	id, err := folderID(out)
	if err != nil {
		t.Fatal(err)
	}
	nc, js, err := Connect(srv.ClientURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := setup(ctx, js, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.leases.Put(ctx, id, []byte("elsewhere.example 42")); err != nil {
		t.Fatal(err)
	}
	startWorker(t, srv.ClientURL(), "w", nil)
	if _, err := runBatch(ctx, t, in, out, srv.ClientURL()); !errors.Is(err, batch.ErrLocked) || !strings.Contains(err.Error(), "elsewhere.example 42") {
		t.Fatalf("with a lease held elsewhere: %v", err)
	}
	host, _ := os.Hostname()
	if _, err := st.leases.Put(ctx, id, []byte(host+" 1")); err != nil {
		t.Fatal(err)
	}
	if sum, err := runBatch(ctx, t, in, out, srv.ClientURL()); err != nil || sum.Processed != 1 {
		t.Fatalf("with a dead run's lease: %+v %v", sum, err)
	}
}

// A document every worker dies on is recorded failed once the server has
// delivered it MaxDeliver times, instead of keeping the batch waiting.
func TestGivenUpAfterMaxDeliveries(t *testing.T) {
	in := writeBooks(t, map[string]string{"poison.txt": "a book no worker survives"})
	srv := natstest.Start(t, "")
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	type ran struct {
		sum batch.Summary
		err error
	}
	res := make(chan ran, 1)
	go func() {
		sum, err := runBatch(ctx, t, in, out, srv.ClientURL())
		res <- ran{sum, err}
	}()
	release := make(chan struct{})
	defer close(release)
	for _, name := range []string{"first", "second"} {
		started := make(chan struct{})
		var once sync.Once
		w := startWorkerCfg(t, srv.ClientURL(), name, func(ctx context.Context, path string, o document.Options) (*document.Output, error) {
			once.Do(func() { close(started) })
			<-release
			return nil, errors.New("never")
		}, nil, 2)
		select {
		case <-started:
		case <-ctx.Done():
			t.Fatalf("%s never got the job", name)
		}
		w.Close() // dies on it
	}
	startWorkerCfg(t, srv.ClientURL(), "third", nil, nil, 2) // asks for work
	r := <-res
	if r.err != nil || r.sum.Failed != 1 || r.sum.Processed != 0 {
		t.Fatalf("%+v %v", r.sum, r.err)
	}
	if f := r.sum.Failures[0]; !strings.Contains(f.Err.Error(), "maximum number of times (2;") || f.Attempts != 2 {
		t.Errorf("failure: %v", f.Err)
	}
}

// A worker stopped (Ctrl+C) in the middle of a document hands it back at
// once: another worker finishes it long before the acknowledgement
// deadline would have passed.
func TestStoppedWorkerHandsBack(t *testing.T) {
	old := testAckWait
	testAckWait = time.Minute
	defer func() { testAckWait = old }()
	in := writeBooks(t, map[string]string{"dragons.txt": books["dragons.txt"]})
	srv := natstest.Start(t, "")
	started := make(chan struct{})
	var once sync.Once
	quitter := startWorker(t, srv.ClientURL(), "quitter", func(ctx context.Context, path string, o document.Options) (*document.Output, error) {
		once.Do(func() { close(started) })
		<-ctx.Done()
		return nil, ctx.Err()
	})
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	type ran struct {
		sum batch.Summary
		err error
	}
	res := make(chan ran, 1)
	go func() {
		sum, err := runBatch(ctx, t, in, out, srv.ClientURL())
		res <- ran{sum, err}
	}()
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("the job never reached the worker")
	}
	quitter.stop()
	startWorker(t, srv.ClientURL(), "finisher", nil)
	r := <-res
	if r.err != nil || r.sum.Processed != 1 {
		t.Fatalf("%+v %v", r.sum, r.err)
	}
}

// Fetching a document's bytes waits out a server that is away (a restart
// stalls the chunk stream past nats.go's 5-second read deadline: "read
// pipe: i/o timeout") rather than failing the document: CI once failed a
// document of TestServerRestartMidRun that way, its two attempts both
// spent inside the restart.
func TestFetchWaitsOutServerTrouble(t *testing.T) {
	srv := natstest.Start(t, t.TempDir())
	tw := startWorker(t, srv.ClientURL(), "w1", nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	want := []byte("The wyrm of Ashfall sleeps under the Glasswood.\n")
	sum := sha256.Sum256(want)
	hash := hex.EncodeToString(sum[:])
	if _, err := tw.st.sources.PutBytes(ctx, hash, want); err != nil {
		t.Fatal(err)
	}
	real := tw.getFile
	var calls int
	tw.getFile = func(ctx context.Context, name, path string) error {
		calls++
		switch calls {
		case 1: // the restart stalls the stream
			return &net.OpError{Op: "read", Net: "pipe", Err: os.ErrDeadlineExceeded}
		case 2: // the connection is down
			return nats.ErrConnectionClosed
		case 3: // a chunk went missing
			return os.WriteFile(path, want[:10], 0o600)
		}
		return real(ctx, name, path)
	}
	path := filepath.Join(t.TempDir(), "book.txt")
	if err := tw.fetch(ctx, hash, path); err != nil || calls != 4 {
		t.Fatalf("fetch through trouble: %v after %d calls", err, calls)
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("fetched %q (%v), want %q", got, err, want)
	}

	// A source that is not in the store is not waited for.
	tw.getFile = real
	start := time.Now()
	err := tw.fetch(ctx, strings.Repeat("0", 64), path)
	if !errors.Is(err, jetstream.ErrObjectNotFound) || time.Since(start) > 5*time.Second {
		t.Fatalf("missing source: %v after %v", err, time.Since(start))
	}

	// Nor is a fetch the run has given up on.
	tw.getFile = func(context.Context, string, string) error { return nats.ErrTimeout }
	cctx, ccancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer ccancel()
	start = time.Now()
	if err := tw.fetch(cctx, hash, path); err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("cancelled fetch: %v after %v", err, time.Since(start))
	}
}

// A worker starting binds the cluster's resources as they are: it does not
// put back the default retention a coordinator changed (before, every
// worker start sent an update, and that update racing another worker's
// consumer creation was a data race inside nats-server). A coordinator
// does update a retention that differs from its own.
func TestWorkerKeepsClusterSettings(t *testing.T) {
	srv := natstest.Start(t, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	keeps := func() (stream, sources, attempts time.Duration) {
		t.Helper()
		nc, js, err := Connect(srv.ClientURL(), "test")
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		st, err := js.Stream(ctx, JobStream)
		if err != nil {
			t.Fatal(err)
		}
		obs, err := js.ObjectStore(ctx, SourceBucket)
		if err != nil {
			t.Fatal(err)
		}
		ostat, err := obs.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		kv, err := js.KeyValue(ctx, AttemptBucket)
		if err != nil {
			t.Fatal(err)
		}
		ks, err := kv.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st.CachedInfo().Config.MaxAge, ostat.TTL(), ks.TTL()
	}
	coord, err := NewCoordinator(ctx, srv.ClientURL(), CoordinatorConfig{OutputDir: t.TempDir(), Keep: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	coord.Close()
	startWorker(t, srv.ClientURL(), "w1", nil)
	startWorker(t, srv.ClientURL(), "w2", nil)
	if a, b, c := keeps(); a != time.Hour || b != time.Hour || c != time.Hour {
		t.Fatalf("after workers started: stream %v, sources %v, attempts %v; want 1h each", a, b, c)
	}
	coord, err = NewCoordinator(ctx, srv.ClientURL(), CoordinatorConfig{OutputDir: t.TempDir(), Keep: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	coord.Close()
	if a, b, c := keeps(); a != 2*time.Hour || b != 2*time.Hour || c != 2*time.Hour {
		t.Fatalf("after a coordinator keeping 2h: stream %v, sources %v, attempts %v", a, b, c)
	}
}
