package analysis

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/lessonlab/lessonl/internal/stats"
	"github.com/lessonlab/lessonl/internal/table"
)

// Comparison is a strategy variant against the reference, paired by
// problem and seed.
type Comparison struct {
	Label       string  `json:"strategy"`
	Reference   string  `json:"reference"`
	Pairs       int     `json:"pairs"`
	GeoMean     float64 `json:"geomean_speedup"`
	RefGeoMean  float64 `json:"reference_geomean_speedup"`
	Ratio       float64 `json:"median_ratio"` // median of paired speedup ratios (strategy / reference)
	RatioLow    float64 `json:"ratio_ci_low"`
	RatioHigh   float64 `json:"ratio_ci_high"`
	W           float64 `json:"wilcoxon_statistic"`
	P           float64 `json:"p"`      // Wilcoxon two-sided
	PHolm       float64 `json:"p_holm"` // Holm-adjusted across the comparisons
	Exact       bool    `json:"exact"`
	Significant bool    `json:"significant"` // PHolm < 0.05
	// IntervalDisagrees: the ratio's interval excludes 1 while the test
	// is not significant after Holm's correction, or the reverse.
	IntervalDisagrees bool `json:"interval_disagrees,omitempty"`
	// MinPairs is the fewest pairs with which the test could reach
	// significance at all after Holm's correction over the comparisons.
	MinPairs int `json:"min_pairs"`
	// Warnings are the test's and the interval's (see internal/stats).
	Warnings []string `json:"warnings,omitempty"`
}

// Alpha is the significance level of comparisons.
const Alpha = stats.Alpha

// Compare pairs every strategy variant with the reference (by label) on
// the cells both ran (same problem and seed), tests the paired log
// speedups (paper convention) with Wilcoxon's signed-rank test, and
// Holm-corrects the p-values across all comparisons. Only the cells of a
// task whose reporter compares speedups (optimize) are paired:
// code-generation cells are left out (GenerateTable compares them), and
// so are other tasks' (TaskSections).
func Compare(rs []Result, reference string, o Options) ([]Comparison, error) {
	o.fill()
	type pk struct {
		problem string
		seed    int64
	}
	by := map[string]map[pk]float64{}
	for _, r := range rs {
		if r.layout().paired().name != MetricSpeedup {
			continue
		}
		l := label(r.Strategy, r.Variant)
		if by[l] == nil {
			by[l] = map[pk]float64{}
		}
		by[l][pk{r.ProblemID, r.Seed}] = PaperSpeedup(r)
	}
	reference, err := ResolveName(reference, sortedKeys(by))
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	ref := by[reference]
	var out []Comparison
	for _, l := range sortedKeys(by) {
		if l == reference {
			continue
		}
		var keys []pk
		for k := range by[l] {
			if _, ok := ref[k]; ok {
				keys = append(keys, k)
			}
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].problem != keys[j].problem {
				return keys[i].problem < keys[j].problem
			}
			return keys[i].seed < keys[j].seed
		})
		if len(keys) == 0 {
			continue
		}
		x, y := make([]float64, len(keys)), make([]float64, len(keys))
		lx, ly := make([]float64, len(keys)), make([]float64, len(keys))
		for i, k := range keys {
			x[i], y[i] = by[l][k], ref[k]
			lx[i], ly[i] = math.Log(x[i]), math.Log(y[i])
		}
		w, err := stats.Wilcoxon(lx, ly)
		if err != nil {
			return nil, err
		}
		c := Comparison{Label: l, Reference: reference, Pairs: len(keys), GeoMean: math.Exp(logMean(x)), RefGeoMean: math.Exp(logMean(y)),
			W: w.Statistic, P: w.P, Exact: w.Exact}
		ratio := o.bootstrap().MedianRatio(x, y)
		c.Ratio, c.RatioLow, c.RatioHigh = ratio.Point, ratio.Low, ratio.High
		c.Warnings = stats.Messages(append(w.Warnings, ratio.Warnings...))
		out = append(out, c)
	}
	ps := make([]float64, len(out))
	for i, c := range out {
		ps[i] = c.P
	}
	for i, p := range stats.Holm(ps) {
		out[i].PHolm = p
		out[i].Significant = p < Alpha
		out[i].IntervalDisagrees = stats.Disagrees(out[i].Significant, out[i].RatioLow, out[i].RatioHigh, 1)
		out[i].MinPairs = stats.MinSignedRankPairs(Alpha, len(out))
	}
	return out, nil
}

// CompareTable prints comparisons as a compact benchstat-like table; a
// difference that is not significant after Holm's correction shows "~".
func CompareTable(w io.Writer, cs []Comparison) {
	fmt.Fprintf(w, "%-28s %6s %9s %9s %-24s %9s %9s\n", "strategy", "pairs", "geomean", "ref", "ratio [95% CI]", "p", "p (Holm)")
	marks, notes := comparisonMarks(cs)
	for i, c := range cs {
		fmt.Fprintf(w, "%-28s %6d %9.3f %9.3f %-24s %9.4f %9.4f  %s\n", c.Label, c.Pairs, c.GeoMean, c.RefGeoMean,
			fmt.Sprintf("%.3f [%.3f, %.3f]", c.Ratio, c.RatioLow, c.RatioHigh), c.P, c.PHolm, marks[i])
	}
	fmt.Fprintf(w, "Wilcoxon signed-rank on paired log speedups (failed = 1×), Holm-corrected, α = %.2f; ~ = not significant; the ratio's interval is a bootstrap of the median\n", Alpha)
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
}

// compareTable is the report's table of comparisons.
func (rep *Report) compareTable(w io.Writer) {
	t := table.Table{Columns: table.Cols("strategy", "pairs", "geomean", rep.Reference, "median ratio [95% CI]", "p", "p (Holm)", "")}
	marks, notes := comparisonMarks(rep.Comparisons)
	for i, c := range rep.Comparisons {
		t.AddTexts(c.Label, fmt.Sprint(c.Pairs), fx(c.GeoMean), fx(c.RefGeoMean), fmt.Sprintf("%s [%s, %s]", fx(c.Ratio), fx(c.RatioLow), fx(c.RatioHigh)),
			fmt.Sprintf("%.4f", c.P), fmt.Sprintf("%.4f", c.PHolm), marks[i])
	}
	for _, n := range notes {
		t.Notes = append(t.Notes, strings.TrimPrefix(n, "warning: "))
	}
	t.WriteMarkdown(w)
}

// comparisonMarks are each comparison's verdict (its change when
// significant after Holm's correction, else "~", with the disagreement
// mark) and the notes its table needs: the mark's explanation and the
// warnings of too few pairs and of intervals of one point.
func comparisonMarks(cs []Comparison) (marks, notes []string) {
	marked := false
	pairs := make([]int, len(cs))
	warnings := make([][]string, len(cs))
	for i, c := range cs {
		pairs[i], warnings[i] = c.Pairs, c.Warnings
		mark := "~"
		if c.Significant {
			mark = fmt.Sprintf("%+.0f%%", 100*(c.Ratio-1))
		}
		if c.IntervalDisagrees {
			mark, marked = mark+Disagreement, true
		}
		marks = append(marks, mark)
	}
	if marked {
		notes = append(notes, disagreementNote())
	}
	if warn := smallNWarning(pairs, len(cs)); warn != "" {
		notes = append(notes, warn)
	}
	if warn := degenerateWarning(warnings); warn != "" {
		notes = append(notes, warn)
	}
	return marks, notes
}
