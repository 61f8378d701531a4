package evaluate

import (
	"context"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
)

// TestCheckedBuildKillsBoundsMutants makes the built-in suite's two
// first-order mutants that validation alone let through (an inner loop
// bound < turned into <=, which reads one element past the end and still
// gave the right answer on the validation inputs, before they were fresh
// per call) and checks that the checked validation build rejects both,
// while each problem's own code still passes. The plain validation now
// finds them too, so the checked build runs first here (CheckedFirst);
// TestCheckedBuildFollowsValidation holds a read past the end that only
// the checked build finds.
func TestCheckedBuildKillsBoundsMutants(t *testing.T) {
	ps, err := datasets.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3, CheckedFirst: true})
	if !strings.Contains(e.CheckedBuild(), assertionsFlag) {
		t.Fatalf("checked build: %s", e.CheckedBuild())
	}
	t.Logf("checked build: %s", e.CheckedBuild())
	tests := []struct {
		problem, from, to string
	}{
		{"reduce-has-duplicate", "j < a.size()", "j <= a.size()"},
		{"reduce-max-gain", "j < n", "j <= n"},
	}
	for _, tt := range tests {
		t.Run(tt.problem, func(t *testing.T) {
			p, err := datasets.Find(ps, tt.problem)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Count(p.BaselineCode, tt.from) != 1 {
				t.Fatalf("the baseline of %s has not exactly one %q", tt.problem, tt.from)
			}
			mutant := strings.Replace(p.BaselineCode, tt.from, tt.to, 1)
			own, err := e.Evaluate(context.Background(), p, p.BaselineCode)
			if err != nil {
				t.Fatal(err)
			}
			if own.Status != Correct {
				t.Fatalf("the problem's own code got %s in the checked build: %s", own.Status, own.Detail)
			}
			t.Logf("own code: compile and links %d ms, checked build's compile and link %d ms more", own.CompileMS, own.CheckMS)
			out, err := e.Evaluate(context.Background(), p, mutant)
			if err != nil {
				t.Fatal(err)
			}
			if out.Status == Correct || !strings.Contains(out.Detail, "checked validation build") {
				t.Fatalf("mutant %q -> %q: %s, want a failure of the checked build; detail:\n%s", tt.from, tt.to, out.Status, out.Detail)
			}
			t.Logf("mutant: %s: %.200s", out.Status, out.Detail)
		})
	}
}

// TestCheckedBuildBoundsMemory: the checked build's run has no
// address-space limit (ASan's shadow memory needs terabytes of it), so its
// memory bound is ASan's own; a candidate allocating 64 GiB fails there,
// promptly, saying so. (The plain build's address-space limit fails it
// first; the checked build runs first here, CheckedFirst.)
func TestCheckedBuildBoundsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a hostile process")
	}
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3, CheckedFirst: true})
	if !strings.Contains(e.CheckedBuild(), "AddressSanitizer") {
		t.Skipf("no sanitizers here: %s", e.CheckedBuild())
	}
	code := "#include <cstdint>\n#include <vector>\nint64_t sum_values(const std::vector<int64_t>& v) { std::vector<char> big(std::size_t(64) << 30, 1); return big[12345] + v.size(); }\n"
	out, err := e.Evaluate(context.Background(), p, code)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != RuntimeError || !strings.Contains(out.Detail, "checked validation build") || !strings.Contains(out.Detail, "out of memory") {
		t.Errorf("status %s, detail %.300q; want a runtime_error of the checked build naming the memory", out.Status, out.Detail)
	}
}
