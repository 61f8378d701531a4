package recorded

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/golden"
)

func TestLoadMetrics(t *testing.T) {
	m, err := LoadMetrics("testdata/metrics.csv", "serial")
	if err != nil {
		t.Fatal(err)
	}
	if m.Model != "GPT-3.5" || len(m.Categories) != 3 || m.Categories["fft"] != (Metric{Build1: 0.79, Pass1: 0.58}) {
		t.Errorf("got %+v, want GPT-3.5's three serial categories, fft 0.79 and 0.58", m)
	}
	omp, err := LoadMetrics("testdata/metrics.csv", "openmp")
	if err != nil || omp.Categories["stencil"].Pass1 != 0.9 {
		t.Errorf("openmp: %+v, %v; want the omp rows", omp, err)
	}
	dir := t.TempDir()
	for name, text := range map[string]string{
		"no-column.csv":  "model,execution model,problem type,pass@1\nGPT-3.5,serial,fft,0.5\n",
		"two-models.csv": "model,execution model,problem type,build@1,pass@1\nA,serial,fft,1,0.5\nB,serial,sort,1,0.5\n",
		"not-a-fraction": "model,execution model,problem type,build@1,pass@1\nA,serial,fft,1,1.5\n",
		"no-rows.csv":    "model,execution model,problem type,build@1,pass@1\nA,cuda,fft,1,0.5\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadMetrics(path, "serial"); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file", name, err)
		}
	}
}

// TestCompareCategories puts verdicts (given, not evaluated) on the
// fixture's outputs without verdicts, two of 00_'s four judged, both of
// 50_'s, and compares them per category with the metrics excerpt: 00_'s
// second output fails only the checked build (a stricter check of ours),
// 50_ is a problem LessonL changed (its validate() resized), and the table
// names both as causes, each difference with its sampling error.
func TestCompareCategories(t *testing.T) {
	g, err := Load("testdata/outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadMetrics("testdata/metrics.csv", "serial")
	if err != nil {
		t.Fatal(err)
	}
	ps := fixtureProblems(t, "00_reduce_sum_of_squares", "50_stencil_border_xor")
	cfg := BenchConfig{Mode: "serial", Samples: 2, Metrics: m, CategorySize: map[string]int{"reduce": 2, "stencil": 1}}
	rep := &BenchReport{File: "testdata/outputs.json", Mode: "serial", Samples: 2, Evaluated: 4, Changed: map[string][]string{},
		Resized: map[string]string{"50_stencil_border_xor": "64"}, Matrix: map[string]map[evaluate.Status]int{}}
	outcomes := map[string][]evaluate.Outcome{
		"00_reduce_sum_of_squares": {{Status: evaluate.Correct},
			{Status: evaluate.RuntimeError, Detail: "in the checked validation build (bounds checks and sanitizers): heap-buffer-overflow"}},
		"50_stencil_border_xor": {{Status: evaluate.Incorrect, Detail: "the benchmark's validate() rejects the output at size 128"}, {Status: evaluate.Correct}},
	}
	for _, p := range ps {
		for i, out := range outcomes[p.ID] {
			rep.Rows = append(rep.Rows, rep.row(p, i, g.Outputs(p.ID, "serial")[i], out))
		}
	}
	rep.summarize(ps, g, cfg)
	rep.compareCategories(ps, g, cfg, m)
	if len(rep.Categories) != 2 {
		t.Fatalf("categories %+v, want reduce and stencil", rep.Categories)
	}
	reduce := rep.Categories[0]
	// 00: 1 of 2 passes; 2 of 4 outputs judged; p shrunk to 1.5/3; one of
	// the category's two problems judged, the between-problem term 0.25.
	wantSE := math.Sqrt(0.5*0.5/2*2/3/1 + 0.25/1*1/1)
	if reduce.Category != "reduce" || reduce.Pass1.Ours != 0.5 || math.Abs(reduce.Pass1.Diff-(0.5-0.88)) > 1e-9 ||
		math.Abs(reduce.Pass1.SE-wantSE) > 1e-9 || reduce.Problems != 1 || reduce.Total != 2 {
		t.Errorf("reduce: %+v, want pass@1 0.5 against 0.88 with SE %.4f over 1 of 2 problems", reduce, wantSE)
	}
	if got := reduce.Stricter["checked build"]; len(got) != 1 || got[0] != "00_reduce_sum_of_squares" {
		t.Errorf("reduce: stricter %v, want the checked build on 00", reduce.Stricter)
	}
	stencil := rep.Categories[1]
	if len(stencil.Changed) != 1 || stencil.Pass1.SE != 0 || !stencil.Pass1.Beyond || stencil.Residual != 0 {
		t.Errorf("stencil: %+v, want 50 changed, every output judged (no sampling error), the shortfall explained", stencil)
	}
	var b bytes.Buffer
	WriteBench(&b, rep)
	golden.Check(t, filepath.Join("testdata", "categories.golden"), b.Bytes())
}

func TestEstimateAllOutputs(t *testing.T) {
	// Every output of every problem judged: no sampling error, and any
	// difference is beyond it.
	e := estimate([]share{{c: 3, n: 4, population: 4}, {c: 1, n: 2, population: 2}}, 2, 0.6)
	if e.SE != 0 || math.Abs(e.Ours-0.625) > 1e-12 || !e.Beyond {
		t.Errorf("got %+v, want 0.625 with no sampling error, beyond it", e)
	}
}

func TestStricterCheck(t *testing.T) {
	for _, tt := range []struct {
		out  evaluate.Outcome
		want string
	}{
		{evaluate.Outcome{Status: evaluate.RuntimeError, Detail: checkedMarker + " (bounds checks and sanitizers): heap-buffer-overflow"}, "checked build"},
		// A wrong answer fails the checked build's validation first: not
		// a finding of the checked build's own.
		{evaluate.Outcome{Status: evaluate.Incorrect, Detail: checkedMarker + " (bounds checks and sanitizers): the benchmark's validate() rejects the output at size 512"}, ""},
		{evaluate.Outcome{Status: evaluate.Incorrect, Detail: checkedMarker + " (bounds checks and sanitizers): strict validation: at size 512, argument 2 differs from the baseline's"}, "strict validation"},
		{evaluate.Outcome{Status: evaluate.Incorrect, Detail: "out differs from the baseline's at element 3"}, "whole-output comparison"},
		{evaluate.Outcome{Status: evaluate.NotSerial}, "one thread in serial mode"},
		{evaluate.Outcome{Status: evaluate.Correct, Detail: "strict validation:"}, ""},
	} {
		if got := stricterCheck(tt.out); got != tt.want {
			t.Errorf("%s %q: got %q, want %q", tt.out.Status, tt.out.Detail, got, tt.want)
		}
	}
}

// TestSurplusCause puts a pass@1 above ParEval's down to the benchmark
// LessonL changed when the outputs that passed on changed problems account
// for it (ParEval's own reference for 11_geometry_convex_hull_perimeter
// fails right answers), and to lessonl ("ours") when they do not or when
// the problem was only resized (a larger validation fails more, never
// less). Every output of the fixture's stencil problem is judged, so there
// is no sampling error.
func TestSurplusCause(t *testing.T) {
	g, err := Load("testdata/outputs.json")
	if err != nil {
		t.Fatal(err)
	}
	ps := fixtureProblems(t, "50_stencil_border_xor")
	for _, tt := range []struct {
		name     string
		changed  bool
		noResult bool
		want     string
	}{
		{"validate() changed", true, false, CauseBenchmark + ": lessonl's surplus: 50 (2 outputs pass)"},
		{"only resized", false, false, CauseOurs + ": lessonl passes more than ParEval, +0.50 of pass@1 unexplained"},
		// ParEval's runs reported no validity: its invalid verdicts were
		// no verdicts, and the surplus is theirs, not ours.
		{"no result from ParEval's runs", false, true, CauseNoResult + ": 50 (2 outputs pass)"},
	} {
		m := &Metrics{Categories: map[string]Metric{"stencil": {Build1: 1, Pass1: 0.5}}}
		cfg := BenchConfig{Mode: "serial", Metrics: m, CategorySize: map[string]int{"stencil": 1}}
		rep := &BenchReport{File: "testdata/outputs.json", Mode: "serial", Changed: map[string][]string{},
			Resized: map[string]string{"50_stencil_border_xor": "64"}, Matrix: map[string]map[evaluate.Status]int{}}
		if tt.changed {
			rep.Changed["50_stencil_border_xor"] = []string{"validate(): checks against another reference"}
		}
		for i, o := range g.Outputs("50_stencil_border_xor", "serial") {
			if tt.noResult {
				o.Verdicts = &Verdicts{DidBuild: true, NoResult: true}
			}
			rep.Rows = append(rep.Rows, rep.row(ps[0], i, o, evaluate.Outcome{Status: evaluate.Correct}))
		}
		rep.summarize(ps, g, cfg)
		rep.compareCategories(ps, g, cfg, m)
		if len(rep.Categories) != 1 {
			t.Fatalf("%s: categories %+v", tt.name, rep.Categories)
		}
		if c := rep.Categories[0]; c.Cause != tt.want || c.Pass1.Diff != 0.5 {
			t.Errorf("%s: pass@1 %+v, cause %q, want %q", tt.name, c.Pass1, c.Cause, tt.want)
		}
	}
}
