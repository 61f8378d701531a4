package analysis

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

func results(strategy, variant string, seeds []int64, sp func(problem int, seed int64) float64) []record.Result {
	var out []record.Result
	for p := 0; p < 4; p++ {
		for _, s := range seeds {
			out = append(out, record.Result{Strategy: strategy, Variant: variant, ProblemID: string(rune('a' + p)), Category: []string{"sort", "scan"}[p%2],
				Seed: s, Speedup: sp(p, s), Correct: true, Status: "correct"})
		}
	}
	return out
}

// TestDeltas compares old and new sides: a doubling on paired cells is
// significant by Wilcoxon; equal sides are "~"; sides with no cell in
// common are tested unpaired; a strategy on one side only is said so.
func TestDeltas(t *testing.T) {
	base := func(p int, s int64) float64 { return 1.5 + 0.1*float64(p) + 0.01*float64(s) }
	double := func(p int, s int64) float64 { return 2 * base(p, s) }
	old := Side{"old", append(results("lessonl", "", []int64{1, 2}, base), results("single", "", []int64{1, 2}, base)...)}
	old.Results = append(old.Results, results("gone", "", []int64{1}, base)...)
	new := Side{"new", append(results("lessonl", "", []int64{1, 2}, double), results("single", "", []int64{1, 2}, base)...)}
	new.Results = append(new.Results, results("single", "k=2", []int64{3, 4}, double)...)
	old.Results = append(old.Results, results("single", "k=2", []int64{1, 2}, base)...)

	ds := Deltas(old, new, Options{Resamples: 400})
	get := func(strategy, variant, category string) Delta {
		for _, d := range ds {
			if d.Strategy == strategy && d.Variant == variant && d.Category == category {
				return d
			}
		}
		t.Fatalf("no delta for %s [%s] %s", strategy, variant, category)
		return Delta{}
	}
	tests := []struct {
		name        string
		d           Delta
		ratio       float64
		test        string
		pairs       int
		significant bool
	}{
		{"doubled, paired", get("lessonl", "", AllCategories), 2, "wilcoxon", 8, true},
		{"unchanged", get("single", "", AllCategories), 1, "wilcoxon", 8, false},
		{"doubled, no common cells", get("single", "k=2", AllCategories), 2, "mann-whitney", 0, true},
		{"per category", get("lessonl", "", "sort"), 2, "wilcoxon", 4, false}, // 4 pairs cannot reach p < 0.05
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.d
			if math.Abs(d.Ratio-tt.ratio) > 0.03 || d.Test != tt.test || d.Pairs != tt.pairs || d.Significant != tt.significant {
				t.Errorf("got ratio %.3f, %s, %d pairs, significant %v (p %.4f); want %.3f, %s, %d, %v",
					d.Ratio, d.Test, d.Pairs, d.Significant, d.P, tt.ratio, tt.test, tt.pairs, tt.significant)
			}
			if !(d.RatioLow <= d.Ratio && d.Ratio <= d.RatioHigh) {
				t.Errorf("interval [%.3f, %.3f] leaves out %.3f", d.RatioLow, d.RatioHigh, d.Ratio)
			}
		})
	}
	if g := get("gone", "", AllCategories); g.NewN != 0 || g.OldN != 4 || !math.IsNaN(g.Ratio) {
		t.Errorf("strategy on the old side only: %+v", g)
	}
	var buf bytes.Buffer
	if err := DeltaTable(&buf, "runs/a", "runs/b", ds, false); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"OLD: runs/a", "NEW: runs/b", "+100.0% [", "~ (+0.0%", "(one side only)", "wilcoxon, 8 pairs", "mann-whitney"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sort") {
		t.Errorf("category rows without categories:\n%s", out)
	}
}

func TestSplitBy(t *testing.T) {
	rs := append(results("lessonl", "k=2,selection=paper", []int64{1}, func(int, int64) float64 { return 2 }),
		results("lessonl", "k=4,selection=paper", []int64{1}, func(int, int64) float64 { return 3 })...)
	sides, err := SplitBy(rs, "k")
	if err != nil {
		t.Fatal(err)
	}
	if len(sides) != 2 || sides[0].Name != "k=2" || sides[1].Name != "k=4" || sides[0].Results[0].Variant != "selection=paper" {
		t.Fatalf("sides %+v", sides)
	}
	if _, err := SplitBy(rs, "model"); err == nil || !strings.Contains(err.Error(), "[k selection]") {
		t.Errorf("an absent key: %v", err)
	}
}
