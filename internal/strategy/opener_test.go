package strategy_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// plainTask is a task of this test with no evaluator to open.
type plainTask struct{}

func (plainTask) Name() string { return "opener-test-plain" }
func (plainTask) Extract(_ *strategy.Env, reply string) (string, bool) {
	return reply, true
}
func (plainTask) Score(_ context.Context, _ *strategy.Env, c strategy.Candidate, _ strategy.Scoring) (strategy.Candidate, strategy.Candidate, error) {
	return c, c, nil
}

// openedTask is plainTask with an evaluator of its own to open
// (strategy.EvaluatorOpener), which fails to open when the settings'
// compiler is "broken".
type openedTask struct{ plainTask }

func (openedTask) Name() string { return "opener-test" }
func (openedTask) OpenEvaluator(cfg evaluate.Config) (strategy.OpenedEvaluator, error) {
	if cfg.Compiler == "broken" {
		return nil, errors.New("no such compiler")
	}
	return &testEvaluator{compiler: cfg.Compiler}, nil
}

// testEvaluator is what openedTask opens: it says which settings it was
// opened with.
type testEvaluator struct{ compiler string }

func (*testEvaluator) Close() error { return nil }
func (e *testEvaluator) Enforced() map[string]string {
	return map[string]string{"compiler": e.compiler}
}

func init() {
	datasets.RegisterTask(openedTask{})
	datasets.RegisterTask(plainTask{})
}

// TestOpenEvaluator: a run's evaluator is opened through its task's
// registration, with the run's settings (generate's Python evaluator
// bounded by their timeout and memory_gib); a task without an opener, or
// no task of that name, opens none; a failure names the task.
func TestOpenEvaluator(t *testing.T) {
	gen, err := strategy.OpenEvaluator(strategy.TaskGenerate, evaluate.Config{Timeout: evaluate.Duration(7 * time.Second), MemoryGiB: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer gen.Close()
	if py, ok := gen.(*pyeval.Evaluator); !ok || py.Config().Timeout != 7*time.Second || py.Config().MemoryGiB != 2 {
		t.Errorf("generate opened %T, want a *pyeval.Evaluator with the run's timeout and memory", gen)
	}
	ev, err := strategy.OpenEvaluator("opener-test", evaluate.Config{Compiler: "clang++"})
	if err != nil || ev == nil || ev.Enforced()["compiler"] != "clang++" {
		t.Errorf("opener-test: %v, %v; want its evaluator opened with clang++", ev, err)
	}
	for _, name := range []string{"opener-test-plain", "no-such-task"} {
		if ev, err := strategy.OpenEvaluator(name, evaluate.Config{}); ev != nil || err != nil {
			t.Errorf("%s: %v, %v; want none", name, ev, err)
		}
	}
	_, err = strategy.OpenEvaluator("opener-test", evaluate.Config{Compiler: "broken"})
	if err == nil || !strings.Contains(err.Error(), "open the opener-test task's evaluator: no such compiler") {
		t.Errorf("broken: %v, want the task named", err)
	}
}
