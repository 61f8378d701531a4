package experiments

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
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

// TestETAOnRecordedTimings replays the cells of three recorded runs
// (their strategies, begin and end times from the cells table; four cells
// at a time, sim team) through the progress tally and measures the ETA's
// worst relative error at a finished cell once a quarter of the cells are
// done (an error within 5 s counts as none). It holds each run to the
// error measured when the test was written, so a change that makes the
// ETA worse fails; the target of ±30% is not met on these runs (the
// evaluation cache makes later cells of a problem far cheaper than the
// first, and LessonL's first cells carry the builds), which the log says.
func TestETAOnRecordedTimings(t *testing.T) {
	for _, tt := range []struct {
		file   string
		weight map[string]float64 // planned LLM calls + evaluations per cell (lessonl plan)
		bound  float64            // worst relative error measured when written, rounded up
	}{
		// 12 problems of the generate quickstart: 216 cells of six kinds, 1m0s.
		{"quickstart-generate-12.csv", map[string]float64{"lessonl": 37, "single": 2, "cot": 2, "reflexion": 15, "moa": 11, "mapcoder": 20}, 0.70},
		// The quickstart: 32 cells, 9m15s at load 10 to 14.
		{"quickstart.csv", map[string]float64{"lessonl": 36, "single-a": 2, "voting": 6, "debate": 12}, 2.5},
		// The k × selection ablation: 50 cells, 7m43s, the last 37 in 8 s
		// (every problem cached by then).
		{"ablation-k-selection.csv", nil, 410},
	} {
		t.Run(tt.file, func(t *testing.T) {
			cells := readTimings(t, filepath.Join("testdata", "timings", tt.file))
			if tt.weight == nil {
				tt.weight = map[string]float64{}
				for _, c := range cells {
					tt.weight[c.label] = 36 // a LessonL variant: 24 calls + 12 evaluations
					if c.label == "single-a" {
						tt.weight[c.label] = 2
					}
				}
			}
			worst := replayETA(t, cells, tt.weight)
			t.Logf("%s: worst ETA error once a quarter of the cells are done: %.0f%% (target ±30%%)", tt.file, 100*worst)
			if worst > tt.bound {
				t.Errorf("worst ETA error %.0f%%, more than the %.0f%% measured before", 100*worst, 100*tt.bound)
			}
		})
	}
}

type timedCell struct {
	label, problem string
	begin, end     time.Duration
}

func readTimings(t *testing.T, path string) []timedCell {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []timedCell
	for _, r := range rows[1:] {
		b, _ := strconv.ParseInt(r[2], 10, 64)
		e, _ := strconv.ParseInt(r[3], 10, 64)
		out = append(out, timedCell{label: r[0], problem: r[1], begin: time.Duration(b) * time.Millisecond, end: time.Duration(e) * time.Millisecond})
	}
	return out
}

// replayETA feeds the cells' begins and ends to a tally in time order and
// returns the worst relative ETA error at a finished cell once a quarter
// are done, counting an error within 5 s as none.
func replayETA(t *testing.T, cells []timedCell, weight map[string]float64) float64 {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	type event struct {
		at    time.Duration
		begin bool
		i     int
	}
	var evs []event
	per := map[string]int{}
	var last time.Duration
	for i, c := range cells {
		per[c.label]++
		evs = append(evs, event{c.begin, true, i}, event{c.end, false, i})
		last = max(last, c.end)
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at < evs[j].at })
	var ta tally
	ta.start(per)
	ta.weight = weight
	done, worst := 0, 0.0
	for _, ev := range evs {
		c := cells[ev.i]
		key := fmt.Sprintf("%s/%s/%d", c.label, c.problem, ev.i) // a cell key: the seed too
		now := t0.Add(ev.at)
		if ev.begin {
			ta.begin(key, c.label, c.problem, now)
			continue
		}
		ta.addAt(now, c.label, Score{Key: key, Problem: c.problem, Speedup: 1})
		done++
		truth := last - ev.at
		if 4*done < len(cells) || truth <= 0 {
			continue
		}
		got, ok := ta.eta(now)
		if !ok {
			t.Errorf("no ETA after %d of %d cells", done, len(cells))
			continue
		}
		if miss := (got - truth).Abs(); miss > 5*time.Second {
			worst = math.Max(worst, float64(miss)/float64(truth))
		}
	}
	return worst
}
