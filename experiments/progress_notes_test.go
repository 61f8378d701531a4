package experiments

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// TestProgressNotes: both displays show notes (LLM errors, waits) as they
// come and count failed cells.
func TestProgressNotes(t *testing.T) {
	for _, c := range []struct {
		name string
		p    func(*bytes.Buffer) interface {
			Progress
			Noter
		}
		failed string
	}{
		{"lines", func(b *bytes.Buffer) interface {
			Progress
			Noter
		} {
			return &Lines{W: b}
		}, "1 failed"},
		{"bars", func(b *bytes.Buffer) interface {
			Progress
			Noter
		} {
			return &Bars{W: b}
		}, "1 failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := c.p(&buf)
			p.Note("waiting for agent a: m at http://x/v1 (5s of 2m): connection refused")
			p.Start(map[string]int{"single": 2})
			p.Note("LLM error in single||p|1: agent a: server answered 500")
			p.Done("single", Score{Failed: true})
			p.Done("single", Score{Speedup: 1.5})
			p.Close()
			out := buf.String()
			for _, want := range []string{"waiting for agent a", "LLM error in single||p|1", c.failed} {
				if !strings.Contains(out, want) {
					t.Errorf("display lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// TestProgressGenerate: code-generation cells, read by their task, show
// passed or not by the hidden tests of their recorded final candidate
// (the strategy's own copy holds none) and the running pass@1 (they have
// no speedup), on both displays; a cell of optimize shows its speedup.
func TestProgressGenerate(t *testing.T) {
	generate, ok := strategy.LookupTask(strategy.TaskGenerate)
	if !ok {
		t.Fatal("no generate task")
	}
	cell := func(problem string, hidden pyeval.Status) *CellRecords {
		shown := strategy.Candidate{ID: "k1", Status: strategy.GenUnjudged, Outcome: &strategy.GenOutcome{}}
		recorded := shown
		recorded.Status, recorded.Outcome = string(hidden), &strategy.GenOutcome{Hidden: pyeval.Verdict{Status: hidden}}
		return &CellRecords{Cell: spec.Cell{Strategy: "single", Problem: problem, Seed: 1}, Status: "done",
			Result: strategy.Result{Final: &shown}, Candidates: []strategy.Candidate{recorded}}
	}
	var lines bytes.Buffer
	l := &Lines{W: &lines}
	l.Start(map[string]int{"single": 2})
	l.Done("single", scoreOf(cell("py-01", pyeval.Passed), generate))
	l.Done("single", scoreOf(cell("py-02", pyeval.Failed), generate))
	l.Close()
	out := lines.String()
	for _, want := range []string{"single py-01: passed (1/2 of single done; running pass@1 1.000)", "single py-02: not passed (2/2 of single done; running pass@1 0.500)"} {
		if !strings.Contains(out, want) {
			t.Errorf("lines lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "geomean") || strings.Contains(out, "x)") {
		t.Errorf("lines show speedups for code generation:\n%s", out)
	}
	optimize, _ := strategy.LookupTask(strategy.TaskOptimize)
	fast := strategy.Candidate{ID: "k1", Status: "correct", Outcome: strategy.Timed{Outcome: evaluate.Outcome{Speedup: 2}}}
	var ta tally
	ta.start(map[string]int{"opt": 1, "gen": 1})
	ta.add("opt", scoreOf(&CellRecords{Status: "done", Result: strategy.Result{Final: &fast}}, optimize))
	ta.add("gen", scoreOf(cell("py-01", pyeval.Passed), generate))
	if got := ta.running("opt") + " | " + ta.running("gen"); got != "geomean 2.000x | pass@1 1.000" {
		t.Errorf("bars' running figures %q", got)
	}
}
