package experiments

import (
	"bytes"
	"context"
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

// cachedEvaluator answers every evaluation as a cache hit.
type cachedEvaluator struct{}

func (cachedEvaluator) Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	return evaluate.Outcome{Cached: true}, nil
}

// TestProgressEvents: a display given Events writes the run's events as
// a recording the ETA's test reads back: the plan, the cell's begin, its
// call, its evaluation with the cache hit, and its end, in that order.
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
		got = append(got, strings.TrimSuffix(e.what+":"+e.note, ":"))
	}
	want := []string{eventBegin, eventCall, eventCalled, eventEval, eventEvaluated + ":" + noteCached, eventEnd}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("events %v, want %v", got, want)
	}
}
