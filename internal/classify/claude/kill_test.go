package claude

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
)

// TestMain lets the test binary act as a corpora process running a batch
// classification against a fake whose URL it is given, so a test can kill
// it with SIGKILL mid-run.
func TestMain(m *testing.M) {
	if url := os.Getenv("CORPORA_BATCH_CHILD_URL"); url != "" {
		os.Exit(batchChild(url, os.Getenv("CORPORA_BATCH_CHILD_CACHE")))
	}
	os.Exit(m.Run())
}

func batchChild(url, cachePath string) int {
	cache, err := classify.OpenCache(cachePath, 10*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	b := NewBatch(Config{APIKey: "sk-test", BaseURL: url, Store: cache, PollInterval: time.Hour, Backoff: fastBackoff()})
	_, err = classify.NewCached(b, cache).Classify(context.Background(), classify.Request{Source: "k.pdf", Terms: words("kill", 80)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func TestBatchKill9ThenRerunCreatesNoSecondBatch(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{PollsToEnd: 2})
	cachePath := filepath.Join(t.TempDir(), classify.CacheFileName)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CORPORA_BATCH_CHILD_URL="+f.URL, "CORPORA_BATCH_CHILD_CACHE="+cachePath)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the child has created its batch and stored the batch id
	// in its cache (it then polls once an hour), then kill it without
	// warning: the stored record is what the re-run must find.
	store, err := classify.OpenCache(cachePath, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !hasBatchID(store) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("the child never stored its batch id")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(f.BatchIDs()) != 1 {
		t.Fatalf("child created %d batches", len(f.BatchIDs()))
	}

	cache, err := classify.OpenCache(cachePath, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	req := classify.Request{Source: "k.pdf", Terms: words("kill", 80)}
	res, err := classify.NewCached(newBatch(f, cache, nil), cache).Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if ids := f.BatchIDs(); len(ids) != 1 {
		t.Fatalf("batches after the re-run: %v, want the first one only", ids)
	}
}

// hasBatchID reports whether the cache holds a batch record with its id.
func hasBatchID(c *classify.Cache) bool {
	recs, err := c.BatchRecords()
	if err != nil {
		return false
	}
	for _, r := range recs {
		if r.BatchID != "" {
			return true
		}
	}
	return false
}

func TestBatchLostCreateThenNewProcessAdoptsIt(t *testing.T) {
	f := newFake(t, fake.AnthropicConfig{LoseCreates: 1})
	cache := openCache(t)
	req := classify.Request{Source: "a.pdf", Terms: words("adopt", 30)}
	// First run gives up at once when the create's answer is lost: the
	// intent record stays, without a batch id.
	b1 := newBatch(f, cache, func(c *Config) { c.Backoff.Attempts = 1 })
	if _, err := b1.Classify(context.Background(), req); err == nil {
		t.Fatal("first run should fail: its create answer was lost")
	}
	recs, _ := cache.BatchRecords()
	if len(recs) != 1 || recs[0].BatchID != "" {
		t.Fatalf("records %+v: want one intent without id", recs)
	}
	res, err := newBatch(f, cache, nil).Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, req, res)
	if ids := f.BatchIDs(); len(ids) != 1 {
		t.Fatalf("batches %v: the lost batch must be adopted, not created again", ids)
	}
}
