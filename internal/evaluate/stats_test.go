package evaluate

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lessonlab/lessonl/internal/stats"
)

func TestMedianAndQuantile(t *testing.T) {
	tests := []struct {
		xs        []float64
		q         float64
		median, v float64
	}{
		// Quantiles as NumPy's default (linear, type 7) computes them.
		{[]float64{1, 2, 3, 4}, 0.25, 2.5, 1.75},
		{[]float64{3, 1, 2}, 0.5, 2, 2},
		{[]float64{10, 20, 30, 40, 50}, 0.9, 30, 46},
		{[]float64{7}, 0.975, 7, 7},
	}
	for _, tt := range tests {
		if got := median(tt.xs); got != tt.median {
			t.Errorf("median(%v) = %g, want %g", tt.xs, got, tt.median)
		}
		s := append([]float64(nil), tt.xs...)
		sortFloats(s)
		if got := quantile(s, tt.q); math.Abs(got-tt.v) > 1e-12 {
			t.Errorf("quantile(%v, %g) = %g, want %g", tt.xs, tt.q, got, tt.v)
		}
	}
}

func sortFloats(s []float64) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j-1] > s[j]; j-- {
			s[j-1], s[j] = s[j], s[j-1]
		}
	}
}

func TestEstimateSpeedup(t *testing.T) {
	base := []int64{100, 102, 98, 101, 99, 250, 100, 103, 97, 100, 101} // one outlier
	cand := []int64{50, 51, 49, 50, 50, 50, 52, 48, 50, 51, 49}
	s := EstimateSpeedup(base, cand, 1)
	if want := 100.0 / 50; math.Abs(s.Point-want) > 1e-12 {
		t.Errorf("point %g, want median ratio %g", s.Point, want)
	}
	if s.BaselineNS != 100 || s.CandidateNS != 50 {
		t.Errorf("medians %g, %g, want 100, 50", s.BaselineNS, s.CandidateNS)
	}
	if !(s.Low <= s.Point && s.Point <= s.High) || s.Low < 1.9 || s.High > 2.2 {
		t.Errorf("interval [%g, %g] around %g is off", s.Low, s.High, s.Point)
	}
	if again := EstimateSpeedup(base, cand, 1); again != s {
		t.Errorf("same seed gave %+v then %+v", s, again)
	}
	if bad := EstimateSpeedup(nil, nil, 1); !math.IsNaN(bad.Point) {
		t.Errorf("no pairs gave point %g, want NaN", bad.Point)
	}
}

// TestSpeedupCoverage simulates identity evaluations with multiplicative
// noise, shared drift within a pair, and occasional interference spikes, and
// checks the interval covers the true speedup 1.0 about as often as a 95%
// interval should: neither too narrow (dishonest) nor needlessly wide.
func TestSpeedupCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const trials, n = 400, 15
	covered := 0
	var widths []float64
	for k := 0; k < trials; k++ {
		base, cand := make([]int64, n), make([]int64, n)
		for i := 0; i < n; i++ {
			drift := 1 + 0.02*math.Sin(float64(i)/3+float64(k))
			noise := func() float64 {
				x := math.Exp(0.01 * rng.NormFloat64())
				if rng.Float64() < 0.05 {
					x *= 1.3 // another process took the core for a while
				}
				return x
			}
			base[i] = int64(5e7 * drift * noise())
			cand[i] = int64(5e7 * drift * noise())
		}
		s := EstimateSpeedup(base, cand, uint64(k))
		if s.Low <= 1 && 1 <= s.High {
			covered++
		}
		widths = append(widths, s.High-s.Low)
	}
	rate := float64(covered) / trials
	if rate < 0.88 || rate > 0.995 {
		t.Errorf("coverage %.3f over %d trials, want near 0.95", rate, trials)
	}
	if w := median(widths); w > 0.06 {
		t.Errorf("median width %.4f, want at most 0.06 at 1%% noise", w)
	}
}

func TestEstimateBalanced(t *testing.T) {
	// The first build favours the baseline's place by 5%, the second the
	// candidate's: identical code, opposite placement effects.
	base := []int64{105, 106, 104, 105, 105, 95, 96, 94, 95, 95}
	cand := []int64{100, 100, 100, 100, 100, 100, 100, 100, 100, 100}
	s := EstimateBalanced(base, cand, 5, 1)
	if want := math.Sqrt(105.0 / 100 * 95.0 / 100); math.Abs(s.Point-want) > 1e-12 {
		t.Errorf("point %g, want the geometric mean of the builds' ratios %g", s.Point, want)
	}
	if want := math.Sqrt(105.0 * 95); math.Abs(s.BaselineNS-want) > 1e-9 || s.CandidateNS != 100 {
		t.Errorf("medians %g, %g, want %g, 100", s.BaselineNS, s.CandidateNS, want)
	}
	if !(s.Low <= s.Point && s.Point <= s.High) || s.Low < 0.98 || s.High > 1.02 {
		t.Errorf("interval [%g, %g] around %g is off", s.Low, s.High, s.Point)
	}
	// Pooling the pairs instead would put the point wherever the median of a
	// two-humped sample falls.
	if one := EstimateBalanced(base, cand, len(base), 1); one != EstimateSpeedup(base, cand, 1) {
		t.Errorf("a single build gave %+v, want EstimateSpeedup's %+v", one, EstimateSpeedup(base, cand, 1))
	}
}

// TestBalancedCoverage simulates identity evaluations in two builds with a
// placement effect of ±4% and checks the balanced interval covers 1.0 about
// as often as a 95% interval should, while either build alone almost never
// does.
func TestBalancedCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	const trials, n = 400, 8
	covered, alone := 0, 0
	for k := 0; k < trials; k++ {
		var base, cand []int64
		for _, effect := range []float64{1.04, 1 / 1.04} {
			for i := 0; i < n; i++ {
				base = append(base, int64(5e7*effect*math.Exp(0.01*rng.NormFloat64())))
				cand = append(cand, int64(5e7*math.Exp(0.01*rng.NormFloat64())))
			}
		}
		if s := EstimateBalanced(base, cand, n, uint64(k)); s.Low <= 1 && 1 <= s.High {
			covered++
		}
		if s := EstimateSpeedup(base[:n], cand[:n], uint64(k)); s.Low <= 1 && 1 <= s.High {
			alone++
		}
	}
	if rate := float64(covered) / trials; rate < 0.88 || rate > 0.995 {
		t.Errorf("balanced coverage %.3f over %d trials, want near 0.95", rate, trials)
	}
	if rate := float64(alone) / trials; rate > 0.1 {
		t.Errorf("one build alone covered 1.0 in %.3f of trials; the simulated placement effect is too weak to test anything", rate)
	}
}

func TestEstimateUnpaired(t *testing.T) {
	base := []int64{300, 310, 290, 305, 295, 900, 300, 302, 298, 301, 299} // one outlier; median 300
	cand := []int64{100, 101, 99, 100, 102, 98, 100}                       // fewer samples; median 100
	s := EstimateUnpaired(base, cand, 3)
	if want := 3.0; math.Abs(s.Point-want) > 1e-12 {
		t.Errorf("point %g, want %g", s.Point, want)
	}
	if !(s.Low <= s.Point && s.Point <= s.High) || s.Low < 2.8 || s.High > 3.2 {
		t.Errorf("interval [%g, %g] around %g is off", s.Low, s.High, s.Point)
	}
	if bad := EstimateUnpaired(base, nil, 1); !math.IsNaN(bad.Point) {
		t.Errorf("no candidate samples gave point %g, want NaN", bad.Point)
	}
}

func TestSummarizeCost(t *testing.T) {
	// Wall times 1..8 s (NumPy: quantile([1..8], [.25, .5, .75]) = 2.75,
	// 4.5, 6.25), one reused outcome, one timeout, one failure.
	var rows []CheckRow
	for i := 1; i <= 8; i++ {
		rows = append(rows, CheckRow{Status: Correct, EvalMS: int64(i * 1000)})
	}
	rows[6].Status, rows[7].Status = Timeout, Incorrect
	rows = append(rows, CheckRow{Status: Correct, EvalMS: 0})
	got := SummarizeCost(rows)
	want := CostSummary{Evaluations: 8, MedianS: 4.5, Q1S: 2.75, Q3S: 6.25, MaxS: 8, Timeouts: 1, Failed: 1}
	if got != want {
		t.Errorf("SummarizeCost = %+v, want %+v", got, want)
	}
}

// TestSpeedupRegimeSwitch is the case the median of pair ratios is for: the
// machine switches from 24 ms calls to 34 ms calls between the two sides of
// one pair (as 19_graph_shortest_path's calls did on this VM). The sides'
// medians fall in different regimes and their ratio says 0.71; every pair
// but one says 1.
func TestSpeedupRegimeSwitch(t *testing.T) {
	base := []int64{24e6, 24e6, 24e6, 24e6, 34e6, 34e6, 34e6}
	cand := []int64{24e6, 24e6, 24e6, 34e6, 34e6, 34e6, 34e6}
	s := EstimateSpeedup(base, cand, 1)
	if s.Point != 1 {
		t.Errorf("point %g, want 1 (ratio of medians would be %.3f)", s.Point, s.BaselineNS/s.CandidateNS)
	}
	if !(s.Low <= 1 && 1 <= s.High) {
		t.Errorf("interval [%g, %g] excludes 1", s.Low, s.High)
	}
}

// TestBlockBootstrapRegimes simulates what 19_graph_shortest_path's calls
// do on this VM: each side's calls switch between a fast state and one 40%
// slower, independently of the other side, and stay in a state for several
// pairs. Pair ratios are then correlated in time; resampling runs of pairs
// must cover the true speedup 1.0 clearly more often than resampling pairs
// one by one, which treats five pairs of one state as five pieces of
// evidence.
func TestBlockBootstrapRegimes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const trials, n, stay = 400, 20, 0.8
	blocks, single := 0, 0
	for k := 0; k < trials; k++ {
		var r [2][]float64
		for b := range r {
			state := [2]int{rng.IntN(2), rng.IntN(2)}
			base, cand := make([]int64, n), make([]int64, n)
			for i := 0; i < n; i++ {
				for s := range state {
					if rng.Float64() > stay {
						state[s] = rng.IntN(2)
					}
				}
				base[i] = int64(3e7 * math.Pow(1.4, float64(state[0])) * math.Exp(0.01*rng.NormFloat64()))
				cand[i] = int64(3e7 * math.Pow(1.4, float64(state[1])) * math.Exp(0.01*rng.NormFloat64()))
			}
			r[b] = ratios(base, cand)
		}
		covers := func(draw func(*stats.Resampler, []float64) []float64) bool {
			rs1, rs2 := newResampler(uint64(k), n), newResampler(uint64(k)+1, n)
			lo, hi := bootstrap(func() float64 { return math.Sqrt(median(draw(rs1, r[0])) * median(draw(rs2, r[1]))) })
			return lo <= 1 && 1 <= hi
		}
		if covers((*stats.Resampler).Blocks) {
			blocks++
		}
		if covers((*stats.Resampler).Sample) {
			single++
		}
	}
	b, s := float64(blocks)/trials, float64(single)/trials
	t.Logf("coverage: runs of pairs %.3f, single pairs %.3f", b, s)
	if b < s+0.05 {
		t.Errorf("coverage with runs of pairs %.3f, single pairs %.3f: runs should cover clearly more often", b, s)
	}
}

func TestWiden(t *testing.T) {
	tests := []struct {
		in       Speedup
		sd       float64
		low, hi  float64 // computed with Python's math.hypot on the log scale
		sameAsIn bool
	}{
		{Speedup{Point: 1, Low: 0.99, High: 1.01}, 0.005, 0.9860775647454588, 1.0140464854185272, false},
		{Speedup{Point: 2, Low: 1.5, High: 2.5}, 0.005, 1.4997509673262914, 2.5005350977929877, false},
		{Speedup{Point: 1, Low: 0.99, High: 1.01}, 0, 0.99, 1.01, true},
		{Speedup{Point: 1, Low: 0.99, High: 1.01}, -1, 0.99, 1.01, true},
		{nanSpeedup, 0.005, math.NaN(), math.NaN(), true},
	}
	for _, tt := range tests {
		got := tt.in.Widen(tt.sd)
		if tt.sameAsIn {
			if got != tt.in && !math.IsNaN(tt.in.Point) {
				t.Errorf("Widen(%+v, %g) = %+v, want it unchanged", tt.in, tt.sd, got)
			}
			continue
		}
		if got.Point != tt.in.Point || math.Abs(got.Low-tt.low) > 1e-12 || math.Abs(got.High-tt.hi) > 1e-12 {
			t.Errorf("Widen(%+v, %g) = [%.15g, %.15g] around %g, want [%.15g, %.15g]", tt.in, tt.sd, got.Low, got.High, got.Point, tt.low, tt.hi)
		}
	}
}
