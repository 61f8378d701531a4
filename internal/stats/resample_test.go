package stats

import (
	"math"
	"testing"
)

// TestBlockBootstrap: BlockLen is n^(1/3) rounded up, and a block
// resample is made of runs of consecutive observations.
func TestBlockBootstrap(t *testing.T) {
	for _, tt := range []struct{ n, b int }{{1, 1}, {2, 2}, {8, 2}, {9, 3}, {20, 3}, {27, 3}, {28, 4}, {64, 4}} {
		if got := BlockLen(tt.n); got != tt.b {
			t.Errorf("BlockLen(%d) = %d, want %d", tt.n, got, tt.b)
		}
	}
	// A resample of 0..n-1 is made of runs of consecutive values (wrapping
	// at n), each run BlockLen long but the last.
	const n = 20
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	rs := NewResampler(5, 0x6c6573736f6e6c, n)
	starts := map[float64]bool{}
	for range 50 {
		got := rs.Blocks(xs)
		for i := range got {
			if i%BlockLen(n) == 0 {
				starts[got[i]] = true
			} else if want := math.Mod(got[i-1]+1, n); got[i] != want {
				t.Fatalf("resample %v breaks a run at %d: %g after %g", got, i, got[i], got[i-1])
			}
		}
	}
	if len(starts) < n-2 {
		t.Errorf("runs started at only %d of %d places", len(starts), n)
	}
}
