package analysis

import (
	"fmt"
	"math"
)

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

// disagrees reports whether an interval [lo, hi] around a change and a
// test's verdict contradict each other: the interval excludes null (no
// change) while the test finds no significant difference, or the
// reverse. The two are different methods (a bootstrap interval over
// cells, a test on ranks), so they can.
func disagrees(significant bool, lo, hi, null float64) bool {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return false
	}
	excludes := lo > null || hi < null
	return excludes != significant
}

// Disagreement is the footnote mark of a row whose interval and test
// disagree (see disagrees).
const Disagreement = "†"

// disagreementNote explains the mark under a table.
func disagreementNote() string {
	return Disagreement + " the interval (a bootstrap over cells) and the test (on ranks) disagree about whether anything changed: " +
		"they are different methods, and with few cells neither settles it"
}

// smallNWarning says, as benchstat does, that rows with fewer than the
// minimum pairs can never be significant, or "" when none has so few.
// pairs are the rows' numbers of pairs (0 for unpaired rows, skipped); m
// is the number of comparisons Holm's correction runs over (1: none).
func smallNWarning(pairs []int, m int) string {
	need := MinSignedRankPairs(Alpha, m)
	few, least := 0, math.MaxInt
	for _, n := range pairs {
		if n > 0 && n < need {
			few++
			least = min(least, n)
		}
	}
	if few == 0 {
		return ""
	}
	holm := ""
	if m > 1 {
		holm = fmt.Sprintf(" after Holm's correction over %d comparisons", m)
	}
	rows := "1 row has"
	if few > 1 {
		rows = fmt.Sprintf("%d rows have", few)
	}
	return fmt.Sprintf("warning: %s too few pairs (as few as %d) for the Wilcoxon signed-rank test to ever reach p < %.2f%s: "+
		"with n pairs its smallest two-sided p is 2/2^n (×%d), so it needs at least %d pairs; a ~ there says nothing either way: add problems or seeds",
		rows, least, Alpha, holm, max(m, 1), need)
}
