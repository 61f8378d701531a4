package experiments

import (
	"testing"
	"time"
)

// TestETAWeighsCellsAndSkipsBuilds: the ETA counts a LessonL cell as the
// work its plan says (here 12 single cells' worth), and its clock starts at
// the first finished cell, so the one-time builds before it do not inflate
// the estimate.
func TestETAWeighsCellsAndSkipsBuilds(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		weight map[string]float64
		want   time.Duration
	}{
		// One-time builds: 60 s before the first cell. Then a single cell
		// every 1 s. Remaining: 8 single cells and 2 LessonL cells.
		{"weighed", map[string]float64{"single": 1, "lessonl": 12}, (8 + 24) * time.Second},
		{"unweighed", nil, (8 + 2) * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ta tally
			ta.start(map[string]int{"single": 10, "lessonl": 2})
			ta.weight = tt.weight
			if _, ok := ta.eta(t0); ok {
				t.Error("an ETA before any cell finished")
			}
			ta.addAt(t0.Add(60*time.Second), "single", Score{Speedup: 1.5})
			if _, ok := ta.eta(t0.Add(60 * time.Second)); ok {
				t.Error("an ETA from one cell (its time holds the builds)")
			}
			ta.addAt(t0.Add(61*time.Second), "single", Score{Speedup: 1.5})
			got, ok := ta.eta(t0.Add(61 * time.Second))
			if !ok || got != tt.want {
				t.Errorf("ETA %s (%v), want %s", got, ok, tt.want)
			}
		})
	}
}
