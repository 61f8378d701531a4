package datasets

import (
	"strings"
	"testing"
)

// TestCompareValidation reads the LessonL-layout fixture against stand-ins
// for ParEval's original drivers: 00_ compares with a looser tolerance
// than its original, 50_ only the interior where its original compared the
// whole grid, and at DRIVER_PROBLEM_SIZE where its original used 64;
// 00_'s reference in baseline.hpp differs from its original's, 50_'s does
// not; problems without an original are left out.
func TestCompareValidation(t *testing.T) {
	ds, err := CompareValidation(fixture, "testdata/pareval-original")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		weaker, partial bool
		finding         string
	}{
		"00_reduce_sum_of_squares": {true, false, "looser tolerance: 1e-09 where ParEval's has 1e-12"},
		"50_stencil_border_xor":    {true, true, "compares only part of the output, where ParEval's compared all of it"},
	}
	if len(ds) != len(want) {
		t.Fatalf("%d problems differ, want %d: %+v", len(ds), len(want), ds)
	}
	for _, d := range ds {
		w, ok := want[d.Problem]
		if !ok {
			t.Errorf("unexpected %s: %v", d.Problem, d.Findings)
			continue
		}
		if d.Weaker != w.weaker || d.Partial != w.partial || !strings.Contains(strings.Join(d.Findings, "\n"), w.finding) {
			t.Errorf("%s: weaker %v partial %v %q, want %v %v with %q", d.Problem, d.Weaker, d.Partial, d.Findings, w.weaker, w.partial, w.finding)
		}
		reference := strings.Contains(strings.Join(d.Findings, "\n"), "checks against another reference: baseline.hpp's correctSumOfSquares differs from ParEval's")
		if reference != (d.Problem == "00_reduce_sum_of_squares") {
			t.Errorf("%s: findings %q, want the reference's difference only for 00", d.Problem, d.Findings)
		}
		if d.Problem == "50_stencil_border_xor" && (d.Size != "DRIVER_PROBLEM_SIZE" || d.OriginalSize != "64") {
			t.Errorf("50: validation size %q, original %q; want DRIVER_PROBLEM_SIZE and 64", d.Size, d.OriginalSize)
		}
	}
	if _, err := CompareValidation(fixture, t.TempDir()); err == nil || !strings.Contains(err.Error(), "original drivers") {
		t.Errorf("no original checkout: %v", err)
	}
}
