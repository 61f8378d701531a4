package experiments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/lessons"
)

// CellRecords is everything one finished cell produced, handed to a Sink
// in one piece so that it is stored whole or not at all.
type CellRecords struct {
	Cell       spec.Cell
	Shard      string // "i/n", "" when unsharded
	Status     string // record.CellDone or record.CellFailed
	Error      string
	Started    time.Time
	Ended      time.Time
	Result     strategy.Result
	Usage      strategy.Usage
	Budget     strategy.Budget
	Calls      []strategy.Call
	Candidates []strategy.Candidate
	Lessons    []strategy.LessonEvent
	Selections []strategy.SelectionEvent
	// Ran is what the cell ran with, as the runner resolved it.
	Ran Ran
}

// Ran is what a cell ran with, from the runner's own resolution (the
// strategy's parsed parameters and the agents it was given), recorded per
// cell so that no reader re-derives it.
type Ran struct {
	Task     datasets.Task  // the problem's task
	Protocol string         // the protocol the strategy followed
	Models   []string       // the agents' models, in the order of the cell's agents
	Params   map[string]any // every parameter with the value the kind runs with (strategy.Parsed.Resolved)
	Axes     []string       // the matrix's axes the variant sets, sorted
}

// Sink stores finished cells and says which cells a run folder already
// holds, with their status ("done" or "failed"), for resume.
type Sink interface {
	WriteCell(ctx context.Context, c *CellRecords) error
	Finished() (map[string]string, error)
}

// Options control one run.
type Options struct {
	Shard  spec.ShardSpec // zero value: every cell
	Resume bool
	// KeepFailed makes a resume skip cells recorded as failed too; by
	// default a resume runs them again (after the endpoint is fixed).
	KeepFailed bool
	// NoPreflight skips Execute's check of the agents' endpoints.
	NoPreflight bool
	// Overrides change the spec for a small trial (ExecuteSpec applies
	// them and records them in the manifest).
	Overrides spec.Overrides
	// Build is the tool's build, for the manifest; nil: ReadBuild().
	Build *Build
	// rerunOf is the run folder a rerun replays (see Rerun).
	rerunOf  string
	Progress Progress  // nil: none
	Log      io.Writer // nil: discard
	// Models builds each agent's model from its spec.
	Models func(spec.AgentSpec) (llm.Provider, error)
	// Extract takes code out of a reply.
	Extract func(reply, function string) (string, bool)
	// Embed, when set, serves relevance: embeddings for lessonl strategies
	// whose params ask for them; nil: the spec's embeddings endpoint.
	Embed lessons.EmbedFunc
	// NoCache keeps the evaluator built from the spec off the shared
	// evaluation cache (identical code within the run is still evaluated
	// once).
	NoCache bool
	// Evaluators are the run's evaluators by task name, for the tasks
	// whose Score looks one up (strategy.EvaluatorOf). Execute opens the
	// dataset's task's (strategy.OpenEvaluator) unless it is given here.
	Evaluators strategy.Evaluators
}

// Summary says what a run did.
type Summary struct {
	Cells   int // cells of this shard
	Skipped int // already recorded (resume)
	Ran     int // finished and recorded now
	Failed  int // recorded with status failed
	Wall    time.Duration
	// Errors holds the first few failed cells' errors, "cell: error", in
	// the order they failed.
	Errors []string
	// Replay counts how replay agents answered; nil without them.
	Replay *llm.ReplayStats
}

// maxSummaryErrors bounds Summary.Errors.
const maxSummaryErrors = 5

// Runner runs a spec's cells into a Sink.
type Runner struct {
	spec     *spec.Spec
	problems map[string]*datasets.Problem
	agents   map[string]*strategy.Agent
	opts     Options
	sink     Sink
}

// NewRunner prepares agents and the evaluator for spec's cells.
func NewRunner(sp *spec.Spec, problems []*datasets.Problem, sink Sink, opts Options) (*Runner, error) {
	r := &Runner{spec: sp, problems: map[string]*datasets.Problem{}, agents: map[string]*strategy.Agent{}, opts: opts, sink: sink}
	for _, p := range problems {
		r.problems[p.ID] = p
	}
	for _, a := range sp.Agents {
		m, err := opts.Models(a)
		if err != nil {
			return nil, fmt.Errorf("agent %s: %w", a.Name, err)
		}
		r.agents[a.Name] = &strategy.Agent{Name: a.Name, Provider: a.Provider, Model: a.Model, LLM: m}
	}
	if r.opts.Embed == nil && sp.Embeddings != nil {
		embed, err := (&Providers{Problems: problems}).Embedder(*sp.Embeddings)
		if err != nil {
			return nil, err
		}
		r.opts.Embed = embed
	}
	if r.opts.Log == nil {
		r.opts.Log = io.Discard
	}
	return r, nil
}

// Run runs every cell of the shard not yet in the sink, several at once;
// each finished cell is written whole before the next is reported. When
// ctx ends, cells in flight are abandoned (a resume redoes them) and the
// finished ones stay recorded.
func (r *Runner) Run(ctx context.Context, cells []spec.Cell) (Summary, error) {
	start := time.Now()
	var sum Summary
	if r.opts.Shard.N > 0 {
		shards := spec.AssignShards(cells, r.opts.Shard.N, r.spec.Dataset.Task())
		var mine []spec.Cell
		for _, c := range cells {
			if shards[c.Key()] == r.opts.Shard.I {
				mine = append(mine, c)
			}
		}
		cells = mine
	}
	sum.Cells = len(cells)
	if r.opts.Resume {
		done, err := r.sink.Finished()
		if err != nil {
			return sum, fmt.Errorf("resume: %w", err)
		}
		var todo []spec.Cell
		for _, c := range cells {
			st, ok := done[c.Key()]
			if !ok || (st == record.CellFailed && !r.opts.KeepFailed) {
				todo = append(todo, c)
			}
		}
		sum.Skipped = len(cells) - len(todo)
		cells = todo
	}
	per := map[string]int{}
	for _, c := range cells {
		per[label(c)]++
	}
	if p, ok := r.opts.Progress.(Planned); ok {
		p.Plan(cells, r.spec.Dataset.Task())
	}
	if r.opts.Progress != nil {
		r.opts.Progress.Start(per)
		defer r.opts.Progress.Close()
	}

	workers := 4
	if r.spec.Concurrency != nil && r.spec.Concurrency.Cells > 0 {
		workers = r.spec.Concurrency.Cells
	}
	jobs := make(chan spec.Cell)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				rec, err := r.runCell(ctx, c)
				if err != nil {
					if ctx.Err() == nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
					}
					continue
				}
				if err := r.sink.WriteCell(ctx, rec); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("record cell %s: %w", c.ID(), err)
					}
					mu.Unlock()
					continue
				}
				mu.Lock()
				sum.Ran++
				if rec.Status != record.CellDone {
					sum.Failed++
					if len(sum.Errors) < maxSummaryErrors {
						sum.Errors = append(sum.Errors, c.ID()+": "+rec.Error)
					}
				}
				mu.Unlock()
				if r.opts.Progress != nil {
					r.opts.Progress.Done(label(c), scoreOf(rec, taskOf(rec, r.spec)))
				}
			}
		}()
	}
feed:
	for _, c := range cells {
		mu.Lock()
		stop := firstErr != nil
		mu.Unlock()
		if stop {
			break
		}
		select {
		case jobs <- c:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	sum.Wall = time.Since(start)
	if firstErr != nil {
		return sum, firstErr
	}
	return sum, ctx.Err()
}

func label(c spec.Cell) string {
	if c.Variant == "" {
		return c.Strategy
	}
	return c.Strategy + "[" + c.Variant + "]"
}

// runCell solves one cell. An agent's or strategy's failure is a recorded
// cell with status failed; only a cancelled context or a broken setup
// returns an error (nothing is recorded then).
func (r *Runner) runCell(ctx context.Context, c spec.Cell) (*CellRecords, error) {
	return r.runCellAttempt(ctx, c, 1)
}

func (r *Runner) runCellAttempt(ctx context.Context, c spec.Cell, attempt int) (*CellRecords, error) {
	p := r.problems[c.Problem]
	if p == nil {
		return nil, fmt.Errorf("cell %s: unknown problem", c.ID())
	}
	s, parsed, err := r.strategyFor(c)
	if err != nil {
		return nil, fmt.Errorf("cell %s: %w", c.ID(), err)
	}
	if task := string(p.Task()); !parsed.Kind.Solves(task) {
		return nil, fmt.Errorf("cell %s: kind %s does not solve %s problems (it solves %s)", c.ID(), parsed.Kind.Name, task, strings.Join(parsed.Kind.Tasks, ", "))
	}
	common := parsed.Common
	rec := &strategy.Trace{}
	var recorder strategy.Recorder = rec
	if n, ok := r.opts.Progress.(Noter); ok {
		recorder = noteErrors{Recorder: rec, cell: c.ID(), n: n}
	}
	// A round whose every call failed stops the cell (roundGuard).
	cctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	if rs, ok := r.sink.(*RecordSink); ok {
		cctx = evaluate.WithOrigin(cctx, rs.RunID, c.ID())
	}
	recorder = &roundGuard{Recorder: recorder, agents: len(c.Agents), cancel: stop}
	evs := r.opts.Evaluators
	var act *Activity
	if t, ok := r.opts.Progress.(Tracker); ok {
		act = t.Activity()
		t.Begin(c.Key(), label(c), c.Problem)
		recorder = activityRecorder{Recorder: recorder, a: act, cell: c.Key()}
		evs = act.Evaluators(c.Key(), evs)
	}
	env := &strategy.Env{Problem: p, Evaluators: evs, Recorder: recorder, Seed: c.Seed, Cell: c.Key(),
		OpenMP: r.spec.Evaluation.Mode == "openmp", Extract: r.opts.Extract, NoSeed: common.Seed == strategy.SeedNone}
	for _, name := range c.Agents {
		a := r.agents[name]
		if act != nil {
			counted := *a
			counted.LLM = act.Provider(c.Key(), a.LLM)
			a = &counted
		}
		env.Agents = append(env.Agents, a)
	}
	if b := r.spec.Budget; b != nil {
		env.Budget = strategy.Budget{Calls: b.Calls, Tokens: b.Tokens}
	}
	out := &CellRecords{Cell: c, Started: time.Now(), Status: record.CellDone, Budget: env.Budget,
		Ran: Ran{Task: p.Task(), Protocol: common.Protocol, Params: parsed.Resolved, Axes: slices.Sorted(maps.Keys(r.spec.Matrix[c.Strategy]))}}
	for _, name := range c.Agents {
		out.Ran.Models = append(out.Ran.Models, r.agents[name].Model)
	}
	if r.opts.Shard.N > 0 {
		out.Shard = fmt.Sprintf("%d/%d", r.opts.Shard.I, r.opts.Shard.N)
	}
	res, err := s.Solve(cctx, env)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var rf *RoundFailedError
	if errors.As(context.Cause(cctx), &rf) {
		err = rf
	}
	if errors.Is(err, evaluate.ErrMachineBusy) {
		// The machine was too busy (for the harness's own build, or to
		// start a sandboxed process): no verdict on the cell. Redo it (a
		// later attempt may get through), and never record it as failed.
		if attempt < 3 {
			fmt.Fprintf(r.opts.Log, "cell %s: %v; redoing it\n", c.ID(), err)
			return r.runCellAttempt(ctx, c, attempt+1)
		}
		return nil, fmt.Errorf("cell %s, %d attempts: %w (left unrecorded: --resume redoes it)", c.ID(), attempt, err)
	}
	// The records follow the spec's order (agents, call ordinals), not the
	// order in which concurrent agents finished.
	if ids := rec.Canonical(env.Agents); res.Final != nil {
		final := *res.Final
		if id, ok := ids[final.ID]; ok {
			final.ID = id
		}
		res.Final = &final
	}
	if err == nil {
		err = r.callFailures(rec.Calls)
	}
	if err != nil {
		out.Status, out.Error = record.CellFailed, err.Error()
		if n, ok := r.opts.Progress.(Noter); ok {
			n.Note(fmt.Sprintf("cell %s failed: %v", c.ID(), err))
		} else {
			fmt.Fprintf(r.opts.Log, "cell %s failed: %v\n", c.ID(), err)
		}
	}
	out.Ended, out.Result, out.Usage = time.Now(), res, env.Usage()
	out.Calls, out.Candidates, out.Lessons, out.Selections = rec.Calls, rec.Candidates, rec.Lessons, rec.Selections
	return out, nil
}

func (r *Runner) strategyFor(c spec.Cell) (strategy.Strategy, strategy.Parsed, error) {
	p, err := strategy.ParseKind(c.Kind, c.Params)
	if err != nil {
		return nil, p, err
	}
	s, err := p.Config.New(strategy.Build{Embed: r.opts.Embed})
	return s, p, err
}
