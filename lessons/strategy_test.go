package lessons

import (
	"context"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

func solve(t *testing.T, params map[string]any, agents int, fail func(int, llm.Request) error) (*strategy.Env, []*strategytest.Model, *strategytest.Recorder, strategy.Result) {
	t.Helper()
	cfg, err := ParseConfig(params)
	if err != nil {
		t.Fatal(err)
	}
	env, models, rec, _ := strategytest.Env(agents)
	if fail != nil {
		models[1].Fail = fail
	}
	res, err := New(cfg, nil).Solve(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	return env, models, rec, res
}

// TestPaperCallCount: 3 agents × 2 calls × 4 rounds = 24 (Table 9).
func TestPaperCallCount(t *testing.T) {
	env, _, rec, res := solve(t, nil, 3, nil)
	if len(rec.Calls) != 24 || env.Usage().Calls != 24 {
		t.Errorf("%d calls, want 24", len(rec.Calls))
	}
	if len(rec.Candidates) != 12 || len(rec.Lessons) != 12 {
		t.Errorf("%d candidates and %d lessons, want 12 each", len(rec.Candidates), len(rec.Lessons))
	}
	if len(res.Rounds) != 4 || res.Final == nil {
		t.Errorf("rounds %v final %v", res.Rounds, res.Final)
	}
	// Round 1 shows all 3 banked lessons (≤ k); rounds 2 and 3 show k = 4 of 6 and 9.
	perRound := map[int]int{}
	for _, s := range rec.Selections {
		perRound[s.Round]++
	}
	if perRound[0] != 0 || perRound[1] != 3 || perRound[2] != 4 || perRound[3] != 4 {
		t.Errorf("selections per round %v, want 0, 3, 4, 4", perRound)
	}
}

// TestLessonsTravel: later prompts hold lessons written by other agents;
// with selection none no lesson reaches any prompt.
func TestLessonsTravel(t *testing.T) {
	_, models, _, _ := solve(t, nil, 3, nil)
	foreign := 0
	for _, req := range models[0].Seen {
		user := req.Messages[1].Content
		if strings.Contains(user, "Lessons learned") && strings.Contains(user, "agent-b says") {
			foreign++
		}
	}
	if foreign == 0 {
		t.Error("agent-a never saw a lesson written by agent-b")
	}

	_, models, rec, _ := solve(t, map[string]any{"selection": "none"}, 3, nil)
	for _, m := range models {
		for _, req := range m.Seen {
			if strings.Contains(req.Messages[1].Content, "Lessons learned") {
				t.Fatalf("selection none: a prompt holds lessons:\n%s", req.Messages[1].Content)
			}
		}
	}
	if len(rec.Selections) != 0 {
		t.Errorf("selection none recorded %d selections", len(rec.Selections))
	}
}

// TestAgentErrorMidRound: agent-b's code calls fail in rounds 1 and 2; the
// failures are recorded, its candidates are missing, the rounds go on.
func TestAgentErrorMidRound(t *testing.T) {
	fail := func(n int, req llm.Request) error {
		if strings.Contains(req.Messages[1].Content, "Optimize the following") && (n == 3 || n == 4) {
			return strategytest.ErrDown
		}
		return nil
	}
	_, _, rec, res := solve(t, nil, 3, fail)
	failed := 0
	for _, c := range rec.Calls {
		if c.Err != "" {
			failed++
		}
	}
	if failed != 2 {
		t.Errorf("%d failed calls recorded, want 2", failed)
	}
	// 24 calls less, for each failed code call, its lesson call.
	if len(rec.Calls) != 22 || len(rec.Candidates) != 10 {
		t.Errorf("%d calls and %d candidates, want 22 and 10", len(rec.Calls), len(rec.Candidates))
	}
	if res.Final == nil || len(res.Rounds) != 4 {
		t.Errorf("final %v rounds %v", res.Final, res.Rounds)
	}
}

func TestRoundsAndK(t *testing.T) {
	_, _, rec, _ := solve(t, map[string]any{"rounds": 2, "k": 1}, 2, nil)
	if len(rec.Calls) != 8 {
		t.Errorf("%d calls, want 2 agents × 2 × 2 rounds = 8", len(rec.Calls))
	}
	if len(rec.Selections) != 1 {
		t.Errorf("%d selections, want k = 1 in round 1", len(rec.Selections))
	}
}

// TestPaperProtocol: under protocol paper the framework makes the
// authors' 24 calls with their sampling, one user message each, shows no
// speedups to the agents, and answers the highest raw speedup of all
// rounds evaluated again, fresh.
func TestPaperProtocol(t *testing.T) {
	cfg, err := ParseConfig(map[string]any{"protocol": "paper"})
	if err != nil {
		t.Fatal(err)
	}
	env, models, rec, _ := strategytest.Env(3)
	// agent-b's second call (its round-1 code) is the fastest.
	models[1].SpeedOf = func(n int) float64 {
		if n == 3 {
			return 7.25
		}
		return 1.5
	}
	res, err := New(cfg, nil).Solve(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 24 || len(rec.Candidates) != 13 {
		t.Errorf("%d calls, %d candidates; want 24 and 13 (12 + the fresh answer)", len(rec.Calls), len(rec.Candidates))
	}
	last := rec.Candidates[len(rec.Candidates)-1]
	if res.Final == nil || res.Final.ID != last.ID || !strings.Contains(last.Code, "by agent-b call 3") || last.Speedup() != 7.25 {
		t.Errorf("final %+v, want a fresh evaluation of agent-b's call-3 code", res.Final)
	}
	for _, c := range rec.Calls {
		r := c.Request
		if len(r.Messages) != 1 || r.TopP != 0.95 || r.Temperature != 0.2 {
			t.Errorf("%s: %d messages, top_p %g, temperature %g; want 1, 0.95, 0.2", c.Purpose, len(r.Messages), r.TopP, r.Temperature)
		}
		if c.Purpose == "lesson" && (r.FrequencyPenalty != 0.5 || r.MaxTokens != 250) {
			t.Errorf("lesson call: penalty %g, max tokens %d", r.FrequencyPenalty, r.MaxTokens)
		}
		if c.Purpose == "optimize" && c.Round > 0 && (strings.Contains(r.Messages[0].Content, "7.25") || strings.Contains(r.Messages[0].Content, "1.50")) {
			t.Errorf("round %d prompt shows a speedup", c.Round)
		}
	}
}
