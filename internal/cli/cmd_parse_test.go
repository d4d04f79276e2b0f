package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"
)

// runParseCmd runs corpora with "parse" and args (runCLI).
func runParseCmd(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	r := runCLI(t, cliCall{env: env}, append([]string{"parse"}, args...)...)
	return r.code, r.out, r.err
}

// writeFiles creates files under dir from a name -> content map.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const pngBytes = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

func TestParseCmdStdoutByteExact(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"book.md": "# The Ember Gate\n\nA *wyrm* of\u00a0ash guards the gate.\n"})
	path := filepath.Join(dir, "book.md")
	code, stdout, stderr := runParseCmd(t, nil, path)
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var out document.Output
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	again, err := atomicfile.MarshalJSON(&out)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != stdout {
		t.Errorf("stdout is not the canonical encoding:\n%s\nwant\n%s", stdout, again)
	}
	if out.Source != path || out.Format != document.Markdown || out.SchemaVersion != "2.0" {
		t.Errorf("source %q format %q schema %q", out.Source, out.Format, out.SchemaVersion)
	}
	if len(out.Content) != 2 || out.Content[1].Text != "A wyrm of ash guards the gate." {
		t.Errorf("content %+v", out.Content)
	}
	if !strings.HasPrefix(stdout, "{\n  \"schema_version\": \"2.0\",\n  \"source\": ") {
		t.Errorf("key order or indentation: %.80q", stdout)
	}
}

func TestParseCmdExitCodes(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"ok/a.md":           "# A\n\ntext a\n",
		"ok/sub/b.txt":      "text b\n",
		"ok/.hidden/c.md":   "hidden\n",
		"ok/notes.json":     "{}",
		"mixed/a.md":        "# A\n",
		"mixed/bad.pdf":     pngBytes,
		"mixed/z.md":        "# Z\n",
		"empty/readme.json": "{}",
		"fake.pdf":          pngBytes,
		"file":              "a file, not a folder",
	})
	p := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	out := t.TempDir()
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		code       int
		stderrHas  []string
		stderrNone bool
	}{
		{"single ok to stdout", []string{p("ok/a.md")}, nil, ExitOK, nil, true},
		{"single unusable", []string{p("fake.pdf")}, nil, ExitDataErr, []string{"corpora: " + p("fake.pdf") + ": PNG image, not a PDF\n"}, false},
		{"missing file", []string{p("nope.md")}, nil, ExitNoInput, []string{"no such file or folder"}, false},
		{"folder without documents", []string{p("empty")}, nil, ExitNoInput, []string{"no supported documents"}, false},
		{"folder needs -o", []string{p("ok")}, nil, ExitUsage, []string{"needs -o DIR"}, false},
		{"several needs -o", []string{p("ok/a.md"), p("ok/sub/b.txt")}, nil, ExitUsage, []string{"needs -o DIR"}, false},
		{"folder ok", []string{p("ok"), "-o", filepath.Join(out, "ok")}, nil, ExitOK, []string{"parsed 2 of 2 documents"}, false},
		{"some failed", []string{p("mixed"), "-o", filepath.Join(out, "mixed")}, nil, ExitPartial, []string{"corpora: " + p("mixed/bad.pdf") + ": PNG image, not a PDF\n", "1 failed"}, false},
		{"bad --ocr", []string{"--ocr", "sometimes", p("ok/a.md")}, nil, ExitUsage, []string{"--ocr"}, false},
		// 1.0's flags: a bare --ocr is on, --no-ocr, -y, --partial, --format json, -v.
		{"1.0 bare --ocr", []string{p("ok/a.md"), "--ocr", "-y"}, nil, ExitOK, nil, true},
		{"1.0 bare --ocr before a file", []string{"--ocr", p("ok/a.md")}, nil, ExitOK, nil, true},
		{"1.0 --no-ocr --partial --format json", []string{p("ok/a.md"), "--no-ocr", "--partial", "--format", "json"}, nil, ExitOK, nil, true},
		{"1.0 --no-ocr against --ocr on", []string{p("ok/a.md"), "--no-ocr", "--ocr", "on"}, nil, ExitUsage, []string{"contradict"}, false},
		{"--no-ocr with a bad --ocr", []string{p("ok/a.md"), "--no-ocr", "--ocr", "sometimes"}, nil, ExitUsage, []string{"--ocr must be"}, false},
		{"--format other", []string{p("ok/a.md"), "--format", "yaml"}, nil, ExitUsage, []string{"--format must be json"}, false},
		{"1.0 -v on one", []string{p("ok/a.md"), "-v"}, nil, ExitOK, []string{"OK " + p("ok/a.md") + " -> stdout ("}, false},
		{"1.0 --fail-fast", []string{p("mixed"), "-o", filepath.Join(out, "ff"), "--fail-fast", "-w", "1"}, nil, ExitDataErr, []string{"PNG image, not a PDF", "1 not started or stopped (--fail-fast)"}, false},
		{"no args", nil, nil, ExitUsage, nil, false},
		{"cannot write", []string{p("ok/a.md"), "-o", filepath.Join(p("file"), "x.json")}, nil, ExitCantCreate, nil, false},
		{"cannot write several", []string{p("ok"), "-o", p("file")}, nil, ExitCantCreate, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runParseCmd(t, tc.env, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if tc.stderrNone && stderr != "" {
				t.Errorf("stderr not empty: %q", stderr)
			}
		})
	}
	// The folder run mirrored sub-folders and skipped hidden ones.
	for _, f := range []string{"ok/a.json", "ok/sub/b.json", "mixed/a.json", "mixed/z.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("output %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "ok/.hidden")); err == nil {
		t.Error("hidden folder parsed")
	}
}

func TestParseCmdOutputNames(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"in/book.md":    "# Book\n",
		"in/book.txt":   "book\n",
		"in/x/lore.md":  "lore x\n",
		"in/y/lore.md":  "lore y\n",
		"in/y/Upper.MD": "upper\n",
	})
	in := filepath.Join(dir, "in")
	tests := []struct {
		name string
		flat bool
		want []string
	}{
		{"mirror", false, []string{"book.md.json", "book.txt.json", "x/lore.json", "y/lore.json", "y/Upper.json"}},
		{"flat", true, []string{"book.md.json", "book.txt.json", "lore.md.json", "lore.md-2.json", "Upper.json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := []string{in, "-o", out}
			if tc.flat {
				args = append(args, "--flat")
			}
			if code, _, stderr := runParseCmd(t, nil, args...); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, w := range tc.want {
				if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(w))); err != nil {
					t.Errorf("missing %s", w)
				}
			}
		})
	}
}

func TestParseCmdSingleWithOutput(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.html": "<html><head><title>T</title></head><body><h1>Gate</h1><p>Ash</p></body></html>"})
	// -o FILE writes that file; -o DIR/ writes DIR/<name>.json.
	file := filepath.Join(dir, "out", "a-parsed.json")
	if code, stdout, stderr := runParseCmd(t, nil, filepath.Join(dir, "a.html"), "-o", file); code != ExitOK || stdout != "" {
		t.Fatalf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "out2") + string(filepath.Separator)
	if code, _, stderr := runParseCmd(t, nil, filepath.Join(dir, "a.html"), "-o", outDir); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(outDir, "a.json")); err != nil {
		t.Fatal(err)
	}
}

func TestParseCmdGlob(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.md": "a\n", "b.md": "b\n", "c.json": "{}"})
	out := filepath.Join(dir, "out")
	code, _, stderr := runParseCmd(t, nil, filepath.Join(dir, "*"), "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"a.json", "b.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "c.json")); err == nil {
		t.Error("glob picked up an unsupported file")
	}
}

// TestParseCmdPassword: --password, else $CORPORA_PDF_PASSWORD, opens an
// encrypted PDF of the test corpus; without either it is a one-line error.
func TestParseCmdPassword(t *testing.T) {
	dir := os.Getenv("CORPORA_TEST_CORPUS")
	if dir == "" {
		t.Skip("CORPORA_TEST_CORPUS not set")
	}
	if testing.Short() {
		t.Skip("starts the PDF engine")
	}
	pdf := filepath.Join(dir, "pdf", "pypdf__r4-aes-user-password.pdf")
	if code, _, stderr := runParseCmd(t, nil, pdf); code != ExitDataErr || !strings.Contains(stderr, "encrypted") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("no password: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runParseCmd(t, map[string]string{"CORPORA_PDF_PASSWORD": "asdfzxcv"}, pdf); code != ExitOK {
		t.Errorf("password from the environment: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runParseCmd(t, map[string]string{"CORPORA_PDF_PASSWORD": "wrong"}, "--password", "asdfzxcv", pdf); code != ExitOK {
		t.Errorf("--password wins over the environment: exit %d, stderr %q", code, stderr)
	}
}
