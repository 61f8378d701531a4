package baselines

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

// TestCallCounts checks each baseline's LLM calls and evaluations per
// problem against Config.Cost and, where the paper gives one, its Table 9.
func TestCallCounts(t *testing.T) {
	tests := []struct {
		kind         string
		agents       int
		params       map[string]any
		calls, evals int
	}{
		{"single", 1, nil, 1, 1},
		{"single", 1, map[string]any{"samples": 20}, 20, 20},
		{"cot", 1, nil, 1, 1},
		{"best-of-n", 3, map[string]any{"n": 7}, 7, 7},
		{"voting", 3, nil, 6, 1},
		{"debate", 3, map[string]any{"rounds": 2}, 12, 1},
		{"debate", 3, map[string]any{"rounds": 2, "final": "measure"}, 9, 9},
		{"moa", 4, nil, 10, 1}, // the paper's MoA: 3 proposers, 3 layers, 1 aggregator
		{"reflexion", 1, nil, 19, 10},
		{"mapcoder", 1, nil, 4, 3}, // each plan's first code is correct and 2x: no debugging needed
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			cfg, err := ParseConfig(tt.kind, tt.params)
			if err != nil {
				t.Fatal(err)
			}
			s, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			env, _, rec, ev := strategytest.Env(tt.agents)
			res, err := s.Solve(context.Background(), env)
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.Calls) != tt.calls || env.Usage().Calls != tt.calls {
				t.Errorf("%d calls recorded (%d counted), want %d", len(rec.Calls), env.Usage().Calls, tt.calls)
			}
			if ev.N != tt.evals || env.Usage().Evaluations != tt.evals {
				t.Errorf("%d evaluations (%d counted), want %d", ev.N, env.Usage().Evaluations, tt.evals)
			}
			if max, _ := cfg.Cost(strategy.TaskOptimize, tt.agents); tt.calls > max {
				t.Errorf("%d calls exceed the estimate %d", tt.calls, max)
			}
			if res.Final == nil || res.Final.Speedup() != 2 {
				t.Errorf("final %+v, want a correct 2x candidate", res.Final)
			}
		})
	}
}

// TestMapCoderDebugs: when code keeps failing, each plan gets all its
// iterations: 1 + 3×5 = 16 calls, the paper's count.
func TestMapCoderDebugs(t *testing.T) {
	cfg, _ := ParseConfig("mapcoder", nil)
	s, _ := New(cfg)
	env, _, rec, _ := strategytest.Env(1)
	env.Evaluators[strategy.TaskOptimize] = failing{}
	if _, err := s.Solve(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	if len(rec.Calls) != 16 {
		t.Errorf("%d calls, want 16", len(rec.Calls))
	}
	debug := 0
	for _, c := range rec.Calls {
		if c.Purpose == "debug" {
			debug++
			if !strings.Contains(c.Request.Messages[1].Content, "does not compute the same results") {
				t.Errorf("debug prompt lacks the evaluator's feedback")
			}
		}
	}
	if debug != 12 {
		t.Errorf("%d debug calls, want 12", debug)
	}
}

// TestAgentFailureIsRecorded: a failing agent loses its turn; the strategy
// completes with the others, and the failed call is recorded.
func TestAgentFailureIsRecorded(t *testing.T) {
	for _, kind := range []string{"voting", "debate", "best-of-n", "moa"} {
		t.Run(kind, func(t *testing.T) {
			cfg, _ := ParseConfig(kind, nil)
			s, _ := New(cfg)
			env, models, rec, _ := strategytest.Env(3)
			models[1].Fail = func(int, llm.Request) error { return strategytest.ErrDown }
			res, err := s.Solve(context.Background(), env)
			if err != nil {
				t.Fatalf("strategy failed: %v", err)
			}
			failed := 0
			for _, c := range rec.Calls {
				if c.Err != "" {
					failed++
					if c.Agent != "agent-b" {
						t.Errorf("failed call by %s", c.Agent)
					}
				}
			}
			if failed == 0 {
				t.Error("the failed calls were not recorded")
			}
			if res.Final == nil {
				t.Error("no answer despite two working agents")
			}
		})
	}
}

func TestBudgetCapsCalls(t *testing.T) {
	cfg, _ := ParseConfig("best-of-n", map[string]any{"n": 10})
	s, _ := New(cfg)
	env, _, rec, _ := strategytest.Env(2)
	env.Budget = strategy.Budget{Calls: 4}
	if _, err := s.Solve(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	if u := env.Usage(); len(rec.Calls) != 4 || !u.BudgetHit {
		t.Errorf("%d calls, budget hit %v; want 4 and true", len(rec.Calls), u.BudgetHit)
	}
}

func TestParseVote(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want int
		ok   bool
	}{
		{"Vote: 2 because", 3, 1, true}, {"vote=#3", 3, 2, true}, {"VOTE 1", 3, 0, true},
		{"Vote: 4", 3, 0, false}, {"I like the second", 3, 0, false}, {"Vote: 0", 3, 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseVote(tt.in, tt.n)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParseVote(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSplitPlans(t *testing.T) {
	got := SplitPlans("Plan 1: hoist the size.\nPlan 2: use blocking\nover tiles.\n3. sort first", 3)
	if len(got) != 3 || got[1] != "use blocking\nover tiles." || got[2] != "sort first" {
		t.Errorf("SplitPlans = %q", got)
	}
	if got := SplitPlans("just do it", 3); len(got) != 1 {
		t.Errorf("unnumbered reply gave %d plans", len(got))
	}
}

// failing evaluates every candidate as incorrect.
type failing struct{}

func (failing) Evaluate(context.Context, *datasets.Problem, string) (evaluate.Outcome, error) {
	return evaluate.Outcome{Status: evaluate.Incorrect}, nil
}

// broken is an evaluator that cannot evaluate at all.
type broken struct{}

func (broken) Evaluate(context.Context, *datasets.Problem, string) (evaluate.Outcome, error) {
	return evaluate.Outcome{}, errors.New("baseline does not build")
}

// TestEvaluatorFailureEnds: an evaluator failure is a typed error that
// ends every kind at once, unlike an agent's failure.
func TestEvaluatorFailureEnds(t *testing.T) {
	for _, kind := range []string{"single", "best-of-n", "debate", "reflexion", "mapcoder", "moa", "voting"} {
		t.Run(kind, func(t *testing.T) {
			cfg, err := ParseConfig(kind, map[string]any{})
			if err != nil {
				t.Fatal(err)
			}
			s, _ := New(cfg)
			n := 3
			if cfg.def.agents > 0 {
				n = cfg.def.agents
			}
			env, _, rec, _ := strategytest.Env(n)
			env.Evaluators[strategy.TaskOptimize] = broken{}
			_, err = s.Solve(context.Background(), env)
			var ee *strategy.EvalError
			if !errors.As(err, &ee) || ee.Problem != env.Problem.ID {
				t.Fatalf("error %v, want a strategy.EvalError for %s", err, env.Problem.ID)
			}
			if cap, _ := cfg.Cost(strategy.TaskOptimize, n); len(rec.Calls) >= cap && (kind == "best-of-n" || kind == "reflexion" || kind == "mapcoder") {
				t.Errorf("%d calls: the strategy went on after the evaluator failed", len(rec.Calls))
			}
		})
	}
}

// TestPaperCallCounts checks the authors' call structure per kind under
// protocol paper, and that the answer is the last evaluation (a fresh one
// but for single and CoT, whose one evaluation is the answer's).
func TestPaperCallCounts(t *testing.T) {
	tests := []struct {
		kind         string
		agents       int
		calls, evals int
	}{
		{"single", 1, 1, 1}, // simple.py submits its answer once
		{"cot", 1, 1, 1},
		{"moa", 4, 10, 1},
		{"reflexion", 1, 21, 11}, // 1 + 10 × (reflect + rewrite); 10 attempts + the answer
		{"mapcoder", 1, 25, 34},  // 1 retrieval + 3 plans + 3 confidences + 3 × (1 + 5); 3 × (1 + 5 × 2) evaluations + the answer
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			cfg, err := ParseConfig(tt.kind, map[string]any{"protocol": "paper"})
			if err != nil {
				t.Fatal(err)
			}
			s, _ := New(cfg)
			env, _, rec, ev := strategytest.Env(tt.agents)
			res, err := s.Solve(context.Background(), env)
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.Calls) != tt.calls || ev.N != tt.evals {
				t.Errorf("%d calls, %d evaluations; want %d and %d", len(rec.Calls), ev.N, tt.calls, tt.evals)
			}
			if max, maxEvals := cfg.Cost(strategy.TaskOptimize, tt.agents); tt.calls > max || tt.evals > maxEvals {
				t.Errorf("cost %d calls, %d evaluations is below what it took", max, maxEvals)
			}
			last := rec.Candidates[len(rec.Candidates)-1]
			if res.Final == nil || res.Final.ID != last.ID {
				t.Errorf("final %+v is not the last, fresh evaluation %s", res.Final, last.ID)
			}
			for _, c := range rec.Calls {
				if c.Request.TopP != 0.95 && c.Purpose != "aggregate" {
					t.Errorf("%s call without top_p 0.95", c.Purpose)
				}
				if len(c.Request.Messages) != 1 && tt.kind != "moa" {
					t.Errorf("%s call with %d messages", c.Purpose, len(c.Request.Messages))
				}
			}
		})
	}
}

// TestPaperReflexionSubmitsTheNextCode: the authors' reflexion submits
// the code written right after its best-scoring attempt, not that attempt.
func TestPaperReflexionSubmitsTheNextCode(t *testing.T) {
	cfg, _ := ParseConfig("reflexion", map[string]any{"protocol": "paper"})
	s, _ := New(cfg)
	env, models, _, _ := strategytest.Env(1)
	models[0].Fence = "c++" // the authors' reflexion reads only ```c++
	// Code calls are 1, 3, 5, ...; the attempt written by call 5 is best.
	models[0].SpeedOf = func(n int) float64 {
		if n == 5 {
			return 9
		}
		return 1.5
	}
	res, err := s.Solve(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	if res.Final == nil || !strings.Contains(res.Final.Code, "call 7") || res.Final.Speedup() != 1.5 {
		t.Errorf("final %+v, want the code of call 7 (after the best attempt), at 1.5x", res.Final)
	}
}

// TestPaperMapCoderOrdersPlans: plans are coded in order of confidence,
// the highest first.
func TestPaperMapCoderOrdersPlans(t *testing.T) {
	cfg, _ := ParseConfig("mapcoder", map[string]any{"protocol": "paper"})
	s, _ := New(cfg)
	env, _, rec, _ := strategytest.Env(1)
	if _, err := s.Solve(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	// Calls: 1 retrieval; plans 2, 4, 6 with confidences 30, 50, 70.
	var order []string
	for _, c := range rec.Calls {
		if c.Purpose == "code" {
			for _, n := range []string{"call 2)", "call 4)", "call 6)"} {
				if strings.Contains(c.Request.Messages[0].Content, n) {
					order = append(order, n)
				}
			}
		}
	}
	if strings.Join(order, " ") != "call 6) call 4) call 2)" {
		t.Errorf("plans coded in order %v, want by confidence 70, 50, 30", order)
	}
}

// TestPaperMoARetriesWithoutSystem: under paper a proposer call that
// fails with the previous codes in a system message is sent again with
// the user message alone, as the authors' run_llm does, and its code
// takes part in the next layer.
func TestPaperMoARetriesWithoutSystem(t *testing.T) {
	cfg, _ := ParseConfig("moa", map[string]any{"protocol": "paper", "layers": 2})
	s, _ := New(cfg)
	env, models, rec, _ := strategytest.Env(3)
	for _, m := range models {
		m.Fence = "c++"
	}
	models[0].Fail = func(_ int, req llm.Request) error {
		if len(req.Messages) > 1 {
			return strategytest.ErrDown
		}
		return nil
	}
	if _, err := s.Solve(context.Background(), env); err != nil {
		t.Fatal(err)
	}
	// Layer 1: 2 proposers; layer 2: agent 1 fails and asks again without
	// the system message, agent 2 succeeds; then the aggregation.
	var retried bool
	for i, c := range rec.Sorted().Calls {
		if c.Err != "" && c.Agent == env.Agents[0].Name && i+1 < len(rec.Calls) {
			for _, d := range rec.Calls[i+1:] {
				if d.Agent == c.Agent && d.Err == "" && len(d.Request.Messages) == 1 && d.Round == c.Round {
					retried = d.Request.Messages[0] == c.Request.Messages[1]
				}
			}
		}
	}
	if !retried || len(rec.Calls) != 2+3+1 {
		t.Errorf("%d calls, retried without the system message: %v; want 6 and true", len(rec.Calls), retried)
	}
}
