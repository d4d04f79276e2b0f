package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
	"github.com/corpora-tools/corpora/internal/extract"
	"github.com/corpora-tools/corpora/internal/fault"
)

func words(prefix string, n int) []extract.Candidate {
	out := make([]extract.Candidate, n)
	for i := range out {
		text := fmt.Sprintf("%s%d", prefix, i)
		out[i] = extract.Candidate{Text: text, Lemma: text, POS: extract.Noun, Count: 1, Pages: []int{1},
			Context: "The " + text + " burned in the dark between the stars."}
	}
	return out
}

func newClient(o *fake.OpenAI, key string) *Classifier {
	return New(Config{APIKey: key, BaseURL: o.URL + "/v1", Model: "gpt-4o-mini", Concurrency: 3,
		Backoff: classify.Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond, Attempts: 12}})
}

func TestClassifyThroughChatCompletions(t *testing.T) {
	o := fake.NewOpenAI(fake.OpenAIConfig{Key: "sk-oa"})
	defer o.Close()
	c := newClient(o, "sk-oa")
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	req := classify.Request{Source: "b.md", Terms: words("star", 90)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for i, tm := range res.Terms {
		want := fake.Answer(classify.WireItem{Text: req.Terms[i].Text})
		if string(tm.Category) != want.Category || tm.Classifier != "openai/gpt-4o-mini" {
			t.Fatalf("term %d: %+v", i, tm)
		}
	}
	if a := o.Account(); a.Requests != 3 || res.Usage.Requests != 3 || res.Usage.CostUSD <= 0 {
		t.Fatalf("requests %d/%d cost %v", a.Requests, res.Usage.Requests, res.Usage.CostUSD)
	}
}

func TestFaultsAndTruncation(t *testing.T) {
	o := fake.NewOpenAI(fake.OpenAIConfig{FaultRate: 0.2, Seed: 9, Script: []string{fake.FaultTruncate, fake.FaultBadItems}})
	defer o.Close()
	c := newClient(o, "")
	req := classify.Request{Source: "b.md", Terms: words("moon", 300)}
	res, err := c.Classify(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for i, tm := range res.Terms {
		if tm.Text != req.Terms[i].Text || classify.Repair(&tm) != nil {
			t.Fatalf("term %d invalid: %+v", i, tm)
		}
	}
	if a := o.Account(); a.Faults[fake.FaultTruncate] == 0 {
		t.Fatalf("faults %v", a.Faults)
	}
}

func TestCheckRejectsKeyAndDeadEndpoint(t *testing.T) {
	o := fake.NewOpenAI(fake.OpenAIConfig{Key: "sk-oa"})
	defer o.Close()
	if err := newClient(o, "wrong").Check(context.Background()); !errors.Is(err, classify.ErrUnavailable) {
		t.Fatalf("bad key: %v", err)
	}
	dead := New(Config{BaseURL: "http://127.0.0.1:1/v1", Backoff: classify.Backoff{Base: time.Millisecond, Attempts: 2}})
	if err := dead.Check(context.Background()); !errors.Is(err, classify.ErrUnavailable) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("dead endpoint: %v", err)
	}
	if err := New(Config{}).Check(context.Background()); !errors.Is(err, classify.ErrUnavailable) {
		t.Fatalf("no key for api.openai.com: %v", err)
	}
}

// TestTruncatedPromptFailsLoudly: a server that cut the prompt to its
// context window (Ollama's default 4,096 tokens) without an error is caught
// by its prompt_tokens: the run stops at once, naming the fix for each
// server, and nothing is asked again.
func TestTruncatedPromptFailsLoudly(t *testing.T) {
	o := fake.NewOpenAI(fake.OpenAIConfig{ContextLength: 4096})
	defer o.Close()
	c := newClient(o, "")
	_, err := c.Classify(context.Background(), classify.Request{Source: "b.md", Terms: words("gloom", 40)})
	if !fault.IsFatal(err) || !errors.Is(err, classify.ErrUnavailable) {
		t.Fatalf("err = %v (fatal %v)", err, fault.IsFatal(err))
	}
	for _, fix := range []string{"OLLAMA_CONTEXT_LENGTH", "-c", "--parallel", "--max-model-len", "4096 prompt tokens"} {
		if !strings.Contains(err.Error(), fix) {
			t.Errorf("error does not name %q: %v", fix, err)
		}
	}
	if a := o.Account(); a.Requests != 1 {
		t.Fatalf("%d requests, want 1", a.Requests)
	}

	// vLLM refuses the prompt instead: as fatal, with the same fix.
	o3 := fake.NewOpenAI(fake.OpenAIConfig{ContextLength: 4096, RejectOverContext: true})
	defer o3.Close()
	_, err = newClient(o3, "").Classify(context.Background(), classify.Request{Source: "b.md", Terms: words("gloom", 40)})
	if !fault.IsFatal(err) || !strings.Contains(err.Error(), "--max-model-len") {
		t.Fatalf("vLLM: err = %v", err)
	}

	// With room for the prompt the same run passes.
	o2 := fake.NewOpenAI(fake.OpenAIConfig{ContextLength: 32768})
	defer o2.Close()
	if _, err := newClient(o2, "").Classify(context.Background(), classify.Request{Source: "b.md", Terms: words("gloom", 40)}); err != nil {
		t.Fatal(err)
	}
}

// TestPromptExamplesHaveTheStrictShape: every example result in the prompt
// this backend sends validates against the strict schema it sends.
func TestPromptExamplesHaveTheStrictShape(t *testing.T) {
	c := New(Config{})
	schema, _ := json.Marshal(classify.ResultSchema(true))
	var s map[string]any
	if err := json.Unmarshal(schema, &s); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(c.systemPrompt(), "\n") {
		res, ok := strings.CutPrefix(line, "result: ")
		if !ok {
			continue
		}
		n++
		if !fake.ValidItem(s, []byte(res)) {
			t.Errorf("example breaks the strict schema: %s", res)
		}
	}
	if n < 40 {
		t.Fatalf("%d examples found", n)
	}
}
