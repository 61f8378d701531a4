package evaluate

import (
	"context"
	"slices"
	"sync"
	"testing"
)

// TestEvaluationTellsPhases evaluates code while the evaluator's only
// timing slot is held: the evaluation tells that it validated and waits
// for the slot (queued), an evaluation of identical code begun meanwhile
// tells that it waits for that one's outcome, and once the slot is
// given back the first tells that it holds it (timing). A cache hit on
// an outcome at hand tells nothing.
func TestEvaluationTellsPhases(t *testing.T) {
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3, Slots: 1})
	e.slots <- struct{}{} // another evaluation holds the slot
	var mu sync.Mutex
	var first, second, third []Phase
	record := func(to *[]Phase) func(Phase) {
		return func(ph Phase) { mu.Lock(); *to = append(*to, ph); mu.Unlock() }
	}
	queued := make(chan struct{})
	var once sync.Once
	ctx1 := WithPhases(context.Background(), func(ph Phase) {
		record(&first)(ph)
		if ph == PhaseQueued {
			once.Do(func() { close(queued) })
		}
	})
	done := make(chan error, 1)
	go func() {
		out, err := e.Evaluate(ctx1, p, sumBody)
		if err == nil && out.Status != Correct {
			t.Errorf("first evaluation %s (%s), want correct", out.Status, out.Detail)
		}
		done <- err
	}()
	<-queued
	waiting := make(chan struct{})
	waited := make(chan error, 1)
	go func() {
		_, err := e.Evaluate(WithPhases(context.Background(), func(ph Phase) {
			record(&second)(ph)
			close(waiting)
		}), p, sumBody)
		waited <- err
	}()
	// Give the slot back once the second evaluation has told it waits.
	select {
	case <-waiting:
	case err := <-waited:
		t.Fatalf("the second evaluation ended (%v) while the first waited for the slot", err)
	}
	<-e.slots
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if _, err := e.Evaluate(WithPhases(context.Background(), record(&third)), p, sumBody); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want []Phase
	}{
		{"the evaluation that timed", first, []Phase{PhaseQueued, PhaseTiming}},
		{"identical code begun meanwhile", second, []Phase{PhaseWaiting}},
		{"a hit on an outcome at hand", third, nil},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s told %v, want %v", c.name, c.got, c.want)
		}
	}
}
