//go:build unix

package main

import (
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOutputPathKinds runs `corpora parse -o` onto each kind of thing a
// path can name: the output lands where a shell redirection would put it,
// and nothing is replaced that is not a regular file.
func TestOutputPathKinds(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "book.md")
	writeFile(t, in, book(7, 20, true))

	t.Run("symlink into another folder", func(t *testing.T) {
		other := filepath.Join(dir, "other")
		os.Mkdir(other, 0o755)
		target := filepath.Join(other, "parsed.json")
		os.WriteFile(target, []byte("old"), 0o644)
		link := filepath.Join(dir, "link.json")
		os.Symlink(filepath.Join("other", "parsed.json"), link)
		if r := corpora(t, "parse", in, "-o", link); r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatal("the symlink was replaced")
		}
		if b, _ := os.ReadFile(target); !strings.Contains(string(b), `"schema_version"`) {
			t.Fatalf("target holds %.40q", b)
		}
	})

	t.Run("fifo", func(t *testing.T) {
		fifo := filepath.Join(dir, "pipe")
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Skip(err)
		}
		got := make(chan string, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- ""
				return
			}
			b, _ := io.ReadAll(f)
			f.Close()
			got <- string(b)
		}()
		if r := corpora(t, "parse", in, "-o", fifo); r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		select {
		case s := <-got:
			if !strings.Contains(s, `"schema_version"`) {
				t.Fatalf("the FIFO's reader got %.60q", s)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the FIFO's reader got nothing")
		}
		if fi, _ := os.Lstat(fifo); fi.Mode()&fs.ModeNamedPipe == 0 {
			t.Fatal("the FIFO was replaced")
		}
	})

	t.Run("dev null", func(t *testing.T) {
		if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
			t.Skip("no /dev/null device")
		}
		for _, args := range [][]string{{"parse", in, "-o", "/dev/null"}, {"extract", in, "--candidates-only", "-o", "/dev/null"}} {
			if r := corpora(t, args...); r.code != 0 {
				t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
			}
		}
		if fi, _ := os.Lstat("/dev/null"); fi.Mode()&fs.ModeCharDevice == 0 {
			t.Fatalf("/dev/null is now a %v", fi.Mode())
		}
	})

	t.Run("full disk", func(t *testing.T) {
		if _, err := os.Stat("/dev/full"); err != nil {
			t.Skip("no /dev/full")
		}
		r := corpora(t, "parse", in, "-o", "/dev/full")
		if r.code != 73 || !strings.Contains(r.stderr, "/dev/full") {
			t.Fatalf("exit %d, want 73 naming /dev/full: %s", r.code, r.stderr)
		}
	})

	t.Run("dash is stdout", func(t *testing.T) {
		r := corpora(t, "parse", in, "-o", "-")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "{") {
			t.Fatalf("exit %d, stdout %.40q", r.code, r.stdout)
		}
		if _, err := os.Stat(filepath.Join(dir, "-")); err == nil {
			t.Fatal("wrote a file named -")
		}
	})
}

// TestNeverExitOne walks every command with the documented failures (bad
// usage, missing input, unusable input, unwritable output, stdout on a full
// disk) and checks each code against SPEC section 2; none may be 1.
func TestNeverExitOne(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "book.md")
	writeFile(t, in, book(3, 20, true))
	bad := filepath.Join(dir, "bad.pdf")
	writeFile(t, bad, "%PDF-1.7 this is not a PDF at all")
	notTerms := filepath.Join(dir, "x.terms.json")
	writeFile(t, notTerms, `{"no": "array"}`)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	books := filepath.Join(dir, "books")
	os.Mkdir(books, 0o755)
	writeFile(t, filepath.Join(books, "a.md"), book(5, 30, true))
	out := filepath.Join(dir, "out")
	if r := corpora(t, "batch", books, "-o", out, "--quiet"); r.code != 0 {
		t.Fatalf("setup batch: exit %d: %s", r.code, r.stderr)
	}
	full := "/dev/full" // runTo skips the cases that need it where it is missing
	cases := []struct {
		args   []string
		stdout string // a file to send stdout to
		want   int
	}{
		{[]string{"bogus-command"}, "", 64},
		{[]string{"--bogus-flag"}, "", 64},
		{[]string{"parse"}, "", 64},
		{[]string{"parse", in, "--ocr", "sometimes"}, "", 64},
		{[]string{"extract"}, "", 64},
		{[]string{"extract", in, in}, "", 64},
		{[]string{"output"}, "", 64},
		{[]string{"consolidate"}, "", 64},
		{[]string{"batch"}, "", 64},
		{[]string{"batch", books, "-w", "-3", "--classifier", "offline"}, "", 0}, // 1.0: below 1 is the default
		{[]string{"review", "bogus"}, "", 64},
		{[]string{"review", "list", "one", "two"}, "", 64},
		{[]string{"review", "decide"}, "", 64},
		{[]string{"parse", filepath.Join(dir, "missing.md")}, "", 66},
		{[]string{"extract", filepath.Join(dir, "missing.md")}, "", 66},
		{[]string{"output", filepath.Join(dir, "missing.json")}, "", 66},
		{[]string{"consolidate", empty}, "", 66},
		{[]string{"batch", empty, "-o", filepath.Join(dir, "out2")}, "", 66},
		{[]string{"parse", bad}, "", 65},
		{[]string{"output", notTerms}, "", 65},
		{[]string{"review", "list", "--dir", empty}, "", 66},
		{[]string{"parse", in, "-o", filepath.Join(bad, "sub", "x.json")}, "", 73},
		{[]string{"review", "list", "--dir", out}, "", 0},
		{[]string{"review", "list", "--dir", out, "--json"}, full, 73},
		{[]string{"parse", in}, full, 73},
		{[]string{"extract", in, "--candidates-only"}, full, 73},
		{[]string{"batch", books, "-o", out, "--json"}, full, 73},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stderr := runTo(t, c.stdout, c.args...)
			if code == 1 {
				t.Fatalf("exit 1 (undocumented): %s", stderr)
			}
			if code != c.want {
				t.Fatalf("exit %d, want %d: %s", code, c.want, stderr)
			}
		})
	}
}

// runTo runs the binary with stdout sent to the file at stdout ("" for a
// buffer) and returns the exit code and stderr.
func runTo(t *testing.T, stdout string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, corporaBin, args...)
	cmd.Env = cleanEnv()
	var errb strings.Builder
	cmd.Stderr = &errb
	if stdout != "" {
		f, err := os.OpenFile(stdout, os.O_WRONLY, 0)
		if err != nil {
			t.Skip(err)
		}
		defer f.Close()
		cmd.Stdout = f
	}
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), errb.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, errb.String()
}

// TestLockedBatchOneLine: a second batch on an output folder in use is
// refused with one line naming the holder, exit 75 (try again later).
func TestLockedBatchOneLine(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	books := filepath.Join(dir, "books")
	writeFile(t, filepath.Join(books, "a.md"), book(21, 40, true))
	out := filepath.Join(dir, "out")
	if r := corpora(t, "batch", books, "-o", out, "--quiet"); r.code != 0 {
		t.Fatalf("first run: %d %s", r.code, r.stderr)
	}
	f, err := os.OpenFile(filepath.Join(out, ".corpora-batch.lock"), os.O_RDWR, 0)
	if err != nil {
		t.Skip("no lock file:", err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Skip(err)
	}
	f.Truncate(0)
	f.WriteAt([]byte("pid 4242, since 2026-12-06T15:04:05Z\n"), 0)
	r := corpora(t, "batch", books, "-o", out)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if r.code != 75 || !strings.Contains(r.stderr, "pid 4242") || strings.Contains(r.stderr, "documents:") {
		t.Fatalf("exit %d, stderr %q: want 75 and one line naming the holder", r.code, r.stderr)
	}
	t.Logf("%d line(s): %s", len(lines), r.stderr)
}

// TestBatchRecordsItsBlocklist: a batch run with -b records the list in
// its output folder; consolidate and a second batch there use it without
// being told, so the custom flags are never silently dropped.
func TestBatchRecordsItsBlocklist(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	books := filepath.Join(dir, "books")
	writeFile(t, filepath.Join(books, "a.md"), "# The Zorblax Codex\n\nThe Zorblax hunts the frozen hills, and the Zorblax devours the wyvern at dusk. Every ranger fears the Zorblax.\n")
	bl := filepath.Join(dir, "mine.json")
	writeFile(t, bl, `{"My Setting": ["Zorblax"]}`)
	out := filepath.Join(dir, "out")
	if r := corpora(t, "batch", books, "-o", out, "-b", bl, "--quiet"); r.code != 0 {
		t.Fatalf("batch: %d %s", r.code, r.stderr)
	}
	flagged := func() bool {
		b, _ := os.ReadFile(filepath.Join(out, "flagged.json"))
		return strings.Contains(string(b), "Zorblax")
	}
	if !flagged() {
		t.Fatal("the custom blocklist flagged nothing")
	}
	if r := corpora(t, "consolidate", out, "-f"); r.code != 0 || !strings.Contains(r.stderr, "blocklist recorded") {
		t.Fatalf("consolidate: %d %s", r.code, r.stderr)
	}
	if !flagged() {
		t.Fatal("consolidate without -b dropped the custom flags")
	}
	if r := corpora(t, "batch", books, "-o", out); r.code != 0 || !strings.Contains(r.stderr, "1 skipped") || !flagged() {
		t.Fatalf("second batch without -b: %d %s", r.code, r.stderr)
	}
}
