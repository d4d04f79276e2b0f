package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"

	"github.com/corpora-tools/corpora/internal/classify"
)

// OpenAIConfig configures an OpenAI-compatible fake.
type OpenAIConfig struct {
	Key        string // "" accepts requests without a key (like Ollama)
	FaultRate  float64
	FaultKinds []string // Fault429, Fault500, FaultDrop, FaultTruncate, FaultBadItems
	Seed       uint64
	RetryAfter string
	Script     []string
	// ContextLength is the server's context window in tokens: a longer
	// prompt is truncated without an error and prompt_tokens reports what
	// was kept, as Ollama (default 4,096) does. 0: no limit.
	ContextLength int64
	// RejectOverContext answers a prompt over ContextLength with vLLM's
	// 400 instead of truncating it.
	RejectOverContext bool
}

// OpenAI is a fake chat-completions server.
type OpenAI struct {
	*httptest.Server
	cfg OpenAIConfig
	f   *faults

	mu     sync.Mutex
	acct   Account
	script []string
}

// NewOpenAI starts a fake; Close it when done.
func NewOpenAI(cfg OpenAIConfig) *OpenAI {
	if cfg.RetryAfter == "" {
		cfg.RetryAfter = "0"
	}
	if len(cfg.FaultKinds) == 0 {
		cfg.FaultKinds = []string{Fault429, Fault500, FaultDrop, FaultTruncate, FaultBadItems}
	}
	o := &OpenAI{cfg: cfg, f: newFaults(cfg.Seed), acct: newAccount(), script: slices.Clone(cfg.Script)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", o.chat)
	mux.HandleFunc("GET /v1/models", o.models)
	o.Server = httptest.NewServer(mux)
	return o
}

// Account returns what was billed.
func (o *OpenAI) Account() Account {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.acct.clone()
}

func oaError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("content-type", "application/json")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": typ, "code": nil}})
	w.Write(b)
}

func (o *OpenAI) authorised(w http.ResponseWriter, r *http.Request) bool {
	if o.cfg.Key != "" && r.Header.Get("Authorization") != "Bearer "+o.cfg.Key {
		oaError(w, 401, "invalid_request_error", "Incorrect API key provided")
		return false
	}
	return true
}

func (o *OpenAI) models(w http.ResponseWriter, r *http.Request) {
	if !o.authorised(w, r) {
		return
	}
	writeJSON(w, map[string]any{"object": "list", "data": []any{map[string]any{"id": "gpt-4o-mini", "object": "model"}}})
}

// strictResult is the strict-schema shape of one result.
type strictResult struct {
	Key       string     `json:"key"`
	Category  string     `json:"cat"`
	Intent    string     `json:"intent"`
	Mood      string     `json:"mood"`
	Energy    string     `json:"energy"`
	Canonical string     `json:"canon"`
	Conf      float64    `json:"conf"`
	Tags      []string   `json:"tags"`
	Secondary []string   `json:"sec"`
	Axes      []axisPair `json:"axes"`
}

type axisPair struct {
	Axis  string  `json:"axis"`
	Score float64 `json:"score"`
}

func (o *OpenAI) chat(w http.ResponseWriter, r *http.Request) {
	if !o.authorised(w, r) {
		return
	}
	body, err := readBody(r)
	if err != nil {
		oaError(w, 400, "invalid_request_error", err.Error())
		return
	}
	var req struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
		ResponseFormat struct {
			Type       string `json:"type"`
			JSONSchema struct {
				Strict bool            `json:"strict"`
				Schema json.RawMessage `json:"schema"`
			} `json:"json_schema"`
		} `json:"response_format"`
		MaxTokens int64 `json:"max_tokens"`
	}
	if err := json.Unmarshal(body, &req); err != nil || len(req.Messages) != 2 || req.ResponseFormat.Type != "json_schema" || !req.ResponseFormat.JSONSchema.Strict {
		oaError(w, 400, "invalid_request_error", "expected a system and a user message and a strict json_schema response_format")
		return
	}
	var terms struct {
		Terms []classify.WireItem `json:"terms"`
	}
	if err := json.Unmarshal([]byte(req.Messages[1].Content), &terms); err != nil {
		oaError(w, 400, "invalid_request_error", "user message is not a terms object")
		return
	}
	fault := ""
	o.mu.Lock()
	if len(o.script) > 0 {
		fault, o.script = o.script[0], o.script[1:]
	}
	o.mu.Unlock()
	if fault == "" && o.f.hit(o.cfg.FaultRate) {
		fault = o.cfg.FaultKinds[o.f.intn(len(o.cfg.FaultKinds))]
	}
	o.mu.Lock()
	if fault != "" {
		o.acct.Faults[fault]++
	}
	o.mu.Unlock()
	switch fault {
	case Fault429:
		w.Header().Set("retry-after", o.cfg.RetryAfter)
		w.Header().Set("x-ratelimit-remaining-requests", "0")
		w.Header().Set("x-ratelimit-reset-requests", "1ms")
		oaError(w, 429, "rate_limit_exceeded", "Rate limit reached")
		return
	case Fault500, Fault529:
		oaError(w, 500, "server_error", "The server had an error")
		return
	case FaultDrop:
		dropConn(w)
		return
	}
	var results []strictResult
	for _, it := range terms.Terms {
		a := Answer(it)
		s := strictResult{Key: a.Key, Category: a.Category, Intent: a.Intent, Mood: a.Mood, Energy: a.Energy, Canonical: a.Canonical,
			Conf: *a.Confidence, Tags: a.Tags, Secondary: a.Secondary, Axes: []axisPair{}}
		if s.Tags == nil {
			s.Tags = []string{}
		}
		if s.Secondary == nil {
			s.Secondary = []string{}
		}
		for _, name := range classify.SortedKeys(a.Axes) {
			s.Axes = append(s.Axes, axisPair{name, a.Axes[name]})
		}
		results = append(results, s)
	}
	if fault == FaultBadItems && len(results) > 0 {
		results[0].Mood = "teleporting"
	}
	content, _ := json.Marshal(map[string]any{"results": results})
	finish := "stop"
	if fault == FaultTruncate && len(content) > 10 {
		content = content[:len(content)*2/3] // cut mid-JSON, as a length stop does
		finish = "length"
	}
	prompt := Tokens(req.Messages[0].Content) + Tokens(req.Messages[1].Content) + 10
	if o.cfg.ContextLength > 0 && prompt > o.cfg.ContextLength && o.cfg.RejectOverContext {
		oaError(w, 400, "BadRequestError", fmt.Sprintf("This model's maximum context length is %d tokens. However, you requested %d tokens in the messages. Please reduce the length of the messages.", o.cfg.ContextLength, prompt))
		return
	}
	if o.cfg.ContextLength > 0 && prompt > o.cfg.ContextLength {
		prompt = o.cfg.ContextLength // the head of the prompt is dropped
		o.mu.Lock()
		o.acct.Faults["truncated_prompt"]++
		o.mu.Unlock()
	}
	cached := int64(0)
	if prompt > 1024 {
		cached = Tokens(req.Messages[0].Content) / 128 * 128 // OpenAI caches 128-token steps automatically
	}
	out := Tokens(string(content)) + 5
	o.mu.Lock()
	o.acct.Requests++
	o.acct.Terms += len(terms.Terms)
	for _, it := range terms.Terms {
		o.acct.TermCounts[it.Text]++
	}
	o.acct.InputTokens += prompt - cached
	o.acct.CacheReadTokens += cached
	o.acct.OutputTokens += out
	o.mu.Unlock()
	w.Header().Set("x-ratelimit-remaining-requests", "100")
	w.Header().Set("x-ratelimit-reset-requests", "1s")
	writeJSON(w, map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": string(content), "refusal": nil}, "finish_reason": finish}},
		"usage": map[string]any{"prompt_tokens": prompt, "completion_tokens": out, "total_tokens": prompt + out,
			"prompt_tokens_details": map[string]any{"cached_tokens": cached}},
	})
}
