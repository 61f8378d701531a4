package strategy

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
)

// Call is a finished LLM call, as recorded.
type Call struct {
	ID       string
	Agent    string
	Provider string
	Model    string
	Round    int
	Purpose  string // optimize, lesson, vote, aggregate, reflect, plan, debug, revise
	Request  llm.Request
	Reply    llm.Response
	Err      string
}

// PromptJSON is the request's messages as JSON, the form recorded.
func (c Call) PromptJSON() string {
	b, _ := json.Marshal(c.Request.Messages)
	return string(b)
}

// LessonEvent is a banked lesson, as recorded.
type LessonEvent struct {
	ID          string
	Round       int
	Agent       string
	CandidateID string
	Outcome     string
	Speedup     float64
	Text        string
	CallID      string
}

// SelectionEvent is one lesson shown to the agents in a round.
type SelectionEvent struct {
	Round    int
	LessonID string
	Reason   string
	Score    float64
	Adjusted float64
	Factor   float64
}

// Recorder receives everything a strategy does, as it happens. The runner
// turns these into rows of the run's tables.
type Recorder interface {
	Call(Call)
	Candidate(Candidate)
	Lesson(LessonEvent)
	Selection(SelectionEvent)
}

// ErrBudget is returned by Env.Ask once the cell's budget is spent.
var ErrBudget = errors.New("budget spent")

// Budget caps a cell's LLM use; zero fields are no cap.
type Budget struct {
	Calls  int
	Tokens int
}

// Usage is what a cell used.
type Usage struct {
	Calls            int
	PromptTokens     int
	CompletionTokens int
	// Evaluations counts the candidates with code that were judged, each
	// once however many evaluator runs that took (see GenCandidates): the
	// unit of the cost models' evaluations (Config.Cost).
	Evaluations int
	BudgetHit   bool
}

// Env is the world of one cell: one problem, the strategy's agents, the
// evaluator, the recorder, the budget and the seed.
type Env struct {
	Problem *datasets.Problem
	Agents  []*Agent
	// Evaluators are the run's evaluators, one per task that scores with
	// one, by task name; the problem's task looks its own up
	// (EvaluatorOf): optimize's is an Evaluator, generate's a
	// GenEvaluator.
	Evaluators Evaluators
	Recorder   Recorder
	Budget     Budget
	Seed       int64
	// Cell is the cell's key; every request carries it, with the call's
	// ordinal, so that replay can find a recorded call by its place.
	Cell   string
	OpenMP bool
	// NoSeed sends no seed with any call (spec seed: none); otherwise
	// every call gets its own seed, DeriveSeed(Seed, agent, the agent's
	// call ordinal), never reused within the cell.
	NoSeed bool
	// Extract takes the code out of a reply; it reports false when the
	// reply holds none.
	Extract func(reply, function string) (string, bool)
	// GenExtract takes the Python code out of a reply of a generate
	// problem; ExtractPython when nil. Protocol paper sets the authors'
	// (PaperPythonParse, PaperPythonClean).
	GenExtract func(reply, entry string) (string, bool)
	// Fresh measures every candidate anew, identical code included, as
	// the authors' driver runs every submission (protocol paper sets it);
	// otherwise identical code is answered from the evaluator's cache.
	Fresh bool

	mu      sync.Mutex
	usage   Usage
	calls   int
	cands   int
	samples map[string]int
	ordinal map[string]int // per agent: calls so far
	used    map[int64]bool // seeds sent in this cell
	callOrd map[string]int // call ID → the agent's ordinal of that call
	evals   map[string]int // call ID → evaluations of its code so far
}

// Place is where an evaluation happens in its run, in terms that do not
// depend on which concurrent agent finished first: the cell, the agent,
// the agent's ordinal of the call whose code is evaluated, and the how
// many-th evaluation of that call's code it is (2 for a final fresh
// re-evaluation). An evaluator that answers from a record (a rerun that
// reuses measurements) finds the recorded outcome by it.
type Place struct {
	Cell  string
	Agent string
	Call  int // the agent's call ordinal, from 1
	N     int // evaluations of that call's code so far, this one included
}

type placeKey struct{}

// PlaceOf returns the place of the evaluation ctx was given for, if any.
func PlaceOf(ctx context.Context) (Place, bool) {
	p, ok := ctx.Value(placeKey{}).(Place)
	return p, ok
}

// Agent returns the agent with the given name.
func (e *Env) Agent(name string) (*Agent, error) {
	for _, a := range e.Agents {
		if a.Name == name {
			return a, nil
		}
	}
	return nil, fmt.Errorf("no agent %q in this strategy", name)
}

// Usage returns what the cell has used so far.
func (e *Env) Usage() Usage {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.usage
}

// Ask sends req to agent a for purpose in round, records the call, and
// counts it against the budget. A failed call is recorded with its error
// and returned; ErrBudget means no call was made.
func (e *Env) Ask(ctx context.Context, a *Agent, round int, purpose string, req llm.Request) (Call, error) {
	e.mu.Lock()
	if (e.Budget.Calls > 0 && e.usage.Calls >= e.Budget.Calls) ||
		(e.Budget.Tokens > 0 && e.usage.PromptTokens+e.usage.CompletionTokens >= e.Budget.Tokens) {
		e.usage.BudgetHit = true
		e.mu.Unlock()
		return Call{}, ErrBudget
	}
	e.usage.Calls++
	e.calls++
	// A provisional ID, in order of asking; Trace.Canonical renumbers the
	// cell's calls in the spec's order when it ends.
	id := fmt.Sprintf("c%03d", e.calls)
	if e.ordinal == nil {
		e.samples, e.ordinal, e.used = map[string]int{}, map[string]int{}, map[int64]bool{}
	}
	e.ordinal[a.Name]++
	agentOrdinal := e.ordinal[a.Name]
	if e.callOrd == nil {
		e.callOrd = map[string]int{}
	}
	e.callOrd[id] = agentOrdinal
	req.Sample, req.NoSeed = 0, e.NoSeed
	if e.NoSeed {
		// No seed goes on the wire; Sample still tells identical
		// requests of the cell apart in the records.
		key := a.Name + "\x00" + purpose + fmt.Sprint(round) + fmt.Sprint(req.Messages)
		req.Seed, req.Sample = 0, e.samples[key]
		e.samples[key]++
	} else {
		req.Seed = DeriveSeed(e.Seed, a.Name, e.ordinal[a.Name])
		for e.used[req.Seed] {
			req.Seed = (req.Seed + 1) & seedMask
		}
		e.used[req.Seed] = true
	}
	e.mu.Unlock()

	req.Model, req.Agent = a.Model, a.Name
	req.Cell, req.Ordinal, req.Purpose = e.Cell, agentOrdinal, purpose
	start := time.Now()
	reply, err := a.LLM.Chat(ctx, req)
	if reply.Latency == 0 {
		reply.Latency = time.Since(start)
	}
	c := Call{ID: id, Agent: a.Name, Provider: a.Provider, Model: a.Model, Round: round, Purpose: purpose, Request: req, Reply: reply}
	if err != nil {
		c.Err = err.Error()
	}
	e.mu.Lock()
	e.usage.PromptTokens += reply.PromptTokens
	e.usage.CompletionTokens += reply.CompletionTokens
	e.mu.Unlock()
	if e.Recorder != nil {
		e.Recorder.Call(c)
	}
	if err != nil {
		return c, fmt.Errorf("%s (%s) %s call: %w", a.Name, a.Model, purpose, err)
	}
	return c, nil
}

// seedMask keeps derived seeds in [0, 2³¹): every server takes them,
// including those that read a seed as a 32-bit integer.
const seedMask = 1<<31 - 1

// DeriveSeed is the seed of an agent's n-th call (from 1) in a cell with
// seed cell. It is keyed by the agent's own ordinal, not the cell's,
// because agents of a round call concurrently: an agent's calls are in a
// fixed order, the cell's interleaving is not, and a rerun must send the
// same seeds.
func DeriveSeed(cell int64, agent string, n int) int64 {
	h := sha256.New()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(cell))
	h.Write(b[:])
	h.Write([]byte(agent))
	h.Write([]byte{0})
	binary.LittleEndian.PutUint64(b[:], uint64(n))
	h.Write(b[:])
	return int64(binary.LittleEndian.Uint64(h.Sum(nil)[:8]) & seedMask)
}

// Evaluate takes the code out of call's reply, evaluates it and records
// the candidate. A reply without code is a candidate with status
// "no_code", not an error.
func (e *Env) Evaluate(ctx context.Context, call Call, round int) (*Candidate, error) {
	code, ok, err := e.extract(call.Reply.Text)
	if err != nil {
		return nil, err
	}
	return e.evaluate(ctx, call.Agent, call.ID, code, ok, round, Scoring{})
}

// EvaluateFresh is Evaluate with a fresh measurement: identical code
// evaluated before in this process is measured again, not looked up.
func (e *Env) EvaluateFresh(ctx context.Context, call Call, round int) (*Candidate, error) {
	code, ok, err := e.extract(call.Reply.Text)
	if err != nil {
		return nil, err
	}
	return e.evaluate(ctx, call.Agent, call.ID, code, ok, round, Scoring{Fresh: true})
}

// Reevaluate measures c's code again, fresh, as a new candidate of the
// same agent and call: the authors' final evaluation of the chosen
// answer, which removes the upward bias of keeping the maximum of many
// noisy estimates.
func (e *Env) Reevaluate(ctx context.Context, c *Candidate, round int) (*Candidate, error) {
	return e.evaluate(ctx, c.Agent, c.CallID, c.Code, c.Status != "no_code", round, Scoring{Fresh: true})
}

// FreshEvaluator is an Evaluator that can measure code again instead of
// answering from its cache of identical code; *evaluate.Evaluator is one.
type FreshEvaluator interface {
	EvaluateFresh(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error)
}

func (e *Env) evaluate(ctx context.Context, agent, callID, code string, ok bool, round int, how Scoring) (*Candidate, error) {
	task, err := e.TaskOf()
	if err != nil {
		return nil, &EvalError{Agent: agent, Problem: e.Problem.ID, Err: err}
	}
	e.mu.Lock()
	e.cands++
	id := fmt.Sprintf("k%03d", e.cands)
	if ord, known := e.callOrd[callID]; known {
		if e.evals == nil {
			e.evals = map[string]int{}
		}
		e.evals[callID]++
		ctx = context.WithValue(ctx, placeKey{}, Place{Cell: e.Cell, Agent: agent, Call: ord, N: e.evals[callID]})
	}
	e.mu.Unlock()
	cand := Candidate{ID: id, Agent: agent, Round: round, CallID: callID, Status: NoCode}
	if ok {
		cand.Code, cand.Status = code, ""
	}
	recorded, shown, err := task.Score(ctx, e, cand, how)
	if err != nil {
		return nil, &EvalError{Agent: agent, Problem: e.Problem.ID, Err: err}
	}
	if ok {
		e.mu.Lock()
		e.usage.Evaluations++
		e.mu.Unlock()
	}
	if e.Recorder != nil {
		e.Recorder.Candidate(recorded)
	}
	return &shown, nil
}

// extract takes the candidate's code out of a reply, as the problem's
// task reads replies.
func (e *Env) extract(reply string) (string, bool, error) {
	task, err := e.TaskOf()
	if err != nil {
		return "", false, err
	}
	code, ok := task.Extract(e, reply)
	return code, ok, nil
}

// EvalError is the evaluator's own failure (the baseline does not build,
// the machine cannot run it), as opposed to a failing candidate, which is
// an Outcome. A strategy cannot go on after one; after an agent's failed
// call it can.
type EvalError struct {
	Agent   string // whose candidate was being evaluated
	Problem string
	Err     error
}

func (e *EvalError) Error() string {
	return fmt.Sprintf("evaluate %s's candidate for %s: %v", e.Agent, e.Problem, e.Err)
}

// Unwrap returns the evaluator's error.
func (e *EvalError) Unwrap() error { return e.Err }

// IsEvalError reports whether err is or wraps an *EvalError.
func IsEvalError(err error) bool {
	var e *EvalError
	return errors.As(err, &e)
}

// Best returns the correct candidate with the highest speedup, nil if none
// is correct. Ties go to the earlier candidate.
func Best(cands ...*Candidate) *Candidate {
	var best *Candidate
	for _, c := range cands {
		if c.OK() && (best == nil || c.Speedup() > best.Speedup()) {
			best = c
		}
	}
	return best
}

// Highest returns the candidate with the highest raw speedup, failures
// counting 0, ties and an all-failed list going to the earliest: the
// authors' choice of the answer to submit (nil only for no candidates).
func Highest(cands ...*Candidate) *Candidate {
	var best *Candidate
	for _, c := range cands {
		if c != nil && (best == nil || c.Speedup() > best.Speedup()) {
			best = c
		}
	}
	return best
}

// Each runs f for every agent concurrently and waits; agents of one round
// work at the same time. f's results are placed by agent index.
func Each[T any](agents []*Agent, f func(i int, a *Agent) T) []T {
	out := make([]T, len(agents))
	var wg sync.WaitGroup
	for i, a := range agents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = f(i, a)
		}()
	}
	wg.Wait()
	return out
}

// Stopped reports whether err should end the strategy rather than just
// the agent's turn: the context ended or the budget is spent. Any other
// error is one agent's failure; the round goes on without its candidate.
func Stopped(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, ErrBudget)
}

// StopErr is the error a strategy returns when err stopped it: nil for a
// spent budget (the cell finished within its cap), the context's error
// when it ended, err otherwise.
func StopErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if Stopped(ctx, err) {
		return nil
	}
	return err
}

// Trace is a Recorder that keeps everything, for the runner (which turns
// a cell's trace into table rows) and for tests.
type Trace struct {
	mu         sync.Mutex
	Calls      []Call
	Candidates []Candidate
	Lessons    []LessonEvent
	Selections []SelectionEvent
}

// Call implements Recorder.
func (t *Trace) Call(c Call) { t.mu.Lock(); t.Calls = append(t.Calls, c); t.mu.Unlock() }

// Candidate implements Recorder.
func (t *Trace) Candidate(c Candidate) {
	t.mu.Lock()
	t.Candidates = append(t.Candidates, c)
	t.mu.Unlock()
}

// Lesson implements Recorder.
func (t *Trace) Lesson(l LessonEvent) { t.mu.Lock(); t.Lessons = append(t.Lessons, l); t.mu.Unlock() }

// Selection implements Recorder.
func (t *Trace) Selection(s SelectionEvent) {
	t.mu.Lock()
	t.Selections = append(t.Selections, s)
	t.mu.Unlock()
}

// Canonical renumbers the trace's calls and candidates in the spec's
// order, never the order in which concurrent agents finished: calls by
// round, then the agent's place in agents, then the agent's own call
// ordinal; candidates by round, agent, their call's new place, then the
// order the agent's candidates were made in. It rewrites every reference
// (candidates' and lessons' call and candidate IDs) and returns the
// candidate IDs' mapping (provisional → canonical), for the strategy's
// result. Agents of a round run concurrently, so the provisional IDs
// (c001, k001... in order of asking) differ from run to run; the
// canonical ones are the same whenever the same calls are made.
func (t *Trace) Canonical(agents []*Agent) map[string]string {
	t.mu.Lock()
	defer t.mu.Unlock()
	place := map[string]int{}
	for i, a := range agents {
		if _, ok := place[a.Name]; !ok {
			place[a.Name] = i
		}
	}
	agentAt := func(name string) int {
		if i, ok := place[name]; ok {
			return i
		}
		return len(agents)
	}
	num := func(id string) int {
		n, _ := strconv.Atoi(id[min(1, len(id)):])
		return n
	}
	sort.SliceStable(t.Calls, func(i, j int) bool {
		a, b := t.Calls[i], t.Calls[j]
		if a.Round != b.Round {
			return a.Round < b.Round
		}
		if pa, pb := agentAt(a.Agent), agentAt(b.Agent); pa != pb {
			return pa < pb
		}
		if a.Request.Ordinal != b.Request.Ordinal {
			return a.Request.Ordinal < b.Request.Ordinal
		}
		return num(a.ID) < num(b.ID)
	})
	callIDs := map[string]string{}
	for i := range t.Calls {
		id := fmt.Sprintf("c%03d", i+1)
		callIDs[t.Calls[i].ID], t.Calls[i].ID = id, id
	}
	callAt := func(id string) int {
		if id == "" {
			return -1
		}
		return num(callIDs[id])
	}
	sort.SliceStable(t.Candidates, func(i, j int) bool {
		a, b := t.Candidates[i], t.Candidates[j]
		if a.Round != b.Round {
			return a.Round < b.Round
		}
		if pa, pb := agentAt(a.Agent), agentAt(b.Agent); pa != pb {
			return pa < pb
		}
		if ca, cb := callAt(a.CallID), callAt(b.CallID); ca != cb {
			return ca < cb
		}
		return num(a.ID) < num(b.ID)
	})
	candIDs := map[string]string{}
	for i := range t.Candidates {
		id := fmt.Sprintf("k%03d", i+1)
		candIDs[t.Candidates[i].ID], t.Candidates[i].ID = id, id
		if c, ok := callIDs[t.Candidates[i].CallID]; ok {
			t.Candidates[i].CallID = c
		}
	}
	sort.SliceStable(t.Lessons, func(i, j int) bool {
		a, b := t.Lessons[i], t.Lessons[j]
		if a.Round != b.Round {
			return a.Round < b.Round
		}
		return agentAt(a.Agent) < agentAt(b.Agent)
	})
	for i := range t.Lessons {
		if c, ok := callIDs[t.Lessons[i].CallID]; ok {
			t.Lessons[i].CallID = c
		}
		if c, ok := candIDs[t.Lessons[i].CandidateID]; ok {
			t.Lessons[i].CandidateID = c
		}
	}
	return candIDs
}

// Sorted returns the trace with calls and candidates in ID order.
func (t *Trace) Sorted() *Trace {
	t.mu.Lock()
	defer t.mu.Unlock()
	sort.SliceStable(t.Calls, func(i, j int) bool { return t.Calls[i].ID < t.Calls[j].ID })
	sort.SliceStable(t.Candidates, func(i, j int) bool { return t.Candidates[i].ID < t.Candidates[j].ID })
	return t
}
