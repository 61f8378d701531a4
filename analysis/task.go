package analysis

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/stats"
	"github.com/lessonlab/lessonl/internal/table"
)

// A report dispatches on each result's task (Result.Task, as its cell
// recorded it) through the task's reporter (layout.go): optimize's
// (speedupLayout: the speedup tables and figures, report.go), generate's
// (passLayout: the pass@1 table in the paper's Table 2 layout,
// generate.go), and for any other task a section of its own, laid out by
// the task's registered value (datasets.RegisterTask) when it is a
// Reporter, else by DefaultTaskReport. analyze prints the same sections
// after its metrics tables (Analyze).

// Reporter is analysis's part of a task (datasets.TaskKind, the one value
// a task is): how its results are laid out. optimize's and generate's
// reporters are built in (their layouts are richer than one table); a
// task other than optimize and generate implements it to choose its
// section's title and table.
type Reporter interface {
	datasets.TaskKind
	Report() TaskReport
}

// TaskReport is how a task's results are reported: a section's title and
// its table (the task's score columns and their summary), computed from
// the task's results and candidates alone.
type TaskReport struct {
	Title string
	Table func(rs []Result, cands []record.Candidate, o Options) *table.Table
	// Scored says in a clause what scoring an answer did, for the sim
	// banner ("every answer's tokens were counted"); "" for a generic
	// clause.
	Scored string
	// Read is how one result of the task reads in the browser's grid and
	// list; nil reads as DefaultReading.
	Read func(r record.Result) Reading
}

// Reading is one result as its task reads it: a short text, whether the
// answer is correct, and the value that orders results. Timed marks a
// task whose answers are timed (optimize): the value is the speedup,
// which the browser shows and colours by its size, else the answer is
// shown by Text and coloured pass or fail.
type Reading struct {
	Text    string
	Correct bool
	Value   float64
	Timed   bool
}

// DefaultReading reads a result as its status, ordered correct first.
func DefaultReading(r record.Result) Reading {
	return Reading{Text: r.Status, Correct: r.Correct, Value: b2f(r.Correct)}
}

// readTimed reads a timed answer: its status, and its speedup when it is
// correct.
func readTimed(r record.Result) Reading {
	rd := Reading{Text: r.Status, Correct: r.Correct, Timed: true}
	if r.Correct {
		rd.Value = r.Speedup
	}
	return rd
}

// ReadResult is how a result of the named task reads: by its reporter's
// Read (optimize's and generate's included), else DefaultReading.
func ReadResult(r record.Result, task string) Reading {
	if read := layoutOf(task).Report().Read; read != nil {
		return read(r)
	}
	return DefaultReading(r)
}

// taskReportOf is the report of the named task: its reporter's.
func taskReportOf(task string) TaskReport { return layoutOf(task).Report() }

// DefaultTaskReport reports a task whose value is no Reporter: per
// method, its cells and problems, the share whose answer is correct and
// the answers' mean score (results.score, in the task's own unit), each
// with a bootstrap interval over problems, seeds nested (n instead when
// fewer than minIntervalN problems back it).
var DefaultTaskReport = TaskReport{Title: "Results", Table: func(rs []Result, _ []record.Candidate, o Options) *table.Table {
	o.fill()
	correct, score := map[string]map[string][]float64{}, map[string]map[string][]float64{}
	cells := map[string]int{}
	for _, r := range rs {
		l := r.Label()
		if correct[l] == nil {
			correct[l], score[l] = map[string][]float64{}, map[string][]float64{}
		}
		cells[l]++
		correct[l][r.ProblemID] = append(correct[l][r.ProblemID], b2f(r.Correct))
		score[l][r.ProblemID] = append(score[l][r.ProblemID], r.Score)
	}
	t := &table.Table{Columns: table.Cols("method", "cells", "problems", "correct", "mean score"),
		Notes: []string{fmt.Sprintf("correct = share of cells whose answer the task scored correct; mean score = mean of results.score, in the task's unit; interval: bootstrap over problems, seeds nested (n problems when fewer than %d)", minIntervalN)}}
	for _, l := range sortedKeys(cells) {
		t.AddTexts(l, fmt.Sprint(cells[l]), fmt.Sprint(len(correct[l])), nestedText(problemGroups(correct[l]), o), nestedText(problemGroups(score[l]), o))
	}
	return t
}}

// nestedText is the mean of groups (one per problem, its seeds' values)
// with its bootstrap interval, or with its n when too few problems back
// an interval.
func nestedText(groups [][]float64, o Options) string {
	iv := o.bootstrap().Nested(groups, stats.Mean)
	if len(groups) < minIntervalN {
		return fmt.Sprintf("%.3f (n=%d)", iv.Point, len(groups))
	}
	return fmt.Sprintf("%.3f [%.3f, %.3f]", iv.Point, iv.Low, iv.High)
}

// TaskSection is the report's section of one task other than optimize
// and generate.
type TaskSection struct {
	Task  string       `json:"task"`
	Title string       `json:"title"`
	Table *table.Table `json:"table"`
}

// TaskSections computes the sections of results of tasks other than
// optimize and generate, one per task in name order, each laid out by its
// task's report (its registered Reporter, else DefaultTaskReport).
func TaskSections(rs []Result, cands []record.Candidate, o Options) []TaskSection {
	ls, by := byLayout(rs)
	var out []TaskSection
	for _, l := range ls {
		if s, ok := l.(sectionLayout); ok {
			out = append(out, s.section(by[l.Name()], cands, o))
		}
	}
	return out
}

// Analysis is what analyze computes for runs: the metrics rows of their
// optimize and generate results, the generate task's pass@1 table (the
// paper's Table 2 layout; nil when no result is of that task) and the
// section of each other task.
type Analysis struct {
	Metrics  []Row         `json:"metrics"`
	Generate *GenTable     `json:"generate,omitempty"`
	Tasks    []TaskSection `json:"tasks,omitempty"`
}

// Summarize computes what analyze prints for runs: the metrics rows,
// and each task's part besides them, as its reporter computes it.
func Summarize(r *Runs, o Options) *Analysis {
	a := &Analysis{Metrics: Metrics(r.Results, o)}
	ls, by := byLayout(r.Results)
	for _, l := range ls {
		l.analyze(a, by[l.Name()], r.Candidates, o)
	}
	return a
}

// MarshalJSON is the metrics rows alone when every result is of the
// optimize task (the form that predates the other tasks), else an object
// with "metrics", "generate" (when some results are of code generation)
// and "tasks" (each other task's section: its task, title and table).
func (a *Analysis) MarshalJSON() ([]byte, error) {
	if a.Generate == nil && len(a.Tasks) == 0 {
		return json.Marshal(a.Metrics)
	}
	type plain Analysis // without the method
	c := plain(*a)
	if c.Metrics == nil {
		c.Metrics = []Row{}
	}
	return json.Marshal(c)
}

// Analyze writes what analyze prints for runs: the metrics table of their
// optimize and generate results (MetricsTable; categories adds the
// per-category rows) and then, for each other task, its section as a text
// table. Runs of other tasks alone print their sections alone.
func Analyze(w io.Writer, r *Runs, o Options, categories bool) error {
	return Summarize(r, o).Text(w, categories)
}

// Text writes the metrics table (MetricsTable; categories adds the
// per-category rows) and then each other task's section as a text table;
// only the sections when there are no metrics rows but sections.
func (a *Analysis) Text(w io.Writer, categories bool) error {
	rows, secs := a.Metrics, a.Tasks
	if len(rows) > 0 || len(secs) == 0 {
		if err := MetricsTable(w, rows, categories); err != nil {
			return err
		}
	}
	for i, s := range secs {
		if i > 0 || len(rows) > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "task %s: %s\n", s.Task, s.Title)
		if err := s.Table.WriteText(w); err != nil {
			return fmt.Errorf("task %s: %w", s.Task, err)
		}
	}
	return nil
}

// latex writes the section as a booktabs table, captioned with its task
// and title and labelled tab:task-NAME.
func (s TaskSection) latex(w io.Writer, note *texNoteWriter) {
	t := *s.Table
	t.TeXCaption = texEsc.Replace(fmt.Sprintf("Task %s: %s", s.Task, s.Title)) + note.mark()
	t.Label = "tab:task-" + s.Task
	t.TeXBelow = note.below()
	t.WriteLaTeX(w)
}

// markdown writes the section, under the sim banner of its task when the
// runs are simulated.
func (s TaskSection) markdown(w io.Writer, simulated bool) {
	fmt.Fprintf(w, "## Task %s: %s\n\n", s.Task, s.Title)
	if simulated {
		fmt.Fprintf(w, "> **%s**\n\n", SimBannerTask(s.Task))
	}
	s.Table.WriteMarkdown(w)
	fmt.Fprintln(w)
}
