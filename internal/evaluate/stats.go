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
	n := len(base)
	if n == 0 || len(cand) != n {
		return Speedup{Point: math.NaN(), Low: math.NaN(), High: math.NaN()}
	}
	b := make([]float64, n)
	c := make([]float64, n)
	for i := range base {
		b[i], c[i] = float64(base[i]), float64(cand[i])
	}
	s := Speedup{BaselineNS: median(b), CandidateNS: median(c)}
	s.Point = s.BaselineNS / s.CandidateNS
	rng := rand.New(rand.NewPCG(seed, 0x6c6573736f6e6c))
	ratios := make([]float64, bootstrapResamples)
	rb := make([]float64, n)
	rc := make([]float64, n)
	for k := range ratios {
		for i := 0; i < n; i++ {
			j := rng.IntN(n)
			rb[i], rc[i] = b[j], c[j]
		}
		ratios[k] = median(rb) / median(rc)
	}
	sort.Float64s(ratios)
	s.Low, s.High = quantile(ratios, 0.025), quantile(ratios, 0.975)
	return s
}
