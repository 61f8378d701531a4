package strategytest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// generate reports whether req is a generate request (llm.CueGenerate).
func generate(req llm.Request) bool {
	for _, c := range req.Cues {
		if c.Name == llm.CueGenerate {
			return true
		}
	}
	return false
}

// genReply answers a generate request: two assertions for ask/tests,
// plans, a sentence for lessons and reflections, and otherwise a Python
// f() whose body names the agent and call (never passing: the fake
// evaluator passes only code marked "pass").
func genReply(name string, n int, req llm.Request) string {
	switch Ask(req) {
	case llm.AskTests:
		return "assert f() == 1\nassert f() != 2\n"
	case llm.AskPlan:
		return "Plan 1: return one.\nPlan 2: compute one.\nPlan 3: look it up."
	case llm.AskLesson, llm.AskReflect:
		return "Lesson: " + name + " says f must return 1."
	}
	return fmt.Sprintf("```python\ndef f():\n    # by %s call %d\n    return 0\n```", name, n)
}

// GenEvaluator is a fake generate evaluator: code holding "pass" passes
// every test, other code fails all; tests are counted from the check().
type GenEvaluator struct {
	mu sync.Mutex
	N  int // hidden evaluations
}

// Evaluate implements strategy.GenEvaluator.
func (e *GenEvaluator) Evaluate(_ context.Context, p *datasets.GenProblem, code string) (pyeval.Verdict, error) {
	total := strings.Count(p.Tests.Check, "assert")
	if !strings.HasSuffix(p.ID, "#generated") {
		e.mu.Lock()
		e.N++
		e.mu.Unlock()
	}
	if strings.Contains(code, "pass") {
		return pyeval.Verdict{Status: pyeval.Passed, Passed: total, Total: total, BasePassed: total, BaseTotal: total}, nil
	}
	v := pyeval.Verdict{Status: pyeval.Failed, Total: total, BaseTotal: total, Failure: "assert f() == 1"}
	for i := 0; i < total; i++ {
		v.Failed = append(v.Failed, i)
	}
	return v, nil
}

// GenEnv builds an env over n fake agents on a tiny generate problem.
func GenEnv(n int) (*strategy.Env, []*Model, *Recorder, *GenEvaluator) {
	env, models, rec, _ := Env(n)
	g := &datasets.GenProblem{ID: "g", Suite: "test", EntryPoint: "f", Prompt: "def f():\n    \"\"\"Return 1.\"\"\"\n",
		Tests: datasets.GenTests{Check: "def check(candidate):\n    assert candidate() == 1\n"}}
	ev := &GenEvaluator{}
	env.Problem, env.Evaluators = datasets.AsProblem(g), strategy.Evaluators{strategy.TaskGenerate: ev}
	return env, models, rec, ev
}
