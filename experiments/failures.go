package experiments

import (
	"fmt"
	"strings"

	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// callFailures decides from a cell's calls whether its strategy could
// make the calls it needed: nil when no call failed, or when the failures
// are within the spec's tolerance and every agent got at least one answer.
func (r *Runner) callFailures(calls []strategy.Call) error {
	var failed []strategy.Call
	per := map[string][2]int{} // agent -> {calls, failures}
	var order []string
	for _, c := range calls {
		n, seen := per[c.Agent]
		if !seen {
			order = append(order, c.Agent)
		}
		n[0]++
		if c.Err != "" {
			n[1]++
			failed = append(failed, c)
		}
		per[c.Agent] = n
	}
	if len(failed) == 0 {
		return nil
	}
	first := failed[0]
	for _, a := range order {
		if n := per[a]; n[0] == n[1] {
			return fmt.Errorf("every call of agent %s failed (%d of %d calls of the cell failed); first: %s", a, len(failed), len(calls), firstLine(first.Err))
		}
	}
	tol := 0.0
	if r.spec.Tolerance != nil {
		tol = r.spec.Tolerance.FailedCalls
	}
	if float64(len(failed)) <= tol*float64(len(calls)) {
		return nil
	}
	return fmt.Errorf("%d of %d LLM calls failed (tolerance %g%%), so the answer rests on fewer calls than the strategy makes; first: agent %s: %s",
		len(failed), len(calls), 100*tol, first.Agent, firstLine(first.Err))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// Noter is a Progress that also shows notes as they happen: a failed LLM
// call, a failed cell, a server being waited for. The runner sends notes
// only to displays that implement it.
type Noter interface {
	Note(msg string)
}

// noteErrors passes a cell's records on and notes every failed call.
type noteErrors struct {
	strategy.Recorder
	cell string
	n    Noter
}

// Call implements strategy.Recorder.
func (e noteErrors) Call(c strategy.Call) {
	e.Recorder.Call(c)
	if c.Err != "" {
		e.n.Note(fmt.Sprintf("LLM error in %s: agent %s: %s", e.cell, c.Agent, firstLine(c.Err)))
	}
}

// SimAnswered reports whether a sim agent (in process, or a sim/... model
// served over HTTP) answered at least one call recorded in dir, so that a
// run says it used the simulator only when it did.
func SimAnswered(dir string) (bool, error) {
	calls, err := record.Read[record.LLMCall](dir, record.TableLLMCalls)
	if err != nil {
		return false, err
	}
	for _, c := range calls {
		if c.Error == "" && (c.Provider == "sim" || strings.HasPrefix(c.Model, "sim/")) {
			return true, nil
		}
	}
	return false, nil
}
