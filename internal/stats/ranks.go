package stats

import (
	"errors"
	"math"
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
	// Warnings: too few pairs to reach p < Alpha at all (ErrSmallN), or
	// ties or zero differences that sent the test to its normal
	// approximation (ErrTies).
	Warnings []error
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
		return WilcoxonResult{P: 1, Warnings: []error{warnf(ErrSmallN, "every pair is equal: nothing to test")}}, nil
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
	if need := MinSignedRankPairs(Alpha, 1); n < need {
		res.Warnings = append(res.Warnings, warnf(ErrSmallN, "%d pairs: the signed-rank test needs at least %d to ever reach p < %.2f", n, need, Alpha))
	}
	if n <= 50 && !ties && !zeros {
		res.Exact = true
		res.P = exactSignedRankP(n, res.Statistic)
		return res, nil
	}
	if n <= 50 {
		res.Warnings = append(res.Warnings, warnf(ErrTies, "tied or zero differences among %d pairs: p from the normal approximation", len(x)))
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

// MinSignedRankPairs is the fewest pairs with which a two-sided Wilcoxon
// signed-rank test can reach p < alpha at all, after Holm's correction
// over m comparisons (m = 1: none). With n pairs and no ties the smallest
// exact two-sided p is 2/2ⁿ (every difference of one sign), and Holm's
// first step multiplies it by m: below this n the test never rejects,
// whatever the data (n = 6 for α = 0.05 alone; 2/2⁵ = 0.0625).
func MinSignedRankPairs(alpha float64, m int) int {
	m = max(m, 1)
	for n := 1; n < 64; n++ {
		if float64(m)*2/math.Pow(2, float64(n)) < alpha {
			return n
		}
	}
	return 64
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

// UTest is a two-sided Mann-Whitney U test of two samples that are not
// paired.
type UTest struct {
	U      float64 // x's statistic
	P      float64 // two-sided p-value
	N1, N2 int
	// Warnings: samples too small for any data to reach p < Alpha
	// (ErrSmallN), ties among the values (ErrTies: the variance is
	// tie-corrected).
	Warnings []error
}

// MannWhitney is the two-sided Mann-Whitney U test of x against y with the
// normal approximation, tie correction and continuity correction (scipy's
// mannwhitneyu with method="asymptotic"): for two samples that are not
// paired. U is x's statistic. MannWhitneyTest returns its warnings too.
func MannWhitney(x, y []float64) (u, p float64) {
	t := MannWhitneyTest(x, y)
	return t.U, t.P
}

// MannWhitneyTest is MannWhitney with its warnings; U and P are NaN when a
// sample is empty.
func MannWhitneyTest(x, y []float64) UTest {
	n1, n2 := float64(len(x)), float64(len(y))
	t := UTest{N1: len(x), N2: len(y)}
	if n1 == 0 || n2 == 0 {
		t.U, t.P = math.NaN(), math.NaN()
		t.Warnings = []error{warnf(ErrSmallN, "a sample is empty: nothing to test")}
		return t
	}
	type v struct {
		x    float64
		left bool
	}
	all := make([]v, 0, len(x)+len(y))
	for _, a := range x {
		all = append(all, v{a, true})
	}
	for _, b := range y {
		all = append(all, v{b, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].x < all[j].x })
	var r1, ties float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].x == all[i].x {
			j++
		}
		rank := float64(i+j+1) / 2 // ranks i+1..j averaged
		g := float64(j - i)
		ties += g*g*g - g
		for k := i; k < j; k++ {
			if all[k].left {
				r1 += rank
			}
		}
		i = j
	}
	t.U = r1 - n1*(n1+1)/2
	n := n1 + n2
	mu := n1 * n2 / 2
	if pmin := uPValue(n1*n2/2, n1*n2/12*(n+1)); pmin >= Alpha {
		t.Warnings = append(t.Warnings, warnf(ErrSmallN, "samples of %d and %d: the U test cannot reach p < %.2f (smallest p %.3f)", len(x), len(y), Alpha, pmin))
	}
	if ties > 0 {
		t.Warnings = append(t.Warnings, warnf(ErrTies, "tied values: tie-corrected normal approximation"))
	}
	t.P = uPValue(math.Abs(t.U-mu), n1*n2/12*((n+1)-ties/(n*(n-1))))
	return t
}

// uPValue is the two-sided p of a U statistic dev = |U − μ| away from its
// mean, with variance v and the continuity correction.
func uPValue(dev, v float64) float64 {
	sigma := math.Sqrt(v)
	if sigma == 0 {
		return 1
	}
	z := (dev - 0.5) / sigma
	if z < 0 {
		z = 0
	}
	return math.Min(1, 2*distuv.UnitNormal.Survival(z))
}

// Disagrees reports whether an interval [lo, hi] around a change and a
// test's verdict contradict each other: the interval excludes null (no
// change) while the test finds no significant difference, or the
// reverse. The two are different methods (a bootstrap interval over
// cells, a test on ranks), so they can.
func Disagrees(significant bool, lo, hi, null float64) bool {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return false
	}
	excludes := lo > null || hi < null
	return excludes != significant
}
