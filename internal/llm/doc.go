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
// Real endpoints fail loudly. A reply with no choices or no content, a
// 429, a 5xx, a refused or reset connection, an attempt past its timeout
// (DefaultTimeout) and an answer whose bytes stall (DefaultStall) are
// retried; a server that is unreachable (refused, 502, 503, 504) is
// retried for RetryPolicy.MaxWait however many attempts that takes.
// OpenAI.Models, Ping and PingEmbed check an endpoint before a run, and
// WaitReady waits for a server still loading its model.
//
// Replay answers a request by its place in the run (cell, agent, call
// ordinal), checking purpose and model, so a run replays exactly even
// where a prompt quotes a number measured again; ReplayStats counts the
// prompts that differed and the misses.
//
// The simulated team lives in package internal/llm/sim, documented there.
// It reads a request through its cues (Request.Cues; cues.go names them),
// which the OpenAI client sends in CuesHeader (EncodeCues) and real
// servers ignore.
package llm
