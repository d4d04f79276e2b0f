// Package fake holds test servers that speak the wire protocols of the LLM
// backends (Anthropic Messages and Message Batches, OpenAI chat
// completions), bill like them, keep an account of what was asked and
// inject faults on demand. Tests drive the real client code against them.
//
// They behave as the services document: a strict tool's input always
// matches the schema sent (NoGrammar turns that off); a forced tool_choice
// while the model thinks is a 400 (Claude Haiku 5.5 thinks unless thinking
// is disabled); the prompt cache has a minimum length by model, expires
// after its 5-minute or 1-hour lifetime from last use, and is readable only
// once the response that wrote it is sent; tokens are counted ~30% higher
// for the newer tokenizer (Haiku 5.5). Faults include refusals, spend-limit
// 429s, x-should-retry on either side of the status, billed 200s with a cut
// body, a deleted batch's 404, invalid and max_tokens-cut batch results, a
// 413 over the batch byte limit, failing batch lists, x-api-key-only
// gateways, and an OpenAI-compatible server that truncates a prompt longer
// than its context (as Ollama does) or refuses it (as vLLM does).
package fake
