package experiments

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// openRunFolder prepares out for a run of sp (see record.OpenRunFolder):
// a new folder's manifest says what runs, where and with what.
func openRunFolder(out string, sp *spec.Spec, raw []byte, resume bool, shard spec.ShardSpec, cells int, info runInfo) error {
	o := record.Opening{Spec: raw, Resume: resume}
	if shard.N > 0 {
		o.Shard = fmt.Sprintf("%d/%d", shard.I, shard.N)
	}
	o.New = func(specHash string) record.Manifest {
		resolved, _ := json.Marshal(sp)
		bi := info.build
		return record.Manifest{SchemaVersion: record.SchemaVersion, RunID: record.RunID(sp.Name, specHash), Name: sp.Name, SpecHash: specHash, Spec: resolved,
			Tool: info.tool, GitCommit: bi.Revision, Dirty: bi.Modified, Overrides: info.overrides, RerunOf: info.rerunOf, Host: hostname(), OS: runtime.GOOS + "/" + runtime.GOARCH, CPU: cpuModel(),
			Cores: runtime.NumCPU(), Compiler: compilerVersion(info.compiler), Sandbox: info.sandbox,
			Simulated: sp.Simulated(), Recorded: sp.Recorded(), Started: time.Now().UTC(), Cells: cells, Defaults: kindDefaults(sp)}
	}
	o.Each = func(m *record.Manifest) {
		if m.Agents == nil || m.Mode == "" {
			// What readers take instead of the spec (a folder from before
			// they were recorded gains them on resume).
			m.Agents, m.Mode = runAgents(sp), evaluationMode(sp)
		}
	}
	return record.OpenRunFolder(out, o)
}

// kindDefaults is every strategy kind of the spec with its parameters'
// default values, for the manifest.
func kindDefaults(sp *spec.Spec) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, st := range sp.Strategies {
		k, ok := strategy.LookupKind(st.Kind)
		if !ok {
			continue
		}
		if d, err := k.Defaults(); err == nil {
			out[st.Kind] = d
		}
	}
	return out
}

// storing is an evaluator that stores its verdicts in the shared
// evaluation cache (*evaluate.Evaluator), which the run's end reports on.
type storing interface {
	StoreUnusable() error
	StoreErrors() int64
}

// runInfo is what a manifest says about how the run was started and
// where it runs.
type runInfo struct {
	overrides []string
	rerunOf   string
	build     Build
	tool      string            // the tool's version
	sandbox   map[string]string // what the evaluator enforces
	compiler  string            // the evaluator's compiler
}

// replayCounts is a replay provider's counts as the manifest keeps them;
// nil for nil.
func replayCounts(r *llm.ReplayStats) *record.ReplayCounts {
	if r == nil {
		return nil
	}
	c := &record.ReplayCounts{Answered: r.Answered, Differed: r.Differed, Misses: r.Misses}
	for _, d := range r.Differences {
		c.Differences = append(c.Differences, record.ReplayDifference{Cell: record.CellIDOfKey(d.Cell), Agent: d.Agent,
			Ordinal: d.Ordinal, Purpose: d.Purpose, Message: d.Message, Recorded: d.Recorded, Now: d.Now})
	}
	return c
}

// Execute is `lessonl run`: it loads the spec, applies the command
// line's overrides, checks the endpoints, prepares the run folder, runs
// the cells of the shard into it and finishes the manifest. Nothing is
// written when the spec is invalid or an endpoint fails its check.
func Execute(ctx context.Context, path, out string, opts Options, tool string) (Summary, string, error) {
	sp, raw, err := spec.Load(path)
	if err != nil {
		return Summary{}, "", err
	}
	return ExecuteSpec(ctx, sp, raw, out, opts, tool)
}

// ExecuteSpec is Execute for a spec already loaded from raw.
func ExecuteSpec(ctx context.Context, sp *spec.Spec, raw []byte, out string, opts Options, tool string) (Summary, string, error) {
	if err := sp.Apply(opts.Overrides); err != nil {
		return Summary{}, "", err
	}
	raw = opts.Overrides.Hashed(raw)
	problems, err := sp.Problems()
	if err != nil {
		return Summary{}, "", err
	}
	if out == "" {
		out = sp.Output
	}
	cells := sp.Cells(problems)
	cfg := sp.EvaluatorConfig()
	if opts.NoCache {
		cfg.CacheDir = ""
	}
	// The run scores with its dataset's task's evaluator: one the caller
	// gives, or one the task opens from the spec's evaluation settings.
	task := string(sp.Dataset.Task())
	opts.Evaluators = maps.Clone(opts.Evaluators)
	if opts.Evaluators == nil {
		opts.Evaluators = strategy.Evaluators{}
	}
	var sandbox map[string]string
	if opts.Evaluators[task] != nil {
		sandbox = map[string]string{"evaluation": "none: outcomes reused from the record"}
	} else {
		ev, err := strategy.OpenEvaluator(task, cfg)
		if err != nil {
			return Summary{}, out, err
		}
		if ev != nil {
			defer ev.Close()
			opts.Evaluators[task], sandbox = ev, ev.Enforced()
		}
	}
	var note func(string)
	if n, ok := opts.Progress.(Noter); ok {
		note = n.Note
	} else if opts.Log != nil {
		note = func(m string) { fmt.Fprintln(opts.Log, m) }
	}
	if err := WaitReady(ctx, sp, note); err != nil {
		return Summary{}, out, err
	}
	if !opts.NoPreflight {
		if err := Preflight(ctx, sp, Recordings); err != nil {
			return Summary{}, out, err
		}
	}
	info := runInfo{overrides: opts.Overrides.Strings(), rerunOf: opts.rerunOf, build: ReadBuild(), tool: tool, sandbox: sandbox, compiler: cfg.Compiler}
	if opts.Build != nil {
		info.build = *opts.Build
	}
	if opts.Resume {
		if err := record.CheckResume(out); err != nil {
			return Summary{}, out, err
		}
	}
	if err := openRunFolder(out, sp, raw, opts.Resume, opts.Shard, len(cells), info); err != nil {
		return Summary{}, out, err
	}
	if err := describeProblems(out, sp, problems, note); err != nil {
		return Summary{}, out, err
	}
	sink, err := NewRecordSink(out)
	if err != nil {
		return Summary{}, out, err
	}
	var providers *Providers
	if opts.Models == nil {
		providers = &Providers{Problems: problems, Meter: &llm.Meter{}, Recordings: Recordings}
		opts.Models = providers.For(sp)
	}
	if opts.Extract == nil {
		opts.Extract = llm.ExtractCode
	}
	// A resume or another shard of this folder skips what is recorded.
	opts.Resume = true
	r, err := NewRunner(sp, problems, sink, opts)
	if err != nil {
		return Summary{}, out, err
	}
	sum, runErr := r.Run(ctx, cells)
	if ev, ok := opts.Evaluators[task].(storing); ok && note != nil {
		if err := ev.StoreUnusable(); err != nil {
			note(fmt.Sprintf("evaluation cache %s not used: %v", cfg.CacheDir, err))
		}
		if n := ev.StoreErrors(); n > 0 {
			note(fmt.Sprintf("evaluation cache %s: %d verdicts could not be stored (they stand; only their reuse is lost)", cfg.CacheDir, n))
		}
	}
	if providers != nil {
		sum.Replay = providers.ReplayStats()
	}
	interrupted := ctx.Err() != nil
	if err := record.CloseRunFolder(out, interrupted, replayCounts(sum.Replay)); err != nil && runErr == nil {
		runErr = err
	}
	return sum, out, runErr
}

// Recordings reads a run folder's successful calls for the replay
// provider, each with its place in the run (cell, agent, the agent's call
// ordinal, purpose). An agent's calls are sequential, so its ordinal is
// the call's rank among the agent's calls of the cell (failed ones
// included) by call ID, in records of any version.
func Recordings(dir string) ([]llm.Recording, error) {
	calls, err := record.Read[record.LLMCall](dir, record.TableLLMCalls)
	if err != nil {
		return nil, err
	}
	if len(calls) == 0 {
		return nil, fmt.Errorf("%s has no recorded LLM calls", dir)
	}
	num := func(id string) int {
		n, _ := strconv.Atoi(strings.TrimPrefix(id, "c"))
		return n
	}
	sort.SliceStable(calls, func(i, j int) bool { return num(calls[i].CallID) < num(calls[j].CallID) })
	rank := map[[2]string]int{} // cell, agent → calls so far
	var recs []llm.Recording
	for _, c := range calls {
		cell := record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)
		rank[[2]string{cell, c.Agent}]++
		ordinal := rank[[2]string{cell, c.Agent}]
		if c.Error != "" {
			continue
		}
		recs = append(recs, llm.Recording{Cell: record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed), Agent: c.Agent,
			Ordinal: ordinal, Purpose: c.Purpose, Model: c.Model, Key: c.RequestKey, Sample: int(c.Sample), Text: c.Reply,
			PromptTokens: int(c.PromptTokens), CompletionTokens: int(c.CompletionTokens), UsageEstimated: c.UsageEstimated,
			FinishReason: c.FinishReason, Prompt: c.Prompt})
	}
	return recs, nil
}
