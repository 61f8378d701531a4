package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/experiments"
	"github.com/lessonlab/lessonl/internal/record"
)

// groupBySpec is one small sim run whose spec sweeps a key: two
// single-agent strategies of two models, each under both protocols
// (a matrix over protocol), on two problems.
const groupBySpec = `name: groupby
description: two single agents under two protocols on the sim team (a simulator), for compare --group-by
dataset: {suite: codeopt, limit: 2}
evaluation: {compiler: g++, flags: [-std=c++17, -O3], mode: serial, repetitions: 5, warmup: 1, timeout: 60s}
agents:
  - {name: coder-a, provider: sim, model: sim/coder-a}
  - {name: coder-b, provider: sim, model: sim/coder-b}
strategies:
  - {name: single-a, kind: single, agents: [coder-a]}
  - {name: single-b, kind: single, agents: [coder-b]}
matrix:
  single-a: {protocol: [lessonl, paper]}
  single-b: {protocol: [lessonl, paper]}
seeds: [1]
`

// genGroupBySpec is the same sweep on the built-in Python suite (code
// generation: pass@1, no speedup).
const genGroupBySpec = `name: groupby-gen
description: one single agent under two protocols on the built-in Python suite (sim team, a simulator)
dataset: {suite: pysuite, limit: 4}
agents:
  - {name: coder-c, provider: sim, model: sim/coder-c}
strategies:
  - {name: single, kind: single, agents: [coder-c]}
matrix:
  single: {protocol: [lessonl, paper]}
seeds: [1, 2]
`

// runSpecText runs spec text into a run folder and returns it.
func runSpecText(t *testing.T, spec string) string {
	t.Helper()
	tmp := t.TempDir()
	path := filepath.Join(tmp, "spec.yaml")
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	run := filepath.Join(tmp, "run")
	sum, _, err := experiments.Execute(context.Background(), path, run, experiments.Options{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed > 0 {
		t.Fatalf("run: %+v", sum)
	}
	return run
}

// rowOf is the printed row whose first column is label.
func rowOf(out, label string) []string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, label+"  ") {
			return strings.Fields(strings.TrimPrefix(l, label))
		}
	}
	return nil
}

// TestCompareGroupBy runs a small sim run with a matrix over protocol
// and two models, and compares inside it by protocol and by model: the
// printed old and new geometric means are the records' (recomputed here
// from the results table), the rows of the two strategies of different
// models line up by kind, and with two pairs nothing can be significant,
// so every change shows "~". A key with one value, or none, says which
// values or keys there are.
func TestCompareGroupBy(t *testing.T) {
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("no g++")
	}
	if testing.Short() {
		t.Skip("runs a small sim run (-short)")
	}
	run := runSpecText(t, groupBySpec)
	res, err := record.Read[record.Result](run, record.TableResults)
	if err != nil {
		t.Fatal(err)
	}
	// geo is the records' geometric-mean speedup (failed or slower = 1×)
	// of a strategy under a protocol, with its cell count.
	geo := func(strategy, protocol string) string {
		s, n := 0.0, 0
		for _, r := range res {
			if r.Strategy == strategy && r.Variant == "protocol="+protocol {
				s += math.Log(analysis.PaperSpeedup(analysis.Result{Result: r}))
				n++
			}
		}
		return fmt.Sprintf("%.3f× (n=%d)", math.Exp(s/float64(n)), n)
	}
	tests := []struct {
		key, old, new string
		rows          map[string][2]string // label → old and new cells
	}{
		{"protocol", "protocol=lessonl", "protocol=paper", map[string][2]string{
			"single-a": {geo("single-a", "lessonl"), geo("single-a", "paper")},
			"single-b": {geo("single-b", "lessonl"), geo("single-b", "paper")}}},
		{"model", "model=sim/coder-a", "model=sim/coder-b", map[string][2]string{
			"single-a vs single-b[protocol=lessonl]": {geo("single-a", "lessonl"), geo("single-b", "lessonl")},
			"single-a vs single-b[protocol=paper]":   {geo("single-a", "paper"), geo("single-b", "paper")}}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			out := runLessonl(t, "compare", "--resamples", "200", "--group-by", tt.key, run)
			if !strings.Contains(out, "OLD: "+tt.old) || !strings.Contains(out, "NEW: "+tt.new) {
				t.Errorf("headings lack OLD: %s and NEW: %s:\n%s", tt.old, tt.new, out)
			}
			for label, want := range tt.rows {
				row := strings.Join(rowOf(out, label), " ")
				if !strings.HasPrefix(row, "all "+want[0]+" "+want[1]+" ~ (") {
					t.Errorf("row %q: %q, want old %s, new %s and ~\n%s", label, row, want[0], want[1], out)
				}
				f := rowOf(out, label)
				if p, err := strconv.ParseFloat(f[len(f)-4], 64); err != nil || p < analysis.Alpha || !strings.HasSuffix(row, "wilcoxon, 2 pairs") {
					t.Errorf("row %q: p %q, want ≥ %g from a paired test of 2 pairs", label, f[len(f)-4], analysis.Alpha)
				}
			}
		})
	}
	for _, tt := range []struct{ key, want string }{
		{"run", "the runs have one value of run (run=groupby)"},
		{"k", `no result has it among its keys (have [agents mode model prompts protocol run samples seed temperature])`},
	} {
		app := testApp()
		err := app.Run([]string{"lessonl", "compare", "--group-by", tt.key, run})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--group-by %s: %v, want an error saying %q", tt.key, err, tt.want)
		}
	}
}

// TestGenerateAnalyzeAndCompare: on a code-generation run, analyze and
// compare --group-by print pass@1 (the records' share of passed cells),
// never a speedup.
func TestGenerateAnalyzeAndCompare(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	run := runSpecText(t, genGroupBySpec)
	res, err := record.Read[record.Result](run, record.TableResults)
	if err != nil {
		t.Fatal(err)
	}
	pass := func(protocol string) (float64, int) {
		p, n := 0, 0
		for _, r := range res {
			if r.Variant == "protocol="+protocol {
				n++
				if r.Correct {
					p++
				}
			}
		}
		return float64(p) / float64(n), n
	}
	three := func(x float64) string { return strings.TrimPrefix(fmt.Sprintf("%.3f", x), "0") }
	pl, nl := pass("lessonl")
	pp, np := pass("paper")

	out := runLessonl(t, "analyze", "--resamples", "200", run)
	if row := strings.Join(rowOf(out, "single"), " "); !strings.HasPrefix(row, fmt.Sprintf("protocol=lessonl all %d 4 ", nl)) ||
		!strings.Contains(row, " "+three(pl)+" [") {
		t.Errorf("analyze: single's row %q, want pass@1 %s over %d cells\n%s", row, three(pl), nl, out)
	}
	cmp := runLessonl(t, "compare", "--resamples", "200", "--group-by", "protocol", run)
	row := strings.Join(rowOf(cmp, "single"), " ")
	want := fmt.Sprintf("all pass@1 %s (n=%d) pass@1 %s (n=%d) ", three(pl), nl, three(pp), np)
	if !strings.HasPrefix(row, want) || !strings.Contains(row, "pts") {
		t.Errorf("compare --group-by protocol: row %q, want it to start %q and give Δ in points\n%s", row, want, cmp)
	}
	for name, o := range map[string]string{"analyze": out, "compare": cmp} {
		if strings.Contains(o, "×") || strings.Contains(o, "GEOMEAN") || strings.Contains(o, "geometric") {
			t.Errorf("%s shows speedups for a code-generation run:\n%s", name, o)
		}
	}
}
