package stats

import (
	"errors"
	"math"
	"testing"
)

// TestWarnings: each test and interval returns the warnings its inputs
// call for, and none when the inputs are ample.
func TestWarnings(t *testing.T) {
	seq := func(n int, f func(i int) float64) []float64 {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = f(i)
		}
		return xs
	}
	zero := func(n int) []float64 { return make([]float64, n) }
	up := func(i int) float64 { return float64(i + 1) }
	boot := Bootstrap{Resamples: 200, Seed: 1, Level: 0.95}
	wil := func(x, y []float64) []error {
		w, err := Wilcoxon(x, y)
		if err != nil {
			t.Fatal(err)
		}
		return w.Warnings
	}
	tests := []struct {
		name     string
		warnings []error
		want     []error
	}{
		{"wilcoxon 5 pairs", wil(seq(5, up), zero(5)), []error{ErrSmallN}},
		{"wilcoxon 8 pairs", wil(seq(8, up), zero(8)), nil},
		{"wilcoxon ties", wil(seq(10, func(i int) float64 { return float64(i/2 + 1) }), zero(10)), []error{ErrTies}},
		{"wilcoxon all equal", wil(zero(4), zero(4)), []error{ErrSmallN}},
		{"u test 3 and 3", MannWhitneyTest([]float64{1, 2, 3}, []float64{4, 5, 6}).Warnings, []error{ErrSmallN}},
		{"u test ties", MannWhitneyTest([]float64{1, 2, 2, 3}, []float64{2, 3, 4, 5}).Warnings, []error{ErrTies}},
		{"u test ample", MannWhitneyTest(seq(6, up), seq(6, func(i int) float64 { return float64(i) + 0.5 })).Warnings, nil},
		{"nested constant", boot.Nested([][]float64{{2, 2}, {2}, {2, 2}}, Mean).Warnings, []error{ErrDegenerate}},
		{"nested two groups", boot.Nested([][]float64{{1, 2}, {3, 4}}, Mean).Warnings, []error{ErrSmallN}},
		{"nested ample", boot.Nested([][]float64{{1, 2}, {3, 4}, {5, 7}}, Mean).Warnings, nil},
		{"mean empty", boot.Mean(nil, nil).Warnings, []error{ErrSmallN}},
		{"median ratio ample", boot.MedianRatio([]float64{2, 3, 4, 5}, []float64{1, 1, 2, 2}).Warnings, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.warnings) != len(tt.want) {
				t.Fatalf("warnings %v, want kinds %v", tt.warnings, tt.want)
			}
			for i, w := range tt.warnings {
				if !errors.Is(w, tt.want[i]) {
					t.Errorf("warning %q is not %v", w, tt.want[i])
				}
			}
		})
	}
}

// TestBootstrapIntervals: intervals hold their point, a fixed seed gives
// one interval, and a transform applies to each draw before the
// percentiles are taken.
func TestBootstrapIntervals(t *testing.T) {
	boot := Bootstrap{Resamples: 500, Seed: 7, Level: 0.9}
	d := []float64{-0.2, 0.1, 0.3, 0.35, 0.5, 0.9, 1.4}
	for _, iv := range []Interval{boot.Mean(d, nil), boot.Mean(d, math.Exp), boot.MeanDifference(d, d[:4], nil), boot.MedianRatio(d[3:], []float64{1, 2, 4, 8})} {
		if !(iv.Low <= iv.Point && iv.Point <= iv.High) || iv.Low == iv.High {
			t.Errorf("%+v: want low ≤ point ≤ high and a width", iv)
		}
	}
	if a, b := boot.Mean(d, nil), boot.Mean(d, nil); a.Low != b.Low || a.High != b.High {
		t.Error("same seed, different interval")
	}
	plain, exp := boot.Mean(d, nil), boot.Mean(d, math.Exp)
	if math.Abs(exp.Point-math.Exp(plain.Point)) > 1e-12 || math.Abs(exp.Low-math.Exp(plain.Low)) > 0.05 {
		t.Errorf("exp interval %+v against the plain one %+v", exp, plain)
	}
	if got := Messages([]error{warnf(ErrDegenerate, "every resample gave %d", 1)}); len(got) != 1 || got[0] != "degenerate interval: every resample gave 1" {
		t.Errorf("Messages = %q", got)
	}
	if !Has([]error{warnf(ErrTies, "x")}, ErrTies) || Has(nil, ErrTies) {
		t.Error("Has")
	}
	if msgs := Messages([]error{warnf(ErrTies, "x")}); !HasMessage(msgs, ErrTies) || HasMessage(msgs, ErrDegenerate) {
		t.Errorf("HasMessage(%q)", msgs)
	}
}
