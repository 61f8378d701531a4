package sim

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/lessonlab/lessonl/internal/llm"
)

// maxBody bounds a request body the sim server reads.
const maxBody = 32 << 20

// maxChoices bounds n in a chat request to the sim server.
const maxChoices = 16

// Handler serves the sim over the llm.OpenAI wire format: GET /v1/models,
// GET /v1/models/{id}, POST /v1/chat/completions (not streamed) and POST
// /v1/embeddings, with usage filled in and errors in llm.OpenAI's error shape.
// Every model is listed as owned by Owner. An Authorization header is
// accepted and ignored. Requests are logged to log (nil: silent), without
// headers or prompts.
func Handler(s *Sim, log *slog.Logger) http.Handler {
	h := &simServer{sim: s, log: log}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", h.models)
	mux.HandleFunc("GET /v1/models/{id...}", h.model)
	mux.HandleFunc("POST /v1/chat/completions", h.chat)
	mux.HandleFunc("POST /v1/embeddings", h.embeddings)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, http.StatusNotFound, "invalid_request_error", "not_found",
			fmt.Sprintf("the lessonl simulator does not serve %s %s", r.Method, r.URL.Path))
	})
	return mux
}

// Serve serves the sim on ln until ctx ends, then shuts down
// gracefully (requests in flight get five seconds to finish). It is what
// `lessonl serve-sim` runs.
func Serve(ctx context.Context, ln net.Listener, s *Sim, log *slog.Logger) error {
	srv := &http.Server{Handler: Handler(s, log), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve sim on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down sim server: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve sim on %s: %w", ln.Addr(), err)
	}
	return nil
}

type simServer struct {
	sim *Sim
	log *slog.Logger
}

func (h *simServer) logf(r *http.Request, model string, status int, start time.Time) {
	if h.log != nil {
		h.log.Info("sim request", "method", r.Method, "path", r.URL.Path, "model", model,
			"status", status, "took", time.Since(start).Round(time.Microsecond))
	}
}

type apiError struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    string  `json:"code,omitempty"`
}

func writeAPIError(w http.ResponseWriter, status int, typ, code, msg string) {
	writeJSON(w, status, map[string]apiError{"error": {Message: msg, Type: typ, Code: code}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

type wireModel struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

func (h *simServer) models(w http.ResponseWriter, r *http.Request) {
	var data []wireModel
	for _, m := range h.sim.Models() {
		data = append(data, wireModel{ID: m, Object: "model", OwnedBy: Owner})
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
}

func (h *simServer) model(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	for _, m := range h.sim.Models() {
		if m == id {
			writeJSON(w, http.StatusOK, wireModel{ID: m, Object: "model", OwnedBy: Owner})
			return
		}
	}
	writeAPIError(w, http.StatusNotFound, "invalid_request_error", "model_not_found",
		fmt.Sprintf("the model %q does not exist in the lessonl simulator", id))
}

// wireChat is a chat completion request as the llm.OpenAI API documents it.
type wireChat struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Temperature         *float64        `json:"temperature"`
	TopP                *float64        `json:"top_p"`
	MaxTokens           *int            `json:"max_tokens"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
	Seed                *int64          `json:"seed"`
	Stop                json.RawMessage `json:"stop"`
	FrequencyPenalty    *float64        `json:"frequency_penalty"`
	N                   *int            `json:"n"`
	Stream              bool            `json:"stream"`
}

// content reads a message's content: a string, or an array of parts of
// which the text parts are joined.
func content(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", errors.New("content must be a string or an array of text parts")
	}
	var b strings.Builder
	for _, p := range parts {
		if p.Type == "text" {
			b.WriteString(p.Text)
		}
	}
	return b.String(), nil
}

func stopList(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return []string{s}, nil
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, errors.New("stop must be a string or an array of strings")
	}
	return l, nil
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("the request body is not valid JSON: %v", err)
	}
	return nil
}

func (h *simServer) chat(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var wc wireChat
	fail := func(status int, code, msg string) {
		writeAPIError(w, status, "invalid_request_error", code, msg)
		h.logf(r, wc.Model, status, start)
	}
	if err := decodeBody(w, r, &wc); err != nil {
		fail(http.StatusBadRequest, "invalid_json", err.Error())
		return
	}
	if wc.Model == "" {
		fail(http.StatusBadRequest, "missing_model", "you must provide a model parameter")
		return
	}
	if _, ok := h.sim.Profile(wc.Model); !ok {
		fail(http.StatusNotFound, "model_not_found", fmt.Sprintf("the model %q does not exist in the lessonl simulator (see /v1/models)", wc.Model))
		return
	}
	if wc.Stream {
		fail(http.StatusBadRequest, "stream_unsupported", "the lessonl simulator does not stream; send stream: false")
		return
	}
	if len(wc.Messages) == 0 {
		fail(http.StatusBadRequest, "missing_messages", "messages must not be empty")
		return
	}
	req := llm.Request{Model: wc.Model, Temperature: 1}
	cues, err := llm.DecodeCues(r.Header.Get(llm.CuesHeader))
	if err != nil {
		fail(http.StatusBadRequest, "invalid_cues", err.Error())
		return
	}
	req.Cues = cues
	for i, m := range wc.Messages {
		c, err := content(m.Content)
		if err != nil {
			fail(http.StatusBadRequest, "invalid_content", fmt.Sprintf("messages[%d]: %v", i, err))
			return
		}
		req.Messages = append(req.Messages, llm.Message{Role: m.Role, Content: c})
	}
	if wc.Temperature != nil {
		req.Temperature = *wc.Temperature
	}
	if wc.TopP != nil {
		req.TopP = *wc.TopP
	}
	if wc.MaxTokens != nil {
		req.MaxTokens = *wc.MaxTokens
	}
	if wc.MaxCompletionTokens != nil {
		req.MaxTokens = *wc.MaxCompletionTokens
	}
	if wc.Seed != nil {
		req.Seed = *wc.Seed
	}
	if wc.FrequencyPenalty != nil {
		req.FrequencyPenalty = *wc.FrequencyPenalty
	}
	stop, err := stopList(wc.Stop)
	if err != nil {
		fail(http.StatusBadRequest, "invalid_stop", err.Error())
		return
	}
	req.Stop = stop
	n := 1
	if wc.N != nil {
		n = *wc.N
	}
	if n < 1 || n > maxChoices {
		fail(http.StatusBadRequest, "invalid_n", fmt.Sprintf("n must be between 1 and %d", maxChoices))
		return
	}
	type wireChoice struct {
		Index        int             `json:"index"`
		Message      llm.Message     `json:"message"`
		FinishReason string          `json:"finish_reason"`
		Logprobs     json.RawMessage `json:"logprobs"`
	}
	var choices []wireChoice
	prompt, completion := 0, 0
	for i := 0; i < n; i++ {
		ri := req
		ri.Sample = i
		resp, err := h.sim.Chat(r.Context(), ri)
		var bad badCues
		switch {
		case errors.Is(err, ErrNoCues):
			fail(http.StatusBadRequest, "no_cues", err.Error())
			return
		case errors.As(err, &bad):
			fail(http.StatusBadRequest, "invalid_cues", err.Error())
			return
		case err != nil:
			writeAPIError(w, http.StatusInternalServerError, "server_error", "", err.Error())
			h.logf(r, wc.Model, http.StatusInternalServerError, start)
			return
		}
		prompt = resp.PromptTokens
		completion += resp.CompletionTokens
		choices = append(choices, wireChoice{Index: i, Message: llm.Message{Role: "assistant", Content: resp.Text},
			FinishReason: resp.FinishReason, Logprobs: json.RawMessage("null")})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id":                 "chatcmpl-sim-" + llm.RequestKey(req)[:16],
		"object":             "chat.completion",
		"created":            time.Now().Unix(),
		"model":              wc.Model,
		"system_fingerprint": Owner,
		"choices":            choices,
		"usage": map[string]int{
			"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
		},
	})
	h.logf(r, wc.Model, http.StatusOK, start)
}

func (h *simServer) embeddings(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var we struct {
		Model          string          `json:"model"`
		Input          json.RawMessage `json:"input"`
		EncodingFormat string          `json:"encoding_format"`
	}
	fail := func(status int, code, msg string) {
		writeAPIError(w, status, "invalid_request_error", code, msg)
		h.logf(r, we.Model, status, start)
	}
	if err := decodeBody(w, r, &we); err != nil {
		fail(http.StatusBadRequest, "invalid_json", err.Error())
		return
	}
	known := false
	for _, m := range h.sim.Models() {
		known = known || m == we.Model
	}
	if !known {
		fail(http.StatusNotFound, "model_not_found", fmt.Sprintf("the model %q does not exist in the lessonl simulator (see /v1/models)", we.Model))
		return
	}
	var texts []string
	var one string
	if err := json.Unmarshal(we.Input, &one); err == nil {
		texts = []string{one}
	} else if err := json.Unmarshal(we.Input, &texts); err != nil || len(texts) == 0 {
		fail(http.StatusBadRequest, "invalid_input", "input must be a string or a non-empty array of strings")
		return
	}
	if we.EncodingFormat != "" && we.EncodingFormat != "float" && we.EncodingFormat != "base64" {
		fail(http.StatusBadRequest, "invalid_encoding_format", "encoding_format must be float or base64")
		return
	}
	vecs, err := h.sim.Embed(r.Context(), texts)
	if err != nil {
		writeAPIError(w, http.StatusInternalServerError, "server_error", "", err.Error())
		return
	}
	data := make([]map[string]any, len(vecs))
	tokens := 0
	for i, v := range vecs {
		tokens += llm.EstimateTokens(texts[i])
		var emb any
		if we.EncodingFormat == "base64" {
			var buf bytes.Buffer
			for _, x := range v {
				_ = binary.Write(&buf, binary.LittleEndian, math.Float32bits(float32(x)))
			}
			emb = base64.StdEncoding.EncodeToString(buf.Bytes())
		} else {
			f := make([]float32, len(v))
			for j, x := range v {
				f[j] = float32(x)
			}
			emb = f
		}
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": emb}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"object": "list", "data": data, "model": we.Model,
		"usage": map[string]int{"prompt_tokens": tokens, "total_tokens": tokens},
	})
	h.logf(r, we.Model, http.StatusOK, start)
}
