package main

// End-to-end test of `corpora serve`: the built binary serves a batch's
// output folder on a free port, says where on stderr, answers the API,
// records a decision, shows a second batch's output without a restart and
// stops cleanly on SIGINT.

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var servingRE = regexp.MustCompile(`^corpora: serving (.+) at (http://127\.0\.0\.1:(\d+)/)$`)

func summary(t *testing.T, url string) (terms, books, pending int) {
	t.Helper()
	resp, err := http.Get(url + "api/summary")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct {
		Terms   int               `json:"terms"`
		Books   []json.RawMessage `json:"books"`
		Pending int               `json:"pending"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || resp.StatusCode != 200 {
		t.Fatalf("summary: %d %v", resp.StatusCode, err)
	}
	return s.Terms, len(s.Books), s.Pending
}

func TestServeEndToEnd(t *testing.T) {
	skipShort(t)
	dir := library(t, 2, 60)
	writeFile(t, filepath.Join(dir, "ip.md"), "# Bestiary\n\nThe beholder of the Sunken Vault watches with a mind flayer and a lich. "+
		"A beholder hovers over the gilded amulet while the mind flayer casts banishment.\n")
	out := filepath.Join(t.TempDir(), "out")
	if r := corpora(t, "batch", dir, "-o", out, "--classifier", "offline"); r.code != 0 {
		t.Fatalf("batch: exit %d\n%s", r.code, r.stderr)
	}

	cmd := exec.Command(corporaBin, "serve", out, "--addr", "127.0.0.1:0")
	cmd.Env = cleanEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var state *os.ProcessState
	go func() { state, _ = cmd.Process.Wait(); close(done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-done })

	lines := bufio.NewScanner(stderr)
	if !lines.Scan() {
		t.Fatal("serve printed nothing")
	}
	m := servingRE.FindStringSubmatch(lines.Text())
	if m == nil || m[1] != out || m[3] == "0" {
		t.Fatalf("first stderr line %q, want 'corpora: serving %s at http://127.0.0.1:PORT/'", lines.Text(), out)
	}
	url := m[2]
	rest := make(chan string, 1)
	go func() { b, _ := io.ReadAll(stderr); rest <- string(b) }()

	terms, books, pending := summary(t, url)
	if terms == 0 || books != 3 || pending == 0 {
		t.Fatalf("summary: %d terms, %d books, %d pending", terms, books, pending)
	}

	// A forged Host is refused (DNS rebinding).
	req, _ := http.NewRequest("GET", url+"api/summary", nil)
	req.Host = "rebind.example:" + m[3]
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 403 {
		t.Fatalf("forged host: %v %v", resp, err)
	}

	// A decision through the API, with the page's token.
	resp, err := http.Get(url + "review")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tok := regexp.MustCompile(`name="csrf-token" content="([0-9a-f]+)"`).FindSubmatch(page)
	if tok == nil {
		t.Fatal("no csrf token on /review")
	}
	req, _ = http.NewRequest("POST", url+"api/decisions", strings.NewReader(`{"term":"beholder","decision":"keep","note":"e2e"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", string(tok[1]))
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("decide: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, _, p := summary(t, url); p != pending-1 {
		t.Errorf("pending %d after one decision, want %d", p, pending-1)
	}
	if r := corpora(t, "review", "list", "--dir", out, "--json"); !strings.Contains(r.stdout, `"note": "e2e"`) {
		t.Errorf("the decision is not in the queue 'corpora review' reads:\n%s", r.stdout)
	}

	// A second batch with one more book shows without a restart.
	writeFile(t, filepath.Join(dir, "more.txt"), book(99, 60, false))
	if r := corpora(t, "batch", dir, "-o", out, "--classifier", "offline"); r.code != 0 {
		t.Fatalf("second batch: exit %d\n%s", r.code, r.stderr)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, b, _ := summary(t, url); b == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second batch's book never showed")
		}
		time.Sleep(100 * time.Millisecond)
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop on SIGINT")
	}
	if code := state.ExitCode(); code != 0 {
		t.Errorf("exit %d after SIGINT, want 0\n%s", code, <-rest)
	}
}
