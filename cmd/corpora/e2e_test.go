package main

// End-to-end tests of `corpora batch`: they build the binary once and run it
// as a user would, on small generated text and Markdown books (which need
// only the text parser, extraction and the offline classifier).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/testenv"
)

var corporaBin string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run()) // the tests skip themselves; no binary needed
	}
	dir, err := os.MkdirTemp("", "corpora-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	corporaBin = filepath.Join(dir, "corpora")
	build := exec.Command("go", "build", "-o", corporaBin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	// The binaries these tests start inherit a fresh user cache folder, so
	// none depends on, or writes to, the real ~/.cache.
	cleanup, err := testenv.Isolate()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	cleanup()
	os.RemoveAll(dir)
	os.Exit(code)
}

// skipShort skips end-to-end tests under go test -short.
func skipShort(t *testing.T) {
	t.Helper()
	if corporaBin == "" {
		t.Skip("end-to-end test: skipped with -short")
	}
}

type result struct {
	code           int
	stdout, stderr string
}

// corpora runs the built binary with a clean environment (no API keys, so the
// offline classifier is the only one).
func corpora(t *testing.T, args ...string) result {
	t.Helper()
	return corporaIn(t, "", args...)
}

// corporaIn is corpora run in the working directory dir ("": the test's).
func corporaIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	skipShort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, corporaBin, args...)
	cmd.Env = cleanEnv()
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("corpora %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "ANTHROPIC_") || strings.HasPrefix(kv, "OPENAI_") || strings.HasPrefix(kv, "CORPORA_PDF_PASSWORD=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// Words for generated books: enough variety for the extractor to find
// creatures, spells, places and items.
var (
	adjectives = []string{"ancient", "red", "shadowed", "radiant", "frozen", "venomous", "arcane", "spectral", "iron", "gilded", "cursed", "howling", "verdant", "molten", "silent"}
	creatures  = []string{"dragon", "wyvern", "lich", "basilisk", "griffon", "troll", "wraith", "golem", "harpy", "kraken", "manticore", "sphinx", "ghoul", "unicorn", "hydra"}
	spells     = []string{"fireball", "lightning bolt", "cone of cold", "misty step", "shield of faith", "wall of thorns", "hold person", "banishment", "scrying", "polymorph", "animate dead", "counterspell", "sacred flame", "entangle", "teleportation circle"}
	places     = []string{"Emberfall", "the Glasswind Steppe", "Hollowmere", "the Thornwick Wood", "Tidewrought Harbor", "the Obsidian Citadel", "Saltmarsh", "the Sunken Vault"}
	items      = []string{"longsword", "staff of frost", "amulet", "wand of webs", "cloak of elvenkind", "potion of healing", "bag of holding", "mithral shirt", "ring of warmth", "crystal orb"}
	verbs      = []string{"casts", "guards", "hunts", "summons", "banishes", "wields", "curses", "devours", "protects", "enchants"}
)

// book returns a generated document of n sentences, different for every seed.
func book(seed uint64, n int, markdown bool) string {
	r := rand.New(rand.NewPCG(seed, 7))
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	var b strings.Builder
	if markdown {
		fmt.Fprintf(&b, "# The %s %s of %s\n\n", title(pick(adjectives)), title(pick(creatures)), pick(places))
	}
	for i := range n {
		if markdown && i%12 == 0 {
			fmt.Fprintf(&b, "\n## %s\n\n", title(pick(spells)))
		}
		fmt.Fprintf(&b, "The %s %s of %s %s %s with a %s. ", pick(adjectives), pick(creatures), pick(places), pick(verbs), pick(spells), pick(items))
		if i%5 == 4 {
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

// title capitalises the first letter of each word (ASCII only).
func title(s string) string {
	w := strings.Fields(s)
	for i, x := range w {
		w[i] = strings.ToUpper(x[:1]) + x[1:]
	}
	return strings.Join(w, " ")
}

// library writes n generated books (alternately Markdown and text, some in a
// sub-folder) into a new folder and returns it.
func library(t *testing.T, n, sentences int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "books")
	for i := range n {
		name := fmt.Sprintf("book%02d.md", i)
		if i%2 == 1 {
			name = fmt.Sprintf("book%02d.txt", i)
		}
		if i%3 == 2 {
			name = "shelf/" + name
		}
		writeFile(t, filepath.Join(dir, name), book(uint64(i+1), sentences, i%2 == 0))
	}
	return dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBatchExitCodes(t *testing.T) {
	t.Run("all succeed, then all skipped", func(t *testing.T) {
		dir := library(t, 4, 40)
		r := corpora(t, "batch", dir, "--classifier", "offline")
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		for _, want := range []string{"OK book00.md (", "terms, ", "4 processed, 0 skipped, 0 failed"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		}
		for _, f := range []string{"book00.vocab.json", "book01.vocab.json", "shelf/book02.vocab.json", "master.vocab.json", "flagged.json", ".corpora-manifest.json"} {
			if _, err := os.Stat(filepath.Join(dir, "output", f)); err != nil {
				t.Errorf("missing output: %v", err)
			}
		}
		r = corpora(t, "batch", dir, "--classifier", "offline")
		if r.code != 0 || !strings.Contains(r.stderr, "skipped 4 unchanged documents") || !strings.Contains(r.stderr, "0 processed, 4 skipped") {
			t.Errorf("re-run: exit %d\n%s", r.code, r.stderr)
		}
	})
	t.Run("no supported documents", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "notes.rtf"), "{\\rtf1 hello}")
		writeFile(t, filepath.Join(dir, ".hidden", "secret.md"), "# Hidden\n\nA dragon.")
		r := corpora(t, "batch", dir, "--classifier", "offline")
		if r.code != 66 || !strings.Contains(r.stderr, "No PDF or EPUB files found") {
			t.Errorf("exit %d, want 66\n%s", r.code, r.stderr)
		}
	})
	t.Run("one unparseable document among good ones", func(t *testing.T) {
		dir := library(t, 3, 30)
		png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
		writeFile(t, filepath.Join(dir, "broken.pdf"), png)
		r := corpora(t, "batch", dir, "--classifier", "offline", "-o", filepath.Join(t.TempDir(), "out"))
		if r.code != 75 {
			t.Fatalf("exit %d, want 75\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "FAIL broken.pdf: parse") || !strings.Contains(r.stderr, "3 processed, 0 skipped, 1 failed") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
		logPath := regexp.MustCompile(`details in (\S+batch-errors\.log)`).FindStringSubmatch(r.stderr)
		if logPath == nil {
			t.Fatalf("summary names no error log:\n%s", r.stderr)
		}
		data, err := os.ReadFile(logPath[1])
		if err != nil {
			t.Fatal(err)
		}
		var entry struct {
			Time     time.Time `json:"time"`
			Document string    `json:"document"`
			Stage    string    `json:"stage"`
			Attempt  int       `json:"attempt"`
			Error    string    `json:"error"`
		}
		if err := json.Unmarshal(bytes.SplitN(data, []byte("\n"), 2)[0], &entry); err != nil {
			t.Fatalf("error log line: %v\n%s", err, data)
		}
		if entry.Document != "broken.pdf" || entry.Stage != "parse" || entry.Attempt != 1 || entry.Time.IsZero() || !strings.Contains(strings.ToLower(entry.Error), "png") {
			t.Errorf("error log entry: %+v", entry)
		}
	})
}

func TestBatchJSONEvents(t *testing.T) {
	dir := library(t, 3, 20)
	r := corpora(t, "batch", dir, "--classifier", "offline", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var kinds []string
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("stdout line is not JSON: %q", sc.Text())
		}
		kinds = append(kinds, fmt.Sprint(ev["event"]))
		switch ev["event"] {
		case "document":
			if ev["status"] != "success" || ev["path"] == "" || ev["terms_classified"] == nil {
				t.Errorf("document event: %v", ev)
			}
		case "summary":
			if ev["documents"] != 3.0 || ev["processed"] != 3.0 || ev["exit_code"] != 0.0 {
				t.Errorf("summary event: %v", ev)
			}
		}
	}
	if got := strings.Join(kinds, ","); got != "start,document,document,document,summary" {
		t.Errorf("events %s", got)
	}
	if !strings.Contains(r.stderr, "3 processed") {
		t.Errorf("human summary missing from stderr:\n%s", r.stderr)
	}
}

// running is a `corpora batch` started in the background.
type running struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   chan struct{} // closed when the process has exited
	state  *os.ProcessState
}

// startBatch starts `corpora batch args...` in the background.
func startBatch(t *testing.T, args ...string) *running {
	t.Helper()
	skipShort(t)
	r := &running{cmd: exec.Command(corporaBin, append([]string{"batch"}, args...)...), stderr: &bytes.Buffer{}, done: make(chan struct{})}
	r.cmd.Env = cleanEnv()
	r.cmd.Stderr = r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r.state, _ = r.cmd.Process.Wait()
		close(r.done)
	}()
	t.Cleanup(func() { _ = r.cmd.Process.Kill(); <-r.done })
	return r
}

// wait waits for the process to exit and returns its exit code.
func (r *running) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(2 * time.Minute):
		t.Fatal("corpora batch did not exit")
	}
	return r.state.ExitCode()
}

// waitForManifest waits until the manifest records at least n documents, and
// fails when the run ends first.
func (r *running) waitForManifest(t *testing.T, out string, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-r.done:
			t.Fatalf("the run ended before %d documents were recorded: make the test library bigger\n%s", n, r.stderr)
		default:
		}
		var m struct {
			Documents map[string]json.RawMessage `json:"documents"`
		}
		if data, err := os.ReadFile(filepath.Join(out, ".corpora-manifest.json")); err == nil {
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatalf("manifest is not valid JSON mid-run: %v", err)
			}
			if len(m.Documents) >= n {
				return
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("timed out waiting for the manifest")
}

// timestamp matches every timestamp; nothing else may differ between runs
// (the master's source_hash digests its inputs without their timestamps).
var timestamp = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"`)

// normalised reads an output file with timestamps blanked.
func normalised(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return timestamp.ReplaceAllString(string(data), `"TIME"`)
}

func assertNoTempFiles(t *testing.T, root string) {
	t.Helper()
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".corpora-tmp-") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

// outputsEqual compares two output folders' master and review queue, and the
// set of vocab files, apart from timestamps.
func outputsEqual(t *testing.T, want, got string) {
	t.Helper()
	for _, f := range []string{"master.vocab.json", "flagged.json"} {
		w, g := normalised(t, filepath.Join(want, f)), normalised(t, filepath.Join(got, f))
		if w != g {
			t.Errorf("%s differs from the uninterrupted run's (%d vs %d bytes)", f, len(g), len(w))
		}
	}
	list := func(root string) string {
		var names []string
		_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".vocab.json") {
				rel, _ := filepath.Rel(root, p)
				names = append(names, rel+":"+fmt.Sprint(len(normalised(t, p))))
			}
			return nil
		})
		return strings.Join(names, "\n")
	}
	if w, g := list(want), list(got); w != g {

		t.Errorf("vocab files differ:\n%s\nwant:\n%s", g, w)
	}
}

// A kill -9 in the middle of a run, then a re-run, gives the output of an
// uninterrupted run, and no temporary file is left.
func TestBatchKill9ThenResume(t *testing.T) {
	const docs, sentences = 24, 400
	refDir := library(t, docs, sentences)
	refOut := filepath.Join(t.TempDir(), "out")
	if r := corpora(t, "batch", refDir, "-o", refOut, "--classifier", "offline", "-w", "2", "--quiet"); r.code != 0 {
		t.Fatalf("reference run: exit %d\n%s", r.code, r.stderr)
	}

	dir := library(t, docs, sentences)
	out := filepath.Join(t.TempDir(), "out")
	for round := 1; round <= 2; round++ {
		run := startBatch(t, dir, "-o", out, "--classifier", "offline", "-w", "2", "--quiet")
		run.waitForManifest(t, out, 3*round)
		if err := run.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		run.wait(t)
	}
	r := corpora(t, "batch", dir, "-o", out, "--classifier", "offline", "-w", "2")
	if r.code != 0 {
		t.Fatalf("resumed run: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "unchanged document") {
		t.Errorf("the resumed run skipped nothing:\n%s", r.stderr)
	}
	assertNoTempFiles(t, out)
	outputsEqual(t, refOut, out)
}

// SIGINT stops the run with exit 130 and a valid manifest; the next run
// completes.
func TestBatchSIGINTThenResume(t *testing.T) {
	dir := library(t, 24, 400)
	out := filepath.Join(t.TempDir(), "out")
	run := startBatch(t, dir, "-o", out, "--classifier", "offline", "-w", "2")
	run.waitForManifest(t, out, 2)
	if err := run.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	stderr := run.stderr
	if code := run.wait(t); code != 130 {
		t.Fatalf("exit %d after SIGINT, want 130\n%s", code, stderr)
	}
	if !strings.Contains(stderr.String(), "batch interrupted") || !strings.Contains(stderr.String(), "left for the next run") {
		t.Errorf("no interrupted summary:\n%s", stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, ".corpora-manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Documents map[string]struct {
			SourceHash string `json:"source_hash"`
			VocabPath  string `json:"vocab_path"`
		} `json:"documents"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest after SIGINT: %v", err)
	}
	if len(m.Documents) == 0 || len(m.Documents) >= 24 {
		t.Errorf("manifest records %d documents", len(m.Documents))
	}
	for rel, e := range m.Documents {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(e.VocabPath))); err != nil || len(e.SourceHash) != 64 {
			t.Errorf("%s recorded without its vocab file: %+v", rel, e)
		}
	}
	assertNoTempFiles(t, out)
	r := corpora(t, "batch", dir, "-o", out, "--classifier", "offline")
	if r.code != 0 || !strings.Contains(r.stderr, fmt.Sprintf("%d skipped", len(m.Documents))) {
		t.Errorf("resumed run: exit %d\n%s", r.code, r.stderr)
	}
}

// On a terminal the live display shows the bar; checked under script(1),
// which gives the program a pseudo-terminal.
func TestBatchLiveDisplayOnTTY(t *testing.T) {
	skipShort(t)
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) not installed: no pseudo-terminal to test the live display")
	}
	dir := library(t, 4, 60)
	line := fmt.Sprintf("%s batch %s --classifier offline -w 2", corporaBin, dir)
	cmd := exec.Command(script, "-qec", line, "/dev/null")
	cmd.Env = append(cleanEnv(), "TERM=xterm", "COLUMNS=100")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := string(out)
	for _, want := range []string{"\x1b[J", "/4 documents", "OK book00.md", "4 processed"} {
		if !strings.Contains(s, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, s)
		}
	}
	if !regexp.MustCompile(`\[=+ *\] 4/4 documents`).MatchString(s) {
		t.Errorf("no full progress bar:\n%q", s)
	}
}

// A blocklist change re-flags the vocab files without parsing or classifying
// again, and ends with what a fresh run with the new blocklist writes.
func TestBatchBlocklistChange(t *testing.T) {
	lists := t.TempDir()
	a, b := filepath.Join(lists, "a.json"), filepath.Join(lists, "b.json")
	writeFile(t, a, `{"Test Franchise A": ["Saltmarsh"]}`)
	writeFile(t, b, `{"Test Franchise B": ["Emberfall", "Hollowmere"]}`)

	dir := library(t, 4, 60)
	out := filepath.Join(t.TempDir(), "out")
	if r := corpora(t, "batch", dir, "-o", out, "--classifier", "offline", "-b", a); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	r := corpora(t, "batch", dir, "-o", out, "--classifier", "offline", "-b", b)
	if r.code != 0 || strings.Count(r.stderr, "re-flagged only") != 4 {
		t.Fatalf("run with the new blocklist: exit %d\n%s", r.code, r.stderr)
	}
	fresh := filepath.Join(t.TempDir(), "out")
	if r := corpora(t, "batch", dir, "-o", fresh, "--classifier", "offline", "-b", b); r.code != 0 {
		t.Fatalf("fresh run: exit %d\n%s", r.code, r.stderr)
	}
	outputsEqual(t, fresh, out)
	for _, v := range []string{"book00.vocab.json", "book01.vocab.json", "shelf/book02.vocab.json"} {
		if g, w := normalised(t, filepath.Join(out, v)), normalised(t, filepath.Join(fresh, v)); g != w {
			t.Errorf("%s differs from a fresh run's", v)
		}
	}
	if flagged := normalised(t, filepath.Join(out, "flagged.json")); !strings.Contains(flagged, "Test Franchise B") || strings.Contains(flagged, "Test Franchise A") {
		t.Errorf("flagged.json does not follow the new blocklist:\n%.2000s", flagged)
	}
}
