package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/serve/servetest"
	"github.com/corpora-tools/corpora/internal/vocab"
)

func TestServeFlags(t *testing.T) {
	tests := []struct {
		args    []string
		env     string
		check   func(o *serveOptions) bool
		wantErr string
	}{
		{nil, "", func(o *serveOptions) bool {
			return o.Dir == "." && o.Addr == DefaultServeAddr && !o.Open && !o.ReadOnly
		}, ""},
		{nil, "envout", func(o *serveOptions) bool { return o.Dir == "envout" }, ""},
		{[]string{"out"}, "envout", func(o *serveOptions) bool { return o.Dir == "out" }, ""},
		{[]string{"out", "--addr", "127.0.0.1:0", "--open", "--read-only"}, "", func(o *serveOptions) bool {
			return o.Addr == "127.0.0.1:0" && o.Open && o.ReadOnly
		}, ""},
		{[]string{"a", "b"}, "", nil, "accepts at most 1"},
		{[]string{"--port", "1"}, "", nil, "unknown flag"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " ")+tc.env, func(t *testing.T) {
			var got *serveOptions
			s := &Streams{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Getenv: func(k string) string {
				if k == "CORPORA_OUTPUT" {
					return tc.env
				}
				return ""
			}}
			cmd := newServeCmdWith(s, func(_ context.Context, o *serveOptions, _ *Streams) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.Execute()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(got) {
				t.Errorf("options %+v", got)
			}
		})
	}
}

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var servingLine = regexp.MustCompile(`corpora: serving (.+) at (http://127\.0\.0\.1:\d+/)\n`)

// startServe runs runServe on dir and returns its URL, the stderr buffer and
// a stop function that returns runServe's error.
func startServe(t *testing.T, opts *serveOptions) (string, *lockedBuffer, func() error) {
	t.Helper()
	errb := &lockedBuffer{}
	s := &Streams{In: strings.NewReader(""), Out: io.Discard, Err: errb, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, opts, s) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := servingLine.FindStringSubmatch(errb.String()); m != nil {
			if m[1] != opts.Dir {
				t.Errorf("serving line names %q, want %q", m[1], opts.Dir)
			}
			stop := func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(10 * time.Second):
					t.Fatal("serve did not stop")
					return nil
				}
			}
			t.Cleanup(func() { cancel() })
			return m[2], errb, stop
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, errb)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no serving line: %q", errb)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([0-9a-f]+)">`)

func token(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + "review")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := csrfMeta.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf token in the review page:\n%s", body)
	}
	return string(m[1])
}

func post(t *testing.T, url, tok, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func fixtureDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	if err := servetest.Write(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// copyTree copies the output folder src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

var stamps = regexp.MustCompile(`"(extracted_at|generated_at|decided_at)": "[^"]*"`)

func stripStamps(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return stamps.ReplaceAllString(string(data), `"$1": "T"`)
}

// TestServeDecidesAndAppliesLikeReview: decisions made through the server
// and its "apply" leave the folder exactly as 'corpora review decide' and
// 'corpora review apply' leave a copy of it.
func TestServeDecidesAndAppliesLikeReview(t *testing.T) {
	dir := fixtureDir(t)
	twin := filepath.Join(t.TempDir(), "twin")
	copyTree(t, dir, twin)

	url, _, stop := startServe(t, &serveOptions{Dir: dir, Addr: "127.0.0.1:0", now: time.Now, openURL: func(string) error { return nil }})
	tok := token(t, url)
	for _, body := range []string{
		`{"term":"beholder","decision":"remove"}`,
		`{"term":"Mind Flayer","decision":"keep","note":"ours"}`,
		`{"term":"Bigby's Hand","decision":"rename","new_text":"Arcane Hand"}`,
	} {
		if code, ans := post(t, url+"api/decisions", tok, body); code != 200 {
			t.Fatalf("%s: %d %s", body, code, ans)
		}
	}
	if code, ans := post(t, url+"api/decisions", tok, `{"term":"nobody","decision":"keep"}`); code != 422 || !strings.Contains(ans, "not in the review queue") {
		t.Errorf("unknown term: %d %s", code, ans)
	}
	code, ans := post(t, url+"api/apply", tok, `{}`)
	if code != 200 || !strings.Contains(ans, "1 removed, 1 kept, 1 renamed") {
		t.Fatalf("apply: %d %s", code, ans)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v after Ctrl+C", err)
	}

	for _, args := range [][]string{
		{"review", "decide", "--dir", twin, "beholder", "remove"},
		{"review", "decide", "--dir", twin, "Mind Flayer", "keep", "--note", "ours"},
		{"review", "decide", "--dir", twin, "Bigby's Hand", "rename", "Arcane Hand"},
		{"review", "apply", "--dir", twin},
	} {
		s := &Streams{Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
		if c := Run(context.Background(), args, s); c != 0 {
			t.Fatalf("%v: exit %d", args, c)
		}
	}
	for _, name := range []string{vocab.MasterFile, ipreview.QueueFile, ipreview.DecisionsFile} {
		got, want := stripStamps(t, filepath.Join(dir, name)), stripStamps(t, filepath.Join(twin, name))
		got = strings.ReplaceAll(got, dir, "DIR")
		want = strings.ReplaceAll(want, twin, "DIR")
		if got != want {
			t.Errorf("%s differs from the one 'corpora review' wrote:\n%s\nwant:\n%s", name, got, want)
		}
	}
}

func TestServeReadOnlyAndOpen(t *testing.T) {
	dir := fixtureDir(t)
	opened := make(chan string, 1)
	url, _, stop := startServe(t, &serveOptions{Dir: dir, Addr: "127.0.0.1:0", ReadOnly: true, Open: true, now: time.Now, openURL: func(u string) error { opened <- u; return nil }})
	select {
	case u := <-opened:
		if u != url {
			t.Errorf("--open opened %q, want %q", u, url)
		}
	case <-time.After(10 * time.Second):
		t.Error("--open opened nothing")
	}
	tok := token(t, url)
	if code, ans := post(t, url+"api/decisions", tok, `{"term":"beholder","decision":"remove"}`); code != 403 || !strings.Contains(ans, "read-only") {
		t.Errorf("read-only decide: %d %s", code, ans)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ipreview.DecisionsFile)); !os.IsNotExist(err) {
		t.Error("read-only server wrote decisions")
	}
}

func TestServeErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"serve", filepath.Join(t.TempDir(), "missing")}, ExitNoInput, "no such folder"},
		{[]string{"serve", file}, ExitNoInput, "not a folder"},
		{[]string{"serve", t.TempDir(), "--addr", ln.Addr().String()}, ExitUnavailable, "cannot listen on"},
		{[]string{"serve", t.TempDir(), "--addr", "nonsense"}, ExitUnavailable, "cannot listen on"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var errb bytes.Buffer
			s := &Streams{Out: io.Discard, Err: &errb, Getenv: func(string) string { return "" }}
			if c := Run(context.Background(), tc.args, s); c != tc.code || !strings.Contains(errb.String(), tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d %q", c, errb.String(), tc.code, tc.msg)
			}
			if n := strings.Count(strings.TrimSpace(errb.String()), "\n"); n > 1 {
				t.Errorf("more than one line for one error: %q", errb.String())
			}
		})
	}
}

func TestServeWarnsOffLoopback(t *testing.T) {
	dir := fixtureDir(t)
	errb := &lockedBuffer{}
	s := &Streams{Out: io.Discard, Err: errb, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, &serveOptions{Dir: dir, Addr: "0.0.0.0:0", ReadOnly: true, now: time.Now}, s)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(errb.String(), "corpora: serving") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errb.String(), "WARNING: listening on 0.0.0.0:") {
		t.Errorf("no warning off loopback: %q", errb)
	}
}
