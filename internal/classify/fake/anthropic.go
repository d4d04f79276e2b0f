package fake

import (
	"encoding/json"
	"fmt"
	"io"
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
)

// AnthropicConfig configures an Anthropic fake.
type AnthropicConfig struct {
	Key            string  // accepted API key; "" accepts any non-empty key
	MinCacheTokens int64   // minimum cacheable prefix (default 4096, Claude Haiku 4.5)
	FaultRate      float64 // probability that a /v1/messages call gets a fault
	FaultKinds     []string
	Seed           uint64
	RetryAfter     string // retry-after header on 429 (default "0")
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
	prefix  map[string]bool
	script  []string
	batches []*fakeBatch
	lose    int
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
	if cfg.MinCacheTokens == 0 {
		cfg.MinCacheTokens = 4096
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
		prefix: map[string]bool{}, script: slices.Clone(cfg.Script), lose: cfg.LoseCreates}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/messages", a.messages)
	mux.HandleFunc("POST /v1/messages/count_tokens", a.countTokens)
	mux.HandleFunc("GET /v1/models", a.models)
	mux.HandleFunc("POST /v1/messages/batches", a.createBatch)
	mux.HandleFunc("GET /v1/messages/batches", a.listBatches)
	mux.HandleFunc("GET /v1/messages/batches/{id}", a.getBatch)
	mux.HandleFunc("GET /v1/messages/batches/{id}/results", a.batchResults)
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

func apiError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("content-type", "application/json")
	w.Header().Set("request-id", "req_fake")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"type":"error","error":{"type":%q,"message":%q},"request_id":"req_fake"}`, typ, msg)
}

func (a *Anthropic) authorised(w http.ResponseWriter, r *http.Request) bool {
	key := r.Header.Get("x-api-key")
	if key == "" {
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
	Messages    []json.RawMessage `json:"messages"`
	Temperature *float64          `json:"temperature"`
}

type textBlock struct {
	Type         string          `json:"type"`
	Text         string          `json:"text"`
	CacheControl json.RawMessage `json:"cache_control"`
}

// parse reads a request: its system text, whether the system prompt asks
// for caching, the user text and its items.
func parseMsg(body []byte) (req msgRequest, system string, cache bool, items []classify.WireItem, err error) {
	if err = json.Unmarshal(body, &req); err != nil {
		return
	}
	if req.Temperature != nil {
		err = fmt.Errorf("temperature: Extra inputs are not permitted")
		return
	}
	if len(req.System) > 0 && req.System[0] == '"' {
		_ = json.Unmarshal(req.System, &system)
	} else if len(req.System) > 0 {
		var blocks []textBlock
		if err = json.Unmarshal(req.System, &blocks); err != nil {
			return
		}
		for _, b := range blocks {
			system += b.Text
			cache = cache || len(b.CacheControl) > 0
		}
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
	items = terms.Terms
	return
}

// answer computes the message for one request and bills it to acct.
// fault is one of the answer-shaping faults or "".
func (a *Anthropic) answer(req msgRequest, system string, cache bool, items []classify.WireItem, fault string, acct *Account) map[string]any {
	prefix := Tokens(string(req.Tools)) + Tokens(system)
	rest := Tokens(string(req.ToolChoice)) + Tokens(string(req.Messages[0])) + 8
	var in, write, read int64
	switch {
	case cache && prefix >= a.cfg.MinCacheTokens:
		key := req.Model + "\x00" + string(req.Tools) + system
		if a.prefix[key] {
			read = prefix
		} else {
			write = prefix
			a.prefix[key] = true
		}
		in = rest
	default:
		in = prefix + rest
	}
	results := make([]json.RawMessage, 0, len(items))
	for _, it := range items {
		ans := Answer(it)
		if a.cfg.Odd != nil {
			a.cfg.Odd(it, &ans)
		}
		b, _ := json.Marshal(ans)
		results = append(results, b)
		acct.TermCounts[it.Text]++
	}
	if fault == FaultBadItems && len(results) > 0 {
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
	out := Tokens(string(input)) + 20
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
	acct.Requests++
	acct.Terms += len(items)
	acct.InputTokens += in
	acct.CacheWriteTokens += write
	acct.CacheReadTokens += read
	acct.OutputTokens += out
	return map[string]any{
		"id": "msg_fake", "type": "message", "role": "assistant", "model": req.Model,
		"content":     []any{map[string]any{"type": "tool_use", "id": "toolu_fake", "name": classify.ToolName, "input": input}},
		"stop_reason": stop, "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": in, "cache_creation_input_tokens": write, "cache_read_input_tokens": read, "output_tokens": out},
	}
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
	if a.cfg.Latency > 0 {
		time.Sleep(a.cfg.Latency)
	}
	if !a.authorised(w, r) {
		return
	}
	body, err := readBody(r)
	if err != nil {
		apiError(w, 400, "invalid_request_error", err.Error())
		return
	}
	req, system, cache, items, err := parseMsg(body)
	if err != nil {
		apiError(w, 400, "invalid_request_error", err.Error())
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
	msg := a.answer(req, system, cache, items, fault, &a.acct)
	a.mu.Unlock()
	a.rateHeaders(w, 40)
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
	var system string
	var blocks []textBlock
	if json.Unmarshal(req.System, &blocks) == nil {
		for _, b := range blocks {
			system += b.Text
		}
	} else {
		_ = json.Unmarshal(req.System, &system)
	}
	n := Tokens(string(req.Tools)) + Tokens(system) + Tokens(string(req.ToolChoice)) + 8
	for _, m := range req.Messages {
		n += Tokens(string(m))
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
	writeJSON(w, map[string]any{"data": []any{map[string]any{"type": "model", "id": "claude-haiku-4-5", "display_name": "Claude Haiku 4.5", "created_at": "2025-10-01T00:00:00Z"}},
		"has_more": false, "first_id": "claude-haiku-4-5", "last_id": "claude-haiku-4-5"})
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
		if _, _, _, _, err := parseMsg(q.Params); err != nil {
			apiError(w, 400, "invalid_request_error", fmt.Sprintf("requests.%s.params: %v", q.CustomID, err))
			return
		}
	}
	a.mu.Lock()
	b := &fakeBatch{ID: fmt.Sprintf("msgbatch_%03d", len(a.batches)+1), Created: time.Now().UTC(), Requests: req.Requests}
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
			req, system, cache, items, _ := parseMsg(q.Params)
			b.Succeeded++
			line = map[string]any{"custom_id": q.CustomID, "result": map[string]any{"type": "succeeded", "message": a.answer(req, system, cache, items, "", &a.batch)}}
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
