package llm

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fastRetry keeps backoffs short in tests.
var fastRetry = RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

func newOpenAI(t *testing.T, cfg OpenAIConfig) *OpenAI {
	t.Helper()
	o, err := NewOpenAI(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func userMsg(s string) []Message { return []Message{{Role: "user", Content: s}} }

// completion is a chat completion body as an OpenAI server sends it.
func completion(text string, withUsage bool) string {
	usage := ""
	if withUsage {
		usage = `,"usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}`
	}
	b, _ := json.Marshal(text)
	return `{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":` +
		string(b) + `},"finish_reason":"stop"}]` + usage + `}`
}

func writeBody(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

func resetConn(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with a reset
	}
	conn.Close()
}

func TestOpenAIFaults(t *testing.T) {
	cases := []struct {
		name     string
		handle   func(t *testing.T, n int, w http.ResponseWriter, r *http.Request)
		timeout  time.Duration
		attempts int
		text     string // the reply on success
		err      string // a part of the error, on failure
		errIs    error
		minTime  time.Duration
		maxTime  time.Duration // 0: no bound
		stall    time.Duration
		retry    *RetryPolicy // nil: fastRetry
		check    func(t *testing.T, resp Response, err error)
	}{
		{
			name: "429 with Retry-After", attempts: 2, text: "ok after 429", minTime: time.Second,
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					w.Header().Set("Retry-After", "1")
					writeBody(w, http.StatusTooManyRequests, `{"error":{"message":"rate limited","type":"requests"}}`)
					return
				}
				writeBody(w, 200, completion("ok after 429", true))
			},
		},
		{
			name: "500 then success", attempts: 2, text: "ok after 500",
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					writeBody(w, 500, `{"error":{"message":"boom","type":"server_error"}}`)
					return
				}
				writeBody(w, 200, completion("ok after 500", true))
			},
		},
		{
			name: "503 every time", attempts: 3, err: "giving up after 3 attempts",
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				writeBody(w, 503, `upstream down`)
			},
			check: func(t *testing.T, _ Response, err error) {
				var se *StatusError
				if !errors.As(err, &se) || se.Code != 503 || se.Message != "upstream down" {
					t.Errorf("want a 503 StatusError with the body as message, got %v", err)
				}
			},
		},
		{
			name: "slower than the timeout, then fast", attempts: 2, text: "ok after timeout", timeout: 150 * time.Millisecond,
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					select {
					case <-time.After(5 * time.Second):
					case <-r.Context().Done():
					}
					return
				}
				writeBody(w, 200, completion("ok after timeout", true))
			},
		},
		{
			name: "always slower than the timeout", attempts: 3, errIs: ErrAttemptTimeout, timeout: 100 * time.Millisecond,
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				select {
				case <-time.After(5 * time.Second):
				case <-r.Context().Done():
				}
			},
		},
		{
			name: "malformed JSON", attempts: 1, err: "invalid character",
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				writeBody(w, 200, `{"choices": [ nope`)
			},
		},
		{
			name: "empty choices every time", attempts: 3, err: "giving up after 3 attempts", errIs: ErrNoChoices,
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				writeBody(w, 200, `{"id":"x","object":"chat.completion","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":0,"total_tokens":3}}`)
			},
		},
		{
			name: "empty choices, then a reply", attempts: 2, text: "ok after no choices",
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					writeBody(w, 200, `{"id":"x","object":"chat.completion","choices":[]}`)
					return
				}
				writeBody(w, 200, completion("ok after no choices", true))
			},
		},
		{
			name: "a choice without content, then a reply", attempts: 2, text: "ok after no content",
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					writeBody(w, 200, `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}]}`)
					return
				}
				writeBody(w, 200, completion("ok after no content", true))
			},
		},
		{
			// The attempt timeout (5 s) is far above the stall limit: only
			// the stall detector can end the first attempt in time.
			name: "body stalls mid-answer, then a reply", attempts: 2, text: "ok after stall",
			stall: 200 * time.Millisecond, timeout: 5 * time.Second, maxTime: 4 * time.Second,
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(200)
					io.WriteString(w, `{"id":"x","object":"chat.completion","choices":[`)
					w.(http.Flusher).Flush()
					select {
					case <-time.After(10 * time.Second):
					case <-r.Context().Done():
					}
					return
				}
				writeBody(w, 200, completion("ok after stall", true))
			},
		},
		{
			// Past MaxAttempts (3), a server answering 503 is waited for
			// while MaxWait lasts.
			name: "503 six times, within MaxWait", attempts: 7, text: "ok after restart",
			retry: &RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: time.Minute},
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				if n <= 6 {
					writeBody(w, 503, `loading`)
					return
				}
				writeBody(w, 200, completion("ok after restart", true))
			},
		},
		{
			// MaxWait does not stretch errors that are not about reaching
			// the server.
			name: "500 is not waited for past MaxAttempts", attempts: 3, err: "giving up after 3 attempts",
			retry: &RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxWait: time.Minute},
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				writeBody(w, 500, `boom`)
			},
		},
		{
			name: "connection reset twice", attempts: 3, text: "ok after resets",
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				if n <= 2 {
					resetConn(t, w)
					return
				}
				writeBody(w, 200, completion("ok after resets", true))
			},
		},
		{
			name: "connection reset every time", attempts: 3, err: "giving up after 3 attempts",
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				resetConn(t, w)
			},
		},
		{
			name: "400 fails at once with the server's message", attempts: 1, err: "max_tokens is too large: 999999",
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				writeBody(w, 400, `{"error":{"message":"max_tokens is too large: 999999","type":"invalid_request_error","param":"max_tokens","code":null}}`)
			},
			check: func(t *testing.T, _ Response, err error) {
				if Retryable(err) {
					t.Error("a 400 is retryable")
				}
			},
		},
		{
			name: "reply with no code", attempts: 1, text: "I would use a better algorithm, but here is only prose.",
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				writeBody(w, 200, completion("I would use a better algorithm, but here is only prose.", true))
			},
			check: func(t *testing.T, resp Response, _ error) {
				if code, ok := ExtractCode(resp.Text, "f"); ok {
					t.Errorf("code %q extracted from prose", code)
				}
				if resp.PromptTokens != 11 || resp.CompletionTokens != 7 || resp.UsageEstimated {
					t.Errorf("usage %d/%d estimated=%v, want the server's 11/7", resp.PromptTokens, resp.CompletionTokens, resp.UsageEstimated)
				}
			},
		},
		{
			name: "usage omitted", attempts: 1, text: "```cpp\nint f() { return 1; }\n```",
			handle: func(t *testing.T, n int, w http.ResponseWriter, r *http.Request) {
				writeBody(w, 200, completion("```cpp\nint f() { return 1; }\n```", false))
			},
			check: func(t *testing.T, resp Response, _ error) {
				if !resp.UsageEstimated || resp.PromptTokens <= 0 || resp.CompletionTokens != EstimateTokens(resp.Text) {
					t.Errorf("usage not estimated: %+v", resp)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/v1/chat/completions" {
					t.Errorf("request to %s", r.URL.Path)
				}
				// Read the body, so the server notices a client that hangs up.
				_, _ = io.Copy(io.Discard, r.Body)
				c.handle(t, int(n.Add(1)), w, r)
			}))
			defer srv.Close()
			rp := fastRetry
			if c.retry != nil {
				rp = *c.retry
			}
			o := newOpenAI(t, OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "m", Timeout: c.timeout, Stall: c.stall, Retry: rp})
			start := time.Now()
			resp, err := o.Chat(context.Background(), Request{Messages: userMsg("make f faster")})
			took := time.Since(start)
			if got := int(n.Load()); got != c.attempts || resp.Attempts != c.attempts {
				t.Errorf("server saw %d attempts, response says %d; want %d", got, resp.Attempts, c.attempts)
			}
			if c.err == "" && c.errIs == nil {
				if err != nil || resp.Text != c.text {
					t.Fatalf("got %q, %v; want %q", resp.Text, err, c.text)
				}
			} else {
				if err == nil {
					t.Fatalf("no error; reply %q", resp.Text)
				}
				if c.err != "" && !strings.Contains(err.Error(), c.err) {
					t.Errorf("error %q lacks %q", err, c.err)
				}
				if c.errIs != nil && !errors.Is(err, c.errIs) {
					t.Errorf("error %v is not %v", err, c.errIs)
				}
			}
			if took < c.minTime {
				t.Errorf("took %v, want at least %v", took, c.minTime)
			}
			if c.maxTime > 0 && took > c.maxTime {
				t.Errorf("took %v, want at most %v", took, c.maxTime)
			}
			if c.check != nil {
				c.check(t, resp, err)
			}
		})
	}
}

func TestOpenAIConcurrencyLimit(t *testing.T) {
	var inFlight, maxSeen, total atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxSeen.Load()
			if cur <= m || maxSeen.CompareAndSwap(m, cur) {
				break
			}
		}
		total.Add(1)
		time.Sleep(15 * time.Millisecond)
		writeBody(w, 200, completion("done", true))
	}))
	defer srv.Close()
	// Two providers (two agents) on one endpoint share its limit.
	var ps []*OpenAI
	for _, model := range []string{"agent-1", "agent-2"} {
		ps = append(ps, newOpenAI(t, OpenAIConfig{BaseURL: srv.URL + "/v1", Model: model, MaxConcurrency: 4, Retry: fastRetry}))
	}
	var wg sync.WaitGroup
	var done atomic.Int32
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := ps[i%2].Chat(context.Background(), Request{Messages: userMsg(fmt.Sprint(i))})
			if err != nil || resp.Text != "done" {
				t.Errorf("request %d: %q, %v", i, resp.Text, err)
				return
			}
			done.Add(1)
		}()
	}
	wg.Wait()
	if done.Load() != 64 || total.Load() != 64 {
		t.Errorf("%d requests completed, server saw %d; want 64", done.Load(), total.Load())
	}
	if m := maxSeen.Load(); m != 4 {
		t.Errorf("the server saw at most %d requests in flight, want 4", m)
	}
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

func TestAPIKeyNeverLeaks(t *testing.T) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		t.Fatal(err)
	}
	key := "sk-lessonl-test-" + hex.EncodeToString(raw)
	env := "LESSONL_TEST_API_KEY_" + strings.ToUpper(hex.EncodeToString(raw[:4]))
	t.Setenv(env, key)

	var mu sync.Mutex
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		var body struct {
			Model string `json:"model"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		_, _ = io.Copy(io.Discard, r.Body)
		switch body.Model {
		case "echo": // a careless server that echoes the credentials
			writeBody(w, 401, fmt.Sprintf(`{"error":{"message":"bad key %s","type":"auth"}}`, r.Header.Get("Authorization")))
		case "echo-text":
			writeBody(w, 502, "proxy error for "+r.Header.Get("Authorization"))
		case "slow":
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		case "embed":
			writeBody(w, 200, `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.6,0.8]}],"model":"embed","usage":{"prompt_tokens":1,"total_tokens":1}}`)
		default:
			writeBody(w, 200, completion("fine", true))
		}
	}))
	defer srv.Close()

	logs := &syncBuffer{}
	meter := &Meter{}
	cfg := OpenAIConfig{
		BaseURL: srv.URL + "/v1", Model: "ok", EmbeddingModel: "embed", APIKeyEnv: env,
		Timeout: 100 * time.Millisecond, Retry: RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond},
		Meter: meter, Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	o := newOpenAI(t, cfg)
	dir := t.TempDir()
	var out strings.Builder
	var recs []Recording
	for _, model := range []string{"ok", "echo", "echo-text", "slow"} {
		req := Request{Model: model, Messages: userMsg("optimize"), Agent: "a"}
		resp, err := o.Chat(context.Background(), req)
		if (err == nil) != (model == "ok") {
			t.Errorf("model %s: err %v", model, err)
		}
		if err != nil {
			fmt.Fprintf(&out, "%v\n%+v\n%#v\n", err, err, err)
			var se *StatusError
			if errors.As(err, &se) {
				fmt.Fprintf(&out, "%+v\n", *se)
			}
		}
		recs = append(recs, Record(req, resp))
	}
	if _, err := o.Embed(context.Background(), []string{"x"}); err != nil {
		t.Errorf("embed: %v", err)
	}
	fmt.Fprintf(&out, "%v\n%+v\n%#v\n%s\n", o, o, o, o)
	files := map[string]any{"config.json": cfg, "usage.json": meter.Tallies(), "recordings.json": recs}
	for name, v := range files {
		b, err := json.MarshalIndent(v, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "printed.txt"), []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "log.jsonl"), logs.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	nfiles := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		nfiles++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(key)) || bytes.Contains(b, raw) {
			t.Errorf("%s contains the API key", filepath.Base(path))
		}
		return nil
	})
	if err != nil || nfiles != 5 {
		t.Fatalf("walk: %v, %d files", err, nfiles)
	}
	if bytes.Contains(logs.Bytes(), []byte(key)) {
		t.Error("the logs contain the API key")
	}
	if !bytes.Contains(logs.Bytes(), []byte("retrying")) || !strings.Contains(out.String(), "[redacted]") {
		t.Errorf("the test did not exercise retries and redaction:\n%s\n%s", logs.Bytes(), out.String())
	}
	if !strings.Contains(string(mustRead(t, filepath.Join(dir, "config.json"))), env) {
		t.Error("the config does not name the key's variable")
	}
	mu.Lock()
	defer mu.Unlock()
	// ok 1 + echo 1 + echo-text 2 + slow 2 + embed 1
	if len(auths) != 7 {
		t.Errorf("server saw %d requests, want 7", len(auths))
	}
	for _, a := range auths {
		if a != "Bearer "+key {
			t.Fatalf("server got Authorization %q", a)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenAIConfigErrors(t *testing.T) {
	const env = "LESSONL_TEST_UNSET_KEY_VARIABLE"
	os.Unsetenv(env)
	cases := []struct {
		name string
		cfg  OpenAIConfig
		want string
	}{
		{"no base URL", OpenAIConfig{}, "base_url is missing"},
		{"not a URL", OpenAIConfig{BaseURL: "localhost:8000"}, "not an http(s) URL"},
		{"key variable unset", OpenAIConfig{BaseURL: "http://127.0.0.1:1/v1", APIKeyEnv: env}, env + " (api_key_env) is not set"},
	}
	for _, c := range cases {
		if _, err := NewOpenAI(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	o := newOpenAI(t, OpenAIConfig{BaseURL: "http://127.0.0.1:1"})
	if _, err := o.Chat(context.Background(), Request{Messages: userMsg("x")}); err == nil || !strings.Contains(err.Error(), "no model") {
		t.Errorf("no model: %v", err)
	}
}

func TestWireRequest(t *testing.T) {
	w := wireRequest(Request{Model: "qwen", Temperature: 0, Seed: 5, Sample: 2, MaxTokens: 100, TopP: 0.9, FrequencyPenalty: 0.5, Stop: []string{"END"}})
	b, _ := json.Marshal(w)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if temp, ok := m["temperature"].(float64); !ok || temp <= 0 || temp > 1e-30 {
		t.Errorf("temperature 0 went out as %v", m["temperature"])
	}
	if m["seed"] != 7.0 || m["max_tokens"] != 100.0 || m["frequency_penalty"] != 0.5 {
		t.Errorf("wire request %s", b)
	}
	w = wireRequest(Request{Model: "o3-mini", Temperature: 0.2, MaxTokens: 100})
	if w.MaxTokens != 0 || w.MaxCompletionTokens != 100 || w.Temperature != 0 {
		t.Errorf("reasoning model request %+v", w)
	}
}
