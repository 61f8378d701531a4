package evaluate

import "context"

// Phase is a stage of an evaluation that its caller may be told of as it
// is reached (WithPhases): a progress display prices the time an
// evaluation has left by it, since waiting for identical code, waiting
// for a timing slot and holding one take very different times.
type Phase string

// The phases told. An evaluation that is told none is compiling or
// validating (or reading the shared cache).
const (
	// PhaseWaiting: identical code is being evaluated for another
	// caller; this evaluation waits for that outcome and does no work.
	PhaseWaiting Phase = "waiting"
	// PhaseQueued: the candidate validated and waits for a timing slot.
	PhaseQueued Phase = "queued"
	// PhaseTiming: the evaluation holds a timing slot and times.
	PhaseTiming Phase = "timing"
)

type phasesKey struct{}

// WithPhases returns ctx carrying tell, which the evaluations made with
// it call as they reach each Phase (from the goroutine evaluating).
func WithPhases(ctx context.Context, tell func(Phase)) context.Context {
	return context.WithValue(ctx, phasesKey{}, tell)
}

// TellPhase tells ctx's caller (WithPhases) that its evaluation
// reached p: the Evaluator does, and so may other evaluators, such as
// a test's.
func TellPhase(ctx context.Context, p Phase) {
	if tell, ok := ctx.Value(phasesKey{}).(func(Phase)); ok && tell != nil {
		tell(p)
	}
}
