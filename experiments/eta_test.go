package experiments

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"
)

// TestETACountsFirstVisitsAndRevisits: the ETA prices a problem's first
// cell and a cell that revisits a problem (cached builds and candidates)
// at their own observed means, and divides by the observed concurrency.
func TestETACountsFirstVisitsAndRevisits(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	var plan []Cell
	for _, s := range []string{"a", "b"} {
		for _, p := range []string{"p1", "p2", "p3"} {
			plan = append(plan, Cell{Strategy: s, Problem: p, Seed: 1})
		}
	}
	var ta tally
	ta.start(map[string]int{"a": 3, "b": 3})
	ta.left.plan(plan)
	if _, ok := ta.eta(t0); ok {
		t.Error("an ETA before any cell finished")
	}
	// Two workers: a/p1 and a/p2 take 100 s (first visits), then a/p3
	// begins; b/p1 (a revisit) runs from 100 s to 110 s.
	ta.begin("a/p1", "a", "p1", at(0))
	ta.begin("a/p2", "a", "p2", at(0))
	ta.addAt(at(100), "a", Score{Key: "a/p1", Problem: "p1", Speedup: 1})
	ta.begin("a/p3", "a", "p3", at(100))
	ta.addAt(at(100), "a", Score{Key: "a/p2", Problem: "p2", Speedup: 1})
	ta.begin("b/p1", "b", "p1", at(100))
	ta.addAt(at(110), "b", Score{Key: "b/p1", Problem: "p1", Speedup: 1})
	// Left: a/p3 has 90 s of its 100; b/p2 and b/p3 10 s each; 110 s of
	// work on 2 workers (busy 220 s over 110 s) = 55 s, but a/p3 alone
	// needs 90 s.
	got, ok := ta.eta(at(110))
	if want := 90 * time.Second; !ok || got != want {
		t.Errorf("ETA %s (%v), want %s", got, ok, want)
	}
	// At 190 s a/p3 is expected to end; what is left is the revisits'
	// (10 s each, two of them, at the concurrency observed: busy 300 s
	// over 190 s) and a/p3's 10 s.
	got, _ = ta.eta(at(190))
	work, conc := 30*time.Second, 300.0/190
	if want := time.Duration(float64(work) / conc).Round(time.Second); got != want {
		t.Errorf("ETA %s, want %s", got, want)
	}
}

// TestETAOnRecordedTimings replays the cells of three recorded runs
// (their strategies, problems, begin and end times from the cells table;
// four cells at a time, sim team) through the progress tally, with the
// plan in dispatch order, and measures the ETA's worst relative error at
// a finished cell once a quarter of the cells are done (an error within
// 5 s counts as none). The target is ±30%; each run is held to the
// error measured when this test was written so that a change that makes
// the ETA worse fails. The generate quickstart comes within a point of it
// (31%: 5.5 s over with 17 s left); two recordings cannot meet it with
// any estimate from the durations seen so far:
//
//   - quickstart.csv: the first four LessonL cells (every problem's build,
//     load 10 to 14) took 327-347 s, the next four 117-216 s, and three of
//     debate's eight revisits missed the cache (29-80 s) after 16 revisits
//     of single-a and voting that took milliseconds; the remaining time is
//     set by which cells miss.
//   - ablation-k-selection.csv: after the quarter mark the remaining time
//     is under 8 s (every later cell a cache hit) while revisits so far
//     averaged a minute (selection=relevance's five missed the cache);
//     the relative error of a few seconds against under a second left is
//     unbounded.
func TestETAOnRecordedTimings(t *testing.T) {
	for _, tt := range []struct {
		file  string
		bound float64 // the target, or the worst relative error measured when written, rounded up
	}{
		// 12 problems of the generate quickstart: 216 cells of six kinds, 1m0s.
		{"quickstart-generate-12.csv", 0.32}, // 31%: ETA 22s with 17s left at 43s
		// The quickstart: 32 cells, 9m15s at load 10 to 14.
		{"quickstart.csv", 6.2}, // ETA 45s with 6s left (the last cell)
		// The k × selection ablation: 50 cells, 7m43s, the last 37 in 8 s.
		{"ablation-k-selection.csv", 600},
	} {
		t.Run(tt.file, func(t *testing.T) {
			cells := readTimings(t, filepath.Join("testdata", "timings", tt.file))
			worst := replayETA(t, cells)
			t.Logf("%s: worst ETA error once a quarter of the cells are done: %.0f%% (target ±30%%)", tt.file, 100*worst)
			if worst > tt.bound {
				t.Errorf("worst ETA error %.0f%%, more than the %.0f%% allowed", 100*worst, 100*tt.bound)
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
func replayETA(t *testing.T, cells []timedCell) float64 {
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
	var plan []Cell // dispatch order: the order the cells began
	for _, ev := range evs {
		if ev.begin {
			plan = append(plan, Cell{Strategy: cells[ev.i].label, Problem: cells[ev.i].problem})
		}
	}
	ta.left.plan(plan)
	done, worst, at := 0, 0.0, ""
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
		if miss := (got - truth).Abs(); miss > 5*time.Second && float64(miss)/float64(truth) > worst {
			worst = float64(miss) / float64(truth)
			at = fmt.Sprintf("%d of %d cells done at %s: ETA %s, %s left", done, len(cells), ev.at.Round(time.Second), got, truth.Round(time.Second))
		}
	}
	if at != "" {
		t.Logf("worst at %s", at)
	}
	return worst
}
