package bench

import (
	"context"
	"fmt"

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

// Check evaluates every problem of ps with CheckProblem, in order; each,
// when not nil, receives a problem's rows as soon as they are known. Only
// a cancelled context stops it early.
func Check(ctx context.Context, ev *evaluate.Evaluator, ps []*datasets.Problem, each func([]evaluate.CheckRow)) (*CheckReport, error) {
	rep := &CheckReport{Problems: ps}
	for _, p := range ps {
		rs, err := CheckProblem(ctx, ev, p)
		if err != nil {
			return rep, err
		}
		rep.Rows = append(rep.Rows, rs...)
		for _, r := range rs {
			if !r.OK {
				rep.Mismatches++
			}
		}
		if each != nil {
			each(rs)
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
