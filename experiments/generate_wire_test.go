package experiments

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/record"
)

// TestGeneratePaperOnTheWire runs LessonL's code-gen cells under protocol
// paper against serve-sim over real HTTP (the sim's built-in Python
// suite) and reads what reached the server: every recorded call and only
// those; the authors' sampling per call type (tests: temperature 0.2,
// top_p 1, 1024 tokens, a system message; code: 0.2 and 0.95, one user
// message; lessons: 0.2, 0.95, penalty 0.5, 250 tokens, one user message
// that shows no original code); the call count of a cell is 1 + 2 × the
// codes written, 2 when the first code passes its tests, at most 25.
func TestGeneratePaperOnTheWire(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cells end to end")
	}
	team, err := sim.New(sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	wire := &wireLog{}
	srv := httptest.NewServer(wire.wrap(sim.Handler(team, nil)))
	t.Cleanup(srv.Close)
	var agents strings.Builder
	for _, a := range []string{"a", "b", "c"} {
		fmt.Fprintf(&agents, "  - {name: %s, provider: openai, base_url: %s/v1, model: sim/coder-%s}\n", a, srv.URL, a)
	}
	spec := filepath.Join(t.TempDir(), "spec.yaml")
	os.WriteFile(spec, []byte(`name: wire-gen
dataset: {suite: pysuite, problems: [median, roman, merge-intervals, second-largest]}
protocol: paper
agents:
`+agents.String()+`strategies:
  - {name: lessonl, kind: lessonl, agents: [a, b, c]}
seeds: [1, 2]
`), 0o644)
	out := filepath.Join(t.TempDir(), "run")
	if _, _, err := Execute(context.Background(), spec, out, Options{NoPreflight: true}, "test"); err != nil {
		t.Fatal(err)
	}
	calls, err := record.Read[record.LLMCall](out, record.TableLLMCalls)
	if err != nil {
		t.Fatal(err)
	}
	reqs := wire.requests(t)
	if len(reqs) != len(calls) {
		t.Fatalf("%d requests on the wire, %d calls recorded", len(reqs), len(calls))
	}
	for _, r := range reqs {
		user := r.Messages[len(r.Messages)-1].Content
		var purpose string
		switch {
		case strings.Contains(user, "[unit tests]:"):
			purpose = "tests"
		case strings.Contains(user, "### Completed code:"):
			purpose = "lesson"
		default:
			purpose = "generate"
		}
		type want struct {
			temp, topP, penalty float64
			max, msgs           int
		}
		w := map[string]want{"tests": {0.2, 1, 0, 1024, 2}, "generate": {0.2, 0.95, 0, 0, 1}, "lesson": {0.2, 0.95, 0.5, 250, 1}}[purpose]
		if !near(r.Temperature, w.temp) || !near(r.TopP, w.topP) || !near(r.FrequencyPenalty, w.penalty) || r.MaxTokens != w.max || len(r.Messages) != w.msgs {
			t.Errorf("%s: temperature %g top_p %g penalty %g max_tokens %d messages %d, want %+v", purpose, r.Temperature, r.TopP, r.FrequencyPenalty, r.MaxTokens, len(r.Messages), w)
		}
		if purpose == "lesson" && (strings.Contains(user, "Code A") || !strings.Contains(user, "passes only 0 test cases out of 0")) {
			t.Errorf("lesson prompt is not the authors' code-only one:\n%s", user)
		}
	}
	results, err := record.Read[record.Result](out, record.TableResults)
	if err != nil || len(results) != 8 {
		t.Fatalf("%d results: %v", len(results), err)
	}
	for _, r := range results {
		if r.LLMCalls < 2 || r.LLMCalls > 25 || r.LLMCalls%2 != 0 && r.LLMCalls != 25 {
			t.Errorf("%s seed %d: %d calls, want 2, 4, ... 24 (solved) or 25", r.ProblemID, r.Seed, r.LLMCalls)
		}
	}
	t.Logf("calls per cell: %v", func() []int64 {
		var n []int64
		for _, r := range results {
			n = append(n, r.LLMCalls)
		}
		return n
	}())
}
