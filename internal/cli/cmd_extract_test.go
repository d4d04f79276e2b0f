package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
)

const bookOne = `# The Ember Codex

The wizard cast Fireball at the ancient red dragon, and the lich fled into the Shadowfell.
A Ring of Protection glimmered on the paladin's hand as she raised her longsword of adamantine.
Mind flayers crept through the Underdark, hunting the kobolds near the obsidian gate.
`

const bookTwo = `# The Frost Ledger

The lich returned from the Shadowfell with a wand of frost and a cloak of displacement.
Frost giants marched on the citadel while the druid summoned a storm of hail.
`

func runExtractCmd(t *testing.T, dir string, env map[string]string, args ...string) cliRun {
	t.Helper()
	return runCLI(t, cliCall{dir: dir, env: env}, append([]string{"extract"}, args...)...)
}

func writeExtractBooks(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"one.md": bookOne, "two.md": bookTwo} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func claudeEnv(f *fake.Anthropic) map[string]string {
	return map[string]string{"ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": f.URL}
}

func decodeTerms(t *testing.T, s string) []classify.Term {
	t.Helper()
	var terms []classify.Term
	if err := json.Unmarshal([]byte(s), &terms); err != nil {
		t.Fatalf("stdout is not a term array: %v\n%s", err, s)
	}
	return terms
}

func TestExtractClaudeEndToEndWithCache(t *testing.T) {
	dir := writeExtractBooks(t)
	f := fake.NewAnthropic(fake.AnthropicConfig{Key: "sk-test"})
	defer f.Close()
	env := claudeEnv(f)

	r := runExtractCmd(t, dir, env, "one.md", "--classifier", "auto")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	terms := decodeTerms(t, r.out)
	if len(terms) == 0 {
		t.Fatal("no terms")
	}
	for _, tm := range terms {
		if tm.Classifier != "claude/claude-haiku-5-5" || tm.Source != "one.md" || !strings.HasPrefix(tm.ID, "one-md-") {
			t.Fatalf("term %+v", tm)
		}
	}
	if !strings.Contains(r.err, "classifier: claude (claude-haiku-5-5)") || !strings.Contains(r.err, "terms/request") {
		t.Fatalf("stderr: %s", r.err)
	}
	if _, err := os.Stat(filepath.Join(dir, classify.CacheFileName)); err != nil {
		t.Fatalf("cache not in the current folder: %v", err)
	}
	// byte-exact: stdout is exactly what atomicfile writes
	want, _ := atomicfile.MarshalJSON(terms)
	if r.out != string(want) {
		t.Fatal("stdout is not the canonical encoding")
	}

	first := f.Account()
	r2 := runExtractCmd(t, dir, env, "two.md", "--classifier", "claude")
	if r2.code != 0 {
		t.Fatalf("exit %d: %s", r2.code, r2.err)
	}
	for text, n := range f.Account().TermCounts {
		if n != 1 {
			t.Fatalf("%q was sent %d times: shared vocabulary must come from the cache", text, n)
		}
	}
	if f.Account().Terms == first.Terms {
		t.Fatal("the second document sent nothing new")
	}

	before := f.Account().Requests
	r3 := runExtractCmd(t, dir, env, "one.md", "--classifier", "claude")
	if r3.code != 0 || f.Account().Requests != before {
		t.Fatalf("second run: exit %d, %d requests", r3.code, f.Account().Requests-before)
	}
	if r3.out != r.out {
		t.Fatal("a cached run gives different output")
	}
}

func TestExtractPreviewCallsNothing(t *testing.T) {
	dir := writeExtractBooks(t)
	f := fake.NewAnthropic(fake.AnthropicConfig{Key: "sk-test"})
	defer f.Close()
	r := runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "--preview")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if r.out != "" {
		t.Fatalf("preview wrote to stdout: %q", r.out)
	}
	for _, want := range []string{"Terms extracted:", "Sample terms:", "Estimated cost:", "$"} {
		if !strings.Contains(r.err, want) {
			t.Fatalf("preview lacks %q:\n%s", want, r.err)
		}
	}
	if a := f.Account(); a.Requests != 0 || a.CountTokens != 0 {
		t.Fatalf("preview called the API: %+v", a)
	}
}

func TestExtractUnavailableAndBudget(t *testing.T) {
	dir := writeExtractBooks(t)
	f := fake.NewAnthropic(fake.AnthropicConfig{Key: "sk-test"})
	defer f.Close()

	r := runExtractCmd(t, dir, map[string]string{"ANTHROPIC_API_KEY": "sk-bad", "ANTHROPIC_BASE_URL": f.URL}, "one.md", "--classifier", "claude")
	if r.code != ExitUnavailable || strings.Count(strings.TrimSpace(r.err), "\n") != 0 || !strings.Contains(r.err, "rejected") {
		t.Fatalf("bad key: exit %d, stderr %q", r.code, r.err)
	}
	r = runExtractCmd(t, dir, map[string]string{}, "one.md", "--classifier", "claude")
	if r.code != ExitUnavailable || !strings.Contains(r.err, "ANTHROPIC_API_KEY") {
		t.Fatalf("no key: exit %d, stderr %q", r.code, r.err)
	}
	r = runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude", "--max-cost", "0.0001")
	if r.code != ExitPartial || !strings.Contains(r.err, "max-cost") {
		t.Fatalf("over budget: exit %d, stderr %q", r.code, r.err)
	}
	if a := f.Account(); a.Requests != 0 {
		t.Fatalf("a run over budget sent %d requests", a.Requests)
	}
}

func TestExtractParseJSONInputAndOutputFile(t *testing.T) {
	dir := t.TempDir()
	doc := document.Output{SchemaVersion: document.SchemaVersion, Source: "books/Ember Codex.pdf", Format: document.PDF, Pages: 1,
		Warnings: []document.Warning{}, Content: []document.Block{{Type: document.Paragraph, Text: "The lich fled into the Shadowfell with a wand of frost.", Page: 1}}}
	data, _ := atomicfile.MarshalJSON(doc)
	if err := os.WriteFile(filepath.Join(dir, "codex.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := runExtractCmd(t, dir, nil, "codex.json", "--candidates-only")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	var cands []extract.Candidate
	if err := json.Unmarshal([]byte(r.out), &cands); err != nil || len(cands) == 0 {
		t.Fatalf("candidates: %v %s", err, r.out)
	}

	f := fake.NewAnthropic(fake.AnthropicConfig{Key: "sk-test"})
	defer f.Close()
	out := filepath.Join(dir, "out", "codex.terms.json")
	r = runExtractCmd(t, dir, claudeEnv(f), "codex.json", "--classifier", "claude", "-o", out)
	if r.code != 0 || r.out != "" {
		t.Fatalf("exit %d, stdout %q: %s", r.code, r.out, r.err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	terms := decodeTerms(t, string(b))
	if len(terms) == 0 || terms[0].Source != "books/Ember Codex.pdf" || !strings.HasPrefix(terms[0].ID, "ember-codex-pdf-") {
		t.Fatalf("terms %+v", terms)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", classify.CacheFileName)); err != nil {
		t.Fatalf("cache not next to -o: %v", err)
	}
}

func TestExtractAutoWithoutKeyIsOffline(t *testing.T) {
	dir := writeExtractBooks(t)
	r := runExtractCmd(t, dir, map[string]string{}, "one.md")
	if r.code != 0 || !strings.Contains(r.err, "classifier: offline") {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if terms := decodeTerms(t, r.out); len(terms) == 0 || !strings.HasPrefix(terms[0].Classifier, "offline") {
		t.Fatalf("terms: %s", r.out)
	}
}

func TestExtractUsageErrors(t *testing.T) {
	dir := writeExtractBooks(t)
	for _, args := range [][]string{
		{"one.md", "--classifier", "gpt"},
		{"one.md", "--api-concurrency", "0", "--classifier", "claude"},
		{},
	} {
		if r := runExtractCmd(t, dir, nil, args...); r.code != ExitUsage {
			t.Errorf("%v: exit %d, want 64: %s", args, r.code, r.err)
		}
	}
	if r := runExtractCmd(t, dir, nil, "missing.pdf"); r.code != ExitNoInput {
		t.Errorf("missing input: exit %d", r.code)
	}
}

func TestExtractClaudeBatchAndOpenAI(t *testing.T) {
	dir := writeExtractBooks(t)
	f := fake.NewAnthropic(fake.AnthropicConfig{Key: "sk-test"})
	defer f.Close()
	r := runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude-batch", "--batch-poll", "1ms")
	if r.code != 0 || !strings.Contains(r.err, "claude-batch: msgbatch_") {
		t.Fatalf("claude-batch: exit %d: %s", r.code, r.err)
	}
	if terms := decodeTerms(t, r.out); len(terms) == 0 || terms[0].Classifier != "claude-batch/claude-haiku-5-5" {
		t.Fatalf("terms: %s", r.out)
	}
	// claude and claude-batch share answers: nothing more is sent.
	before := f.Account().Requests + f.BatchAccount().Requests
	if r := runExtractCmd(t, dir, claudeEnv(f), "one.md", "--classifier", "claude"); r.code != 0 || f.Account().Requests+f.BatchAccount().Requests != before {
		t.Fatalf("claude after claude-batch re-sent terms: exit %d %s", r.code, r.err)
	}

	o := fake.NewOpenAI(fake.OpenAIConfig{Key: "sk-oa"})
	defer o.Close()
	env := map[string]string{"OPENAI_API_KEY": "sk-oa", "OPENAI_BASE_URL": o.URL + "/v1"}
	r = runExtractCmd(t, dir, env, "two.md", "--classifier", "openai", "--model", "gpt-4o-mini")
	if r.code != 0 {
		t.Fatalf("openai: exit %d: %s", r.code, r.err)
	}
	if terms := decodeTerms(t, r.out); len(terms) == 0 || terms[0].Classifier != "openai/gpt-4o-mini" {
		t.Fatalf("terms: %s", r.out)
	}
}
