package experiments

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
)

// TestETAPricesCallsAndEvaluations walks the ETA through a small run
// step by step: an item's work is its share of the time it was in
// flight (half while two run), a cell is priced as the calls and
// evaluations like cells made, a first visit's evaluations as likely to
// miss the cache as its strategy's first visits' at the same place, a
// revisit's as its problem's latest visit's, falling as from one visit
// to the next, and an evaluation in flight past every finished one needs
// as much again.
func TestETAPricesCallsAndEvaluations(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	agents := []string{"coder-a", "coder-b", "coder-c"}
	plan := []spec.Cell{
		{Strategy: "a", Kind: "lessonl", Problem: "p1", Agents: agents, Params: map[string]any{"rounds": 4}},
		{Strategy: "a", Kind: "lessonl", Problem: "p2", Agents: agents, Params: map[string]any{"rounds": 4}},
		{Strategy: "b", Kind: "single", Problem: "p1", Agents: agents[:1]},
		{Strategy: "b", Kind: "single", Problem: "p2", Agents: agents[:1]},
	}
	if _, evals := spec.CostOf("lessonl", plan[0].Params, 3, datasets.TaskOptimize); evals != 12 {
		t.Fatalf("LessonL of 4 rounds and 3 agents plans %d evaluations, the test expects 12", evals)
	}
	ta := &tally{}
	ta.start(map[string]int{"a": 2, "b": 2})
	ta.left.plan(plan, datasets.TaskOptimize)
	begin := func(c spec.Cell, sec int) { ta.begin(c.Key(), label(c), c.Problem, at(sec)) }
	end := func(c spec.Cell, sec int) {
		ta.addAt(at(sec), label(c), Score{Key: c.Key(), Problem: c.Problem, Speedup: 1})
	}
	ev := func(c spec.Cell, what string, sec int, note string) {
		ta.observe(workEvent{what: what, cell: c.Key(), at: at(sec), note: note})
	}
	if _, ok := ta.eta(t0); ok {
		t.Error("an ETA before any cell finished")
	}
	walkETA(t, ta, at, []etaStep{
		{func() {
			begin(plan[0], 0)
			begin(plan[1], 0)
			ev(plan[0], eventCall, 0, "")
			ev(plan[0], eventCalled, 0, "")
			ev(plan[0], eventEval, 0, "")
			ev(plan[1], eventEval, 0, "")
			ev(plan[0], eventEvaluated, 20, noteFresh)
			ev(plan[0], eventEval, 20, "")
			ev(plan[0], eventEvaluated, 20, noteCached)
			end(plan[0], 20)
		}, 20, 12 * time.Second,
			"a/p1's fresh evaluation had 10 s of work (20 s beside a/p2's), its cached one none; a/p2's evaluation in flight, " +
				"first of its cell and so fresh as a/p1's first was, had 10 s, as much as any finished one: as much again, 10 s; " +
				"a/p2's one more evaluation (a/p1 made 2) is priced as a/p1's second, a cache hit: none; the singles, priced per " +
				"planned evaluation by a/p1 (2 of 12, the latest visit of their problem half fresh), 0.83 s each"},
		{func() {
			ev(plan[1], eventEvaluated, 30, noteFresh)
			end(plan[1], 30)
		}, 30, 3 * time.Second,
			"a/p2's evaluation had 10+10 s: fresh evaluations cost 15 s, cached none; lessonl made 3 evaluations over 24 planned: " +
				"b/p1 is 1/8 × 15 s × a/p1's half fresh, b/p2 1/8 × 15 s × a/p2's all fresh: 2.8 s"},
		{func() {
			begin(plan[2], 30)
			ev(plan[2], eventEval, 30, "")
			ev(plan[2], eventEvaluated, 30, noteCached)
			end(plan[2], 30)
		}, 30, 0,
			"b/p1 made one evaluation, a cache hit: p1's share of misses fell from a half to none from one visit to the next, " +
				"so b/p2 is priced at none of a/p2's share"},
	})
}

// etaStep is a step of a walk through the ETA (walkETA): what happens,
// then the second at which the ETA is read, what it should say and why.
type etaStep struct {
	do   func()
	at   int
	want time.Duration
	why  string
}

// walkETA takes the steps in order on ta, reading its ETA after each at
// at(step.at), and fails a step whose ETA is not what it wants, saying
// where the ETA put the work left.
func walkETA(t *testing.T, ta *tally, at func(int) time.Time, steps []etaStep) {
	t.Helper()
	for _, step := range steps {
		step.do()
		got, ok := ta.eta(at(step.at))
		if !ok || got != step.want {
			t.Errorf("at %d s: ETA %s (%v), want %s: %s; %s", step.at, got, ok, step.want, step.why, ta.left.parts(at(step.at), 0))
		}
	}
}

// TestETAHitWork: once evaluations tell their phases, an evaluation in
// flight is judged fresh when it has had more work than the geometric
// mean of a cache hit's (at least the events' millisecond) and a fresh
// evaluation's: an evaluation that began milliseconds ago, as a hit
// that took 7 ms did in ablation-k-selection-seed2.csv, is not.
func TestETAHitWork(t *testing.T) {
	ms := func(d float64) float64 { return d * float64(time.Millisecond) }
	items := func(works ...float64) []finishedItem {
		var out []finishedItem
		for _, w := range works {
			out = append(out, finishedItem{work: ms(w)})
		}
		return out
	}
	for _, c := range []struct {
		name        string
		hits, fresh []finishedItem
		want        float64 // ms
	}{
		{"no hits", nil, items(1600), 0},
		{"no fresh: the hits' median", items(0, 2, 4), nil, 2},
		{"hits at the clock's resolution", items(0, 0, 0, 2.25), items(1200, 1600, 9000), 40},
		{"slower hits", items(4, 4, 9), items(100, 400, 900), 40},
	} {
		var m etaModel
		m.ended[classCached], m.ended[classFresh] = c.hits, c.fresh
		if got := m.hitWork(); math.Abs(got-ms(c.want)) > ms(0.01) {
			t.Errorf("%s: hitWork %.3f ms, want %.3f ms", c.name, got/ms(1), c.want)
		}
	}
}

// TestETAShrinksAStrategysPrice: a call or a fresh evaluation is priced
// at its strategy's mean (of its visit class when it has items of it)
// shrunk toward the pooled mean, each strategy weighing alike, by how
// few items that mean is of: (n·own + shrink·pooled)/(n + shrink). A
// strategy's one or two first items (on ablation-k-selection.csv one
// evaluation of 61 ms where the others' took seconds; on
// quickstart-generate-12.csv Reflexion's first of 116 ms where its 69
// averaged 181 ms) do not set its price alone, and many set it nearly
// alone.
func TestETAShrinksAStrategysPrice(t *testing.T) {
	ms := func(d float64) float64 { return d * float64(time.Millisecond) }
	items := func(label string, revisit bool, works ...float64) []finishedItem {
		var out []finishedItem
		for _, w := range works {
			out = append(out, finishedItem{work: ms(w), label: label, revisit: revisit, stops: true})
		}
		return out
	}
	hundred := make([]float64, 60)
	for i := range hundred {
		hundred[i] = 100
	}
	x := plannedCell{label: "x", units: 12, callUnits: 12}
	for _, c := range []struct {
		name    string
		class   int
		revisit bool
		items   []finishedItem
		want    float64 // ms
	}{
		{"none of its own: the pooled mean", classFresh, false,
			slices.Concat(items("y", false, 300, 300), items("z", false, 100)), 200},
		{"one cheap evaluation of its own: pooled (60+300)/2 = 180, (60 + 6·180)/7", classFresh, false,
			slices.Concat(items("x", false, 60), items("y", false, 300, 300)), (60 + 6*180) / 7.0},
		{"one costly evaluation of its own: pooled (340+210)/2 = 275, (340 + 6·275)/7", classFresh, false,
			slices.Concat(items("x", false, 340), items("y", false, 200, 220)), (340 + 6*275) / 7.0},
		{"sixty of its own: pooled (100+400)/2 = 250, (60·100 + 6·250)/66", classFresh, false,
			slices.Concat(items("x", false, hundred...), items("y", false, 400)), (6000 + 6*250) / 66.0},
		{"of its visit class: own 200 (n 1), pooled ((200+100+100)/3+400)/2", classFresh, true,
			slices.Concat(items("x", true, 200), items("x", false, 100, 100), items("y", false, 400)), (200 + 6*(400.0/3+400)/2) / 7},
		{"a call alike: pooled (10+50)/2 = 30, (10 + 6·30)/7", classCall, false,
			slices.Concat(items("x", false, 10), items("y", false, 50)), (10 + 6*30) / 7.0},
	} {
		var m etaModel
		m.ended[c.class] = c.items
		if got := m.mean(c.class, c.revisit, x); math.Abs(got-ms(c.want)) > ms(1e-6) {
			t.Errorf("%s: priced %.4f ms, want %.4f ms", c.name, got/ms(1), c.want)
		}
	}
}

// TestETAPricesKindsNotYetFinished: a kind that can stop early, none of
// whose cells finished, is priced at the calls and evaluations the other
// such kinds' cells made, up to its most, not at their share of their
// own most; and a strategy's running cells, while it has no variant, at
// least at that price.
func TestETAPricesKindsNotYetFinished(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	agents := []string{"coder-a", "coder-b", "coder-c"}
	lessonl := func(p string) spec.Cell {
		return spec.Cell{Strategy: "l", Kind: "lessonl", Problem: p, Agents: agents, Params: map[string]any{"rounds": 4}}
	}
	reflexion := func(p string) spec.Cell {
		return spec.Cell{Strategy: "r", Kind: "reflexion", Problem: p, Agents: agents[:1], Params: map[string]any{"rounds": 4}}
	}
	_, most := spec.CostOf("reflexion", map[string]any{"rounds": 4}, 1, datasets.TaskOptimize)
	if _, l := spec.CostOf("lessonl", map[string]any{"rounds": 4}, 3, datasets.TaskOptimize); most < 3 || l < 12 {
		t.Fatalf("reflexion of 4 rounds plans %d evaluations and LessonL %d; the test expects at least 3 and 12", most, l)
	}
	for _, c := range []struct {
		name      string
		made      int     // evaluations of the finished LessonL cell
		want      float64 // a pending Reflexion cell's
		runningIs float64 // then, Reflexion's running cell's once one of its cells made 1
	}{
		{"as many as LessonL's cell made", 3, 3, 2},
		{"at most its most", 2 * most, float64(most), (1 + float64(most)) / 2},
	} {
		plan := []spec.Cell{lessonl("p1"), reflexion("p2"), reflexion("p3")}
		var ta tally
		ta.start(map[string]int{"l": 1, "r": 2})
		ta.left.plan(plan, datasets.TaskOptimize)
		ev := func(cell spec.Cell, what string, sec int) {
			ta.observe(workEvent{what: what, cell: cell.Key(), at: at(sec), note: noteFresh})
		}
		ta.begin(plan[0].Key(), label(plan[0]), "p1", at(0))
		for i := range c.made {
			ev(plan[0], eventEval, i)
			ev(plan[0], eventEvaluated, i+1)
		}
		ta.addAt(at(c.made+1), label(plan[0]), Score{Key: plan[0].Key(), Problem: "p1", Speedup: 1})
		if _, evals, _ := ta.left.price(ta.left.pending[0], false); math.Abs(evals-c.want) > 1e-9 {
			t.Errorf("%s: a pending Reflexion cell is priced at %.2f evaluations, want %.2f", c.name, evals, c.want)
		}
		ta.begin(plan[1].Key(), label(plan[1]), "p2", at(20))
		ev(plan[1], eventEval, 20)
		ev(plan[1], eventEvaluated, 21)
		ta.addAt(at(22), label(plan[1]), Score{Key: plan[1].Key(), Problem: "p2", Speedup: 1})
		ta.begin(plan[2].Key(), label(plan[2]), "p3", at(22))
		if _, evals, _ := ta.left.price(ta.left.running[plan[2].Key()].plannedCell, false); math.Abs(evals-c.runningIs) > 1e-9 {
			t.Errorf("%s: with one Reflexion cell finished (1 evaluation) and one running, a Reflexion cell is priced at %.2f, "+
				"want %.2f (the running one at least at the other kinds' price)", c.name, evals, c.runningIs)
		}
	}
}

// TestETAShrinksAStrategysEvaluationsPerCell: a strategy's evaluations
// per cell, learned from its finished cells, are shrunk toward what the
// other kinds' cells made by countShrink times the cells' spread (their
// squared coefficient of variation about their strategy's mean): a
// strategy's first cells to finish sit on its first problems (cells are
// dispatched problem by problem), as MapCoder's first seven on
// quickstart-generate-12-seeds456.csv made 1 evaluation each where its
// 36 made 2.4. Where cells of a kind make the same number there is no
// spread and a strategy's own mean stands.
func TestETAShrinksAStrategysEvaluationsPerCell(t *testing.T) {
	cells := func(label, kind string, units float64, evals ...int) []*cellWork {
		var out []*cellWork
		for i, e := range evals {
			out = append(out, &cellWork{plannedCell: plannedCell{label: label, kind: kind, problem: fmt.Sprintf("p%d", i), units: units, callUnits: units},
				calls: e, evals: e, fresh: e})
		}
		return out
	}
	// l: 1, 1, 4, 6 (mean 3, squares 18); m: 1, 1, 1 (mean 1). Pooled
	// variance 18/5, mean square (4·9 + 3·1)/7: spread (18/5)/(39/7).
	k := countShrink * (18.0 / 5) / (39.0 / 7)
	for _, c := range []struct {
		name string
		done []*cellWork
		of   plannedCell
		want float64
	}{
		{"first cells of 1 each, shrunk toward the other kind's 3 by how much cells spread: (3·1 + k·3)/(3 + k)",
			slices.Concat(cells("l", "lessonl", 12, 1, 1, 4, 6), cells("m", "mapcoder", 9, 1, 1, 1)),
			plannedCell{label: "m", kind: "mapcoder", units: 9, callUnits: 9}, (3 + k*3) / (3 + k)},
		{"the other way: the other kind's 1 pulls 3 down, (4·3 + k·1)/(4 + k)",
			slices.Concat(cells("l", "lessonl", 12, 1, 1, 4, 6), cells("m", "mapcoder", 9, 1, 1, 1)),
			plannedCell{label: "l", kind: "lessonl", units: 12, callUnits: 12}, (4*3 + k*1) / (4 + k)},
		{"no spread (LessonL makes its twelve, a debate its one): the own mean stands",
			slices.Concat(cells("l", "lessonl", 12, 12, 12, 12), cells("d", "debate", 3, 1, 1)),
			plannedCell{label: "d", kind: "debate", units: 3, callUnits: 3}, 1},
		{"one cell per strategy: no spread measured, the own mean stands",
			slices.Concat(cells("l", "lessonl", 12, 6), cells("m", "mapcoder", 9, 1)),
			plannedCell{label: "m", kind: "mapcoder", units: 9, callUnits: 9}, 1},
	} {
		m := etaModel{done: c.done}
		if _, evals, _ := m.price(c.of, false); math.Abs(evals-c.want) > 1e-9 {
			t.Errorf("%s: priced at %.4f evaluations a cell, want %.4f", c.name, evals, c.want)
		}
	}
}

// threeCellsETA is the ETA's tally over a plan of three single cells of
// strategy s (problems p1 to p3), at(sec) the time sec seconds into the
// run, and ev an event of a cell at such a time.
func threeCellsETA() (plan []spec.Cell, ta *tally, at func(int) time.Time, ev func(c spec.Cell, what string, sec int, item int64, note string)) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at = func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	for _, p := range []string{"p1", "p2", "p3"} {
		plan = append(plan, spec.Cell{Strategy: "s", Kind: "single", Problem: p, Agents: []string{"coder-a"}})
	}
	ta = &tally{}
	ta.start(map[string]int{"s": 3})
	ta.left.plan(plan, datasets.TaskOptimize)
	ev = func(c spec.Cell, what string, sec int, item int64, note string) {
		ta.observe(workEvent{what: what, cell: c.Key(), at: at(sec), note: note, item: item})
	}
	return plan, ta, at, ev
}

// TestETAPricesTheTimingSlot walks the ETA through evaluations that
// tell their phases: an evaluation's work is its share until it
// validated; then it waits for the timing slot and holds it, which the
// ETA prices apart, in wall time: each evaluation to reach the slot at
// the wall time the run had evaluations there per evaluation that left
// it, one holding it at what the finished timings that took longer still
// took, and one waiting for identical code at nothing.
func TestETAPricesTheTimingSlot(t *testing.T) {
	plan, ta, at, ev := threeCellsETA()
	walkETA(t, ta, at, []etaStep{
		{func() {
			ta.begin(plan[0].Key(), "s", "p1", at(0))
			ev(plan[0], eventEval, 0, 1, "")
			ev(plan[0], eventQueued, 2, 1, "")
			ev(plan[0], eventTiming, 4, 1, "")
			ev(plan[0], eventEvaluated, 10, 1, noteFresh)
			ta.addAt(at(10), "s", Score{Key: plan[0].Key(), Problem: "p1", Speedup: 1})
		}, 10, 20 * time.Second,
			"s/p1's evaluation worked 2 s, then was at the slot 8 s (queued 2, timing 6): s/p2 and s/p3 are priced 2 s of work " +
				"and 8 s of slot each, which never overlapped so far: 20 s"},
		{func() {
			ta.begin(plan[1].Key(), "s", "p2", at(10))
			ev(plan[1], eventEval, 10, 2, "")
			ev(plan[1], eventQueued, 12, 2, "")
		}, 13, 18 * time.Second,
			"s/p2's evaluation is queued: 8 s of slot; s/p3 2 s of work and 8 s of slot"},
		{func() {
			ev(plan[1], eventTiming, 14, 2, "")
		}, 15, 15 * time.Second,
			"s/p2's evaluation has timed 1 s of the 6 s the one timing took: 5 s; s/p3 2 s of work and 8 s of slot"},
		{func() {
			ta.begin(plan[2].Key(), "s", "p3", at(15))
			ev(plan[2], eventEval, 15, 3, "")
			ev(plan[2], eventWaiting, 15, 3, "")
		}, 16, 4 * time.Second,
			"s/p2's evaluation has timed 2 s: 4 s; s/p3's waits for identical code: nothing"},
	})
}

// TestETAPricesCellsOwnWorkAndRunningCells: a cell's own work between
// its calls and evaluations (it has none in flight) is priced per item
// it makes; a strategy's running cells are priced at least at what they
// have begun, so a cell past its finished like ones raises the price of
// the cells to come; and evaluations waiting for a slot that none of the
// run's evaluations got or left for longer than the slot's time per
// evaluation wait as long again.
func TestETAPricesCellsOwnWorkAndRunningCells(t *testing.T) {
	plan, ta, at, ev := threeCellsETA()
	walkETA(t, ta, at, []etaStep{
		{func() {
			ta.begin(plan[0].Key(), "s", "p1", at(0))
			ev(plan[0], eventCall, 2, 1, "")
			ev(plan[0], eventCalled, 3, 1, "")
			ev(plan[0], eventEval, 3, 2, "")
			ev(plan[0], eventEvaluated, 4, 2, noteFresh)
			ta.addAt(at(6), "s", Score{Key: plan[0].Key(), Problem: "p1", Speedup: 1})
		}, 6, 12 * time.Second,
			"s/p1 made a call (1 s) and a fresh evaluation (1 s) and worked 4 s on its own, 2 s per item: " +
				"s/p2 and s/p3 are 1 + 1 + 4 s each"},
		{func() {
			ta.begin(plan[1].Key(), "s", "p2", at(6))
			for i := range 3 {
				ev(plan[1], eventCall, 6+i, int64(3+i), "")
				ev(plan[1], eventCalled, 7+i, int64(3+i), "")
			}
		}, 9, 12 * time.Second,
			"s/p2 has made 3 calls where s/p1 made 1: a cell of s makes (1+3)/2 calls and 1 evaluation; s/p3 is 2 calls, " +
				"an evaluation and 3 items of its own work (2 s each): 9 s; s/p2 its evaluation and 1 item of its own: 3 s"},
		{func() {
			ev(plan[1], eventEval, 9, 6, "")
			ev(plan[1], eventQueued, 9, 6, "")
			ev(plan[1], eventTiming, 10, 6, "")
			ev(plan[1], eventEvaluated, 12, 6, noteFresh)
			ev(plan[1], eventEval, 12, 7, "")
			ev(plan[1], eventQueued, 12, 7, "")
		}, 30, 32 * time.Second,
			"s/p2's second evaluation has waited 18 s for the slot, which its first left after 3 s of it: a turn (3 s) " +
				"and 18 s more; a cell of s now makes (1+2)/2 evaluations, so s/p2 makes no more and s/p3 2 calls (2 s), " +
				"1.5 evaluations, two in three fresh at 0.5 s of work (0.5 s), one in two of the fresh ones reaching the " +
				"slot (1.5 s), and 3.5 items of its own work (7 s)"},
	})
}

// TestETAOnRecordedTimings replays runs recorded with --progress-events
// (sim team, four cells at a time, on a shared 2-core machine whose
// other users' compiles and timing runs come and go) through the
// progress tally: the plan in dispatch order, the cells' begins and
// ends, their calls' and evaluations' starts and ends with the
// evaluations' cache hits and, in recordings made since the evaluator
// tells them, the evaluations' phases and the items' ids. Every
// recording under testdata/timings is held to the bar: at every finished
// cell once a quarter of the cells are done, the ETA within ±30% of the
// time that was left, an error within 5 s counting as none (the plain
// display prints its ETA every 10 s in whole seconds, so a reading is on
// average 5 s old; the floor matters only in a run's last seconds).
//
// The recordings in beyondBar miss it, each for the reason it names;
// the test logs where, and where the ETA put the work left (with -v
// -eta-parts, at every point), and fails if one gets worse than it
// measured or comes to meet the bar (then it leaves the list).
func TestETAOnRecordedTimings(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "timings", "*.csv"))
	if len(files) == 0 {
		t.Fatal("no recordings under testdata/timings")
	}
	for name := range beyondBar {
		if !slices.Contains(files, filepath.Join("testdata", "timings", name)) {
			t.Errorf("beyondBar names %s, which is not under testdata/timings", name)
		}
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			worst, within := replayETA(t, readRecording(t, f))
			t.Logf("%s: once a quarter of the cells are done, %.0f%% of points within ±30%% (or 5 s), worst error %.0f%%", name, 100*within, 100*worst)
			b, beyond := beyondBar[name]
			switch {
			case !beyond && worst > etaBar:
				t.Errorf("worst ETA error %.0f%%, beyond the ±%.0f%% bar (%.0f%% of points within)", 100*worst, 100*etaBar, 100*within)
			case beyond && worst <= etaBar:
				t.Errorf("%s meets the bar now: take it out of beyondBar", name)
			case beyond && (worst > b.worst || within < b.within):
				t.Errorf("%.0f%% of points within, worst error %.0f%%: worse than the %.0f%% and %.0f%% measured", 100*within, 100*worst, 100*b.within, 100*b.worst)
			}
		})
	}
}

// etaBar is the largest relative error of the ETA the recorded-timings
// test allows, errors within 5 s counting as none.
const etaBar = 0.30

// withinBar reports whether an ETA of got, with left to go, meets the
// bar: within etaBar of left, or within 5 s (the plain display's reading
// is on average 5 s old).
func withinBar(got, left time.Duration) bool {
	miss := (got - left).Abs()
	return miss <= 5*time.Second || float64(miss) <= etaBar*float64(left)
}

// beyondBar names the recordings under testdata/timings that miss the
// bar, with what the ETA measured there (the share of points within,
// rounded down, and the worst error, rounded up) and why it misses.
// Recordings made before the evaluator told its phases carry less than
// the ETA now reads. Of the others, quickstart-seed2.csv and
// quickstart-generate-12-seeds456.csv were replayed while the model was
// fitted; quickstart-seed3.csv and quickstart-generate-12-seeds789.csv
// were recorded near the end of it (one change to pricing a strategy's
// running cells came after they were first replayed and changed
// neither's numbers); ablation-k-selection-seed2.csv was recorded after
// that and held out until the threshold past which an evaluation in
// flight counts as fresh (hitWork) was fitted on its worst point. The
// pricing of kinds none of whose cells finished was then fitted on the
// three generate recordings together, and checked on
// quickstart-generate-12-seeds101112.csv. The four generate recordings
// made so far counted each evaluator run as an evaluation (see perRun);
// replayed in candidates, as plans count them, they chose the pricing of
// an evaluation's work from the kinds like its own (etaModel.mean), and
// quickstart-generate-12-seeds131415.csv, recorded in candidates after
// that, is held out. The shrinking of a strategy's price of a call or a
// fresh evaluation toward the pooled mean (etaModel.mean, shrink) was
// chosen on a design half picked before either half was replayed with
// it, quickstart.csv, quickstart-seed2.csv, ablation-k-selection.csv,
// quickstart-generate-12.csv, -seeds456.csv and -seeds789.csv, and
// checked on the other, quickstart-2.csv, quickstart-seed3.csv,
// ablation-k-selection-seed2.csv, -seeds101112.csv and -seeds131415.csv
// (none lost a point within; the last two's worst errors fell from 37%
// to 35% and from 106% to 100%). It brought ablation-k-selection.csv
// within the bar, by a second: its one point beyond it, at 5m49s with
// 16.07 s left, said 11 s (5.07 s off, 0.07 s past what a reading's age
// allows) and says 12 s, a variant's one fresh evaluation of 61 ms no
// longer pricing its pending cells at next to nothing. The shrinking of
// a strategy's evaluations per cell toward the other kinds' (priceFrom,
// countShrink) was chosen on the same design half and checked on the
// same held-out half: the held-out generate recordings rose from 147 to
// 152 and from 115 to 137 of 162 points within, their worst errors fell
// from 35% to 32% and from 100% to 33%, and the other three held-out
// recordings did not change; on the design half quickstart-generate-12
// -seeds456.csv rose from 134 to 145 points within (worst 64% -> 43%),
// -seeds789.csv from 147 to 156 of 161 (163% -> 41%), and
// quickstart-generate-12.csv fell from 107 to 101 (worst 66% unchanged).
// A correction for the run's pace over time did not help and is not in
// the model: fitting a fresh evaluation's work against the time it ended
// within each strategy, or weighting recent items more, gained at most 5
// points on the design half and raised worst errors on both halves.
// Nor does pricing a fresh evaluation otherwise, chosen on the same
// design half: shrink (a strategy's own price toward the pooled one)
// for fresh evaluations alone gave the design half 464 to 472 points
// within of 570 at 0.5 to 1000 (468 at 6; quickstart-generate-12.csv
// alone moved), for calls alone the same 468 at 1 to 1000; pooling all
// strategies per run of the candidate (two runs an evaluation for the
// kinds that write tests of their own on code generation, one for the
// others) gave 485 (quickstart-generate-12.csv 101 -> 142, worst 66% ->
// 40%; -seeds456.csv 145 -> 121); weighing that against the like kinds'
// pooled price as 0.25 to 4 strategies, 461 to 494, -seeds456.csv
// losing 2 to 14 points; doing so only while the kinds like a cell's
// are one strategy gave 505, no design recording losing a point
// (quickstart-generate-12.csv 101 -> 138, worst 66% -> 48%), but on the
// held-out half -seeds101112.csv fell from 152 to 148 points within and
// its worst error rose from 32% to 36%: there, before Reflexion and
// MapCoder had begun, single's and cot's evaluations were dear (136 and
// 157 ms of work each over the run, where LessonL's two runs took 277),
// so the price per run of all strategies put theirs at about 288 ms
// where LessonL's alone said 270, and they took 224 and 237. On these
// recordings the strategies that write tests cost 0.6 to 1.7 times one
// another's evaluations and 1.9 to 2.4 times the others' (means over
// each run), from run to run, so nothing a run has measured before a
// strategy begins prices it better than LessonL's evaluations do.
// quickstart-generate-12-seeds161718.csv, quickstart-seed4.csv and
// ablation-k-selection-seed3.csv were recorded after all of that, one
// after the other, with seeds no earlier recording used, as held-out
// checks of the current model, unchanged: each was replayed once as it
// came, and nothing in the model was fitted or changed on them. The
// same holds of quickstart-generate-12-seeds192021.csv, quickstart-seed5.csv,
// -seed6.csv, -seed7.csv, ablation-k-selection-seed4.csv and -seed5.csv,
// recorded later one after the other on a quiet machine (nothing else
// ran, so no other process held the timing slot): the generate and
// ablation runs meet the bar, and the quickstart runs miss it by the
// spread of their last timings (see timingNoise).
var beyondBar = map[string]struct {
	within, worst float64
	why           string
}{
	"quickstart.csv": {0.54, 5.40, "no phases: from 8m59s (10 s left) it says 52-60 s. Four evaluations are in flight; " +
		"two began 70 s before and ended 4 and 10 s later, and of the two that had just begun the fresh one took 1.6 s, " +
		"where the run's fresh evaluations had taken 16 s of work each. The run's pace says no better: its three fresh " +
		"evaluations before had ended 25 and 17 s apart with three or four in flight, so two turns of it are 34 s or more"},
	"quickstart-2.csv": {0.41, 1.83, "no phases: from 7m12s (32 s left) it says 32-46 s, 35-43 s with 25-20 s left, " +
		"then 20 s with 7 s left. Its last evaluations had validated and waited for the slot, which then timed one every " +
		"4 s; priced as fresh evaluations (12 s of work each) they are up to 180% too many. From 6m2s to 7m12s the run's " +
		"fresh evaluations had ended one per 11.6 s with 3 or more in flight, so no price drawn from the run's pace " +
		"says 4 s either"},
	"ablation-k-selection-seed3.csv": {0, 1.00, "held out, recorded to check the model unchanged. Twice its " +
		"evaluations waited for the machine-wide timing slot while no evaluation of the run held it: another process " +
		"did. Two queued at 2m20s and the first got the slot at 2m50s, 31 s after the run's previous timing left it " +
		"(2m19s): at 2m16s (67 s left) it says 19-17 s. At 2m59s-3m0s (22 to 49 of 50 cells done, 24-23 s left) it says 0-6 s: " +
		"the last running cell (lessonl[k=8,selection=paper] dense-lu-solve, a revisit whose problem's visits had " +
		"turned to cache hits) is priced at no fresh evaluation; its eleventh was fresh, queued at 3m0.5s, waited 18 s " +
		"for the slot and timed 4.3 s"},
	"ablation-k-selection-seed2.csv": {0.97, 0.71, "36 of 37 points; " +
		"at 5m44s, 7.6 s left, it says 13 s: the evaluation that had just got the timing slot is priced at what the " +
		"finished timings took and the one queued behind it at a turn of the slot over the latest eight to leave it, " +
		"12.3 s for the two; they timed 3.8 and 3.7 s, the error (5.4 s) 0.4 s past the 5 s a reading's age allows"},
	"quickstart-seed4.csv": {0, 0.87, "held out, recorded to check the model unchanged. Its last cell's last evaluation " +
		"(LessonL, reduce-has-duplicate) validated and queued for the machine-wide timing slot at 3m23s and got it only " +
		"at 4m14s, 31 s after the run's own last timing left it at 3m43s: another process held the slot. At 3m43s (31 " +
		"of 32 cells done, 36 s left) it says 5 s, a turn of the slot (4.9 s) for that evaluation, which then timed " +
		"5.5 s; at 3m14s-3m39s (65-41 s left) it says 25-14 s, where the time left less that wait was 34-10 s"},
	"quickstart-seed2.csv": {0.66, 0.35, "phases without ids: 16 of 24 points; at 6m14s (42.5 s left) it says 28 s. " +
		"One evaluation holds the slot and three wait for it, and the running cells' next rounds are priced at 2.4 turns " +
		"more: 6.4 turns, where 6 came (one of a debate revisit, one of LessonL's next round). But the latest eight " +
		"evaluations to leave the slot had held it 3.8 s each, and these six, four of search-sorted-counts (a problem " +
		"the run had not finished timing yet: 8.8, 5.2, 5.4 and 11.2 s), one of histogram-bin-edges (7.2 s) and one of " +
		"geometry-closest-pair (4.4 s), held it 7 s each: the slot was busy from then to the end, 42 s"},
	"quickstart-seed3.csv": {0, 0.99, "its last evaluation, just after its last point (6m55s, 31 of 32 cells done), " +
		"waited 6.5 minutes for the machine-wide timing slot, which another process's benchmark held; every point says " +
		"1m27s or less where 6m30s-6m49s were left (4 s at the last). During the wait the ETA grows as long again, but no " +
		"point falls there"},
	"quickstart-generate-12-seeds456.csv": {0.89, 0.44, "a strategy's cells are dispatched problem by problem, so " +
		"its first to finish are a few problems' seeds: at 43-46 s (21-17 s left) it says 13-10 s, MapCoder's first " +
		"seven (anagrams, balanced, chunk) having made 1 evaluation each; shrunk toward LessonL's and Reflexion's 2.1, " +
		"its 26 cells not begun are priced at 2.07 evaluations of 192 ms of work, where they made 2.23 of about 260 ms " +
		"(MapCoder's evaluations cost more than LessonL's and Reflexion's, 190-200 ms, which the price pools)"},
	"quickstart-generate-12-seeds789.csv": {0.96, 0.41, "at 1m16s-1m19s (16-14 s left) it says 23-19 s: MapCoder's " +
		"first seven cells (anagrams and balanced, its cells being dispatched problem by problem) made 1, 5, 1, 9, 9, 9 " +
		"and 8 evaluations, 42 of its 96; shrunk toward LessonL's and Reflexion's 2.7, its 29 cells not begun are priced " +
		"at 2.84 evaluations each, where they made 1.86"},
	"quickstart-generate-12-seeds101112.csv": {0.93, 0.32, "held out for the shrinking of evaluations per cell " +
		"(countShrink). At 36-39 s (48-46 s left) it says 1m0s-1m2s: Reflexion and MapCoder, none of whose cells had " +
		"finished, are priced at LessonL's evaluations (the kinds that stop early), 2.6 a cell at 270 ms of work each, " +
		"where Reflexion's made 2.25 at 224 ms"},
	"quickstart-generate-12-seeds131415.csv": {0.84, 0.33, "held out: recorded in candidates after the pricing of " +
		"an evaluation from the kinds like its own (see etaModel.mean) was chosen on the four recordings before it, and " +
		"held out for the shrinking of evaluations per cell (countShrink). At 30 s (49 s left) it says 33 s: the first " +
		"of Reflexion's cells to finish (anagrams: a strategy's cells are dispatched problem by problem) made 1 " +
		"evaluation; Reflexion's cells not begun are priced at 2.47 evaluations a cell (LessonL's, its one cell weighing " +
		"little) and MapCoder's, none of whose cells had finished, at 1.74 (LessonL's 2.47 and Reflexion's one cell's 1, " +
		"the kinds weighing alike), where Reflexion's 36 made 1.9 and MapCoder's 2.9; at 46-47 s (33-32 s left) it says 23-22 s, MapCoder priced " +
		"at LessonL's and Reflexion's 2.2 evaluations a cell at 232 ms of work each"},
	"quickstart-generate-12-seeds161718.csv": {0.90, 0.38, "held out, recorded to check the model unchanged. From 93 to " +
		"108 of 216 cells done, at 23-24 s (29-28 s left), it says 39-37 s: Reflexion and MapCoder, none of whose cells " +
		"had finished (Reflexion's first began at 23.7 s), are priced at LessonL's evaluations (the kinds that stop " +
		"early), 17.1 s of work each (0.48 s a cell), where Reflexion's 36 cells took 13.2 s (23.7-36.9 s) and " +
		"MapCoder's 13.4 s (38.2-51.5 s), making 2.06 and 2.19 evaluations a cell to LessonL's 2.39"},
	"quickstart-seed5.csv": {0.79, 0.63, quietHeldOut + "At 2m4s (11 s left) it says 18 s: the three evaluations " +
		"at the slot, one that had just got it and two queued, are priced at 14 s and needed 4.1, 1.8 and 5.2 s; the " +
		"running LessonL cell's next round is priced at 3.6 s more of the slot, and every evaluation of it hit the cache"},
	"quickstart-seed6.csv": {0.75, 0.55, quietHeldOut + "At 1m45s (38 s left) it says 58 s: the six evaluations " +
		"at the slot are priced at 39.5 s (the latest eight turns, among them 12.4 and 10.7 s, took 6.5 s each) and " +
		"timed 1.2, 4.5, 0.9, 2.7, 5.2 and 8.4 s; at 2m12s (11 s left) it says 5 s, one turn for debate's graph-connected-components, which " +
		"timed 11.1 s"},
	"quickstart-seed7.csv": {0.91, 0.48, quietHeldOut + "At 2m56s-2m57s (13-12 s left) it says 7-8 s: the last " +
		"evaluation to time, LessonL's of search-sorted-counts, took 12.5 s, where the latest eight turns took 7.1 s " +
		"on average"},
	"quickstart-generate-12.csv": {0.62, 0.66, "from 29 s (40 s left) to 34 s it says 57-63 s: Reflexion and " +
		"MapCoder, none of whose cells had finished, are priced at LessonL's evaluations (the kinds that stop early), " +
		"2.4 a cell at 299 ms of work each, where Reflexion's made 1.9 at 181 ms (LessonL's evaluations cost 1.65 " +
		"times Reflexion's here, 0.9-1.2 times in the other generate recordings): with no evaluation of their own " +
		"there is nothing to shrink toward the pooled mean, which is LessonL's alone. At 54-57 s (15-12 s left) it " +
		"says 22-18 s: MapCoder's 31 cells not begun are priced at 2.14 evaluations each (they made 2.06) but at 304 " +
		"ms of work each, its first evaluations' and LessonL's, where its later ones took about 200 ms"},
}

// quietHeldOut begins the reasons of the recordings in timingNoise.
const quietHeldOut = "held out, recorded on a quiet machine to check the model unchanged; its misses are " +
	"the timings' own spread (see timingNoise). "

// timingNoise names the recordings in beyondBar whose misses come from
// how long their last timings took. A timing's repetitions adapt to the
// noise it meets (3 to 80 on the quickstart), so one evaluation of a
// problem holds the slot 0.9 s and another 13 s, which nothing knows
// before the timing ends. TestETAMissesAreTimingNoise checks the claim.
var timingNoise = []string{"quickstart-seed5.csv", "quickstart-seed6.csv", "quickstart-seed7.csv"}

// TestETAMissesAreTimingNoise checks that the recordings in timingNoise
// miss the bar for any ETA that does not know each timing's length in
// advance. At each of the bar's points an oracle is told what no ETA
// knows: how many evaluations are still to get the timing slot, how long
// the one holding it still needs, and how long the run goes on after
// its last timing. It prices each evaluation still to time at the mean
// of the timings finished so far. The test fails if the oracle meets
// the bar on one of them: the miss would then be the model's to mend.
func TestETAMissesAreTimingNoise(t *testing.T) {
	for _, name := range timingNoise {
		if _, ok := beyondBar[name]; !ok {
			t.Errorf("timingNoise names %s, which is not in beyondBar", name)
			continue
		}
		rec := readRecording(t, filepath.Join("testdata", "timings", name))
		type turn struct{ from, to time.Duration }
		var turns []turn
		got := map[int64]time.Duration{} // evaluations holding the slot, by id
		var end time.Duration
		for _, e := range rec.events {
			switch e.what {
			case eventTiming:
				got[e.item] = e.at
			case eventEvaluated:
				if from, ok := got[e.item]; ok && e.item != 0 {
					turns = append(turns, turn{from, e.at})
					delete(got, e.item)
				}
			case eventEnd:
				end = max(end, e.at)
			}
		}
		if len(turns) < 10 {
			t.Fatalf("%s: %d timings with ids, want a recording whose evaluations tell their phases", name, len(turns))
		}
		tail := end - turns[len(turns)-1].to
		done, points, near := 0, 0, 0
		worst, at := 0.0, ""
		for _, e := range rec.events {
			if e.what != eventEnd {
				continue
			}
			done++
			left := end - e.at
			if 4*done < len(rec.plan) || left <= 0 {
				continue
			}
			var eta, past time.Duration
			ended, future := 0, 0
			for _, tu := range turns {
				switch {
				case tu.to <= e.at:
					past += tu.to - tu.from
					ended++
				case tu.from <= e.at:
					eta += tu.to - e.at
				default:
					future++
				}
			}
			if ended == 0 {
				continue
			}
			eta += time.Duration(future)*(past/time.Duration(ended)) + tail
			points++
			if withinBar(eta, left) {
				near++
			} else if r := float64((eta - left).Abs()) / float64(left); r > worst {
				worst, at = r, fmt.Sprintf("at %s it says %s, %s left", e.at.Round(time.Second), eta.Round(time.Second), left.Round(time.Second))
			}
		}
		t.Logf("%s: the oracle is within the bar at %d of %d points; worst %.0f%% %s", name, near, points, 100*worst, at)
		if points == 0 || near == points {
			t.Errorf("%s: an oracle told how many timings are still to come meets the bar: the ETA's misses there are its own", name)
		}
	}
}

// showParts makes TestETAOnRecordedTimings log, with -v, where the ETA
// put the work left at every point.
var showParts = flag.Bool("eta-parts", false, "TestETAOnRecordedTimings -v: log where the ETA put the work left at every point")

// recording is a run's events as --progress-events wrote them.
type recording struct {
	plan   []spec.Cell
	task   datasets.Task
	events []recordedEvent
}

type recordedEvent struct {
	at         time.Duration
	what, cell string
	note       string
	item       int64 // 0 in recordings made before events carried it
}

func readRecording(t *testing.T, path string) recording {
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
	// Recordings made before events carried the item's id lack its column.
	if len(rows) < 2 || (strings.Join(rows[0], ",") != strings.Join(eventsHeader, ",") && strings.Join(rows[0], ",") != strings.Join(eventsHeader[:len(eventsHeader)-1], ",")) {
		t.Fatalf("%s: want a header %v and events", path, eventsHeader)
	}
	var rec recording
	for i, r := range rows[1:] {
		ms, err := strconv.ParseInt(r[0], 10, 64)
		if err != nil {
			t.Fatalf("%s line %d: %v", path, i+2, err)
		}
		if r[1] == eventPlan {
			c := spec.Cell{Strategy: r[4], Variant: r[5], Kind: r[6], Agents: strings.Split(r[8], ","), Problem: r[9]}
			seed, err0 := strconv.ParseInt(r[10], 10, 64)
			err1 := json.Unmarshal([]byte(r[7]), &c.Params)
			if err := errors.Join(err0, err1); err != nil {
				t.Fatalf("%s line %d: %v", path, i+2, err)
			}
			c.Seed = seed
			if c.Key() != r[2] {
				t.Fatalf("%s line %d: cell %s planned under the key %q", path, i+2, c.ID(), r[2])
			}
			rec.plan, rec.task = append(rec.plan, c), datasets.Task(r[3])
			continue
		}
		var item int64
		if len(r) > 11 && r[11] != "" {
			if item, err = strconv.ParseInt(r[11], 10, 64); err != nil {
				t.Fatalf("%s line %d: %v", path, i+2, err)
			}
		}
		rec.events = append(rec.events, recordedEvent{time.Duration(ms) * time.Millisecond, r[1], r[2], r[3], item})
	}
	sort.SliceStable(rec.events, func(i, j int) bool { return rec.events[i].at < rec.events[j].at })
	if perRun[filepath.Base(path)] {
		rec.events = perCandidate(t, path, rec.events)
	}
	return rec
}

// perRun names the recordings made while the progress events told each
// evaluator run as an evaluation: a generate candidate of a strategy
// that writes its own tests (LessonL, Reflexion, MapCoder) was two, its
// run on the generated tests and then its run on the hidden tests, where
// plans (spec.CostOf) and the cells' recorded evaluations count it once.
// readRecording makes their evaluations candidates (perCandidate).
var perRun = map[string]bool{
	"quickstart-generate-12.csv":             true,
	"quickstart-generate-12-seeds456.csv":    true,
	"quickstart-generate-12-seeds789.csv":    true,
	"quickstart-generate-12-seeds101112.csv": true,
}

// perCandidate merges, in events of a recording in perRun, the runs that
// judged one candidate into one evaluation, as the runner now tells them:
// the Env makes a candidate's runs one after the other, with nothing of
// its cell between, so a run that begins as the cell's previous event
// ends one is the same candidate's next run. The merged evaluation begins
// with the first run, under its id, and ends with the last, with its
// note. A candidate judged by more than two runs fails the test: no
// strategy makes more.
func perCandidate(t *testing.T, path string, events []recordedEvent) []recordedEvent {
	t.Helper()
	last := map[string]int{} // per cell, the index in out of its latest event
	runs := map[string]int{} // per cell, the runs of its evaluation in flight or just ended
	alias := map[int64]int64{}
	var out []recordedEvent
	for _, e := range events {
		if to, ok := alias[e.item]; ok && e.item != 0 {
			e.item = to
		}
		if i, ok := last[e.cell]; ok && e.what == eventEval && out[i].what == eventEvaluated {
			// The candidate's next run: its evaluation goes on.
			if runs[e.cell]++; runs[e.cell] > 2 {
				t.Fatalf("%s: cell %s at %s: a candidate judged by %d runs", path, e.cell, e.at, runs[e.cell])
			}
			if out[i].item != 0 {
				alias[e.item] = out[i].item
			}
			// Take out the previous run's end; the events after it (of
			// other cells) move up.
			out = append(out[:i], out[i+1:]...)
			for c, j := range last {
				if j > i {
					last[c] = j - 1
				}
			}
			delete(last, e.cell)
			continue
		}
		if e.what == eventEval {
			runs[e.cell] = 1
		}
		out = append(out, e)
		last[e.cell] = len(out) - 1
	}
	return out
}

// TestRecordTimings checks that the recordings under testdata/timings
// read back whole: every planned cell begins once and ends once, after
// it began, and its calls and evaluations start and end within it, an
// evaluation's phases too. A recording is a run's --progress-events; the
// newest were made so, with seeds of their own and without the shared
// evaluation cache (a run like one before would reuse its verdicts):
//
//	lessonl run experiments/specs/quickstart.yaml --seeds 3 --no-cache --out /tmp/qs --quiet --progress-events experiments/testdata/timings/quickstart-seed3.csv
//	lessonl run experiments/specs/quickstart-generate.yaml --seeds 7,8,9 --limit 12 --no-cache --out /tmp/gen --quiet --progress-events experiments/testdata/timings/quickstart-generate-12-seeds789.csv
//	lessonl run experiments/specs/quickstart-generate.yaml --seeds 10,11,12 --limit 12 --no-cache --out /tmp/gen --quiet --progress-events experiments/testdata/timings/quickstart-generate-12-seeds101112.csv
//	lessonl run experiments/specs/quickstart-generate.yaml --seeds 13,14,15 --limit 12 --no-cache --out /tmp/gen --quiet --progress-events experiments/testdata/timings/quickstart-generate-12-seeds131415.csv
//
// and, as held-out checks of the model unchanged (see beyondBar):
//
//	lessonl run experiments/specs/quickstart-generate.yaml --seeds 16,17,18 --limit 12 --no-cache --out /tmp/gen --quiet --progress-events experiments/testdata/timings/quickstart-generate-12-seeds161718.csv
//	lessonl run experiments/specs/quickstart.yaml --seeds 4 --no-cache --out /tmp/qs --quiet --progress-events experiments/testdata/timings/quickstart-seed4.csv
//	lessonl run experiments/specs/ablation-k-selection.yaml --seeds 3 --no-cache --out /tmp/abl --quiet --progress-events experiments/testdata/timings/ablation-k-selection-seed3.csv
//
// and, as held-out checks on a quiet machine, the same commands with
// --seeds 19,20,21 (quickstart-generate, --limit 12), 5, 6 and 7
// (quickstart), and 4 and 5 (ablation-k-selection), each recording named
// as above.
func TestRecordTimings(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "timings", "*.csv"))
	if len(files) == 0 {
		t.Fatal("no recordings under testdata/timings")
	}
	for _, f := range files {
		rec := readRecording(t, f)
		planned := map[string]bool{}
		for _, c := range rec.plan {
			planned[c.Key()] = true
		}
		began, ended := map[string]int{}, map[string]int{}
		open := map[string]int{}
		items := map[int64]string{} // open calls and evaluations by id: their start event and cell
		for _, e := range rec.events {
			if e.item != 0 {
				start := map[string]string{eventCall: eventCall, eventCalled: eventCall, eventEval: eventEval, eventEvaluated: eventEval,
					eventWaiting: eventEval, eventQueued: eventEval, eventTiming: eventEval}[e.what]
				was, ok := items[e.item]
				switch {
				case e.what == eventCall || e.what == eventEval:
					if ok {
						t.Errorf("%s: %s %d of %s at %s: the id is in flight already", f, e.what, e.item, e.cell, e.at)
					}
					items[e.item] = e.what + " " + e.cell
				case was != start+" "+e.cell:
					t.Errorf("%s: %s %d of %s at %s: not of a %s of that cell in flight (%q)", f, e.what, e.item, e.cell, e.at, start, was)
				case e.what == eventCalled || e.what == eventEvaluated:
					delete(items, e.item)
				}
			}
			switch e.what {
			case eventBegin:
				began[e.cell]++
			case eventEnd:
				ended[e.cell]++
			case eventCall, eventEval:
				open[e.what+e.cell]++
			case eventCalled:
				open[eventCall+e.cell]--
			case eventEvaluated:
				open[eventEval+e.cell]--
			case eventWaiting, eventQueued, eventTiming:
				if open[eventEval+e.cell] == 0 {
					t.Errorf("%s: %s of %s at %s outside its evaluations", f, e.what, e.cell, e.at)
				}
			default:
				t.Errorf("%s: unknown event %q", f, e.what)
			}
			if !planned[e.cell] || (e.what != eventBegin && began[e.cell] == 0) || (e.what != eventEnd && ended[e.cell] > 0) || open[eventCall+e.cell] < 0 || open[eventEval+e.cell] < 0 {
				t.Errorf("%s: %s of %s at %s: unplanned, before the cell began, after it ended, or an end without a start", f, e.what, e.cell, e.at)
			}
		}
		for key := range planned {
			if began[key] != 1 || ended[key] != 1 {
				t.Errorf("%s: cell %s began %d times and ended %d, want once each", f, key, began[key], ended[key])
			}
		}
	}
}

// replayETA feeds a recording to a tally in time order and returns, at
// every finished cell once a quarter are done, the worst relative error
// of the ETA against the time that was left and the share of points
// within ±30%, counting an error within 5 s as none. Each point is
// logged with -v.
func replayETA(t *testing.T, rec recording) (worst, within float64) {
	t.Helper()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	per := map[string]int{}
	cells := map[string]spec.Cell{}
	for _, c := range rec.plan {
		per[label(c)]++
		cells[c.Key()] = c
	}
	var last time.Duration
	for _, e := range rec.events {
		if e.what == eventEnd {
			last = max(last, e.at)
		}
	}
	var ta tally
	ta.start(per)
	ta.left.plan(rec.plan, rec.task)
	done, at, points, near := 0, "", 0, 0
	for _, e := range rec.events {
		c := cells[e.cell]
		now := t0.Add(e.at)
		switch e.what {
		case eventBegin:
			ta.begin(e.cell, label(c), c.Problem, now)
			continue
		case eventEnd:
			ta.addAt(now, label(c), Score{Key: e.cell, Problem: c.Problem, Speedup: 1, Failed: e.note == noteFailed})
		default:
			ta.observe(workEvent{what: e.what, cell: e.cell, at: now, note: e.note, item: e.item})
			continue
		}
		done++
		truth := last - e.at
		if 4*done < len(rec.plan) || truth <= 0 {
			continue
		}
		got, ok := ta.eta(now)
		if !ok {
			t.Errorf("no ETA after %d of %d cells", done, len(rec.plan))
			continue
		}
		points++
		miss := (got - truth).Abs()
		if withinBar(got, truth) {
			near++
		}
		if testing.Verbose() {
			t.Logf("%3d/%d at %7s: ETA %7s, truth %7s", done, len(rec.plan), e.at.Round(time.Second), got, truth.Round(time.Second))
			if *showParts {
				t.Logf("    %s", ta.left.parts(now, 0))
			}
		}
		if miss > 5*time.Second && float64(miss)/float64(truth) > worst {
			worst = float64(miss) / float64(truth)
			at = fmt.Sprintf("%d of %d cells done at %s: ETA %s, %s left: %s", done, len(rec.plan), e.at.Round(time.Second), got, truth.Round(time.Second),
				ta.left.parts(now, 0))
		}
	}
	if at != "" {
		t.Logf("worst at %s; %d of %d points within ±30%% (or 5 s)", at, near, points)
	}
	return worst, float64(near) / float64(max(points, 1))
}
