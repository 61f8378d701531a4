package analysis

import (
	"fmt"
	"io"
	"sort"

	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/table"
)

// A report dispatches on each result's task (Result.Task, as its cell
// recorded it): optimize results make the speedup tables and figures,
// generate results the pass@1 table (generate.go), and the results of any
// other task a section of their own, laid out by the TaskReport the task
// registered (RegisterTaskReport), else by DefaultTaskReport.

// TaskReport is how a task's results are reported: a section's title and
// its table, computed from the task's results and candidates alone.
type TaskReport struct {
	Title string
	Table func(rs []Result, cands []record.Candidate, o Options) *table.Table
}

var taskReports = map[string]TaskReport{}

// RegisterTaskReport sets the report of the named task; it panics on a
// report without a table or a task registered twice (programming errors).
// optimize and generate have their own layouts and cannot be registered.
func RegisterTaskReport(task string, r TaskReport) {
	if r.Table == nil || task == "" || task == TaskOptimize || task == TaskGenerate {
		panic(fmt.Sprintf("analysis.RegisterTaskReport: task %q needs a name of its own and a table", task))
	}
	if _, dup := taskReports[task]; dup {
		panic(fmt.Sprintf("analysis.RegisterTaskReport: task %q registered twice", task))
	}
	taskReports[task] = r
}

// DefaultTaskReport reports a task that registered no report: per method,
// its cells and the share whose answer is correct.
var DefaultTaskReport = TaskReport{Title: "Results", Table: func(rs []Result, _ []record.Candidate, _ Options) *table.Table {
	type acc struct{ cells, correct int }
	by := map[string]*acc{}
	for _, r := range rs {
		l := r.Label()
		if by[l] == nil {
			by[l] = &acc{}
		}
		by[l].cells++
		if r.Correct {
			by[l].correct++
		}
	}
	labels := make([]string, 0, len(by))
	for l := range by {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	t := &table.Table{Columns: table.Cols("method", "cells", "correct")}
	for _, l := range labels {
		a := by[l]
		t.AddTexts(l, fmt.Sprint(a.cells), fmt.Sprintf("%.2f", float64(a.correct)/float64(a.cells)))
	}
	return t
}}

// TaskSection is the report's section of one task other than optimize
// and generate.
type TaskSection struct {
	Task  string
	Title string
	Table *table.Table
}

// isOptimize reports whether a result is of the optimize task, the one
// the speedup tables cover; results made in memory without a task count
// as optimize (see Wrap).
func (r Result) isOptimize() bool { return r.Keys.Task == TaskOptimize || r.Keys.Task == "" }

// taskSections computes the sections of results of tasks other than
// optimize and generate, one per task in name order.
func taskSections(rs []Result, cands []record.Candidate, o Options) []TaskSection {
	by := map[string][]Result{}
	for _, r := range rs {
		if !r.isOptimize() && !r.Generate() {
			by[r.Task()] = append(by[r.Task()], r)
		}
	}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []TaskSection
	for _, n := range names {
		keep := map[string]bool{}
		for _, r := range by[n] {
			keep[record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)] = true
		}
		var cs []record.Candidate
		for _, c := range cands {
			if keep[record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)] {
				cs = append(cs, c)
			}
		}
		rep, ok := taskReports[n]
		if !ok {
			rep = DefaultTaskReport
		}
		out = append(out, TaskSection{Task: n, Title: rep.Title, Table: rep.Table(by[n], cs, o)})
	}
	return out
}

// tasksMarkdown writes the sections of the other tasks.
func (rep *Report) tasksMarkdown(w io.Writer) {
	for _, s := range rep.Tasks {
		fmt.Fprintf(w, "## Task %s: %s\n\n", s.Task, s.Title)
		if rep.Runs.Simulated() {
			fmt.Fprintf(w, "> **%s**\n\n", SimBanner)
		}
		s.Table.WriteMarkdown(w)
		fmt.Fprintln(w)
	}
}
