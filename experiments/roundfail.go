package experiments

import (
	"context"
	"fmt"
	"sync"

	"github.com/lessonlab/lessonl/internal/strategy"
)

// RoundFailedError stops a cell whose calls of one round all failed (a
// dead endpoint, say): the rounds after it would only call again and
// fail again, each after its retries.
type RoundFailedError struct {
	Round int
	Calls int
	First string // the first failure's message
}

func (e *RoundFailedError) Error() string {
	return fmt.Sprintf("every LLM call of round %d failed (%d calls), so the cell stopped there; first: %s", e.Round, e.Calls, firstLine(e.First))
}

// roundGuard passes a cell's records on and cancels the cell (with a
// RoundFailedError as the cause) once a round has as many failed calls
// as the cell has agents and no call of it succeeded.
type roundGuard struct {
	strategy.Recorder
	agents int
	cancel context.CancelCauseFunc

	mu      sync.Mutex
	byRound map[int]*roundCalls
}

type roundCalls struct {
	calls, failed int
	first         string
}

// Call implements strategy.Recorder.
func (g *roundGuard) Call(c strategy.Call) {
	g.Recorder.Call(c)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.byRound == nil {
		g.byRound = map[int]*roundCalls{}
	}
	n := g.byRound[c.Round]
	if n == nil {
		n = &roundCalls{}
		g.byRound[c.Round] = n
	}
	n.calls++
	if c.Err != "" {
		n.failed++
		if n.first == "" {
			n.first = c.Err
		}
	}
	if n.failed == n.calls && n.failed >= max(1, g.agents) {
		g.cancel(&RoundFailedError{Round: c.Round, Calls: n.failed, First: n.first})
	}
}
