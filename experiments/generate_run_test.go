package experiments

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/record"
)

// TestPaperHumanEvalDryRun runs the shipped sim dry run of
// paper-humaneval.yaml on a four-problem HumanEval+ fixture (CI has no
// HumanEval file; the real one gives the same run on its first 10): every
// cell finishes, generate candidates carry passed/total on the hidden
// tests and on the generated ones, LessonL keeps within its code-gen
// calls, and the report has both columns of the file for every method.
func TestPaperHumanEvalDryRun(t *testing.T) {
	fixture, _ := filepath.Abs("../datasets/testdata/generate/humanevalplus-mini.jsonl")
	t.Setenv("LESSONL_HUMANEVAL", fixture)
	out := filepath.Join(t.TempDir(), "run")
	sum, _, err := Execute(context.Background(), "specs/paper-humaneval-sim.yaml", out, Options{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Cells != 24 || sum.Failed != 0 {
		t.Fatalf("summary %+v, want 24 cells (4 problems x 6 strategies), none failed", sum)
	}
	results, err := record.Read[record.Result](out, record.TableResults)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Status == "none" || r.Total == 0 || r.BaseTotal == 0 || r.BaseTotal >= r.Total {
			t.Errorf("%s %s: status %s, %d/%d hidden, %d/%d base", r.Strategy, r.ProblemID, r.Status, r.Passed, r.Total, r.BasePassed, r.BaseTotal)
		}
		if r.Kind == "lessonl" && (r.LLMCalls < 2 || r.LLMCalls > 25) {
			t.Errorf("lessonl on %s: %d calls, want 2..25", r.ProblemID, r.LLMCalls)
		}
		if r.Correct != (r.Passed == r.Total) {
			t.Errorf("%s %s: correct %v with %d/%d", r.Strategy, r.ProblemID, r.Correct, r.Passed, r.Total)
		}
	}
	cands, err := record.Read[record.Candidate](out, record.TableCandidates)
	if err != nil {
		t.Fatal(err)
	}
	tested := 0
	for _, c := range cands {
		if c.Strategy == "lessonl" && c.TestsTotal > 0 {
			tested++
		}
		if c.Status != "no_code" && c.Total == 0 {
			t.Errorf("candidate %s/%s %s: status %s without hidden counts", c.Strategy, c.ProblemID, c.CandidateID, c.Status)
		}
	}
	if tested == 0 {
		t.Error("no LessonL candidate ran against generated tests")
	}
	runs, err := analysis.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := analysis.Build(runs, analysis.Options{Resamples: 200}, "lessonl")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Generate == nil || !rep.Generate.Only || len(rep.Generate.Rows) != 6 {
		t.Fatalf("generate table %+v", rep.Generate)
	}
	for _, row := range rep.Generate.Rows {
		for _, col := range []string{"HumanEval", "HumanEval+"} {
			if c := row.Cells[col]; c == nil || c.Problems != 4 {
				t.Errorf("%s: %s cell %+v", row.Label, col, c)
			}
		}
	}
	var md bytes.Buffer
	rep.Markdown(&md)
	for _, want := range []string{"the paper's Table 2 layout", "| Method | HumanEval | HumanEval+ | LLM calls/problem |", "Simulated agents", "| lessonl |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, md.String())
		}
	}
}

// TestPaperGenerateSpecsAgree: the sim dry run has the strategies of
// paper-humaneval.yaml, and paper-mbpp.yaml the same strategies too.
func TestPaperGenerateSpecsAgree(t *testing.T) {
	read := func(name string) []spec.StrategySpec {
		b, err := os.ReadFile(filepath.Join("specs", name))
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Strategies []spec.StrategySpec `yaml:"strategies"`
		}
		if err := yaml.Unmarshal(b, &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return s.Strategies
	}
	want := read("paper-humaneval.yaml")
	for _, name := range []string{"paper-humaneval-sim.yaml", "paper-mbpp.yaml"} {
		got := read(name)
		a, _ := yaml.Marshal(want)
		b, _ := yaml.Marshal(got)
		if !bytes.Equal(a, b) {
			t.Errorf("%s strategies differ from paper-humaneval.yaml:\n%s\nvs\n%s", name, b, a)
		}
	}
}
