package sim

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
)

// startServeSim runs Serve (what `lessonl serve-sim` runs) on a
// loopback port and returns its base URL.
func startServeSim(t *testing.T, s *Sim) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, s, nil) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// post sends a raw JSON body, as curl -d would, with cues in their
// header when given.
func post(t *testing.T, url, body string, cues ...llm.Cue) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer anything")
	if len(cues) > 0 {
		req.Header.Set(llm.CuesHeader, llm.EncodeCues(cues))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("%s: the answer is not JSON: %v", url, err)
	}
	return resp.StatusCode, m
}

func TestServeSimWireFormat(t *testing.T) {
	p, _ := builtinProblem(t)
	base := startServeSim(t, newSim(t, Config{}))
	user, _ := json.Marshal(optimizePrompt(p, "")[1].Content)

	t.Run("models", func(t *testing.T) {
		resp, err := http.Get(base + "/v1/models")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var list struct {
			Object string `json:"object"`
			Data   []struct {
				ID      string `json:"id"`
				Object  string `json:"object"`
				OwnedBy string `json:"owned_by"`
			} `json:"data"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, m := range list.Data {
			ids[m.ID] = true
			if m.Object != "model" || m.OwnedBy != "lessonl-simulator" {
				t.Errorf("model entry %+v", m)
			}
		}
		for _, id := range []string{"sim/coder-a", "sim/coder-b", "sim/coder-c", "sim/large", "sim/embed"} {
			if !ids[id] {
				t.Errorf("/v1/models lacks %s", id)
			}
		}
		if list.Object != "list" || len(list.Data) != 5 {
			t.Errorf("list %+v", list)
		}
		one, err := http.Get(base + "/v1/models/sim/coder-b")
		if err != nil {
			t.Fatal(err)
		}
		one.Body.Close()
		if one.StatusCode != 200 {
			t.Errorf("GET /v1/models/sim/coder-b: %d", one.StatusCode)
		}
	})

	t.Run("chat completion", func(t *testing.T) {
		body := fmt.Sprintf(`{"model": "sim/coder-a", "messages": [{"role": "system", "content": "You are helpful."}, {"role": "user", "content": %s}], "temperature": 0.2, "seed": 7, "max_tokens": 2000}`, user)
		status, m := post(t, base+"/v1/chat/completions", body, optimizeCues(p)...)
		if status != 200 || m["object"] != "chat.completion" || m["model"] != "sim/coder-a" || !strings.HasPrefix(fmt.Sprint(m["id"]), "chatcmpl-") {
			t.Fatalf("status %d, body %v", status, m)
		}
		choices := m["choices"].([]any)
		c0 := choices[0].(map[string]any)
		msg := c0["message"].(map[string]any)
		content := msg["content"].(string)
		if len(choices) != 1 || msg["role"] != "assistant" || c0["finish_reason"] != "stop" || c0["index"] != 0.0 {
			t.Errorf("choice %v", c0)
		}
		if _, ok := llm.ExtractCode(content, p.Function); !ok {
			t.Errorf("no code in %q", content)
		}
		u := m["usage"].(map[string]any)
		pt, ct, tt := u["prompt_tokens"].(float64), u["completion_tokens"].(float64), u["total_tokens"].(float64)
		if pt <= 0 || ct != float64(llm.EstimateTokens(content)) || tt != pt+ct {
			t.Errorf("usage %v", u)
		}
		// The same request, the same answer.
		_, again := post(t, base+"/v1/chat/completions", body, optimizeCues(p)...)
		if again["choices"].([]any)[0].(map[string]any)["message"].(map[string]any)["content"] != content {
			t.Error("the same request got another answer")
		}
	})

	t.Run("content parts, string stop and n", func(t *testing.T) {
		body := fmt.Sprintf(`{"model": "sim/large", "messages": [{"role": "user", "content": [{"type": "text", "text": %s}]}], "n": 3, "stop": "%s", "seed": 1}`, user, "```")
		cues := optimizeCues(p)
		for i := range cues {
			cues[i].Message = 0
		}
		status, m := post(t, base+"/v1/chat/completions", body, cues...)
		if status != 200 {
			t.Fatalf("status %d: %v", status, m)
		}
		choices := m["choices"].([]any)
		if len(choices) != 3 {
			t.Fatalf("%d choices, want 3", len(choices))
		}
		for i, c := range choices {
			cm := c.(map[string]any)
			text := cm["message"].(map[string]any)["content"].(string)
			if cm["index"] != float64(i) || strings.Contains(text, "```") || text == "" {
				t.Errorf("choice %d: %v", i, cm)
			}
		}
	})

	t.Run("embeddings", func(t *testing.T) {
		status, m := post(t, base+"/v1/embeddings", `{"model": "sim/embed", "input": ["void f() {}", "int main() { return 0; }"]}`)
		if status != 200 || m["object"] != "list" || m["model"] != "sim/embed" {
			t.Fatalf("status %d, body %v", status, m)
		}
		data := m["data"].([]any)
		if len(data) != 2 {
			t.Fatalf("%d embeddings", len(data))
		}
		for i, d := range data {
			dm := d.(map[string]any)
			if dm["object"] != "embedding" || dm["index"] != float64(i) || len(dm["embedding"].([]any)) != EmbedDim {
				t.Errorf("embedding %d: object %v index %v", i, dm["object"], dm["index"])
			}
		}
		if u := m["usage"].(map[string]any); u["prompt_tokens"].(float64) <= 0 || u["total_tokens"] != u["prompt_tokens"] {
			t.Errorf("usage %v", u)
		}
		status, m = post(t, base+"/v1/embeddings", `{"model": "sim/embed", "input": "one text", "encoding_format": "base64"}`)
		if e, _ := m["data"].([]any)[0].(map[string]any)["embedding"].(string); status != 200 || len(e) != base64.StdEncoding.EncodedLen(4*EmbedDim) {
			t.Errorf("base64 embedding: status %d, %d chars", status, len(e))
		}
	})

	errorsCases := []struct {
		name, path, body string
		status           int
		code             string
	}{
		{"unknown model", "/v1/chat/completions", `{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}`, 404, "model_not_found"},
		{"no model", "/v1/chat/completions", `{"messages": [{"role": "user", "content": "hi"}]}`, 400, "missing_model"},
		{"no messages", "/v1/chat/completions", `{"model": "sim/large", "messages": []}`, 400, "missing_messages"},
		{"stream", "/v1/chat/completions", `{"model": "sim/large", "stream": true, "messages": [{"role": "user", "content": "hi"}]}`, 400, "stream_unsupported"},
		{"bad JSON", "/v1/chat/completions", `{"model": `, 400, "invalid_json"},
		{"bad n", "/v1/chat/completions", `{"model": "sim/large", "n": 0, "messages": [{"role": "user", "content": "hi"}]}`, 400, "invalid_n"},
		{"bad embedding input", "/v1/embeddings", `{"model": "sim/embed", "input": [1, 2]}`, 400, "invalid_input"},
		{"unknown path", "/v1/completions", `{}`, 404, "not_found"},
	}
	for _, c := range errorsCases {
		t.Run(c.name, func(t *testing.T) {
			status, m := post(t, base+c.path, c.body)
			e, _ := m["error"].(map[string]any)
			if status != c.status || e == nil || e["code"] != c.code || e["message"] == "" {
				t.Errorf("status %d, body %v; want %d with code %s", status, m, c.status, c.code)
			}
		})
	}
}

func TestServeSimShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, newSim(t, Config{}), nil) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/v1/models"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

// fastRetry keeps backoffs short in tests.
var fastRetry = llm.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

func newOpenAI(t *testing.T, cfg llm.OpenAIConfig) *llm.OpenAI {
	t.Helper()
	o, err := llm.NewOpenAI(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestOpenAIClientAgainstServer runs the real OpenAI client against the
// sim's server: over HTTP the sim answers exactly as in process.
func TestOpenAIClientAgainstServer(t *testing.T) {
	p, sol := builtinProblem(t)
	sim := newSim(t, Config{})
	srv := httptest.NewServer(Handler(sim, nil))
	defer srv.Close()
	for _, base := range []string{srv.URL + "/v1", srv.URL} {
		o := newOpenAI(t, llm.OpenAIConfig{BaseURL: base, Model: "sim/coder-a", EmbeddingModel: EmbedModel, Retry: fastRetry})
		lesson := render(facts{ask: llm.AskLesson, code: p.BaselineCode, cands: []shown{{sol.Code, "faster 2.00"}}}, 0).request("sim/large", 0)
		lesson.FrequencyPenalty, lesson.MaxTokens = 0.5, 250
		reqs := []llm.Request{
			{Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Temperature: 0, Seed: 1},
			{Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Temperature: 0.2, Seed: 2, Sample: 3},
			{Model: "sim/coder-c", Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Temperature: 0.7, Seed: 9, MaxTokens: 4000},
			lesson,
		}
		for i, req := range reqs {
			got, err := o.Chat(context.Background(), req)
			if err != nil {
				t.Fatalf("%s request %d: %v", base, i, err)
			}
			if req.Model == "" {
				req.Model = "sim/coder-a"
			}
			want := mustChat(t, sim, req)
			if got.Text != want.Text {
				t.Errorf("request %d: over HTTP %q, in process %q", i, got.Text, want.Text)
			}
			if got.PromptTokens != want.PromptTokens || got.CompletionTokens != want.CompletionTokens || got.UsageEstimated {
				t.Errorf("request %d: usage %d/%d (estimated %v), in process %d/%d", i, got.PromptTokens, got.CompletionTokens, got.UsageEstimated, want.PromptTokens, want.CompletionTokens)
			}
			if got.Attempts != 1 || got.FinishReason != "stop" || got.Model != req.Model || got.Latency <= 0 {
				t.Errorf("request %d: %+v", i, got)
			}
		}
		texts := []string{p.BaselineCode, sol.Code}
		got, err := o.Embed(context.Background(), texts)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := sim.Embed(context.Background(), texts)
		for i := range want {
			for j := range want[i] {
				if math.Abs(got[i][j]-want[i][j]) > 1e-6 {
					t.Fatalf("embedding %d[%d]: %g over HTTP, %g in process", i, j, got[i][j], want[i][j])
				}
			}
		}
	}
	o := newOpenAI(t, llm.OpenAIConfig{BaseURL: srv.URL, Model: "gpt-4o", Retry: fastRetry})
	_, err := o.Chat(context.Background(), llm.Request{Messages: []llm.Message{{Role: "user", Content: "hi"}}})
	var se *llm.StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotFound || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("unknown model over HTTP: %v", err)
	}
}

// TestCuesTravelOverHTTP: the OpenAI client sends a request's cues in
// llm.CuesHeader and serve-sim reads them, so a sim that follows only
// cues answers over HTTP exactly as in process; without cues, or with
// cues it cannot follow, it answers 400 with the reason.
func TestCuesTravelOverHTTP(t *testing.T) {
	p := miniProblem("sort")
	team := newSim(t, Config{Problems: []*datasets.Problem{p}})
	srv := httptest.NewServer(Handler(team, nil))
	defer srv.Close()
	o := newOpenAI(t, llm.OpenAIConfig{BaseURL: srv.URL, Model: "sim/coder-b", Retry: fastRetry})
	fast := p.Solutions[0]
	for _, f := range []facts{
		{ask: llm.AskOptimize, code: p.BaselineCode, lessons: []shown{{"prefix sums, with a comma, and an @", "faster 2.50"}}},
		{ask: llm.AskLesson, code: p.BaselineCode, cands: []shown{{fast.Code, "faster 2.10"}}},
		{ask: llm.AskPlan + ":2", code: p.BaselineCode},
	} {
		for w := 0; w < 2; w++ {
			req := render(f, w).request("sim/coder-b", 3)
			got, err := o.Chat(context.Background(), req)
			if err != nil {
				t.Fatalf("%s over HTTP: %v", f.ask, err)
			}
			if want := mustChat(t, team, req); got.Text != want.Text {
				t.Errorf("%s: over HTTP %q, in process %q", f.ask, got.Text, want.Text)
			}
		}
	}
	// The preflight's probe carries its ask/ping cue.
	if err := o.Ping(context.Background(), "sim/coder-b"); err != nil {
		t.Errorf("preflight ping: %v", err)
	}
	bad := render(facts{ask: llm.AskOptimize, code: p.BaselineCode}, 0).request("sim/coder-b", 1)
	for _, c := range []struct {
		name string
		cues []llm.Cue
		want string
	}{
		{"no cues", nil, "no cues: this prompt was not rendered by a lessonl template"},
		{"span outside", []llm.Cue{{Name: llm.AskOptimize, Message: 1, Start: 0, End: 1 << 20}}, "outside message 1's"},
	} {
		req := bad
		req.Cues = c.cues
		_, err := o.Chat(context.Background(), req)
		var se *llm.StatusError
		if !errors.As(err, &se) || se.Code != http.StatusBadRequest || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want 400 with %q", c.name, err, c.want)
		}
	}
	status, m := post(t, srv.URL+"/v1/chat/completions", `{"model": "sim/large", "messages": [{"role": "user", "content": "hi"}]}`)
	if e, _ := m["error"].(map[string]any); status != 400 || e["code"] != "no_cues" {
		t.Errorf("no cues: %d %v", status, m)
	}
	req, _ := http.NewRequest("POST", srv.URL+"/v1/chat/completions", strings.NewReader(`{"model": "sim/large", "messages": [{"role": "user", "content": "hi"}]}`))
	req.Header.Set(llm.CuesHeader, "ask/optimize@0:0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("a malformed %s: status %d", llm.CuesHeader, resp.StatusCode)
	}
}
