package pyeval

import (
	"context"
	"fmt"
	"sync"

	"github.com/lessonlab/lessonl/datasets"
)

// CheckRow is one known solution's verdict beside what it should get.
type CheckRow struct {
	ID       string `json:"id"`
	Solution string `json:"solution"`
	// Expect is "pass" or "fail".
	Expect  string  `json:"expect"`
	Verdict Verdict `json:"verdict"`
	// Err is set when the evaluation itself failed (a broken reference
	// run); the row is then a mismatch.
	Err string `json:"error,omitempty"`
	OK  bool   `json:"ok"`
}

// Check evaluates every known solution of every problem, workers at a
// time, and says whether each got its expected verdict: a solution
// expected to pass must pass every hidden test, any other must not. Rows
// come back in problem and solution order; only a cancelled context
// stops it early.
func Check(ctx context.Context, ev *Evaluator, ps []*datasets.GenProblem, workers int) ([]CheckRow, error) {
	type job struct {
		i int
		p *datasets.GenProblem
		s datasets.GenSolution
	}
	var jobs []job
	for _, p := range ps {
		for _, s := range p.Solutions {
			jobs = append(jobs, job{len(jobs), p, s})
		}
	}
	rows := make([]CheckRow, len(jobs))
	ch := make(chan job)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				r := CheckRow{ID: j.p.ID, Solution: j.s.Name, Expect: "fail"}
				if j.s.Pass {
					r.Expect = "pass"
				}
				v, err := ev.Evaluate(ctx, j.p, j.s.Code)
				r.Verdict = v
				if err != nil {
					r.Err = err.Error()
				} else {
					r.OK = (v.Status == Passed) == j.s.Pass
				}
				rows[j.i] = r
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		ch <- j
	}
	close(ch)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	return rows, nil
}
