package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The 1.0 tool's files and flags, as its pydantic models and argparse wrote
// and took them: corpora reads and accepts them (SPEC section 3).

// doc10 is a DocumentOutput as 1.0 wrote it: a naive timestamp.
const doc10 = `{
  "source": "grimoire.md",
  "format": "md",
  "extracted_at": "2026-02-04T00:00:00",
  "ocr_used": false,
  "pages": 1,
  "metadata": {},
  "warnings": [],
  "content": [
    {"type": "heading", "text": "Fireball"},
    {"type": "text", "text": "The ancient wizard cast a powerful spell. A bright streak flashes to a point you choose and blossoms into an explosion of flame. The red dragon breathed deadly fire over the ruined keep of Emberfall."}
  ]
}`

func TestCompat10DocumentOutput(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "grimoire.json")
	writeFile(t, in, doc10)
	r := corpora(t, "extract", in, "--classifier", "offline", "-v")
	if r.code != 0 {
		t.Fatalf("1.0 DocumentOutput refused: exit %d: %s", r.code, r.stderr)
	}
	var terms []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &terms); err != nil || len(terms) == 0 {
		t.Fatalf("no terms: %v %.200s", err, r.stdout)
	}
	if !strings.Contains(r.stderr, ": spell") {
		t.Errorf("-v printed no term with its category: %s", r.stderr)
	}
}

func TestCompat10BadInputRefused(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	cases := []struct {
		name, content, want string
	}{
		{"broken.json", "not valid json {}", "Invalid document format: not valid JSON"},
		{"random.json", `{"random":"data"}`, "Invalid document format"},
		{"empty.json", `{"source":"x.md","format":"md","extracted_at":"2026-02-04T00:00:00","content":[]}`, "No text content"},
	}
	for _, c := range cases {
		p := filepath.Join(dir, c.name)
		writeFile(t, p, c.content)
		r := corpora(t, "extract", p, "--candidates-only")
		if r.code != 65 || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, c.name) {
			t.Errorf("%s: exit %d, stderr %q; want 65 naming the file and %q", c.name, r.code, r.stderr, c.want)
		}
	}
}

// term10 is a ClassifiedTerm as 1.0 wrote it, with one field changed.
func term10(change func(map[string]any)) map[string]any {
	t := map[string]any{
		"id": "grimoire-fireball", "text": "fireball", "source": "grimoire.md", "genre": "fantasy",
		"intent": "offensive", "pos": "noun", "axes": map[string]float64{"fire": 1}, "tags": []string{"evocation"},
		"category": "spell", "canonical": "fireball", "mood": "arcane", "energy": "fire", "confidence": 0.9,
		"secondary_intents": []string{}, "ip_flag": nil,
	}
	if change != nil {
		change(t)
	}
	return t
}

func TestCompat10OutputChecksTerms(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	bad := []struct {
		name   string
		change func(map[string]any)
		want   string
	}{
		{"axis above 1", func(t map[string]any) { t["axes"] = map[string]float64{"fire": 1.5} }, "axis fire"},
		{"axis below 0", func(t map[string]any) { t["axes"] = map[string]float64{"shadow": -0.1} }, "axis shadow"},
		{"confidence", func(t map[string]any) { t["confidence"] = 1.5 }, "confidence"},
		{"pos", func(t map[string]any) { t["pos"] = "pronoun" }, "pos"},
		{"genre", func(t map[string]any) { t["genre"] = "scifi" }, "genre"},
	}
	for _, c := range bad {
		p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".terms.json")
		data, _ := json.Marshal([]any{term10(nil), term10(c.change)})
		writeFile(t, p, string(data))
		r := corpora(t, "output", p, "-o", filepath.Join(dir, "out.vocab.json"))
		if r.code != 65 || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "term 2") || !strings.Contains(r.stderr, filepath.Base(p)) {
			t.Errorf("%s: exit %d, %q; want 65 naming the file, the term and %q", c.name, r.code, r.stderr, c.want)
		}
	}
	// A term without a genre is a fantasy term, as in 1.0.
	p := filepath.Join(dir, "nogenre.terms.json")
	data, _ := json.Marshal([]any{term10(func(t map[string]any) { delete(t, "genre") })})
	writeFile(t, p, string(data))
	out := filepath.Join(dir, "nogenre.vocab.json")
	if r := corpora(t, "output", p, "-o", out, "-v"); r.code != 0 || !strings.Contains(r.stderr, "fireball: spell") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), `"genre": "fantasy"`) {
		t.Errorf("genre not defaulted: %.300s", b)
	}
}

// TestCompat10OutputTakes10Terms: 1.0's terms carry free-text intent and
// mood, flags of 1.0's own blocklist, and every required field; the -b
// file's franchise names the flag, as 1.0's list did.
func TestCompat10OutputTakes10Terms(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	beholder := term10(func(t map[string]any) {
		t["id"], t["text"], t["canonical"], t["category"], t["intent"], t["mood"] = "mm-beholder", "Beholder", "beholder", "creature", "creature", "epic"
		t["ip_flag"] = "blocklist:homebrew" // a list of 1.0's that this run does not have
	})
	flayer := term10(func(t map[string]any) {
		t["id"], t["text"], t["canonical"], t["category"] = "mm-mind-flayer", "Mind Flayer", "mind flayer", "creature"
	})
	in := filepath.Join(dir, "extract.json")
	data, _ := json.Marshal([]any{beholder, flayer, term10(nil)})
	writeFile(t, in, string(data))
	bl := filepath.Join(dir, "bl.json")
	writeFile(t, bl, `{"dnd": ["Mind Flayer"]}`)
	r := corpora(t, "output", in, "-b", bl)
	if r.code != 0 || !strings.Contains(r.stderr, "Generated: "+filepath.Join(dir, "extract.vocab.json")) || !strings.Contains(r.stderr, "Review queue: "+filepath.Join(dir, "flagged.json")) {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var f struct {
		Entries []struct {
			Text, Intent, Mood string
			IPFlag             *string `json:"ip_flag"`
		} `json:"entries"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "extract.vocab.json"))
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range f.Entries {
		flag := "<nil>"
		if e.IPFlag != nil {
			flag = *e.IPFlag
		}
		got[e.Text] = e.Intent + " " + e.Mood + " " + flag
	}
	want := map[string]string{
		"Beholder":    "creature epic blocklist:homebrew", // 1.0's flag kept, free text kept
		"Mind Flayer": "offensive arcane blocklist:dnd",   // the -b file's franchise, not the built-in list's
		"fireball":    "offensive arcane <nil>",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	var q struct {
		Terms []struct {
			Text       string `json:"text"`
			FlagReason string `json:"flag_reason"`
			Decision   string `json:"decision"`
			Reviewed   bool   `json:"reviewed"`
		} `json:"terms"`
	}
	b, _ = os.ReadFile(filepath.Join(dir, "flagged.json"))
	if err := json.Unmarshal(b, &q); err != nil || len(q.Terms) != 2 {
		t.Fatalf("flagged.json: %v %s", err, b)
	}
	for _, it := range q.Terms {
		if !strings.HasPrefix(it.FlagReason, "blocklist:") || it.FlagReason != strings.Fields(got[it.Text])[2] || it.Decision != "" || it.Reviewed {
			t.Errorf("queue item %+v: want flag_reason the entry's ip_flag, decision \"\"", it)
		}
	}

	// 1.0's required fields.
	for _, field := range []string{"id", "source", "confidence", "canonical", "intent"} {
		p := filepath.Join(dir, "no-"+field+".json")
		data, _ := json.Marshal([]any{term10(func(t map[string]any) { delete(t, field) })})
		writeFile(t, p, string(data))
		r := corpora(t, "output", p, "-o", filepath.Join(dir, "x.vocab.json"))
		if r.code != 65 || !strings.Contains(r.stderr, "missing "+field) || !strings.Contains(r.stderr, filepath.Base(p)) {
			t.Errorf("without %s: exit %d, %q; want 65 naming the file and the field", field, r.code, r.stderr)
		}
	}
}

// TestCompat10DefaultBlocklist: without -b, 1.0 read data/ip-blocklist.json
// in the working directory; so does corpora (output, batch, consolidate),
// saying so, and a batch records it for later commands on its folder.
func TestCompat10DefaultBlocklist(t *testing.T) {
	skipShort(t)
	work := t.TempDir()
	writeFile(t, filepath.Join(work, "data", "ip-blocklist.json"), `{"homebrew": ["Fireball"]}`)
	in := filepath.Join(work, "extract.json")
	data, _ := json.Marshal([]any{term10(nil)})
	writeFile(t, in, string(data))
	r := corporaIn(t, work, "output", in)
	if r.code != 0 || !strings.Contains(r.stderr, "data/ip-blocklist.json") || !strings.Contains(r.stderr, "1 flagged") {
		t.Fatalf("output: exit %d: %s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(filepath.Join(work, "extract.vocab.json"))
	if !strings.Contains(string(b), `"ip_flag": "blocklist:homebrew"`) {
		t.Errorf("the data/ip-blocklist.json name is not flagged: %.400s", b)
	}
	// Elsewhere, without the file, nothing is said and nothing flagged.
	if r := corpora(t, "output", in, "-o", filepath.Join(work, "elsewhere.vocab.json")); r.code != 0 || strings.Contains(r.stderr, "ip-blocklist") || !strings.Contains(r.stderr, "0 flagged") {
		t.Errorf("output elsewhere: exit %d: %s", r.code, r.stderr)
	}

	books := filepath.Join(work, "books")
	writeFile(t, filepath.Join(books, "a.md"), "# Fireball\n\nA bright streak blossoms into an explosion of flame.\n")
	out := filepath.Join(work, "out")
	if r := corporaIn(t, work, "batch", books, "-o", out, "--quiet"); r.code != 0 || !strings.Contains(r.stderr, "data/ip-blocklist.json") {
		t.Fatalf("batch: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, ".corpora-blocklist.json")); err != nil {
		t.Errorf("batch did not record the blocklist it used: %v", err)
	}
	// A consolidate elsewhere flags by the recorded list.
	if r := corpora(t, "consolidate", out, "-f"); r.code != 0 || !strings.Contains(r.stderr, "recorded in") {
		t.Errorf("consolidate: exit %d: %s", r.code, r.stderr)
	}
	if q, _ := os.ReadFile(filepath.Join(out, "flagged.json")); !strings.Contains(string(q), "blocklist:homebrew") {
		t.Errorf("flagged.json lacks the data/ip-blocklist.json flag: %.400s", q)
	}
	// 1.0 read the file on every run: an edit re-flags the next batch.
	writeFile(t, filepath.Join(work, "data", "ip-blocklist.json"), `{"homebrew": ["Fireball", "Flame"]}`)
	r = corporaIn(t, work, "batch", books, "-o", out, "--quiet")
	if r.code != 0 || !strings.Contains(r.stderr, "blocklist changed") {
		t.Fatalf("batch after an edit: exit %d: %s", r.code, r.stderr)
	}
	if rec, _ := os.ReadFile(filepath.Join(out, ".corpora-blocklist.json")); !strings.Contains(string(rec), "Flame") {
		t.Errorf("the edited list was not recorded: %s", rec)
	}
}

// TestCompat10Words: the phrases 1.0's scripts and tests look for in help
// and messages.
func TestCompat10Words(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	for cmd, want := range map[string]string{
		"extract":     "Extract and classify vocabulary",
		"batch":       "Process all documents in a folder",
		"output":      "Generate vocabulary JSON",
		"consolidate": "Consolidate vocabulary files",
	} {
		if r := corpora(t, cmd, "--help"); r.code != 0 || !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("%s --help: exit %d, lacks %q", cmd, r.code, want)
		}
	}
	doc := filepath.Join(dir, "doc.json")
	writeFile(t, doc, doc10)
	r := corpora(t, "extract", doc, "--preview", "--classifier", "offline")
	for _, want := range []string{"Terms extracted:", "Sample terms:", "Estimated cost:"} {
		if r.code != 0 || !strings.Contains(r.stderr, want) {
			t.Errorf("--preview: exit %d, lacks %q: %s", r.code, want, r.stderr)
		}
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if r := corpora(t, "batch", empty); r.code != 66 || !strings.Contains(r.stderr, "No PDF or EPUB files found") {
		t.Errorf("empty folder: exit %d: %s", r.code, r.stderr)
	}
	books := filepath.Join(dir, "books")
	writeFile(t, filepath.Join(books, "a.md"), book(7, 20, true))
	out := filepath.Join(dir, "out")
	if r := corpora(t, "batch", books, "-o", out, "--quiet", "--classifier", "offline"); r.code != 0 || !strings.Contains(r.stderr, "Batch Processing Complete") {
		t.Errorf("batch --quiet: exit %d: %s", r.code, r.stderr)
	}
	writeFile(t, filepath.Join(books, "b.md"), book(8, 20, true)) // a new book: the master is rewritten
	if r := corpora(t, "batch", books, "-o", out, "--quiet", "--classifier", "offline"); r.code != 0 {
		t.Errorf("second batch: exit %d: %s", r.code, r.stderr)
	}
	r = corpora(t, "consolidate", out, "-f")
	if _, err := os.Stat(filepath.Join(out, "master.vocab.json.bak")); r.code != 0 || !strings.Contains(r.stderr, "Consolidated: ") || err != nil {
		t.Errorf("consolidate: exit %d, .bak %v: %s", r.code, err, r.stderr)
	}
}

func TestCompat10Flags(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	books := filepath.Join(dir, "books")
	writeFile(t, filepath.Join(books, "a.md"), book(11, 30, true))
	in := filepath.Join(books, "a.md")
	out := filepath.Join(dir, "out")
	for _, args := range [][]string{
		{"-V"},
		{"extract", in, "--classifier", "offline", "--sync", "--batch-size", "20", "-v", "-o", filepath.Join(dir, "t.json")},
		{"output", filepath.Join(dir, "t.json"), "-v"},
		{"batch", books, "-o", out, "-f", "--quiet"},
		{"consolidate", out, "--remove-orphans", "-f", "-v"},
	} {
		if r := corpora(t, args...); r.code != 0 {
			t.Errorf("%v: exit %d: %s", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "batch-errors.log")); err == nil {
		t.Error("a run without errors left a batch-errors.log (1.0 writes it only when there is one)")
	}
}

// TestCompat10Manifest: a manifest as 1.0's pydantic model wrote it (naive
// timestamps with microseconds, MD5, keys and paths as typed, no pipeline
// fingerprint) is read (not exit 73); its documents are processed once
// again, as SPEC asks for entries without a fingerprint, and the manifest
// written keeps 1.0's last_updated and source_path.
func TestCompat10Manifest(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	books := filepath.Join(dir, "books")
	a := filepath.Join(books, "a.md")
	writeFile(t, a, book(12, 30, true))
	out := filepath.Join(dir, "out")
	writeFile(t, filepath.Join(out, ".corpora-manifest.json"), `{
  "schema_version": "1.0",
  "last_updated": "2026-02-04T10:11:12.654321",
  "documents": {
    "`+a+`": {
      "source_path": "`+a+`",
      "source_hash": "d41d8cd98f00b204e9800998ecf8427e",
      "vocab_path": "`+filepath.Join(out, "a.vocab.json")+`",
      "processed_at": "2026-02-04T10:11:12.123456",
      "term_count": 3
    }
  }
}`)
	r := corpora(t, "batch", books, "-o", out)
	if r.code != 0 || !strings.Contains(r.stderr, "1 processed") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var m struct {
		LastUpdated string `json:"last_updated"`
		Documents   map[string]struct {
			SourcePath string `json:"source_path"`
			TermCount  int    `json:"term_count"`
		} `json:"documents"`
	}
	data, err := os.ReadFile(filepath.Join(out, ".corpora-manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if ts, err := time.Parse(time.RFC3339, m.LastUpdated); err != nil || ts.Year() < 2026 || ts.Equal(time.Date(2026, 2, 4, 10, 11, 12, 654321000, time.UTC)) {
		t.Errorf("last_updated %q (%v): want this run's time", m.LastUpdated, err)
	}
	e, ok := m.Documents["a.md"]
	if !ok || e.SourcePath != a || e.TermCount == 0 {
		t.Errorf("documents: %+v; want a.md with source_path %s", m.Documents, a)
	}
	// The next run skips it.
	if r := corpora(t, "batch", books, "-o", out); r.code != 0 || !strings.Contains(r.stderr, "0 processed, 1 skipped") {
		t.Fatalf("second run: exit %d: %s", r.code, r.stderr)
	}
}

// TestOutputSaysWhatAFileIs: parse output handed to 'output' is named as
// such, with the command it belongs to.
func TestOutputSaysWhatAFileIs(t *testing.T) {
	skipShort(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "parsed.json")
	writeFile(t, p, doc10)
	r := corpora(t, "output", p)
	if r.code != 65 || !strings.Contains(r.stderr, "parse output") || !strings.Contains(r.stderr, "corpora extract") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
}
