// Package stats is the one home of the summary statistics lessonl uses in
// more than one place: median, quantile, standard deviation, geometric
// mean, and the Mann-Whitney U test. The evaluator (speedups from timing
// pairs) and analysis (metrics over cells) both call it, so a quantile
// means the same thing everywhere. Standard deviations come from gonum's
// stat package.
package stats
