// Package claude is the Anthropic backend: the Messages API (claude) and the
// Message Batches API at half price (claude-batch), on the official Go SDK.
//
// Each request carries many terms as {"terms":[{key,text,pos,context}]} and
// forces one tool call whose input lists a compact result per key. The tool
// is sent with strict: true (grammar-constrained sampling: the input always
// matches the schema, energy an enum with "none"); if the API refuses the
// schema as too large to compile, the run falls back once to the same tool
// without strict and says so. The tools block never varies between
// requests, so the prompt cache holds.
//
// The default model is Claude Haiku 5.5 (claude-haiku-5-5). It thinks
// adaptively unless told not to, and the API refuses a forced tool_choice
// with thinking, so its requests send thinking {"type":"disabled"}. Models
// whose thinking is always on get tool_choice auto instead. Claude Haiku
// 4.5 stays selectable with --model.
//
// The versioned system prompt (classify.SystemPrompt) is marked for prompt
// caching only when tools plus system reach the model's minimum cacheable
// length (MinCacheTokens: 512 on Haiku 5.5, 4,096 on Haiku 4.5); the exact
// length comes from a count_tokens call made by Check. The arithmetic on
// Haiku 5.5 ($0.10/MTok input; writes $0.125 for 5 minutes, $0.20 for an
// hour; reads $0.01), with P about 9,600 tokens:
//
//	live, 5-minute cache:  1.25 P once + 0.1 P per further request;
//	                       caching pays from the 2nd request. 1,000 terms
//	                       (20 requests): $0.0012 write + $0.0018 reads.
//	batch, 1-hour cache:   requests run in parallel, hits are best effort;
//	                       a write costs 2 P, a hit 0.1 P, so caching pays
//	                       from two hits: a batch of fewer than 3 requests
//	                       marks it for 5 minutes instead. The estimate that
//	                       --max-cost reserves counts every request as a
//	                       write, the worst case.
//
// A prompt over 100,000 tokens would cost 5x on every token of its request
// (Price.LongPrompt); ours is a tenth of that.
//
// The SDK's own retries are switched off: retries, backoff and pacing live
// in classify (Limiter, Do, Engine), shared with the other backends, so one
// limiter fed by the anthropic-ratelimit-* headers and retry-after paces all
// workers.
//
// No temperature is sent: API version 2026-10-21, which SDK v2 speaks,
// rejects temperature, top_p and top_k with a 400 even at their defaults.
// Determinism comes from the forced tool call, the schema and the
// calibrated examples instead.
package claude
