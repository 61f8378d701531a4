package analysis

import (
	"errors"
	"github.com/lessonlab/lessonl/internal/stats"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// WilcoxonResult is a Wilcoxon signed-rank test of paired samples.
type WilcoxonResult struct {
	N         int     // pairs used (zero differences dropped)
	WPlus     float64 // sum of the ranks of positive differences
	WMinus    float64 // sum of the ranks of negative differences
	Statistic float64 // min(WPlus, WMinus), as scipy reports for two-sided tests
	P         float64 // two-sided p-value
	Exact     bool    // p from the exact null distribution
}

// Wilcoxon tests whether the paired differences x−y are centred on zero,
// two-sided, matching scipy.stats.wilcoxon(x, y) with its defaults
// (zero_method "wilcox": zero differences are dropped; correction off;
// method "auto", as in scipy 1.10): the exact distribution when there are
// at most 50 pairs, no zero differences and no ties among the absolute
// differences; else the normal approximation with the tie correction of
// the variance, over the pairs left after dropping zeros.
func Wilcoxon(x, y []float64) (WilcoxonResult, error) {
	if len(x) != len(y) {
		return WilcoxonResult{}, errors.New("wilcoxon: samples differ in length")
	}
	var d []float64
	zeros := false
	for i := range x {
		if diff := x[i] - y[i]; diff != 0 {
			d = append(d, diff)
		} else {
			zeros = true
		}
	}
	n := len(d)
	if n == 0 {
		return WilcoxonResult{P: 1}, nil
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return math.Abs(d[idx[a]]) < math.Abs(d[idx[b]]) })
	ranks := make([]float64, n)
	ties := false
	var tieTerm float64 // Σ (t³ − t) over tie groups
	for i := 0; i < n; {
		j := i
		for j+1 < n && math.Abs(d[idx[j+1]]) == math.Abs(d[idx[i]]) {
			j++
		}
		r := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			ranks[idx[k]] = r
		}
		if t := float64(j - i + 1); t > 1 {
			ties = true
			tieTerm += t*t*t - t
		}
		i = j + 1
	}
	res := WilcoxonResult{N: n}
	for i, v := range d {
		if v > 0 {
			res.WPlus += ranks[i]
		} else {
			res.WMinus += ranks[i]
		}
	}
	res.Statistic = math.Min(res.WPlus, res.WMinus)
	if n <= 50 && !ties && !zeros {
		res.Exact = true
		res.P = exactSignedRankP(n, res.Statistic)
		return res, nil
	}
	mean := float64(n*(n+1)) / 4
	sd := math.Sqrt(float64(n*(n+1)*(2*n+1))/24 - tieTerm/48)
	if sd == 0 {
		res.P = 1
		return res, nil
	}
	z := (res.Statistic - mean) / sd
	res.P = math.Min(1, 2*distuv.UnitNormal.CDF(z))
	return res, nil
}

// exactSignedRankP is the two-sided exact p-value of the statistic
// min(W+, W−) = w with n pairs: 2·P(W ≤ w) under the null, capped at 1.
func exactSignedRankP(n int, w float64) float64 {
	max := n * (n + 1) / 2
	counts := make([]float64, max+1) // ways to reach each rank sum
	counts[0] = 1
	for k := 1; k <= n; k++ {
		for s := max; s >= k; s-- {
			counts[s] += counts[s-k]
		}
	}
	total := math.Pow(2, float64(n))
	cum := 0.0
	for s := 0; s <= int(math.Floor(w)); s++ {
		cum += counts[s]
	}
	return math.Min(1, 2*cum/total)
}

// Holm adjusts p-values for multiple comparisons by Holm's step-down
// method, as statsmodels' multipletests(method="holm"): sorted ascending,
// the i-th (from 0) is multiplied by m−i, made monotone, and capped at 1.
func Holm(p []float64) []float64 {
	m := len(p)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	out := make([]float64, m)
	running := 0.0
	for rank, i := range idx {
		v := math.Min(1, float64(m-rank)*p[i])
		running = math.Max(running, v)
		out[i] = running
	}
	return out
}

// MedianRatio is the median of the paired ratios x[i]/y[i] with a
// percentile bootstrap interval over pairs.
func MedianRatio(x, y []float64, resamples int, seed uint64, level float64) (point, lo, hi float64) {
	r := make([]float64, len(x))
	for i := range x {
		r[i] = x[i] / y[i]
	}
	if len(r) == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	point = medianOf(r)
	rng := rand.New(rand.NewPCG(seed, 0x6d656469616e))
	stats := make([]float64, resamples)
	buf := make([]float64, len(r))
	for b := range stats {
		for i := range buf {
			buf[i] = r[rng.IntN(len(r))]
		}
		stats[b] = medianOf(buf)
	}
	low, high := percentiles(stats, level)
	return point, low, high
}

// medianOf is internal/stats's Median.
var medianOf = stats.Median
