package experiments

import (
	"github.com/lessonlab/lessonl/experiments/spec"

	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSharedRound0 counts the round-0 evaluations a LessonL cell shares
// with an earlier one: only between variants that differ where round 0
// does not look, and never when evaluations are fresh.
func TestSharedRound0(t *testing.T) {
	const head = `name: shared
dataset: {suite: codeopt, limit: 2}
agents:
  - {name: a, provider: sim, model: sim/coder-a}
  - {name: b, provider: sim, model: sim/coder-b}
  - {name: c, provider: sim, model: sim/coder-c}
seeds: [1]
`
	cases := []struct {
		name  string
		body  string
		total int // expected hits over all cells
	}{
		{"k × selection", `strategies:
  - {name: ll, kind: lessonl, agents: [a, b, c], params: {rounds: 2}}
matrix:
  ll: {k: [2, 4, 8], selection: [paper, relevance, none]}
`, 2 * 8 * 3}, // 2 problems, 8 later variants, 3 agents
		{"temperature changes round 0", `strategies:
  - {name: ll, kind: lessonl, agents: [a, b, c], params: {rounds: 2}}
matrix:
  ll: {temperature: [0.2, 0.8]}
`, 0},
		{"other agents", `strategies:
  - {name: ll, kind: lessonl, agents: [a, b, c], params: {rounds: 2}}
  - {name: ll2, kind: lessonl, agents: [a, b], params: {rounds: 2, k: 2}}
`, 0},
		{"two strategies of one configuration", `strategies:
  - {name: ll, kind: lessonl, agents: [a, b], params: {rounds: 2}}
  - {name: ll2, kind: lessonl, agents: [a, b], params: {rounds: 3, k: 2}}
`, 2 * 2},
		{"protocol paper evaluates every submission", `protocol: paper
strategies:
  - {name: ll, kind: lessonl, agents: [a, b, c], params: {rounds: 2}}
matrix:
  ll: {k: [2, 4]}
`, 0},
		{"fresh evaluations", `evaluation: {fresh: true}
strategies:
  - {name: ll, kind: lessonl, agents: [a, b, c], params: {rounds: 2}}
matrix:
  ll: {k: [2, 4]}
`, 0},
		{"other kinds share nothing", `strategies:
  - {name: one, kind: single, agents: [a]}
  - {name: two, kind: single, agents: [a]}
`, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := spec.Parse("shared.yaml", []byte(head+c.body), func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatal(err)
			}
			ps, err := s.Problems()
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, n := range SharedRound0(s, s.Cells(ps)) {
				total += n
			}
			if total != c.total {
				t.Errorf("%d shared evaluations, want %d", total, c.total)
			}
		})
	}
}

// TestNodeHours spreads a plan's evaluation time over nodes: one node
// takes it all, more nodes take less each but no less than an even split.
func TestNodeHours(t *testing.T) {
	s, ps := fakeProblems(t)
	cal := &Calibration{Phases: map[string]float64{PhaseCompile: 2, PhaseTiming: 4}}
	h := cal.History("cal.json")
	plan := MakePlan(s, ps)
	Costs(s, &plan, ps, h)
	var total float64
	for _, e := range plan.Estimates {
		total += e.EvalHours
	}
	one := NodeHours(s, plan, h, 1)
	if math.Abs(one-total) > 1e-9 || total <= 0 {
		t.Fatalf("one node: %g h, the plan's total %g h", one, total)
	}
	three := NodeHours(s, plan, h, 3)
	if three >= one || three < total/3-1e-9 {
		t.Errorf("three nodes: %g h, want below %g and at least %g", three, one, total/3)
	}
}

// TestCalibrationFile writes a calibration and reads it back; its rate is
// the measured wall time per evaluation, else the sum of its phases.
func TestCalibrationFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "calibration.json")
	c := &Calibration{Machine: "m", Mode: "serial", Suite: "codeopt", Evaluations: 12,
		Phases: map[string]float64{PhaseCompile: 1.5, PhaseCheckedBuild: 1, PhaseValidation: 0.5, PhaseTiming: 3, PhaseQueueing: 0.25}}
	if err := WriteCalibration(path, c); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCalibration(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Phases, c.Phases) || got.PerEvaluation() != 6.25 {
		t.Errorf("read back %+v, %g s per evaluation; want the phases written, 6.25 s", got, got.PerEvaluation())
	}
	got.WallPerEval = 4
	if got.PerEvaluation() != 4 || !strings.HasPrefix(got.String(), "4.0 s per evaluation (checked_build 1.0, compile 1.5") {
		t.Errorf("with a measured wall time: %g s, %q", got.PerEvaluation(), got.String())
	}
	if err := WriteCalibration(path, &Calibration{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCalibration(path); err == nil || !strings.Contains(err.Error(), "no seconds per evaluation") {
		t.Errorf("an empty calibration read as %v, want an error", err)
	}
}
