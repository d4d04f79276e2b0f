package openai

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/classify/fake"
	"github.com/corpora-tools/corpora/internal/extract"
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
