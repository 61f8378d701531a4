package experiments

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// The byte-for-byte proof of protocol paper. Each testdata/paper-wire
// case was written by gen.py, which runs the authors' strategies
// (MITIBM-FastCoder/LessonL at 232336a) on a fixed problem with scripted
// replies and evaluation results and records every chat request they
// make. The test runs the same kind under protocol paper (seed: none)
// against an HTTP server that answers each model with the same replies,
// with an evaluator that reports the same results, and compares what
// reached the server with what the authors' code sent.

// wireCase is one case file.
type wireCase struct {
	Name      string              `json:"name"`
	Task      string              `json:"task"`
	Kind      string              `json:"kind"`
	Mode      string              `json:"mode"`
	Agents    []string            `json:"agents"`
	Params    map[string]any      `json:"params"`
	Replies   map[string][]string `json:"replies"`
	Requests  []goldenRequest     `json:"requests"`
	Submitted []string            `json:"submitted"`
	GenTests  []string            `json:"gen_tests"`
	Verdicts  map[string]struct {
		Failed []int `json:"failed"`
		Hidden bool  `json:"hidden"`
	} `json:"gen_verdicts"`
	Problem struct {
		ID         string `json:"id"`
		Code       string `json:"code"`
		Function   string `json:"function"`
		Prompt     string `json:"prompt"`
		EntryPoint string `json:"entry_point"`
		Test       string `json:"test"`
		Outcomes   []struct {
			Code        string  `json:"code"`
			Status      string  `json:"status"`
			Speedup     float64 `json:"speedup"`
			BaselineNS  float64 `json:"baseline_ns"`
			CandidateNS float64 `json:"candidate_ns"`
		} `json:"outcomes"`
	} `json:"problem"`
}

// goldenRequest is one request the authors' code made: the model, its
// ordinal among that model's requests (from 1), and the keyword
// arguments of chat.completions.create but the model.
type goldenRequest struct {
	Model string         `json:"model"`
	N     int            `json:"n"`
	Body  map[string]any `json:"body"`
}

// unmatched lists, per case, the bytes the Go side cannot reproduce, as
// a pattern removed from the authors' messages before the comparison,
// with the reason. Everything else must be equal.
var unmatched = map[string]struct {
	re     *regexp.Regexp
	reason string
}{
	"gen-reflexion": {regexp.MustCompile(`(?m)^(assert below_zero[^\n]*?) # output: [^\n]*`),
		"the authors' executor follows each failed test with the value the call returned; the sandbox (internal/pyeval) reports which tests failed, not their values"},
}

// scripted serves the case's replies, model by model in order, and keeps
// every request body.
type scripted struct {
	mu      sync.Mutex
	replies map[string][]string
	used    map[string]int
	got     map[string][][]byte // per model, in order
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct {
		Model string `json:"model"`
	}
	if err := json.Unmarshal(body, &req); err != nil || !strings.HasSuffix(r.URL.Path, "/chat/completions") {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	n := s.used[req.Model]
	s.used[req.Model]++
	s.got[req.Model] = append(s.got[req.Model], body)
	s.mu.Unlock()
	if n >= len(s.replies[req.Model]) {
		http.Error(w, fmt.Sprintf("no reply %d scripted for %s", n+1, req.Model), http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{
		"id": "x", "object": "chat.completion", "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": s.replies[req.Model][n]}}},
		"usage": map[string]any{"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
	})
}

// caseEvaluator reports the case's evaluation results for code-opt
// candidates, by code, and keeps every code it was given.
type caseEvaluator struct {
	c    *wireCase
	mu   sync.Mutex
	seen []string
}

func (e *caseEvaluator) Evaluate(_ context.Context, _ *datasets.Problem, code string) (evaluate.Outcome, error) {
	e.mu.Lock()
	e.seen = append(e.seen, code)
	e.mu.Unlock()
	for _, o := range e.c.Problem.Outcomes {
		if o.Code == code {
			out := evaluate.Outcome{Status: evaluate.Status(o.Status), Speedup: o.Speedup,
				BaselineNS: o.BaselineNS, CandidateNS: o.CandidateNS}
			if out.Status == evaluate.NotCompilable {
				// Protocol paper must not show it (the authors' reader
				// finds no compiler log).
				out.Detail = "error: expected ';' before '}' token"
			}
			return out, nil
		}
	}
	return evaluate.Outcome{}, fmt.Errorf("code not in the case: %q", code)
}

// EvaluateFresh implements strategy.FreshEvaluator.
func (e *caseEvaluator) EvaluateFresh(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	return e.Evaluate(ctx, p, code)
}

// caseGenEvaluator reports the authors' executor's verdicts: on the
// generated tests (a problem ID ending in #generated) the indices that
// failed, on the hidden tests pass or fail. The Go side's code may carry
// the prompt's imports before the function; the longest case code it
// contains is the one meant.
type caseGenEvaluator struct{ c *wireCase }

func (e caseGenEvaluator) Evaluate(_ context.Context, g *datasets.GenProblem, code string) (pyeval.Verdict, error) {
	key, found := "", false
	for k := range e.c.Verdicts {
		if strings.Contains(code, k) && (!found || len(k) > len(key)) {
			key, found = k, true
		}
	}
	if !found {
		return pyeval.Verdict{}, fmt.Errorf("code not in the case: %q", code)
	}
	v := e.c.Verdicts[key]
	if strings.HasSuffix(g.ID, "#generated") {
		n := len(e.c.GenTests)
		out := pyeval.Verdict{Status: pyeval.Passed, Passed: n - len(v.Failed), Total: n, Failed: v.Failed}
		if len(v.Failed) > 0 {
			out.Status = pyeval.Failed
		}
		return out, nil
	}
	if v.Hidden {
		return pyeval.Verdict{Status: pyeval.Passed, Passed: 1, Total: 1, BasePassed: 1, BaseTotal: 1}, nil
	}
	return pyeval.Verdict{Status: pyeval.Failed, Total: 1, BaseTotal: 1}, nil
}

// canonical is a request as the comparison reads it: the messages as
// JSON, then every sampling key with its value, sorted. Keys the authors
// pass at the OpenAI default (frequency and presence penalty 0, n 1) are
// left out, since go-openai omits zero values and a server reads an
// absent key as its default; so is go-openai's "stream": false.
func canonical(t *testing.T, body map[string]any, strip *regexp.Regexp) string {
	t.Helper()
	type msg struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	}
	raw, _ := json.Marshal(body["messages"])
	var msgs []msg
	if err := json.Unmarshal(raw, &msgs); err != nil {
		t.Fatalf("messages: %v", err)
	}
	if strip != nil {
		for i := range msgs {
			msgs[i].Content = strip.ReplaceAllString(msgs[i].Content, "$1")
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	enc.Encode(msgs)
	var keys []string
	for k, v := range body {
		if k == "model" || k == "messages" {
			continue
		}
		if f, ok := v.(float64); ok && ((f == 0 && (k == "frequency_penalty" || k == "presence_penalty")) || (f == 1 && k == "n")) {
			continue
		}
		if v == false && k == "stream" {
			continue // go-openai always sends "stream": false
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, _ := json.Marshal(body[k])
		fmt.Fprintf(&b, "%s=%s\n", k, v)
	}
	if _, ok := body["seed"]; !ok {
		b.WriteString("(no seed)\n")
	}
	return b.String()
}

// TestPaperWireGolden runs every case of testdata/paper-wire under
// protocol paper over HTTP and compares each request body with the
// authors' (messages byte for byte; temperature, top_p, max_tokens or
// max_completion_tokens, penalties, n and seed by value), and the code
// submitted to the evaluator.
func TestPaperWireGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/paper-wire/*.json")
	if len(files) == 0 {
		t.Fatal("no cases in testdata/paper-wire (run gen.py)")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c wireCase
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		t.Run(c.Name, func(t *testing.T) { runWireCase(t, &c) })
	}
}

func runWireCase(t *testing.T, c *wireCase) {
	srv := &scripted{replies: c.Replies, used: map[string]int{}, got: map[string][][]byte{}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var agents []*strategy.Agent
	for i, model := range c.Agents {
		p, err := llm.NewOpenAI(llm.OpenAIConfig{BaseURL: ts.URL + "/v1"})
		if err != nil {
			t.Fatal(err)
		}
		agents = append(agents, &strategy.Agent{Name: fmt.Sprintf("agent-%d", i+1), Provider: "openai", Model: model, LLM: p})
	}
	params := map[string]any{"protocol": "paper", "seed": "none"}
	for k, v := range c.Params {
		params[k] = v
	}
	parsed, err := strategy.ParseKind(c.Kind, params)
	if err != nil {
		t.Fatal(err)
	}
	s, err := parsed.Config.New(strategy.Build{})
	if err != nil {
		t.Fatal(err)
	}
	ev := &caseEvaluator{c: c}
	env := &strategy.Env{Agents: agents, Evaluators: strategy.Evaluators{strategy.TaskOptimize: ev, strategy.TaskGenerate: caseGenEvaluator{c}}, Recorder: &strategy.Trace{},
		Seed: 1, Cell: c.Name, OpenMP: c.Mode == "openmp", NoSeed: true, Extract: llm.ExtractCode}
	if c.Task == "generate" {
		env.Problem = &datasets.Problem{ID: c.Problem.ID, Gen: &datasets.GenProblem{ID: c.Problem.ID, Prompt: c.Problem.Prompt,
			EntryPoint: c.Problem.EntryPoint}}
	} else {
		env.Problem = &datasets.Problem{ID: c.Problem.ID, BaselineCode: c.Problem.Code, Function: c.Problem.Function}
	}
	if _, err := s.Solve(context.Background(), env); err != nil {
		t.Fatal(err)
	}

	var strip *regexp.Regexp
	if u, ok := unmatched[c.Name]; ok {
		strip = u.re
		t.Logf("not compared: %s (%s)", u.re, u.reason)
	}
	want := 0
	for _, g := range c.Requests {
		want++
		got := srv.got[g.Model]
		if g.N > len(got) {
			t.Errorf("%s request %d: not sent (the cell sent %d to that model)", g.Model, g.N, len(got))
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(got[g.N-1], &body); err != nil {
			t.Fatal(err)
		}
		w, h := canonical(t, g.Body, strip), canonical(t, body, nil)
		if w != h {
			t.Errorf("%s request %d differs from the authors':\n%s", g.Model, g.N, lineDiff(w, h))
		}
	}
	sent := 0
	for _, b := range srv.got {
		sent += len(b)
	}
	if sent != want {
		t.Errorf("%d requests sent, the authors' code sent %d", sent, want)
	}
	if c.Task == "optimize" {
		got, wantSub := append([]string(nil), ev.seen...), append([]string(nil), c.Submitted...)
		sort.Strings(got)
		sort.Strings(wantSub)
		if strings.Join(got, "\x00") != strings.Join(wantSub, "\x00") {
			t.Errorf("evaluated codes %q, the authors' code submitted %q", got, wantSub)
		}
	}
}

// lineDiff shows the first differing line of two texts with context.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			j := 0
			for j < len(a) && j < len(b) && a[j] == b[j] {
				j++
			}
			from := max(j-60, 0)
			return fmt.Sprintf("line %d, byte %d\n authors: …%q\n ours:    …%q", i+1, j, a[from:min(j+60, len(a))], b[from:min(j+60, len(b))])
		}
	}
	return "(equal lines)"
}
