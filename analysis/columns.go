package analysis

import (
	"fmt"

	"github.com/lessonlab/lessonl/internal/table"
)

// metricColumn is one metric of a speedup row, declared once: its header
// in each output, how a row shows it, and what "best" means for the bold
// of a LaTeX table. analyze's text table, the report's Markdown overall
// table and its LaTeX overall table each pick the metrics they show from
// speedupColumns by key.
type metricColumn struct {
	key string
	// Headers: analyze's text table, the report (Markdown), LaTeX.
	text, doc, tex string
	align          table.Align
	// show is the cell in analyze's text table; cell the cell in the
	// report (Markdown, and LaTeX through the cell's TeX).
	show func(Row) string
	cell func(Row) table.Cell
	// best is the value whose largest is bold in LaTeX (nil: none).
	best func(Row) float64
}

// speedupColumns are the metrics of a code-optimization row, under o's
// ≥2× rule.
func speedupColumns(o Options) []metricColumn {
	f := func(format string, v func(Row) float64) func(Row) string {
		return func(r Row) string { return fmt.Sprintf(format, v(r)) }
	}
	return []metricColumn{
		{key: "n", text: "N", doc: "n", tex: "Cells", align: table.Right, show: func(r Row) string { return fmt.Sprint(r.N) }},
		{key: "compiled", text: "COMPILED", doc: "compiled", tex: "Compiled", align: table.Right, show: func(r Row) string { return pct(r.PctCompiled) }},
		{key: "correct", text: "CORRECT", doc: "correct", tex: "Correct", align: table.Right, show: func(r Row) string { return pct(r.PctCorrect) },
			best: func(r Row) float64 { return r.PctCorrect }},
		{key: "faster", text: "FASTER", doc: "faster (≥1.1×)", tex: "Faster", align: table.Right, show: func(r Row) string { return pct(r.PctFaster) }},
		{key: "geomean", text: "GEOMEAN [95% CI]", doc: fmt.Sprintf("geomean speedup [95%% CI] (n problems when < %d)", minIntervalN), tex: "Speedup [95\\% CI]", align: table.Left,
			show: geoText, cell: geoCell, best: func(r Row) float64 { return r.GeoMean }},
		{key: "seeds", text: "± SEEDS", doc: "± seeds", tex: "$\\pm$ seeds", align: table.Right, show: seedStd},
		{key: "mean", text: "MEAN", doc: "mean speedup", tex: "Mean", align: table.Right, show: func(r Row) string { return fx(r.MeanSpeedup) }},
		{key: "2x", text: "≥2×", doc: fmt.Sprintf("≥%g×", o.TwoX), tex: o.twoXTeX(), align: table.Right, show: func(r Row) string { return pct(100 * r.Share2x) },
			best: func(r Row) float64 { return r.Share2x }},
		{key: "calls", text: "CALLS", doc: "LLM calls", tex: "Calls", align: table.Right, show: f("%.1f", func(r Row) float64 { return r.LLMCalls })},
		{key: "tokens", text: "TOKENS", doc: "tokens", tex: "Tokens", align: table.Right, show: f("%.0f", func(r Row) float64 { return r.Tokens })},
		{key: "evaluations", text: "EVALUATIONS", doc: "evaluations", tex: "Evaluations", align: table.Right, show: f("%.1f", func(r Row) float64 { return r.Evaluations })},
	}
}

// pick is the columns of the given keys, in their order.
func pick(cols []metricColumn, keys ...string) []metricColumn {
	var out []metricColumn
	for _, k := range keys {
		for _, c := range cols {
			if c.key == k {
				out = append(out, c)
			}
		}
	}
	if len(out) != len(keys) {
		panic(fmt.Sprintf("analysis: metric columns %v: some are not declared", keys))
	}
	return out
}

// header is the column's header for text, Markdown or LaTeX ("text",
// "doc", "tex").
func (c metricColumn) header(format string) table.Column {
	switch format {
	case "text":
		return table.Column{Name: c.text, Align: c.align}
	case "tex":
		return table.Column{Name: c.doc, TeX: c.tex, Align: c.align}
	}
	return table.Column{Name: c.doc, Align: c.align}
}

// of is row r's cell in the column; bold when best says so.
func (c metricColumn) of(r Row, text, bold bool) table.Cell {
	if text || c.cell == nil {
		return table.Cell{Text: c.show(r), Bold: bold}
	}
	cell := c.cell(r)
	cell.Bold = bold
	return cell
}

// metricsTable is a table of rows: the lead columns (each row's lead
// cells) and then the metrics, headed for format ("text", "doc" or
// "tex"); with bold, the best of each metric that has a best is bold.
func metricsTable(lead []table.Column, rows []Row, leadCells func(Row) table.Row, metrics []metricColumn, format string, bold bool) *table.Table {
	t := &table.Table{Columns: lead}
	best := make([]func(int) bool, len(metrics))
	for j, m := range metrics {
		t.Columns = append(t.Columns, m.header(format))
		if bold && m.best != nil {
			best[j] = bestOf(len(rows), func(i int) float64 { return m.best(rows[i]) })
		}
	}
	for i, r := range rows {
		row := leadCells(r)
		for j, m := range metrics {
			row = append(row, m.of(r, format == "text", best[j] != nil && best[j](i)))
		}
		t.Add(row...)
	}
	return t
}

// geoCell is a row's geometric mean with its interval for the report,
// or with its n when too few problems back an interval.
func geoCell(r Row) table.Cell {
	if r.Problems < minIntervalN {
		return table.Cell{Text: geoCI(r), TeX: fmt.Sprintf("%.2f ($n=%d$)", r.GeoMean, r.Problems)}
	}
	return table.Text(geoCI(r))
}
