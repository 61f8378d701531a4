package analysis

import (
	"fmt"
	"io"

	"github.com/lessonlab/lessonl/internal/table"
)

// MetricsTable prints metrics rows as `lessonl analyze` shows them: the
// rows of each task in its reporter's table, optimize's (the speedup
// table) first, then generate's (the pass@1 table: a generate cell has no
// speedup); the speedup table, empty, when there are no rows.
// categories false keeps the overall rows only.
func MetricsTable(w io.Writer, rows []Row, categories bool) error {
	by := map[string][]Row{}
	for _, r := range rows {
		if r.Category != AllCategories && !categories {
			continue
		}
		l := layoutOf(r.Task)
		if !l.hasRows() {
			l = defaultLayout
		}
		by[l.Name()] = append(by[l.Name()], r)
	}
	written := false
	for _, l := range builtinLayouts {
		rs := by[l.Name()]
		if len(rs) == 0 && (len(by) > 0 || l != defaultLayout) {
			continue
		}
		if written {
			fmt.Fprintln(w)
		}
		if err := l.metricsText(w, rs); err != nil {
			return err
		}
		written = true
	}
	return nil
}

// speedupText is analyze's table of optimize rows.
func speedupText(w io.Writer, rows []Row) error {
	var o Options
	o.fill()
	metrics := pick(speedupColumns(o), "n", "compiled", "correct", "faster", "geomean", "mean", "2x", "calls", "tokens")
	t := metricsTable(table.Cols("STRATEGY", "VARIANT", "CATEGORY"), rows, func(x Row) table.Row { return table.Texts(x.Strategy, dash(x.Variant), x.Category) },
		metrics, "text", false)
	t.Notes = []string{fmt.Sprintf("geomean interval: bootstrap over problems (n problems instead when fewer than %d)", minIntervalN)}
	return t.WriteText(w)
}

// passText is analyze's table of generate rows.
func passText(w io.Writer, rows []Row) error {
	t := table.Table{Columns: table.Cols("STRATEGY", "VARIANT", "SUITE", "N", "PROBLEMS", "PARSED", "PASS@1 [95% CI]", "TESTS PASSED", "CALLS", "TOKENS"),
		Notes: []string{fmt.Sprintf("pass@1 = share of cells whose answer passed every hidden test; interval: bootstrap over problems, seeds nested (n problems when fewer than %d); code-generation cells have no speedup", minIntervalN)}}
	for _, x := range rows {
		t.AddTexts(x.Strategy, dash(x.Variant), x.Category, fmt.Sprint(x.N), fmt.Sprint(x.Problems), pct(x.PctCompiled), passCI(x),
			pct(100*x.TestsPassed), fmt.Sprintf("%.1f", x.LLMCalls), fmt.Sprintf("%.0f", x.Tokens))
	}
	return t.WriteText(w)
}

// geoText is an optimize row's geometric mean with its interval, or with
// its n when too few problems back an interval.
func geoText(r Row) string {
	if r.Problems < minIntervalN {
		return fmt.Sprintf("%.3f (n=%d)", r.GeoMean, r.Problems)
	}
	return fmt.Sprintf("%.3f [%.3f, %.3f]", r.GeoMean, r.GeoLow, r.GeoHigh)
}

// passCI is a generate row's pass@1 with its interval, or with its n
// when too few problems back an interval.
func passCI(r Row) string {
	if r.Problems < minIntervalN {
		return fmt.Sprintf("%s (n=%d)", three(r.Pass1), r.Problems)
	}
	return fmt.Sprintf("%s [%s, %s]", three(r.Pass1), three(r.Pass1Low), three(r.Pass1High))
}

func dash(v string) string {
	if v == "" {
		return "-"
	}
	return v
}
