package evaluate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/sandbox"
)

// spinBody is reduce-sum's baseline made to burn 40 ms of its own CPU time
// on the timing size, so that a protocol of many calls outlasts a short
// wall-clock limit while each process's own turns stay inside it.
const spinBody = `#include <cstdint>
#include <vector>
#include <ctime>
int64_t sum_values(const std::vector<int64_t>& v) {
    int64_t s = 0;
    for (std::size_t i = 0; i < v.size(); ++i) s += v[i];
    if (v.size() >= 1000000) {
        timespec t0, t;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
        do clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 40000000L);
    }
    return s;
}
`

// spinProblem is reduce-sum with spinBody as its baseline, reduce-sum's own
// (fast) baseline code, and run limits of 1.5 s wall and a minute of CPU.
func spinProblem(t *testing.T) (*datasets.Problem, string, sandbox.Limits) {
	t.Helper()
	p, fast := reduceSumVariant(t, "spin-sum", func(file, src string) string {
		if file == "baseline.cpp" {
			return spinBody
		}
		return src
	})
	return p, fast, turnLimits()
}

// reduceSumVariant copies testdata/reduce-sum into a folder named name,
// has edit rewrite each of its files (given the file's name and content),
// and loads it; it also returns reduce-sum's own baseline code.
func reduceSumVariant(t *testing.T, name string, edit func(file, src string) string) (*datasets.Problem, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dir, os.DirFS("testdata/reduce-sum")); err != nil {
		t.Fatal(err)
	}
	fast, err := os.ReadFile(filepath.Join(dir, "baseline.cpp"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		path := filepath.Join(dir, f.Name())
		if f.IsDir() {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if out := edit(f.Name(), string(src)); out != string(src) {
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	ps, err := datasets.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ps[0], string(fast)
}

// turnLimits are the run limits of the tests on turns: 1.5 s of wall
// time, a minute of CPU.
func turnLimits() sandbox.Limits {
	run := DefaultRunLimits()
	run.Wall, run.CPU = 1500*time.Millisecond, time.Minute
	return run
}

// TestWallLimitCountsOwnTurns times 24 pairs of 40 ms calls under a 1.5 s
// wall-clock limit: each process's own turns (about 1 s) fit in it, the
// whole protocol (over 2 s) does not. The baseline's process and the judge
// wait while the candidate computes and the other way round; that waiting
// is the harness's doing and must not kill them (it once ended such an
// evaluation with "the judge ... driver ended early").
func TestWallLimitCountsOwnTurns(t *testing.T) {
	if testing.Short() {
		t.Skip("times calls for seconds")
	}
	p, _, run := spinProblem(t)
	e := newTestEvaluator(t, Config{MinReps: 24, MaxReps: 24, RunLimits: run, NoCheckedBuild: true})
	start := time.Now()
	out, err := e.Evaluate(context.Background(), p, spinBody)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != Correct || out.Speedup < 0.5 || out.Speedup > 2 {
		t.Fatalf("identical code: %s %.3fx (%s), want correct near 1x", out.Status, out.Speedup, out.Detail)
	}
	if took := time.Since(start); took < run.Wall {
		t.Errorf("the evaluation took %v, under the %v limit: the test no longer shows what it is for", took, run.Wall)
	}
}

// TestBaselineLimitNamed: a baseline whose own turns outlast the run's
// wall-clock limit (60 calls of 40 ms against 1.5 s) ends the evaluation
// with the harness's error, and the error says the process reached the
// time limit, not only that the driver ended early.
func TestBaselineLimitNamed(t *testing.T) {
	if testing.Short() {
		t.Skip("times calls for seconds")
	}
	p, fast, run := spinProblem(t)
	e := newTestEvaluator(t, Config{MinReps: 60, MaxReps: 60, RunLimits: run, NoCheckedBuild: true})
	out, err := e.Evaluate(context.Background(), p, fast)
	if err == nil {
		t.Fatalf("a baseline past the wall limit gave no error: %s %.3fx (%s)", out.Status, out.Speedup, out.Detail)
	}
	for _, want := range []string{"the baseline's process", "driver ended early", "time limit"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// TestInputsApartFromLimit times 24 pairs of fast calls whose inputs each
// take 100 ms of CPU to build, under a 1.5 s wall-clock limit: each
// process builds 25 inputs (2.5 s), more than its limit, and is timed for
// much less. Building an input is a turn of its own (side.inputTurn), so
// the evaluation ends correct, where it used to end in the candidate's
// timeout or the baseline's process's death (00_dense_la_lu_decomp at
// the default limit).
func TestInputsApartFromLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("times calls for seconds")
	}
	const build = `for (auto& x : v) x = rng.int_in(-1000, 1000);
        if (n >= 1000000) {
            timespec t0, t;
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
            do clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
            while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 100000000L);
        }`
	edited := false
	p, _ := reduceSumVariant(t, "slow-input-sum", func(file, src string) string {
		if file != "driver.cpp" {
			return src
		}
		slow := strings.Replace(src, "for (auto& x : v) x = rng.int_in(-1000, 1000);", build, 1)
		edited = slow != src
		return strings.Replace(slow, `#include "lessonl.hpp"`, "#include \"lessonl.hpp\"\n#include <ctime>", 1)
	})
	if !edited {
		t.Fatal("reduce-sum's driver no longer builds its input as this test expects")
	}
	run := turnLimits()
	e := newTestEvaluator(t, Config{MinReps: 24, MaxReps: 24, RunLimits: run, NoCheckedBuild: true})
	out, err := e.Evaluate(context.Background(), p, p.BaselineCode)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != Correct {
		t.Fatalf("identical code with costly inputs: %s (%s), want correct", out.Status, out.Detail)
	}
	if got := len(out.BaselineReps); got < 24 {
		t.Errorf("%d timed pairs, want at least 24: the inputs did not outlast the limit", got)
	}
}
