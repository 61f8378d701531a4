package bench

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// miniProblems copies the evaluator's small problem reduce-sum into a
// folder beside a copy, "broken-sum", whose baseline does not compile, and
// loads both.
func miniProblems(t *testing.T) []*datasets.Problem {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "..", "experiments", "testdata", "mini", "reduce-sum")
	for _, id := range []string{"reduce-sum", "broken-sum"} {
		if out, err := exec.Command("cp", "-r", src, filepath.Join(dir, id)).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v\n%s", err, out)
		}
	}
	broken := filepath.Join(dir, "broken-sum")
	yaml, err := os.ReadFile(filepath.Join(broken, "problem.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "problem.yaml"), []byte(strings.Replace(string(yaml), "id: reduce-sum", "id: broken-sum", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "baseline.cpp"), []byte("#include <cstdint>\n#include <vector>\n\nint64_t sum_values(const std::vector<int64_t>& v) {\n    return no_such_name;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := datasets.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// verdictEvaluator compiles and validates without timing.
func verdictEvaluator(t *testing.T) *evaluate.Evaluator {
	t.Helper()
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("no g++")
	}
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	ev, err := evaluate.New(evaluate.Config{VerdictOnly: true, NoCheckedBuild: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ev.Close() })
	return ev
}

// TestCheck: a problem whose baseline does not build becomes one error
// row, a mismatch, and the check goes on to the next problem; each
// problem's rows reach the callback as they come; a cancelled check
// stops with an error. With two jobs the problems are evaluated at once
// and the rows still come in the problems' order.
func TestCheck(t *testing.T) {
	ps := miniProblems(t)
	var rep *CheckReport
	for _, jobs := range []int{1, 2} {
		ev := verdictEvaluator(t)
		var seen []string
		var err error
		rep, err = Check(context.Background(), ev, ps, jobs, func(rs []evaluate.CheckRow) {
			seen = append(seen, rs[0].ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(seen, ",") != "broken-sum,reduce-sum" {
			t.Errorf("jobs %d: the callback saw problems %v, want each once in order", jobs, seen)
		}
		if len(rep.Rows) != 3 || rep.Mismatches != 1 {
			t.Fatalf("jobs %d: %d rows, %d mismatches; want the broken baseline's error row and reduce-sum's two rows, one mismatch: %+v", jobs, len(rep.Rows), rep.Mismatches, rep.Rows)
		}
		if r := rep.Rows[0]; r.ID != "broken-sum" || r.Status != "error" || r.OK || r.Solution != evaluate.IdentityName {
			t.Errorf("jobs %d: broken baseline's row %+v, want a failed identity row", jobs, r)
		}
		for _, r := range rep.Rows[1:] {
			if r.ID != "reduce-sum" || r.Status != evaluate.Correct || !r.OK {
				t.Errorf("jobs %d: row %+v, want reduce-sum correct as expected", jobs, r)
			}
		}
	}
	ev := verdictEvaluator(t)
	var text strings.Builder
	table := NewCheckTable(&text)
	table.Rows(rep.Rows[:1])
	table.Rows(rep.Rows[1:])
	WriteCheckSummary(&text, rep)
	for _, want := range []string{
		"PROBLEM     SOLUTION    EXPECTED    STATUS  SPEEDUP  95% CI  BASELINE  OK\n",
		"broken-sum  (baseline)  not_faster  error   -        -       -         MISMATCH: ",
		"2 problems, 3 evaluations, 1 mismatches\n",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, text.String())
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Check(ctx, ev, ps, 1, nil); err == nil || !strings.Contains(err.Error(), "check broken-sum") {
		t.Errorf("a cancelled check: %v, want it to stop at the first problem", err)
	}
}
