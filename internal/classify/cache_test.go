package classify

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/extract"
)

func testTerm(canon string) Term {
	t := Term{Intent: Offensive, Category: Spell, Mood: Arcane, Canonical: canon, Confidence: 0.9, Tags: []string{"x"}, Classifier: "claude/m"}
	t.Axes[0] = 0.8
	return t
}

func TestCacheRoundTripAndKeys(t *testing.T) {
	c, err := OpenCache(filepath.Join(t.TempDir(), "sub", CacheFileName), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	k := CacheKey{Backend: "claude", Model: "m", PromptVersion: "p1", Lemma: "fireball", POS: extract.Noun}
	if err := c.PutMany([]CacheKey{k}, []Term{testTerm("fireball")}); err != nil {
		t.Fatal(err)
	}
	other := []CacheKey{k, {Backend: "claude", Model: "m", PromptVersion: "p2", Lemma: "fireball", POS: extract.Noun},
		{Backend: "claude", Model: "m", PromptVersion: "p1", Lemma: "fireball", POS: extract.Verb},
		{Backend: "openai", Model: "m", PromptVersion: "p1", Lemma: "fireball", POS: extract.Noun},
		{Backend: "claude", Model: "m2", PromptVersion: "p1", Lemma: "fireball", POS: extract.Noun}}
	terms, found, err := c.GetMany(other)
	if err != nil {
		t.Fatal(err)
	}
	if !found[0] || terms[0].Canonical != "fireball" || terms[0].Axes[0] != 0.8 || terms[0].Classifier != "claude/m" {
		t.Fatalf("round trip: %v %+v", found[0], terms[0])
	}
	for i := 1; i < len(other); i++ {
		if found[i] {
			t.Fatalf("key %d (%+v) must miss", i, other[i])
		}
	}
}

func TestBatchRecords(t *testing.T) {
	c, err := OpenCache(filepath.Join(t.TempDir(), CacheFileName), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	r := BatchRecord{Work: "w1", Backend: "claude-batch", Requests: 3, Intent: time.Now().UTC()}
	if err := c.PutBatchRecord(r); err != nil {
		t.Fatal(err)
	}
	r.BatchID = "msgbatch_1"
	if err := c.PutBatchRecord(r); err != nil {
		t.Fatal(err)
	}
	got, ok, err := c.BatchRecord("w1")
	if err != nil || !ok || got.BatchID != "msgbatch_1" || got.Requests != 3 {
		t.Fatalf("record: %+v %v %v", got, ok, err)
	}
	if err := c.DeleteBatchRecord("w1"); err != nil {
		t.Fatal(err)
	}
	if all, _ := c.BatchRecords(); len(all) != 0 {
		t.Fatalf("left: %+v", all)
	}
}

// The helper process writes batches of terms to the cache until killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("CORPORA_CACHE_WRITER"); path != "" {
		writer(path, os.Getenv("CORPORA_CACHE_WRITER_ID"))
		return
	}
	os.Exit(m.Run())
}

func writer(path, id string) {
	c, err := OpenCache(path, 30*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n, _ := strconv.Atoi(os.Getenv("CORPORA_CACHE_WRITER_N"))
	for i := 0; n == 0 || i < n; i++ {
		var keys []CacheKey
		var terms []Term
		for j := range 20 {
			lemma := fmt.Sprintf("%s-%d-%d", id, i, j)
			keys = append(keys, CacheKey{Backend: "b", Model: "m", PromptVersion: "p", Lemma: lemma, POS: extract.Noun})
			terms = append(terms, testTerm(lemma))
		}
		if err := c.PutMany(keys, terms); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if i == 0 {
			fmt.Println("committed") // the parent kills only after this
		}
	}
}

func helper(t *testing.T, path, id string, n int) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CORPORA_CACHE_WRITER="+path, "CORPORA_CACHE_WRITER_ID="+id, "CORPORA_CACHE_WRITER_N="+strconv.Itoa(n))
	cmd.Stderr = os.Stderr
	return cmd
}

func TestCacheConcurrentProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), CacheFileName)
	if _, err := OpenCache(path, time.Second); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for p := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- helper(t, path, fmt.Sprintf("p%d", p), 15).Run()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	c, _ := OpenCache(path, time.Second)
	if n, err := c.Len(); err != nil || n != 3*15*20 {
		t.Fatalf("entries = %d (%v), want %d", n, err, 3*15*20)
	}
}

func TestCacheSurvivesKill9(t *testing.T) {
	path := filepath.Join(t.TempDir(), CacheFileName)
	const rounds = 3
	for round := range rounds {
		cmd := helper(t, path, fmt.Sprintf("k%d", round), 0)
		ready, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill only once the writer says it committed a transaction, then
		// after a little more writing, so the kill lands mid-write.
		line, err := bufio.NewReader(ready).ReadString('\n')
		if err != nil || line != "committed\n" {
			_ = cmd.Process.Kill()
			t.Fatalf("writer never committed: %q %v", line, err)
		}
		time.Sleep(time.Duration(20+30*round) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	}
	c, err := OpenCache(path, time.Second)
	if err != nil {
		t.Fatalf("cache unusable after kill -9: %v", err)
	}
	n, err := c.Len()
	if err != nil {
		t.Fatal(err)
	}
	if n%20 != 0 {
		t.Fatalf("%d entries: a transaction was half-written", n)
	}
	if n < rounds*20 {
		t.Fatalf("%d entries: every killed writer had committed at least one transaction of 20", n)
	}
	if err := c.PutMany([]CacheKey{{Lemma: "after"}}, []Term{testTerm("after")}); err != nil {
		t.Fatalf("write after kill -9: %v", err)
	}
	t.Logf("%d entries committed before the kills", n)
}

// stubClassifier answers every term and counts what it was asked.
type stubClassifier struct {
	mu    sync.Mutex
	asked []string
}

func (s *stubClassifier) Backend() string       { return "stub" }
func (s *stubClassifier) Model() string         { return "m" }
func (s *stubClassifier) PromptVersion() string { return "p" }
func (s *stubClassifier) Classify(_ context.Context, req Request) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res := Result{Terms: make([]Term, len(req.Terms))}
	for i, c := range req.Terms {
		s.asked = append(s.asked, c.Lemma)
		tm := testTerm(c.Lemma)
		if err := Finalize(&tm, req.Source, c, "stub/m"); err != nil {
			return res, err
		}
		res.Terms[i] = tm
		res.Usage.TermsSent++
	}
	res.Usage.Requests = 1
	return res, nil
}

func cands(lemmas ...string) []extract.Candidate {
	var out []extract.Candidate
	for _, l := range lemmas {
		out = append(out, extract.Candidate{Text: l, Lemma: l, POS: extract.Noun, Count: 1})
	}
	return out
}

func TestCachedSendsOnlyMissesOnceEach(t *testing.T) {
	c, err := OpenCache(filepath.Join(t.TempDir(), CacheFileName), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	stub := &stubClassifier{}
	cl := NewCached(stub, c)
	r1, err := cl.Classify(context.Background(), Request{Source: "a.md", Terms: cands("ash", "bone", "ash")})
	if err != nil {
		t.Fatal(err)
	}
	if len(stub.asked) != 2 || r1.Terms[2].Canonical != "ash" || r1.Terms[2].ID != "a-md-ash" {
		t.Fatalf("asked %v, terms %+v", stub.asked, r1.Terms)
	}
	r2, err := cl.Classify(context.Background(), Request{Source: "b.md", Terms: cands("bone", "coal")})
	if err != nil {
		t.Fatal(err)
	}
	if len(stub.asked) != 3 || stub.asked[2] != "coal" || r2.Usage.CacheHits != 1 || r2.Terms[0].Source != "b.md" {
		t.Fatalf("asked %v, usage %+v", stub.asked, r2.Usage)
	}
	if e := cl.Estimate(cands("bone", "coal", "dust")); e.CacheHits != 2 || e.ToSend != 1 {
		t.Fatalf("estimate %+v", e)
	}
}
