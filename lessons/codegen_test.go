package lessons

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

// genModel answers generate prompts by their ask cue: three tests for
// ask/tests, a lesson for ask/lesson, and for ask/generate the correct
// add() when good(agent's call number) says so, else a wrong one.
type genModel struct {
	name string
	good func(n int) bool

	mu   sync.Mutex
	n    int
	seen []llm.Request
}

func (m *genModel) Chat(_ context.Context, req llm.Request) (llm.Response, error) {
	m.mu.Lock()
	m.seen = append(m.seen, req)
	m.mu.Unlock()
	switch strategytest.Ask(req) {
	case llm.AskTests:
		return llm.Response{Text: "assert add(1, 2) == 3\nassert add(0, 0) == 0\nassert add(-1, 1) == 0\nassert add(2, 2) == 4 and (\n"}, nil
	case llm.AskLesson:
		return llm.Response{Text: "It subtracts instead of adding."}, nil
	}
	m.mu.Lock()
	m.n++
	n := m.n
	m.mu.Unlock()
	body := "return a - b"
	if m.good != nil && m.good(n) {
		body = "return a + b"
	}
	return llm.Response{Text: fmt.Sprintf("```python\ndef add(a, b):\n    %s\n```", body)}, nil
}

func genEnv(t *testing.T, hidden string, good func(agent, n int) bool) (*strategy.Env, *strategy.Trace, []*genModel) {
	t.Helper()
	ev, err := pyeval.New(pyeval.Config{})
	if err != nil {
		t.Fatalf("Python evaluator: %v", err)
	}
	t.Cleanup(func() { ev.Close() })
	g := &datasets.GenProblem{ID: "add", Suite: "test", EntryPoint: "add",
		Prompt: "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n", Tests: datasets.GenTests{Check: hidden}}
	rec := &strategy.Trace{}
	env := &strategy.Env{Problem: datasets.AsProblem(g), Evaluators: strategy.Evaluators{strategy.TaskGenerate: ev}, Recorder: rec, Seed: 1}
	var models []*genModel
	for i := 0; i < 3; i++ {
		m := &genModel{name: fmt.Sprintf("agent-%c", 'a'+i)}
		if good != nil {
			m.good = func(n int) bool { return good(i, n) }
		}
		models = append(models, m)
		env.Agents = append(env.Agents, &strategy.Agent{Name: m.name, Model: "fake/" + m.name, LLM: m})
	}
	return env, rec, models
}

const hiddenAdd = "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-2, -3) == -5\n"

// TestGenCallCounts checks the official call numbers of the code-gen
// LessonL cell (3 agents, 4 rounds): a problem the first agent solves in
// round 0 takes 2 calls (tests, code); one the third agent solves there
// takes 6; one never solved takes 1 + 4 × 3 × 2 = 25, its generate Cost.
func TestGenCallCounts(t *testing.T) {
	for _, protocol := range []string{strategy.ProtocolPaper, strategy.ProtocolLessonl} {
		cfg, err := ParseConfig(map[string]any{"protocol": protocol})
		if err != nil {
			t.Fatal(err)
		}
		maxCalls, maxEvals := cfg.Cost(strategy.TaskGenerate, 3)
		if maxCalls != 25 || maxEvals != 12 {
			t.Fatalf("Cost(generate, 3) = %d calls, %d evaluations; want 25, 12", maxCalls, maxEvals)
		}
		cases := []struct {
			name   string
			good   func(agent, n int) bool
			calls  int
			passed bool
		}{
			{"first agent solves round 0", func(a, _ int) bool { return a == 0 }, 2, true},
			{"third agent solves round 0", func(a, _ int) bool { return a == 2 }, 6, true},
			{"never solved", nil, 25, false},
		}
		for _, tc := range cases {
			t.Run(protocol+"/"+tc.name, func(t *testing.T) {
				env, rec, _ := genEnv(t, hiddenAdd, tc.good)
				res, err := New(cfg, nil).Solve(context.Background(), env)
				if err != nil {
					t.Fatal(err)
				}
				if got := env.Usage().Calls; got != tc.calls {
					t.Fatalf("%d calls, want %d", got, tc.calls)
				}
				if res.Final == nil {
					t.Fatal("no final answer")
				}
				var final strategy.Candidate
				for _, c := range rec.Candidates {
					if c.ID == res.Final.ID {
						final = c
					}
				}
				if final.OK() != tc.passed {
					t.Fatalf("final %s status %s, want passed=%v", final.ID, final.Status, tc.passed)
				}
				// The fourth test line does not parse and is dropped.
				if tt := final.Gen().Tests; tt == nil || tt.Total != 3 {
					t.Fatalf("generated tests of the final candidate: %+v, want 3", tt)
				}
				if !tc.passed && len(rec.Lessons) != 12 {
					t.Fatalf("%d lessons, want 12", len(rec.Lessons))
				}
				if tc.calls == 25 {
					// Round 2 on: 6 and 9 lessons banked > k = 4: two by
					// tests passed, two by relevance.
					reasons := map[string]int{}
					for _, s := range rec.Selections {
						if s.Round >= 2 {
							reasons[s.Reason]++
						}
					}
					if reasons["tests_passed"] != 4 || reasons["relevance"] != 4 {
						t.Fatalf("selections from round 2: %v, want 4 tests_passed and 4 relevance", reasons)
					}
				}
			})
		}
	}
}

// TestGenHiddenNeverFeedsBack runs the same cell against hidden tests the
// code passes and against hidden tests it fails: every prompt sent is the
// same, and so is the answer; only the recorded verdicts differ.
func TestGenHiddenNeverFeedsBack(t *testing.T) {
	cfg, err := ParseConfig(map[string]any{"protocol": strategy.ProtocolPaper, "rounds": 2})
	if err != nil {
		t.Fatal(err)
	}
	good := func(agent, n int) bool { return agent == 1 && n == 2 }
	var prompts [2][]string
	var finals [2]string
	var status [2]string
	for i, hidden := range []string{hiddenAdd, "def check(candidate):\n    assert candidate(2, 3) == 6\n"} {
		env, rec, models := genEnv(t, hidden, good)
		res, err := New(cfg, nil).Solve(context.Background(), env)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range models {
			for _, r := range m.seen {
				prompts[i] = append(prompts[i], m.name+": "+strings.Join(msgs(r), "\n"))
			}
		}
		finals[i] = res.Final.Code
		for _, c := range rec.Candidates {
			if c.ID == res.Final.ID {
				status[i] = c.Status
			}
		}
	}
	if strings.Join(prompts[0], "\x00") != strings.Join(prompts[1], "\x00") || finals[0] != finals[1] {
		t.Fatal("the hidden tests changed what the strategy asked or answered")
	}
	if status[0] != "passed" || status[1] != "failed" {
		t.Fatalf("recorded final statuses %v, want passed then failed", status)
	}
}

func msgs(r llm.Request) []string {
	var out []string
	for _, m := range r.Messages {
		out = append(out, m.Role+": "+m.Content)
	}
	return out
}
