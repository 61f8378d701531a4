package stats

import (
	"math"
	"testing"
)

func TestSummaries(t *testing.T) {
	tests := []struct {
		name         string
		xs           []float64
		median, q25  float64
		std, geomean float64
		mean         float64
	}{
		{"odd", []float64{1, 2, 4}, 2, 1.5, math.Sqrt(7.0 / 3), 2, 7.0 / 3},
		{"even", []float64{1, 4, 9, 16}, 6.5, 3.25, 6.557438524302, math.Sqrt(24), 7.5},
		{"one", []float64{3}, 3, 3, 0, 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			near := func(what string, got, want float64) {
				if math.Abs(got-want) > 1e-9 {
					t.Errorf("%s = %v, want %v", what, got, want)
				}
			}
			near("median", Median(tt.xs), tt.median)
			near("quantile 0.25", Quantile(tt.xs, 0.25), tt.q25)
			near("std", Std(tt.xs), tt.std)
			near("geomean", GeoMean(tt.xs), tt.geomean)
			near("mean", Mean(tt.xs), tt.mean)
		})
	}
	if !math.IsNaN(Median(nil)) || !math.IsNaN(Quantile(nil, 0.5)) || !math.IsNaN(Mean(nil)) {
		t.Error("no values must give NaN")
	}
}

// The values are those of scipy.stats.mannwhitneyu(x, y,
// method="asymptotic") (use_continuity=True), worked by hand: "ties" has
// ranks 1, 3, 3, 5.5 for x (R1 = 12.5, U = 2.5), tie term 24 + 6, sigma
// 3.3594, z 1.4884.
func TestMannWhitney(t *testing.T) {
	tests := []struct {
		name string
		x, y []float64
		u, p float64
	}{
		{"apart", []float64{1, 2, 3}, []float64{4, 5, 6}, 0, 0.080855609},
		{"ties", []float64{1, 2, 2, 3}, []float64{2, 3, 4, 5}, 2.5, 0.136658248},
		{"same", []float64{1, 2}, []float64{1, 2}, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, p := MannWhitney(tt.x, tt.y)
			if u != tt.u || math.Abs(p-tt.p) > 1e-6 {
				t.Errorf("U = %v, p = %.9f; want %v, %.9f", u, p, tt.u, tt.p)
			}
		})
	}
}
