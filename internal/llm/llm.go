package llm

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"time"
)

// Provider answers chat requests. Implementations are safe for concurrent
// use. On failure Chat still returns what it knows about the call in the
// Response (attempts made, time spent) beside the error.
type Provider interface {
	Chat(ctx context.Context, req Request) (Response, error)
}

// Embedder turns texts into vectors, one per text, for lesson relevance.
// Its method value fits lessons.EmbedFunc.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float64, error)
}

// ProviderFunc adapts a function to Provider.
type ProviderFunc func(ctx context.Context, req Request) (Response, error)

// Chat implements Provider.
func (f ProviderFunc) Chat(ctx context.Context, req Request) (Response, error) { return f(ctx, req) }

// Message is one chat message.
type Message struct {
	Role    string `json:"role"` // system, user or assistant
	Content string `json:"content"`
}

// Request is one chat completion request. Zero sampling fields mean "not
// set" except Temperature, which is always sent (0 is greedy decoding) and
// Seed, which is sent unless NoSeed is set.
type Request struct {
	// Model names the model; providers configured with a model use theirs
	// when this is empty.
	Model    string    `json:"model"`
	Messages []Message `json:"messages"`

	Temperature float64 `json:"temperature"`
	// NoTemperature sends no temperature at all (the server's default),
	// as the authors' GPT-4o aggregator call does; Temperature is then
	// ignored.
	NoTemperature bool    `json:"no_temperature,omitempty"`
	TopP          float64 `json:"top_p,omitempty"`
	MaxTokens     int     `json:"max_tokens,omitempty"`
	// MaxCompletionTokens sends MaxTokens as max_completion_tokens, as
	// the authors' lesson calls do (agents/agent_vllm.py reason()).
	MaxCompletionTokens bool  `json:"max_completion_tokens,omitempty"`
	Seed                int64 `json:"seed"`
	// NoSeed sends no seed at all (spec seed: none, as the authors' code
	// does); Seed is then ignored.
	NoSeed           bool     `json:"no_seed,omitempty"`
	Stop             []string `json:"stop,omitempty"`
	FrequencyPenalty float64  `json:"frequency_penalty,omitempty"`

	// Sample distinguishes repeated identical requests (best-of-n draws):
	// the seed sent to a server is Seed+Sample (see WireSeed), and replay
	// keys recordings by it.
	Sample int `json:"sample,omitempty"`
	// Agent is the caller's name for the agent, used only in logs and
	// usage accounting; it is never sent to a server.
	Agent string `json:"agent,omitempty"`

	// Cell and Ordinal place the request in its run: the cell's ID and the
	// call's 1-based ordinal among its agent's calls in the cell (an
	// agent's calls are sequential, so concurrency among agents never
	// changes it). Replay keys recordings by them with Agent; they are
	// never sent in a request's body.
	Cell    string `json:"cell,omitempty"`
	Ordinal int    `json:"ordinal,omitempty"`
	// Purpose is what the call is for in its strategy (optimize, lesson,
	// vote...); replay checks it against the recorded call's. Never sent.
	Purpose string `json:"purpose,omitempty"`

	// Cues mark, by position in Messages, the parts of a prompt a
	// simulator reads (the code to rewrite, lessons, feedback, plans), so
	// that the sim follows what a template says it put there rather than
	// its wording. They never change a message's text; over HTTP they
	// travel in the CuesHeader, which real servers ignore.
	Cues []Cue `json:"cues,omitempty"`
}

// Cue marks one part of a prompt: the bytes [Start, End) of message
// Message's content hold the cue's Name (see the cue names in
// package strategy's templates).
type Cue struct {
	Name    string `json:"name"`
	Message int    `json:"message"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// CuesHeader is the HTTP header that carries a request's cues to an
// OpenAI-compatible server. Only the simulator reads it; the body a
// server sees is the same with or without it.
const CuesHeader = "X-Lessonl-Cues"

// WireSeed is the seed a request carries to a server: Seed+Sample, so that
// repeated draws of one prompt differ while each stays reproducible.
func (r Request) WireSeed() int64 { return r.Seed + int64(r.Sample) }

// Response is a model's answer with what it cost.
type Response struct {
	Text             string `json:"text"`
	Model            string `json:"model,omitempty"`
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
	// UsageEstimated is true when the server reported no usage and the
	// token counts are EstimateTokens' guesses.
	UsageEstimated bool          `json:"usage_estimated,omitempty"`
	Latency        time.Duration `json:"latency"`
	FinishReason   string        `json:"finish_reason,omitempty"`
	// Attempts is how many times the request was sent (1 without retries).
	Attempts int `json:"attempts"`
}

// ErrUnknownModel is returned for a model a provider does not serve.
var ErrUnknownModel = errors.New("unknown model")

// EstimateTokens guesses the token count of text the way OpenAI's own
// rule of thumb does: about four bytes of English or code per token,
// rounded up. It is used only where a server gives no usage, and by the
// simulator, whose usage is this estimate by definition.
func EstimateTokens(text string) int {
	return (len(text) + 3) / 4
}

// EstimatePromptTokens guesses a prompt's token count: each message's
// text plus four tokens of chat framing per message and three for the
// reply's start, as OpenAI's chat format counts them.
func EstimatePromptTokens(msgs []Message) int {
	n := 3
	for _, m := range msgs {
		n += 4 + EstimateTokens(m.Role) + EstimateTokens(m.Content)
	}
	return n
}

// RequestKey hashes what determines a request's answer apart from the
// model and the sample index: the messages and the sampling parameters.
// Replay looks recordings up by (model, RequestKey, sample).
func RequestKey(req Request) string {
	h := sha256.New()
	str := func(s string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	num := func(x uint64) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], x)
		h.Write(n[:])
	}
	num(uint64(len(req.Messages)))
	for _, m := range req.Messages {
		str(m.Role)
		str(m.Content)
	}
	num(math.Float64bits(req.Temperature))
	num(math.Float64bits(req.TopP))
	num(uint64(req.MaxTokens))
	num(uint64(req.Seed))
	num(uint64(len(req.Stop)))
	for _, s := range req.Stop {
		str(s)
	}
	num(math.Float64bits(req.FrequencyPenalty))
	// Only when set, so that the keys of existing recordings hold.
	if req.NoTemperature {
		str("no_temperature")
	}
	if req.MaxCompletionTokens {
		str("max_completion_tokens")
	}
	return hex.EncodeToString(h.Sum(nil))
}
