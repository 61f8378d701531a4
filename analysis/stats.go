package analysis

import (
	"github.com/lessonlab/lessonl/internal/stats"
)

// The tests and intervals analysis runs live in internal/stats, which
// returns each with its warnings; these names are analysis's API for them.

// WilcoxonResult is a Wilcoxon signed-rank test of paired samples (see
// stats.WilcoxonResult).
type WilcoxonResult = stats.WilcoxonResult

// Wilcoxon is the two-sided signed-rank test of x−y, as scipy's (see
// stats.Wilcoxon).
func Wilcoxon(x, y []float64) (WilcoxonResult, error) { return stats.Wilcoxon(x, y) }

// Holm adjusts p-values by Holm's step-down method (see stats.Holm).
func Holm(p []float64) []float64 { return stats.Holm(p) }

// MinSignedRankPairs is the fewest pairs with which the signed-rank test
// can reach p < alpha after Holm's correction over m comparisons (see
// stats.MinSignedRankPairs).
func MinSignedRankPairs(alpha float64, m int) int { return stats.MinSignedRankPairs(alpha, m) }

// NestedBootstrap is stat over all values with a percentile interval
// resampling groups (problems) and, within them, values (seeds); see
// stats.Bootstrap.Nested, which returns the interval's warnings too.
func NestedBootstrap(groups [][]float64, stat func([]float64) float64, resamples int, seed uint64, level float64) (point, lo, hi float64) {
	iv := stats.Bootstrap{Resamples: resamples, Seed: seed, Level: level}.Nested(groups, stat)
	return iv.Point, iv.Low, iv.High
}

// bootstrap is the bootstrap o asks for.
func (o Options) bootstrap() stats.Bootstrap {
	return stats.Bootstrap{Resamples: o.Resamples, Seed: o.Seed, Level: o.Level}
}

// logMean and std are internal/stats's: one definition for analysis and
// the evaluator.
var (
	logMean = stats.LogMean
	std     = stats.Std
)
