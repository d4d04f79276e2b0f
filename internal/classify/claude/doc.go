// Package claude is the Anthropic backend: the Messages API (claude) and the
// Message Batches API at half price (claude-batch), on the official Go SDK.
//
// Each request carries many terms as {"terms":[{key,text,pos,context}]} and
// forces one tool call whose input lists a compact result per key. The
// versioned system prompt (classify.SystemPrompt) is marked for prompt
// caching only when tools plus system reach the model's minimum cacheable
// length; the exact length comes from a count_tokens call made by Check.
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
