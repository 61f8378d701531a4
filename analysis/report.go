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
	rep.Rows = Metrics(r.Results, o)
	rep.Generate = GenerateTable(r.Results, r.Candidates, o, reference)
	if rep.Generate != nil {
		rep.GenRounds = GenRounds(r.Results, r.Candidates)
		var labels []string
		for _, row := range rep.Generate.Rows {
			labels = append(labels, row.Label)
		}
		st := NewStyle(labels)
		st.rank = rep.Style.rank
		if f, err := GenBars(rep.Generate, r.Simulated(), st); err == nil {
			rep.Figures = append(rep.Figures, f)
		}
		if f, err := GenCost(rep.Rows, r.Simulated(), st); err == nil {
			rep.Figures = append(rep.Figures, f)
		}
		if rep.Generate.Only {
			return rep, nil
		}
	}
	// The speedup tables and figures cover code-optimization cells only:
	// code-generation cells (in the Generate table) have no speedup.
	speed := r
	if rep.Generate != nil {
		c := *r
		c.Results = nil
		for _, x := range r.Results {
			if !IsGenerate(x.Result) {
				c.Results = append(c.Results, x)
			}
		}
		speed = &c
	}
	rep.Paper = PaperTable(speed, o)
	rep.Progress = Progression(speed.Results)
	rep.Agents = AgentsByCategory(speed.Results, r.Calls)
	rep.Costs = Costs(speed)
	if reference != "" {
		cmp, err := Compare(speed.Results, reference, o)
		if err != nil {
			return nil, err
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
	return rep, nil
}

// speedRows are the metrics rows of code-optimization cells, the ones
// with speedups.
func (rep *Report) speedRows() []Row {
	var out []Row
	for _, r := range rep.Rows {
		if !r.Generate() {
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
	md, err := os.Create(filepath.Join(dir, "report.md"))
	if err != nil {
		return files, err
	}
	rep.Markdown(md)
	if err := md.Close(); err != nil {
		return files, err
	}
	files = append(files, md.Name())
	tex, err := os.Create(filepath.Join(dir, "tables.tex"))
	if err != nil {
		return files, err
	}
	rep.LaTeX(tex)
	if err := tex.Close(); err != nil {
		return files, err
	}
	return append(files, tex.Name()), nil
}

// twoXLabel is what the 2× column counts: ≥2× by default (the authors'
// code), >2× with the strict option (the paper's text).
func (rep *Report) twoXLabel() string {
	op := "≥"
	if rep.Options.StrictTwoX {
		op = ">"
	}
	return fmt.Sprintf("%s%g×", op, rep.Options.TwoX)
}

// twoXTeX is twoXLabel in LaTeX.
func (rep *Report) twoXTeX() string {
	op := "\\geq"
	if rep.Options.StrictTwoX {
		op = ">"
	}
	return fmt.Sprintf("$%s %g\\times$", op, rep.Options.TwoX)
}

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
const minIntervalN = 3

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

func pct(x float64) string { return fmt.Sprintf("%.0f%%", x) }

func fx(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.2f", x)
}

// Markdown writes the report as Markdown.
func (rep *Report) Markdown(w io.Writer) {
	o := rep.Options
	fmt.Fprintf(w, "# lessonl report\n\n")
	if rep.Generate != nil {
		rep.generateMarkdown(w)
		genRoundsMarkdown(w, rep.GenRounds)
		if rep.Generate.Only {
			rep.ablationMarkdown(w)
			rep.figuresMarkdown(w)
			return
		}
	}
	if rep.Runs.Simulated() {
		fmt.Fprintf(w, "> **%s**\n\n", SimBanner)
	}
	fmt.Fprintf(w, "Speedup = baseline time / candidate time (median of interleaved pairs' ratios, in two builds that swap the sides' places). A failed or slower answer counts 1× in geometric means (the paper's convention) and 0 in the mean speedup. Intervals: %d bootstrap resamples over problems with seeds nested, seed %d, level %.0f%%. \"≥2×\" counts speedups %s %g.\n\n",
		o.Resamples, o.Seed, 100*o.Level, map[bool]string{true: ">", false: "≥"}[o.StrictTwoX], o.TwoX)

	fmt.Fprintf(w, "## Runs\n\n| run | spec | protocol | host | CPU | compiler | cells | state | shards | started | wall |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for i, m := range rep.Runs.Manifests {
		wall := "–"
		if !m.Ended.IsZero() {
			wall = m.Ended.Sub(m.Started).Round(time.Second).String()
		}
		fmt.Fprintf(w, "| %s | %s (%.10s) | %s | %s | %s (%d cores) | %s | %d | %s | %s | %s | %s |\n", rep.Runs.Dirs[i], m.Name, m.SpecHash,
			rep.Runs.Protocol(i), m.Host, m.CPU, m.Cores, m.Compiler, m.Cells, rep.Runs.stateText(rep.Runs.Dirs[i]), strings.Join(m.Shards, " "), m.Started.Format(time.RFC3339), wall)
	}
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
	overall := rep.overallRows()
	seeds := 0
	for _, r := range overall {
		seeds = max(seeds, r.Seeds)
	}
	fmt.Fprintf(w, "## Overall\n\n%s", rep.orderText())
	if seeds < 2 {
		fmt.Fprintf(w, " One seed (n = 1): no spread across seeds (– in ± seeds).")
	}
	fmt.Fprintf(w, "\n\n| strategy | n | compiled | correct | faster (≥1.1×) | geomean speedup [95%% CI] (n problems when < 3) | ± seeds | mean speedup | ≥%g× | LLM calls | tokens | evaluations |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n", o.TwoX)
	for _, r := range overall {
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %.1f | %.0f | %.1f |\n", label(r.Strategy, r.Variant), r.N,
			pct(r.PctCompiled), pct(r.PctCorrect), pct(r.PctFaster), geoCI(r), seedStd(r),
			fx(r.MeanSpeedup), pct(100*r.Share2x), r.LLMCalls, r.Tokens, r.Evaluations)
	}

	if len(rep.Comparisons) > 0 {
		fmt.Fprintf(w, "\n## Compared with %s\n\nPaired by problem and seed; Wilcoxon signed-rank test on log speedups (paper convention), Holm-corrected across comparisons, α = 0.05; `~` marks a difference that is not significant. Effect: median of paired speedup ratios with a bootstrap CI.\n\n", rep.Reference)
		rep.compareTable(w)
	}

	modes := rep.paperModes()
	spread := "Mean ± sample standard deviation (n−1) across seeds of the per-seed figure over problems."
	if seeds < 2 {
		spread = "One seed (n = 1): each figure over problems, without a spread across seeds."
	}
	fmt.Fprintf(w, "\n## The paper's layout (Table 1)\n\n%s %s counts correct answers with speedup %s %g (%s). %s\n\n| method |",
		spread, rep.twoXLabel(), map[bool]string{true: ">", false: "≥"}[o.StrictTwoX], o.TwoX,
		map[bool]string{true: "the paper's text; --strict-2x", false: "the authors' code; --strict-2x counts > instead"}[o.StrictTwoX], rep.orderText())
	for _, m := range modes {
		fmt.Fprintf(w, " %s Correct | %s %s | %s Speedup |", m, m, rep.twoXLabel(), m)
	}
	fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---|---|---|", len(modes)))
	for _, r := range rep.paperRows() {
		fmt.Fprintf(w, "| %s |", r.Label)
		for _, m := range modes {
			c, ok := r.Modes[m]
			if !ok {
				fmt.Fprintf(w, " – | – | – |")
				continue
			}
			fmt.Fprintf(w, " %s | %s | %s |", pm(c.Correct, c.CorrectStd, c.Seeds, "±"), pm(c.TwoX, c.TwoXStd, c.Seeds, "±"), pm(c.Speedup, c.SpeedupStd, c.Seeds, "±"))
		}
		fmt.Fprintln(w)
	}

	cats, labels, cell := rep.categoryGrid()
	fmt.Fprintf(w, "\n## Geometric-mean speedup per category\n\n| strategy | %s |\n|---|%s\n", strings.Join(cats, " | "), strings.Repeat("---|", len(cats)))
	for _, l := range labels {
		fmt.Fprintf(w, "| %s |", l)
		for _, c := range cats {
			if r, ok := cell[l][c]; ok {
				fmt.Fprintf(w, " %s |", geoCI(r))
			} else {
				fmt.Fprintf(w, " – |")
			}
		}
		fmt.Fprintln(w)
	}

	if len(rep.Progress) > 0 {
		fmt.Fprintf(w, "\n## Best speedup so far, by round (all categories)\n\n| strategy | rounds |\n|---|---|\n")
		for _, p := range rep.Progress {
			if p.Category != AllCategories {
				continue
			}
			var s []string
			for _, v := range p.Rounds {
				s = append(s, fx(v))
			}
			fmt.Fprintf(w, "| %s | %s |\n", label(p.Strategy, p.Variant), strings.Join(s, " → "))
		}
	}
	if len(rep.Agents) > 0 {
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
		fmt.Fprintf(w, "| agent | %s |\n|---|%s\n", strings.Join(acats, " | "), strings.Repeat("---|", len(acats)))
		for _, a := range agents {
			fmt.Fprintf(w, "| %s |", a)
			for _, c := range acats {
				if v, ok := val[a][c]; ok {
					fmt.Fprintf(w, " %s |", fx(v))
				} else {
					fmt.Fprintf(w, " – |")
				}
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "\n## Cost\n\n| strategy | LLM calls / cell | tokens / cell | $ / cell | $ total | geomean | Pareto |\n|---|---|---|---|---|---|---|\n")
	for _, c := range rep.Costs {
		fmt.Fprintf(w, "| %s | %.1f | %.0f | %.4f | %.4f | %s | %s |\n", label(c.Strategy, c.Variant), c.CallsCell, c.TokensCell,
			c.DollarsCell, c.DollarsTotal, fx(c.GeoMean), map[bool]string{true: "yes", false: ""}[c.Pareto])
	}
	if len(rep.Runs.Prices()) == 0 {
		fmt.Fprintf(w, "\nNo agent has a price in the spec (agents[].price), so dollars are 0.\n")
	}
	rep.ablationMarkdown(w)
	rep.figuresMarkdown(w)
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
	by := map[string]Row{}
	var labels []string
	for _, r := range rep.speedRows() {
		if r.Category == AllCategories {
			by[label(r.Strategy, r.Variant)] = r
			labels = append(labels, label(r.Strategy, r.Variant))
		}
	}
	out := make([]Row, 0, len(labels))
	for _, l := range rep.orderLabels(labels) {
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
	esc := texEsc.Replace
	fmt.Fprint(w, texHeader)
	note := &texNoteWriter{note: rep.texNote()}
	if rep.Generate != nil {
		rep.Generate.latex(w, note, rep)
		if rep.Generate.Only {
			rep.runsLaTeX(w, note.mark())
			return
		}
	}
	mark := note.mark()
	bold := func(s string, best bool) string {
		if best {
			return `\textbf{` + s + `}`
		}
		return s
	}
	byLabel := map[string]Row{}
	var labels []string
	for _, r := range rep.speedRows() {
		if r.Category == AllCategories {
			byLabel[label(r.Strategy, r.Variant)] = r
			labels = append(labels, label(r.Strategy, r.Variant))
		}
	}
	var overall []Row
	for _, l := range rep.orderLabels(labels) {
		overall = append(overall, byLabel[l])
	}
	bestOf := func(n int, v func(i int) float64) func(i int) bool {
		m := math.Inf(-1)
		for i := 0; i < n; i++ {
			if x := v(i); !math.IsNaN(x) && x > m {
				m = x
			}
		}
		return func(i int) bool { return n > 1 && v(i) == m }
	}
	protocol := rep.protocolByLabel()
	mixed := len(rep.protocols()) > 1
	pcol, phead := "", ""
	if mixed {
		pcol, phead = "l", " & Protocol"
	}
	bc := bestOf(len(overall), func(i int) float64 { return overall[i].PctCorrect })
	b2 := bestOf(len(overall), func(i int) float64 { return overall[i].Share2x })
	bg := bestOf(len(overall), func(i int) float64 { return overall[i].GeoMean })
	fmt.Fprintf(w, "\\begin{table}[t]\n\\centering\n\\caption{Overall results: geometric-mean speedup with 95\\%% bootstrap CI over problems (failed or slower = 1$\\times$; $n$ problems instead when fewer than %d). Best in bold. %s%s%s}\n\\label{tab:lessonl-overall}\n\\lessonlfit{\\begin{tabular}{l%srrrrl}\n\\toprule\nStrategy%s & Cells & Compiled & Correct & %s & Speedup [95\\%% CI] \\\\\n\\midrule\n",
		minIntervalN, rep.orderText(), rep.protocolCaption(), mark, pcol, phead, rep.twoXTeX())
	for i, r := range overall {
		sp := fmt.Sprintf("%.2f [%.2f, %.2f]", r.GeoMean, r.GeoLow, r.GeoHigh)
		if r.Problems < minIntervalN {
			sp = fmt.Sprintf("%.2f ($n=%d$)", r.GeoMean, r.Problems)
		}
		l := label(r.Strategy, r.Variant)
		fmt.Fprintf(w, "%s", esc(l))
		if mixed {
			fmt.Fprintf(w, " & %s", esc(protocol[l]))
		}
		fmt.Fprintf(w, " & %d & %.0f\\%% & %s & %s & %s \\\\\n", r.N,
			r.PctCompiled, bold(fmt.Sprintf("%.0f\\%%", r.PctCorrect), bc(i)), bold(fmt.Sprintf("%.0f\\%%", 100*r.Share2x), b2(i)), bold(sp, bg(i)))
	}
	fmt.Fprintf(w, "\\bottomrule\n\\end{tabular}}\n")
	note.below(w)
	fmt.Fprintf(w, "\\end{table}\n\n")

	modes := rep.paperModes()
	paper := rep.paperRows()
	oneSeed := true
	for _, r := range paper {
		for _, c := range r.Modes {
			oneSeed = oneSeed && c.Seeds < 2
		}
	}
	spread := "mean $\\pm$ sample standard deviation ($n-1$) across seeds"
	if oneSeed {
		spread = "one seed ($n = 1$), so no spread across seeds"
	}
	fmt.Fprintf(w, "\\begin{table}[t]\n\\centering\n\\caption{Correct, %s and speedup per mode, %s. Best in bold. %s%s}\n\\label{tab:lessonl-paper}\n\\lessonlfit{\\begin{tabular}{l%s}\n\\toprule\n", rep.twoXTeX(), spread, rep.orderText(), mark, strings.Repeat("ccc", len(modes)))
	fmt.Fprintf(w, "Method")
	for _, m := range modes {
		fmt.Fprintf(w, " & \\multicolumn{3}{c}{%s}", esc(m))
	}
	fmt.Fprintf(w, " \\\\\n")
	for range modes {
		fmt.Fprintf(w, " & Correct & %s & Speedup", rep.twoXTeX())
	}
	fmt.Fprintf(w, " \\\\\n\\midrule\n")
	cols := map[string][3]func(int) bool{}
	for _, m := range modes {
		get := func(f func(PaperCell) float64) func(int) float64 {
			return func(i int) float64 {
				c, ok := paper[i].Modes[m]
				if !ok {
					return math.NaN()
				}
				return f(c)
			}
		}
		cols[m] = [3]func(int) bool{
			bestOf(len(paper), get(func(c PaperCell) float64 { return c.Correct })),
			bestOf(len(paper), get(func(c PaperCell) float64 { return c.TwoX })),
			bestOf(len(paper), get(func(c PaperCell) float64 { return c.Speedup })),
		}
	}
	for i, r := range paper {
		fmt.Fprintf(w, "%s", esc(r.Label))
		for _, m := range modes {
			c, ok := r.Modes[m]
			if !ok {
				fmt.Fprintf(w, " & -- & -- & --")
				continue
			}
			b := cols[m]
			fmt.Fprintf(w, " & %s & %s & %s", bold(pm(c.Correct, c.CorrectStd, c.Seeds, "$\\pm$"), b[0](i)),
				bold(pm(c.TwoX, c.TwoXStd, c.Seeds, "$\\pm$"), b[1](i)), bold(pm(c.Speedup, c.SpeedupStd, c.Seeds, "$\\pm$"), b[2](i)))
		}
		fmt.Fprintf(w, " \\\\\n")
	}
	fmt.Fprintf(w, "\\bottomrule\n\\end{tabular}}\n\\end{table}\n\n")

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
		fmt.Fprintf(w, "\\begin{table}[t]\n\\centering\n\\caption{Geometric-mean speedup per category%s. Best in bold. %s%s}\n\\label{%s}\n\\lessonlfit{\\begin{tabular}{l%s}\n\\toprule\nStrategy", cont, rep.orderText(), mark, lbl, strings.Repeat("r", len(chunk)))
		for _, c := range chunk {
			fmt.Fprintf(w, " & %s", esc(c))
		}
		fmt.Fprintf(w, " \\\\\n\\midrule\n")
		best := map[string]func(int) bool{}
		for _, c := range chunk {
			best[c] = bestOf(len(rowLabels), func(i int) float64 {
				if r, ok := cell[rowLabels[i]][c]; ok {
					return r.GeoMean
				}
				return math.NaN()
			})
		}
		for i, l := range rowLabels {
			fmt.Fprintf(w, "%s", esc(l))
			for _, c := range chunk {
				if r, ok := cell[l][c]; ok {
					fmt.Fprintf(w, " & %s", bold(fmt.Sprintf("%.2f", r.GeoMean), best[c](i)))
				} else {
					fmt.Fprintf(w, " & --")
				}
			}
			fmt.Fprintf(w, " \\\\\n")
		}
		fmt.Fprintf(w, "\\bottomrule\n\\end{tabular}}\n\\end{table}\n")
	}
	rep.runsLaTeX(w, mark)
}

// paperRows are the paper layout's rows in the stated order.
func (rep *Report) paperRows() []PaperRow {
	by := map[string]PaperRow{}
	var labels []string
	for _, r := range rep.Paper {
		by[r.Label] = r
		labels = append(labels, r.Label)
	}
	out := make([]PaperRow, 0, len(labels))
	for _, l := range rep.orderLabels(labels) {
		out = append(out, by[l])
	}
	return out
}
