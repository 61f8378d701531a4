package stats

import (
	"math"
	"strings"
	"testing"
)

// TestPassAtK compares with 1 - comb(n-c, k)/comb(n, k) computed by
// Python's math.comb (exact integers, then one division).
func TestPassAtK(t *testing.T) {
	tests := []struct {
		n, c, k int
		want    float64
	}{
		{1, 0, 1, 0.0},
		{1, 1, 1, 1.0},
		{10, 0, 1, 0.0},
		{10, 3, 1, 0.30000000000000004},
		{10, 3, 5, 0.9166666666666666},
		{10, 3, 8, 1.0},
		{20, 5, 10, 0.9837461300309598},
		{200, 13, 1, 0.06499999999999995},
		{200, 13, 10, 0.4975511147306061},
		{200, 13, 100, 0.9999194971988055},
		{5, 5, 3, 1.0},
		{100, 1, 50, 0.5},
	}
	for _, tc := range tests {
		got, err := PassAtK(tc.n, tc.c, tc.k)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("PassAtK(%d, %d, %d) = %.17g, want %.17g", tc.n, tc.c, tc.k, got, tc.want)
		}
	}
}

func TestPassAtKErrors(t *testing.T) {
	for _, tc := range []struct {
		n, c, k int
		want    string
	}{
		{0, 0, 1, "0 samples"},
		{5, 6, 1, "6 of 5 samples passed"},
		{5, -1, 1, "-1 of 5"},
		{5, 2, 0, "want 1 ≤ k ≤ n"},
		{5, 2, 6, "want 1 ≤ k ≤ n"},
	} {
		if _, err := PassAtK(tc.n, tc.c, tc.k); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("PassAtK(%d, %d, %d): %v, want %q", tc.n, tc.c, tc.k, err, tc.want)
		}
	}
}

func TestMeanPassAtK(t *testing.T) {
	// pass@1 with one sample each is the share of problems solved.
	got, err := MeanPassAtK([]Samples{{1, 1}, {1, 0}, {1, 1}, {1, 1}}, 1)
	if err != nil || got != 0.75 {
		t.Errorf("pass@1 = %v, %v; want 0.75", got, err)
	}
	got, err = MeanPassAtK([]Samples{{10, 3}, {20, 5}}, 5)
	// (0.9166666666666666 + 1 - comb(15,5)/comb(20,5)) / 2, by math.comb
	want := (0.9166666666666666 + 0.8063080495356038) / 2
	if err != nil || math.Abs(got-want) > 1e-12 {
		t.Errorf("pass@5 = %v, %v; want %v", got, err, want)
	}
	if _, err := MeanPassAtK([]Samples{{10, 3}, {3, 1}}, 5); err == nil || !strings.Contains(err.Error(), "problem 1") {
		t.Errorf("too few samples: %v", err)
	}
	if _, err := MeanPassAtK(nil, 1); err == nil {
		t.Error("no problems: no error")
	}
}
