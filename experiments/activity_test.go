package experiments

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

// syncBuffer is a bytes.Buffer safe for the display's ticker and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// blockingLLM answers once released.
type blockingLLM struct{ release chan struct{} }

func (b blockingLLM) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	<-b.release
	return llm.Response{Text: "ok"}, nil
}

// TestProgressActivity: before any cell ends, the plain display's
// summaries say what runs: the cell with its strategy, problem and round,
// its failed calls, and the calls in flight. Finished cells leave it, and
// the per-cell line names the problem; --quiet drops those lines.
func TestProgressActivity(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		var out syncBuffer
		l := &Lines{W: &out, Period: 100 * time.Millisecond, Quiet: quiet}
		l.Start(map[string]int{"lessonl": 2})
		act := l.Activity()
		l.Begin("lessonl||p01|1", "lessonl", "p01")
		rec := activityRecorder{Recorder: &strategy.Trace{}, a: act, cell: "lessonl||p01|1"}
		rec.Call(strategy.Call{Round: 0})
		rec.Call(strategy.Call{Round: 1, Err: "connection refused"})
		release := make(chan struct{})
		done := make(chan struct{})
		go func() {
			act.Provider("lessonl||p01|1", blockingLLM{release}).Chat(context.Background(), llm.Request{})
			close(done)
		}()
		want := "1 cells running (lessonl p01 round 1 (1 failed calls)) · 1 calls in flight · 0 evaluations under way (running or waiting for a slot)"
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(out.String(), want) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		close(release)
		<-done
		l.Done("lessonl", Score{Key: "lessonl||p01|1", Problem: "p01", Speedup: 0})
		l.Close()
		text := out.String()
		if !strings.Contains(text, want) {
			t.Errorf("quiet=%v: no summary says what runs (%q):\n%s", quiet, want, text)
		}
		cellLine := "lessonl p01: no correct answer (counts 1x) (1/2 of lessonl done; running geomean 1.000x)"
		if strings.Contains(text, cellLine) == quiet {
			t.Errorf("quiet=%v: the per-cell line is %v:\n%s", quiet, map[bool]string{true: "there", false: "missing"}[!quiet], text)
		}
		if got := act.Text(); !strings.HasPrefix(got, "0 cells running") {
			t.Errorf("after the cell ended the activity reads %q", got)
		}
	}
}

// phasedEvaluator tells the phases it is sent on next, one at a time,
// and ends when next is closed.
type phasedEvaluator struct{ next, told chan evaluate.Phase }

func (e phasedEvaluator) Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	for ph := range e.next {
		evaluate.TellPhase(ctx, ph)
		e.told <- ph
	}
	return evaluate.Outcome{}, nil
}

// TestActivityPhases: once evaluations tell their phases, the activity
// says how many compile or validate, wait for the timing slot, time, or
// wait for identical code.
func TestActivityPhases(t *testing.T) {
	var act Activity
	e := phasedEvaluator{make(chan evaluate.Phase), make(chan evaluate.Phase)}
	done := make(chan struct{})
	go func() {
		act.Evaluator("lessonl||p01|1", e).Evaluate(context.Background(), &datasets.Problem{}, "int main() {}")
		close(done)
	}()
	for _, step := range []struct {
		phase evaluate.Phase
		want  string
	}{
		{evaluate.PhaseQueued, "1 evaluations under way (1 waiting for the timing slot)"},
		{evaluate.PhaseTiming, "1 evaluations under way (1 timing)"},
	} {
		e.next <- step.phase
		<-e.told
		if got := act.Text(); !strings.HasSuffix(got, step.want) {
			t.Errorf("after %s the activity reads %q, want it to end %q", step.phase, got, step.want)
		}
	}
	close(e.next)
	<-done
	if got, want := act.Text(), "0 evaluations under way (none)"; !strings.HasSuffix(got, want) {
		t.Errorf("after the evaluation ended the activity reads %q, want it to end %q", got, want)
	}
}

// cachedEvaluator answers every evaluation as a cache hit.
type cachedEvaluator struct{}

func (cachedEvaluator) Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	return evaluate.Outcome{Cached: true}, nil
}

// timedEvaluator evaluates afresh at once, telling that it waited for
// the timing slot and held it.
type timedEvaluator struct{}

func (timedEvaluator) Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	evaluate.TellPhase(ctx, evaluate.PhaseQueued)
	evaluate.TellPhase(ctx, evaluate.PhaseTiming)
	return evaluate.Outcome{}, nil
}

// TestProgressEvents: a display given Events writes the run's events as
// a recording the ETA's test reads back: the plan, the cell's begin, its
// call, its evaluation with the cache hit, a fresh one with its phases
// (queued for the timing slot, timing), and its end, in that order, each
// call's and evaluation's events under one id of its own.
func TestProgressEvents(t *testing.T) {
	var out, events syncBuffer
	l := &Lines{W: &out, Events: &events}
	c := spec.Cell{Strategy: "lessonl", Kind: "lessonl", Problem: "p01", Seed: 1, Agents: []string{"coder-a"}, Params: map[string]any{"rounds": 2}}
	l.Plan([]spec.Cell{c}, datasets.TaskOptimize)
	l.Start(map[string]int{"lessonl": 1})
	l.Begin(c.Key(), label(c), c.Problem)
	act := l.Activity()
	release := make(chan struct{})
	close(release)
	if _, err := act.Provider(c.Key(), blockingLLM{release}).Chat(context.Background(), llm.Request{}); err != nil {
		t.Fatal(err)
	}
	if _, err := act.Evaluator(c.Key(), cachedEvaluator{}).Evaluate(context.Background(), &datasets.Problem{}, "int main() {}"); err != nil {
		t.Fatal(err)
	}
	if _, err := act.Evaluator(c.Key(), timedEvaluator{}).Evaluate(context.Background(), &datasets.Problem{}, "int main() { return 0; }"); err != nil {
		t.Fatal(err)
	}
	l.Done("lessonl", Score{Key: c.Key(), Problem: c.Problem, Speedup: 1})
	l.Close()
	path := filepath.Join(t.TempDir(), "events.csv")
	if err := os.WriteFile(path, []byte(events.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := readRecording(t, path)
	if len(rec.plan) != 1 || rec.plan[0].Key() != c.Key() || rec.plan[0].Kind != "lessonl" || rec.task != datasets.TaskOptimize {
		t.Errorf("plan read back as %+v (task %q), want the cell %s", rec.plan, rec.task, c.ID())
	}
	var got []string
	for _, e := range rec.events {
		if e.cell != c.Key() {
			t.Errorf("event %s of cell %q, want %q", e.what, e.cell, c.Key())
		}
		got = append(got, strings.TrimSuffix(fmt.Sprintf("%s:%s", e.what, e.note), ":")+fmt.Sprintf("#%d", e.item))
	}
	want := []string{eventBegin + "#0", eventCall + "#1", eventCalled + "#1", eventEval + "#2", eventEvaluated + ":" + noteCached + "#2",
		eventEval + "#3", eventQueued + "#3", eventTiming + "#3", eventEvaluated + ":" + noteFresh + "#3", eventEnd + "#0"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("events %v, want %v", got, want)
	}
}

// TestActivityEvaluators: a cell's evaluators are wrapped by their type,
// optimize's and generate's counted, another task's left as it is.
func TestActivityEvaluators(t *testing.T) {
	var act Activity
	type own struct{ name string }
	evs := act.Evaluators("c", strategy.Evaluators{strategy.TaskOptimize: &strategytest.Evaluator{},
		strategy.TaskGenerate: &strategytest.GenEvaluator{}, "tokens": own{"tokens"}})
	if len(evs) != 3 {
		t.Fatalf("%d evaluators, want 3", len(evs))
	}
	if _, ok := evs[strategy.TaskOptimize].(countingEvaluator); !ok {
		t.Errorf("optimize's evaluator is a %T, want it counted", evs[strategy.TaskOptimize])
	}
	if _, ok := evs[strategy.TaskGenerate].(countingGen); !ok {
		t.Errorf("generate's evaluator is a %T, want it counted", evs[strategy.TaskGenerate])
	}
	if evs["tokens"] != (own{"tokens"}) {
		t.Errorf("the tokens task's evaluator is %v, want it as it was", evs["tokens"])
	}
}
