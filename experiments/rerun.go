package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// RerunSpec derives from a recorded run the spec that replays it: the
// run's resolved spec (from its manifest) with every agent answering from
// the run's recorded calls (provider replay) under its own name and
// model. It returns the spec and its text (the resolved spec as JSON, which
// is YAML), which the new run folder keeps as spec.yaml.
func RerunSpec(run string) (*spec.Spec, []byte, error) {
	m, err := record.ReadManifest(run)
	if err != nil {
		return nil, nil, fmt.Errorf("rerun: %w", err)
	}
	abs, err := filepath.Abs(run)
	if err != nil {
		return nil, nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(m.Spec, &doc); err != nil {
		return nil, nil, fmt.Errorf("rerun: the manifest's spec: %w", err)
	}
	agents, _ := doc["agents"].([]any)
	for i, a := range agents {
		am, _ := a.(map[string]any)
		if am == nil {
			return nil, nil, fmt.Errorf("rerun: the manifest's spec: agents[%d] is not a mapping", i)
		}
		agents[i] = map[string]any{"name": am["name"], "model": am["model"], "provider": "replay", "replay": abs}
	}
	delete(doc, "output")
	text, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	raw := append([]byte(fmt.Sprintf("# lessonl rerun of %s: every agent answers from its recorded calls\n", abs)), text...)
	raw = append(raw, '\n')
	sp, err := spec.Parse(filepath.Join(run, record.ManifestFile), raw, os.LookupEnv)
	if err != nil {
		return nil, nil, fmt.Errorf("rerun: %w", err)
	}
	return sp, raw, nil
}

// Rerun re-runs a recorded run's cells into out without any model: every
// call is answered from the record by its place (see llm.Replay), so each
// cell's candidates are the recorded candidates' code, evaluated again on
// this machine (never taken from the shared evaluation cache). With reuse, nothing is evaluated either: each candidate
// gets its recorded outcome, and only the strategies' decisions and the
// analysis run again.
func Rerun(ctx context.Context, run, out string, reuse bool, opts Options, tool string) (Summary, string, error) {
	sp, raw, err := RerunSpec(run)
	if err != nil {
		return Summary{}, "", err
	}
	if out == "" {
		out = filepath.Clean(run) + "-rerun"
	}
	// A rerun measures the code again (that is its point beside
	// reuse), so it neither reads nor fills the shared evaluation cache.
	opts.NoCache = true
	if reuse {
		ev, err := RecordedOutcomes(run)
		if err != nil {
			return Summary{}, out, err
		}
		// The record's outcomes are optimize's (evaluate.Outcome); the
		// candidates of another task are judged again.
		opts.Evaluators = strategy.Evaluators{strategy.TaskOptimize: ev}
	}
	opts.rerunOf = run
	return ExecuteSpec(ctx, sp, raw, out, opts, tool)
}

// Recorded is an evaluator that answers with a recorded run's outcomes,
// evaluating nothing: the outcome recorded at the evaluation's place
// (cell, agent, the agent's call ordinal, the how many-th evaluation of
// that call's code; see strategy.Place), so that a final fresh
// re-evaluation gets its own recorded measurement, not the first one's;
// else any recorded outcome of the same problem and code.
type Recorded struct {
	mu      sync.Mutex
	out     map[[2]string]evaluate.Outcome
	byPlace map[strategy.Place]placed
	run     string
}

// placed is a recorded outcome with the code it was measured for.
type placed struct {
	code string
	out  evaluate.Outcome
}

// RecordedOutcomes reads run's candidates as an evaluator.
func RecordedOutcomes(run string) (*Recorded, error) {
	cands, err := record.Read[record.Candidate](run, record.TableCandidates)
	if err != nil {
		return nil, fmt.Errorf("reuse measurements: %w", err)
	}
	calls, err := record.Read[record.LLMCall](run, record.TableLLMCalls)
	if err != nil {
		return nil, fmt.Errorf("reuse measurements: %w", err)
	}
	// An agent's calls are sequential: its ordinal of a call is the
	// call's rank among the agent's calls of the cell by call ID.
	num := func(id string) int {
		n, _ := strconv.Atoi(id[min(1, len(id)):])
		return n
	}
	sort.SliceStable(calls, func(i, j int) bool { return num(calls[i].CallID) < num(calls[j].CallID) })
	type callKey struct{ cell, id string }
	ordinal := map[callKey]int{}
	rank := map[[2]string]int{}
	for _, c := range calls {
		cell := record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)
		rank[[2]string{cell, c.Agent}]++
		ordinal[callKey{cell, c.CallID}] = rank[[2]string{cell, c.Agent}]
	}
	sort.SliceStable(cands, func(i, j int) bool { return num(cands[i].CandidateID) < num(cands[j].CandidateID) })
	r := &Recorded{out: map[[2]string]evaluate.Outcome{}, byPlace: map[strategy.Place]placed{}, run: run}
	evals := map[callKey]int{}
	for _, c := range cands {
		cell := record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)
		k := callKey{cell, c.CallID}
		evals[k]++
		if c.Code == "" {
			continue
		}
		o := evaluate.Outcome{Status: evaluate.Status(c.Status), Speedup: c.Speedup,
			CILow: c.CILow, CIHigh: c.CIHigh, BaselineNS: c.BaselineNS, CandidateNS: c.CandidateNS,
			CompileMS: c.CompileMS, RunMS: c.RunMS, Detail: c.Detail, CodeHash: c.CodeHash, Cached: true}
		if ord, ok := ordinal[k]; ok {
			r.byPlace[strategy.Place{Cell: cell, Agent: c.Agent, Call: ord, N: evals[k]}] = placed{c.Code, o}
		}
		if _, ok := r.out[[2]string{c.ProblemID, c.Code}]; !ok {
			r.out[[2]string{c.ProblemID, c.Code}] = o
		}
	}
	return r, nil
}

// Evaluate implements strategy.Evaluator.
func (r *Recorded) Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if pl, ok := strategy.PlaceOf(ctx); ok {
		if x, ok := r.byPlace[pl]; ok && x.code == code {
			return x.out, nil
		}
	}
	o, ok := r.out[[2]string{p.ID, code}]
	if !ok {
		return evaluate.Outcome{}, fmt.Errorf("reuse measurements: %s holds no outcome of this code for %s", r.run, p.ID)
	}
	return o, nil
}

// EvaluateFresh implements strategy.FreshEvaluator: a fresh measurement
// is the one recorded at its place.
func (r *Recorded) EvaluateFresh(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	return r.Evaluate(ctx, p, code)
}
