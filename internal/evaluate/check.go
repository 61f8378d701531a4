package evaluate

import (
	"context"
	"time"

	"github.com/lessonlab/lessonl/datasets"
)

// CheckRow is the verdict on one known solution (or the baseline itself)
// of a problem: did the evaluator give it the outcome it is tagged with?
type CheckRow struct {
	ID       string            `json:"id"`
	Solution string            `json:"solution"`
	Expected datasets.Expected `json:"expected"`
	Status   Status            `json:"status"`
	Speedup  float64           `json:"speedup"`
	CILow    float64           `json:"ci_low"`
	CIHigh   float64           `json:"ci_high"`
	// BaselineMS is the median time of one baseline call on the timing
	// input, the number a problem's timing size is chosen by (20–200 ms).
	BaselineMS float64 `json:"baseline_ms"`
	// EvalMS is the evaluation's wall time: compile, link, validation and
	// timing (0 when the outcome was reused).
	EvalMS int64 `json:"eval_ms"`
	// QueueMS is the part of EvalMS spent waiting for a timing slot that
	// other evaluations held (Outcome.QueueMS).
	QueueMS int64  `json:"queue_ms,omitempty"`
	OK      bool   `json:"ok"`
	Detail  string `json:"detail,omitempty"`
}

// IdentityName is the solution name under which Check reports the baseline
// evaluated as its own candidate.
const IdentityName = "(baseline)"

// Check evaluates p's baseline as its own candidate and every known
// solution, and says whether each got its expected outcome:
//
//   - faster: correct, speedup ≥ 1.1 and ci_low > 1.0;
//   - not_faster: correct and ci_low ≤ 1.05;
//   - correct: correct, at any speed;
//   - incorrect: incorrect;
//   - not_compilable: not_compilable;
//   - the baseline itself: correct with ci_low ≤ 1.05.
//
// With Config.VerdictOnly nothing is timed, and faster and not_faster
// both ask for correct.
func Check(ctx context.Context, e *Evaluator, p *datasets.Problem) ([]CheckRow, error) {
	subjects := append([]datasets.Solution{{Name: IdentityName, Expected: datasets.ExpectNotFaster, Code: p.BaselineCode}}, p.Solutions...)
	rows := make([]CheckRow, 0, len(subjects))
	for _, s := range subjects {
		start := time.Now()
		out, err := e.Evaluate(ctx, p, s.Code)
		if err != nil {
			return rows, err
		}
		took, queued := time.Since(start).Milliseconds(), out.QueueMS
		if out.Cached {
			took, queued = 0, 0
		}
		row := CheckRow{ID: p.ID, Solution: s.Name, Expected: s.Expected, Status: out.Status,
			Speedup: out.Speedup, CILow: out.CILow, CIHigh: out.CIHigh, BaselineMS: out.BaselineNS / 1e6, EvalMS: took, QueueMS: queued}
		row.OK = Meets(s.Expected, out)
		if e.cfg.VerdictOnly && (s.Expected == datasets.ExpectFaster || s.Expected == datasets.ExpectNotFaster) {
			// Nothing was timed: only the verdict can be checked.
			row.OK = out.Status == Correct
		}
		if !row.OK {
			row.Detail = out.Detail
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// Meets reports whether out is what a solution tagged want should get.
func Meets(want datasets.Expected, out Outcome) bool {
	switch want {
	case datasets.ExpectFaster:
		return out.Status == Correct && out.Speedup >= Faster && out.CILow > 1.0
	case datasets.ExpectNotFaster:
		return out.Status == Correct && out.CILow <= 1.05
	case datasets.ExpectCorrect:
		return out.Status == Correct
	case datasets.ExpectIncorrect:
		return out.Status == Incorrect
	case datasets.ExpectNotCompilable:
		return out.Status == NotCompilable
	}
	return false
}
