package analysis

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/stats"
	"github.com/lessonlab/lessonl/internal/table"
)

// Report is everything a report shows, computed once from the records;
// the Markdown and LaTeX writers only format it.
type Report struct {
	Runs        *Runs
	Options     Options
	Rows        []Row
	Paper       []PaperRow
	Progress    []Progress
	Agents      []AgentCell
	Costs       []Cost
	Comparisons []Comparison
	Reference   string
	Figures     []*Figure
	// Style gives each series its colour, marker and place in the
	// figures' and tables' order: the reference first, then the order
	// the runs were picked in (Runs.Pick), then by name.
	Style *Style
	// GenRounds are code-generation pass@1 per round (GenRounds).
	GenRounds []GenRound
	// Ablations are the metric-against-parameter figures' data (Ablate).
	Ablations []AblationSet
	// Generate is the code-generation table (Table 2 layout) when some
	// results are of generate cells (generate.go).
	Generate *GenTable
	// Tasks are the sections of results of other tasks (task.go).
	Tasks []TaskSection
	// layouts are the reporters of the results' tasks, in the report's
	// order (byLayout): each builds and writes its part.
	layouts []layout
}

// Build computes a report; reference names the strategy (label) others
// are compared with, "" for no comparison.
func Build(r *Runs, o Options, reference string) (*Report, error) {
	o.fill()
	rep := &Report{Runs: r, Options: o, Reference: reference}
	rep.Style = NewStyle(nil)
	if reference != "" {
		rep.Style.SetOrder([]string{reference})
	}
	rep.Style.SetOrder(r.Order)
	// Only optimize and generate results have metrics rows; the other
	// tasks' results are in their sections alone.
	rep.Rows = Metrics(r.Results, o)
	ls, by := byLayout(r.Results)
	if len(ls) == 0 {
		ls = []layout{defaultLayout} // no results: the speedup layout's empty tables
	}
	rep.layouts = ls
	for _, l := range ls {
		if err := l.build(rep, by[l.Name()]); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// speedupLayout is the optimize task's reporter: the speedup tables (the
// runs, overall metrics, comparisons with the reference, the paper's
// Table 1 layout, per category, by round, per agent, cost) and figures,
// from the task's results alone.
type speedupLayout struct{}

// Name implements datasets.TaskKind.
func (speedupLayout) Name() string { return TaskOptimize }

// Report implements Reporter: optimize's answers are timed and read by
// their speedup; its tables are the report's speedup sections.
func (speedupLayout) Report() TaskReport {
	return TaskReport{Title: "Speedups", Scored: "every candidate was really compiled, validated and timed", Read: readTimed}
}

func (speedupLayout) place() int    { return 2 }
func (speedupLayout) hasRows() bool { return true }
func (speedupLayout) summarize(row Row, g []Result, o Options) Row {
	return summarizeSpeedup(row, g, o)
}
func (speedupLayout) metricsText(w io.Writer, rows []Row) error                { return speedupText(w, rows) }
func (speedupLayout) paired() pairedMetric                                     { return speedupMetric }
func (speedupLayout) ablations() []string                                      { return []string{MetricSpeedup, MetricTwoX} }
func (speedupLayout) banner() string                                           { return SimBanner }
func (speedupLayout) analyze(*Analysis, []Result, []record.Candidate, Options) {}

// against pairs every method's speedups with the reference's (Compare).
func (speedupLayout) against(a *AgainstReference, rs []Result, _ []record.Candidate, reference string, o Options) (bool, error) {
	cs, err := Compare(rs, reference, o)
	if err != nil {
		return true, err
	}
	a.Comparisons = cs
	return true, nil
}

// build computes the speedup tables and figures from the optimize
// results rs.
func (speedupLayout) build(rep *Report, rs []Result) error {
	r, o, reference := rep.Runs, rep.Options, rep.Reference
	speed := r
	if len(rs) != len(r.Results) {
		c := *r
		c.Results = rs
		speed = &c
	}
	rep.Paper = PaperTable(speed, o)
	rep.Progress = Progression(speed.Results)
	rep.Agents = AgentsByCategory(speed.Results, r.Calls)
	rep.Costs = Costs(speed)
	if reference != "" {
		cmp, err := Compare(speed.Results, reference, o)
		if err != nil {
			return err
		}
		rep.Comparisons = cmp
	}
	sim := r.Simulated()
	var labels []string
	for _, row := range rep.speedRows() {
		labels = append(labels, label(row.Strategy, row.Variant))
	}
	st := NewStyle(labels) // one colour per strategy across every figure
	st.rank = rep.Style.rank
	rep.Style = st
	if f, err := CategoryBars(rep.speedRows(), sim, st); err == nil {
		rep.Figures = append(rep.Figures, f)
	}
	if f, err := RoundCurves(rep.Progress, sim, st); err == nil {
		rep.Figures = append(rep.Figures, f)
	}
	if f, err := AgentHeatmap(rep.Agents, sim); err == nil {
		rep.Figures = append(rep.Figures, f)
	}
	if f, err := SpeedupECDF(speed.Results, sim, st); err == nil {
		rep.Figures = append(rep.Figures, f)
	}
	if f, err := CostScatter(rep.Costs, sim, st); err == nil {
		rep.Figures = append(rep.Figures, f)
	}
	return nil
}

// markdown writes the speedup sections: how the numbers are made, the
// runs, overall, compared with the reference, the paper's layout, per
// category, by round, per agent and cost.
func (speedupLayout) markdown(rep *Report, w io.Writer) {
	for _, section := range []func(io.Writer){rep.preambleMarkdown, rep.runsMarkdown, rep.overallMarkdown, rep.comparedMarkdown, rep.paperMarkdown,
		rep.categoriesMarkdown, rep.progressMarkdown, rep.agentsMarkdown, rep.costMarkdown} {
		section(w)
	}
}

// latex writes the speedup tables: overall (the note under it when it is
// the first table), the paper's layout and per category.
func (speedupLayout) latex(rep *Report, w io.Writer, note *texNoteWriter) {
	mark := note.mark()
	rep.overallLaTeX(w, note)
	rep.paperLaTeX(w, mark)
	rep.categoriesLaTeX(w, mark)
}

// speedRows are the metrics rows of code-optimization cells, the ones
// with speedups.
func (rep *Report) speedRows() []Row {
	var out []Row
	for _, r := range rep.Rows {
		if layoutOf(r.Task) == defaultLayout {
			out = append(out, r)
		}
	}
	return out
}

// Write writes the report into dir: report.md, tables.tex, and each figure
// as PNG, SVG and PDF. It returns the files written.
func (rep *Report) Write(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	for _, f := range rep.Figures {
		paths, err := f.Save(dir, "png", "svg", "pdf")
		files = append(files, paths...)
		if err != nil {
			return files, err
		}
	}
	for _, doc := range []struct {
		name  string
		write func(io.Writer)
	}{{"report.md", rep.Markdown}, {"tables.tex", rep.LaTeX}} {
		f, err := os.Create(filepath.Join(dir, doc.name))
		if err != nil {
			return files, err
		}
		doc.write(f)
		if err := f.Close(); err != nil {
			return files, fmt.Errorf("write %s: %w", f.Name(), err)
		}
		files = append(files, f.Name())
	}
	return files, nil
}

// twoXLabel is what the 2× column counts: ≥2× by default (the authors'
// code), >2× with the strict option (the paper's text).
func (rep *Report) twoXLabel() string {
	return fmt.Sprintf("%s%g×", rep.Options.twoXOp(), rep.Options.TwoX)
}

// twoXTeX is twoXLabel in LaTeX.
func (rep *Report) twoXTeX() string { return rep.Options.twoXTeX() }

// seedStd is the ± across seeds, "–" with a single seed (nothing to
// estimate a spread from; the table's legend says n = 1 once).
func seedStd(r Row) string {
	if r.Seeds < 2 {
		return "–"
	}
	return fx(r.GeoStdSeeds)
}

// minIntervalN is the fewest problems a bootstrap interval is shown for:
// with one or two, resampling them says nothing about the spread.
const minIntervalN = stats.MinIntervalN

// geoCI is a row's geometric mean with its interval, or with its n when
// too few problems back an interval.
func geoCI(r Row) string {
	if r.Problems < minIntervalN {
		return fmt.Sprintf("%s (n=%d)", fx(r.GeoMean), r.Problems)
	}
	return fmt.Sprintf("%s [%s, %s]", fx(r.GeoMean), fx(r.GeoLow), fx(r.GeoHigh))
}

// pm is a mean ± std across seeds, the mean alone with one seed (the
// table's legend says n = 1 once).
func pm(mean, std float64, seeds int, sep string) string {
	if seeds < 2 {
		return fmt.Sprintf("%.2f", mean)
	}
	return fmt.Sprintf("%.2f%s%.2f", mean, sep, std)
}

// wallText is a run's wall time, or – while it has not ended.
func wallText(m *record.Manifest) string {
	if m.Ended.IsZero() {
		return "–"
	}
	return m.Ended.Sub(m.Started).Round(time.Second).String()
}

func pct(x float64) string { return fmt.Sprintf("%.0f%%", x) }

func fx(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.2f", x)
}

// Markdown writes the report as Markdown.
func (rep *Report) Markdown(w io.Writer) {
	fmt.Fprintf(w, "# lessonl report\n\n")
	for _, l := range rep.layouts {
		l.markdown(rep, w)
	}
	rep.ablationMarkdown(w)
	rep.figuresMarkdown(w)
}

// preambleMarkdown is the simulator's banner and how the numbers are made.
func (rep *Report) preambleMarkdown(w io.Writer) {
	o := rep.Options
	if rep.Runs.Simulated() {
		fmt.Fprintf(w, "> **%s**\n\n", SimBanner)
	}
	fmt.Fprintf(w, "Speedup = baseline time / candidate time (median of interleaved pairs' ratios, in two builds that swap the sides' places). A failed or slower answer counts 1× in geometric means (the paper's convention) and 0 in the mean speedup. Intervals: %d bootstrap resamples over problems with seeds nested, seed %d, level %.0f%%. \"≥2×\" counts speedups %s %g.\n\n",
		o.Resamples, o.Seed, 100*o.Level, o.twoXOp(), o.TwoX)
}

// runsMarkdown is the table of runs, the sandbox, and the warnings of
// partial records and of mixed protocols.
func (rep *Report) runsMarkdown(w io.Writer) {
	fmt.Fprintf(w, "## Runs\n\n")
	runs := table.Table{Columns: table.Cols("run", "spec", "protocol", "host", "CPU", "compiler", "cells", "state", "shards", "started", "wall")}
	for i, m := range rep.Runs.Manifests {
		runs.AddTexts(rep.Runs.Dirs[i], fmt.Sprintf("%s (%.10s)", m.Name, m.SpecHash), rep.Runs.Protocol(i), m.Host, fmt.Sprintf("%s (%d cores)", m.CPU, m.Cores),
			m.Compiler, fmt.Sprint(m.Cells), rep.Runs.stateText(rep.Runs.Dirs[i]), strings.Join(m.Shards, " "), m.Started.Format(time.RFC3339), wallText(m))
	}
	runs.WriteMarkdown(w)
	if len(rep.Runs.Manifests) > 0 {
		m := rep.Runs.Manifests[0]
		fmt.Fprintf(w, "\nSandbox enforced on generated code (first run): ")
		var parts []string
		for _, k := range sortedKeys(m.Sandbox) {
			parts = append(parts, fmt.Sprintf("%s: %s", k, m.Sandbox[k]))
		}
		fmt.Fprintf(w, "%s.\n\n", strings.Join(parts, "; "))
	}
	for _, pw := range rep.Runs.Warnings {
		fmt.Fprintf(w, "> **Warning: partial records.** %s.\n\n", pw)
	}

	if warn := rep.protocolWarning(); warn != "" {
		fmt.Fprintf(w, "> **Warning: protocols differ.** %s\n\n", warn)
	}
}

// seeds is the most seeds any overall row has.
func (rep *Report) seeds() int {
	seeds := 0
	for _, r := range rep.overallRows() {
		seeds = max(seeds, r.Seeds)
	}
	return seeds
}

// overallMarkdown is each series' metrics over all categories.
func (rep *Report) overallMarkdown(w io.Writer) {
	fmt.Fprintf(w, "## Overall\n\n%s", rep.orderText())
	if rep.seeds() < 2 {
		fmt.Fprintf(w, " One seed (n = 1): no spread across seeds (– in ± seeds).")
	}
	fmt.Fprintf(w, "\n\n")
	metrics := pick(speedupColumns(rep.Options), "n", "compiled", "correct", "faster", "geomean", "seeds", "mean", "2x", "calls", "tokens", "evaluations")
	metricsTable(table.Cols("strategy"), rep.overallRows(), func(r Row) table.Row { return table.Texts(label(r.Strategy, r.Variant)) }, metrics, "doc", false).WriteMarkdown(w)
}

// comparedMarkdown compares each series with the reference.
func (rep *Report) comparedMarkdown(w io.Writer) {
	if len(rep.Comparisons) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## Compared with %s\n\nPaired by problem and seed; Wilcoxon signed-rank test on log speedups (paper convention), Holm-corrected across comparisons, α = 0.05; `~` marks a difference that is not significant. Effect: median of paired speedup ratios with a bootstrap CI.\n\n", rep.Reference)
	rep.compareTable(w)
}

// paperMarkdown is the paper's Table 1 layout.
func (rep *Report) paperMarkdown(w io.Writer) {
	o, seeds := rep.Options, rep.seeds()
	spread := "Mean ± sample standard deviation (n−1) across seeds of the per-seed figure over problems."
	if seeds < 2 {
		spread = "One seed (n = 1): each figure over problems, without a spread across seeds."
	}
	fmt.Fprintf(w, "\n## The paper's layout (Table 1)\n\n%s %s counts correct answers with speedup %s %g (%s). %s\n\n",
		spread, rep.twoXLabel(), o.twoXOp(), o.TwoX,
		map[bool]string{true: "the paper's text; --strict-2x", false: "the authors' code; --strict-2x counts > instead"}[o.StrictTwoX], rep.orderText())
	rep.paperTable("method", false).WriteMarkdown(w)
}

// categoriesMarkdown is the geometric mean of each series per category.
func (rep *Report) categoriesMarkdown(w io.Writer) {
	cats, labels, cell := rep.categoryGrid()
	fmt.Fprintf(w, "\n## Geometric-mean speedup per category\n\n")
	table.Grid("strategy", labels, cats, func(l, c string) (table.Cell, bool) {
		r, ok := cell[l][c]
		return table.Text(geoCI(r)), ok
	}).WriteMarkdown(w)
}

// progressMarkdown is the best speedup so far after each round.
func (rep *Report) progressMarkdown(w io.Writer) {
	if len(rep.Progress) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## Best speedup so far, by round (all categories)\n\n")
	prog := table.Table{Columns: table.Cols("strategy", "rounds")}
	for _, p := range rep.Progress {
		if p.Category != AllCategories {
			continue
		}
		var s []string
		for _, v := range p.Rounds {
			s = append(s, fx(v))
		}
		prog.AddTexts(label(p.Strategy, p.Variant), strings.Join(s, " → "))
	}
	prog.WriteMarkdown(w)
}

// agentsMarkdown is each agent alone, per category.
func (rep *Report) agentsMarkdown(w io.Writer) {
	if len(rep.Agents) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## Each agent alone, per category (geometric mean)\n\n")
	var agents, acats []string
	val := map[string]map[string]float64{}
	for _, a := range rep.Agents {
		if !contains(agents, a.Agent) {
			agents = append(agents, a.Agent)
		}
		if !contains(acats, a.Category) {
			acats = append(acats, a.Category)
		}
		if val[a.Agent] == nil {
			val[a.Agent] = map[string]float64{}
		}
		val[a.Agent][a.Category] = a.GeoMean
	}
	sort.Strings(acats)
	table.Grid("agent", agents, acats, func(a, c string) (table.Cell, bool) {
		v, ok := val[a][c]
		return table.Text(fx(v)), ok
	}).WriteMarkdown(w)
}

// costMarkdown is what each series cost, with the Pareto front.
func (rep *Report) costMarkdown(w io.Writer) {
	fmt.Fprintf(w, "\n## Cost\n\n")
	cost := table.Table{Columns: table.Cols("strategy", "LLM calls / cell", "tokens / cell", "$ / cell", "$ total", "geomean", "Pareto")}
	for _, c := range rep.Costs {
		cost.AddTexts(label(c.Strategy, c.Variant), fmt.Sprintf("%.1f", c.CallsCell), fmt.Sprintf("%.0f", c.TokensCell),
			fmt.Sprintf("%.4f", c.DollarsCell), fmt.Sprintf("%.4f", c.DollarsTotal), fx(c.GeoMean), map[bool]string{true: "yes", false: ""}[c.Pareto])
	}
	cost.WriteMarkdown(w)
	if len(rep.Runs.Prices()) == 0 {
		fmt.Fprintf(w, "\nNo agent has a price in the spec (agents[].price), so dollars are 0.\n")
	}
}

// figuresMarkdown links each figure, its title as the image's text.
func (rep *Report) figuresMarkdown(w io.Writer) {
	if len(rep.Figures) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## Figures\n\n")
	for _, f := range rep.Figures {
		fmt.Fprintf(w, "![%s](%s.png)\n\n(also [SVG](%s.svg), [PDF](%s.pdf))\n\n", strings.ReplaceAll(f.Plot.Title.Text, "\n", " "), f.Name, f.Name, f.Name)
	}
}

// overallRows are the all-categories speedup rows in the stated order.
func (rep *Report) overallRows() []Row {
	var all []Row
	for _, r := range rep.speedRows() {
		if r.Category == AllCategories {
			all = append(all, r)
		}
	}
	return inOrder(all, func(r Row) string { return label(r.Strategy, r.Variant) }, rep.orderLabels)
}

// inOrder is items sorted by order (a report's stated order) of their
// labels.
func inOrder[T any](items []T, label func(T) string, order func([]string) []string) []T {
	by := map[string]T{}
	var labels []string
	for _, it := range items {
		by[label(it)] = it
		labels = append(labels, label(it))
	}
	out := make([]T, 0, len(labels))
	for _, l := range order(labels) {
		out = append(out, by[l])
	}
	return out
}

func (rep *Report) paperModes() []string {
	var modes []string
	for _, r := range rep.Paper {
		for m := range r.Modes {
			if !contains(modes, m) {
				modes = append(modes, m)
			}
		}
	}
	// Serial first, as in the paper.
	sort.Slice(modes, func(i, j int) bool {
		if (modes[i] == "serial") != (modes[j] == "serial") {
			return modes[i] == "serial"
		}
		return modes[i] < modes[j]
	})
	return modes
}

func (rep *Report) categoryGrid() ([]string, []string, map[string]map[string]Row) {
	var cats, labels []string
	cell := map[string]map[string]Row{}
	for _, r := range rep.speedRows() {
		l := label(r.Strategy, r.Variant)
		if cell[l] == nil {
			cell[l] = map[string]Row{}
			labels = append(labels, l)
		}
		cell[l][r.Category] = r
		if r.Category != AllCategories && !contains(cats, r.Category) {
			cats = append(cats, r.Category)
		}
	}
	sort.Strings(cats)
	return append([]string{AllCategories}, cats...), rep.orderLabels(labels), cell
}

// catsPerTable is the most categories one per-category table holds;
// more are split into tables of the same rows.
const catsPerTable = 6

// LaTeX writes booktabs tables: overall metrics, the paper's layout, and
// per-category geometric means (split into tables of at most six
// categories); each with a \label, the best value of each column in
// bold, rows in the stated order (the reference first), the protocol in
// the caption or a column, and each tabular fitted to the line
// (\lessonlfit). The simulator's or recorded generations' note is printed
// once, under the first table; every caption carries its mark (†).
func (rep *Report) LaTeX(w io.Writer) {
	fmt.Fprint(w, texHeader)
	note := &texNoteWriter{note: rep.texNote()}
	for _, l := range rep.layouts {
		l.latex(rep, w, note)
	}
	rep.runsLaTeX(w, note.mark())
}

// overallLaTeX is each series' metrics over all categories, the best in
// bold, the protocol per row when the rows' protocols differ.
func (rep *Report) overallLaTeX(w io.Writer, note *texNoteWriter) {
	protocol := rep.protocolByLabel()
	lead, leadCells := table.Cols("Strategy"), func(r Row) table.Row { return table.Texts(label(r.Strategy, r.Variant)) }
	if len(rep.protocols()) > 1 {
		lead = table.Cols("Strategy", "Protocol")
		leadCells = func(r Row) table.Row {
			l := label(r.Strategy, r.Variant)
			return table.Texts(l, protocol[l])
		}
	}
	ot := metricsTable(lead, rep.overallRows(), leadCells, pick(speedupColumns(rep.Options), "n", "compiled", "correct", "2x", "geomean"), "tex", true)
	ot.Label = "tab:lessonl-overall"
	ot.TeXCaption = fmt.Sprintf("Overall results: geometric-mean speedup with 95\\%% bootstrap CI over problems (failed or slower = 1$\\times$; $n$ problems instead when fewer than %d). Best in bold. %s%s%s",
		minIntervalN, rep.orderText(), rep.protocolCaption(), note.mark())
	ot.TeXBelow = note.below()
	ot.WriteLaTeX(w)
	fmt.Fprintln(w)
}

// paperLaTeX is the paper's Table 1 layout: per mode, correct, ≥2× and
// speedup, the best of each in bold.
func (rep *Report) paperLaTeX(w io.Writer, mark string) {
	oneSeed := true
	for _, r := range rep.Paper {
		for _, c := range r.Modes {
			oneSeed = oneSeed && c.Seeds < 2
		}
	}
	spread := "mean $\\pm$ sample standard deviation ($n-1$) across seeds"
	if oneSeed {
		spread = "one seed ($n = 1$), so no spread across seeds"
	}
	pt := rep.paperTable("Method", true)
	pt.Label = "tab:lessonl-paper"
	pt.TeXCaption = fmt.Sprintf("Correct, %s and speedup per mode, %s. Best in bold. %s%s", rep.twoXTeX(), spread, rep.orderText(), mark)
	var head1, head2 strings.Builder
	head1.WriteString("Method")
	for _, m := range rep.paperModes() {
		fmt.Fprintf(&head1, " & \\multicolumn{3}{c}{%s}", texEsc.Replace(m))
		fmt.Fprintf(&head2, " & Correct & %s & Speedup", rep.twoXTeX())
	}
	pt.TeXHead = head1.String() + " \\\\\n" + head2.String() + " \\\\\n"
	pt.WriteLaTeX(w)
	fmt.Fprintln(w)
}

// paperTable is the paper's Table 1 layout: a first column headed first,
// then per mode correct, ≥2× and speedup, each mean ± std across seeds;
// with bold, the best of each column in bold.
func (rep *Report) paperTable(first string, bold bool) *table.Table {
	modes, paper := rep.paperModes(), rep.paperRows()
	t := &table.Table{Columns: table.Cols(first)}
	figures := []func(PaperCell) (mean, std float64){
		func(c PaperCell) (float64, float64) { return c.Correct, c.CorrectStd },
		func(c PaperCell) (float64, float64) { return c.TwoX, c.TwoXStd },
		func(c PaperCell) (float64, float64) { return c.Speedup, c.SpeedupStd },
	}
	best := map[string][]func(int) bool{}
	for _, m := range modes {
		for k, c := range []string{"Correct", rep.twoXLabel(), "Speedup"} {
			t.Columns = append(t.Columns, table.Column{Name: m + " " + c, Align: table.Center})
			best[m] = append(best[m], bestOf(len(paper), func(i int) float64 {
				c, ok := paper[i].Modes[m]
				if !ok {
					return math.NaN()
				}
				v, _ := figures[k](c)
				return v
			}))
		}
	}
	for i, r := range paper {
		row := table.Texts(r.Label)
		for _, m := range modes {
			c, ok := r.Modes[m]
			for k, f := range figures {
				if !ok {
					row = append(row, table.Missing)
					continue
				}
				mean, std := f(c)
				row = append(row, table.Cell{Text: pm(mean, std, c.Seeds, "±"), TeX: pm(mean, std, c.Seeds, "$\\pm$"), Bold: bold && best[m][k](i)})
			}
		}
		t.Add(row...)
	}
	return t
}

// categoriesLaTeX is the geometric mean of each series per category, in
// tables of at most catsPerTable categories, the best of each in bold.
func (rep *Report) categoriesLaTeX(w io.Writer, mark string) {
	cats, rowLabels, cell := rep.categoryGrid()
	rest := cats[1:] // "all" leads the first table
	for part := 0; part == 0 || len(rest) > 0; part++ {
		n := min(catsPerTable, len(rest))
		chunk := rest[:n]
		rest = rest[n:]
		if part == 0 {
			chunk = append([]string{AllCategories}, chunk...)
		}
		lbl, cont := "tab:lessonl-categories", ""
		if part > 0 {
			lbl, cont = fmt.Sprintf("tab:lessonl-categories-%d", part+1), fmt.Sprintf(" (continued, part %d)", part+1)
		}
		ct := table.Table{Label: lbl, TeXCaption: fmt.Sprintf("Geometric-mean speedup per category%s. Best in bold. %s%s", cont, rep.orderText(), mark),
			Columns: table.Cols("Strategy")}
		best := map[string]func(int) bool{}
		for _, c := range chunk {
			ct.Columns = append(ct.Columns, table.Column{Name: c, Align: table.Right})
			best[c] = bestOf(len(rowLabels), func(i int) float64 {
				if r, ok := cell[rowLabels[i]][c]; ok {
					return r.GeoMean
				}
				return math.NaN()
			})
		}
		for i, l := range rowLabels {
			row := table.Texts(l)
			for _, c := range chunk {
				if r, ok := cell[l][c]; ok {
					row = append(row, table.Cell{Text: fmt.Sprintf("%.2f", r.GeoMean), Bold: best[c](i)})
				} else {
					row = append(row, table.Missing)
				}
			}
			ct.Add(row...)
		}
		ct.WriteLaTeX(w)
	}
}

// bestOf marks the best (largest) of n values v(i) for bold; none when
// there is one row, nothing to compare.
func bestOf(n int, v func(i int) float64) func(i int) bool {
	m := math.Inf(-1)
	for i := 0; i < n; i++ {
		if x := v(i); !math.IsNaN(x) && x > m {
			m = x
		}
	}
	return func(i int) bool { return n > 1 && v(i) == m }
}

// paperRows are the paper layout's rows in the stated order.
func (rep *Report) paperRows() []PaperRow {
	return inOrder(rep.Paper, func(r PaperRow) string { return r.Label }, rep.orderLabels)
}
