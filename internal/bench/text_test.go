package bench

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/golden"
	"github.com/lessonlab/lessonl/internal/pyeval"
)

// matchGolden compares got with testdata/name (go test -update rewrites it).
func matchGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// checkRows are three evaluations of two problems: a faster solution, the
// baseline as its own candidate, and a solution tagged faster that did
// not compile.
func checkRows() []evaluate.CheckRow {
	return []evaluate.CheckRow{
		{ID: "scan-prefix", Solution: evaluate.IdentityName, Expected: datasets.ExpectNotFaster, Status: evaluate.Correct,
			Speedup: 1.004, CILow: 0.987, CIHigh: 1.021, BaselineMS: 41.25, EvalMS: 8200, OK: true},
		{ID: "scan-prefix", Solution: "blocked", Expected: datasets.ExpectFaster, Status: evaluate.Correct,
			Speedup: 2.5, CILow: 2.41, CIHigh: 2.6, BaselineMS: 41.25, EvalMS: 9100, OK: true},
		{ID: "sort-merge", Solution: "in-place", Expected: datasets.ExpectFaster, Status: evaluate.NotCompilable,
			EvalMS: 1500, Detail: "In file included from x.cpp:1:\ncand.cpp:4:5: error: 'buf' was not declared in this scope\nmore"},
	}
}

// TestCheckText is datasets check's table and summary (golden), with a
// known defect and the validation differences from ParEval's original.
func TestCheckText(t *testing.T) {
	ps := []*datasets.Problem{{ID: "scan-prefix"}, {ID: "sort-merge", Defects: []datasets.Defect{
		{Class: datasets.DefectOwnCodeBuild, Fixed: true, Note: "the published code misses an include"},
		{Class: datasets.DefectOwnCodeInvalid, Note: "validate() fails on the published code"}}}}
	rows := checkRows()
	rep := &CheckReport{Problems: ps, Rows: rows, Mismatches: 1}
	var b bytes.Buffer
	table := NewCheckTable(&b)
	table.Rows(rows[:2])
	table.Rows(rows[2:])
	WriteCheckSummary(&b, rep)
	WriteValidationDiffs(&b, []datasets.ValidationDiff{
		{Problem: "00_reduce", Weaker: true, Findings: []string{"tolerance 1e-3, was 1e-6"}},
		{Problem: "01_stencil", Partial: true, Findings: []string{"compares the interior"}, Size: "DRIVER_PROBLEM_SIZE", OriginalSize: "1024"},
		{Problem: "02_scan", Findings: []string{"compares sorted output"}},
	})
	WriteValidationDiffs(&b, nil)
	matchGolden(t, "check.golden", b.Bytes())
}

// TestParEvalText is bench pareval's table and summary (golden): the
// counts of problems that build, the passing count, and the ratio to the
// authors' driver.
func TestParEvalText(t *testing.T) {
	rows := checkRows()
	res := &ParEvalCost{Authors: datasets.AuthorsDriverCost, Rows: []ParEvalRow{
		{Suite: datasets.SuiteParEval, Builds: true, CheckRow: rows[0]},
		{Suite: datasets.SuitePolyBench, Builds: true, CheckRow: rows[1]},
		{Suite: datasets.SuitePolyBench, Builds: false, CheckRow: rows[2]},
	}}
	res.Built, res.All = evaluate.SummarizeCost(rows[:2]), evaluate.SummarizeCost(rows)
	if res.Passing() != 2 {
		t.Errorf("Passing() = %d, want 2", res.Passing())
	}
	var b bytes.Buffer
	table := NewParEvalTable(&b)
	for _, r := range res.Rows {
		table.Row(r)
	}
	table.Summary(res)
	matchGolden(t, "pareval.golden", b.Bytes())
}

// TestGenCheckText is datasets check's table for the generate task
// (golden).
func TestGenCheckText(t *testing.T) {
	rep := &GenCheckReport{Problems: 2, Mismatches: 1, Reference: 2, ReferenceOK: 2, Wall: 1500 * time.Millisecond, Jobs: 2, Rows: []pyeval.CheckRow{
		{ID: "Mini/0", Solution: "canonical", Expect: "pass", OK: true, Verdict: pyeval.Verdict{Status: pyeval.Passed, Passed: 4, Total: 4, WallMS: 40}},
		{ID: "Mini/0", Solution: "claims-to-pass", Expect: "pass", Verdict: pyeval.Verdict{Status: pyeval.Failed, Passed: 3, Total: 4, WallMS: 38,
			Failure: "assert candidate(word) == 5", Detail: "AssertionError\nat line 3"}},
		{ID: "Mini/1", Solution: "canonical", Expect: "pass", OK: true, Verdict: pyeval.Verdict{Status: pyeval.Passed, Passed: 2, Total: 2, WallMS: 35}},
	}}
	var b bytes.Buffer
	WriteGenCheck(&b, rep)
	matchGolden(t, "gencheck.golden", b.Bytes())
}

// TestPrecisionText is bench precision's table (golden).
func TestPrecisionText(t *testing.T) {
	rows := []evaluate.PrecisionRow{{ID: "scan-prefix", Category: "scan", Runs: 20, PointsWithin: 19, CIsCovering: 18,
		MedianWidth: 0.0412, MinPoint: 0.962, MaxPoint: 1.031, RunToRunSD: 0.0123, MedianSeconds: 7.25, MeanProcesses: 4.1}}
	var b bytes.Buffer
	if err := WritePrecision(&b, rows, 0.01); err != nil {
		t.Fatal(err)
	}
	matchGolden(t, "precision.golden", b.Bytes())
}
