// Package openai is the backend for OpenAI-compatible chat-completions
// endpoints (OpenAI, Ollama, vLLM, llama.cpp server) with JSON-schema output.
//
// It is a small hand-written client for the one endpoint it needs
// (POST /chat/completions, GET /models for the up-front check) rather than
// github.com/openai/openai-go/v3: that SDK works, but costs about two
// minutes of cold build and 30 MB of module source for four request fields
// and three response fields, and its generated types track OpenAI's own API
// more closely than the compatible servers do. Batching, retries, pacing,
// validation and re-asking are the shared classify.Engine, exactly as for
// the claude backend.
package openai
