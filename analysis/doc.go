// Package analysis turns run folders into statistics, tables, figures
// and reports, in three layers, as benchstat does:
//
//   - Keys (keys.go, load.go): Load reads the records of one or more run
//     folders (through internal/record) and gives every cell's result its
//     grouping keys as data: run, mode, protocol, model and the strategy's
//     parameters, from the manifest's resolved spec and defaults and the
//     cells table. The variant label tables show is made from the keys in
//     one place (Keys.Variant); nothing parses it back. SplitBy groups by
//     any key for old/new comparisons inside a run.
//   - Statistics (metrics.go, delta.go, compare.go, generate.go, views.go):
//     summaries and comparisons with their uncertainty. Every test and
//     interval (bootstrap intervals, Wilcoxon and Mann-Whitney tests,
//     Holm's correction, pass@k) is internal/stats's, which returns its
//     warnings (small n, ties, intervals of one point) with its result;
//     rows, deltas and comparisons carry them. Code optimization is
//     summarised by speedups, code generation by pass@1.
//   - Formatters (text.go, report.go, latex.go, plots.go, and the tables'
//     methods): each table is built once as an internal/table Table and
//     written by that package's writer for the format (text, Markdown,
//     LaTeX; HTML and JSON too). The speedup metrics are declared once as
//     column descriptors (columns.go) that the tables pick from.
//
// Every path that lays results out (Metrics, analyze, the report's
// Markdown and LaTeX, compare, deltas, ablations, the sim banner, the
// browser's reading) asks the result's task's reporter for its part
// (layout.go): optimize's speedup layout (report.go) and generate's
// Table 2 layout (generate.go) are Reporters like any other task's, whose
// results get a section of their own (task.go).
package analysis
