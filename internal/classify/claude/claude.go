package claude

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"

	"github.com/corpora-tools/corpora/internal/fault"
)

// DefaultModel is the current Claude Haiku.
const DefaultModel = "claude-haiku-4-5"

// DefaultBatchSize is the terms per request: about 64 output tokens per
// term keep 50 terms near 3,300 output tokens, far from any output limit,
// while the per-request overhead (prompt read, tool call) is spread thin.
const DefaultBatchSize = 50

// Config configures the Claude backends.
type Config struct {
	APIKey  string // ANTHROPIC_API_KEY
	BaseURL string // ANTHROPIC_BASE_URL; "" for the production API
	Model   string // default DefaultModel
	// Concurrency bounds requests in flight (--api-concurrency); default 4.
	Concurrency int
	// BatchSize is the terms per request; default DefaultBatchSize.
	BatchSize int
	Backoff   classify.Backoff
	Budget    *classify.Budget
	Prices    classify.PriceTable // default classify.DefaultPrices
	// Limiter, when set, is shared with other classifiers; otherwise one is
	// made from Concurrency.
	Limiter    *classify.Limiter
	HTTPClient *http.Client
	// Fallback answers the few terms that never come back valid after
	// every re-ask (classify.Settle); nil fails the document instead.
	Fallback classify.Classifier
	// Warnf hears about answers repaired by dropping an unreadable field.
	Warnf func(format string, args ...any)

	// Batch only (claude-batch).
	Store        BatchStore
	PollInterval time.Duration       // default 30s
	Progress     func(BatchProgress) // called after every poll
	MaxRequests  int                 // requests per batch (default 10,000; the API allows 100,000)
}

// MinCacheTokens is the minimum cacheable prompt length for model: below it,
// cache_control is silently ignored by the API.
func MinCacheTokens(model string) int64 {
	switch {
	case strings.HasPrefix(model, "claude-haiku-4-5"), strings.HasPrefix(model, "claude-opus-4-5"):
		return 4096
	case strings.HasPrefix(model, "claude-3-5-haiku"), strings.HasPrefix(model, "claude-3-haiku"):
		return 2048
	}
	return 1024
}

// Classifier is the claude backend (Messages API).
type Classifier struct {
	cfg        Config
	client     anthropic.Client
	price      classify.Price
	priceKnown bool
	limiter    *classify.Limiter
	engine     *classify.Engine

	// promptTokens is the counted (Check) or estimated length of tools +
	// system; cacheable says whether it reaches the model's minimum.
	promptTokens atomic.Int64
	cacheable    atomic.Bool
}

// New returns a claude classifier. It makes no request; call Check.
func New(cfg Config) *Classifier {
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.Prices == nil {
		cfg.Prices = classify.DefaultPrices()
	}
	c := &Classifier{cfg: cfg, limiter: cfg.Limiter}
	if c.limiter == nil {
		c.limiter = classify.NewLimiter(cfg.Concurrency)
	}
	c.price, c.priceKnown = cfg.Prices.Lookup(cfg.Model)
	opts := []option.RequestOption{
		option.WithoutEnvironmentDefaults(), // the caller resolves the environment
		option.WithAPIKey(cfg.APIKey),
		option.WithMaxRetries(0), // classify.Do retries, under the shared limiter
	}
	if cfg.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(cfg.BaseURL))
	}
	hc := cfg.HTTPClient
	if hc == nil {
		// Not http.DefaultClient: a server that accepts and never answers must not hang a run.
		hc = &http.Client{Timeout: 10 * time.Minute}
	}
	opts = append(opts, option.WithHTTPClient(hc))
	c.client = anthropic.NewClient(opts...)
	est := classify.TokenEstimate(classify.SystemPrompt()) + classify.TokenEstimate(toolJSON())
	c.promptTokens.Store(est)
	c.cacheable.Store(est >= MinCacheTokens(cfg.Model))
	c.engine = &classify.Engine{
		Sender: sender{c}, Label: "claude/" + cfg.Model, Limiter: c.limiter, Backoff: cfg.Backoff,
		Budget: cfg.Budget, BatchSize: cfg.BatchSize, Workers: cfg.Concurrency,
		RequestCost: c.requestCost, WarmFirst: true, Fallback: cfg.Fallback, Warnf: cfg.Warnf,
	}
	return c
}

// Backend implements classify.Classifier.
func (c *Classifier) Backend() string { return "claude" }

// Model implements classify.Classifier.
func (c *Classifier) Model() string { return c.cfg.Model }

// PromptVersion implements classify.Classifier.
func (c *Classifier) PromptVersion() string { return classify.PromptVersion }

// PriceKnown reports whether the model has a price in the table.
func (c *Classifier) PriceKnown() bool { return c.priceKnown }

// Cacheable reports whether the system prompt is sent with cache_control.
func (c *Classifier) Cacheable() bool { return c.cacheable.Load() }

// PromptTokens is the counted (after Check) or estimated prompt length.
func (c *Classifier) PromptTokens() int64 { return c.promptTokens.Load() }

// Classify implements classify.Classifier.
func (c *Classifier) Classify(ctx context.Context, req classify.Request) (classify.Result, error) {
	return c.engine.Classify(ctx, req)
}

// ClassifyEach implements classify.Progressive.
func (c *Classifier) ClassifyEach(ctx context.Context, req classify.Request, each func([]int, []classify.Term)) (classify.Result, error) {
	return c.engine.ClassifyEach(ctx, req, each)
}

// Check verifies once, up front, that the key is accepted and the endpoint
// reachable, with a free count_tokens call that also measures the prompt.
func (c *Classifier) Check(ctx context.Context) error {
	return check(ctx, c.cfg, c.client, c.limiter, c.setPromptTokens)
}

func (c *Classifier) setPromptTokens(n int64) {
	c.promptTokens.Store(n)
	c.cacheable.Store(n >= MinCacheTokens(c.cfg.Model))
}

func check(ctx context.Context, cfg Config, client anthropic.Client, lim *classify.Limiter, measured func(int64)) error {
	if strings.TrimSpace(cfg.APIKey) == "" {
		return fmt.Errorf("%w: ANTHROPIC_API_KEY is not set", classify.ErrUnavailable)
	}
	b := cfg.Backoff
	if b.Attempts <= 0 {
		b.Attempts = 4
	}
	n, err := classify.Do(ctx, lim, b, func(ctx context.Context) (int64, error) {
		p := baseParams(cfg.Model, []classify.WireItem{{Key: "t0", Text: "fireball", POS: "noun"}}, false)
		res, err := client.Messages.CountTokens(ctx, anthropic.MessageCountTokensParams{
			Model:      p.Model,
			System:     anthropic.MessageCountTokensParamsSystemUnion{OfTextBlockArray: p.System},
			Tools:      []anthropic.MessageCountTokensToolUnionParam{{OfTool: p.Tools[0].OfTool}},
			ToolChoice: p.ToolChoice,
			Messages:   p.Messages,
		})
		if err != nil {
			return 0, classifyErr(err, nil)
		}
		return res.InputTokens, nil
	})
	if err == nil {
		measured(n - 30) // less the one-term user message
		return nil
	}
	var apiErr *anthropic.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		// Some gateways do not implement count_tokens: ask for the model instead.
		if _, gerr := client.Models.Get(ctx, cfg.Model, anthropic.ModelGetParams{}); gerr == nil {
			return nil
		}
		return fmt.Errorf("%w: model %q not found at %s", classify.ErrUnavailable, cfg.Model, endpoint(cfg))
	}
	if errors.Is(err, classify.ErrUnavailable) || ctx.Err() != nil {
		return err
	}
	return fmt.Errorf("%w: %s: %v", classify.ErrUnavailable, endpoint(cfg), err)
}

func endpoint(cfg Config) string {
	if cfg.BaseURL != "" {
		return cfg.BaseURL
	}
	return "https://api.anthropic.com"
}

// toolJSON is the tool definition as sent, for length estimates.
func toolJSON() string {
	b, _ := anthropic.ToolParam{Name: classify.ToolName, Description: anthropic.String(toolDescription),
		InputSchema: inputSchema()}.MarshalJSON()
	return string(b)
}

const toolDescription = "Record one classification per term key."

func inputSchema() anthropic.ToolInputSchemaParam {
	s := classify.ResultSchema(false)
	return anthropic.ToolInputSchemaParam{
		Properties:  s["properties"],
		Required:    []string{"results"},
		ExtraFields: map[string]any{"additionalProperties": false},
	}
}

// baseParams builds a Messages request for items.
func baseParams(model string, items []classify.WireItem, cacheable bool) anthropic.MessageNewParams {
	sys := anthropic.TextBlockParam{Text: classify.SystemPrompt()}
	if cacheable {
		sys.CacheControl = anthropic.NewCacheControlEphemeralParam()
	}
	return anthropic.MessageNewParams{
		Model:     anthropic.Model(model),
		MaxTokens: maxTokens(len(items)),
		System:    []anthropic.TextBlockParam{sys},
		Tools: []anthropic.ToolUnionParam{{OfTool: &anthropic.ToolParam{
			Name: classify.ToolName, Description: anthropic.String(toolDescription), InputSchema: inputSchema(),
		}}},
		ToolChoice: anthropic.ToolChoiceParamOfTool(classify.ToolName),
		Messages:   []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(classify.UserMessage(items)))},
	}
}

// maxTokens bounds the answer: twice the expected output per term plus the
// tool call's overhead, so a normal answer is never cut while a runaway one
// is stopped early.
func maxTokens(terms int) int64 {
	return int64(math.Ceil(2*classify.OutputTokensPerTerm()*float64(terms))) + 256
}

func (c *Classifier) params(items []classify.WireItem) anthropic.MessageNewParams {
	return baseParams(c.cfg.Model, items, c.cacheable.Load())
}

// requestCost is a pessimistic price of one request for the Budget: the
// prompt at the cache-write price (or full input price when not cached) and
// the expected output.
func (c *Classifier) requestCost(items []classify.WireItem) float64 {
	u := classify.Usage{OutputTokens: int64(classify.OutputTokensPerTerm()*float64(len(items))) + 20}
	for _, it := range items {
		u.InputTokens += classify.TokenEstimate(it.Text+it.Context) + 12
	}
	if c.cacheable.Load() {
		u.CacheWriteTokens = c.promptTokens.Load()
	} else {
		u.InputTokens += c.promptTokens.Load()
	}
	return c.price.Cost(u, false)
}

// Estimate implements classify.Estimator for terms that would be sent.
func (c *Classifier) Estimate(terms []extract.Candidate) classify.Estimate {
	return estimate(terms, c.cfg.BatchSize, c.promptTokens.Load(), c.cacheable.Load(), c.price, c.priceKnown, false)
}

func estimate(terms []extract.Candidate, batchSize int, prompt int64, cacheable bool, price classify.Price, known, batch bool) classify.Estimate {
	e := classify.Estimate{ToSend: len(terms), PriceKnown: known}
	if len(terms) == 0 {
		return e
	}
	reqs := (len(terms) + batchSize - 1) / batchSize
	e.Requests = reqs
	u := classify.Usage{Requests: reqs, TermsSent: len(terms)}
	for _, t := range terms {
		u.InputTokens += classify.InputTokensOf(t)
	}
	u.InputTokens += int64(reqs) * 20
	u.OutputTokens = int64(classify.OutputTokensPerTerm()*float64(len(terms))) + int64(reqs)*20
	if cacheable && !batch {
		u.CacheWriteTokens = prompt
		u.CacheReadTokens = prompt * int64(reqs-1)
	} else {
		u.InputTokens += prompt * int64(reqs)
	}
	u.CostUSD = price.Cost(u, batch)
	e.Usage = u
	return e
}

// sender adapts the Messages API to classify.Sender.
type sender struct{ c *Classifier }

// Send implements classify.Sender with one Messages call.
func (s sender) Send(ctx context.Context, items []classify.WireItem) (classify.Answer, error) {
	c := s.c
	var raw *http.Response
	msg, err := c.client.Messages.New(ctx, c.params(items), option.WithResponseInto(&raw))
	if raw != nil {
		observe(c.limiter, raw.Header, raw.StatusCode)
	}
	if err != nil {
		return classify.Answer{}, classifyErr(err, c.limiter)
	}
	return answerOf(msg, c.price, false), nil
}

// answerOf turns a message into an Answer: the forced tool call's results,
// whether the output limit cut it, and its usage priced.
func answerOf(msg *anthropic.Message, price classify.Price, batch bool) classify.Answer {
	var ans classify.Answer
	for _, b := range msg.Content {
		if b.Type == "tool_use" && b.Name == classify.ToolName {
			items, whole := classify.ParseResults(b.Input)
			ans.Results = append(ans.Results, items...)
			if !whole {
				ans.Truncated = true
			}
		}
	}
	if msg.StopReason == anthropic.StopReasonMaxTokens {
		ans.Truncated = true
	}
	u := classify.Usage{
		Requests:         1,
		InputTokens:      msg.Usage.InputTokens,
		CacheWriteTokens: msg.Usage.CacheCreationInputTokens,
		CacheReadTokens:  msg.Usage.CacheReadInputTokens,
		OutputTokens:     msg.Usage.OutputTokens,
	}
	u.CostUSD = price.Cost(u, batch)
	ans.Usage = u
	return ans
}

// classifyErr sorts an SDK error by behaviour (package fault): retryable
// (429 with its retry-after, 408, 409, 5xx, 529 overloaded, connection
// errors), unavailable and so fatal (401, 403, 404: no point in trying
// again), or no-retry (any other 4xx: this request is wrong).
func classifyErr(err error, lim *classify.Limiter) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) {
		return fault.Retryable(fmt.Errorf("claude: %w", err), 0) // connection refused, reset, EOF
	}
	var h http.Header
	if apiErr.Response != nil {
		h = apiErr.Response.Header
	}
	msg := apiErr.Message
	if msg == "" {
		msg = http.StatusText(apiErr.StatusCode)
	}
	e := fmt.Errorf("claude: HTTP %d: %s", apiErr.StatusCode, msg)
	switch s := apiErr.StatusCode; {
	case s == http.StatusTooManyRequests:
		ra := classify.ParseRetryAfter(h, time.Now())
		if lim != nil {
			lim.Pause(ra)
		}
		return fault.Retryable(e, ra)
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return fmt.Errorf("%w: API key rejected (%v)", classify.ErrUnavailable, e)
	case s == http.StatusNotFound:
		return fmt.Errorf("%w: %v", classify.ErrUnavailable, errors.Join(e, err))
	case s == http.StatusRequestTimeout || s == http.StatusConflict || s >= 500:
		return fault.Retryable(e, classify.ParseRetryAfter(h, time.Now()))
	}
	return fault.MarkNoRetry(e) // 400 and other 4xx: the same request fails the same way
}

// observe feeds the shared limiter from a successful response's
// anthropic-ratelimit-* headers: when the requests or tokens left in the
// window are nearly gone, everybody waits for the window's reset.
func observe(lim *classify.Limiter, h http.Header, status int) {
	if lim == nil || status == http.StatusTooManyRequests {
		return // a 429's retry-after is handled with the error
	}
	for _, dim := range []struct {
		name string
		low  int64
	}{{"requests", 1}, {"tokens", 8000}, {"input-tokens", 8000}, {"output-tokens", 4000}} {
		rem := h.Get("anthropic-ratelimit-" + dim.name + "-remaining")
		if rem == "" {
			continue
		}
		n, err := strconv.ParseInt(rem, 10, 64)
		if err != nil || n >= dim.low {
			continue
		}
		if reset, err := time.Parse(time.RFC3339, h.Get("anthropic-ratelimit-"+dim.name+"-reset")); err == nil {
			lim.PauseUntil(reset)
		}
	}
}
