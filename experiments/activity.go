package experiments

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// Tracker is a Progress that shows the work inside cells as it happens,
// so a run says what it is doing from its first second, long before the
// first cell ends: the cells running (strategy, problem, round), the LLM
// calls in flight and the evaluations under way. The runner calls Begin
// when a cell starts and gives the Activity to its recorder, agents and
// evaluator.
type Tracker interface {
	// Begin announces that the cell key, of strategy (variant included)
	// on problem, has started.
	Begin(key, strategy, problem string)
	// Activity is what the runner reports the cells' work to.
	Activity() *Activity
}

// Activity counts the work in flight: calls, evaluations and, per running
// cell, its round and the calls and evaluations it has finished.
type Activity struct {
	calls, evals atomic.Int64 // in flight
	items        atomic.Int64 // calls and evaluations begun: the latest one's id
	// The evaluations under way in each phase told (evaluate.Phase), and
	// whether any evaluation told one.
	waiting, queued, timing atomic.Int64
	phased                  atomic.Bool
	mu                      sync.Mutex
	cells                   map[string]*cellActivity // by cell key
	// watch, when set (before any cell runs), is told of every call and
	// evaluation as it starts and as it ends: the ETA prices the work
	// left by them.
	watch func(workEvent)
}

// workEvent is a call or an evaluation of a cell starting or ending.
type workEvent struct {
	what string // one of the event* constants
	cell string // the cell's key
	at   time.Time
	note string // an end's outcome: noteCached, noteFresh or noteFailed
	// item identifies the call or evaluation among the run's (from 1;
	// 0 in recordings made before events carried it).
	item int64
}

// The events of a run's work, as the ETA sees them and recordings hold
// them (see TestRecordTimings).
const (
	eventPlan      = "plan"      // a cell to run, in dispatch order
	eventBegin     = "begin"     // a cell began
	eventEnd       = "end"       // a cell ended
	eventCall      = "call"      // an LLM call began
	eventCalled    = "called"    // an LLM call ended
	eventEval      = "eval"      // an evaluation began (or queued for a slot)
	eventEvaluated = "evaluated" // an evaluation ended
	// An evaluation is a candidate judged, the unit of the plan's
	// evaluations (spec.CostOf): on generate, its runs on the generated
	// tests and on the hidden tests are one (Activity.GenEvaluator).
	// Generate recordings made before 2026-12-06 told each run as an
	// evaluation (the ETA's test replays them in candidates).
	// An evaluation's phases (evaluate.Phase), told as it reaches them:
	// it waits for identical code's outcome, it validated and waits for a
	// timing slot, it holds one. Before any, it compiles and validates.
	eventWaiting = string(evaluate.PhaseWaiting)
	eventQueued  = string(evaluate.PhaseQueued)
	eventTiming  = string(evaluate.PhaseTiming)

	noteCached = "cached" // the evaluation reused identical code's outcome
	noteFresh  = "fresh"  // the evaluation compiled and ran the code
	noteFailed = "failed" // the call, evaluation or cell failed
)

func (a *Activity) tell(what, cell, note string, item int64) {
	if a.watch != nil {
		a.watch(workEvent{what: what, cell: cell, at: time.Now(), note: note, item: item})
	}
}

type cellActivity struct {
	label, problem string
	started        time.Time
	round          int64
	calls, failed  int
	evals          int
}

func (a *Activity) cell(key string) *cellActivity {
	if a.cells == nil {
		a.cells = map[string]*cellActivity{}
	}
	c := a.cells[key]
	if c == nil {
		c = &cellActivity{}
		a.cells[key] = c
	}
	return c
}

// begin records a cell's start.
func (a *Activity) begin(key, label, problem string, at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.cell(key)
	c.label, c.problem, c.started = label, problem, at
}

// end forgets a finished cell.
func (a *Activity) end(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.cells, key)
}

// Text is the activity in one line: "4 cells running (lessonl p03 round
// 1, …) · 3 calls in flight · 1 evaluation under way".
func (a *Activity) Text() string {
	if a == nil {
		return ""
	}
	a.mu.Lock()
	var cells []*cellActivity
	for _, c := range a.cells {
		if !c.started.IsZero() {
			cells = append(cells, c)
		}
	}
	a.mu.Unlock()
	sort.Slice(cells, func(i, j int) bool { return cells[i].started.Before(cells[j].started) })
	var parts []string
	const shown = 3
	for i, c := range cells {
		if i == shown {
			parts = append(parts, fmt.Sprintf("+%d more", len(cells)-shown))
			break
		}
		s := fmt.Sprintf("%s %s round %d", c.label, c.problem, c.round)
		if c.failed > 0 {
			s += fmt.Sprintf(" (%d failed calls)", c.failed)
		}
		parts = append(parts, s)
	}
	out := fmt.Sprintf("%d cells running", len(cells))
	if len(parts) > 0 {
		out += " (" + strings.Join(parts, ", ") + ")"
	}
	return out + fmt.Sprintf(" · %d calls in flight · %d evaluations under way (%s)", a.calls.Load(), a.evals.Load(), a.phases())
}

// phases says what the evaluations under way are doing: by phase once
// evaluations tell their phases.
func (a *Activity) phases() string {
	if !a.phased.Load() {
		return "running or waiting for a slot"
	}
	w, q, t := a.waiting.Load(), a.queued.Load(), a.timing.Load()
	var parts []string
	if n := a.evals.Load() - w - q - t; n > 0 {
		parts = append(parts, fmt.Sprintf("%d compiling or validating", n))
	}
	if t > 0 {
		parts = append(parts, fmt.Sprintf("%d timing", t))
	}
	if q > 0 {
		parts = append(parts, fmt.Sprintf("%d waiting for the timing slot", q))
	}
	if w > 0 {
		parts = append(parts, fmt.Sprintf("%d waiting for identical code", w))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// counter is the count of evaluations in phase ph (nil for none).
func (a *Activity) counter(ph evaluate.Phase) *atomic.Int64 {
	switch ph {
	case evaluate.PhaseWaiting:
		return &a.waiting
	case evaluate.PhaseQueued:
		return &a.queued
	case evaluate.PhaseTiming:
		return &a.timing
	}
	return nil
}

// move counts an evaluation that went from phase from to phase to ("":
// none, before its first and after it ended).
func (a *Activity) move(from, to evaluate.Phase) {
	if c := a.counter(from); c != nil {
		c.Add(-1)
	}
	if c := a.counter(to); c != nil {
		c.Add(1)
		a.phased.Store(true)
	}
}

// Provider wraps an agent's LLM, in the cell key, so that its calls in
// flight are counted and their starts and ends told.
func (a *Activity) Provider(cell string, p llm.Provider) llm.Provider {
	return countingProvider{p, a, cell}
}

type countingProvider struct {
	llm.Provider
	a    *Activity
	cell string
}

// Chat implements llm.Provider.
func (c countingProvider) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	c.a.calls.Add(1)
	id := c.a.items.Add(1)
	c.a.tell(eventCall, c.cell, "", id)
	resp, err := c.Provider.Chat(ctx, req)
	c.a.calls.Add(-1)
	c.a.tell(eventCalled, c.cell, failedIf(err), id)
	return resp, err
}

func failedIf(err error) string {
	if err != nil {
		return noteFailed
	}
	return ""
}

// outcomeNote is how an evaluation ended: failed, a cache hit or fresh.
func outcomeNote(out evaluate.Outcome, err error) string {
	switch {
	case err != nil:
		return noteFailed
	case out.Cached:
		return noteCached
	}
	return noteFresh
}

// Evaluators wraps each of a run's evaluators whose kind it counts, by
// what the evaluator is (a strategy.Evaluator or a strategy.GenEvaluator)
// rather than by the task it serves, in the cell key; any other
// evaluator stays as it is, uncounted.
func (a *Activity) Evaluators(cell string, evs strategy.Evaluators) strategy.Evaluators {
	out := make(strategy.Evaluators, len(evs))
	for task, e := range evs {
		switch e := e.(type) {
		case strategy.Evaluator:
			out[task] = a.Evaluator(cell, e)
		case strategy.GenEvaluator:
			out[task] = a.GenEvaluator(cell, e)
		default:
			out[task] = e
		}
	}
	return out
}

// Evaluator wraps the evaluator, in the cell key, so that evaluations
// under way are counted and their starts and ends (and whether they hit
// the cache) told; an evaluator that can evaluate afresh still can.
func (a *Activity) Evaluator(cell string, e strategy.Evaluator) strategy.Evaluator {
	if e == nil {
		return nil
	}
	c := countingEvaluator{e, a, cell}
	if _, ok := e.(strategy.FreshEvaluator); ok {
		return countingFresh{c}
	}
	return c
}

type countingEvaluator struct {
	strategy.Evaluator
	a    *Activity
	cell string
}

// Evaluate implements strategy.Evaluator.
func (c countingEvaluator) Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	c.a.evals.Add(1)
	id := c.a.items.Add(1)
	c.a.tell(eventEval, c.cell, "", id)
	ctx, ended := c.phases(ctx, id)
	out, err := c.Evaluator.Evaluate(ctx, p, code)
	ended()
	c.a.evals.Add(-1)
	c.a.tell(eventEvaluated, c.cell, outcomeNote(out, err), id)
	return out, err
}

// phases is ctx telling the phases of evaluation id, counted and as
// events of its cell; ended is to be called when it ends.
func (c countingEvaluator) phases(ctx context.Context, id int64) (_ context.Context, ended func()) {
	var mu sync.Mutex
	var now evaluate.Phase
	ctx = evaluate.WithPhases(ctx, func(ph evaluate.Phase) {
		mu.Lock()
		c.a.move(now, ph)
		now = ph
		mu.Unlock()
		c.a.tell(string(ph), c.cell, "", id)
	})
	return ctx, func() {
		mu.Lock()
		c.a.move(now, "")
		now = ""
		mu.Unlock()
	}
}

type countingFresh struct{ countingEvaluator }

// EvaluateFresh implements strategy.FreshEvaluator.
func (c countingFresh) EvaluateFresh(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	c.a.evals.Add(1)
	id := c.a.items.Add(1)
	c.a.tell(eventEval, c.cell, "", id)
	ctx, ended := c.phases(ctx, id)
	out, err := c.Evaluator.(strategy.FreshEvaluator).EvaluateFresh(ctx, p, code)
	ended()
	c.a.evals.Add(-1)
	c.a.tell(eventEvaluated, c.cell, outcomeNote(out, err), id)
	return out, err
}

// GenEvaluator wraps the code-generation evaluator alike (it has no
// cache: every evaluation is fresh). An evaluation is a candidate judged,
// as plans count them (spec.CostOf): one candidate's runs on its
// generated tests and on the hidden tests are one evaluation, told and
// counted once (strategy.GenCandidates).
func (a *Activity) GenEvaluator(cell string, e strategy.GenEvaluator) strategy.GenEvaluator {
	if e == nil {
		return nil
	}
	return countingGen{e, a, cell}
}

type countingGen struct {
	strategy.GenEvaluator
	a    *Activity
	cell string
}

// judging marks a context whose runs are of a candidate already told as
// one evaluation (countingGen.Candidate), in the cell it holds.
type judging struct{}

// Candidate implements strategy.GenCandidates: the candidate's evaluation
// begins, and ends with end.
func (c countingGen) Candidate(ctx context.Context) (context.Context, func(error)) {
	c.a.evals.Add(1)
	id := c.a.items.Add(1)
	c.a.tell(eventEval, c.cell, "", id)
	return context.WithValue(ctx, judging{}, c.cell), func(err error) {
		c.a.evals.Add(-1)
		c.a.tell(eventEvaluated, c.cell, genNote(err), id)
	}
}

// Evaluate implements strategy.GenEvaluator: a run of a candidate told
// as an evaluation (Candidate) runs untold; any other is an evaluation of
// its own.
func (c countingGen) Evaluate(ctx context.Context, p *datasets.GenProblem, code string) (pyeval.Verdict, error) {
	if cell, ok := ctx.Value(judging{}).(string); ok && cell == c.cell {
		return c.GenEvaluator.Evaluate(ctx, p, code)
	}
	ctx, end := c.Candidate(ctx)
	v, err := c.GenEvaluator.Evaluate(ctx, p, code)
	end(err)
	return v, err
}

// genNote is how a generate evaluation ended: failed or fresh.
func genNote(err error) string {
	if err != nil {
		return noteFailed
	}
	return noteFresh
}

// activityRecorder passes a cell's records on and tells the Activity its
// round and finished calls and evaluations.
type activityRecorder struct {
	strategy.Recorder
	a    *Activity
	cell string
}

// Call implements strategy.Recorder.
func (r activityRecorder) Call(c strategy.Call) {
	r.Recorder.Call(c)
	r.a.mu.Lock()
	defer r.a.mu.Unlock()
	x := r.a.cell(r.cell)
	x.round = max(x.round, int64(c.Round))
	x.calls++
	if c.Err != "" {
		x.failed++
	}
}

// Candidate implements strategy.Recorder.
func (r activityRecorder) Candidate(c strategy.Candidate) {
	r.Recorder.Candidate(c)
	r.a.mu.Lock()
	defer r.a.mu.Unlock()
	r.a.cell(r.cell).evals++
}
