package analysis

import (
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

// TestLayoutOf: every task's results are laid out by its reporter:
// optimize's (and results without a task) by the speedup layout,
// generate's by the Table 2 layout, a task registered with a Reporter by
// a section of its report, any other by a section of DefaultTaskReport;
// each says whether it has metrics rows, the metric its cells pair by and
// where its part of a report goes.
func TestLayoutOf(t *testing.T) {
	for _, tt := range []struct {
		task, name, title, paired string
		rows                      bool
		place                     int
	}{
		{"", TaskOptimize, "Speedups", MetricSpeedup, true, 2},
		{TaskOptimize, TaskOptimize, "Speedups", MetricSpeedup, true, 2},
		{TaskGenerate, TaskGenerate, "Code generation: pass@1", MetricPass1, true, 0},
		{"readings", "readings", "readings", "", false, 1},
		{"quiz", "quiz", DefaultTaskReport.Title, "", false, 1},
	} {
		l := layoutOf(tt.task)
		if l.Name() != tt.name || l.Report().Title != tt.title || l.paired().name != tt.paired || l.hasRows() != tt.rows || l.place() != tt.place {
			t.Errorf("task %q: reporter %s titled %q, paired by %q, rows %v, place %d; want %s, %q, %q, %v, %d",
				tt.task, l.Name(), l.Report().Title, l.paired().name, l.hasRows(), l.place(), tt.name, tt.title, tt.paired, tt.rows, tt.place)
		}
	}
}

// TestByLayout: results are grouped by their task's reporter in a
// report's order (generate's Table 2, the other tasks' sections by name,
// optimize's speedups), results without a task with optimize's, and a
// group of mixed tasks is laid out as optimize's.
func TestByLayout(t *testing.T) {
	opt := Wrap([]record.Result{{Strategy: "a", ProblemID: "p1"}})
	none := WrapTask("", []record.Result{{Strategy: "a", ProblemID: "p2"}})
	gen := WrapTask(TaskGenerate, []record.Result{{Strategy: "g", ProblemID: "h1"}})
	quiz, own := WrapTask("quiz", []record.Result{{Strategy: "q"}}), WrapTask("readings", []record.Result{{Strategy: "r"}})
	var rs []Result
	for _, g := range [][]Result{opt, quiz, none, own, gen} {
		rs = append(rs, g...)
	}
	ls, by := byLayout(rs)
	var names []string
	for _, l := range ls {
		names = append(names, l.Name())
	}
	if got, want := strings.Join(names, ","), strings.Join([]string{TaskGenerate, "quiz", "readings", TaskOptimize}, ","); got != want {
		t.Errorf("reporters %s, want %s", got, want)
	}
	if len(by[TaskOptimize]) != 2 || len(by[TaskGenerate]) != 1 || len(by["quiz"]) != 1 {
		t.Errorf("grouped %d optimize, %d generate, %d quiz; want 2, 1, 1", len(by[TaskOptimize]), len(by[TaskGenerate]), len(by["quiz"]))
	}
	if l := commonLayout(append(append([]Result(nil), gen...), opt...)); l.Name() != TaskOptimize {
		t.Errorf("a mixed group is laid out by %s, want optimize's", l.Name())
	}
	if l := commonLayout(gen); l.Name() != TaskGenerate {
		t.Errorf("a generate group is laid out by %s", l.Name())
	}
}
