package strategy

import (
	"strings"

	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/record"
)

// Outcome is what a task's Score found of a candidate, in the task's own
// terms (Candidate.Outcome): optimize's measurements (Timed), generate's
// test verdicts (*GenOutcome), or a score and a word of detail (Scored)
// for a task that needs no more. It says which record columns it speaks
// for, so the runner writes a candidate's rows without knowing its task.
type Outcome interface {
	// Columns fills the columns of the candidate's row that the outcome
	// speaks for.
	Columns(row *record.Candidate)
	// AnswerColumns fills the columns of the cell's results row that the
	// outcome speaks for when its candidate is the cell's answer.
	AnswerColumns(row *record.Result)
}

// TimingRecorder is an Outcome's optional part: the rows of the timings
// table its measurements make, for the candidate ref and id name.
type TimingRecorder interface {
	Timings(ref record.CellRef, candidateID string) []record.Timing
}

// Timed is an optimize candidate's outcome: the evaluator's outcome
// (build, validation and timing against the baseline).
type Timed struct{ evaluate.Outcome }

// Columns implements Outcome: the outcome's measurements, its detail and
// where it was measured.
func (t Timed) Columns(row *record.Candidate) {
	o := t.Outcome
	row.CodeHash, row.Speedup, row.CILow, row.CIHigh = o.CodeHash, o.Speedup, o.CILow, o.CIHigh
	row.BaselineNS, row.CandidateNS, row.Repetitions = o.BaselineNS, o.CandidateNS, int64(len(o.BaselineReps))
	row.CompileMS, row.RunMS, row.Detail = o.CompileMS, o.RunMS, o.Detail
	row.Cached, row.CacheHit, row.OriginRun, row.OriginCell = o.Cached, o.CacheHit, o.Origin.Run, o.Origin.Cell
}

// AnswerColumns implements Outcome: the answer's speedup and its interval.
func (t Timed) AnswerColumns(row *record.Result) {
	row.Speedup, row.CILow, row.CIHigh = t.Speedup, t.CILow, t.CIHigh
}

// Timings implements TimingRecorder: one row per timed repetition.
func (t Timed) Timings(ref record.CellRef, id string) []record.Timing {
	var out []record.Timing
	for i := range t.BaselineReps {
		placement, rep := t.Placement(i)
		out = append(out, record.Timing{CellRef: ref, CandidateID: id, Placement: int64(placement), Rep: int64(rep),
			BaselineNS: t.BaselineReps[i], CandidateNS: t.CandidateReps[i]})
	}
	return out
}

// Columns implements Outcome: the hidden tests' counts, code hash,
// detail and wall time, and the generated tests' counts when any ran.
func (g *GenOutcome) Columns(row *record.Candidate) {
	h := g.Hidden
	row.Passed, row.Total, row.BasePassed, row.BaseTotal = int64(h.Passed), int64(h.Total), int64(h.BasePassed), int64(h.BaseTotal)
	row.CodeHash, row.Detail, row.RunMS = h.CodeHash, genDetail(h.Failure, h.Detail), h.WallMS
	if g.Tests != nil {
		row.TestsPassed, row.TestsTotal = int64(g.Tests.Passed), int64(g.Tests.Total)
	}
}

// AnswerColumns implements Outcome: the answer's hidden tests' counts.
func (g *GenOutcome) AnswerColumns(row *record.Result) {
	h := g.Hidden
	row.Passed, row.Total, row.BasePassed, row.BaseTotal = int64(h.Passed), int64(h.Total), int64(h.BasePassed), int64(h.BaseTotal)
}

// Scored is the outcome of a task whose candidates have a score in its
// own unit and nothing more to record: the score (candidates.score and,
// for the answer, results.score) and a word of detail (candidates.detail).
type Scored struct {
	Score  float64
	Detail string
}

// Columns implements Outcome.
func (s Scored) Columns(row *record.Candidate) { row.Score, row.Detail = s.Score, s.Detail }

// AnswerColumns implements Outcome.
func (s Scored) AnswerColumns(row *record.Result) { row.Score = s.Score }

// Timed is an optimize candidate's measurements; the zero
// evaluate.Outcome for one without (no code, or another task's candidate).
func (c *Candidate) Timed() evaluate.Outcome {
	if t, ok := c.Outcome.(Timed); ok {
		return t.Outcome
	}
	return evaluate.Outcome{}
}

// Gen is a generate candidate's outcome, its tests' verdicts; nil for another task's
// candidate.
func (c *Candidate) Gen() *GenOutcome {
	if c == nil {
		return nil
	}
	g, _ := c.Outcome.(*GenOutcome)
	return g
}

// genDetail is a generate candidate's detail: the first failing test's
// message, then why the process ended early, cut to 2,000 bytes.
func genDetail(failure, detail string) string {
	s := strings.TrimSpace(failure + "\n" + detail)
	if len(s) > 2000 {
		s = strings.ToValidUTF8(s[:2000], "")
	}
	return s
}
