// Package sourcetoy_test adds a dataset source in a test, as a user would
// add one: this file registers it, and a spec names it with source: NAME,
// touching no other file (a test binary of its own keeps the registration
// out of other tests).
package sourcetoy_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// The source "lines": a text file of problems, one a line, "ID
// description"; its option category files them all under one category
// ("reduce" unless set).
func init() {
	datasets.RegisterSource(datasets.Source{Name: "lines", Task: datasets.TaskOptimize, Usage: "problems from this text file, one a line",
		Flag: "lines", Options: []datasets.Option{{Name: "category", Default: "reduce", Usage: "with --lines: the problems' category"}},
		Load: loadLines})
}

func loadLines(s datasets.Settings) ([]*datasets.Problem, error) {
	f, err := os.Open(s.Path)
	if err != nil {
		return nil, fmt.Errorf("lines: %w", err)
	}
	defer f.Close()
	category := s.String("category")
	if category == "" {
		category = "reduce"
	}
	var out []*datasets.Problem
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		id, desc, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok {
			continue
		}
		out = append(out, &datasets.Problem{ID: id, Category: category, Title: id, Description: desc, Language: "c++",
			BaselineCode: "int f() { return 0; }\n", Sizes: datasets.Sizes{Timing: 1}})
	}
	return out, sc.Err()
}

// writeSpec writes a lines file of three problems and a spec naming it
// with the dataset block given, and returns the spec's path.
func writeSpec(t *testing.T, dataset string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "problems.txt"), []byte("one say one\ntwo say two\nthree say three\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sp := filepath.Join(dir, "spec.yaml")
	text := fmt.Sprintf(`name: lines
dataset: %s
agents:
  - {name: a, provider: sim, model: sim/coder-a}
strategies:
  - {name: single, kind: single, agents: [a]}
seeds: [1]
`, strings.ReplaceAll(dataset, "FILE", filepath.Join(dir, "problems.txt")))
	if err := os.WriteFile(sp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return sp
}

// TestToySourceThroughSpec: a spec names the registered source with
// source:, path: and options:; the spec's filters apply to its problems.
func TestToySourceThroughSpec(t *testing.T) {
	for _, tt := range []struct {
		name, dataset string
		ids           []string
		category      string
	}{
		{"all", "{source: lines, path: FILE}", []string{"one", "two", "three"}, "reduce"},
		{"option and filter", "{source: lines, path: FILE, options: {category: scan}, problems: [three, one]}", []string{"three", "one"}, "scan"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, _, err := spec.Load(writeSpec(t, tt.dataset))
			if err != nil {
				t.Fatal(err)
			}
			if s.Dataset.Task() != datasets.TaskOptimize {
				t.Errorf("task %s, want optimize", s.Dataset.Task())
			}
			ps, err := s.Problems()
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range ps {
				ids = append(ids, p.ID)
				if p.Category != tt.category {
					t.Errorf("%s: category %q, want %q", p.ID, p.Category, tt.category)
				}
			}
			if strings.Join(ids, " ") != strings.Join(tt.ids, " ") {
				t.Errorf("problems %v, want %v", ids, tt.ids)
			}
		})
	}
}

// TestToySourceSpecErrors: validation knows the registered source, its
// options and that it stands alone.
func TestToySourceSpecErrors(t *testing.T) {
	for _, tt := range []struct{ dataset, want string }{
		{"{source: line, path: FILE}", `no dataset source "line"; did you mean "lines"?`},
		{"{source: lines, path: FILE, options: {colour: red}}", `source lines has no option "colour" (its options: category)`},
		{"{source: lines, path: FILE, options: {category: true}}", "source lines's option category is a string"},
		{"{source: lines, suite: codeopt}", "a named source stands alone"},
		{"{suite: codeopt, options: {category: scan}}", "options go with source:"},
	} {
		_, _, err := spec.Load(writeSpec(t, tt.dataset))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("dataset %s: error %v, want one saying %q", tt.dataset, err, tt.want)
		}
	}
}

// noEvaluator judges every candidate not compilable: the run needs no
// compiler, and no code is ever run.
type noEvaluator struct{}

func (noEvaluator) Evaluate(context.Context, *datasets.Problem, string) (evaluate.Outcome, error) {
	return evaluate.Outcome{Status: evaluate.NotCompilable}, nil
}

// TestToySourceRunRecordsIt runs a spec over the registered source (the
// sim team, a simulator, answers; nothing is compiled): the run's problems
// table and manifest name the source and the file it read.
func TestToySourceRunRecordsIt(t *testing.T) {
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	sp := writeSpec(t, "{source: lines, path: FILE, limit: 2}")
	out := filepath.Join(t.TempDir(), "run")
	sum, _, err := experiments.Execute(context.Background(), sp, out, experiments.Options{Evaluators: strategy.Evaluators{strategy.TaskOptimize: noEvaluator{}}}, "test")
	if err != nil || sum.Ran != 2 {
		t.Fatalf("summary %+v: %v", sum, err)
	}
	rows, err := record.Read[record.Problem](out, record.TableProblems)
	if err != nil || len(rows) != 2 {
		t.Fatalf("problems %+v: %v", rows, err)
	}
	for _, r := range rows {
		if r.Source != "lines" || r.Category != "reduce" {
			t.Errorf("%s: source %q, category %q; want lines, reduce", r.ProblemID, r.Source, r.Category)
		}
	}
	m, err := record.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if d := m.Dataset; d == nil || d.Source != "lines" || filepath.Base(d.Path) != "problems.txt" || d.Problems != 2 {
		t.Errorf("manifest dataset %+v, want source lines, path problems.txt, 2 problems", d)
	}
}
