package evaluate

import (
	"context"
	"math"
	"strings"
	"testing"
)

// series builds a process's pairs: n pairs of base and cand nanoseconds,
// each side slowed by factor slow over the pairs in its episode [from, to),
// with a deterministic ±1% jitter.
type episode struct {
	side     string // "base" or "cand"
	from, to int
	slow     float64
}

func series(placement, n int, base, cand float64, eps ...episode) timedProcess {
	p := timedProcess{placement: placement}
	for i := 0; i < n; i++ {
		jb, jc := 1+0.01*math.Sin(float64(3*i+placement)), 1+0.01*math.Cos(float64(5*i+placement))
		b, c := base*jb, cand*jc
		for _, e := range eps {
			if i >= e.from && i < e.to {
				if e.side == "base" {
					b *= e.slow
				} else {
					c *= e.slow
				}
			}
		}
		p.t.base, p.t.cand = append(p.t.base, int64(b)), append(p.t.cand, int64(c))
	}
	return p
}

// TestEstimateClean checks that episodes of one-sided slowness, as
// measured on ParEval's gemm and shortest path (a side 1.3 to 1.45 times
// slower for many consecutive pairs), leave the estimate where the clean
// pairs put it, while the median of all pairs follows the episode.
func TestEstimateClean(t *testing.T) {
	tests := []struct {
		name      string
		procs     []timedProcess
		want      float64
		allOff    bool // the median of every pair misses want by over 10%
		wantClean int
	}{
		{"no episode", []timedProcess{series(0, 20, 2e6, 2e6), series(1, 20, 2e6, 2e6)}, 1, false, 40},
		{"candidate slow in most of the first build", []timedProcess{
			series(0, 20, 2e6, 2e6, episode{"cand", 0, 15, 1.4}), series(1, 20, 2e6, 2e6, episode{"cand", 0, 18, 1.35})}, 1, true, 7},
		{"each side in turn", []timedProcess{
			series(0, 20, 2e6, 2e6, episode{"base", 0, 12, 1.4}, episode{"cand", 13, 20, 1.3}),
			series(1, 20, 2e6, 2e6, episode{"base", 2, 20, 1.45})}, 1, true, 3},
		{"a real 2x speedup under episodes", []timedProcess{
			series(0, 20, 4e6, 2e6, episode{"cand", 0, 14, 1.4}), series(1, 20, 4e6, 2e6, episode{"cand", 5, 20, 1.4})}, 2, true, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp, clean, _ := estimateClean(tt.procs, 1)
			if math.Abs(sp.Point/tt.want-1) > 0.02 {
				t.Errorf("point %.3f, want %.3f within 2%%", sp.Point, tt.want)
			}
			if !(sp.Low <= sp.Point && sp.Point <= sp.High) {
				t.Errorf("point %.3f outside its interval [%.3f, %.3f]", sp.Point, sp.Low, sp.High)
			}
			if clean != tt.wantClean {
				t.Errorf("%d clean pairs, want %d", clean, tt.wantClean)
			}
			var base, cand []int64
			for _, p := range tt.procs {
				base, cand = append(base, p.t.base...), append(cand, p.t.cand...)
			}
			all := EstimateBalanced(base, cand, len(tt.procs[0].t.base), 1)
			if off := math.Abs(all.Point/tt.want-1) > 0.1; off != tt.allOff {
				t.Errorf("median of every pair %.3f: off by over 10%% is %v, want %v (the case does not test what it says)", all.Point, off, tt.allOff)
			}
		})
	}
}

// varied builds a process's pairs on inputs of varied difficulty: pair i
// costs both sides a factor spread^(i*7 mod n / n) more (a shortest path
// found early or late), with the candidate speedup times faster, ±1%
// jitter, and eps as in series.
func varied(placement, n int, spread, speedup float64, eps ...episode) timedProcess {
	p := series(placement, n, 1e5, 1e5/speedup, eps...)
	for i := range p.t.base {
		f := math.Pow(spread, float64(i*7%n)/float64(n))
		p.t.base[i], p.t.cand[i] = int64(float64(p.t.base[i])*f), int64(float64(p.t.cand[i])*f)
	}
	return p
}

// TestEstimateCleanVariedInputs checks pairs whose inputs vary their
// time a hundredfold (19_graph_shortest_path's fresh inputs): the pairs
// clean are the ratio's common regime, not the easiest inputs, and
// episodes on one side still leave the estimate where it belongs.
func TestEstimateCleanVariedInputs(t *testing.T) {
	tests := []struct {
		name     string
		procs    []timedProcess
		want     float64
		minClean int
	}{
		{"identity", []timedProcess{varied(0, 20, 100, 1), varied(1, 20, 100, 1)}, 1, 40},
		{"identity under episodes", []timedProcess{
			varied(0, 20, 100, 1, episode{"cand", 0, 8, 1.4}), varied(1, 20, 100, 1, episode{"base", 10, 17, 1.35})}, 1, 25},
		{"a real 3x speedup", []timedProcess{varied(0, 20, 100, 3), varied(1, 20, 100, 3, episode{"cand", 2, 9, 1.4})}, 3, 33},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !inputDriven(tt.procs) {
				t.Fatal("a hundredfold spread that both sides follow is not taken as input-driven")
			}
			sp, clean, _ := estimateClean(tt.procs, 1)
			if math.Abs(sp.Point/tt.want-1) > 0.02 {
				t.Errorf("point %.3f, want %.3f within 2%%", sp.Point, tt.want)
			}
			if clean < tt.minClean {
				t.Errorf("%d clean pairs, want at least %d", clean, tt.minClean)
			}
		})
	}
	// The swapped placement's only process ran in one slow stretch of the
	// candidate's (as 19's did, 19 ms more per call, in about one process
	// in five): its pairs form a regime of their own, far from the other
	// placement's two processes', which must not be taken for the code's.
	procs := []timedProcess{varied(0, 20, 100, 1), varied(0, 20, 100, 1), varied(1, 20, 100, 1, episode{"cand", 0, 20, 1.6})}
	sp, _, check := estimateClean(procs, 1)
	if math.Abs(sp.Point-1) > 0.02 {
		t.Errorf("a placement whose only process ran slow throughout: point %.3f, want 1 within 2%%", sp.Point)
	}
	if pl, short := shortPlacement(procs); !short || pl != 1 {
		t.Errorf("short %v placement %d, want placement 1 timed again", short, pl)
	}
	if math.IsNaN(check) {
		t.Error("a placement without clean pairs did not widen the interval")
	}
	if inputDriven([]timedProcess{series(0, 20, 2e6, 2e6, episode{"cand", 0, 15, 1.4}), series(1, 20, 2e6, 2e6)}) {
		t.Error("a one-sided episode on fixed-cost inputs is taken as input-driven")
	}
}

// TestShortPlacement checks when a placement is timed again: fewer clean
// pairs than minCleanPairs (or than its first process timed, if fewer).
func TestShortPlacement(t *testing.T) {
	clean := series(0, 20, 2e6, 2e6)
	slowSwapped := series(1, 20, 2e6, 2e6, episode{"cand", 0, 16, 1.4})
	if pl, short := shortPlacement([]timedProcess{clean, slowSwapped}); !short || pl != 1 {
		t.Errorf("swapped build with 4 clean pairs: short %v placement %d, want placement 1 short", short, pl)
	}
	again := series(1, 20, 2e6, 2e6, episode{"base", 15, 20, 1.3})
	if pl, short := shortPlacement([]timedProcess{clean, slowSwapped, again}); short {
		t.Errorf("after a fresh swapped process with 15 clean pairs, placement %d still short", pl)
	}
	few := []timedProcess{series(0, 5, 2e6, 2e6), series(1, 5, 2e6, 2e6)}
	if pl, short := shortPlacement(few); short {
		t.Errorf("5 clean pairs of 5 timed: placement %d short, want neither (need is capped by the pairs timed)", pl)
	}
}

// TestEstimateCleanFewPairs checks that a placement short of clean pairs
// widens the interval to the estimate that chooses no pairs, and that one
// with enough leaves the interval to its clean pairs.
func TestEstimateCleanFewPairs(t *testing.T) {
	tests := []struct {
		name  string
		procs []timedProcess
		short bool
	}{
		{"enough clean pairs", []timedProcess{series(0, 20, 2e6, 2e6), series(1, 20, 2e6, 2e6)}, false},
		// The baseline slow in all but its last three pairs.
		{"three clean pairs in each placement", []timedProcess{
			series(0, 20, 2e6, 2e6, episode{"base", 0, 17, 1.5}, episode{"cand", 0, 20, 1.15}),
			series(1, 20, 2e6, 2e6, episode{"base", 0, 17, 1.5}, episode{"cand", 0, 20, 1.15})}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp, _, check := estimateClean(tt.procs, 1)
			if got := !math.IsNaN(check); got != tt.short {
				t.Fatalf("check %.3f: reported %v, want %v", check, got, tt.short)
			}
			if !tt.short {
				return
			}
			if want := unfiltered(tt.procs, 1); check != want {
				t.Errorf("check %.3f, want the unfiltered estimate %.3f", check, want)
			}
			if !(sp.Low <= check && check <= sp.High) {
				t.Errorf("interval [%.3f, %.3f] does not span the unfiltered estimate %.3f", sp.Low, sp.High, check)
			}
		})
	}
}

// TestEstimateCleanNoneClean falls back to every pair when no pair is
// clean: alternating sides slower by half, pair by pair.
func TestEstimateCleanNoneClean(t *testing.T) {
	var p timedProcess
	for i := 0; i < 10; i++ {
		b, c := int64(2e6), int64(3e6)
		if i%2 == 1 {
			b, c = c, b
		}
		p.t.base, p.t.cand = append(p.t.base, b), append(p.t.cand, c)
	}
	sp, clean, _ := estimateClean([]timedProcess{p}, 1)
	if clean != 0 || math.IsNaN(sp.Point) || sp.Point <= 0 {
		t.Errorf("no clean pair: clean %d, point %g; want 0 and the estimate over every pair", clean, sp.Point)
	}
}

// TestEpisodesEndToEnd evaluates a candidate that behaves like the
// episodes bench precision found on a shared VM: the baseline's own code,
// twice as slow in the second of every three stretches of twelve calls,
// which is most of a process's twenty pairs after validation and warm-up
// (6 calls). The estimate over clean pairs finds the code's own speed, the
// baseline's, and a placement short of clean pairs is timed again in a
// fresh process.
func TestEpisodesEndToEnd(t *testing.T) {
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{NoCheckedBuild: true})
	code := `#include <cstdint>
#include <vector>
static long calls = 0;
int64_t sum_values(const std::vector<int64_t>& v) {
    int64_t s = 0;
    for (std::size_t i = 0; i < v.size(); ++i) s += v[i];
    if ((calls++ / 12) % 3 == 1) {
        int64_t x = 0;
        for (std::size_t i = 0; i < v.size(); ++i) { x += v[i]; asm volatile("" : "+r"(x)); }
        asm volatile("" : : "r"(x));
    }
    return s;
}
`
	out, err := e.Evaluate(context.Background(), p, code)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != Correct {
		t.Fatalf("status %s: %s", out.Status, out.Detail)
	}
	// slow counts the pairs whose candidate call took 1.5× the baseline's
	// or more, mirror those whose baseline call did: the machine's own
	// episodes slow either side, the candidate's only its own.
	slow, mirror := 0, 0
	for i := range out.BaselineReps {
		switch {
		case out.CandidateReps[i] > 3*out.BaselineReps[i]/2:
			slow++
		case out.BaselineReps[i] > 3*out.CandidateReps[i]/2:
			mirror++
		}
	}
	t.Logf("speedup %.3f [%.3f, %.3f] from %d clean of %d pairs in %d processes; %d pairs in a slow stretch, %d with the baseline as slow",
		out.Speedup, out.CILow, out.CIHigh, out.CleanPairs, len(out.BaselineReps), out.Processes, slow, mirror)
	// On the 2-core VMs lessonl is tested on, the baseline's own calls
	// also run 2× slower in stretches (0.7 to 2.2 ms for this call), so a
	// process keeps 0 to 8 clean pairs of 80 and identity estimates spread
	// from 0.77 to 1.09. Where the machine's own episodes leave fewer clean
	// pairs than the protocol asks for (minCleanPairs), the run cannot tell
	// the candidate's episodes from the machine's, and the estimator must
	// say so and widen its interval (estimateClean).
	if out.Detail != "" {
		// The machine's own slow stretches left a placement short of
		// clean pairs: the estimator says so, and its interval reaches
		// the estimate that chooses no pairs, here the sides' floors.
		if !strings.Contains(out.Detail, "pairs were clean") {
			t.Errorf("detail %q of a correct outcome, want the note on few clean pairs", out.Detail)
		}
		if out.CILow > 1.2 || out.CIHigh < 1/1.2 {
			t.Errorf("few clean pairs: interval [%.3f, %.3f] does not reach 1 within 1.2× either way", out.CILow, out.CIHigh)
		}
	} else if math.Abs(math.Log(out.Speedup)) > math.Log(1.2) {
		// Taking every pair instead, the median here is 0.78: the bound of
		// 1.2× either way fails a filter that lets the episodes through.
		t.Errorf("speedup %.3f, want the baseline's own speed (1 within 1.2× either way)", out.Speedup)
	}
	// The candidate's slow stretches show in about half of the pairs
	// (34 to 40 of 80 with three to five busy loops beside the test), but
	// load can hide many: under two CI runs at once 9 of 40 showed. A
	// sixth of the pairs, and twice the pairs with the baseline as slow,
	// still tell the candidate's episodes from the machine's, which slow
	// either side.
	if slow < len(out.BaselineReps)/6 || slow < 2*mirror {
		t.Errorf("%d of %d pairs in a slow stretch, %d with the baseline as slow: the candidate's episodes did not show (the test tests nothing)",
			slow, len(out.BaselineReps), mirror)
	}
	// A busy machine can leave no clean pair at all (CI: 0 of 80, with
	// 38 in the candidate's own stretches); the note above covers that
	// case. What must hold on any machine is that the filter set the
	// candidate's episodes aside rather than keeping every pair.
	if out.CleanPairs >= len(out.BaselineReps) {
		t.Errorf("%d clean pairs of %d: the filter kept the candidate's slow stretches", out.CleanPairs, len(out.BaselineReps))
	}
	if out.CleanPairs < minCleanPairs && out.Detail == "" {
		t.Errorf("%d clean pairs, fewer than %d, and no note says so", out.CleanPairs, minCleanPairs)
	}
}

// TestFewPairsTakenWhole keeps every pair of processes too short to set a
// floor: with three pairs a build cannot tell an episode from noise, and
// a filter would select pairs on their noise.
func TestFewPairsTakenWhole(t *testing.T) {
	procs := []timedProcess{series(0, 3, 2e6, 2e6, episode{"cand", 0, 2, 1.4}), series(1, 3, 2e6, 2e6)}
	if _, clean, _ := estimateClean(procs, 1); clean != 6 {
		t.Errorf("%d clean pairs of 6 from two 3-pair processes, want all 6", clean)
	}
	if pl, short := shortPlacement(procs); short {
		t.Errorf("placement %d short of clean pairs with every pair clean", pl)
	}
}
