package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// --version and -V print, on stdout, the version, the commit the binary was
// built from (when the build recorded it), the Go version and the platform.
func TestVersionLine(t *testing.T) {
	line := regexp.MustCompile(`^corpora \S+ \(commit (unknown|[0-9a-f]{12}(\+dirty)?), go1\.\d+\S*, [a-z0-9]+/[a-z0-9]+\)\n$`)
	for _, flag := range []string{"--version", "-V"} {
		r := corpora(t, flag)
		if r.code != 0 || !line.MatchString(r.stdout) || r.stderr != "" {
			t.Errorf("corpora %s: exit %d, stdout %q, stderr %q", flag, r.code, r.stdout, r.stderr)
		}
	}
}

// The root help lists the environment variables corpora reads, on stdout.
func TestRootHelpListsTheEnvironment(t *testing.T) {
	r := corpora(t, "--help")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	for _, v := range []string{"ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_BASE_URL", "OPENAI_API_KEY", "CORPORA_OUTPUT",
		"CORPORA_PDF_PASSWORD", "CORPORA_PRICES", "CORPORA_PDF_ENGINE", "NO_COLOR"} {
		if !strings.Contains(r.stdout, v) {
			t.Errorf("root help does not list %s:\n%s", v, r.stdout)
		}
	}
}

// nextLine is one line of the batch summary's "next:" block.
var nextLine = regexp.MustCompile(`(?m)^  (corpora \S+.*?)\s+# (.*)$`)

// The batch summary names the next commands exactly as they run: the
// review command it prints works as printed, on the folder the batch wrote.
// A re-run sums the skipped documents up in one line with its reason.
func TestBatchNamesTheNextCommands(t *testing.T) {
	skipShort(t)
	books := filepath.Join(t.TempDir(), "books")
	writeFile(t, filepath.Join(books, "a.md"), book(3, 60, true))
	writeFile(t, filepath.Join(books, "b.md"), "# The Codex of Bigby\n\nBigby's Hand and Mordenkainen's Sword are taught in Greyhawk.\n\n"+book(4, 30, true))
	r := corpora(t, "batch", books, "--classifier", "offline")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "counted per book processed") || !strings.Contains(r.stderr, "unique terms") {
		t.Errorf("the per-book and master counts are not labelled:\n%s", r.stderr)
	}
	next := nextLine.FindAllStringSubmatch(r.stderr, -1)
	if !strings.Contains(r.stderr, "\nnext:\n") || len(next) == 0 {
		t.Fatalf("no next commands:\n%s", r.stderr)
	}
	ran := false
	for _, m := range next {
		args := strings.Fields(m[1])
		if !strings.Contains(m[1], filepath.Join(books, "output")) {
			t.Errorf("%q does not name the output folder", m[1])
		}
		if len(args) > 2 && args[1] == "review" {
			got := corpora(t, args[1:]...)
			if got.code != 0 || !strings.Contains(got.stdout+got.stderr, "Bigby") {
				t.Errorf("%q as printed: exit %d\n%s%s", m[1], got.code, got.stdout, got.stderr)
			}
			ran = true
		}
	}
	if !ran {
		t.Errorf("no review command among the next ones:\n%s", r.stderr)
	}

	r = corpora(t, "batch", books, "--classifier", "offline")
	if r.code != 0 || !strings.Contains(r.stderr, "skipped 2 unchanged documents (same content and settings; --force reprocesses") || strings.Contains(r.stderr, "SKIP") {
		t.Errorf("re-run: exit %d, want one line for the skipped documents:\n%s", r.code, r.stderr)
	}
	r = corpora(t, "batch", books, "--classifier", "offline", "-v")
	if strings.Count(r.stderr, "SKIP ") != 2 {
		t.Errorf("-v: want one SKIP line per document:\n%s", r.stderr)
	}
}

// A batch over PDFs on a machine that has never compiled the PDF engine
// says so before the long first compile; a warm machine does not.
func TestBatchAnnouncesTheEngineCompile(t *testing.T) {
	skipShort(t)
	books := filepath.Join(t.TempDir(), "books")
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "books", "emberfall-codex.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(books, "a.pdf"), string(data))
	cold := t.TempDir()
	cmd := exec.Command(corporaBin, "batch", books, "--classifier", "offline", "--dry-run")
	cmd.Env = append(cleanEnv(), "XDG_CACHE_HOME="+cold, "HOME="+cold)
	out, _ := cmd.CombinedOutput()
	if strings.Contains(string(out), "preparing the PDF engine") {
		t.Errorf("a dry run announces a compile it will not do:\n%s", out)
	}
	cmd = exec.Command(corporaBin, "batch", books, "--classifier", "offline", "--no-consolidate")
	cmd.Env = append(cleanEnv(), "XDG_CACHE_HOME="+cold, "HOME="+cold)
	out, _ = cmd.CombinedOutput()
	if !strings.Contains(string(out), "preparing the PDF engine") {
		t.Errorf("a cold machine is not told about the engine compile:\n%s", out)
	}
	warm := t.TempDir()
	writeFile(t, filepath.Join(warm, "corpora", "wazero", "compiled"), "x")
	cmd = exec.Command(corporaBin, "batch", books, "--classifier", "offline", "--force", "--no-consolidate")
	cmd.Env = append(cleanEnv(), "XDG_CACHE_HOME="+warm, "HOME="+warm)
	out, _ = cmd.CombinedOutput()
	if strings.Contains(string(out), "preparing the PDF engine") {
		t.Errorf("a warm machine is told about an engine compile:\n%s", out)
	}
}
