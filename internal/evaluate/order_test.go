package evaluate

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// A read past the end of a vector of its own that changes no answer:
// the plain build validates it, the checked build's bounds checks do
// not.
const pastEnd = "#include <cstdint>\n#include <vector>\nint64_t sum_values(const std::vector<int64_t>& v) {\n" +
	"    std::vector<int64_t> w(2, 0);\n    int64_t s = w[2] & 0;\n    for (std::size_t i = 0; i < v.size(); ++i) s += v[i];\n    return s;\n}\n"

// TestCheckedBuildFollowsValidation: the checked build runs only for a
// candidate whose plain build validated, a problem's checked objects are
// built when the first such candidate needs them, and a candidate the
// checked build rejects is never timed; with CheckedFirst (the order
// before issue 27) every compiling candidate pays for the checked build.
func TestCheckedBuildFollowsValidation(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real code")
	}
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	p := loadTestProblem(t)
	const incorrect = "#include <cstdint>\n#include <vector>\nint64_t sum_values(const std::vector<int64_t>& v) { return 0; }\n"
	e := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3})
	if e.CheckedBuild() == "" || !strings.Contains(e.CheckedBuild(), assertionsFlag) {
		t.Fatalf("checked build: %q", e.CheckedBuild())
	}
	ctx := context.Background()
	steps := []struct {
		name          string
		code          string
		want          Status
		checked       int64 // candidates through the checked build so far
		problems      int64 // problems' checked objects built so far
		detail        string
		timed, inPlan bool
	}{
		{"incorrect in the plain build", incorrect, Incorrect, 0, 0, "", false, false},
		{"correct", p.BaselineCode, Correct, 1, 1, "", true, true},
		{"reads past the end", pastEnd, RuntimeError, 2, 1, "checked validation build", false, true},
	}
	for _, s := range steps {
		out, err := e.Evaluate(ctx, p, s.code)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		b := e.Builds()
		if out.Status != s.want || !strings.Contains(out.Detail, s.detail) {
			t.Errorf("%s: %s (%s), want %s with %q", s.name, out.Status, out.Detail, s.want, s.detail)
		}
		if b.Checked != s.checked || b.CheckedProblems != s.problems {
			t.Errorf("%s: %d candidates and %d problems through the checked build, want %d and %d", s.name, b.Checked, b.CheckedProblems, s.checked, s.problems)
		}
		if (out.CheckMS > 0) != s.inPlan || (out.TimeMS > 0) != s.timed || len(out.CandidateReps) > 0 != s.timed {
			t.Errorf("%s: checked build %d ms, timing %d ms with %d pairs; want checked %v, timed %v", s.name, out.CheckMS, out.TimeMS, len(out.CandidateReps), s.inPlan, s.timed)
		}
		t.Logf("%s: %s; compile %d ms, validation %d ms, checked build %d ms, queue %d ms, timing %d ms", s.name, out.Status,
			out.CompileMS, out.ValidateMS, out.CheckMS, out.QueueMS, out.TimeMS)
		if out.ValidateMS <= 0 {
			t.Errorf("%s: validation took %d ms", s.name, out.ValidateMS)
		}
	}

	before := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3, CheckedFirst: true})
	out, err := before.Evaluate(ctx, p, incorrect)
	if err != nil {
		t.Fatal(err)
	}
	if b := before.Builds(); out.Status != Incorrect || b.Checked != 1 || b.CheckedProblems != 1 {
		t.Errorf("checked first: %s, %+v; want incorrect after one checked build", out.Status, b)
	}
	if before.Hash(p, incorrect) == e.Hash(p, incorrect) {
		t.Error("CheckedFirst does not change the hash of identical code")
	}
}

// TestProblemBuiltOnce: many candidates of one problem, evaluated at
// once, cost one build of the problem's driver, baseline and baseline's
// binary, and one of its checked objects; each candidate one compile.
func TestProblemBuiltOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real code")
	}
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{VerdictOnly: true})
	const n = 4
	var wg sync.WaitGroup
	outs := make([]Outcome, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Distinct code, so that none is a reused outcome.
			outs[i], errs[i] = e.Evaluate(context.Background(), p, fmt.Sprintf("// candidate %d\n%s", i, sumBody))
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || outs[i].Status != Correct || outs[i].Cached {
			t.Fatalf("candidate %d: %s (%s), cached %v, err %v", i, outs[i].Status, outs[i].Detail, outs[i].Cached, errs[i])
		}
	}
	want := BuildCounts{Problems: 1, CheckedProblems: 1, Candidates: n, Checked: n}
	if got := e.Builds(); got != want {
		t.Errorf("builds %+v, want %+v", got, want)
	}
}

// TestCompileOverlapsTiming: while another evaluation holds the only
// timing slot, a candidate is compiled, validated and through the checked
// build, and waits for the slot only to be timed.
func TestCompileOverlapsTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real code")
	}
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{MinReps: 3, MaxReps: 3})
	e.slots <- struct{}{} // another evaluation's timing
	type result struct {
		out Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := e.Evaluate(context.Background(), p, sumBody)
		done <- result{out, err}
	}()
	for e.Builds().Checked == 0 {
		select {
		case r := <-done:
			t.Fatalf("the evaluation ended while the slot was held: %s (%s), %v", r.out.Status, r.out.Detail, r.err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	// The checked build is over; the evaluation goes on to wait for the
	// slot.
	time.Sleep(300 * time.Millisecond)
	<-e.slots
	r := <-done
	if r.err != nil || r.out.Status != Correct {
		t.Fatalf("%s (%s), %v", r.out.Status, r.out.Detail, r.err)
	}
	if r.out.QueueMS <= 0 || r.out.CompileMS <= 0 || r.out.ValidateMS <= 0 || r.out.CheckMS <= 0 || r.out.TimeMS <= 0 {
		t.Errorf("phases: compile %d ms, validation %d ms, checked %d ms, queue %d ms, timing %d ms; want each > 0",
			r.out.CompileMS, r.out.ValidateMS, r.out.CheckMS, r.out.QueueMS, r.out.TimeMS)
	}
}

// TestCheckedBuildFollowsValidationPaper: under the paper's protocol too,
// the checked build follows the plain validation and its failure is the
// verdict; a correct candidate passes both.
func TestCheckedBuildFollowsValidationPaper(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real code")
	}
	p := loadTestProblem(t)
	e := newTestEvaluator(t, Config{Timing: TimingPaper, VerdictOnly: true})
	for _, c := range []struct {
		code    string
		want    Status
		detail  string
		checked int64
	}{{sumBody, Correct, "", 1}, {pastEnd, RuntimeError, "checked validation build", 2}} {
		out, err := e.Evaluate(context.Background(), p, c.code)
		if err != nil {
			t.Fatal(err)
		}
		if out.Status != c.want || !strings.Contains(out.Detail, c.detail) || e.Builds().Checked != c.checked {
			t.Errorf("%s (%s) after %d checked builds, want %s with %q after %d", out.Status, out.Detail, e.Builds().Checked, c.want, c.detail, c.checked)
		}
	}
}
