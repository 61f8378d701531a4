package analysis

import (
	"io"
	"sort"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/stats"
)

// Every path of analysis that lays results out (Metrics, analyze's
// tables, Summarize, Build and its Markdown and LaTeX, Compare,
// CompareReference, Deltas, Ablate, the sim banner and the browser's
// reading) asks the task's reporter, found by layoutOf, for its part.
// optimize's speedup layout (speedupLayout, report.go) and generate's
// Table 2 layout (passLayout, generate.go) are the two Reporters
// registered here; any other task's Reporter (registered with its task
// value, datasets.RegisterTask) is laid out as one section of its own
// (sectionLayout), and a task without one by DefaultTaskReport.

// layout is a task's reporter as analysis's paths ask it. A task with
// metrics rows (optimize, generate) summarizes a group of its results
// into a Row and prints its rows in analyze's table; a task whose cells
// pair up across runs names the metric they are compared by; every task
// builds its part of a report and writes it.
type layout interface {
	Reporter
	// place orders the tasks' parts of a report: generate's Table 2
	// first (0), then the other tasks' sections by name (1), optimize's
	// speedup sections last (2).
	place() int
	// hasRows says whether the task's results have metrics rows (Metrics).
	hasRows() bool
	// summarize fills row, whose keys are set, from one group of the
	// task's results.
	summarize(row Row, g []Result, o Options) Row
	// metricsText writes analyze's table of the task's metrics rows.
	metricsText(w io.Writer, rows []Row) error
	// paired is the metric the task's cells are compared by across
	// runs (Deltas, Compare); its name is "" for a task without one.
	paired() pairedMetric
	// ablations are the metrics an ablation draws for the task's cells
	// when none is named.
	ablations() []string
	// build computes the task's part of rep from its results rs.
	build(rep *Report, rs []Result) error
	// markdown and latex write the task's part of a report.
	markdown(rep *Report, w io.Writer)
	latex(rep *Report, w io.Writer, note *texNoteWriter)
	// analyze adds the task's part, besides its metrics rows, to what
	// analyze computes for its results rs.
	analyze(a *Analysis, rs []Result, cands []record.Candidate, o Options)
	// against tests the task's results rs against the reference method
	// (lessonl compare --reference); false when the task has no such
	// test.
	against(a *AgainstReference, rs []Result, cands []record.Candidate, reference string, o Options) (bool, error)
	// banner is the sim banner of runs whose every result is of the task.
	banner() string
}

// pairedMetric is what a task's cells are compared by: the metric's
// name (MetricSpeedup, MetricPass1), a cell's value, and the center of
// a group of values (the geometric mean of speedups, the mean share).
type pairedMetric struct {
	name   string
	value  func(Result) float64
	center func([]float64) float64
}

// builtinLayouts are the reporters of optimize and generate, in the order
// analyze prints their metrics tables and an ablation draws their
// metrics. optimize's is the default: results made in memory without a
// task, and groups that mix tasks, are laid out as optimize's.
var builtinLayouts = []layout{speedupLayout{}, passLayout{}}

// defaultLayout is optimize's speedup layout.
var defaultLayout layout = speedupLayout{}

// layoutOf is the reporter of the named task: optimize's ("" included)
// or generate's built in, else the task value's when it is a Reporter
// with a table, else DefaultTaskReport, each of the last two as a
// section of its own.
func layoutOf(task string) layout {
	if task == "" {
		return defaultLayout
	}
	for _, l := range builtinLayouts {
		if l.Name() == task {
			return l
		}
	}
	if t, ok := datasets.LookupTask(task); ok {
		if r, ok := t.(Reporter); ok && r.Report().Table != nil {
			return sectionLayout{name: task, rep: r.Report()}
		}
	}
	return sectionLayout{name: task, rep: DefaultTaskReport}
}

// layout is the reporter of the result's task.
func (r Result) layout() layout { return layoutOf(r.Task()) }

// commonLayout is the reporter of a group's results: their task's when
// they share one, else the default (speedup) layout.
func commonLayout(g []Result) layout {
	if len(g) == 0 {
		return defaultLayout
	}
	l := g[0].layout()
	for _, r := range g[1:] {
		if r.layout().Name() != l.Name() {
			return defaultLayout
		}
	}
	return l
}

// byLayout groups results by their task's reporter: the reporters in a
// report's order (place, then name) and each one's results, in their
// order, by its name.
func byLayout(rs []Result) ([]layout, map[string][]Result) {
	by := map[string][]Result{}
	var ls []layout
	for _, r := range rs {
		l := r.layout()
		if _, ok := by[l.Name()]; !ok {
			ls = append(ls, l)
		}
		by[l.Name()] = append(by[l.Name()], r)
	}
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].place() != ls[j].place() {
			return ls[i].place() < ls[j].place()
		}
		return ls[i].Name() < ls[j].Name()
	})
	return ls, by
}

// sectionLayout lays the results of a task other than optimize and
// generate out as one section: its report's title and table, in
// analyze's output after the metrics tables and in a report between
// generate's Table 2 and optimize's speedups. Its results have no
// metrics rows, no paired metric and no ablation.
type sectionLayout struct {
	name string
	rep  TaskReport
}

// Name implements datasets.TaskKind.
func (s sectionLayout) Name() string { return s.name }

// Report implements Reporter.
func (s sectionLayout) Report() TaskReport { return s.rep }

func (sectionLayout) place() int                                   { return 1 }
func (sectionLayout) hasRows() bool                                { return false }
func (sectionLayout) summarize(row Row, _ []Result, _ Options) Row { return row }
func (sectionLayout) metricsText(io.Writer, []Row) error           { return nil }
func (sectionLayout) paired() pairedMetric                         { return pairedMetric{} }
func (sectionLayout) ablations() []string                          { return nil }

func (sectionLayout) against(*AgainstReference, []Result, []record.Candidate, string, Options) (bool, error) {
	return false, nil
}

func (s sectionLayout) banner() string { return SimBannerTask(s.name) }

// section computes the task's section from its results and the
// candidates of their cells.
func (s sectionLayout) section(rs []Result, cands []record.Candidate, o Options) TaskSection {
	keep := map[string]bool{}
	for _, r := range rs {
		keep[record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)] = true
	}
	var cs []record.Candidate
	for _, c := range cands {
		if keep[record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)] {
			cs = append(cs, c)
		}
	}
	return TaskSection{Task: s.name, Title: s.rep.Title, Table: s.rep.Table(rs, cs, o)}
}

func (s sectionLayout) build(rep *Report, rs []Result) error {
	rep.Tasks = append(rep.Tasks, s.section(rs, rep.Runs.Candidates, rep.Options))
	return nil
}

func (s sectionLayout) analyze(a *Analysis, rs []Result, cands []record.Candidate, o Options) {
	a.Tasks = append(a.Tasks, s.section(rs, cands, o))
}

// markdown writes the task's section.
func (s sectionLayout) markdown(rep *Report, w io.Writer) {
	for _, sec := range rep.Tasks {
		if sec.Task == s.name {
			sec.markdown(w, rep.Runs.Simulated())
		}
	}
}

// latex writes the task's section as a booktabs table, captioned with its
// task and title and labelled tab:task-NAME.
func (s sectionLayout) latex(rep *Report, w io.Writer, note *texNoteWriter) {
	for _, sec := range rep.Tasks {
		if sec.Task == s.name {
			sec.latex(w, note)
		}
	}
}

// speedupMetric is optimize's paired metric: the paper's speedup (a
// failed or slower answer 1×), centred by the geometric mean.
var speedupMetric = pairedMetric{name: MetricSpeedup, value: PaperSpeedup, center: stats.GeoMean}

// passMetric is generate's: 1 when the answer passed every hidden test,
// centred by the mean (pass@1).
var passMetric = pairedMetric{name: MetricPass1, value: func(r Result) float64 { return b2f(r.Correct) }, center: stats.Mean}
