package bench

import (
	"context"
	"fmt"
	"sync"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// CheckReport is what Check found over a suite.
type CheckReport struct {
	// Problems are the problems checked, in order.
	Problems []*datasets.Problem
	// Rows are the evaluations: per problem its baseline as its own
	// candidate, then each known solution.
	Rows []evaluate.CheckRow
	// Mismatches counts the rows that did not get their expected outcome.
	Mismatches int
}

// Check evaluates every problem of ps with CheckProblem, jobs problems at
// once (at least one): their compiles and validation overlap, while the
// evaluator keeps its timing slot exclusive (evaluate.Config.Slots), so
// a problem's timing never shares the machine with another's. The rows
// come in the order of ps, and each, when not nil, receives a problem's
// rows as soon as they and those of every problem before it are known.
// Only a cancelled context stops it early.
func Check(ctx context.Context, ev *evaluate.Evaluator, ps []*datasets.Problem, jobs int, each func([]evaluate.CheckRow)) (*CheckReport, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		rows []evaluate.CheckRow
		err  error
		done chan struct{}
	}
	res := make([]result, len(ps))
	for i := range res {
		res[i].done = make(chan struct{})
	}
	next := make(chan int)
	var wg sync.WaitGroup
	defer wg.Wait()
	for range max(1, min(jobs, len(ps))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res[i].rows, res[i].err = CheckProblem(ctx, ev, ps[i])
				close(res[i].done)
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range ps {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	rep := &CheckReport{Problems: ps}
	for i := range ps {
		select {
		case <-res[i].done:
		case <-ctx.Done():
			return rep, fmt.Errorf("check %s: %w", ps[i].ID, ctx.Err())
		}
		if err := res[i].err; err != nil {
			return rep, err
		}
		rep.Rows = append(rep.Rows, res[i].rows...)
		for _, r := range res[i].rows {
			if !r.OK {
				rep.Mismatches++
			}
		}
		if each != nil {
			each(res[i].rows)
		}
	}
	return rep, nil
}

// CheckProblem is evaluate.Check for a suite: a problem that cannot be
// evaluated at all (its driver or baseline does not build) becomes one
// error row, a mismatch to report rather than a reason to stop; only a
// cancelled context stops.
func CheckProblem(ctx context.Context, ev *evaluate.Evaluator, p *datasets.Problem) ([]evaluate.CheckRow, error) {
	rs, err := evaluate.Check(ctx, ev, p)
	if err == nil {
		return rs, nil
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("check %s: %w", p.ID, err)
	}
	return append(rs, evaluate.CheckRow{ID: p.ID, Solution: evaluate.IdentityName,
		Expected: datasets.ExpectNotFaster, Status: "error", Detail: err.Error()}), nil
}
