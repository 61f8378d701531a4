// Package llm is lessonl's LLM layer: a small Provider interface that
// every strategy talks to, and the providers behind it — openai (any
// OpenAI-compatible endpoint) and replay (answers recorded calls) here,
// the simulated team in package sim beside it — plus the middleware real endpoints need (retries with backoff
// and jitter that honour Retry-After, a per-endpoint concurrency limit, a
// per-attempt timeout, usage accounting) and ExtractCode, which takes the
// candidate code out of a reply.
//
// A strategy sees only Provider.Chat and Embedder.Embed, never go-openai,
// so the same strategy code runs against vLLM, OpenAI, the simulator or a
// replay. API keys are read from the environment variable a configuration
// names (OpenAIConfig.APIKeyEnv) and are held only inside the HTTP
// client: no struct that may be printed, logged or recorded contains one,
// and error messages are scrubbed of it.
//
// The simulated team lives in package internal/llm/sim, documented there.
// It reads a request through its cues (Request.Cues; cues.go names them),
// which the OpenAI client sends in CuesHeader (EncodeCues) and real
// servers ignore.
package llm
