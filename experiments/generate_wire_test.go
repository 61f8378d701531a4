package experiments

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/record"
)

// pysuiteWire serves the default sim team behind a wireLog: the base URL,
// the log, and agents a, b and c on it as a spec's agents lines.
func pysuiteWire(t *testing.T) (string, *wireLog, *strings.Builder) {
	t.Helper()
	team, err := sim.New(sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	url, wire := serveRecorded(t, team)
	agents := &strings.Builder{}
	for _, a := range []string{"a", "b", "c"} {
		fmt.Fprintf(agents, "  - {name: %s, provider: openai, base_url: %s, model: sim/coder-%s}\n", a, url, a)
	}
	return url, wire, agents
}

// TestGeneratePaperOnTheWire runs LessonL's code-gen cells under protocol
// paper against serve-sim over real HTTP (the sim's built-in Python
// suite) and reads what reached the server: every recorded call and only
// those; the authors' sampling per call type (tests: temperature 0.2,
// top_p 1, 1024 tokens, a system message; code: 0.2 and 0.95, one user
// message; lessons: 0.2, 0.95, penalty 0.5, max_completion_tokens 250, one user message
// that shows no original code); the call count of a cell is 1 + 2 × the
// codes written, 2 when the first code passes its tests, at most 25.
func TestGeneratePaperOnTheWire(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cells end to end")
	}
	_, wire, agents := pysuiteWire(t)
	sp := filepath.Join(t.TempDir(), "spec.yaml")
	os.WriteFile(sp, []byte(`name: wire-gen
dataset: {suite: pysuite, problems: [median, roman, merge-intervals, second-largest]}
protocol: paper
agents:
`+agents.String()+`strategies:
  - {name: lessonl, kind: lessonl, agents: [a, b, c]}
seeds: [1, 2]
`), 0o644)
	out, calls := callsOfRun(t, sp)
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
		// The authors' lesson calls send max_completion_tokens, the
		// others max_tokens.
		max, other := r.MaxTokens, r.MaxCompletionTokens
		if purpose == "lesson" {
			max, other = other, max
		}
		if !near(r.Temperature, w.temp) || !near(r.TopP, w.topP) || !near(r.FrequencyPenalty, w.penalty) || max != w.max || other != 0 || len(r.Messages) != w.msgs {
			t.Errorf("%s: temperature %g top_p %g penalty %g max_tokens %d max_completion_tokens %d messages %d, want %+v", purpose, r.Temperature, r.TopP, r.FrequencyPenalty, r.MaxTokens, r.MaxCompletionTokens, len(r.Messages), w)
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

// TestGenerateBaselinesPaperOnTheWire runs a code-gen cell of each
// baseline kind the authors' code-gen has (single, CoT, Reflexion, MoA)
// under protocol paper against serve-sim over real HTTP and reads the
// sampling and the system message of every request: code calls of
// single, CoT and Reflexion at temperature 0.8, top_p 1, 1024 tokens
// under the simple instruction (CoT included: main.py runs it as
// simple); reflections at 0.2, top_p 1, 1024; tests at 0.2, top_p 1,
// 1024; MoA proposers at 0.2 and top_p 0.95 without max_tokens, its
// GPT-4o aggregation with no sampling parameter at all.
func TestGenerateBaselinesPaperOnTheWire(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cells end to end")
	}
	const simple = "You are an AI that only responds with python code, NOT ENGLISH."
	for _, kind := range []string{"single", "cot", "reflexion", "moa"} {
		t.Run(kind, func(t *testing.T) {
			url, wire, agents := pysuiteWire(t)
			use := "[a]"
			if kind == "moa" {
				fmt.Fprintf(agents, "  - {name: d, provider: openai, base_url: %s, model: sim/coder-a}\n", url)
				use = "[a, b, c, d]"
			}
			sp := filepath.Join(t.TempDir(), "spec.yaml")
			os.WriteFile(sp, []byte(`name: wire-gen-`+kind+`
dataset: {suite: pysuite, problems: [median, roman]}
protocol: paper
seed: none
agents:
`+agents.String()+`strategies:
  - {name: `+kind+`, kind: `+kind+`, agents: `+use+`}
seeds: [1]
`), 0o644)
			_, calls := callsOfRun(t, sp)
			wire.mu.Lock()
			bodies := append([][]byte(nil), wire.bodies...)
			wire.mu.Unlock()
			if len(bodies) != len(calls) || len(bodies) == 0 {
				t.Fatalf("%d requests on the wire, %d calls recorded", len(bodies), len(calls))
			}
			purposes := map[string]int{}
			for _, b := range bodies {
				var raw map[string]any
				if err := json.Unmarshal(b, &raw); err != nil {
					t.Fatal(err)
				}
				msgs, _ := raw["messages"].([]any)
				first, _ := msgs[0].(map[string]any)
				sys, _ := first["content"].(string)
				if first["role"] != "system" {
					sys = ""
				}
				user := msgs[len(msgs)-1].(map[string]any)["content"].(string)
				var purpose string
				switch {
				case strings.Contains(user, "[unit tests]:"):
					purpose = "tests"
				case strings.HasSuffix(user, "[self-reflection]:"):
					purpose = "reflect"
				case kind == "moa" && raw["temperature"] == nil:
					purpose = "aggregate"
				case kind == "moa":
					purpose = "propose"
				default:
					purpose = "generate"
				}
				purposes[purpose]++
				type want struct {
					temp, topP, max any
					system          string
				}
				w := map[string]want{
					"tests":     {0.2, 1.0, 1024.0, "You are an AI coding assistant that can write unique"},
					"generate":  {0.8, 1.0, 1024.0, simple},
					"reflect":   {0.2, 1.0, 1024.0, "You are a Python programming assistant."},
					"propose":   {0.2, 0.95, nil, ""},
					"aggregate": {nil, nil, nil, "You have been provided with a set of responses"},
				}[purpose]
				if got := fmt.Sprint(raw["temperature"], raw["top_p"], raw["max_tokens"]); got != fmt.Sprint(w.temp, w.topP, w.max) {
					t.Errorf("%s: temperature, top_p, max_tokens %s on the wire, want %v %v %v", purpose, got, w.temp, w.topP, w.max)
				}
				if w.system != "" && !strings.HasPrefix(sys, w.system) {
					t.Errorf("%s: system message %.80q, want the authors' %q", purpose, sys, w.system)
				}
				if purpose == "generate" && strings.Contains(sys+user, "step by step") {
					t.Errorf("%s: the authors' main.py runs cot as simple, without \"step by step\"", kind)
				}
				if _, ok := raw["seed"]; ok {
					t.Errorf("%s: a seed under seed: none", purpose)
				}
			}
			t.Logf("%s: %d requests: %v", kind, len(bodies), purposes)
			if kind == "moa" && (purposes["propose"] != 2*3*2 || purposes["aggregate"] != 2) {
				t.Errorf("moa: %v, want 2 layers × 3 proposers and 1 aggregation per problem (2 problems)", purposes)
			}
			if (kind == "single" || kind == "cot") && purposes["generate"] != 2 {
				t.Errorf("%s: %v, want one code call per problem", kind, purposes)
			}
		})
	}
}
