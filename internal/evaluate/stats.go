package evaluate

import (
	"math"
	"math/rand/v2"
	"sort"
)

// median returns the median of xs (the mean of the middle two when even).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// quantile returns the q-quantile of sorted s by linear interpolation
// between order statistics (type 7, as R and NumPy default).
func quantile(s []float64, q float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	h := q * float64(len(s)-1)
	lo := math.Floor(h)
	if int(lo) >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[int(lo)] + (h-lo)*(s[int(lo)+1]-s[int(lo)])
}

// Speedup summarises paired timings: the point estimate is
// median(baseline)/median(candidate), and the 95% interval is the
// percentile bootstrap of that ratio, resampling pairs together (a pair was
// measured back to back, so slow drifts of the machine hit both sides).
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
	b, c := floats(base), floats(cand)
	s := Speedup{BaselineNS: median(b), CandidateNS: median(c)}
	s.Point = s.BaselineNS / s.CandidateNS
	r := newResampler(seed, len(b))
	s.Low, s.High = bootstrap(func() float64 { return r.pairedRatio(b, c) })
	return s
}

// EstimateBalanced is EstimateSpeedup for pairs timed in two builds that
// swap the sides' places in the binary: base[:split] and cand[:split] in
// one, the rest in the other. The point is the geometric mean of the two
// builds' ratios of medians, so a placement effect that favours whichever
// side is linked first cancels out; the interval bootstraps each build's
// pairs on their own. BaselineNS and CandidateNS are the geometric means of
// the builds' medians. Without pairs on both sides of split it is
// EstimateSpeedup.
func EstimateBalanced(base, cand []int64, split int, seed uint64) Speedup {
	if split <= 0 || split >= len(base) || len(cand) != len(base) {
		return EstimateSpeedup(base, cand, seed)
	}
	b1, c1 := floats(base[:split]), floats(cand[:split])
	b2, c2 := floats(base[split:]), floats(cand[split:])
	s := Speedup{BaselineNS: math.Sqrt(median(b1) * median(b2)), CandidateNS: math.Sqrt(median(c1) * median(c2))}
	s.Point = s.BaselineNS / s.CandidateNS
	r1, r2 := newResampler(seed, len(b1)), newResampler(seed+1, len(b2))
	s.Low, s.High = bootstrap(func() float64 { return math.Sqrt(r1.pairedRatio(b1, c1) * r2.pairedRatio(b2, c2)) })
	return s
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
	s.Low, s.High = bootstrap(func() float64 { return median(rb.sample(b)) / median(rc.sample(c)) })
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

// resampler draws bootstrap resamples of n observations.
type resampler struct {
	rng    *rand.Rand
	rb, rc []float64
}

func newResampler(seed uint64, n int) *resampler {
	return &resampler{rng: rand.New(rand.NewPCG(seed, 0x6c6573736f6e6c)), rb: make([]float64, n), rc: make([]float64, n)}
}

// pairedRatio resamples pairs together and returns the ratio of the
// resample's medians.
func (r *resampler) pairedRatio(b, c []float64) float64 {
	for i := range b {
		j := r.rng.IntN(len(b))
		r.rb[i], r.rc[i] = b[j], c[j]
	}
	return median(r.rb) / median(r.rc)
}

// sample resamples xs alone.
func (r *resampler) sample(xs []float64) []float64 {
	for i := range xs {
		r.rb[i] = xs[r.rng.IntN(len(xs))]
	}
	return r.rb
}

// bootstrap returns the 2.5% and 97.5% percentiles of bootstrapResamples
// draws of stat.
func bootstrap(stat func() float64) (low, high float64) {
	draws := make([]float64, bootstrapResamples)
	for k := range draws {
		draws[k] = stat()
	}
	sort.Float64s(draws)
	return quantile(draws, 0.025), quantile(draws, 0.975)
}
