package evaluate

import (
	"math"

	"github.com/lessonlab/lessonl/internal/stats"
)

// median and quantile are internal/stats's: one definition for the
// evaluator and analysis.
var (
	median   = stats.Median
	quantile = stats.Quantile
)

// Speedup summarises paired timings: the point estimate is the median of
// the pairs' ratios baseline/candidate, and the 95% interval is the
// percentile bootstrap of that median, resampling runs of consecutive
// pairs (see stats.Resampler.Blocks). A pair was measured back to back, so a
// slow drift of the machine, or a switch between regimes (call times that
// jump by a third for minutes, as page backing changes on a shared VM),
// hits both of its sides and cancels in its ratio; a ratio of the two
// sides' medians would not cancel it, since each median may fall in
// another regime. BaselineNS and CandidateNS are the sides' medians.
type Speedup struct {
	Point, Low, High float64
	BaselineNS       float64
	CandidateNS      float64
}

// bootstrapResamples is the number of bootstrap resamples per interval.
const bootstrapResamples = 2000

// EstimateSpeedup computes Speedup from paired times; seed makes the
// bootstrap reproducible.
func EstimateSpeedup(base, cand []int64, seed uint64) Speedup {
	if len(base) == 0 || len(cand) != len(base) {
		return nanSpeedup
	}
	r := ratios(base, cand)
	s := Speedup{BaselineNS: median(floats(base)), CandidateNS: median(floats(cand)), Point: median(r)}
	rs := newResampler(seed, len(r))
	s.Low, s.High = bootstrap(func() float64 { return median(rs.Blocks(r)) })
	return s
}

// EstimateBalanced is EstimateSpeedup for pairs timed in two groups of
// processes: base[:split] and cand[:split] in one, the rest in the other.
// The point is the geometric mean of the two groups' median ratios, so
// what one pair of processes got from where its code and data landed
// weighs no more than the other's; the interval bootstraps each group's
// pairs on their own. BaselineNS and CandidateNS are the geometric means
// of the groups' medians. Without pairs on both sides of split it is
// EstimateSpeedup.
func EstimateBalanced(base, cand []int64, split int, seed uint64) Speedup {
	if split <= 0 || split >= len(base) || len(cand) != len(base) {
		return EstimateSpeedup(base, cand, seed)
	}
	r1, r2 := ratios(base[:split], cand[:split]), ratios(base[split:], cand[split:])
	s := Speedup{
		BaselineNS:  math.Sqrt(median(floats(base[:split])) * median(floats(base[split:]))),
		CandidateNS: math.Sqrt(median(floats(cand[:split])) * median(floats(cand[split:]))),
		Point:       math.Sqrt(median(r1) * median(r2)),
	}
	rs1, rs2 := newResampler(seed, len(r1)), newResampler(seed+1, len(r2))
	s.Low, s.High = bootstrap(func() float64 { return math.Sqrt(median(rs1.Blocks(r1)) * median(rs2.Blocks(r2))) })
	return s
}

// ratios are the pairs' baseline/candidate ratios.
func ratios(base, cand []int64) []float64 {
	r := make([]float64, len(base))
	for i := range base {
		r[i] = float64(base[i]) / float64(cand[i])
	}
	return r
}

// EstimateUnpaired summarises two samples taken apart, as the paper's
// protocol takes them (every candidate call, then every baseline call):
// the point is median(base)/median(cand) and the interval the percentile
// bootstrap of that ratio, resampling each side on its own.
func EstimateUnpaired(base, cand []int64, seed uint64) Speedup {
	if len(base) == 0 || len(cand) == 0 {
		return nanSpeedup
	}
	b, c := floats(base), floats(cand)
	s := Speedup{BaselineNS: median(b), CandidateNS: median(c)}
	s.Point = s.BaselineNS / s.CandidateNS
	rb, rc := newResampler(seed, len(b)), newResampler(seed+1, len(c))
	s.Low, s.High = bootstrap(func() float64 { return median(rb.Sample(b)) / median(rc.Sample(c)) })
	return s
}

// Widen adds, in quadrature on the log scale, a relative standard
// deviation sd to the interval's half-widths: the part of an estimate's
// error that more pairs in the same process cannot shrink (Config.RunToRun).
// The point stays; sd <= 0 leaves s as it is.
func (s Speedup) Widen(sd float64) Speedup {
	if sd <= 0 || !(s.Low > 0 && s.Point > 0 && s.High > 0) {
		return s
	}
	z := 1.959963984540054 * math.Log1p(sd)
	lo, hi := math.Log(s.Point/s.Low), math.Log(s.High/s.Point)
	s.Low = s.Point * math.Exp(-math.Hypot(lo, z))
	s.High = s.Point * math.Exp(math.Hypot(hi, z))
	return s
}

var nanSpeedup = Speedup{Point: math.NaN(), Low: math.NaN(), High: math.NaN()}

func floats(xs []int64) []float64 {
	f := make([]float64, len(xs))
	for i, x := range xs {
		f[i] = float64(x)
	}
	return f
}

// resampleStream is the random stream of the evaluator's bootstraps.
const resampleStream = 0x6c6573736f6e6c // "lessonl"

// newResampler is the resampler of n observations for seed.
func newResampler(seed uint64, n int) *stats.Resampler {
	return stats.NewResampler(seed, resampleStream, n)
}

// bootstrap returns the 2.5% and 97.5% percentiles of bootstrapResamples
// draws of stat.
func bootstrap(stat func() float64) (low, high float64) {
	draws := stats.Draws(bootstrapResamples, stat)
	return quantile(draws, 0.025), quantile(draws, 0.975)
}
