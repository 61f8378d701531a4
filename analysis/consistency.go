package analysis

import (
	"fmt"
	"math"

	"github.com/lessonlab/lessonl/internal/stats"
)

// Disagreement is the footnote mark of a row whose interval and test
// disagree (see disagrees).
const Disagreement = "†"

// disagreementNote explains the mark under a table.
func disagreementNote() string {
	return Disagreement + " the interval (a bootstrap over cells) and the test (on ranks) disagree about whether anything changed: " +
		"they are different methods, and with few cells neither settles it"
}

// degenerateWarning says that rows' intervals collapsed to a point, or
// "" when none did. warnings are the rows' (stats.Messages).
func degenerateWarning(warnings [][]string) string {
	n := 0
	for _, w := range warnings {
		if stats.HasMessage(w, stats.ErrDegenerate) {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	rows := "1 row has"
	if n > 1 {
		rows = fmt.Sprintf("%d rows have", n)
	}
	return fmt.Sprintf("warning: %s an interval of one point (every bootstrap resample gave the same value): "+
		"few cells, or cells that all changed alike, show no spread, which is not the same as no uncertainty; add problems or seeds", rows)
}

// smallNWarning says, as benchstat does, that rows with fewer than the
// minimum pairs can never be significant, or "" when none has so few.
// pairs are the rows' numbers of pairs (0 for unpaired rows, skipped); m
// is the number of comparisons Holm's correction runs over (1: none).
func smallNWarning(pairs []int, m int) string {
	need := stats.MinSignedRankPairs(Alpha, m)
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
