// Package stats is the one home of lessonl's statistics: summaries
// (median, quantile, mean, standard deviation, geometric mean), rank tests
// (Wilcoxon's signed-rank test for pairs, Mann-Whitney's U test for two
// samples, Holm's correction over several), and percentile bootstrap
// intervals (nested over problems and seeds, of a mean, of a difference
// of means, of a median ratio; a Resampler, plain or by the circular
// block bootstrap, with Draws for intervals built elsewhere), and the
// unbiased pass@k estimator. The evaluator (speedups from timing pairs)
// and analysis (metrics over cells) both call it, so a quantile and a
// resample mean the same thing everywhere.
//
// As golang.org/x/perf's benchmath does, every test and interval returns
// its warnings with its result (Warnings, a list of errors that stop
// nothing): too few observations for the result to say anything (ErrSmallN),
// ties that move a test to its normal approximation (ErrTies), and an
// interval that collapsed to a point (ErrDegenerate). Callers show them
// beside the result; errors.Is tells the kinds apart.
package stats
