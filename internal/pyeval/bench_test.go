package pyeval

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
)

func benchHumanEval(b *testing.B) []*datasets.GenProblem {
	if realHumanEval == "" {
		b.Skip("no HumanEval on this machine (set LESSONL_HUMANEVAL)")
	}
	ps, err := datasets.LoadHumanEval(realHumanEval)
	if err != nil {
		b.Fatal(err)
	}
	return ps
}

// BenchmarkCandidate evaluates HumanEval's 164 canonical solutions one at
// a time per iteration and reports the median and largest wall time per
// candidate (target: under 1 s), measured around Evaluate: process start,
// all of a problem's tests, teardown.
func BenchmarkCandidate(b *testing.B) {
	ps := benchHumanEval(b)
	ev, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer ev.Close()
	var walls []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range ps {
			start := time.Now()
			v, err := ev.Evaluate(context.Background(), p, p.Canonical)
			walls = append(walls, time.Since(start).Seconds())
			if err != nil || v.Status != Passed {
				b.Fatalf("%s: %+v %v", p.ID, v, err)
			}
		}
	}
	sort.Float64s(walls)
	b.ReportMetric(walls[len(walls)/2], "median-s/candidate")
	b.ReportMetric(walls[len(walls)-1], "max-s/candidate")
}

// BenchmarkCheckHumanEval is `lessonl datasets check --humaneval`: all 164
// canonical solutions, two at a time (target: under 3 minutes on 2 cores).
func BenchmarkCheckHumanEval(b *testing.B) {
	ps := benchHumanEval(b)
	for i := 0; i < b.N; i++ {
		ev, err := New(Config{})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		rows, err := Check(context.Background(), ev, ps, 2)
		ev.Close()
		if err != nil {
			b.Fatal(err)
		}
		pass := 0
		for _, r := range rows {
			if r.OK {
				pass++
			}
		}
		for _, r := range rows {
			if !r.OK {
				b.Logf("%s: %+v %s", r.ID, r.Verdict, r.Err)
			}
		}
		if pass != 164 {
			b.Fatalf("%d/164 canonical solutions passed", pass)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/check")
	}
}
