package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/vocab"
)

func classifiedTerm(source, text, canonical string, conf float64) classify.Term {
	return classify.Term{
		ID: classify.Slug(source) + "-" + classify.Slug(canonical), Text: text, Source: source, Genre: classify.Genre,
		Intent: classify.Offensive, POS: "phrase", Tags: []string{"spell"}, Category: classify.Spell, Canonical: canonical,
		Mood: classify.Arcane, Confidence: classify.Score(conf), SecondaryIntents: []classify.Intent{}, Count: 1,
		Pages: []int{1}, Context: "ctx", Classifier: "offline/test",
	}
}

// writeTerms writes a ClassifiedTerm array as `corpora extract` prints it.
func writeTerms(t *testing.T, path string, terms ...classify.Term) {
	t.Helper()
	data, err := json.MarshalIndent(terms, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOutputFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    outputOptions
		wantErr string
	}{
		{[]string{"t.json"}, outputOptions{Input: "t.json"}, ""},
		{[]string{"t.json", "-o", "x.vocab.json", "-b", "bl.json", "--pipeline", "p1"}, outputOptions{Input: "t.json", Output: "x.vocab.json", Blocklist: "bl.json", Pipeline: "p1"}, ""},
		{[]string{}, outputOptions{}, "accepts 1 arg"},
		{[]string{"a", "b"}, outputOptions{}, "accepts 1 arg"},
		{[]string{"a", "--frob"}, outputOptions{}, "unknown flag"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var got *outputOptions
			s := &Streams{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}
			cmd := newOutputCmdWith(s, func(_ context.Context, o *outputOptions, _ *Streams) error { got = o; return nil })
			if !parseFlags(t, cmd, tc.args, tc.wantErr) {
				return
			}
			g := *got
			g.now = nil
			if !reflect.DeepEqual(g, tc.want) {
				t.Errorf("options = %+v, want %+v", *got, tc.want)
			}
		})
	}
}

func TestOutputCommand(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "book.pdf")
	if err := os.WriteFile(doc, []byte("%PDF-1.7 not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "book.json")
	writeTerms(t, in,
		classifiedTerm(doc, "Mind Flayers", "mind flayer", 0.9),
		classifiedTerm(doc, "Fireball", "fireball", 0.8),
		classifiedTerm(doc, "Bigby’s Hand", "Bigby's Hand", 0.7))

	code, stdout, stderr := runStreams(t, "output", in, "--pipeline", "fp1")
	if code != 0 || stdout != "" {
		t.Fatalf("code %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "3 terms, 2 flagged") {
		t.Errorf("stderr = %q", stderr)
	}
	f, err := vocab.Read(filepath.Join(dir, "book.vocab.json"))
	if err != nil {
		t.Fatal(err)
	}
	m := f.Metadata
	if m.SchemaVersion != "2.0" || m.SourcePath != doc || len(m.SourceHash) != 64 || m.Pipeline != "fp1" || m.TermCount != 3 || m.FlaggedCount != 2 {
		t.Errorf("metadata = %+v", m)
	}
	if f.Entries[0].Canonical != "Bigby's Hand" || f.Entries[1].Canonical != "fireball" {
		t.Errorf("entries not sorted by canonical: %q %q", f.Entries[0].Canonical, f.Entries[1].Canonical)
	}
	q, err := os.ReadFile(filepath.Join(dir, "flagged.json")) // 1.0's name, in a folder without a master
	if err != nil || !bytes.Contains(q, []byte(`"total_flagged": 2`)) {
		t.Errorf("queue: %s %v", q, err)
	}
	if !strings.Contains(stderr, "Generated: "+filepath.Join(dir, "book.vocab.json")) || !strings.Contains(stderr, "Review queue: "+filepath.Join(dir, "flagged.json")+" (2 terms)") {
		t.Errorf("stderr lacks 1.0's Generated: and Review queue: lines: %q", stderr)
	}
	// In a batch output folder flagged.json is the master's queue: the
	// document's queue takes its stem.
	if err := os.WriteFile(filepath.Join(dir, vocab.MasterFile), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runStreams(t, "output", in); code != 0 || !strings.Contains(stderr, "Review queue: "+filepath.Join(dir, "book.flagged.json")) {
		t.Errorf("beside a master: code %d, %s", code, stderr)
	}
	if q2, _ := os.ReadFile(filepath.Join(dir, "flagged.json")); !bytes.Equal(q, q2) {
		t.Error("output beside a master rewrote the master's flagged.json")
	}

	// -o - prints the vocab file on stdout, raw.
	code, stdout, _ = runStreams(t, "output", in, "-o", "-")
	if code != 0 || !strings.HasPrefix(stdout, "{\n  \"metadata\": {") {
		t.Errorf("-o -: code %d stdout %q", code, stdout)
	}

	// A blocklist file extends the default list.
	bl := filepath.Join(dir, "bl.json")
	os.WriteFile(bl, []byte(`{"House setting": ["Fireball"]}`), 0o644)
	code, _, stderr = runStreams(t, "output", in, "-b", bl, "-o", filepath.Join(dir, "x", "b.vocab.json"))
	if code != 0 || !strings.Contains(stderr, "3 flagged") {
		t.Errorf("with -b: code %d, %s", code, stderr)
	}
}

func TestOutputErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"nope": 1`), 0o644)
	good := filepath.Join(dir, "good.json")
	writeTerms(t, good, classifiedTerm("a.pdf", "Fire", "fire", 0.5))
	badBL := filepath.Join(dir, "bl.json")
	os.WriteFile(badBL, []byte(`{"x": [3]}`), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"output", filepath.Join(dir, "missing.json")}, ExitNoInput, "no such file"},
		{[]string{"output", bad}, ExitDataErr, "bad.json"},
		{[]string{"output", good, "-b", badBL}, ExitDataErr, "invalid blocklist"},
		{[]string{"output", good, "-b", filepath.Join(dir, "nobl.json")}, ExitNoInput, "nobl.json"},
		{[]string{"output", good, "-o", filepath.Join(good, "sub", "x.vocab.json")}, ExitCantCreate, ""},
	}
	for _, tc := range tests {
		code, _, stderr := runStreams(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: code %d (want %d), stderr %q", tc.args, code, tc.code, stderr)
		}
	}
}

func TestDefaultPaths(t *testing.T) {
	for in, want := range map[string]string{"a/book.json": "a/book.vocab.json", "book.JSON": "book.vocab.json", "terms": "terms.vocab.json"} {
		if got := defaultVocabPath(in); got != want {
			t.Errorf("defaultVocabPath(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{"a/book.vocab.json": "a/flagged.json", "x.json": "flagged.json"} {
		if got := queuePathFor(in); got != want {
			t.Errorf("queuePathFor(%q) = %q", in, got)
		}
	}
}
