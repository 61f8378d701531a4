package analysis

import (
	"bytes"
	"testing"
)

// TestMinSignedRankPairs: with n pairs the smallest two-sided exact p is
// 2/2ⁿ, so α = 0.05 needs 6 pairs alone and more under Holm's correction;
// the exact test agrees at the boundary.
func TestMinSignedRankPairs(t *testing.T) {
	for _, c := range []struct{ m, want int }{{1, 6}, {2, 7}, {3, 7}, {4, 8}, {10, 9}} {
		if got := MinSignedRankPairs(0.05, c.m); got != c.want {
			t.Errorf("m = %d: %d pairs, want %d", c.m, got, c.want)
		}
	}
	for _, c := range []struct {
		n   int
		sig bool
	}{{5, false}, {6, true}} {
		x, y := make([]float64, c.n), make([]float64, c.n)
		for i := range x {
			x[i] = float64(i + 1)
		}
		w, err := Wilcoxon(x, y)
		if err != nil {
			t.Fatal(err)
		}
		if (w.P < Alpha) != c.sig {
			t.Errorf("%d pairs all one sign: p = %.4f, significant %v, want %v", c.n, w.P, w.P < Alpha, c.sig)
		}
	}
}

// TestDeltaTableSmallN: four pairs that all doubled have an interval
// excluding no change but cannot reach p < 0.05; the row is marked as a
// disagreement, explained, and the table warns that 6 pairs are needed.
// Eight pairs that doubled are significant, with no mark and no warning.
func TestDeltaTableSmallN(t *testing.T) {
	base := func(p int, s int64) float64 { return 1.5 + 0.1*float64(p) + 0.01*float64(s) }
	double := func(p int, s int64) float64 { return 2 * base(p, s) * (1 + 0.05*float64(p)) }
	for _, c := range []struct {
		name  string
		seeds []int64
	}{{"delta-small-n.golden", []int64{1}}, {"delta-enough-n.golden", []int64{1, 2}}} {
		old := Side{Name: "abl", Results: results("lessonl", "", c.seeds, base)}
		new := Side{Name: "abl-r2", Results: results("lessonl", "", c.seeds, double)}
		var b bytes.Buffer
		if err := DeltaTable(&b, old.Name, new.Name, Deltas(old, new, Options{Resamples: 400}), false); err != nil {
			t.Fatal(err)
		}
		matchGolden(t, c.name, b.Bytes())
	}
}

// TestCompareTableSmallN: with two comparisons of four pairs each,
// Holm's correction needs 7 pairs; the table says so and marks the row
// whose interval excludes 1.
func TestCompareTableSmallN(t *testing.T) {
	base := func(p int, s int64) float64 { return 1.5 + 0.1*float64(p) }
	rs := append(results("single", "", []int64{1}, base), results("lessonl", "", []int64{1}, func(p int, s int64) float64 { return 3 * base(p, s) })...)
	rs = append(rs, results("voting", "", []int64{1}, func(p int, s int64) float64 { return base(p, s) * (1 + 0.1*float64(p%2*2-1)) })...)
	cs, err := Compare(rs, "single", Options{Resamples: 400})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	CompareTable(&b, cs)
	matchGolden(t, "compare-small-n.golden", b.Bytes())
	for _, c := range cs {
		if c.MinPairs != 7 {
			t.Errorf("%s: min pairs %d, want 7", c.Label, c.MinPairs)
		}
	}
}
