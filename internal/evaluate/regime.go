package evaluate

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
)

// Episodes of one-sided slowness. On the shared VMs lessonl runs on, a
// side's calls can run a third to a half slower for tens of pairs (a
// fraction of a second to seconds) and then recover, while the other side,
// timed in the same pairs and alternating with it every call, runs at its
// usual speed: identical code on identical data, measured with the order
// alternating, so neither drift nor the order explains it, and pairing
// cannot cancel it. `lessonl bench precision` on ParEval's
// 02_dense_la_gemm and 19_graph_shortest_path found such an episode in
// about two of five driver processes, moving identity estimates to 0.78
// or 1.4. Such episodes only ever add time, so each side's own speed is
// its fastest stable level: the floor, the lowest median over
// regimeWindow consecutive pairs of one process (a process with fewer
// pairs is taken whole). A pair is clean when neither side is more than
// regimeTolerance above its floor, and only clean pairs enter the
// estimate. A placement with fewer than
// minCleanPairs clean pairs is timed again in a fresh process, at most
// maxExtraProcesses times per evaluation.
//
// Fresh inputs can vary a call's time far more than any episode: a
// shortest path found in the first row of a matrix or in its last. Then
// each side's floor is set by the easiest inputs, and only those pairs
// would count, where the overheads around a call weigh most. Both sides
// run the same input in a pair, so its difficulty moves both times
// together, while an episode moves one. When the times of a placement's
// pairs spread beyond what an episode makes and the two sides' times
// follow each other (inputDriven), a pair is clean when its ratio lies in
// the densest band of ratios regimeTolerance wide on either side: the
// regime most pairs share (each placement's own, within a band's width of
// the band of both placements' pairs).
const (
	regimeWindow      = 5
	regimeTolerance   = 0.08
	minCleanPairs     = 8
	maxExtraProcesses = 2
)

// timedProcess is the pairs one driver process timed in one placement (0:
// the baseline linked first, 1: the candidate linked first).
type timedProcess struct {
	placement int
	t         pairs
}

// floors returns each side's floor over procs: the lowest median of
// regimeWindow consecutive pairs within one process. A process with fewer
// pairs cannot tell an episode from noise and sets no floor; ok is false
// when none can.
func floors(procs []timedProcess) (base, cand float64, ok bool) {
	base, cand = math.Inf(1), math.Inf(1)
	for _, p := range procs {
		if len(p.t.base) < regimeWindow {
			continue
		}
		base = min(base, windowFloor(floats(p.t.base)))
		cand = min(cand, windowFloor(floats(p.t.cand)))
		ok = true
	}
	return base, cand, ok
}

// windowFloor is the lowest median of regimeWindow consecutive xs.
func windowFloor(xs []float64) float64 {
	f := math.Inf(1)
	for i := 0; i+regimeWindow <= len(xs); i++ {
		f = min(f, median(xs[i:i+regimeWindow]))
	}
	return f
}

// byPlacement gathers procs' pairs that keep accepts into each placement's,
// in time order.
func byPlacement(procs []timedProcess, keep func(p timedProcess, i int) bool) [2]pairs {
	var out [2]pairs
	for _, p := range procs {
		c := &out[p.placement]
		for i := range p.t.base {
			if keep(p, i) {
				c.base, c.cand = append(c.base, p.t.base[i]), append(c.cand, p.t.cand[i])
			}
		}
	}
	return out
}

// every keeps every pair.
func every(timedProcess, int) bool { return true }

// cleanByPlacement splits procs' pairs into the clean pairs of each
// placement, in time order. Every pair of a process too short to set a
// floor is clean, and so is every pair when no process sets one: with a
// handful of pairs, a filter would select on noise.
func cleanByPlacement(procs []timedProcess) [2]pairs {
	if inputDriven(procs) {
		// Each placement's own band, near the band of both: a placement
		// whose processes all ran in one slow stretch (ParEval's 19: the
		// candidate's calls 19 ms slower for a whole process) has no band
		// of its own far from the other's, and is timed again instead.
		all := densestBand(append(logRatios(procs, 0), logRatios(procs, 1)...))
		var band [2][2]float64
		for pl := range band {
			band[pl] = densestBandNear(logRatios(procs, pl), (all[0]+all[1])/2)
		}
		return byPlacement(procs, func(p timedProcess, i int) bool {
			r := logRatio(p.t.base[i], p.t.cand[i])
			return len(p.t.base) < regimeWindow || band[p.placement][0] <= r && r <= band[p.placement][1]
		})
	}
	fb, fc, ok := floors(procs)
	return byPlacement(procs, func(p timedProcess, i int) bool {
		return !ok || len(p.t.base) < regimeWindow ||
			float64(p.t.base[i]) <= fb*(1+regimeTolerance) && float64(p.t.cand[i]) <= fc*(1+regimeTolerance)
	})
}

// inputDriven reports whether the pairs' times follow their inputs more
// than any episode moves them: over the pairs of processes long enough to
// set a floor, the baseline's middle half of times spans more than twice
// the tolerance, and the two sides' log times correlate at 0.8 or more.
func inputDriven(procs []timedProcess) bool {
	var lb, lc []float64
	for _, p := range procs {
		if len(p.t.base) < regimeWindow {
			continue
		}
		for i := range p.t.base {
			lb = append(lb, math.Log(float64(max(p.t.base[i], 1))))
			lc = append(lc, math.Log(float64(max(p.t.cand[i], 1))))
		}
	}
	if len(lb) < 2*regimeWindow {
		return false
	}
	sorted := append([]float64(nil), lb...)
	sort.Float64s(sorted)
	q1 := stat.Quantile(0.25, stat.Empirical, sorted, nil)
	q3 := stat.Quantile(0.75, stat.Empirical, sorted, nil)
	if q3-q1 <= 2*math.Log1p(regimeTolerance) {
		return false
	}
	return stat.Correlation(lb, lc, nil) >= 0.8
}

func logRatio(base, cand int64) float64 {
	return math.Log(float64(max(base, 1))) - math.Log(float64(max(cand, 1)))
}

// logRatios is the log ratios of placement pl's pairs in processes long
// enough to set a floor.
func logRatios(procs []timedProcess, pl int) []float64 {
	var rs []float64
	for _, p := range procs {
		if p.placement != pl || len(p.t.base) < regimeWindow {
			continue
		}
		for i := range p.t.base {
			rs = append(rs, logRatio(p.t.base[i], p.t.cand[i]))
		}
	}
	return rs
}

// densestBand is the interval, regimeTolerance wide on either side of its
// middle, that holds the most of rs (the lowest such on ties); every
// value when rs is empty.
func densestBand(rs []float64) [2]float64 {
	if len(rs) == 0 {
		return [2]float64{math.Inf(-1), math.Inf(1)}
	}
	band, _ := densest(rs, func(float64) bool { return true })
	return band
}

// densestBandNear is densestBand among the bands whose middle lies within
// a band's width of mid; a band around mid when none does.
func densestBandNear(rs []float64, mid float64) [2]float64 {
	width := 2 * math.Log1p(regimeTolerance)
	if math.IsInf(mid, 0) || math.IsNaN(mid) {
		return densestBand(rs)
	}
	if band, ok := densest(rs, func(lo float64) bool { return math.Abs(lo+width/2-mid) <= width }); ok {
		return band
	}
	return [2]float64{mid - width/2, mid + width/2}
}

// densest is the band regimeTolerance wide on either side of its middle
// that holds the most of rs among the bands whose low end keep accepts
// (the lowest such on ties); ok is false when keep accepts none.
func densest(rs []float64, keep func(lo float64) bool) (band [2]float64, ok bool) {
	rs = append([]float64(nil), rs...)
	sort.Float64s(rs)
	width := 2 * math.Log1p(regimeTolerance)
	best := 0
	for i, j := 0, 0; i < len(rs); i++ {
		for j < len(rs) && rs[j]-rs[i] <= width {
			j++
		}
		if j-i > best && keep(rs[i]) {
			best, band = j-i, [2]float64{rs[i], rs[i] + width}
		}
	}
	return band, best > 0
}

// shortPlacement is the first placement, of those timed, with fewer clean
// pairs than it needs: minCleanPairs, or all of its first process's pairs
// when that process timed fewer.
func shortPlacement(procs []timedProcess) (int, bool) {
	return shortOf(procs, cleanByPlacement(procs))
}

// shortOf is shortPlacement for procs split into clean already.
func shortOf(procs []timedProcess, clean [2]pairs) (int, bool) {
	need := [2]int{-1, -1}
	for _, p := range procs {
		if need[p.placement] < 0 {
			need[p.placement] = min(minCleanPairs, len(p.t.base))
		}
	}
	for pl := range need {
		if need[pl] > 0 && len(clean[pl].base) < need[pl] {
			return pl, true
		}
	}
	return 0, false
}

// estimateClean is EstimateBalanced over the clean pairs of procs (see
// regimeTolerance): the geometric mean of the placements' medians of
// clean ratios, each placement bootstrapped on its own. With no clean
// pair in a placement it uses the other's; with none at all, every pair.
// BaselineNS and CandidateNS are as EstimateBalanced gives them for the
// clean pairs; the count is of the clean pairs (0 when none was).
//
// A placement left with fewer than minCleanPairs clean pairs, even after
// the extra processes, had its regime chosen from a handful of pairs, and
// their bootstrap says nothing about whether that was the right regime:
// identity code measured 0.855 [0.839, 0.872] from three. Then the
// interval also spans a second estimate that rests on no filter (check),
// and check reports it; check is NaN when every placement had enough.
func estimateClean(procs []timedProcess, seed uint64) (sp Speedup, clean int, check float64) {
	pl := cleanByPlacement(procs)
	_, short := shortOf(procs, pl)
	clean = len(pl[0].base) + len(pl[1].base)
	if clean == 0 {
		pl = byPlacement(procs, every)
	}
	base, cand, split := joined(pl)
	sp = EstimateBalanced(base, cand, split, seed)
	check = math.NaN()
	if short {
		check = unfiltered(procs, seed)
		sp.Low, sp.High = min(sp.Low, check), max(sp.High, check)
	}
	return sp, clean, check
}

// unfiltered estimates the speedup of procs without choosing pairs: where
// call times follow the inputs, the balanced median ratio of every pair;
// otherwise the ratio of the sides' floors, each side's fastest stable
// level, which one-sided slow stretches do not move.
func unfiltered(procs []timedProcess, seed uint64) float64 {
	if fb, fc, ok := floors(procs); ok && !inputDriven(procs) {
		return fb / fc
	}
	base, cand, split := joined(byPlacement(procs, every))
	return EstimateBalanced(base, cand, split, seed).Point
}

// joined is both placements' pairs in one series, the first placement's
// first, and where the second's begin.
func joined(ps [2]pairs) (base, cand []int64, split int) {
	base = append(append([]int64(nil), ps[0].base...), ps[1].base...)
	cand = append(append([]int64(nil), ps[0].cand...), ps[1].cand...)
	return base, cand, len(ps[0].base)
}
