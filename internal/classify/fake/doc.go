// Package fake holds test servers that speak the wire protocols of the LLM
// backends (Anthropic Messages and Message Batches, OpenAI chat
// completions), bill like them, keep an account of what was asked and
// inject faults on demand. Tests drive the real client code against them.
package fake
