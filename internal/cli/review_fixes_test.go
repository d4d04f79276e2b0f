package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
	"github.com/corpora-tools/corpora/internal/document"
)

// failWriter fails every write, like stdout on a closed pipe or a full disk.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestExtractPreviewWritesNothing(t *testing.T) {
	dir := writeExtractBooks(t)
	f := fake.NewAnthropic(fake.AnthropicConfig{Key: "sk-test"})
	defer f.Close()
	cache := filepath.Join(dir, classify.CacheFileName)

	r := runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "--preview")
	if r.code != 0 {
		t.Fatalf("preview: exit %d: %s", r.code, r.err)
	}
	if _, err := os.Stat(cache); err == nil {
		t.Fatalf("preview created %s", cache)
	}
	r = runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "--preview", "-o", "out/x.json")
	if _, err := os.Stat(filepath.Join(dir, "out")); r.code != 0 || err == nil {
		t.Fatalf("preview -o: exit %d, created the output folder (stat err %v)", r.code, err)
	}

	// A run that fails its up-front check leaves no cache either.
	r = runExtractCmd(t, dir, map[string]string{"ANTHROPIC_API_KEY": "sk-bad", "ANTHROPIC_BASE_URL": f.URL}, "one.md", "--classifier", "claude")
	if r.code != ExitUnavailable {
		t.Fatalf("bad key: exit %d: %s", r.code, r.err)
	}
	if _, err := os.Stat(cache); err == nil {
		t.Fatalf("a run that failed its check created %s", cache)
	}

	// An existing cache is read (hits count) but not modified.
	if r := runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "-o", "terms.json"); r.code != 0 {
		t.Fatalf("real run: exit %d: %s", r.code, r.err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(cache, old, old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(cache)
	r = runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "--preview")
	if r.code != 0 || !strings.Contains(r.err, "cache") {
		t.Fatalf("preview with a cache: exit %d: %s", r.code, r.err)
	}
	after, _ := os.ReadFile(cache)
	info, _ := os.Stat(cache)
	if !bytes.Equal(before, after) || !info.ModTime().Equal(old) {
		t.Fatalf("preview modified the cache (mtime %v, want %v)", info.ModTime(), old)
	}
}

func TestExtractUnwritableOutputFailsBeforeClassifying(t *testing.T) {
	dir := writeExtractBooks(t)
	f := fake.NewAnthropic(fake.AnthropicConfig{Key: "sk-test"})
	defer f.Close()
	// one.md is a file, so one.md/sub/x.json can never be written (this
	// also holds when the tests run as root, unlike a read-only folder);
	// the cache lives elsewhere, so opening it does not catch this.
	r := runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "--cache", "c.db", "-o", "one.md/sub/x.json")
	if r.code != ExitCantCreate {
		t.Fatalf("exit %d, want %d: %s", r.code, ExitCantCreate, r.err)
	}
	if a := f.Account(); a.Requests != 0 {
		t.Fatalf("classified (%d requests) before finding the output unwritable", a.Requests)
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		r = runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "--cache", "c.db", "-o", "ro/x.json")
		if r.code != ExitCantCreate || f.Account().Requests != 0 {
			t.Fatalf("read-only folder: exit %d, %d requests: %s", r.code, f.Account().Requests, r.err)
		}
	}
	// A folder that does not exist yet is fine: the write creates it.
	r = runExtractCmd(t, dir, nil, "one.md", "--candidates-only", "-o", "new/deeper/x.json")
	if r.code != 0 {
		t.Fatalf("new folder: exit %d: %s", r.code, r.err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "new", "deeper")); len(entries) != 1 {
		t.Fatalf("new/deeper holds %d entries, want only x.json (no probe file left)", len(entries))
	}
}

// TestNoExitCodeOne runs the paths that used to end with exit 1, which
// SPEC section 2 does not define.
func TestNoExitCodeOne(t *testing.T) {
	dir := writeExtractBooks(t)
	// Every answer breaks the schema: far more than the 5% the offline
	// fallback may cover, so the document fails.
	bad := fake.NewAnthropic(fake.AnthropicConfig{Key: "sk-test", NoGrammar: true, Odd: func(_ classify.WireItem, r *classify.WireResult) { r.Intent = "teleporting" }})
	defer bad.Close()
	terms := filepath.Join(t.TempDir(), "t.terms.json")
	writeTerms(t, terms, classifiedTerm("one.md", "fireball", "fireball", 0.9))

	tests := []struct {
		name string
		env  map[string]string
		args []string
		want int
	}{
		{"answers never valid", claudeEnv(bad), []string{"extract", "one.md", "--classifier", "claude", "-o", "x.json"}, ExitUnavailable},
		{"extract stdout fails", nil, []string{"extract", "one.md", "--candidates-only"}, ExitCantCreate},
		{"extract terms stdout fails", nil, []string{"extract", "one.md", "--classifier", "offline"}, ExitCantCreate},
		{"output stdout fails", nil, []string{"output", terms, "-o", "-"}, ExitCantCreate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(dir)
			var errb bytes.Buffer
			// Stdout always fails: the run with -o never writes it.
			s := &Streams{In: strings.NewReader(""), Out: failWriter{}, Err: &errb, Getenv: func(k string) string { return tc.env[k] }}
			code := Run(context.Background(), tc.args, s)
			if code != tc.want {
				t.Fatalf("exit %d, want %d: %s", code, tc.want, errb.String())
			}
		})
	}
}

func TestExitCodeMapping(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{classifierExit(errors.New("claude/x: 3 term(s) never came back valid: a; b; c")), ExitUnavailable},
		{classifierExit(classify.ErrInvalid), ExitUnavailable},
		{classifierExit(exitErr(ExitDataErr, errors.New("x"))), ExitDataErr},
		{classifierExit(classify.ErrBudget), ExitPartial},
		{classifierExit(context.Canceled), ExitInterrupted},
	}
	for i, tc := range tests {
		if got := codeFor(tc.err); got != tc.want {
			t.Errorf("%d: %v: code %d, want %d", i, tc.err, got, tc.want)
		}
	}
}

func TestOCRFlagCaseInsensitive(t *testing.T) {
	dir := writeExtractBooks(t)
	for _, args := range [][]string{
		{"parse", "one.md", "--ocr", "AUTO"},
		{"extract", "one.md", "--candidates-only", "--ocr", "AUTO"},
		{"extract", "one.md", "--candidates-only", "--ocr", "Off"},
		{"batch", ".", "--dry-run", "--classifier", "offline", "--ocr", "AUTO", "-o", filepath.Join(t.TempDir(), "out")},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if r := runCLI(t, cliCall{dir: dir}, args...); r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
		})
	}
	for _, v := range []string{"auto", "AUTO", " on ", "OFF"} {
		if _, err := ocrMode(v); err != nil {
			t.Errorf("ocrMode(%q): %v", v, err)
		}
	}
	if _, err := ocrMode("sometimes"); codeFor(err) != ExitUsage {
		t.Errorf("ocrMode(sometimes): %v, want a usage error", err)
	}
}

func TestBatchDryRunSkipsTheCheck(t *testing.T) {
	dir := writeExtractBooks(t)
	out := filepath.Join(t.TempDir(), "out")
	// Nothing listens on port 1: the up-front check would fail with 69.
	env := map[string]string{"ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": "http://127.0.0.1:1"}
	if r := runCLI(t, cliCall{env: env}, "batch", dir, "--dry-run", "--classifier", "claude", "-o", out); r.code != 0 {
		t.Fatalf("dry run: exit %d: %s", r.code, r.err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatalf("dry run created %s", out)
	}
}

func TestBatchFindsEveryParseExtension(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.xhtml", "b.text", "c.mdown", "d.mkd"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("The lich fled into the Shadowfell.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := runCLI(t, cliCall{}, "batch", dir, "--dry-run", "--classifier", "offline", "--json", "-o", filepath.Join(t.TempDir(), "out"))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if !strings.Contains(r.out, `"documents":4`) {
		t.Fatalf("batch did not find the 4 documents:\n%s", r.out)
	}
}

func TestDocumentSupported(t *testing.T) {
	for name, want := range map[string]bool{
		"a.xhtml": true, "b.TEXT": true, "c.mdown": true, "d.Mkd": true, "e.pdf": true, "f.markdown": true,
		"g.png": false, "md": false, "h.": false, "dir.pdf/i.rtf": false,
	} {
		if got := document.Supported(name); got != want {
			t.Errorf("Supported(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestStreamsLive(t *testing.T) {
	tests := []struct {
		tty  bool
		term string
		want bool
	}{
		{true, "xterm-256color", true},
		{true, "", true},
		{true, "dumb", false},
		{false, "xterm", false},
	}
	for _, tc := range tests {
		s := &Streams{ErrIsTTY: tc.tty, Getenv: func(k string) string {
			if k == "TERM" {
				return tc.term
			}
			return ""
		}}
		if got := s.live(); got != tc.want {
			t.Errorf("tty %v TERM %q: live %v, want %v", tc.tty, tc.term, got, tc.want)
		}
		if s.colour() && !s.live() {
			t.Errorf("tty %v TERM %q: colour without live", tc.tty, tc.term)
		}
	}
	if (&Streams{ErrIsTTY: true}).live() != true {
		t.Error("nil Getenv: live should follow ErrIsTTY")
	}
}

func TestBatchNoLiveDisplayOnDumbTerminal(t *testing.T) {
	dir := writeExtractBooks(t)
	for _, term := range []string{"xterm", "dumb"} {
		var stdout, errb bytes.Buffer
		s := &Streams{In: strings.NewReader(""), Out: &stdout, Err: &errb, ErrIsTTY: true,
			Getenv: func(k string) string {
				if k == "TERM" {
					return term
				}
				return ""
			}}
		code := Run(context.Background(), []string{"batch", dir, "--classifier", "offline", "-o", filepath.Join(t.TempDir(), "out")}, s)
		if code != 0 {
			t.Fatalf("TERM=%s: exit %d: %s", term, code, errb.String())
		}
		redrawn := strings.ContainsAny(errb.String(), "\r\x1b")
		if redrawn != (term != "dumb") {
			t.Errorf("TERM=%s: live display %v:\n%q", term, redrawn, errb.String())
		}
	}
}
