package main

// End-to-end test of the cluster path: the built binary as two `corpora
// worker` processes and a `corpora batch --nats` coordinator, against a NATS
// server embedded in the test.

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/cluster/natstest"
)

type workerProc struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   chan struct{}
}

func startWorkerProc(t *testing.T, url, name string) *workerProc {
	t.Helper()
	skipShort(t)
	w := &workerProc{cmd: exec.Command(corporaBin, "worker", "--nats", url, "-w", "1", "--name", name, "--ack-wait", "2s"),
		stderr: &bytes.Buffer{}, done: make(chan struct{})}
	w.cmd.Env = cleanEnv()
	w.cmd.Stderr = w.stderr
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = w.cmd.Wait(); close(w.done) }()
	t.Cleanup(func() { _ = w.cmd.Process.Kill(); <-w.done })
	return w
}

// Two workers and a coordinator, one worker killed with kill -9 and the
// coordinator killed and restarted along the way, give the output of a
// local run; the JSON events say which worker had which document; Ctrl+C
// stops a worker with exit 0.
func TestClusterBinary(t *testing.T) {
	skipShort(t)
	const docs, sentences = 12, 300
	refDir := library(t, docs, sentences)
	refOut := filepath.Join(t.TempDir(), "out")
	if r := corpora(t, "batch", refDir, "-o", refOut, "--classifier", "offline", "-w", "2", "--quiet"); r.code != 0 {
		t.Fatalf("local run: exit %d\n%s", r.code, r.stderr)
	}

	srv := natstest.Start(t, "")
	url := srv.ClientURL()
	doomed := startWorkerProc(t, url, "doomed")
	steady := startWorkerProc(t, url, "steady")

	dir := library(t, docs, sentences)
	out := filepath.Join(t.TempDir(), "out")
	run := startBatch(t, dir, "-o", out, "--classifier", "offline", "--nats", url, "--quiet")
	run.waitForManifest(t, out, 2)
	if err := doomed.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	run.waitForManifest(t, out, 4)
	if err := run.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	run.wait(t)

	r := corpora(t, "batch", dir, "-o", out, "--classifier", "offline", "--nats", url, "--json")
	if r.code != 0 {
		t.Fatalf("restarted coordinator: exit %d\n%s\nworker:\n%s", r.code, r.stderr, steady.stderr)
	}
	outputsEqual(t, refOut, out)
	assertNoTempFiles(t, out)

	// Every document event names its worker.
	processed := 0
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var e struct {
			Event, Status, Worker, Path string
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		if e.Event == "document" && e.Status == "success" {
			processed++
			if e.Worker != "steady" && !strings.HasPrefix(e.Worker, "doomed") {
				t.Errorf("%s: worker %q", e.Path, e.Worker)
			}
		}
	}
	if processed == 0 {
		t.Errorf("the restarted coordinator processed nothing:\n%s", r.stdout)
	}

	// Ctrl+C stops a worker cleanly.
	if err := steady.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-steady.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the worker did not stop on SIGINT")
	}
	if code := steady.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("worker exit %d after SIGINT:\n%s", code, steady.stderr)
	}
}

// A NATS server that cannot be reached is exit 69 for both commands, and a
// worker with no server named is a usage error.
func TestClusterUnreachable(t *testing.T) {
	skipShort(t)
	dir := library(t, 1, 5)
	if r := corpora(t, "batch", dir, "--classifier", "offline", "--nats", "nats://127.0.0.1:1"); r.code != 69 || strings.Count(strings.TrimSpace(r.stderr), "\n") > 1 {
		t.Errorf("batch: exit %d\n%s", r.code, r.stderr)
	}
	if r := corpora(t, "worker", "--nats", "nats://127.0.0.1:1"); r.code != 69 {
		t.Errorf("worker: exit %d\n%s", r.code, r.stderr)
	}
	if r := corpora(t, "worker"); r.code != 64 {
		t.Errorf("worker without --nats: exit %d\n%s", r.code, r.stderr)
	}
}
