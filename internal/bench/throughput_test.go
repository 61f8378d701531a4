package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// throughputReport is a report of fixed numbers: the built-in suite and
// ParEval, each before and now.
func throughputReport() *ThroughputReport {
	ok := []evaluate.Status{evaluate.Correct, evaluate.Incorrect, evaluate.NotCompilable, evaluate.Correct}
	return &ThroughputReport{Machine: "box, Some CPU, 2 CPUs", Mode: "serial", Suites: []ThroughputSuite{
		{Suite: "builtin", Problems: 2,
			Before: ThroughputRun{Variant: "before", Jobs: 1, Evaluations: 4, WallS: 80, PerHour: 180, PerEvalS: 20,
				Phases:   Phases{Compile: 1.5, Checked: 6, Validate: 0.5, Timing: 10},
				Builds:   evaluate.BuildCounts{Problems: 2, CheckedProblems: 2, Candidates: 4, Checked: 3},
				Statuses: ok},
			Now: ThroughputRun{Variant: "now", Jobs: 2, Evaluations: 4, WallS: 40, PerHour: 360, PerEvalS: 10,
				Phases:   Phases{Compile: 1.8, Checked: 3, Validate: 0.6, Timing: 10, Queue: 4},
				Builds:   evaluate.BuildCounts{Problems: 2, CheckedProblems: 1, Candidates: 4, Checked: 2},
				Statuses: []evaluate.Status{evaluate.Correct, evaluate.Incorrect, evaluate.NotCompilable, evaluate.RuntimeError}}},
		{Suite: "pareval", Problems: 1,
			Before: ThroughputRun{Variant: "before", Jobs: 1, Evaluations: 1, WallS: 20, PerHour: 180, PerEvalS: 20,
				Phases: Phases{Compile: 4, Checked: 9.5, Validate: 5, Timing: 1.5}, Statuses: ok[:1]},
			Now: ThroughputRun{Variant: "now", Jobs: 2, Evaluations: 1, WallS: 19, PerHour: 189.5, PerEvalS: 19,
				Phases: Phases{Compile: 4, Checked: 9, Validate: 5, Timing: 1}, Statuses: ok[:1]}},
	}}
}

// TestThroughputText is bench throughput's report (golden): a row per
// variant, the ratios now/before (a phase before did not have is "-"),
// the builds and the verdicts' agreement per suite.
func TestThroughputText(t *testing.T) {
	rep := throughputReport()
	if got := rep.Suites[0].Agree(); got != 3 {
		t.Errorf("Agree() = %d, want 3", got)
	}
	var b bytes.Buffer
	WriteThroughput(&b, rep)
	matchGolden(t, "throughput.golden", b.Bytes())
}

// TestCalibrationFile: a calibration written from a run is read back
// whole, its phases under the names plan reads, and a file without a
// per-evaluation figure is refused.
func TestCalibrationFile(t *testing.T) {
	c := Calibrate("box", "serial", "pareval", throughputReport().Suites[1].Now)
	path := filepath.Join(t.TempDir(), "calibration.json")
	if err := WriteCalibration(path, c); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCalibration(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("read %+v, wrote %+v", got, c)
	}
	want := map[string]float64{PhaseCompile: 4, PhaseChecked: 9, PhaseValidate: 5, PhaseTiming: 1, PhaseQueue: 0}
	if !reflect.DeepEqual(got.Phases, want) || got.PerEval != 19 || got.Jobs != 2 {
		t.Errorf("calibration %+v, want phases %v and 19 s per evaluation at 2 jobs", got, want)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	matchGolden(t, "calibration.golden", b)
	if err := os.WriteFile(path, []byte(`{"machine":"box","mode":"serial","phases":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCalibration(path); err == nil {
		t.Error("a calibration without per_eval was read")
	}
}

// TestMeasureCounts measures a small workload for real under both
// variants: the same verdicts, one build of each problem, and before
// paying for the checked build of every candidate that compiles where
// now pays only for those that validated.
func TestMeasureCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real code")
	}
	if _, err := os.Stat("/usr/bin/g++"); err != nil {
		t.Skip("g++ not installed")
	}
	ps, err := datasets.LoadDir("../evaluate/testdata/reduce-sum")
	if err != nil {
		t.Fatal(err)
	}
	p := ps[0]
	const incorrect = "#include <cstdint>\n#include <vector>\nint64_t sum_values(const std::vector<int64_t>& v) { return 1; }\n"
	cands := []Candidate{{p, "own", p.BaselineCode}, {p, "wrong", incorrect}, {p, "broken", "int sum_values(\n"}}
	before, now := BeforeAndNow(evaluate.Config{VerdictOnly: true}, 2)
	var mu sync.Mutex
	heard := map[string]int{}
	s, err := Throughput(context.Background(), "test", 1, cands, before, now, func(v string, _ Candidate, _ evaluate.Outcome, _ error) {
		mu.Lock()
		heard[v]++
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []evaluate.Status{evaluate.Correct, evaluate.Incorrect, evaluate.NotCompilable}
	for _, r := range []ThroughputRun{s.Before, s.Now} {
		if !reflect.DeepEqual(r.Statuses, want) || r.Evaluations != 3 || r.PerHour <= 0 || r.Phases.Compile <= 0 {
			t.Errorf("%s: %+v, want statuses %v", r.Variant, r, want)
		}
	}
	if got := (evaluate.BuildCounts{Problems: 1, CheckedProblems: 1, Candidates: 3, Checked: 2}); s.Before.Builds != got {
		t.Errorf("before built %+v, want %+v", s.Before.Builds, got)
	}
	if got := (evaluate.BuildCounts{Problems: 1, CheckedProblems: 1, Candidates: 3, Checked: 1}); s.Now.Builds != got {
		t.Errorf("now built %+v, want %+v", s.Now.Builds, got)
	}
	if heard["before"] != 3 || heard["now"] != 3 {
		t.Errorf("progress heard of %v evaluations, want 3 of each variant", heard)
	}
	if s.Before.Jobs != 1 || s.Now.Jobs != 2 || s.Agree() != 3 {
		t.Errorf("jobs %d and %d, %d verdicts agree; want 1, 2 and 3", s.Before.Jobs, s.Now.Jobs, s.Agree())
	}
}
