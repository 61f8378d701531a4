package experiments

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// RunFolder prepares out for a run of spec: a new folder gets spec.yaml and
// a manifest; an existing one is refused unless resuming or adding a shard
// with the same spec, so a run never mixes the records of two specs.
// Shards starting at once (a Slurm array) update the manifest under a lock.
func RunFolder(out string, sp *spec.Spec, raw []byte, resume bool, shard spec.ShardSpec, cells int, sandbox map[string]string, compilerCfg evaluate.Config, tool string, info runInfo) error {
	hash := sha256.Sum256(raw)
	specHash := hex.EncodeToString(hash[:])
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("run folder: %w", err)
	}
	return updateManifest(out, func(m *record.Manifest, exists bool) error {
		switch {
		case exists && m.SpecHash != specHash:
			return fmt.Errorf("run folder %s holds a run of another spec (hash %.12s, this one %.12s); choose another --out", out, m.SpecHash, specHash)
		case exists && m.SchemaVersion != record.SchemaVersion:
			return fmt.Errorf("run folder %s holds records of schema version %d, this lessonl writes version %d; choose another --out", out, m.SchemaVersion, record.SchemaVersion)
		case exists && !resume && shard.N == 0:
			return fmt.Errorf("run folder %s already holds this run; add --resume to finish it, or choose another --out", out)
		case !exists && resume:
			return fmt.Errorf("resume: %s holds no run (no %s)", out, record.ManifestFile)
		case !exists:
			if err := os.WriteFile(filepath.Join(out, "spec.yaml"), raw, 0o644); err != nil {
				return fmt.Errorf("run folder: %w", err)
			}
			resolved, _ := json.Marshal(sp)
			bi := info.build
			*m = record.Manifest{SchemaVersion: record.SchemaVersion, RunID: record.RunID(sp.Name, specHash), Name: sp.Name, SpecHash: specHash, Spec: resolved,
				Tool: tool, GitCommit: bi.Revision, Dirty: bi.Modified, Overrides: info.overrides, RerunOf: info.rerunOf, Host: hostname(), OS: runtime.GOOS + "/" + runtime.GOARCH, CPU: cpuModel(),
				Cores: runtime.NumCPU(), Compiler: compilerVersion(compilerCfg.Compiler), Sandbox: sandbox,
				Simulated: sp.Simulated(), Recorded: sp.Recorded(), Started: time.Now().UTC(), Cells: cells, Defaults: kindDefaults(sp)}
		}
		if m.Agents == nil || m.Mode == "" {
			// What readers take instead of the spec (a folder from before
			// they were recorded gains them on resume).
			m.Agents, m.Mode = runAgents(sp), evaluationMode(sp)
		}
		if shard.N > 0 {
			if s := fmt.Sprintf("%d/%d", shard.I, shard.N); !slices.Contains(m.Shards, s) {
				m.Shards = append(m.Shards, s)
			}
		}
		m.Ended, m.State = time.Time{}, record.StateRunning
		return nil
	})
}

// checkBeforeResume refuses to resume a run folder with damaged parts: a
// cell whose results part was cut short still has its cells part, and a
// resume would skip it. The error names the parts and the repair.
func checkBeforeResume(out string) error {
	if _, err := os.Stat(filepath.Join(out, record.ManifestFile)); err != nil {
		return nil // RunFolder says what is wrong
	}
	rep, err := record.Check(out)
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	if len(rep.Faults) == 0 {
		return nil
	}
	return fmt.Errorf("resume: %s holds %d damaged parts in %d cells (first: %s); `lessonl check --repair %s` moves those cells aside, then resume again to redo them",
		out, len(rep.Faults), len(rep.Cells()), rep.Faults[0], out)
}

// updateManifest reads out's manifest, lets f change it, and writes it
// back, holding an flock on the folder itself (no lock file is left behind)
// so concurrent shards do not lose each other's changes.
func updateManifest(out string, f func(m *record.Manifest, exists bool) error) error {
	lock, err := lockFolder(out)
	if err != nil {
		return fmt.Errorf("lock run folder: %w", err)
	}
	defer lock.Close()
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	m, err := record.ReadManifest(out)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if m == nil {
		m = &record.Manifest{}
	}
	if err := f(m, exists); err != nil {
		return err
	}
	return record.WriteManifest(out, m)
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

// lockFolder takes an exclusive flock on the folder itself, which leaves
// nothing behind; where the file system does not lock folders (NFS emulates
// flock with write locks, which a folder opened for reading cannot take),
// it locks the file .lessonl.lock in it instead, on every shard alike.
func lockFolder(dir string) (*os.File, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if syscall.Flock(int(d.Fd()), syscall.LOCK_EX) == nil {
		return d, nil
	}
	d.Close()
	f, err := os.OpenFile(filepath.Join(dir, ".lessonl.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// runInfo is what a manifest says about how the run was started.
type runInfo struct {
	overrides []string
	rerunOf   string
	build     Build
}

// finishManifest stamps the end time and the run's state (interrupted
// when this process was stopped before every cell was recorded) and, for
// runs with replay agents, adds this process's replay counts to the
// manifest's.
func finishManifest(out string, replay *llm.ReplayStats, interrupted bool) error {
	cells, err := record.Read[record.Cell](out, record.TableCells)
	if err != nil {
		return fmt.Errorf("finish manifest: %w", err)
	}
	return updateManifest(out, func(m *record.Manifest, _ bool) error {
		m.Ended = time.Now().UTC()
		m.State = ""
		st := record.StateOf(m, cells)
		m.Done, m.Failed = st.Done, st.Failed
		m.State = record.Settled(m.Cells, st.Done, st.Failed)
		if interrupted && m.State != record.StateComplete {
			m.State = record.StateInterrupted
		}
		if replay != nil {
			if m.Replay == nil {
				m.Replay = &record.ReplayCounts{}
			}
			m.Replay.Answered += replay.Answered
			m.Replay.Differed += replay.Differed
			m.Replay.Misses += replay.Misses
			for _, d := range replay.Differences {
				m.Replay.Differences = append(m.Replay.Differences, record.ReplayDifference{Cell: record.CellIDOfKey(d.Cell), Agent: d.Agent,
					Ordinal: d.Ordinal, Purpose: d.Purpose, Message: d.Message, Recorded: d.Recorded, Now: d.Now})
			}
		}
		return nil
	})
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "model name") {
			if _, v, ok := strings.Cut(l, ":"); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return runtime.GOARCH
}

func compilerVersion(compiler string) string {
	if compiler == "" {
		compiler = "g++"
	}
	out, err := exec.Command(compiler, "--version").Output()
	if err != nil {
		return compiler + " (version unknown)"
	}
	first, _, _ := bytes.Cut(out, []byte("\n"))
	return string(first)
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
	problems := opts.Problems
	if problems == nil {
		var err error
		if problems, err = sp.Problems(); err != nil {
			return Summary{}, "", err
		}
	}
	if out == "" {
		out = sp.Output
	}
	cells := sp.Cells(problems)
	var sandbox map[string]string
	cfg := sp.EvaluatorConfig()
	if opts.NoCache {
		cfg.CacheDir = ""
	}
	if opts.Evaluator == nil {
		ev, err := evaluate.New(cfg)
		if err != nil {
			return Summary{}, out, err
		}
		defer ev.Close()
		opts.Evaluator, sandbox, cfg = ev, ev.Enforced(), ev.Config()
	} else {
		sandbox = map[string]string{"evaluation": "none: outcomes reused from the record"}
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
	if sp.Dataset.Task() == datasets.TaskGenerate && opts.GenEvaluator == nil {
		py, err := pyeval.New(pyeval.Config{})
		if err != nil {
			return Summary{}, out, err
		}
		defer py.Close()
		opts.GenEvaluator = py
	}
	if !opts.NoPreflight {
		if err := Preflight(ctx, sp, Recordings); err != nil {
			return Summary{}, out, err
		}
	}
	info := runInfo{overrides: opts.Overrides.Strings(), rerunOf: opts.rerunOf, build: ReadBuild()}
	if opts.Build != nil {
		info.build = *opts.Build
	}
	if opts.Resume {
		if err := checkBeforeResume(out); err != nil {
			return Summary{}, out, err
		}
	}
	if err := RunFolder(out, sp, raw, opts.Resume, opts.Shard, len(cells), sandbox, cfg, tool, info); err != nil {
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
	if ev, ok := opts.Evaluator.(*evaluate.Evaluator); ok && ev.StoreUnusable() != nil && note != nil {
		note(fmt.Sprintf("evaluation cache %s not used: %v", cfg.CacheDir, ev.StoreUnusable()))
	}
	if ev, ok := opts.Evaluator.(*evaluate.Evaluator); ok && ev.StoreErrors() > 0 && note != nil {
		note(fmt.Sprintf("evaluation cache %s: %d verdicts could not be stored (they stand; only their reuse is lost)", cfg.CacheDir, ev.StoreErrors()))
	}
	if providers != nil {
		sum.Replay = providers.ReplayStats()
	}
	interrupted := ctx.Err() != nil
	if err := finishManifest(out, sum.Replay, interrupted); err != nil && runErr == nil {
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

// MergeManifests writes out's manifest from the manifests of dirs: the
// union of their shards, the earliest start and the latest end. Runs of
// different specs are refused.
func MergeManifests(out string, dirs ...string) error {
	var m *record.Manifest
	for _, d := range dirs {
		dm, err := record.ReadManifest(d)
		if err != nil {
			return err
		}
		if m == nil {
			cp := *dm
			m = &cp
			continue
		}
		if dm.SpecHash != m.SpecHash {
			return fmt.Errorf("merge: %s is a run of another spec (hash %.12s, not %.12s)", d, dm.SpecHash, m.SpecHash)
		}
		for _, s := range dm.Shards {
			if !slices.Contains(m.Shards, s) {
				m.Shards = append(m.Shards, s)
			}
		}
		if dm.Started.Before(m.Started) {
			m.Started = dm.Started
		}
		if dm.Ended.After(m.Ended) {
			m.Ended = dm.Ended
		}
	}
	if m == nil {
		return fmt.Errorf("merge: no run folders")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if b, err := os.ReadFile(filepath.Join(dirs[0], "spec.yaml")); err == nil {
		os.WriteFile(filepath.Join(out, "spec.yaml"), b, 0o644)
	}
	return record.WriteManifest(out, m)
}
