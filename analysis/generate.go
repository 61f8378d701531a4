package analysis

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/stats"
	"github.com/lessonlab/lessonl/internal/table"
)

// The generate task's report: pass@1 per dataset in the paper's Table 2
// layout (rows methods, columns HumanEval / HumanEval+ / MBPP / MBPP+),
// each cell the mean ± std over seeds of the share of problems whose
// answer passed every hidden test, with a bootstrap interval over
// problems (seeds nested) and a paired Wilcoxon test against a reference
// method over problems (Holm-corrected per column), as the speedup
// tables do; pass@k from the candidates when a cell samples n.

// passLayout is the generate task's reporter: pass@1 rows (no speedup),
// the Table 2 layout with pass@1 per round and its figures, and pass@1
// against a reference in the Table 2 layout's paired tests.
type passLayout struct{}

// Name implements datasets.TaskKind.
func (passLayout) Name() string { return TaskGenerate }

// Report implements Reporter: generate's answers read as passed or
// failed with the hidden tests they passed; its table is Table 2.
func (passLayout) Report() TaskReport {
	return TaskReport{Title: "Code generation: pass@1", Scored: "every answer really ran in the sandbox against its hidden tests", Read: readTests}
}

// readTests reads an answer judged by hidden tests: its status, with
// the tests it passed when it failed some, ordered by the share passed.
func readTests(r record.Result) Reading {
	rd := Reading{Text: r.Status, Correct: r.Correct}
	if r.Total > 0 && !r.Correct {
		rd.Text = fmt.Sprintf("%s %d/%d", r.Status, r.Passed, r.Total)
	}
	if r.Total > 0 {
		rd.Value = float64(r.Passed) / float64(r.Total)
	}
	return rd
}

func (passLayout) place() int                                   { return 0 }
func (passLayout) hasRows() bool                                { return true }
func (passLayout) summarize(row Row, g []Result, o Options) Row { return summarizeGenerate(row, g, o) }
func (passLayout) metricsText(w io.Writer, rows []Row) error    { return passText(w, rows) }
func (passLayout) paired() pairedMetric                         { return passMetric }
func (passLayout) ablations() []string                          { return []string{MetricPass1} }
func (passLayout) banner() string                               { return SimBannerGenerate }

// analyze adds the Table 2 layout of the generate results rs.
func (passLayout) analyze(a *Analysis, rs []Result, cands []record.Candidate, o Options) {
	a.Generate = GenerateTable(rs, cands, o, "")
}

// against is the Table 2 layout with its paired tests against the
// reference.
func (passLayout) against(a *AgainstReference, rs []Result, cands []record.Candidate, reference string, o Options) (bool, error) {
	a.Generate = GenerateTable(rs, cands, o, reference)
	return true, nil
}

// build computes the Table 2 layout, pass@1 per round and the figures
// of pass@1 per dataset and against cost from the generate results rs;
// the table is Only when no other result has metrics rows.
func (passLayout) build(rep *Report, rs []Result) error {
	var rows []Result
	for _, r := range rep.Runs.Results {
		if r.layout().hasRows() {
			rows = append(rows, r)
		}
	}
	rep.Generate = GenerateTable(rows, rep.Runs.Candidates, rep.Options, rep.Reference)
	rep.GenRounds = GenRounds(rs, rep.Runs.Candidates)
	var labels []string
	for _, row := range rep.Generate.Rows {
		labels = append(labels, row.Label)
	}
	st := NewStyle(labels)
	st.rank = rep.Style.rank
	if f, err := GenBars(rep.Generate, rep.Runs.Simulated(), st); err == nil {
		rep.Figures = append(rep.Figures, f)
	}
	if f, err := GenCost(rep.Rows, rep.Runs.Simulated(), st); err == nil {
		rep.Figures = append(rep.Figures, f)
	}
	return nil
}

// markdown writes the runs, the Table 2 layout and pass@1 per round.
func (passLayout) markdown(rep *Report, w io.Writer) {
	rep.generateMarkdown(w)
	genRoundsMarkdown(w, rep.GenRounds)
}

// latex writes the Table 2 layout.
func (passLayout) latex(rep *Report, w io.Writer, note *texNoteWriter) {
	rep.Generate.latex(w, note, rep)
}

// GenColumns are the paper's Table 2 columns; a dataset outside them (the
// built-in Python suite) gets a column of its own after them.
var GenColumns = []string{"HumanEval", "HumanEval+", "MBPP", "MBPP+"}

// genScores are a result's pass@1 outcomes by Table 2 column, the
// column its suite declares (datasets.Suite): an EvalPlus file scores
// both its base benchmark (the base inputs alone) and its + variant (all
// inputs). A suite no source declares gets a column of its own name.
func genScores(r Result) map[string]float64 {
	pass := b2f(r.Correct)
	s, ok := datasets.SuiteNamed(r.Category)
	if !ok {
		return map[string]float64{r.Category: pass}
	}
	out := map[string]float64{s.Column: pass}
	if s.BaseColumn != "" {
		out[s.BaseColumn] = b2f(r.BaseTotal > 0 && r.BasePassed == r.BaseTotal)
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// GenCell is one method's pass@1 on one dataset.
type GenCell struct {
	Mean     float64 `json:"mean"`     // over seeds of the per-seed pass@1
	Std      float64 `json:"std"`      // sample std over seeds (n-1); NaN with one seed
	Low      float64 `json:"ci_low"`   // bootstrap interval of pass@1
	High     float64 `json:"ci_high"`  //
	Problems int     `json:"problems"` // problems scored
	Seeds    int     `json:"seeds"`
	// P is the Holm-corrected p of the paired Wilcoxon test against the
	// reference over problems (per-problem pass rates over seeds); NaN
	// for the reference itself or without one.
	P float64 `json:"p"`
	// PassK is pass@k (unbiased estimator) for each k the cells' samples
	// allow, when the method samples n > 1 answers (single, cot).
	PassK map[int]float64 `json:"pass_k,omitempty"`
	// Warnings are the interval's and the test's (see internal/stats).
	Warnings []string `json:"warnings,omitempty"`
}

// MarshalJSON writes NaN (one seed: no std; no reference: no p) as null.
func (c GenCell) MarshalJSON() ([]byte, error) {
	type plain GenCell // without the method
	std, p := c.Std, c.P
	c.Std, c.P = 0, 0
	b, err := json.Marshal(plain(c))
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["std"], m["p"] = nullable(std), nullable(p)
	return json.Marshal(m)
}

// GenRow is one method's Table 2 row.
type GenRow struct {
	Label string              `json:"method"`
	Cells map[string]*GenCell `json:"cells"`
	Calls float64             `json:"llm_calls"` // mean LLM calls per problem
}

// GenTable is the Table 2 layout of some runs.
type GenTable struct {
	Columns   []string `json:"columns"`
	Rows      []GenRow `json:"rows"`
	Reference string   `json:"reference,omitempty"`
	Alpha     float64  `json:"alpha"`
	// Only is set when every result it was built from is of a generate
	// cell.
	Only bool `json:"-"`
}

// GenerateTable builds the Table 2 layout from the generate results of
// rs (nil when there are none); reference, when not "", is the method
// the paired tests compare with. cands give pass@k for sampling methods.
func GenerateTable(rs []Result, cands []record.Candidate, o Options, reference string) *GenTable {
	o.fill()
	// label → column → problem → per-seed scores
	scores := map[string]map[string]map[string]map[int64]float64{}
	calls := map[string][]float64{}
	kinds := map[string]string{}
	cols := map[string]bool{}
	only := true
	for _, r := range rs {
		if !r.Generate() {
			only = false
			continue
		}
		l := label(r.Strategy, r.Variant)
		kinds[l] = r.Kind
		calls[l] = append(calls[l], float64(r.LLMCalls))
		for col, v := range genScores(r) {
			cols[col] = true
			if scores[l] == nil {
				scores[l] = map[string]map[string]map[int64]float64{}
			}
			if scores[l][col] == nil {
				scores[l][col] = map[string]map[int64]float64{}
			}
			if scores[l][col][r.ProblemID] == nil {
				scores[l][col][r.ProblemID] = map[int64]float64{}
			}
			scores[l][col][r.ProblemID][r.Seed] = v
		}
	}
	if len(scores) == 0 {
		return nil
	}
	t := &GenTable{Reference: reference, Alpha: 1 - o.Level, Only: only}
	for _, c := range GenColumns { // the paper's columns that have data, in its order
		if cols[c] {
			t.Columns = append(t.Columns, c)
		}
	}
	var extra []string
	for c := range cols {
		if !contains(GenColumns, c) {
			extra = append(extra, c)
		}
	}
	sort.Strings(extra)
	t.Columns = append(t.Columns, extra...)
	passK := genPassK(rs, cands, kinds)
	labels := sortedKeys(scores)
	if _, ok := scores[reference]; ok { // the reference first
		labels = append([]string{reference}, labels[:indexOf(labels, reference)]...)
		labels = append(labels, sortedKeys(scores)[len(labels):]...)
	}
	for _, l := range labels {
		row := GenRow{Label: l, Cells: map[string]*GenCell{}, Calls: stats.Mean(calls[l])}
		for col, byProblem := range scores[l] {
			row.Cells[col] = genCell(byProblem, o)
			row.Cells[col].PassK = passK[l+"\x00"+col]
		}
		t.Rows = append(t.Rows, row)
	}
	if reference != "" {
		t.compare(scores, reference)
	}
	return t
}

// genCell summarises one method on one dataset.
func genCell(byProblem map[string]map[int64]float64, o Options) *GenCell {
	perSeed := map[int64][]float64{}
	var groups [][]float64
	for _, p := range sortedKeys(byProblem) {
		var g []float64
		for seed, v := range byProblem[p] {
			perSeed[seed] = append(perSeed[seed], v)
			g = append(g, v)
		}
		sort.Float64s(g)
		groups = append(groups, g)
	}
	var seedMeans []float64
	for _, vs := range perSeed {
		seedMeans = append(seedMeans, stats.Mean(vs))
	}
	c := &GenCell{Problems: len(byProblem), Seeds: len(perSeed), Mean: stats.Mean(seedMeans), Std: math.NaN(), P: math.NaN()}
	if len(seedMeans) > 1 {
		c.Std = std(seedMeans)
	}
	iv := o.bootstrap().Nested(groups, stats.Mean)
	c.Low, c.High, c.Warnings = iv.Low, iv.High, stats.Messages(iv.Warnings)
	return c
}

// compare runs the paired tests against the reference, per column, over
// the problems both scored, Holm-corrected over the other methods.
func (t *GenTable) compare(scores map[string]map[string]map[string]map[int64]float64, reference string) {
	for _, col := range t.Columns {
		ref := scores[reference][col]
		if ref == nil {
			continue
		}
		var idx []int
		var ps []float64
		for i, row := range t.Rows {
			other := scores[row.Label][col]
			if row.Label == reference || other == nil {
				continue
			}
			var x, y []float64
			for p, seeds := range other {
				if rs, ok := ref[p]; ok {
					x, y = append(x, meanMap(seeds)), append(y, meanMap(rs))
				}
			}
			w, err := stats.Wilcoxon(x, y)
			p := w.P
			if err != nil || w.N == 0 {
				p = 1 // identical on every problem: no evidence of a difference
			}
			row.Cells[col].Warnings = append(row.Cells[col].Warnings, stats.Messages(w.Warnings)...)
			idx, ps = append(idx, i), append(ps, p)
		}
		for j, p := range stats.Holm(ps) {
			t.Rows[idx[j]].Cells[col].P = p
		}
	}
}

func meanMap(m map[int64]float64) float64 {
	s := 0.0
	for _, v := range m {
		s += v
	}
	return s / float64(len(m))
}

// genPassK is pass@k per method and column for sampling methods (kinds
// whose candidates are independent samples, Traits.Samples) whose cells
// hold more than one candidate: each cell's n
// candidates and c passing ones give the unbiased estimate, averaged over
// cells, for k = 1, 5, 10 up to the smallest n.
func genPassK(rs []Result, cands []record.Candidate, kinds map[string]string) map[string]map[int]float64 {
	type cell struct{ n, c, base int }
	cells := map[string]*cell{}
	cat := map[string]string{}
	for _, r := range rs {
		if r.Generate() {
			cat[record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)] = r.Category
		}
	}
	for _, x := range cands {
		k := record.Key(x.Strategy, x.Variant, x.ProblemID, x.Seed)
		l := label(x.Strategy, x.Variant)
		if cat[k] == "" || !traitsOf(kinds[l]).Samples {
			continue
		}
		if cells[k] == nil {
			cells[k] = &cell{}
		}
		cells[k].n++
		if x.Status == "passed" {
			cells[k].c++
		}
		if x.BaseTotal > 0 && x.BasePassed == x.BaseTotal {
			cells[k].base++
		}
	}
	// label+column → samples
	samples := map[string][]stats.Samples{}
	for _, r := range rs {
		k := record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)
		c := cells[k]
		if c == nil {
			continue
		}
		l := label(r.Strategy, r.Variant)
		for col := range genScores(r) {
			n := stats.Samples{N: c.n, C: c.c}
			if s, ok := datasets.SuiteNamed(r.Category); ok && s.BaseColumn == col {
				n.C = c.base
			}
			samples[l+"\x00"+col] = append(samples[l+"\x00"+col], n)
		}
	}
	out := map[string]map[int]float64{}
	for key, ss := range samples {
		minN := ss[0].N
		for _, s := range ss {
			minN = min(minN, s.N)
		}
		if minN < 2 {
			continue
		}
		out[key] = map[int]float64{}
		for _, k := range []int{1, 5, 10} {
			if k > minN {
				break
			}
			if v, err := stats.MeanPassAtK(ss, k); err == nil {
				out[key][k] = v
			}
		}
	}
	return out
}

// three prints a share the paper's way: ".915".
func three(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	s := fmt.Sprintf("%.3f", x)
	return strings.TrimPrefix(s, "0")
}

// cellText is a cell as Table 2 prints it, with its interval and, against
// a reference, "~" when the difference is not significant.
func (t *GenTable) cellText(c *GenCell) string {
	if c == nil {
		return "–"
	}
	s := three(c.Mean)
	if !math.IsNaN(c.Std) {
		s += "±" + three(c.Std)
	}
	s += fmt.Sprintf(" [%s, %s]", three(c.Low), three(c.High))
	if !math.IsNaN(c.P) {
		if c.P >= t.Alpha {
			s += " ~"
		} else {
			s += fmt.Sprintf(" (p=%.3g)", c.P)
		}
	}
	return s
}

// Markdown writes the table with its legend.
func (t *GenTable) Markdown(w io.Writer, simulated bool) {
	fmt.Fprintf(w, "## Code generation: pass@1 (the paper's Table 2 layout)\n\n")
	if simulated {
		fmt.Fprintf(w, "> **Simulated agents.** The sim team, a simulator, answers with each problem's known correct or wrong solutions by documented skill rules; every answer really ran in the sandbox against the hidden tests. These numbers check the plumbing; they do not rank the methods.\n\n")
	}
	fmt.Fprintf(w, "Each cell: pass@1 as mean±std over seeds (sample std), [95%% bootstrap interval over problems, seeds nested]. pass@1 is the share of problems whose answer passed every hidden test; HumanEval and MBPP columns of an EvalPlus file count its base inputs alone.")
	if t.Reference != "" {
		fmt.Fprintf(w, " Against %s: paired Wilcoxon signed-rank test over problems, Holm-corrected per column; \"~\" = not significant at α = %.2g.", t.Reference, t.Alpha)
	}
	fmt.Fprintf(w, "\n\n")
	tt := table.Table{Columns: table.Cols(append(append([]string{"Method"}, t.Columns...), "LLM calls/problem")...)}
	for _, r := range t.Rows {
		row := table.Texts(r.Label)
		for _, c := range t.Columns {
			row = append(row, table.Text(t.cellText(r.Cells[c])))
		}
		tt.Add(append(row, table.Text(fmt.Sprintf("%.1f", r.Calls)))...)
	}
	tt.WriteMarkdown(w)
	fmt.Fprintf(w, "\nProblems per column: ")
	var parts []string
	for _, c := range t.Columns {
		n := 0
		for _, r := range t.Rows {
			if x := r.Cells[c]; x != nil {
				n = max(n, x.Problems)
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", c, n))
		}
	}
	fmt.Fprintf(w, "%s.\n", strings.Join(parts, ", "))
	var pk []string
	for _, r := range t.Rows {
		for _, c := range t.Columns {
			if x := r.Cells[c]; x != nil && len(x.PassK) > 0 {
				var ks []string
				for _, k := range []int{1, 5, 10} {
					if v, ok := x.PassK[k]; ok {
						ks = append(ks, fmt.Sprintf("pass@%d %s", k, three(v)))
					}
				}
				pk = append(pk, fmt.Sprintf("%s on %s: %s", r.Label, c, strings.Join(ks, ", ")))
			}
		}
	}
	if len(pk) > 0 {
		fmt.Fprintf(w, "\nSampling methods (unbiased estimator over each cell's samples): %s.\n", strings.Join(pk, "; "))
	}
	fmt.Fprintln(w)
}

// LaTeX writes the table alone as a booktabs table (tables.tex's preamble
// and note included).
func (t *GenTable) LaTeX(w io.Writer, simulated bool) {
	fmt.Fprint(w, texHeader)
	note := &texNoteWriter{}
	if simulated {
		note.note = texEsc.Replace(SimBannerGenerate)
	}
	t.latex(w, note, nil)
}

// latex writes the table: each cell pass@1 (mean ± std over seeds, the
// mean alone with one seed) with its bootstrap interval beneath, rows in
// the report's stated order, the protocol in the caption, the note under
// it when it is the first table.
func (t *GenTable) latex(w io.Writer, note *texNoteWriter, rep *Report) {
	esc := texEsc.Replace
	seeds := 0
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			seeds = max(seeds, c.Seeds)
		}
	}
	spread := "mean $\\pm$ sample std over seeds"
	if seeds < 2 {
		spread = "one seed ($n = 1$)"
	}
	caption := fmt.Sprintf("Code generation: pass@1, %s, with its 95\\%% bootstrap interval over problems (seeds nested) beneath.", spread)
	if t.Reference != "" {
		caption += fmt.Sprintf(" $\\sim$: not significantly different from %s (paired Wilcoxon over problems, Holm-corrected per column, $\\alpha = %.2g$).", esc(t.Reference), t.Alpha)
	}
	rows := t.Rows
	if rep != nil {
		caption += " " + rep.orderText() + rep.protocolCaption()
		rows = inOrder(t.Rows, func(r GenRow) string { return r.Label }, rep.orderLabels)
	}
	tt := table.Table{Label: "tab:lessonl-generate", TeXCaption: caption + note.mark(), Columns: table.Cols("Method")}
	for _, c := range t.Columns {
		tt.Columns = append(tt.Columns, table.Column{Name: c, Align: table.Center})
	}
	tt.Columns = append(tt.Columns, table.Column{Name: "Calls", Align: table.Right})
	for _, r := range rows {
		row, ci := table.Texts(r.Label), table.Row{{}}
		for _, c := range t.Columns {
			x := r.Cells[c]
			if x == nil {
				row, ci = append(row, table.Missing), append(ci, table.Cell{})
				continue
			}
			text, tex := three(x.Mean), three(x.Mean)
			if !math.IsNaN(x.Std) {
				text, tex = text+"±"+three(x.Std), tex+"$\\pm$"+three(x.Std)
			}
			if !math.IsNaN(x.P) && x.P >= t.Alpha {
				text, tex = text+" ~", tex+" $\\sim$"
			}
			row = append(row, table.Cell{Text: text, TeX: tex})
			lohi := fmt.Sprintf("[%s, %s]", three(x.Low), three(x.High))
			ci = append(ci, table.Cell{Text: lohi, TeX: "{\\scriptsize " + lohi + "}"})
		}
		tt.Add(append(row, table.Text(fmt.Sprintf("%.1f", r.Calls)))...)
		tt.Add(append(ci, table.Cell{})...)
	}
	tt.TeXBelow = note.below()
	tt.WriteLaTeX(w)
	fmt.Fprintln(w)
}

// generateMarkdown writes the code-generation part of a report: the runs
// and the Table 2 layout.
func (rep *Report) generateMarkdown(w io.Writer) {
	runs := table.Table{Columns: table.Cols("run", "spec", "protocol", "cells", "state", "wall")}
	for i, m := range rep.Runs.Manifests {
		runs.AddTexts(rep.Runs.Dirs[i], fmt.Sprintf("%s (%.10s)", m.Name, m.SpecHash), rep.Runs.Protocol(i), fmt.Sprint(m.Cells), rep.Runs.stateText(rep.Runs.Dirs[i]), wallText(m))
	}
	runs.WriteMarkdown(w)
	fmt.Fprintln(w)
	if warn := rep.protocolWarning(); warn != "" {
		fmt.Fprintf(w, "> **Warning: protocols differ.** %s\n\n", warn)
	}
	rep.Generate.Markdown(w, rep.Runs.Simulated())
}
