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

// DefaultModel is the current Claude Haiku: Claude Haiku 5.5 (released
// 2026-10-07), built for high-volume classification. claude-haiku-4-5 stays
// selectable with --model.
const DefaultModel = "claude-haiku-5-5"

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
	// Warnf hears about answers repaired by dropping an unreadable field,
	// and about the strict schema falling back.
	Warnf func(format string, args ...any)
	// CacheLifetime is the prompt cache's lifetime from last use (default
	// CacheLifetime, 5 minutes): after a longer idle pause the cache is
	// warmed again with one request before the workers fan out.
	CacheLifetime time.Duration

	// Batch only (claude-batch).
	Store        BatchStore
	PollInterval time.Duration       // default 30s
	Progress     func(BatchProgress) // called after every poll
	MaxRequests  int                 // requests per batch (default 10,000; the API allows 100,000)
	// MaxBatchBytes bounds one batch's body as the SDK encodes it (default
	// DefaultMaxBatchBytes; the API allows 256 MB).
	MaxBatchBytes int
}

// MinCacheTokens is the minimum cacheable prompt length for model: below it,
// cache_control is silently ignored by the API. Claude Haiku 5.5 caches from
// 512 tokens (4,096 on Haiku 4.5), as do Opus 5 and later.
func MinCacheTokens(model string) int64 {
	switch {
	case strings.HasPrefix(model, "claude-haiku-5"), strings.HasPrefix(model, "claude-opus-5"),
		strings.HasPrefix(model, "claude-fable-5"), strings.HasPrefix(model, "claude-mythos-5"):
		return 512
	case strings.HasPrefix(model, "claude-haiku-4-5"), strings.HasPrefix(model, "claude-opus-4-5"), strings.HasPrefix(model, "claude-opus-4-6"):
		return 4096
	case strings.HasPrefix(model, "claude-opus-4-7"):
		return 2048
	}
	return 1024
}

// TokenFactor is how many tokens model counts for what Claude Haiku 4.5
// counts as one: the tokenizer of Claude 4.7 and later models, Haiku 5.5
// included, counts about 30% more for the same text. The forecasts
// (classify.InputTokensOf, OutputTokensPerTerm) were measured on Haiku 4.5.
func TokenFactor(model string) float64 {
	for _, p := range []string{"claude-haiku-5", "claude-sonnet-5", "claude-opus-5", "claude-opus-4-7", "claude-opus-4-8", "claude-fable-", "claude-mythos-"} {
		if strings.HasPrefix(model, p) {
			return 1.3
		}
	}
	return 1
}

// thinking is how a request to model turns thinking off. The API refuses a
// forced tool_choice while thinking is on, and Claude Haiku 5.5 thinks
// adaptively unless told not to: it gets thinking {"type":"disabled"}.
// Models whose thinking is always on (Opus 5.5, Fable) cannot force the tool
// at all: they get tool_choice auto, and the prompt's rule to answer
// through the tool (an answer without the call is re-asked). Older models
// think only when asked and get neither.
func thinking(model string) (off anthropic.ThinkingConfigParamUnion, forceTool bool) {
	switch {
	case strings.HasPrefix(model, "claude-haiku-5"):
		d := anthropic.NewThinkingConfigDisabledParam()
		return anthropic.ThinkingConfigParamUnion{OfDisabled: &d}, true
	case strings.HasPrefix(model, "claude-opus-5"), strings.HasPrefix(model, "claude-sonnet-5"),
		strings.HasPrefix(model, "claude-fable-"), strings.HasPrefix(model, "claude-mythos-"):
		return anthropic.ThinkingConfigParamUnion{}, false
	}
	return anthropic.ThinkingConfigParamUnion{}, true
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
	// loose is set once the API refused the strict tool schema as too
	// large to compile: every later request sends the tool without strict.
	loose atomic.Bool
	// hour selects the 1-hour prompt cache (claude-batch).
	hour bool
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
	if cfg.CacheLifetime <= 0 {
		cfg.CacheLifetime = CacheLifetime
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
		// SDK v2's WithAPIKey sends the key only as "authorization: Bearer";
		// gateways and proxies at ANTHROPIC_BASE_URL often read x-api-key,
		// the header the API documents, so send that too.
		opts = append(opts, option.WithBaseURL(cfg.BaseURL), option.WithHeader("x-api-key", cfg.APIKey))
	}
	hc := cfg.HTTPClient
	if hc == nil {
		// Not http.DefaultClient: a server that accepts and never answers must not hang a run.
		hc = &http.Client{Timeout: 10 * time.Minute}
	}
	opts = append(opts, option.WithHTTPClient(hc))
	c.client = anthropic.NewClient(opts...)
	est := int64(float64(classify.TokenEstimate(classify.SystemPrompt())+classify.TokenEstimate(toolJSON())) * TokenFactor(cfg.Model))
	c.promptTokens.Store(est)
	c.cacheable.Store(est >= MinCacheTokens(cfg.Model))
	c.engine = &classify.Engine{
		Sender: sender{c}, Label: "claude/" + cfg.Model, Limiter: c.limiter, Backoff: cfg.Backoff,
		Budget: cfg.Budget, BatchSize: cfg.BatchSize, Workers: cfg.Concurrency,
		RequestCost: c.requestCost, WarmFirst: true, WarmFor: cfg.CacheLifetime, Fallback: cfg.Fallback, Warnf: cfg.Warnf,
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
			Thinking:   p.Thinking, // a forced tool with thinking on is refused here too
			Messages:   p.Messages,
		})
		if err != nil {
			return 0, classifyErr(ctx, err, nil)
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

// CacheLifetime is the default prompt cache lifetime (5 minutes from last
// use): after a longer pause the Engine warms the cache again with one
// request before fanning out.
const CacheLifetime = 5 * time.Minute

// toolJSON is the tool definition as sent, for length estimates.
func toolJSON() string {
	b, _ := tool(true).OfTool.MarshalJSON()
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

// tool is the classification tool. strict asks for grammar-constrained
// sampling (strict tool use): the input then always matches the schema, so
// an energy outside its enum, an unknown axis or a missing field cannot
// come back. The block is the same for every request of a run, so the
// prompt cache (tools, then system) holds.
func tool(strict bool) anthropic.ToolUnionParam {
	t := &anthropic.ToolParam{Name: classify.ToolName, Description: anthropic.String(toolDescription), InputSchema: inputSchema()}
	if strict {
		t.Strict = anthropic.Bool(true)
	}
	return anthropic.ToolUnionParam{OfTool: t}
}

// shape is what a request looks like apart from its terms.
type shape struct {
	model     string
	cacheable bool // mark the system prompt for caching
	hour      bool // with the 1-hour lifetime (batches)
	strict    bool
}

// baseParams builds a Messages request for items.
func baseParams(model string, items []classify.WireItem, cacheable bool) anthropic.MessageNewParams {
	return shape{model: model, cacheable: cacheable, strict: true}.params(items)
}

func (sh shape) params(items []classify.WireItem) anthropic.MessageNewParams {
	sys := anthropic.TextBlockParam{Text: classify.SystemPrompt()}
	if sh.cacheable {
		sys.CacheControl = anthropic.NewCacheControlEphemeralParam()
		if sh.hour {
			sys.CacheControl.TTL = anthropic.CacheControlEphemeralTTLTTL1h
		}
	}
	think, force := thinking(sh.model)
	p := anthropic.MessageNewParams{
		Model:     anthropic.Model(sh.model),
		MaxTokens: maxTokens(len(items)),
		System:    []anthropic.TextBlockParam{sys},
		Tools:     []anthropic.ToolUnionParam{tool(sh.strict)},
		Thinking:  think,
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(classify.UserMessage(items)))},
	}
	if force {
		p.ToolChoice = anthropic.ToolChoiceParamOfTool(classify.ToolName)
	} else {
		// Thinking is always on: the tool cannot be forced, and the
		// thinking tokens count against max_tokens.
		p.ToolChoice = anthropic.ToolChoiceUnionParam{OfAuto: &anthropic.ToolChoiceAutoParam{}}
		p.MaxTokens += 8192
	}
	return p
}

// maxTokens bounds the answer: twice the expected output per term plus the
// tool call's overhead, so a normal answer is never cut while a runaway one
// is stopped early.
func maxTokens(terms int) int64 {
	return int64(math.Ceil(2*1.3*classify.OutputTokensPerTerm()*float64(terms))) + 256
}

func (c *Classifier) shape() shape {
	return shape{model: c.cfg.Model, cacheable: c.cacheable.Load(), hour: c.hour, strict: !c.loose.Load()}
}

// requestCost is a pessimistic price of one request for the Budget: the
// prompt at the cache-write price (or full input price when not cached) and
// the expected output.
func (c *Classifier) requestCost(items []classify.WireItem) float64 {
	f := TokenFactor(c.cfg.Model)
	u := classify.Usage{OutputTokens: int64(f*classify.OutputTokensPerTerm()*float64(len(items))) + 20}
	for _, it := range items {
		u.InputTokens += int64(f*float64(classify.TokenEstimate(it.Text+it.Context))) + 12
	}
	if c.cacheable.Load() {
		u.CacheWriteTokens = c.promptTokens.Load()
	} else {
		u.InputTokens += c.promptTokens.Load()
	}
	return c.price.CostTTL(u, false, c.hour)
}

// Estimate implements classify.Estimator for terms that would be sent.
func (c *Classifier) Estimate(terms []extract.Candidate) classify.Estimate {
	return estimate(terms, c.cfg.BatchSize, c.promptTokens.Load(), c.cacheable.Load(), c.price, c.priceKnown, false, c.hour, TokenFactor(c.cfg.Model))
}

// estimate forecasts terms in requests of batchSize. Live requests write the
// cache once and read it after (the Engine sends the first request alone).
// Batch requests are processed in parallel, so cache hits are best effort:
// the estimate, which --max-cost reserves against, counts every request as
// writing the prompt at its lifetime's price (hour), the worst case.
func estimate(terms []extract.Candidate, batchSize int, prompt int64, cacheable bool, price classify.Price, known, batch, hour bool, factor float64) classify.Estimate {
	e := classify.Estimate{ToSend: len(terms), PriceKnown: known}
	if len(terms) == 0 {
		return e
	}
	reqs := (len(terms) + batchSize - 1) / batchSize
	e.Requests = reqs
	u := classify.Usage{Requests: reqs, TermsSent: len(terms)}
	var in int64
	for _, t := range terms {
		in += classify.InputTokensOf(t)
	}
	u.InputTokens = int64(factor*float64(in)) + int64(reqs)*20
	u.OutputTokens = int64(factor*classify.OutputTokensPerTerm()*float64(len(terms))) + int64(reqs)*20
	switch {
	case cacheable && batch:
		u.CacheWriteTokens = prompt * int64(reqs)
	case cacheable:
		u.CacheWriteTokens = prompt
		u.CacheReadTokens = prompt * int64(reqs-1)
	default:
		u.InputTokens += prompt * int64(reqs)
	}
	// Priced request by request: the long-prompt tier is per request.
	per := u
	per.InputTokens /= int64(reqs)
	per.OutputTokens /= int64(reqs)
	per.CacheReadTokens /= int64(reqs)
	if batch {
		per.CacheWriteTokens /= int64(reqs)
	}
	u.CostUSD = price.CostTTL(u, batch, hour)
	if p := per.InputTokens + per.CacheWriteTokens + per.CacheReadTokens; price.LongPrompt > 0 && p <= price.LongPrompt {
		// Whole-run totals pass the threshold though no request does.
		long := price
		long.LongPrompt = 0
		u.CostUSD = long.CostTTL(u, batch, hour)
	}
	e.Usage = u
	return e
}

// sender adapts the Messages API to classify.Sender.
type sender struct{ c *Classifier }

// Send implements classify.Sender with one Messages call.
func (s sender) Send(ctx context.Context, items []classify.WireItem) (classify.Answer, error) {
	c := s.c
	var raw *http.Response
	sh := c.shape()
	msg, err := c.client.Messages.New(ctx, sh.params(items), option.WithResponseInto(&raw))
	if raw != nil {
		observe(c.limiter, raw.Header, raw.StatusCode)
	}
	if err != nil && raw != nil && raw.StatusCode/100 == 2 && ctx.Err() == nil {
		// The answer arrived and was billed, but could not be read: count
		// what it most likely cost before the request is asked again.
		est := c.requestCost(items)
		c.cfg.Budget.Charge(est)
		return classify.Answer{}, fault.Retryable(fmt.Errorf("claude: unreadable answer (billed, about $%.4f counted against --max-cost): %w", est, err), 0)
	}
	if err != nil {
		err = classifyErr(ctx, err, c.limiter)
		if sh.strict && grammarTooLarge(err) && c.loose.CompareAndSwap(false, true) {
			if c.cfg.Warnf != nil {
				c.cfg.Warnf("claude: the API refused the strict tool schema (%v); sending it without strict from now on", err)
			}
			return classify.Answer{}, fault.Retryable(err, 0)
		}
		return classify.Answer{}, err
	}
	return answerOf(msg, c.price, false, false), nil
}

// grammarTooLarge reports whether err is the API refusing a strict schema it
// cannot compile ("The compiled grammar is too large", "schema is too
// complex"): a 400 that the same schema gets every time.
func grammarTooLarge(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "http 400") && (strings.Contains(msg, "grammar") || strings.Contains(msg, "schema is too") || strings.Contains(msg, "too complex"))
}

// answerOf turns a message into an Answer: the tool call's results, whether
// the output limit cut it or the model refused, and its usage priced (cache
// writes at the 1-hour price when hour, unless the API's breakdown says
// otherwise).
func answerOf(msg *anthropic.Message, price classify.Price, batch, hour bool) classify.Answer {
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
	switch msg.StopReason {
	case anthropic.StopReasonMaxTokens:
		ans.Truncated = true
	case anthropic.StopReasonRefusal:
		ans.Refused = true
	}
	u := classify.Usage{
		Requests:         1,
		InputTokens:      msg.Usage.InputTokens,
		CacheWriteTokens: msg.Usage.CacheCreationInputTokens,
		CacheReadTokens:  msg.Usage.CacheReadInputTokens,
		OutputTokens:     msg.Usage.OutputTokens,
	}
	// One lifetime per request: the API's breakdown says which, else the
	// caller's.
	switch cc := msg.Usage.CacheCreation; {
	case cc.Ephemeral1hInputTokens > 0 && cc.Ephemeral5mInputTokens == 0:
		hour = true
	case cc.Ephemeral5mInputTokens > 0:
		hour = false
	}
	u.CostUSD = price.CostTTL(u, batch, hour)
	ans.Usage = u
	return ans
}

// classifyErr sorts an SDK error by behaviour (package fault): retryable
// (429 with its retry-after, 408, 409, 5xx, 529 overloaded, connection
// errors, a per-attempt timeout while ctx is live), unavailable and so
// fatal (401, 403, 404: no point in trying again; a spend limit reached),
// or no-retry (any other 4xx: this request is wrong). An x-should-retry
// header overrides the status either way, as the SDK's own retry loop does.
func classifyErr(ctx context.Context, err error, lim *classify.Limiter) error {
	if ctx.Err() != nil {
		return err
	}
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) {
		// Connection refused, reset, EOF, or the HTTP client's own timeout
		// for this attempt (the run's context is still live).
		return fault.Retryable(fmt.Errorf("claude: %w", err), 0)
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
	if spendLimit(apiErr) {
		// Every later request fails the same way until the limit is raised
		// or resets: stop, with what was classified so far cached.
		return fault.MarkFatal(fmt.Errorf("%w: spend limit reached (%v); raise the limit on the Claude Console's Billing page or wait until it resets, then run again", classify.ErrUnavailable, e))
	}
	ra := classify.ParseRetryAfter(h, time.Now())
	switch h.Get("x-should-retry") {
	case "true":
		if apiErr.StatusCode == http.StatusTooManyRequests && lim != nil {
			lim.Pause(ra)
		}
		return fault.Retryable(e, ra)
	case "false":
		if apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden {
			break
		}
		return fault.MarkNoRetry(fmt.Errorf("%w (x-should-retry: false)", e))
	}
	switch s := apiErr.StatusCode; {
	case s == http.StatusTooManyRequests:
		if lim != nil {
			lim.Pause(ra)
		}
		return fault.Retryable(e, ra)
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return fmt.Errorf("%w: API key rejected (%v)", classify.ErrUnavailable, e)
	case s == http.StatusNotFound:
		return fmt.Errorf("%w: %v", classify.ErrUnavailable, errors.Join(e, err))
	case s == http.StatusRequestTimeout || s == http.StatusConflict || s >= 500:
		return fault.Retryable(e, ra)
	}
	return fault.MarkNoRetry(e) // 400 and other 4xx: the same request fails the same way
}

// spendLimit reports whether apiErr says a spend limit was reached: the
// error codes the SDK documents (429 enforced_spend_limit_reached when the
// organization crossed its tier's monthly threshold, 429
// contract_spend_limit_reached, 402 linked_organization_spend_limit_reached)
// or the 400 "You have reached your specified ... API usage limits" of a
// limit set in the Console.
func spendLimit(apiErr *anthropic.Error) bool {
	switch apiErr.ErrorCode() {
	case anthropic.ErrorCodeEnforcedSpendLimitReached, anthropic.ErrorCodeContractSpendLimitReached, anthropic.ErrorCodeLinkedOrganizationSpendLimitReached:
		return true
	}
	m := strings.ToLower(apiErr.Message)
	return strings.Contains(m, "spend limit") || strings.Contains(m, "api usage limits")
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
