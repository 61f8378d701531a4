package evaluate

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
)

// TestPrecision evaluates a problem's baseline against itself three times,
// fresh each time, and checks the summary against its own points.
func TestPrecision(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times three evaluations")
	}
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	p := loadTestProblem(t)
	if _, err := Precision(context.Background(), newTestEvaluator(t, Config{}), []*datasets.Problem{p}, 2); err == nil || !strings.Contains(err.Error(), "Fresh") {
		t.Errorf("an evaluator that reuses outcomes gave %v, want an error naming Config.Fresh", err)
	}
	e := newTestEvaluator(t, Config{MinReps: 6, MaxReps: 6, Fresh: true})
	rows, err := Precision(context.Background(), e, []*datasets.Problem{p}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(rows))
	}
	r := rows[0]
	if r.ID != p.ID || r.Runs != 3 || len(r.Points) != 3 {
		t.Fatalf("row %+v: want 3 points for %s", r, p.ID)
	}
	within := 0
	for _, x := range r.Points {
		if x >= 0.97 && x <= 1.03 {
			within++
		}
	}
	if r.PointsWithin != within || r.MinPoint > r.MaxPoint || r.MedianWidth <= 0 || r.MedianSeconds <= 0 || r.CIsCovering > 3 {
		t.Errorf("row %+v does not agree with its points", r)
	}
	if want := logSD(r.Points); r.RunToRunSD != want || math.IsNaN(want) {
		t.Errorf("run-to-run sd %g, want %g", r.RunToRunSD, want)
	}
}

func TestLogSD(t *testing.T) {
	tests := []struct {
		xs   []float64
		want float64
	}{
		{[]float64{1, math.E, math.E * math.E}, 1}, // logs 0, 1, 2
		{[]float64{2, 2, 2}, 0},
		{[]float64{1.5}, 0},
		{nil, 0},
	}
	for _, tt := range tests {
		if got := logSD(tt.xs); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("logSD(%v) = %g, want %g", tt.xs, got, tt.want)
		}
	}
}
