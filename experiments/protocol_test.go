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
	"strings"
	"sync"
	"testing"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/record"
)

// wireLog is a recording proxy in front of serve-sim's handler: it keeps
// every chat request body of a cell as the server received it (those with
// cues; run's preflight asks each endpoint once without).
type wireLog struct {
	mu     sync.Mutex
	bodies [][]byte
	probes [][]byte // the preflight's chat probes (cue ask/ping)
}

func (l *wireLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.HasSuffix(r.URL.Path, "/chat/completions") {
			l.mu.Lock()
			if c := r.Header.Get(llm.CuesHeader); c != "" && !strings.Contains(c, llm.AskPing) {
				l.bodies = append(l.bodies, body)
			} else {
				l.probes = append(l.probes, body)
			}
			l.mu.Unlock()
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})
}

// wireRequest is what the proof reads of a request body.
type wireRequest struct {
	Model            string        `json:"model"`
	Messages         []llm.Message `json:"messages"`
	Seed             *int64        `json:"seed"`
	Temperature      float64       `json:"temperature"`
	TopP             float64       `json:"top_p"`
	FrequencyPenalty float64       `json:"frequency_penalty"`
	MaxTokens        int           `json:"max_tokens"`
	// MaxCompletionTokens is what the authors' lesson calls send instead
	// of max_tokens.
	MaxCompletionTokens int `json:"max_completion_tokens"`
}

func (l *wireLog) requests(t *testing.T) []wireRequest {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []wireRequest
	for _, b := range l.bodies {
		var w wireRequest
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatalf("request body: %v", err)
		}
		out = append(out, w)
	}
	return out
}

// recordingSim serves the sim team over HTTP behind a recording proxy.
func recordingSim(t *testing.T) (string, *wireLog) {
	t.Helper()
	return serveRecorded(t, miniSim(t))
}

// serveRecorded serves team over HTTP behind a wireLog: the base URL of
// its OpenAI API and the log.
func serveRecorded(t *testing.T, team *sim.Sim) (string, *wireLog) {
	t.Helper()
	log := &wireLog{}
	srv := httptest.NewServer(log.wrap(sim.Handler(team, nil)))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1", log
}

// callsOfRun runs the spec at sp without preflight (its probe requests
// are not the strategies' calls) and returns the run folder and its
// llm_calls rows.
func callsOfRun(t *testing.T, sp string) (string, []record.LLMCall) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "run")
	if _, _, err := Execute(context.Background(), sp, out, Options{NoPreflight: true}, "test"); err != nil {
		t.Fatal(err)
	}
	calls, err := record.Read[record.LLMCall](out, record.TableLLMCalls)
	if err != nil {
		t.Fatal(err)
	}
	return out, calls
}

func protocolSpec(t *testing.T, url, top, strategies string) string {
	t.Helper()
	abs, _ := filepath.Abs("testdata/mini")
	var agents strings.Builder
	for _, a := range []string{"a", "b", "c", "d"} {
		fmt.Fprintf(&agents, "  - {name: %s, provider: openai, base_url: %s, model: sim/coder-%s}\n", a, url, map[string]string{"a": "a", "b": "b", "c": "c", "d": "a"}[a])
	}
	text := fmt.Sprintf(`name: wire
dataset: {path: %s, problems: [reduce-sum]}
evaluation: {repetitions: 3, warmup: 1, timeout: 30s, mode: openmp, threads: 2}
%s
agents:
%sstrategies:
%s
seeds: [1]
`, abs, top, agents.String(), strategies)
	path := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const paperStrategies = `  - {name: lessonl, kind: lessonl, agents: [a, b, c]}
  - {name: moa, kind: moa, agents: [a, b, c, d]}
  - {name: mapcoder, kind: mapcoder, agents: [c]}
  - {name: reflexion, kind: reflexion, agents: [c]}
  - {name: single, kind: single, agents: [c]}
  - {name: cot, kind: cot, agents: [c]}`

// TestPaperProtocolOnTheWire runs a cell of every paper kind against
// serve-sim over real HTTP, one run per cell, and reads what reached the
// server: no two requests of a cell carry the same (model, seed,
// messages); the authors' call counts, sampling parameters and OpenMP
// instruction; the final answer evaluated fresh in its own candidate row.
func TestPaperProtocolOnTheWire(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cells end to end")
	}
	want := map[string]int{"lessonl": 24, "moa": 10, "reflexion": 21, "mapcoder": 25, "single": 1, "cot": 1}
	for _, line := range strings.Split(paperStrategies, "\n") {
		name := strings.TrimSuffix(strings.Fields(line)[2], ",")
		t.Run(name, func(t *testing.T) { paperCellOnTheWire(t, name, line, want[name]) })
	}
}

// paperCellOnTheWire runs one cell of strategy line under protocol paper
// and checks what reached the server.
func paperCellOnTheWire(t *testing.T, name, line string, wantCalls int) {
	url, wire := recordingSim(t)
	out, calls := callsOfRun(t, protocolSpec(t, url, "protocol: paper", line))
	type key struct {
		model string
		seed  int64
		msgs  string
	}
	byKey := map[key]record.LLMCall{}
	for _, c := range calls {
		if c.RequestSeed == nil {
			t.Fatalf("%s: no seed recorded under seed: derived", c.CallID)
		}
		byKey[key{c.Model, *c.RequestSeed, c.Prompt}] = c
	}
	reqs := wire.requests(t)
	if len(reqs) != len(calls) {
		t.Fatalf("%d requests on the wire, %d calls recorded", len(reqs), len(calls))
	}
	if len(byKey) != len(calls) {
		t.Errorf("%d calls but %d distinct (model, seed, messages): a request was repeated", len(calls), len(byKey))
	}
	seen := map[key]bool{}
	retrievals := 0
	for _, r := range reqs {
		if r.Seed == nil {
			t.Fatal("a request without a seed under seed: derived")
		}
		msgs, _ := json.Marshal(r.Messages)
		k := key{r.Model, *r.Seed, string(msgs)}
		c, ok := byKey[k]
		if !ok {
			t.Fatalf("request (model %s, seed %d) matches no recorded call", r.Model, *r.Seed)
		}
		if seen[k] {
			t.Errorf("two requests carry the same model, seed and messages (%s)", c.CallID)
		}
		seen[k] = true
		if c.Purpose == "retrieve" {
			retrievals++
		}
		// Sampling as the authors send it.
		wantTemp, wantTopP := 0.2, 0.95
		if c.Purpose == "aggregate" {
			wantTemp, wantTopP = 0.7, 0
		}
		if !near(r.Temperature, wantTemp) || !near(r.TopP, wantTopP) {
			t.Errorf("%s: temperature %g top_p %g on the wire, want %g and %g", c.Purpose, r.Temperature, r.TopP, wantTemp, wantTopP)
		}
		wantPenalty, wantMax := 0.0, 0
		switch c.Purpose {
		case "lesson":
			wantPenalty, wantMax = 0.5, 250
		case "reflect":
			wantPenalty = 0.5
		}
		if !near(r.FrequencyPenalty, wantPenalty) || r.MaxCompletionTokens != wantMax || r.MaxTokens != 0 {
			t.Errorf("%s: frequency_penalty %g max_completion_tokens %d max_tokens %d, want %g, %d and none", c.Purpose,
				r.FrequencyPenalty, r.MaxCompletionTokens, r.MaxTokens, wantPenalty, wantMax)
		}
		if len(r.Messages) != 1 && !(name == "moa" && c.Round > 0) {
			t.Errorf("%s: %d messages, the authors send one user message", c.Purpose, len(r.Messages))
		}
		user := r.Messages[len(r.Messages)-1].Content
		first := c.Purpose == "code" || (c.Purpose == "optimize" && c.Round == 0) || c.Purpose == "propose"
		if first && !strings.Contains(user, "You should use OpenMP to parallelize the code.") {
			t.Errorf("%s: the OpenMP optimize prompt lacks the authors' instruction", c.Purpose)
		}
	}
	// LessonL: 3 agents × 4 rounds × (code + lesson); MoA: 3 proposers ×
	// 3 layers + 1 aggregation; Reflexion: 1 + 10 × (reflect + rewrite);
	// MapCoder: retrieval until it parses (the sim's parses at once) + 3
	// plans + 3 confidences + 3 × (1 code + 5 rewrites).
	if name == "mapcoder" && retrievals != 1 {
		t.Errorf("%d retrieval calls, want 1", retrievals)
	}
	t.Logf("%s: %d calls on the wire (%d retrievals), %d evaluations", name, len(reqs), retrievals, countRows(out))
	if len(reqs) != wantCalls {
		t.Errorf("%d calls on the wire, want %d", len(reqs), wantCalls)
	}
	cands, err := record.Read[record.Candidate](out, record.TableCandidates)
	if err != nil {
		t.Fatal(err)
	}
	results, err := record.Read[record.Result](out, record.TableResults)
	if err != nil || len(results) != 1 {
		t.Fatalf("%d results: %v", len(results), err)
	}
	// The final answer is the cell's last candidate row: a fresh
	// evaluation after every other.
	id := results[0].FinalCandidateID
	if id == "" || len(cands) == 0 || cands[len(cands)-1].CandidateID != id || !cands[len(cands)-1].FinalAnswer {
		t.Errorf("final answer %q is not the cell's last, fresh evaluation", id)
	}
}

func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }

// TestSeedNoneOnTheWire: with seed: none no request body has a seed key,
// the preflight's probe included, and llm_calls records none.
func TestSeedNoneOnTheWire(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cells end to end")
	}
	url, wire := recordingSim(t)
	sp := protocolSpec(t, url, "seed: none", `  - {name: lessonl, kind: lessonl, agents: [a, b, c], params: {rounds: 2}}
  - {name: best, kind: best-of-n, agents: [a], params: {n: 3}}`)
	out := filepath.Join(t.TempDir(), "run")
	if _, _, err := Execute(context.Background(), sp, out, Options{}, "test"); err != nil {
		t.Fatal(err)
	}
	reqs := wire.requests(t)
	if len(reqs) != 12+3 {
		t.Errorf("%d requests, want 15", len(reqs))
	}
	wire.mu.Lock()
	all := append(append([][]byte(nil), wire.bodies...), wire.probes...)
	wire.mu.Unlock()
	if len(all) == len(reqs) {
		t.Error("no preflight probe was seen")
	}
	for _, b := range all {
		var raw map[string]any
		json.Unmarshal(b, &raw)
		if _, ok := raw["seed"]; ok {
			t.Errorf("a request body carries a seed under seed: none: %s", b)
		}
	}
	calls, err := record.Read[record.LLMCall](out, record.TableLLMCalls)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range calls {
		if c.RequestSeed != nil {
			t.Errorf("%s %s: request_seed %d recorded under seed: none", c.Strategy, c.CallID, *c.RequestSeed)
		}
	}
}

func countRows(dir string) int {
	cands, _ := record.Read[record.Candidate](dir, record.TableCandidates)
	n := 0
	for _, c := range cands {
		if c.Status != "no_code" {
			n++
		}
	}
	return n
}
