package stats

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Resampler draws bootstrap resamples of n observations from a random
// stream of its own, into one buffer that each draw overwrites.
type Resampler struct {
	rng *rand.Rand
	buf []float64
}

// NewResampler is a Resampler of n observations drawing from the stream
// (seed, stream).
func NewResampler(seed, stream uint64, n int) *Resampler {
	return &Resampler{rng: rand.New(rand.NewPCG(seed, stream)), buf: make([]float64, n)}
}

// Sample resamples xs with replacement.
func (r *Resampler) Sample(xs []float64) []float64 {
	for i := range xs {
		r.buf[i] = xs[r.rng.IntN(len(xs))]
	}
	return r.buf
}

// Blocks resamples xs, a series in time order, by the circular block
// bootstrap (Politis and Romano, 1992): runs of BlockLen consecutive
// observations from random starts, wrapping at the end. When the
// observations are not independent (a process that switches for seconds
// between a fast and a slow state), resampling them one by one gives an
// interval too narrow for the data; runs keep such stretches together,
// and for independent observations they cost little width.
func (r *Resampler) Blocks(xs []float64) []float64 {
	n := len(xs)
	b := BlockLen(n)
	for i := 0; i < n; {
		start := r.rng.IntN(n)
		for k := 0; k < b && i < n; k++ {
			r.buf[i] = xs[(start+k)%n]
			i++
		}
	}
	return r.buf
}

// BlockLen is the run length of the block bootstrap for n observations:
// n^(1/3) rounded up, the order that balances the interval's bias and
// variance for a median or mean (Hall, Horowitz and Jing, 1995).
func BlockLen(n int) int {
	return max(1, int(math.Ceil(math.Cbrt(float64(n)))))
}

// Draws is n draws of draw, sorted: what a percentile bootstrap takes its
// interval from (Quantile of them).
func Draws(n int, draw func() float64) []float64 {
	draws := make([]float64, n)
	for i := range draws {
		draws[i] = draw()
	}
	sort.Float64s(draws)
	return draws
}
