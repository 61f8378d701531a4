package bench

import (
	"context"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/pyeval"
)

// GenCheckReport is what GenCheck found over a code-generation suite.
type GenCheckReport struct {
	Problems int
	Rows     []pyeval.CheckRow
	// Mismatches counts the rows that did not get their expected verdict.
	Mismatches int
	// Reference counts the problems' reference solutions (each problem's
	// first known one) and ReferenceOK those that got their verdict.
	Reference, ReferenceOK int
	// Wall is the check's wall time with Jobs evaluations at once.
	Wall time.Duration
	Jobs int
}

// GenCheck evaluates every known solution of ps, jobs at a time
// (pyeval.Check), and counts the mismatches and the reference solutions
// that got their verdict.
func GenCheck(ctx context.Context, ev *pyeval.Evaluator, ps []*datasets.GenProblem, jobs int) (*GenCheckReport, error) {
	start := time.Now()
	rows, err := pyeval.Check(ctx, ev, ps, jobs)
	if err != nil {
		return nil, err
	}
	rep := &GenCheckReport{Problems: len(ps), Rows: rows, Wall: time.Since(start), Jobs: jobs}
	for _, r := range rows {
		if !r.OK {
			rep.Mismatches++
		}
		if isReference(ps, r) {
			rep.Reference++
			if r.OK {
				rep.ReferenceOK++
			}
		}
	}
	return rep, nil
}

// isReference reports whether r is its problem's reference solution (the
// first known one).
func isReference(ps []*datasets.GenProblem, r pyeval.CheckRow) bool {
	p, err := datasets.FindGen(ps, r.ID)
	return err == nil && len(p.Solutions) > 0 && p.Solutions[0].Name == r.Solution
}
