package stats

import (
	"math"
	"math/rand/v2"
)

// Interval is a point estimate with a central percentile bootstrap
// interval and the warnings that go with it.
type Interval struct {
	Point, Low, High float64
	// N is how many observations (or, nested, groups) were resampled.
	N int
	// Warnings: fewer than MinIntervalN observations or groups
	// (ErrSmallN), or every resample gave one value (ErrDegenerate).
	Warnings []error
}

// Bootstrap is a percentile bootstrap: Resamples draws from a random
// stream seeded by Seed, and the central Level interval of the draws.
type Bootstrap struct {
	Resamples int
	Seed      uint64
	Level     float64
}

// The random streams of the bootstraps: each kind of interval draws from
// its own, so that adding one kind leaves the others' intervals as they
// were.
const (
	streamNested = 0x616e616c79736973 // "analysis"
	streamMedian = 0x6d656469616e     // "median"
	streamMean   = 0x64656c7461       // "delta"
)

func (b Bootstrap) rng(stream uint64) *rand.Rand { return rand.New(rand.NewPCG(b.Seed, stream)) }

// interval draws b.Resamples values of draw and returns their central
// interval around point, with its warnings for n observations.
func (b Bootstrap) interval(point float64, n int, what string, draw func() float64) Interval {
	iv := Interval{Point: point, N: n}
	iv.Low, iv.High = Percentiles(Draws(b.Resamples, draw), b.Level)
	if n < MinIntervalN {
		iv.Warnings = append(iv.Warnings, warnf(ErrSmallN, "%d %s: an interval needs at least %d", n, what, MinIntervalN))
	}
	if iv.High-iv.Low <= 1e-9*math.Max(1, math.Abs(iv.Point)) { // equal but for rounding
		iv.Warnings = append(iv.Warnings, warnf(ErrDegenerate, "every resample gave %.4g", iv.Low))
	}
	return iv
}

func nanInterval(what string) Interval {
	return Interval{Point: math.NaN(), Low: math.NaN(), High: math.NaN(), Warnings: []error{warnf(ErrSmallN, "no %s", what)}}
}

// Nested computes stat over all values and a percentile interval by
// resampling the groups (problems) with replacement and, within each
// chosen group, its values (seeds) with replacement: the two levels of
// variation of a benchmark run. N is the number of groups.
func (b Bootstrap) Nested(groups [][]float64, stat func([]float64) float64) Interval {
	var all []float64
	for _, g := range groups {
		all = append(all, g...)
	}
	if len(all) == 0 {
		return nanInterval("values")
	}
	rng := b.rng(streamNested)
	buf := make([]float64, 0, len(all))
	return b.interval(stat(all), len(groups), "groups", func() float64 {
		buf = buf[:0]
		for range groups {
			g := groups[rng.IntN(len(groups))]
			for range g {
				buf = append(buf, g[rng.IntN(len(g))])
			}
		}
		return stat(buf)
	})
}

// MedianRatio is the median of the paired ratios x[i]/y[i] with a
// percentile bootstrap interval over pairs.
func (b Bootstrap) MedianRatio(x, y []float64) Interval {
	r := make([]float64, len(x))
	for i := range x {
		r[i] = x[i] / y[i]
	}
	if len(r) == 0 {
		return nanInterval("pairs")
	}
	rng := b.rng(streamMedian)
	buf := make([]float64, len(r))
	return b.interval(Median(r), len(r), "pairs", func() float64 {
		for i := range buf {
			buf[i] = r[rng.IntN(len(r))]
		}
		return Median(buf)
	})
}

// Mean is f of the mean of d, with the interval of f over resampled means
// (f nil: the mean itself). With d paired differences of logs and f
// math.Exp it is a geometric-mean ratio; f applies to each draw before
// the percentiles are taken.
func (b Bootstrap) Mean(d []float64, f func(float64) float64) Interval {
	if len(d) == 0 {
		return nanInterval("values")
	}
	f = orIdentity(f)
	rng := b.rng(streamMean)
	return b.interval(f(Mean(d)), len(d), "values", func() float64 { return f(resampledMean(rng, d)) })
}

// MeanDifference is f of mean(y) − mean(x) for two samples that are not
// paired, with the interval of f over differences of resampled means
// (each sample resampled on its own; f nil: the difference itself). N is
// the smaller sample's size.
func (b Bootstrap) MeanDifference(y, x []float64, f func(float64) float64) Interval {
	if len(x) == 0 || len(y) == 0 {
		return nanInterval("values on one side")
	}
	f = orIdentity(f)
	rng := b.rng(streamMean)
	return b.interval(f(Mean(y)-Mean(x)), min(len(x), len(y)), "values", func() float64 {
		return f(resampledMean(rng, y) - resampledMean(rng, x))
	})
}

func orIdentity(f func(float64) float64) func(float64) float64 {
	if f == nil {
		return func(x float64) float64 { return x }
	}
	return f
}

func resampledMean(rng *rand.Rand, xs []float64) float64 {
	s := 0.0
	for range xs {
		s += xs[rng.IntN(len(xs))]
	}
	return s / float64(len(xs))
}

// Percentiles is the central level interval of sorted bootstrap draws
// (see Draws), by Quantile.
func Percentiles(draws []float64, level float64) (low, high float64) {
	alpha := (1 - level) / 2
	return Quantile(draws, alpha), Quantile(draws, 1-alpha)
}
