package fake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
)

// Fault kinds the Anthropic fake injects into /v1/messages.
const (
	Fault429       = "429"       // rate_limit_error with retry-after and exhausted rate-limit headers
	Fault529       = "529"       // overloaded_error
	Fault500       = "500"       // api_error
	FaultDrop      = "drop"      // connection closed without a response
	FaultTruncate  = "truncate"  // stop_reason max_tokens, answer cut
	FaultBadItems  = "bad_items" // schema-breaking items (bad enum, unknown axis, no key)
	FaultEmptyTool = "empty"     // a tool call with an empty input
	FaultRefusal   = "refusal"   // stop_reason refusal, no tool call (billed)
	FaultGarbled   = "garbled"   // billed, then a 200 whose JSON body is cut off
	// FaultSpendLimit is the 429 of an organization past its tier's monthly
	// spend threshold: rate_limit_error with error.details.error_code
	// enforced_spend_limit_reached and no retry-after.
	FaultSpendLimit = "spend_limit"
	// FaultNoRetry is a 529 overloaded answer carrying x-should-retry: false.
	FaultNoRetry = "x_should_retry_false"
	// FaultRetry400 is a 400 carrying x-should-retry: true.
	FaultRetry400 = "x_should_retry_true"
)

// AnthropicConfig configures an Anthropic fake.
type AnthropicConfig struct {
	Key string // accepted API key; "" accepts any non-empty key
	// XAPIKeyOnly reads the key only from x-api-key, as many gateways do.
	XAPIKeyOnly bool
	// MinCacheTokens is the minimum cacheable prefix (default by model: 512
	// for Claude Haiku 5.5, 4096 for Haiku 4.5).
	MinCacheTokens int64
	// CacheTTL and CacheTTL1h are the cache lifetimes from last use of the
	// "5m" and "1h" cache_control ttls (default 5 minutes and 1 hour). A
	// cache entry can be read once the response that wrote it is sent.
	CacheTTL, CacheTTL1h time.Duration
	// NoGrammar ignores strict on tools, as a gateway that passes the flag
	// through unenforced would: Odd answers reach the client as written.
	// By default a strict tool's input always matches the schema sent (an
	// Odd answer breaking it is replaced by the fake's own).
	NoGrammar bool
	// MaxStrictSchema refuses a strict tool whose input_schema is longer
	// than this many bytes with the API's 400 "The compiled grammar is too
	// large" (0: no limit).
	MaxStrictSchema int
	// RefuseText makes any request holding a term with this text end with
	// stop_reason refusal and no tool call.
	RefuseText string
	// InvalidText makes a batch request holding a term with this text end
	// errored with an invalid_request_error.
	InvalidText string
	// BatchCutOver cuts a batch request of more than this many terms by
	// max_tokens: half its results, stop_reason max_tokens (0: never).
	BatchCutOver int
	// FailLists answers that many batch list calls with a 500.
	FailLists int
	// MaxBatchBytes refuses a batch create whose body is longer with a 413
	// request_too_large (0: the API's 256 MB).
	MaxBatchBytes int
	FaultRate     float64 // probability that a /v1/messages call gets a fault
	FaultKinds    []string
	Seed          uint64
	RetryAfter    string // retry-after header on 429 (default "0")
	// Script lists faults for the first calls of /v1/messages, in order,
	// before FaultRate applies ("" for none).
	Script []string
	// PollsToEnd is how many retrievals a batch takes to end (default 2).
	PollsToEnd int
	// BatchItemFaultRate is the probability that one batch request ends
	// errored or expired.
	BatchItemFaultRate float64
	// LoseCreates drops the response of that many batch creates (the batch is
	// created, the client never hears so).
	LoseCreates int
	// Latency is added to every /v1/messages call.
	Latency time.Duration
	// Odd, when set, rewrites each answer before it is sent, the way a real
	// model fills free-form fields its own way ("fire and cold", "x/day")
	// or keeps getting one term wrong.
	Odd func(it classify.WireItem, r *classify.WireResult)
}

// Anthropic is a fake Anthropic API.
type Anthropic struct {
	*httptest.Server
	cfg AnthropicConfig
	f   *faults

	mu      sync.Mutex
	acct    Account
	batch   Account // billed through batches (half price)
	prefix  map[string]*cacheEntry
	script  []string
	batches []*fakeBatch
	lose    int
	created int
}

// cacheEntry is one cached prompt prefix.
type cacheEntry struct {
	ready, expires time.Time
	ttl            time.Duration
}

type fakeBatch struct {
	ID        string
	Created   time.Time
	Requests  []batchReq
	Polls     int
	Ended     bool
	EndedAt   time.Time
	Results   []string // JSONL lines
	Succeeded int
	Errored   int
	Expired   int
}

type batchReq struct {
	CustomID string          `json:"custom_id"`
	Params   json.RawMessage `json:"params"`
}

// NewAnthropic starts a fake; Close it when done.
func NewAnthropic(cfg AnthropicConfig) *Anthropic {
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = 5 * time.Minute
	}
	if cfg.CacheTTL1h == 0 {
		cfg.CacheTTL1h = time.Hour
	}
	if cfg.MaxBatchBytes == 0 {
		cfg.MaxBatchBytes = 256 << 20
	}
	if cfg.RetryAfter == "" {
		cfg.RetryAfter = "0"
	}
	if cfg.PollsToEnd == 0 {
		cfg.PollsToEnd = 2
	}
	if len(cfg.FaultKinds) == 0 {
		cfg.FaultKinds = []string{Fault429, Fault529, Fault500, FaultDrop, FaultTruncate, FaultBadItems, FaultEmptyTool}
	}
	a := &Anthropic{cfg: cfg, f: newFaults(cfg.Seed), acct: newAccount(), batch: newAccount(),
		prefix: map[string]*cacheEntry{}, script: slices.Clone(cfg.Script), lose: cfg.LoseCreates}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/messages", a.messages)
	mux.HandleFunc("POST /v1/messages/count_tokens", a.countTokens)
	mux.HandleFunc("GET /v1/models", a.models)
	mux.HandleFunc("POST /v1/messages/batches", a.createBatch)
	mux.HandleFunc("GET /v1/messages/batches", a.listBatches)
	mux.HandleFunc("GET /v1/messages/batches/{id}", a.getBatch)
	mux.HandleFunc("GET /v1/messages/batches/{id}/results", a.batchResults)
	mux.HandleFunc("DELETE /v1/messages/batches/{id}", a.deleteBatch)
	a.Server = httptest.NewServer(mux)
	return a
}

// Account returns what was billed through /v1/messages.
func (a *Anthropic) Account() Account {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.acct.clone()
}

// BatchAccount returns what was billed through batches (at batch prices).
func (a *Anthropic) BatchAccount() Account {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.batch.clone()
}

// BatchIDs lists the batches created, oldest first.
func (a *Anthropic) BatchIDs() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var ids []string
	for _, b := range a.batches {
		ids = append(ids, b.ID)
	}
	return ids
}

// SetFailLists makes the next n batch list calls fail with a 500.
func (a *Anthropic) SetFailLists(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.cfg.FailLists = n
}

// ForgetBatch deletes a batch, as the API's delete does (or as it looks from
// another workspace): retrieving it or its results is a 404 from now on.
func (a *Anthropic) ForgetBatch(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, b := range a.batches {
		if b.ID == id {
			a.batches = append(a.batches[:i], a.batches[i+1:]...)
			return
		}
	}
}

func (a *Anthropic) deleteBatch(w http.ResponseWriter, r *http.Request) {
	if !a.authorised(w, r) {
		return
	}
	id := r.PathValue("id")
	a.mu.Lock()
	found := a.find(id) != nil
	a.mu.Unlock()
	if !found {
		apiError(w, 404, "not_found_error", "batch not found")
		return
	}
	a.ForgetBatch(id)
	writeJSON(w, map[string]any{"id": id, "type": "message_batch_deleted"})
}

// TokenFactor is how many tokens the fake counts for model per token of
// Claude Haiku 4.5: the newer tokenizer (Claude 4.7 and later, Haiku 5.5)
// counts about 30% more for the same text.
func TokenFactor(model string) float64 {
	for _, p := range []string{"claude-haiku-5", "claude-sonnet-5", "claude-opus-5", "claude-opus-4-7", "claude-opus-4-8", "claude-fable-", "claude-mythos-"} {
		if strings.HasPrefix(model, p) {
			return 1.3
		}
	}
	return 1
}

func modelTokens(model, s string) int64 {
	return int64(math.Ceil(float64(Tokens(s)) * TokenFactor(model)))
}

func (a *Anthropic) minCache(model string) int64 {
	switch {
	case a.cfg.MinCacheTokens > 0:
		return a.cfg.MinCacheTokens
	case strings.HasPrefix(model, "claude-haiku-5"), strings.HasPrefix(model, "claude-opus-5"):
		return 512
	case strings.HasPrefix(model, "claude-haiku-4-5"), strings.HasPrefix(model, "claude-opus-4-5"):
		return 4096
	}
	return 1024
}

func apiError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("content-type", "application/json")
	w.Header().Set("request-id", "req_fake")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"type":"error","error":{"type":%q,"message":%q},"request_id":"req_fake"}`, typ, msg)
}

func (a *Anthropic) authorised(w http.ResponseWriter, r *http.Request) bool {
	key := r.Header.Get("x-api-key")
	if key == "" && !a.cfg.XAPIKeyOnly {
		key = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	if key == "" || (a.cfg.Key != "" && key != a.cfg.Key) {
		apiError(w, http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
		return false
	}
	if r.Header.Get("anthropic-version") == "" {
		apiError(w, http.StatusBadRequest, "invalid_request_error", "anthropic-version header is required")
		return false
	}
	return true
}

// msgRequest is the part of a Messages request the fake reads.
type msgRequest struct {
	Model       string            `json:"model"`
	MaxTokens   int64             `json:"max_tokens"`
	System      json.RawMessage   `json:"system"`
	Tools       json.RawMessage   `json:"tools"`
	ToolChoice  json.RawMessage   `json:"tool_choice"`
	Thinking    json.RawMessage   `json:"thinking"`
	Messages    []json.RawMessage `json:"messages"`
	Temperature *float64          `json:"temperature"`
}

type textBlock struct {
	Type         string `json:"type"`
	Text         string `json:"text"`
	CacheControl *struct {
		Type string `json:"type"`
		TTL  string `json:"ttl"`
	} `json:"cache_control"`
}

// errThinkingForced is the API's refusal of a forced tool_choice while the
// model thinks; its text is the API's.
//
//lint:ignore ST1005 the API's own wording
var errThinkingForced = errors.New("Thinking may not be enabled when tool_choice forces tool use.")

// thinkingConflict refuses a forced tool_choice while the model thinks.
func thinkingConflict(req msgRequest) error {
	var choice, think struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(req.ToolChoice, &choice)
	_ = json.Unmarshal(req.Thinking, &think)
	thinks := think.Type == "adaptive" || think.Type == "enabled" ||
		think.Type == "" && strings.HasPrefix(req.Model, "claude-haiku-5") ||
		strings.HasPrefix(req.Model, "claude-opus-5")
	if thinks && (choice.Type == "tool" || choice.Type == "any") {
		return errThinkingForced
	}
	return nil
}

// parsed is a request as the fake understands it.
type parsed struct {
	req    msgRequest
	system string
	cache  bool   // the system prompt asks for caching
	ttl    string // "5m" or "1h"
	items  []classify.WireItem
	strict bool            // the tool asks for strict (grammar-constrained) input
	schema json.RawMessage // the tool's input_schema
}

// parseMsg reads a request and refuses what the API refuses: temperature
// (API version 2026-10-21) and a forced tool_choice while the model thinks
// (Claude Haiku 5.5 thinks adaptively unless thinking is disabled; Opus 5.5
// always does).
func parseMsg(body []byte) (p parsed, err error) {
	req := &p.req
	if err = json.Unmarshal(body, req); err != nil {
		return
	}
	if req.Temperature != nil {
		err = fmt.Errorf("temperature: Extra inputs are not permitted")
		return
	}
	if err = thinkingConflict(*req); err != nil {
		return
	}
	if len(req.System) > 0 && req.System[0] == '"' {
		_ = json.Unmarshal(req.System, &p.system)
	} else if len(req.System) > 0 {
		var blocks []textBlock
		if err = json.Unmarshal(req.System, &blocks); err != nil {
			return
		}
		for _, b := range blocks {
			p.system += b.Text
			if b.CacheControl != nil {
				p.cache = true
				p.ttl = b.CacheControl.TTL
			}
		}
	}
	if p.ttl == "" {
		p.ttl = "5m"
	}
	if p.ttl != "5m" && p.ttl != "1h" {
		err = fmt.Errorf("system.0.cache_control.ttl: Input should be '5m' or '1h'")
		return
	}
	var tools []struct {
		Name        string          `json:"name"`
		Strict      bool            `json:"strict"`
		InputSchema json.RawMessage `json:"input_schema"`
	}
	if len(req.Tools) > 0 {
		if err = json.Unmarshal(req.Tools, &tools); err != nil {
			return
		}
	}
	if len(tools) > 0 {
		p.strict, p.schema = tools[0].Strict, tools[0].InputSchema
	}
	if len(req.Messages) != 1 {
		err = fmt.Errorf("expected one user message, got %d", len(req.Messages))
		return
	}
	var m struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err = json.Unmarshal(req.Messages[0], &m); err != nil {
		return
	}
	var user string
	if len(m.Content) > 0 && m.Content[0] == '"' {
		_ = json.Unmarshal(m.Content, &user)
	} else {
		var blocks []textBlock
		_ = json.Unmarshal(m.Content, &blocks)
		for _, b := range blocks {
			user += b.Text
		}
	}
	var terms struct {
		Terms []classify.WireItem `json:"terms"`
	}
	if err = json.Unmarshal([]byte(user), &terms); err != nil {
		err = fmt.Errorf("user message is not a terms object: %w", err)
		return
	}
	p.items = terms.Terms
	return
}

// holds reports whether items has a term with text t.
func holds(items []classify.WireItem, t string) bool {
	if t == "" {
		return false
	}
	for _, it := range items {
		if it.Text == t {
			return true
		}
	}
	return false
}

// answer computes the message for one request and bills it to acct.
// fault is one of the answer-shaping faults or "". The request's cache
// entry becomes readable at readyAt (when its response is sent).
func (a *Anthropic) answer(p parsed, fault string, acct *Account, readyAt time.Time) map[string]any {
	req, items := p.req, p.items
	prefix := modelTokens(req.Model, string(req.Tools)) + modelTokens(req.Model, p.system)
	rest := modelTokens(req.Model, string(req.ToolChoice)) + modelTokens(req.Model, string(req.Messages[0])) + 8
	var in, write, read int64
	now := time.Now()
	switch {
	case p.cache && prefix >= a.minCache(req.Model):
		key := req.Model + "\x00" + string(req.Tools) + p.system
		ttl := a.cfg.CacheTTL
		if p.ttl == "1h" {
			ttl = a.cfg.CacheTTL1h
		}
		if e := a.prefix[key]; e != nil && !now.Before(e.ready) && now.Before(e.expires) {
			read = prefix
			e.expires = now.Add(max(ttl, e.ttl)) // a read refreshes the lifetime
		} else {
			write = prefix
			a.prefix[key] = &cacheEntry{ready: readyAt, expires: readyAt.Add(ttl), ttl: ttl}
		}
		in = rest
	default:
		in = prefix + rest
	}
	if fault == "" && holds(items, a.cfg.RefuseText) {
		fault = FaultRefusal
	}
	var schema map[string]any
	grammar := p.strict && !a.cfg.NoGrammar
	if grammar {
		_ = json.Unmarshal(p.schema, &schema)
	}
	results := make([]json.RawMessage, 0, len(items))
	for _, it := range items {
		ans := Answer(it)
		if a.cfg.Odd != nil {
			a.cfg.Odd(it, &ans)
		}
		b, _ := json.Marshal(ans)
		if grammar && !ValidItem(schema, b) {
			// Grammar-constrained sampling cannot write what breaks the schema.
			b, _ = json.Marshal(Answer(it))
		}
		results = append(results, b)
		acct.TermCounts[it.Text]++
	}
	if fault == FaultBadItems && len(results) > 0 && !grammar {
		results[0] = json.RawMessage(strings.Replace(string(results[0]), `"intent":"`, `"intent":"teleporting-`, 1))
		if len(results) > 1 {
			results[1] = json.RawMessage(`{"cat":"spell","intent":"utility","mood":"arcane","conf":0.5}`)
		}
		if len(results) > 2 {
			results[2] = json.RawMessage(strings.Replace(string(results[2]), `"axes":{`, `"axes":{"plasma":0.5,`, 1))
		}
	}
	stop := "tool_use"
	var input json.RawMessage
	render := func(rs []json.RawMessage) json.RawMessage {
		b, _ := json.Marshal(map[string]any{"results": rs})
		return b
	}
	input = render(results)
	out := modelTokens(req.Model, string(input)) + 20
	if fault == FaultTruncate && len(results) > 1 {
		results = results[:len(results)/2]
		input = render(results)
		out = req.MaxTokens
		stop = "max_tokens"
	}
	for out > req.MaxTokens && len(results) > 0 {
		results = results[:len(results)-1]
		input = render(results)
		stop = "max_tokens"
		out = req.MaxTokens
	}
	if fault == FaultEmptyTool {
		input = json.RawMessage(`{}`)
		out = 25
	}
	content := []any{map[string]any{"type": "tool_use", "id": "toolu_fake", "name": classify.ToolName, "input": input}}
	if fault == FaultRefusal {
		content, stop, out = []any{}, "refusal", 12
	}
	acct.Requests++
	acct.Terms += len(items)
	acct.InputTokens += in
	acct.CacheWriteTokens += write
	acct.CacheReadTokens += read
	acct.OutputTokens += out
	var w5, w1 int64
	if p.ttl == "1h" {
		w1 = write
		acct.CacheWrite1hTokens += write
	} else {
		w5 = write
	}
	acct.bill(req.Model, in, w5, w1, read, out)
	return map[string]any{
		"id": "msg_fake", "type": "message", "role": "assistant", "model": req.Model,
		"content":     content,
		"stop_reason": stop, "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": in, "cache_creation_input_tokens": write, "cache_read_input_tokens": read, "output_tokens": out,
			"cache_creation": map[string]any{"ephemeral_5m_input_tokens": w5, "ephemeral_1h_input_tokens": w1}},
	}
}

// ValidItem checks one result item against the tool's input schema: the
// items schema of its "results" array.
func ValidItem(schema map[string]any, item []byte) bool {
	props, _ := schema["properties"].(map[string]any)
	res, _ := props["results"].(map[string]any)
	items, _ := res["items"].(map[string]any)
	if items == nil {
		return true
	}
	var v any
	if json.Unmarshal(item, &v) != nil {
		return false
	}
	return conforms(items, v)
}

// conforms is the subset of JSON Schema the classification schema uses.
func conforms(s map[string]any, v any) bool {
	if enum, ok := s["enum"].([]any); ok {
		for _, e := range enum {
			if e == v {
				return true
			}
		}
		return false
	}
	switch s["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		props, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if _, ok := m[r.(string)]; !ok {
				return false
			}
		}
		for k, x := range m {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if s["additionalProperties"] == false {
					return false
				}
				continue
			}
			if !conforms(ps, x) {
				return false
			}
		}
		return true
	case "array":
		l, ok := v.([]any)
		if !ok {
			return false
		}
		is, _ := s["items"].(map[string]any)
		for _, x := range l {
			if is != nil && !conforms(is, x) {
				return false
			}
		}
		return true
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	}
	return true
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func (a *Anthropic) nextFault() string {
	a.mu.Lock()
	if len(a.script) > 0 {
		f := a.script[0]
		a.script = a.script[1:]
		a.mu.Unlock()
		return f
	}
	a.mu.Unlock()
	if a.f.hit(a.cfg.FaultRate) {
		return a.cfg.FaultKinds[a.f.intn(len(a.cfg.FaultKinds))]
	}
	return ""
}

func (a *Anthropic) rateHeaders(w http.ResponseWriter, remaining int) {
	reset := time.Now().Add(time.Second).UTC().Format(time.RFC3339)
	h := w.Header()
	h.Set("anthropic-ratelimit-requests-limit", "50")
	h.Set("anthropic-ratelimit-requests-remaining", strconv.Itoa(remaining))
	h.Set("anthropic-ratelimit-requests-reset", reset)
	h.Set("anthropic-ratelimit-input-tokens-limit", "50000")
	h.Set("anthropic-ratelimit-input-tokens-remaining", strconv.Itoa(remaining*1000))
	h.Set("anthropic-ratelimit-input-tokens-reset", reset)
	h.Set("anthropic-ratelimit-output-tokens-limit", "10000")
	h.Set("anthropic-ratelimit-output-tokens-remaining", strconv.Itoa(remaining*200))
	h.Set("anthropic-ratelimit-output-tokens-reset", reset)
}

func (a *Anthropic) messages(w http.ResponseWriter, r *http.Request) {
	if !a.authorised(w, r) {
		return
	}
	body, err := readBody(r)
	if err != nil {
		apiError(w, 400, "invalid_request_error", err.Error())
		return
	}
	p, err := parseMsg(body)
	if err != nil {
		apiError(w, 400, "invalid_request_error", err.Error())
		return
	}
	if p.strict && a.cfg.MaxStrictSchema > 0 && len(p.schema) > a.cfg.MaxStrictSchema {
		apiError(w, 400, "invalid_request_error", "The compiled grammar is too large, which would cause performance issues. Simplify your tool schemas or reduce the number of strict tools.")
		return
	}
	fault := a.nextFault()
	if fault != "" {
		a.mu.Lock()
		a.acct.Faults[fault]++
		a.mu.Unlock()
	}
	switch fault {
	case Fault429:
		a.rateHeaders(w, 0)
		w.Header().Set("retry-after", a.cfg.RetryAfter)
		apiError(w, 429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")
		return
	case FaultSpendLimit:
		w.Header().Set("content-type", "application/json")
		w.WriteHeader(429)
		fmt.Fprint(w, `{"type":"error","error":{"type":"rate_limit_error","message":"Your organization has reached its monthly API usage limit for its tier. Access resumes on the 1st of next month at 00:00 UTC.","details":{"error_code":"enforced_spend_limit_reached"}},"request_id":"req_fake"}`)
		return
	case FaultNoRetry:
		w.Header().Set("x-should-retry", "false")
		apiError(w, 529, "overloaded_error", "Overloaded")
		return
	case FaultRetry400:
		w.Header().Set("x-should-retry", "true")
		apiError(w, 400, "invalid_request_error", "transient validation failure")
		return
	case Fault529:
		apiError(w, 529, "overloaded_error", "Overloaded")
		return
	case Fault500:
		apiError(w, 500, "api_error", "Internal server error")
		return
	case FaultDrop:
		dropConn(w)
		return
	}
	a.mu.Lock()
	msg := a.answer(p, fault, &a.acct, time.Now().Add(a.cfg.Latency))
	a.mu.Unlock()
	if a.cfg.Latency > 0 {
		time.Sleep(a.cfg.Latency)
	}
	a.rateHeaders(w, 40)
	if fault == FaultGarbled {
		b, _ := json.Marshal(msg)
		w.Header().Set("content-type", "application/json")
		w.Write(b[:len(b)/2])
		return
	}
	writeJSON(w, msg)
}

func (a *Anthropic) countTokens(w http.ResponseWriter, r *http.Request) {
	if !a.authorised(w, r) {
		return
	}
	body, err := readBody(r)
	if err != nil {
		apiError(w, 400, "invalid_request_error", err.Error())
		return
	}
	var req msgRequest
	if err := json.Unmarshal(body, &req); err != nil {
		apiError(w, 400, "invalid_request_error", err.Error())
		return
	}
	if err := thinkingConflict(req); err != nil {
		apiError(w, 400, "invalid_request_error", err.Error())
		return
	}
	var system string
	var blocks []textBlock
	if json.Unmarshal(req.System, &blocks) == nil {
		for _, b := range blocks {
			system += b.Text
		}
	} else {
		_ = json.Unmarshal(req.System, &system)
	}
	n := modelTokens(req.Model, string(req.Tools)) + modelTokens(req.Model, system) + modelTokens(req.Model, string(req.ToolChoice)) + 8
	for _, m := range req.Messages {
		n += modelTokens(req.Model, string(m))
	}
	a.mu.Lock()
	a.acct.CountTokens++
	a.mu.Unlock()
	writeJSON(w, map[string]any{"input_tokens": n})
}

func (a *Anthropic) models(w http.ResponseWriter, r *http.Request) {
	if !a.authorised(w, r) {
		return
	}
	writeJSON(w, map[string]any{"data": []any{
		map[string]any{"type": "model", "id": "claude-haiku-5-5", "display_name": "Claude Haiku 5.5", "created_at": "2026-10-07T00:00:00Z"},
		map[string]any{"type": "model", "id": "claude-haiku-4-5", "display_name": "Claude Haiku 4.5", "created_at": "2025-10-01T00:00:00Z"}},
		"has_more": false, "first_id": "claude-haiku-5-5", "last_id": "claude-haiku-4-5"})
}

var customIDRe = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

func (a *Anthropic) createBatch(w http.ResponseWriter, r *http.Request) {
	if !a.authorised(w, r) {
		return
	}
	body, err := readBody(r)
	if err != nil {
		apiError(w, 400, "invalid_request_error", err.Error())
		return
	}
	if len(body) > a.cfg.MaxBatchBytes {
		apiError(w, 413, "request_too_large", fmt.Sprintf("Request exceeds the maximum allowed number of bytes (%d > %d).", len(body), a.cfg.MaxBatchBytes))
		return
	}
	var req struct {
		Requests []batchReq `json:"requests"`
	}
	if err := json.Unmarshal(body, &req); err != nil || len(req.Requests) == 0 || len(req.Requests) > 100000 {
		apiError(w, 400, "invalid_request_error", "requests: between 1 and 100000 items required")
		return
	}
	seen := map[string]bool{}
	for _, q := range req.Requests {
		if !customIDRe.MatchString(q.CustomID) || seen[q.CustomID] {
			apiError(w, 400, "invalid_request_error", fmt.Sprintf("custom_id %q: invalid or duplicate", q.CustomID))
			return
		}
		seen[q.CustomID] = true
		if _, err := parseMsg(q.Params); err != nil {
			apiError(w, 400, "invalid_request_error", fmt.Sprintf("requests.%s.params: %v", q.CustomID, err))
			return
		}
	}
	a.mu.Lock()
	a.created++
	b := &fakeBatch{ID: fmt.Sprintf("msgbatch_%03d", a.created), Created: time.Now().UTC(), Requests: req.Requests}
	a.batches = append(a.batches, b)
	a.acct.BatchesCreated++
	lose := a.lose > 0
	if lose {
		a.lose--
	}
	view := a.batchView(b)
	a.mu.Unlock()
	if lose {
		dropConn(w)
		return
	}
	writeJSON(w, view)
}

func (a *Anthropic) batchView(b *fakeBatch) map[string]any {
	status := "in_progress"
	counts := map[string]any{"processing": len(b.Requests), "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
	var ended, results any
	if b.Ended {
		status = "ended"
		counts = map[string]any{"processing": 0, "succeeded": b.Succeeded, "errored": b.Errored, "canceled": 0, "expired": b.Expired}
		ended = b.EndedAt.Format(time.RFC3339)
		results = a.URL + "/v1/messages/batches/" + b.ID + "/results"
	}
	return map[string]any{"id": b.ID, "type": "message_batch", "processing_status": status, "request_counts": counts,
		"created_at": b.Created.Format(time.RFC3339Nano), "expires_at": b.Created.Add(24 * time.Hour).Format(time.RFC3339),
		"ended_at": ended, "results_url": results, "archived_at": nil, "cancel_initiated_at": nil}
}

// end processes a batch: every request is answered (or errored/expired).
func (a *Anthropic) end(b *fakeBatch) {
	for _, q := range b.Requests {
		var line map[string]any
		switch {
		case a.f.hit(a.cfg.BatchItemFaultRate / 2):
			a.batch.Faults["errored"]++
			b.Errored++
			line = map[string]any{"custom_id": q.CustomID, "result": map[string]any{"type": "errored",
				"error": map[string]any{"type": "error", "error": map[string]any{"type": "api_error", "message": "Internal server error"}}}}
		case a.f.hit(a.cfg.BatchItemFaultRate / 2):
			a.batch.Faults["expired"]++
			b.Expired++
			line = map[string]any{"custom_id": q.CustomID, "result": map[string]any{"type": "expired"}}
		default:
			p, _ := parseMsg(q.Params)
			if holds(p.items, a.cfg.InvalidText) {
				a.batch.Faults["invalid"]++
				b.Errored++
				line = map[string]any{"custom_id": q.CustomID, "result": map[string]any{"type": "errored",
					"error": map[string]any{"type": "error", "error": map[string]any{"type": "invalid_request_error",
						"message": "messages.0.content.0.text: the request could not be processed as sent"}}}}
				break
			}
			fault := ""
			if a.cfg.BatchCutOver > 0 && len(p.items) > a.cfg.BatchCutOver {
				fault = FaultTruncate
				a.batch.Faults["cut"]++
			}
			b.Succeeded++
			line = map[string]any{"custom_id": q.CustomID, "result": map[string]any{"type": "succeeded", "message": a.answer(p, fault, &a.batch, time.Now())}}
		}
		s, _ := json.Marshal(line)
		b.Results = append(b.Results, string(s))
	}
	b.Ended = true
	b.EndedAt = time.Now().UTC()
}

func (a *Anthropic) find(id string) *fakeBatch {
	for _, b := range a.batches {
		if b.ID == id {
			return b
		}
	}
	return nil
}

func (a *Anthropic) getBatch(w http.ResponseWriter, r *http.Request) {
	if !a.authorised(w, r) {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.find(r.PathValue("id"))
	if b == nil {
		apiError(w, 404, "not_found_error", "batch not found")
		return
	}
	b.Polls++
	if !b.Ended && b.Polls >= a.cfg.PollsToEnd {
		a.end(b)
	}
	writeJSON(w, a.batchView(b))
}

func (a *Anthropic) listBatches(w http.ResponseWriter, r *http.Request) {
	if !a.authorised(w, r) {
		return
	}
	a.mu.Lock()
	fail := a.cfg.FailLists > 0
	if fail {
		a.cfg.FailLists--
	}
	a.mu.Unlock()
	if fail {
		apiError(w, 500, "api_error", "Internal server error")
		return
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 20
	}
	after := r.URL.Query().Get("after_id")
	a.mu.Lock()
	defer a.mu.Unlock()
	var data []any
	start := after == ""
	hasMore := false
	for i := len(a.batches) - 1; i >= 0; i-- { // newest first
		b := a.batches[i]
		if !start {
			start = b.ID == after
			continue
		}
		if len(data) == limit {
			hasMore = true
			break
		}
		data = append(data, a.batchView(b))
	}
	resp := map[string]any{"data": data, "has_more": hasMore, "first_id": nil, "last_id": nil}
	if len(data) > 0 {
		resp["first_id"] = data[0].(map[string]any)["id"]
		resp["last_id"] = data[len(data)-1].(map[string]any)["id"]
	} else {
		resp["data"] = []any{}
	}
	writeJSON(w, resp)
}

func (a *Anthropic) batchResults(w http.ResponseWriter, r *http.Request) {
	if !a.authorised(w, r) {
		return
	}
	a.mu.Lock()
	b := a.find(r.PathValue("id"))
	var lines []string
	if b != nil && b.Ended {
		lines = slices.Clone(b.Results)
	}
	a.mu.Unlock()
	if b == nil || !b.Ended {
		apiError(w, 404, "not_found_error", "results not available")
		return
	}
	w.Header().Set("content-type", "application/x-jsonl")
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}

func readBody(r *http.Request) ([]byte, error) {
	defer r.Body.Close()
	return io.ReadAll(r.Body)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("content-type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// dropConn closes the connection without a response.
func dropConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}
