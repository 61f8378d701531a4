package strategy_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

// TestEnvDispatchesOnTask: the Env scores a candidate by its problem's
// task: optimize by the Evaluator, generate by the GenEvaluator, each
// the task's own entry of Env.Evaluators (a missing one, or one of
// another type, fails as an error that names the task); and a
// problem naming a task nobody registered fails as the evaluator's error
// (never as a candidate's status), and so does one whose registered value
// has no strategies' part.
func TestEnvDispatchesOnTask(t *testing.T) {
	reply := llm.Response{Text: "```c++\nint f() { return 1; }\n```\n```python\ndef f():\n    return 1\n```\n"}
	tests := []struct {
		name    string
		env     func() (*strategy.Env, func() int)
		task    string
		wantErr string
	}{
		{name: "optimize", task: strategy.TaskOptimize, env: func() (*strategy.Env, func() int) {
			env, _, _, ev := strategytest.Env(1)
			return env, func() int { return ev.N }
		}},
		{name: "generate", task: strategy.TaskGenerate, env: func() (*strategy.Env, func() int) {
			env, _, _, ev := strategytest.GenEnv(1)
			return env, func() int { return ev.N }
		}},
		{name: "generate without its evaluator", task: strategy.TaskGenerate, wantErr: "no evaluator for generate problems (want a strategy.GenEvaluator, have <nil>)",
			env: func() (*strategy.Env, func() int) {
				env, _, _, ev := strategytest.GenEnv(1)
				delete(env.Evaluators, strategy.TaskGenerate)
				return env, func() int { return ev.N }
			}},
		{name: "optimize given generate's evaluator", task: strategy.TaskOptimize, wantErr: "no evaluator for optimize problems (want a strategy.Evaluator, have *strategytest.GenEvaluator)",
			env: func() (*strategy.Env, func() int) {
				env, _, _, ev := strategytest.Env(1)
				env.Evaluators[strategy.TaskOptimize] = &strategytest.GenEvaluator{}
				return env, func() int { return ev.N }
			}},
		{name: "no scoring", task: "names-only", wantErr: `task "names-only" scores no candidates`, env: func() (*strategy.Env, func() int) {
			env, _, _, ev := strategytest.Env(1)
			env.Problem.TaskName = "names-only"
			return env, func() int { return ev.N }
		}},
		{name: "unknown", task: "nobody-registered-me", wantErr: "unknown task", env: func() (*strategy.Env, func() int) {
			env, _, _, ev := strategytest.Env(1)
			env.Problem.TaskName = "nobody-registered-me"
			return env, func() int { return ev.N }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, evaluations := tt.env()
			if got := string(env.Problem.Task()); got != tt.task {
				t.Fatalf("problem task %q, want %q", got, tt.task)
			}
			c, err := env.Evaluate(context.Background(), strategy.Call{ID: "c001", Agent: env.Agents[0].Name, Reply: reply}, 0)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if evaluations() != 1 || c.Code == "" {
				t.Errorf("%d evaluations by the task's evaluator, code %q; want 1 and the reply's code", evaluations(), c.Code)
			}
			if (c.Gen() != nil) != (tt.task == strategy.TaskGenerate) {
				t.Errorf("generate outcome %v on a %s problem", c.Gen(), tt.task)
			}
		})
	}
}

// namesOnly is a task registered without a strategies' part.
type namesOnly struct{}

func (namesOnly) Name() string { return "names-only" }

func init() { datasets.RegisterTask(namesOnly{}) }

// TestKindTasks: every registered kind names the tasks it solves (optimize
// when its registration gave none), each of them a registered task.
func TestKindTasks(t *testing.T) {
	if len(strategy.Kinds()) == 0 {
		t.Fatal("no kinds registered")
	}
	for _, k := range strategy.Kinds() {
		if len(k.Tasks) == 0 {
			t.Errorf("kind %s registered without tasks", k.Name)
		}
		for _, task := range k.Tasks {
			if _, ok := strategy.LookupTask(task); !ok {
				t.Errorf("kind %s solves %q, which is no registered task (%v)", k.Name, task, strategy.TaskNames())
			}
		}
	}
}

// TestAnswerOf: a finished cell's answer as its task reads it: optimize's
// as its speedup, generate's by the hidden tests of the recorded copy of
// the final candidate, and a task without a reading of its own (or none)
// as the final candidate's status.
func TestAnswerOf(t *testing.T) {
	optimize, _ := strategy.LookupTask(strategy.TaskOptimize)
	generate, _ := strategy.LookupTask(strategy.TaskGenerate)
	fast := &strategy.Candidate{ID: "k1", Status: "correct", Outcome: strategy.Timed{Outcome: evaluate.Outcome{Speedup: 1.5}}}
	shown := &strategy.Candidate{ID: "k2", Status: strategy.GenUnjudged, Outcome: &strategy.GenOutcome{}}
	passed := *shown
	passed.Outcome = &strategy.GenOutcome{Hidden: pyeval.Verdict{Status: pyeval.Passed}}
	wrong := &strategy.Candidate{ID: "k3", Status: "incorrect"}
	for _, c := range []struct {
		name     string
		task     strategy.TaskKind
		final    *strategy.Candidate
		recorded []strategy.Candidate
		want     strategy.Answer
	}{
		{"optimize", optimize, fast, nil, strategy.Answer{Correct: true, Speedup: 1.5}},
		{"optimize, no answer", optimize, nil, nil, strategy.Answer{}},
		{"generate, hidden tests passed", generate, shown, []strategy.Candidate{passed}, strategy.Answer{Verdict: "passed", Correct: true, Share: "pass@1"}},
		{"generate, not recorded", generate, shown, nil, strategy.Answer{Verdict: "not passed", Share: "pass@1"}},
		{"no reading of its own", namesOnlyScoring{}, wrong, nil, strategy.Answer{Verdict: "incorrect"}},
		{"no task", nil, nil, nil, strategy.Answer{Verdict: "no answer"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := strategy.AnswerOf(c.task, c.final, c.recorded); got != c.want {
				t.Errorf("answer %+v, want %+v", got, c.want)
			}
		})
	}
}

// namesOnlyScoring is a task with scoring and no reading of its answers.
type namesOnlyScoring struct{}

func (namesOnlyScoring) Name() string { return "names-only-scoring" }
func (namesOnlyScoring) Extract(*strategy.Env, string) (string, bool) {
	return "", false
}
func (namesOnlyScoring) Score(_ context.Context, _ *strategy.Env, c strategy.Candidate, _ strategy.Scoring) (strategy.Candidate, strategy.Candidate, error) {
	return c, c, nil
}
