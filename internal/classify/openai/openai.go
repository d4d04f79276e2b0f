package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"

	"github.com/corpora-tools/corpora/internal/fault"
)

// DefaultBaseURL is OpenAI's API; OPENAI_BASE_URL overrides it
// (http://localhost:11434/v1 for Ollama).
const DefaultBaseURL = "https://api.openai.com/v1"

// DefaultModel is used when --model is not given.
const DefaultModel = "gpt-4o-mini"

// Config configures the backend.
type Config struct {
	APIKey      string // OPENAI_API_KEY; may be empty for local servers
	BaseURL     string // OPENAI_BASE_URL, including /v1
	Model       string
	Concurrency int
	BatchSize   int // terms per request; default 40 (strict schemas are wordier)
	Backoff     classify.Backoff
	Budget      *classify.Budget
	Prices      classify.PriceTable
	Limiter     *classify.Limiter
	HTTPClient  *http.Client
	// Fallback answers the few terms that never come back valid after
	// every re-ask (classify.Settle); nil fails the document instead.
	Fallback classify.Classifier
	// Warnf hears about answers repaired by dropping an unreadable field.
	Warnf func(format string, args ...any)
}

// Classifier is the openai backend.
type Classifier struct {
	cfg        Config
	http       *http.Client
	price      classify.Price
	priceKnown bool
	limiter    *classify.Limiter
	engine     *classify.Engine
}

// New returns an openai classifier; it makes no request until Check or Classify.
func New(cfg Config) *Classifier {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 40
	}
	if cfg.Prices == nil {
		cfg.Prices = classify.DefaultPrices()
	}
	c := &Classifier{cfg: cfg, http: cfg.HTTPClient, limiter: cfg.Limiter}
	if c.http == nil {
		c.http = &http.Client{Timeout: 10 * time.Minute}
	}
	if c.limiter == nil {
		c.limiter = classify.NewLimiter(cfg.Concurrency)
	}
	c.price, c.priceKnown = cfg.Prices.Lookup(cfg.Model)
	c.engine = &classify.Engine{Sender: c, Label: "openai/" + cfg.Model, Limiter: c.limiter, Backoff: cfg.Backoff,
		Budget: cfg.Budget, BatchSize: cfg.BatchSize, Workers: cfg.Concurrency, RequestCost: c.requestCost,
		Fallback: cfg.Fallback, Warnf: cfg.Warnf}
	return c
}

// Backend implements classify.Classifier.
func (c *Classifier) Backend() string { return "openai" }

// Model implements classify.Classifier.
func (c *Classifier) Model() string { return c.cfg.Model }

// PromptVersion implements classify.Classifier. The examples are rendered
// in the strict shape this backend's schema asks for ("-strict").
func (c *Classifier) PromptVersion() string { return classify.PromptVersion + "-json-strict" }

// PriceKnown reports whether the model has a price in the table (local
// models have none and cost nothing).
func (c *Classifier) PriceKnown() bool { return c.priceKnown }

// Classify implements classify.Classifier.
func (c *Classifier) Classify(ctx context.Context, req classify.Request) (classify.Result, error) {
	return c.engine.Classify(ctx, req)
}

// ClassifyEach implements classify.Progressive.
func (c *Classifier) ClassifyEach(ctx context.Context, req classify.Request, each func([]int, []classify.Term)) (classify.Result, error) {
	return c.engine.ClassifyEach(ctx, req, each)
}

// jsonNote adapts the shared prompt to JSON-schema output.
const jsonNote = `

Output format for this endpoint: instead of calling a tool, answer with only the JSON object {"results":[...]} that the response schema describes, shaped as the example results above show. Every field is present in every result: use "none" for no energy, "" for an empty canon, [] for empty tags and sec, and give the axes as a list of pairs [{"axis":"fire","score":0.8}] holding only the axes that apply.`

// systemPrompt is the shared prompt with its examples in the strict shape
// of the response schema, so the model imitates what the schema accepts.
func (c *Classifier) systemPrompt() string { return classify.SystemPromptStrict() + jsonNote }

// reasoning models reject temperature and max_tokens.
func (c *Classifier) reasoning() bool {
	m := c.cfg.Model
	return strings.HasPrefix(m, "gpt-5") || len(m) > 1 && m[0] == 'o' && m[1] >= '0' && m[1] <= '9'
}

// promptEstimate forecasts the prompt tokens of a request for items; a
// server's prompt_tokens far below it means the server truncated the prompt.
func (c *Classifier) promptEstimate(items []classify.WireItem) int64 {
	return classify.TokenEstimate(c.systemPrompt()) + classify.TokenEstimate(classify.UserMessage(items)) + 10
}

// minPromptShare is how little of the estimated prompt a server may report
// reading before the prompt counts as truncated: tokenizers differ, but not
// by half, while a truncation to Ollama's default 4,096 keeps about a
// quarter of a 40-term request (some 17,500 tokens).
const minPromptShare = 0.5

func (c *Classifier) body(items []classify.WireItem) ([]byte, error) {
	req := map[string]any{
		"model": c.cfg.Model,
		"messages": []map[string]string{
			{"role": "system", "content": c.systemPrompt()},
			{"role": "user", "content": classify.UserMessage(items)},
		},
		"response_format": map[string]any{"type": "json_schema", "json_schema": map[string]any{
			"name": "classifications", "strict": true, "schema": classify.ResultSchema(true),
		}},
	}
	limit := int(2*classify.OutputTokensPerTerm()*float64(len(items))*1.5) + 256 // strict output carries every field
	if c.reasoning() {
		req["max_completion_tokens"] = limit * 4
	} else {
		req["temperature"] = 0
		req["max_tokens"] = limit
	}
	return json.Marshal(req)
}

type chatResponse struct {
	Choices []struct {
		Message struct {
			Content *string `json:"content"`
			Refusal *string `json:"refusal"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage struct {
		PromptTokens        int64 `json:"prompt_tokens"`
		CompletionTokens    int64 `json:"completion_tokens"`
		PromptTokensDetails struct {
			CachedTokens int64 `json:"cached_tokens"`
		} `json:"prompt_tokens_details"`
	} `json:"usage"`
}

func (c *Classifier) newRequest(ctx context.Context, method, path string, body []byte) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.BaseURL+path, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	return req, nil
}

// Send implements classify.Sender: one chat completion.
func (c *Classifier) Send(ctx context.Context, items []classify.WireItem) (classify.Answer, error) {
	body, err := c.body(items)
	if err != nil {
		return classify.Answer{}, err
	}
	req, err := c.newRequest(ctx, http.MethodPost, "/chat/completions", body)
	if err != nil {
		return classify.Answer{}, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return classify.Answer{}, ctx.Err()
		}
		return classify.Answer{}, fault.Retryable(fmt.Errorf("openai: %w", err), 0)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return classify.Answer{}, fault.Retryable(fmt.Errorf("openai: reading the answer: %w", err), 0)
	}
	observe(c.limiter, resp.Header, resp.StatusCode)
	if resp.StatusCode != http.StatusOK {
		return classify.Answer{}, statusErr(resp, data)
	}
	var cr chatResponse
	if err := json.Unmarshal(data, &cr); err != nil {
		// Billed but unreadable: count its likely price before the retry.
		est := c.requestCost(items)
		c.cfg.Budget.Charge(est)
		return classify.Answer{}, fault.Retryable(fmt.Errorf("openai: unreadable answer (about $%.4f counted against --max-cost): %w", est, err), 0)
	}
	ans := classify.Answer{Usage: classify.Usage{
		Requests:        1,
		InputTokens:     cr.Usage.PromptTokens - cr.Usage.PromptTokensDetails.CachedTokens,
		CacheReadTokens: cr.Usage.PromptTokensDetails.CachedTokens,
		OutputTokens:    cr.Usage.CompletionTokens,
	}}
	ans.Usage.CostUSD = c.price.Cost(ans.Usage, false)
	if sent := c.promptEstimate(items); cr.Usage.PromptTokens > 0 && float64(cr.Usage.PromptTokens) < minPromptShare*float64(sent) {
		// The server cut the prompt to its context window without an
		// error: the answer was made without the instructions. Stop.
		c.cfg.Budget.Charge(ans.Usage.CostUSD)
		return classify.Answer{}, fault.MarkFatal(fmt.Errorf("%w: %s read only %d prompt tokens of about %d sent: it truncated the prompt to its context window. %s",
			classify.ErrUnavailable, c.cfg.BaseURL, cr.Usage.PromptTokens, sent, contextFix(sent)))
	}
	if len(cr.Choices) == 0 {
		return ans, nil // nothing answered: every key is re-asked
	}
	ch := cr.Choices[0]
	if ch.FinishReason == "length" {
		ans.Truncated = true
	}
	if ch.Message.Content != nil {
		results, whole := classify.ParseResults([]byte(*ch.Message.Content))
		ans.Results = results
		if !whole {
			ans.Truncated = true
		}
	}
	return ans, nil
}

// contextNeeded is the context to ask for: the prompt, room for the answer,
// rounded up to a power of two.
func contextNeeded(prompt int64) int64 {
	n := int64(32768) // a 40-term request is about 17,500 tokens on real tokenizers
	for n < prompt*3/2+4096 {
		n *= 2
	}
	return n
}

// contextFix names how to give each server a context that holds prompt.
func contextFix(prompt int64) string {
	n := contextNeeded(prompt)
	return fmt.Sprintf("Give the model a context of at least %d tokens: Ollama: OLLAMA_CONTEXT_LENGTH=%d ollama serve; "+
		"llama.cpp server: -c %d times the --parallel slots (-c is divided among them); vLLM: --max-model-len %d", n, n, n, n)
}

// statusErr sorts an HTTP error by behaviour, as the claude backend does.
func statusErr(resp *http.Response, body []byte) error {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	msg := e.Error.Message
	if msg == "" {
		msg = strings.TrimSpace(string(body))
		if len(msg) > 200 {
			msg = msg[:200]
		}
	}
	err := fmt.Errorf("openai: HTTP %d: %s", resp.StatusCode, msg)
	if resp.StatusCode == http.StatusBadRequest && strings.Contains(strings.ToLower(msg), "maximum context length") {
		// vLLM refuses a prompt over --max-model-len: every request would.
		return fault.MarkFatal(fmt.Errorf("%w: %v. %s", classify.ErrUnavailable, err, contextFix(0)))
	}
	ra := classify.ParseRetryAfter(resp.Header, time.Now())
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests, s == http.StatusRequestTimeout, s == http.StatusConflict, s >= 500:
		return fault.Retryable(err, ra)
	case s == http.StatusUnauthorized, s == http.StatusForbidden:
		return fmt.Errorf("%w: API key rejected (%v)", classify.ErrUnavailable, err)
	case s == http.StatusNotFound:
		return fmt.Errorf("%w: %v", classify.ErrUnavailable, err)
	}
	return fault.MarkNoRetry(err) // 400 and other 4xx: the same request fails the same way
}

// observe feeds the limiter from x-ratelimit-* headers (OpenAI sends
// durations such as "6m0s" or "20ms" as resets) and retry-after.
func observe(lim *classify.Limiter, h http.Header, status int) {
	if status == http.StatusTooManyRequests {
		lim.Pause(classify.ParseRetryAfter(h, time.Now()))
		return
	}
	for _, dim := range []struct {
		name string
		low  int64
	}{{"requests", 1}, {"tokens", 8000}} {
		rem, err := strconv.ParseInt(h.Get("x-ratelimit-remaining-"+dim.name), 10, 64)
		if err != nil || rem >= dim.low {
			continue
		}
		if d, err := time.ParseDuration(h.Get("x-ratelimit-reset-" + dim.name)); err == nil {
			lim.Pause(d)
		}
	}
}

// Check verifies the endpoint and key once, up front, with GET /models.
func (c *Classifier) Check(ctx context.Context) error {
	if c.cfg.APIKey == "" && c.cfg.BaseURL == DefaultBaseURL {
		return fmt.Errorf("%w: OPENAI_API_KEY is not set", classify.ErrUnavailable)
	}
	b := c.cfg.Backoff
	if b.Attempts <= 0 {
		b.Attempts = 4
	}
	_, err := classify.Do(ctx, c.limiter, b, func(ctx context.Context) (struct{}, error) {
		req, err := c.newRequest(ctx, http.MethodGet, "/models", nil)
		if err != nil {
			return struct{}{}, err
		}
		resp, err := c.http.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return struct{}{}, ctx.Err()
			}
			return struct{}{}, fault.Retryable(err, 0)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusNotFound {
			return struct{}{}, nil // some compatible servers have no /models
		}
		return struct{}{}, statusErr(resp, data)
	})
	if err == nil || errors.Is(err, classify.ErrUnavailable) || ctx.Err() != nil {
		return err
	}
	return fmt.Errorf("%w: %s: %v", classify.ErrUnavailable, c.cfg.BaseURL, err)
}

func (c *Classifier) requestCost(items []classify.WireItem) float64 {
	u := classify.Usage{
		InputTokens:  classify.TokenEstimate(c.systemPrompt()) + int64(len(items))*40,
		OutputTokens: int64(1.5*classify.OutputTokensPerTerm()*float64(len(items))) + 20,
	}
	for _, it := range items {
		u.InputTokens += classify.TokenEstimate(it.Text + it.Context)
	}
	return c.price.Cost(u, false)
}

// Estimate implements classify.Estimator.
func (c *Classifier) Estimate(terms []extract.Candidate) classify.Estimate {
	e := classify.Estimate{ToSend: len(terms), PriceKnown: c.priceKnown}
	if len(terms) == 0 {
		return e
	}
	reqs := (len(terms) + c.cfg.BatchSize - 1) / c.cfg.BatchSize
	u := classify.Usage{Requests: reqs, TermsSent: len(terms)}
	u.InputTokens = classify.TokenEstimate(c.systemPrompt()) * int64(reqs)
	for _, t := range terms {
		u.InputTokens += classify.InputTokensOf(t)
	}
	u.OutputTokens = int64(1.5*classify.OutputTokensPerTerm()*float64(len(terms))) + int64(reqs)*20
	u.CostUSD = c.price.Cost(u, false)
	e.Requests = reqs
	e.Usage = u
	return e
}
