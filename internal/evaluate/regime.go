package evaluate

import "math"

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
	fb, fc, ok := floors(procs)
	return byPlacement(procs, func(p timedProcess, i int) bool {
		return !ok || len(p.t.base) < regimeWindow ||
			float64(p.t.base[i]) <= fb*(1+regimeTolerance) && float64(p.t.cand[i]) <= fc*(1+regimeTolerance)
	})
}

// shortPlacement is the first placement, of those timed, with fewer clean
// pairs than it needs: minCleanPairs, or all of its first process's pairs
// when that process timed fewer.
func shortPlacement(procs []timedProcess) (int, bool) {
	clean := cleanByPlacement(procs)
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
func estimateClean(procs []timedProcess, seed uint64) (Speedup, int) {
	clean := cleanByPlacement(procs)
	n := len(clean[0].base) + len(clean[1].base)
	if n == 0 {
		clean = byPlacement(procs, every)
	}
	base, cand, split := joined(clean)
	return EstimateBalanced(base, cand, split, seed), n
}

// joined is both placements' pairs in one series, the first placement's
// first, and where the second's begin.
func joined(ps [2]pairs) (base, cand []int64, split int) {
	base = append(append([]int64(nil), ps[0].base...), ps[1].base...)
	cand = append(append([]int64(nil), ps[0].cand...), ps[1].cand...)
	return base, cand, len(ps[0].base)
}
