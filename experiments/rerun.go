package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/record"
)

// RerunSpec derives from a recorded run the spec that replays it: the
// run's resolved spec (from its manifest) with every agent answering from
// the run's recorded calls (provider replay) under its own name and
// model. It returns the spec and its text (the resolved spec as JSON, which
// is YAML), which the new run folder keeps as spec.yaml.
func RerunSpec(run string) (*Spec, []byte, error) {
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
	spec, err := Parse(filepath.Join(run, record.ManifestFile), raw, os.LookupEnv)
	if err != nil {
		return nil, nil, fmt.Errorf("rerun: %w", err)
	}
	return spec, raw, nil
}

// Rerun re-runs a recorded run's cells into out without any model: every
// call is answered from the record by its place (see llm.Replay), so each
// cell's candidates are the recorded candidates' code, evaluated again on
// this machine. With reuse, nothing is evaluated either: each candidate
// gets its recorded outcome, and only the strategies' decisions and the
// analysis run again.
func Rerun(ctx context.Context, run, out string, reuse bool, opts Options, tool string) (Summary, string, error) {
	spec, raw, err := RerunSpec(run)
	if err != nil {
		return Summary{}, "", err
	}
	if out == "" {
		out = filepath.Clean(run) + "-rerun"
	}
	if reuse {
		ev, err := RecordedOutcomes(run)
		if err != nil {
			return Summary{}, out, err
		}
		opts.Evaluator = ev
	}
	opts.rerunOf = run
	return ExecuteSpec(ctx, spec, raw, out, opts, tool)
}

// Recorded is an evaluator that answers with a recorded run's outcomes
// for the same problem and code, evaluating nothing.
type Recorded struct {
	mu  sync.Mutex
	out map[[2]string]evaluate.Outcome
	run string
}

// RecordedOutcomes reads run's candidates as an evaluator.
func RecordedOutcomes(run string) (*Recorded, error) {
	cands, err := record.Read[record.Candidate](run, record.TableCandidates)
	if err != nil {
		return nil, fmt.Errorf("reuse measurements: %w", err)
	}
	r := &Recorded{out: map[[2]string]evaluate.Outcome{}, run: run}
	for _, c := range cands {
		if c.Code == "" {
			continue
		}
		r.out[[2]string{c.ProblemID, c.Code}] = evaluate.Outcome{Status: evaluate.Status(c.Status), Speedup: c.Speedup,
			CILow: c.CILow, CIHigh: c.CIHigh, BaselineNS: c.BaselineNS, CandidateNS: c.CandidateNS,
			CompileMS: c.CompileMS, RunMS: c.RunMS, Detail: c.Detail, CodeHash: c.CodeHash, Cached: true}
	}
	return r, nil
}

// Evaluate implements strategy.Evaluator.
func (r *Recorded) Evaluate(_ context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o, ok := r.out[[2]string{p.ID, code}]
	if !ok {
		return evaluate.Outcome{}, fmt.Errorf("reuse measurements: %s holds no outcome of this code for %s", r.run, p.ID)
	}
	return o, nil
}
