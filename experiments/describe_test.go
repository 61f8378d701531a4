package experiments

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/record/recordtest"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

// constEvaluator finds every candidate correct and 1.5× faster: the test
// below is about what the run folder records, not about measurements, and
// needs no compiler.
type constEvaluator struct{}

func (constEvaluator) Evaluate(_ context.Context, _ *datasets.Problem, code string) (evaluate.Outcome, error) {
	h := sha256.Sum256([]byte(code))
	return evaluate.Outcome{Status: evaluate.Correct, Speedup: 1.5, CILow: 1.4, CIHigh: 1.6, CodeHash: hex.EncodeToString(h[:])}, nil
}

// TestRunDescribesItself runs a single agent and a LessonL variant on
// the sim team (a simulator, over HTTP) over testdata/mini, with every
// candidate judged by constEvaluator, and reads the folder back:
// each cells row says the task, protocol, models and every parameter the
// cell ran with (a single agent's temperature and protocol, which the spec
// never set), the problems table holds each problem with its content
// hash, the manifest the dataset's identity, mode and agents; DuckDB reads
// the same; and analysis reports the same with every copy of the spec
// deleted.
func TestRunDescribesItself(t *testing.T) {
	strategies := `  - {name: single, kind: single, agents: [a]}
  - {name: lessonl, kind: lessonl, agents: [a, b], params: {rounds: 1, selection: none}}
matrix:
  lessonl: {k: [2]}`
	sp := miniSpec(t, simURL(t), strategies, "[1]")
	out := filepath.Join(t.TempDir(), "run")
	sum, _, err := Execute(context.Background(), sp, out, Options{Evaluators: strategy.Evaluators{strategy.TaskOptimize: constEvaluator{}}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ran != 4 || sum.Failed != 0 {
		t.Fatalf("summary %+v, want 4 cells run, none failed", sum)
	}
	cells, err := record.Read[record.Cell](out, record.TableCells)
	if err != nil || len(cells) != 4 {
		t.Fatalf("%d cells: %v", len(cells), err)
	}
	for _, c := range cells {
		var resolved map[string]any
		if err := json.Unmarshal([]byte(c.Resolved), &resolved); err != nil {
			t.Fatalf("%s: resolved_params %q: %v", c.CellID, c.Resolved, err)
		}
		if c.Task != "optimize" || c.Protocol != "lessonl" || !c.Described() {
			t.Errorf("%s: task %q protocol %q", c.CellID, c.Task, c.Protocol)
		}
		if c.CellID != record.CellID(c.Strategy, c.Variant, c.ProblemID, c.Seed) || !strings.HasPrefix(c.RunID, "mini@") {
			t.Errorf("cells row names run %q, cell %q: every table joins on run_id and cell_id", c.RunID, c.CellID)
		}
		switch c.Strategy {
		case "single":
			if c.Params != "{}" || c.Models != "sim/coder-a" || c.Axes != "" {
				t.Errorf("single: params %s (the spec set none), models %q, axes %q", c.Params, c.Models, c.Axes)
			}
			for name, want := range map[string]any{"temperature": 0.2, "protocol": "lessonl", "samples": 1.0, "seed": "derived"} {
				if resolved[name] != want {
					t.Errorf("single: resolved %s = %v, want %v (all: %s)", name, resolved[name], want, c.Resolved)
				}
			}
		case "lessonl":
			if c.Models != "sim/coder-a,sim/coder-b" || c.Axes != "k" {
				t.Errorf("lessonl: models %q, axes %q", c.Models, c.Axes)
			}
			for name, want := range map[string]any{"k": 2.0, "rounds": 1.0, "selection": "none", "temperature": 0.2, "adjustment": true} {
				if resolved[name] != want {
					t.Errorf("lessonl: resolved %s = %v, want %v (all: %s)", name, resolved[name], want, c.Resolved)
				}
			}
		}
	}

	problems, err := datasets.LoadDir("testdata/mini")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := record.Read[record.Problem](out, record.TableProblems)
	if err != nil || len(rows) != len(problems) {
		t.Fatalf("problems table %+v: %v", rows, err)
	}
	for i, p := range problems {
		r := rows[i]
		if r.ProblemID != p.ID || r.ContentHash != p.ContentHash() || r.Source != datasets.SourcePath || r.Task != "optimize" || r.BaselineCode != p.BaselineCode {
			t.Errorf("problem row %+v, want %s with hash %s", r, p.ID, p.ContentHash())
		}
	}
	m, err := record.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if d := m.Dataset; d == nil || d.Source != datasets.SourcePath || d.Problems != 2 || d.Hash != record.DatasetHash(rows) || d.Task != "optimize" {
		t.Errorf("manifest dataset %+v", d)
	}
	if m.Mode != "serial" || len(m.Agents) != 3 || m.Agents[1].Model != "sim/coder-b" {
		t.Errorf("manifest mode %q, agents %+v", m.Mode, m.Agents)
	}

	// The report from the records alone: delete the spec's copies.
	report := func(dir string) string {
		t.Helper()
		runs, err := analysis.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := analysis.Build(runs, analysis.Options{Resamples: 50, Seed: 1}, "single")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		rep.Markdown(&b)
		return b.String()
	}
	before := report(out)
	m.Spec, m.Defaults = nil, nil
	if err := record.WriteManifest(out, m); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(out, "spec.yaml")); err != nil {
		t.Fatal(err)
	}
	if after := report(out); after != before || !strings.Contains(after, "| lessonl[k=2] |") {
		t.Errorf("the report changes without the spec:\n--- with\n%s\n--- without\n%s", before, after)
	}

	// Last, as it skips without DuckDB: an independent reader sees the
	// single agent's temperature and protocol, and the problems.
	d := recordtest.Query(t, out,
		`SELECT * FROM read_parquet('`+out+`/tables/cells/*.parquet') WHERE strategy = 'single' AND protocol = 'lessonl'
		 AND CAST(json_extract(resolved_params, '$.temperature') AS DOUBLE) = 0.2 AND task = 'optimize'`,
		`SELECT * FROM read_parquet('`+out+`/tables/problems/*.parquet') WHERE length(content_hash) = 64`)
	if q := d.Queries; len(q) != 2 || q[0].Rows != 2 || q[1].Rows != 2 || q[0].Error != "" || q[1].Error != "" {
		t.Errorf("DuckDB queries: %+v", q)
	}
	if d.Counts[record.TableProblems] != 2 {
		t.Errorf("DuckDB reads %d problems", d.Counts[record.TableProblems])
	}
}

// TestGenerateRunDescribesItself: a generate run (the sim team on the
// HumanEval fixture, tests judged by the fake evaluator) records task
// generate per cell and per problem, the source humaneval, and the failed
// tests of its answers as failed, never as a failed cell.
func TestGenerateRunDescribesItself(t *testing.T) {
	fixture, _ := filepath.Abs("../datasets/testdata/generate/humaneval-mini.jsonl")
	dir := t.TempDir()
	sp := filepath.Join(dir, "gen.yaml")
	text := `name: gen
dataset:
  humaneval: {path: ` + fixture + `}
  limit: 2
agents:
  - {name: a, provider: sim, model: sim/coder-a}
strategies:
  - {name: single, kind: single, agents: [a], params: {temperature: 0.5}}
seeds: [1]
`
	if err := os.WriteFile(sp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	sum, _, err := Execute(context.Background(), sp, out, Options{Evaluators: strategy.Evaluators{strategy.TaskOptimize: constEvaluator{}, strategy.TaskGenerate: &strategytest.GenEvaluator{}}}, "test")
	if err != nil || sum.Ran != 2 || sum.Failed != 0 {
		t.Fatalf("summary %+v: %v", sum, err)
	}
	cells, err := record.Read[record.Cell](out, record.TableCells)
	if err != nil || len(cells) != 2 {
		t.Fatalf("%d cells: %v", len(cells), err)
	}
	for _, c := range cells {
		if c.Task != "generate" || c.Protocol != "lessonl" || !strings.Contains(c.Resolved, `"temperature":0.5`) {
			t.Errorf("%s: task %q protocol %q resolved %s", c.CellID, c.Task, c.Protocol, c.Resolved)
		}
	}
	rows, err := record.Read[record.Problem](out, record.TableProblems)
	if err != nil || len(rows) != 2 {
		t.Fatalf("problems %+v: %v", rows, err)
	}
	all, err := datasets.LoadHumanEval(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		want := datasets.AsProblem(all[i])
		if r.ProblemID != want.ID || r.Task != "generate" || r.Source != datasets.SourceHumanEval || r.ContentHash != want.ContentHash() {
			t.Errorf("problem row %+v, want %s with hash %s", r, want.ID, want.ContentHash())
		}
	}
	if m, err := record.ReadManifest(out); err != nil || m.Dataset == nil || m.Dataset.Task != "generate" || m.Dataset.Path != fixture {
		t.Errorf("manifest dataset %+v (%v)", m.Dataset, err)
	}
	res, err := record.Read[record.Result](out, record.TableResults)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != "passed" && r.Status != record.StatusTestsFailed {
			t.Errorf("%s: status %q, want passed or failed (its tests)", r.ProblemID, r.Status)
		}
	}
}

// TestDescribeProblemsKeepsFirst: a resume keeps the problems the folder
// recorded, and says so when the dataset changed meanwhile.
func TestDescribeProblemsKeepsFirst(t *testing.T) {
	out := t.TempDir()
	if err := record.WriteManifest(out, &record.Manifest{SchemaVersion: record.SchemaVersion, RunID: "mini@1"}); err != nil {
		t.Fatal(err)
	}
	sp := &spec.Spec{Dataset: spec.DatasetSpec{Path: "testdata/mini"}}
	ps, err := datasets.LoadDir("testdata/mini")
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	note := func(s string) { notes = append(notes, s) }
	if err := describeProblems(out, sp, ps, note); err != nil {
		t.Fatal(err)
	}
	m, _ := record.ReadManifest(out)
	first := m.Dataset.Hash
	changed := *ps[0]
	changed.BaselineCode += "// edited\n"
	if err := describeProblems(out, sp, []*datasets.Problem{&changed, ps[1]}, note); err != nil {
		t.Fatal(err)
	}
	m, _ = record.ReadManifest(out)
	rows, _ := record.Read[record.Problem](out, record.TableProblems)
	if m.Dataset.Hash != first || len(rows) != 2 || rows[0].ContentHash != ps[0].ContentHash() {
		t.Errorf("the resume replaced the recorded problems: hash %s (was %s), rows %+v", m.Dataset.Hash, first, rows)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "changed since the run recorded them") {
		t.Errorf("notes %q", notes)
	}
}
