package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// OpenAIConfig configures an OpenAI-compatible endpoint (vLLM, SGLang,
// Ollama, llama.cpp's server, OpenAI itself, or `lessonl serve-sim`).
//
// The API key is never part of the configuration: APIKeyEnv holds the
// name of the environment variable to read it from, so a printed or
// recorded configuration cannot leak it.
type OpenAIConfig struct {
	// BaseURL is the API root, e.g. http://127.0.0.1:8000/v1; a URL with
	// no path gets /v1.
	BaseURL string `json:"base_url"`
	// Model is used when a request names none.
	Model string `json:"model,omitempty"`
	// EmbeddingModel is the model Embed asks for; Model when empty.
	EmbeddingModel string `json:"embedding_model,omitempty"`
	// APIKeyEnv is the name of the environment variable holding the API
	// key; empty for servers without authentication.
	APIKeyEnv string `json:"api_key_env,omitempty"`
	// Timeout bounds each attempt; 0 means DefaultTimeout.
	Timeout time.Duration `json:"timeout,omitempty"`
	// Stall bounds the silence within an answer's body: once the server
	// has started answering, no byte for this long fails the attempt as
	// ErrStalled (retried like a timeout); 0 means DefaultStall.
	Stall time.Duration `json:"stall,omitempty"`
	// MaxConcurrency bounds the calls in flight to this endpoint, shared
	// by every provider with the same BaseURL (see EndpointLimit); 0 is
	// no bound.
	MaxConcurrency int         `json:"max_concurrency,omitempty"`
	Retry          RetryPolicy `json:"retry"`

	// Limit, when set, is used instead of EndpointLimit(BaseURL, ...).
	Limit *Semaphore `json:"-"`
	// Meter, when set, counts every call under provider "openai".
	Meter *Meter `json:"-"`
	// Logger receives retries (warn) and finished calls (debug); nil is
	// silent. Keys, headers and prompts are never logged.
	Logger *slog.Logger `json:"-"`
	// HTTPClient replaces the default client (which has no overall
	// timeout; Timeout bounds attempts).
	HTTPClient *http.Client `json:"-"`
}

// DefaultTimeout bounds one attempt of a call unless an agent says
// otherwise: long enough for a large model to write a few thousand tokens
// unstreamed, short enough that a server that accepted the connection and
// never answers costs minutes, not the run.
const DefaultTimeout = 3 * time.Minute

// DefaultStall is how long an answer's body may stop sending bytes before
// the attempt counts as stalled.
const DefaultStall = time.Minute

// OpenAI is a Provider and Embedder over an OpenAI-compatible HTTP API,
// built on go-openai, with retries, a per-endpoint concurrency limit, a
// per-attempt timeout and usage accounting.
type OpenAI struct {
	baseURL, model, embedModel string
	timeout                    time.Duration
	retry                      RetryPolicy
	limit                      *Semaphore
	log                        *slog.Logger
	client                     *openai.Client
	chat                       Provider
	// redact removes the API key from text; the key lives only in this
	// closure and inside go-openai's client, never in a printable field.
	redact func(string) string
}

// NewOpenAI returns a provider for cfg. It reads the API key from the
// environment variable cfg.APIKeyEnv names, and fails if that variable is
// unset or empty.
func NewOpenAI(cfg OpenAIConfig) (*OpenAI, error) {
	base, err := normalizeBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	key := ""
	if cfg.APIKeyEnv != "" {
		key = os.Getenv(cfg.APIKeyEnv)
		if key == "" {
			return nil, fmt.Errorf("openai provider for %s: environment variable %s (api_key_env) is not set", base, cfg.APIKeyEnv)
		}
	}
	hc := cfg.HTTPClient
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = max(cfg.MaxConcurrency, 16)
		hc = &http.Client{Transport: tr}
	}
	oc := openai.DefaultConfig(key)
	oc.BaseURL = base
	stall := cfg.Stall
	if stall <= 0 {
		stall = DefaultStall
	}
	oc.HTTPClient = noteDoer{c: hc, stall: stall}
	o := &OpenAI{
		baseURL: base, model: cfg.Model, embedModel: cmpOr(cfg.EmbeddingModel, cfg.Model),
		timeout: cfg.Timeout, retry: cfg.Retry.withDefaults(), limit: cfg.Limit, log: cfg.Logger,
		client: openai.NewClientWithConfig(oc),
		redact: func(s string) string {
			if key == "" {
				return s
			}
			return strings.ReplaceAll(s, key, "[redacted]")
		},
	}
	if o.timeout <= 0 {
		o.timeout = DefaultTimeout
	}
	if o.limit == nil && cfg.MaxConcurrency > 0 {
		o.limit = EndpointLimit(base, cfg.MaxConcurrency)
	}
	o.chat = Chain(ProviderFunc(o.chatOnce),
		WithUsage(cfg.Meter, "openai"),
		WithRetry(o.retry, o.log),
		WithLimit(o.limit),
		WithTimeout(o.timeout))
	return o, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func normalizeBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", errors.New("openai provider: base_url is missing")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("openai provider: base_url %q is not an http(s) URL", raw)
	}
	if strings.Trim(u.Path, "/") == "" {
		u.Path = "/v1"
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// String names the endpoint and model, and nothing secret.
func (o *OpenAI) String() string { return fmt.Sprintf("openai(%s, %s)", o.baseURL, o.model) }

// GoString is String, so %#v prints nothing secret either.
func (o *OpenAI) GoString() string { return o.String() }

// Chat implements Provider.
func (o *OpenAI) Chat(ctx context.Context, req Request) (Response, error) {
	if req.Model == "" {
		req.Model = o.model
	}
	if req.Model == "" {
		return Response{}, fmt.Errorf("openai chat at %s: no model in the request or the config", o.baseURL)
	}
	resp, err := o.chat.Chat(ctx, req)
	if o.log != nil {
		o.log.Debug("llm call", "endpoint", o.baseURL, "model", req.Model, "agent", req.Agent,
			"attempts", resp.Attempts, "prompt_tokens", resp.PromptTokens,
			"completion_tokens", resp.CompletionTokens, "latency", resp.Latency, "ok", err == nil)
	}
	if err != nil {
		return resp, fmt.Errorf("openai chat with %s at %s: %w", req.Model, o.baseURL, err)
	}
	return resp, nil
}

// reasoningModel reports whether OpenAI treats model as a reasoning model,
// which takes max_completion_tokens and no sampling parameters.
func reasoningModel(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// wireRequest is req in go-openai's shape. go-openai drops a zero
// temperature (omitempty), which servers read as their default (often
// 1.0), so 0 is sent as the smallest positive float32, which every server
// treats as greedy decoding.
func wireRequest(req Request) openai.ChatCompletionRequest {
	msgs := make([]openai.ChatCompletionMessage, len(req.Messages))
	for i, m := range req.Messages {
		msgs[i] = openai.ChatCompletionMessage{Role: m.Role, Content: m.Content}
	}
	w := openai.ChatCompletionRequest{Model: req.Model, Messages: msgs, Stop: req.Stop}
	if !req.NoSeed {
		seed := int(req.WireSeed())
		w.Seed = &seed
	}
	if reasoningModel(req.Model) {
		w.MaxCompletionTokens = req.MaxTokens
		return w
	}
	if req.MaxCompletionTokens {
		w.MaxCompletionTokens = req.MaxTokens
	} else {
		w.MaxTokens = req.MaxTokens
	}
	w.Temperature = float32(req.Temperature)
	if req.NoTemperature {
		// go-openai leaves a zero temperature out of the body.
		w.Temperature = 0
	} else if w.Temperature == 0 {
		w.Temperature = math.SmallestNonzeroFloat32
	}
	w.TopP = float32(req.TopP)
	w.FrequencyPenalty = float32(req.FrequencyPenalty)
	return w
}

// chatOnce is one attempt.
func (o *OpenAI) chatOnce(ctx context.Context, req Request) (Response, error) {
	note := &attemptNote{}
	if len(req.Cues) > 0 {
		note.cues = EncodeCues(req.Cues)
	}
	ctx = context.WithValue(ctx, noteKey{}, note)
	start := time.Now()
	cr, err := o.client.CreateChatCompletion(ctx, wireRequest(req))
	resp := Response{Model: req.Model, Latency: time.Since(start), Attempts: 1}
	if err != nil {
		return resp, o.convertErr(err, note)
	}
	if len(cr.Choices) == 0 {
		return resp, ErrNoChoices
	}
	ch := cr.Choices[0]
	if ch.Message.Content == "" {
		return resp, fmt.Errorf("%w (finish reason %q)", ErrNoContent, ch.FinishReason)
	}
	resp.Text = ch.Message.Content
	resp.FinishReason = string(ch.FinishReason)
	if cr.Model != "" {
		resp.Model = cr.Model
	}
	resp.PromptTokens, resp.CompletionTokens = cr.Usage.PromptTokens, cr.Usage.CompletionTokens
	if resp.PromptTokens == 0 && resp.CompletionTokens == 0 && cr.Usage.TotalTokens == 0 {
		resp.PromptTokens = EstimatePromptTokens(req.Messages)
		resp.CompletionTokens = EstimateTokens(resp.Text)
		resp.UsageEstimated = true
	}
	return resp, nil
}

// Embed implements Embedder with the configured embedding model, under the
// same retries, limit and timeout as Chat.
func (o *OpenAI) Embed(ctx context.Context, texts []string) ([][]float64, error) {
	if o.embedModel == "" {
		return nil, fmt.Errorf("openai embed at %s: no embedding model configured", o.baseURL)
	}
	if len(texts) == 0 {
		return nil, nil
	}
	var out [][]float64
	_, err := retry(ctx, o.retry, o.log, "embed "+o.embedModel, func(ctx context.Context) error {
		if o.limit != nil {
			if err := o.limit.Acquire(ctx); err != nil {
				return fmt.Errorf("wait for a free slot on the endpoint: %w", err)
			}
			defer o.limit.Release()
		}
		actx, cancel := context.WithTimeout(ctx, o.timeout)
		defer cancel()
		note := &attemptNote{}
		res, err := o.client.CreateEmbeddings(context.WithValue(actx, noteKey{}, note),
			openai.EmbeddingRequestStrings{Input: texts, Model: openai.EmbeddingModel(o.embedModel)})
		if err != nil {
			return attemptErr(ctx, actx, o.timeout, o.convertErr(err, note))
		}
		if len(res.Data) != len(texts) {
			return fmt.Errorf("the server returned %d embeddings for %d texts", len(res.Data), len(texts))
		}
		out = make([][]float64, len(texts))
		for _, d := range res.Data {
			if d.Index < 0 || d.Index >= len(texts) || out[d.Index] != nil {
				return fmt.Errorf("the server returned a bad embedding index %d", d.Index)
			}
			v := make([]float64, len(d.Embedding))
			for i, x := range d.Embedding {
				v[i] = float64(x)
			}
			out[d.Index] = v
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("openai embed with %s at %s: %w", o.embedModel, o.baseURL, err)
	}
	return out, nil
}

// convertErr turns go-openai's errors into StatusError (with the server's
// message and Retry-After) or a redacted transport error.
func (o *OpenAI) convertErr(err error, note *attemptNote) error {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return &StatusError{Code: cmpInt(apiErr.HTTPStatusCode, note.status), Message: o.redact(truncate(apiErr.Message, 500)), RetryAfter: note.retryAfter}
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		msg := strings.TrimSpace(string(reqErr.Body))
		if msg == "" && reqErr.Err != nil {
			msg = reqErr.Err.Error()
		}
		return &StatusError{Code: cmpInt(reqErr.HTTPStatusCode, note.status), Message: o.redact(truncate(msg, 500)), RetryAfter: note.retryAfter}
	}
	if msg := err.Error(); o.redact(msg) != msg {
		return &redactedError{msg: o.redact(msg), err: err}
	}
	return err
}

func cmpInt(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// redactedError hides a secret that appeared in an error's text; Unwrap
// keeps the error classifiable.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// attemptNote is what the transport saw of one attempt's answer.
type attemptNote struct {
	status     int
	retryAfter time.Duration
	cues       string // the CuesHeader noteDoer sends (go-openai has no per-request headers)
}

type noteKey struct{}

// noteDoer is the HTTP client go-openai sends through; it notes each
// answer's status and Retry-After in the attempt's context, which
// go-openai's errors do not carry, sends a request's cues in CuesHeader
// (go-openai has no per-request headers), and fails a body that stalls.
type noteDoer struct {
	c     *http.Client
	stall time.Duration
}

func (d noteDoer) Do(req *http.Request) (*http.Response, error) {
	n, noted := req.Context().Value(noteKey{}).(*attemptNote)
	if noted && n.cues != "" {
		req.Header.Set(CuesHeader, n.cues)
	}
	resp, err := d.c.Do(req)
	if err == nil {
		if noted {
			n.status = resp.StatusCode
			n.retryAfter = parseRetryAfter(resp.Header, time.Now())
		}
		if d.stall > 0 {
			resp.Body = newStallBody(resp.Body, d.stall)
		}
	}
	return resp, err
}

// ErrStalled is an answer whose bytes stopped coming for longer than the
// stall limit; it is retried like an attempt timeout.
var ErrStalled = errors.New("the answer stalled")

// stallBody closes a body that sends no byte for stall, so a read blocked
// on it returns ErrStalled instead of waiting for the attempt's timeout.
type stallBody struct {
	body    io.ReadCloser
	stall   time.Duration
	timer   *time.Timer
	stalled atomic.Bool
}

func newStallBody(body io.ReadCloser, stall time.Duration) *stallBody {
	b := &stallBody{body: body, stall: stall}
	b.timer = time.AfterFunc(stall, func() {
		b.stalled.Store(true)
		body.Close()
	})
	return b
}

func (b *stallBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	if b.stalled.Load() {
		return n, fmt.Errorf("%w: no byte for %s", ErrStalled, b.stall)
	}
	if n > 0 {
		b.timer.Reset(b.stall)
	}
	return n, err
}

func (b *stallBody) Close() error {
	b.timer.Stop()
	return b.body.Close()
}
