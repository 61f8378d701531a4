package analysis

import (
	"bytes"
	"testing"

	"github.com/lessonlab/lessonl/internal/stats"
)

// TestTextTablesGolden: analyze's metrics tables (speedup and pass@1
// rows) and compare's table, as a terminal shows them.
func TestTextTablesGolden(t *testing.T) {
	o := Options{Resamples: 500, Seed: 7}
	rs := append(fixedRuns().Results, genResults()...)
	var b bytes.Buffer
	if err := MetricsTable(&b, Metrics(rs, o), true); err != nil {
		t.Fatal(err)
	}
	b.WriteString("\n")
	cs, err := Compare(fixedRuns().Results, "single-a", o)
	if err != nil {
		t.Fatal(err)
	}
	CompareTable(&b, cs)
	matchGolden(t, "text-tables.golden", b.Bytes())
}

// TestResultsCarryWarnings: rows and comparisons carry
// the warnings of their tests and intervals: a category of two problems
// is too small for an interval, four pairs too few for the signed-rank
// test, and ties in paired differences move it to its approximation.
func TestResultsCarryWarnings(t *testing.T) {
	o := Options{Resamples: 200, Seed: 7}
	has := func(ws []string, kind error) bool { return stats.HasMessage(ws, kind) }
	for _, r := range Metrics(fixedRuns().Results, o) {
		if small := r.Problems < stats.MinIntervalN; has(r.Warnings, stats.ErrSmallN) != small {
			t.Errorf("%s/%s: %d problems, warnings %q", r.Strategy, r.Category, r.Problems, r.Warnings)
		}
	}
	base := func(p int, s int64) float64 { return 1.5 + 0.1*float64(p) }
	rs := append(results("single", "", []int64{1}, base), results("lessonl", "", []int64{1}, func(p int, s int64) float64 { return 3 * base(p, s) })...)
	cs, err := Compare(rs, "single", o)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || !has(cs[0].Warnings, stats.ErrSmallN) || !has(cs[0].Warnings, stats.ErrTies) || !has(cs[0].Warnings, stats.ErrDegenerate) {
		t.Errorf("comparison of four equal ratios: warnings %q, want small n, ties and a degenerate interval", cs[0].Warnings)
	}
}
