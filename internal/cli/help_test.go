package cli

import (
	"strings"
	"testing"
)

// runStreams runs corpora with args and an empty environment (runCLI).
func runStreams(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	r := runCLI(t, cliCall{}, args...)
	return r.code, r.out, r.err
}

// TestHelpVersionCompletionOnStdout: what the user asked for goes to
// stdout, so it can be piped or redirected into a completion file.
func TestHelpVersionCompletionOnStdout(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"batch", "--help"}, {"--version"}, {"-V"}, {"completion", "bash"}, {"completion", "zsh"}} {
		code, out, _ := runStreams(t, args...)
		if code != 0 || len(out) < 10 {
			t.Errorf("%v: exit %d, stdout %d bytes", args, code, len(out))
		}
	}
	_, out, _ := runStreams(t, "--version")
	if !strings.HasPrefix(out, "corpora ") || !strings.Contains(out, "go1.") {
		t.Errorf("--version = %q: want version, Go version and platform", out)
	}
}

// TestValueCompletion: the shell completes the values of --classifier and
// --ocr.
func TestValueCompletion(t *testing.T) {
	_, out, _ := runStreams(t, "__complete", "batch", "--classifier", "")
	for _, v := range []string{"offline", "claude-batch", "openai"} {
		if !strings.Contains(out, v+"\n") {
			t.Errorf("completion of --classifier lacks %q: %q", v, out)
		}
	}
	_, out, _ = runStreams(t, "__complete", "parse", "x.pdf", "--ocr", "o")
	if !strings.Contains(out, "on\n") || !strings.Contains(out, "off\n") {
		t.Errorf("completion of --ocr: %q", out)
	}
}

// TestUsageHints: typos get a suggestion and the right help command, a
// missing argument shows the usage line; all exit 64.
func TestUsageHints(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"review", "decid", "foo", "keep"}, []string{`did you mean "decide"`, "corpora review --help"}},
		{[]string{"batc", "x"}, []string{`did you mean "batch"`}},
		{[]string{"batch", "--forse", "x"}, []string{"did you mean --force", "corpora batch --help"}},
		{[]string{"extract"}, []string{"usage: corpora extract INPUT"}},
	}
	for _, c := range cases {
		code, _, errs := runStreams(t, c.args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d", c.args, code)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: stderr %q lacks %q", c.args, errs, w)
			}
		}
	}
}

// TestReviewDirFromEnvironment: CORPORA_OUTPUT names the folder review
// works on, and a missing queue says where to point it.
func TestReviewDirFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	r := runCLI(t, cliCall{env: map[string]string{"CORPORA_OUTPUT": dir}}, "review", "list")
	if r.code != ExitNoInput || !strings.Contains(r.err, dir) || !strings.Contains(r.err, "--dir") {
		t.Fatalf("exit %d: %q: want 66 naming %s and how to point --dir", r.code, r.err, dir)
	}
}
