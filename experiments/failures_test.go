package experiments

import (
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/strategy"
)

func TestCallFailures(t *testing.T) {
	ok := func(agent string) strategy.Call { return strategy.Call{Agent: agent} }
	bad := func(agent string) strategy.Call {
		return strategy.Call{Agent: agent, Err: "server answered 500: boom\nmore"}
	}
	cases := []struct {
		name  string
		tol   float64
		calls []strategy.Call
		err   string // "" when the cell is done
	}{
		{name: "no failures", calls: []strategy.Call{ok("a"), ok("b")}},
		{name: "no calls", calls: nil},
		{name: "one failure, no tolerance", calls: []strategy.Call{ok("a"), ok("a"), bad("b"), ok("b")},
			err: "1 of 4 LLM calls failed (tolerance 0%), so the answer rests on fewer calls than the strategy makes; first: agent b: server answered 500: boom"},
		{name: "one failure within tolerance", tol: 0.25, calls: []strategy.Call{ok("a"), ok("a"), bad("b"), ok("b")}},
		{name: "two failures past tolerance", tol: 0.25, calls: []strategy.Call{ok("a"), bad("a"), bad("b"), ok("b")}, err: "2 of 4 LLM calls failed (tolerance 25%)"},
		{name: "every call of one agent, whatever the tolerance", tol: 0.9, calls: []strategy.Call{ok("a"), ok("a"), ok("a"), bad("b")},
			err: "every call of agent b failed (1 of 4 calls of the cell failed); first: server answered 500: boom"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &Runner{spec: &spec.Spec{Tolerance: &spec.ToleranceSpec{FailedCalls: c.tol}}}
			err := r.callFailures(c.calls)
			switch {
			case c.err == "" && err != nil:
				t.Errorf("want done, got %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Errorf("got %v, want %q", err, c.err)
			case err != nil && strings.Contains(err.Error(), "more"):
				t.Errorf("error holds more than the first line: %v", err)
			}
		})
	}
}
