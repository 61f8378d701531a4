package experiments

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/record"
)

// TestProgressCountsPlannedEvaluations runs the generate quickstart's
// Reflexion and MapCoder, which write tests of their own and run every
// candidate on them and then on the hidden tests, and single, which
// writes none, on one problem (sim team, a simulator) with the progress
// events recorded: each cell's evaluations in the events are its
// candidates with code, as its recorded evaluations count them and as
// the plan (spec.CostOf) counts them, never more than planned; on
// balanced with seed 2 the sim's Reflexion and MapCoder pass their own
// tests with no candidate, so they make every evaluation the plan allows
// (4 and 9), and the events say as many, not one per test run (8 and 18).
func TestProgressCountsPlannedEvaluations(t *testing.T) {
	var out, events syncBuffer
	dir := filepath.Join(t.TempDir(), "run")
	opts := Options{Progress: &Lines{W: &out, Quiet: true, Events: &events}, NoCache: true,
		Overrides: spec.Overrides{Problems: []string{"balanced"}, Seeds: []int64{2}, Strategies: []string{"reflexion", "mapcoder", "single"}}}
	sum, _, err := Execute(context.Background(), "specs/quickstart-generate.yaml", dir, opts, "test")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Cells != 3 || sum.Failed != 0 {
		t.Fatalf("summary %+v, want 3 cells, none failed", sum)
	}
	path := filepath.Join(t.TempDir(), "events.csv")
	if err := os.WriteFile(path, []byte(events.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := readRecording(t, path)
	told := map[string]int{} // evaluations begun, per cell
	for _, e := range rec.events {
		if e.what == eventEval {
			told[e.cell]++
		}
	}
	results, err := record.Read[record.Result](dir, record.TableResults)
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]int64{}
	for _, r := range results {
		recorded[r.Strategy+"|"+r.ProblemID] = r.Evaluations
	}
	want := map[string]int{"reflexion": 4, "mapcoder": 9, "single": 1}
	for _, c := range rec.plan {
		_, planned := spec.CostOf(c.Kind, c.Params, len(c.Agents), rec.task)
		got, rows := told[c.Key()], recorded[c.Strategy+"|"+c.Problem]
		if planned != want[c.Strategy] {
			t.Errorf("%s: plan says %d evaluations, want %d", c.ID(), planned, want[c.Strategy])
		}
		if int64(got) != rows || got > planned {
			t.Errorf("%s: the progress events told %d evaluations, its records %d, its plan at most %d: want the records' count, within the plan", c.ID(), got, rows, planned)
		}
		if got != want[c.Strategy] {
			t.Errorf("%s: the progress events told %d evaluations, want %d (every one the plan allows, a candidate once)", c.ID(), got, want[c.Strategy])
		}
	}
}
