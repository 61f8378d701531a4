package evaluate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileCandidates evaluates candidates written to fake a speedup,
// one or more per class of THREATS.md, against the test problem (the sum
// of 2,000,000 integers) with real compiles and processes. None may end
// correct with a speedup its work did not earn; each must end the way its
// mechanism says.
func TestHostileCandidates(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs a dozen candidates")
	}
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{MinReps: 6, MaxReps: 6, NoCheckedBuild: true})
	tests := []struct {
		probe string
		want  []Status // any of these
		// detail is a fragment the detail must hold.
		detail string
	}{
		{"cache-address", []Status{Correct, Incorrect}, ""},
		{"cache-prefix-hash", []Status{Correct, Incorrect}, ""},
		{"honest-then-zero", []Status{Incorrect}, "outputs differ"},
		{"constructor-precompute", []Status{Incorrect}, "outputs differ"},
		{"forge-done", []Status{RuntimeError, Correct}, ""},
		{"clock-override", []Status{NotCompilable}, "steady_clock::now"},
		{"operator-new", []Status{NotCompilable}, "operator new"},
		{"spinner-thread", []Status{NotSerial}, "threads in serial mode"},
		{"patch-code", []Status{RuntimeError}, "machine code"},
		{"two-threads", []Status{NotSerial}, "serial"},
		{"signal-timer", []Status{RuntimeError}, "SIGALRM"},
		{"fork-child", []Status{NotSerial}, "child process"},
		{"rename-process", []Status{RuntimeError}, "rename"},
		{"move-cpu", []Status{RuntimeError}, "CPUs its thread"},
	}
	for _, tt := range tests {
		t.Run(tt.probe, func(t *testing.T) {
			code, err := os.ReadFile(filepath.Join("testdata", "hostile", tt.probe+".cpp"))
			if err != nil {
				t.Fatal(err)
			}
			out, err := e.Evaluate(context.Background(), p, string(code))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s %.3fx [%.3f, %.3f] %s", tt.probe, out.Status, out.Speedup, out.CILow, out.CIHigh, firstLine(out.Detail))
			ok := false
			for _, s := range tt.want {
				ok = ok || out.Status == s
			}
			if !ok {
				t.Fatalf("status %s, want one of %v; detail: %s", out.Status, tt.want, out.Detail)
			}
			// A probe that ends correct did the baseline's work (its cache
			// never hit on a fresh input); a hit would be a speedup of
			// hundreds. Six pairs of this problem's 0.6 ms memory-bound
			// calls spread too widely to hold such a probe to the identity
			// band here (1.09x [0.77, 1.18] in one run, 1.41x [1.30, 1.63]
			// in another); `lessonl bench precision` measures the band.
			if out.Status == Correct && out.Speedup >= 2 {
				t.Errorf("credited %.3fx [%.3f, %.3f]: a speedup its work did not earn", out.Speedup, out.CILow, out.CIHigh)
			}
			if !strings.Contains(out.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", out.Detail, tt.detail)
			}
		})
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
