package analysis

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/stats"
	"github.com/lessonlab/lessonl/internal/table"
)

// Side is one side of an old/new comparison: a name and its results.
type Side struct {
	Name    string
	Value   string // the key's value when the side is one of SplitBy's
	Results []Result
}

// SplitBy splits results by the value of one key (run, mode, protocol,
// model, selection, k, or any parameter of the strategies; see Keys), for
// comparing variants inside one run or run group: the key leaves the
// label, so rows of the two values line up. Strategies that differ in the
// key itself (two single-agent strategies of two models, say) and so
// exist on one side only line up by kind when that pairs them one to one,
// under the label "old-name vs new-name". It returns one side per value,
// sorted, or an error listing the keys the results have.
func SplitBy(rs []Result, key string) ([]Side, error) {
	by := map[string][]Result{}
	keys := map[string]bool{}
	for _, r := range rs {
		for _, n := range r.Keys.Names() {
			keys[n] = true
		}
		value, found := r.Keys.Value(key)
		if !found {
			continue
		}
		r.Keys = r.Keys.Without(key)
		r.Variant = r.Keys.Variant()
		by[value] = append(by[value], r)
	}
	if len(by) == 0 {
		return nil, fmt.Errorf("group by %q: no result has it among its keys (have %v)", key, sortedKeys(keys))
	}
	var out []Side
	for _, v := range sortedKeys(by) {
		out = append(out, Side{Name: key + "=" + v, Value: v, Results: by[v]})
	}
	if len(out) == 2 {
		pairByKind(out[0].Results, out[1].Results)
	}
	return out, nil
}

// pairByKind renames the strategies found on one side only, when each
// kind has exactly one such strategy on each side, to "old vs new" on
// both sides, so that their rows line up.
func pairByKind(old, new []Result) {
	names := func(rs []Result) map[string]string { // strategy → kind
		m := map[string]string{}
		for _, r := range rs {
			m[r.Strategy] = r.Kind
		}
		return m
	}
	a, b := names(old), names(new)
	only := func(x, y map[string]string) map[string][]string { // kind → strategies of x alone
		m := map[string][]string{}
		for s, k := range x {
			if _, ok := y[s]; !ok {
				m[k] = append(m[k], s)
			}
		}
		return m
	}
	oa, ob := only(a, b), only(b, a)
	rename := map[string]string{}
	for kind, ss := range oa {
		if len(ss) == 1 && len(ob[kind]) == 1 {
			l := ss[0] + " vs " + ob[kind][0]
			rename[ss[0]], rename[ob[kind][0]] = l, l
		}
	}
	for _, rs := range [][]Result{old, new} {
		for i := range rs {
			if l, ok := rename[rs[i].Strategy]; ok {
				rs[i].Strategy = l
			}
		}
	}
}

// Delta compares one strategy variant over one category (or all) between
// an old and a new side, as benchstat compares two benchmark files.
type Delta struct {
	Strategy string `json:"strategy"`
	Variant  string `json:"variant"`
	Category string `json:"category"`
	// Metric is what Old and New are: "speedup" (geometric means) for
	// code-optimization cells, "pass@1" (shares of cells whose answer
	// passed every hidden test) for code-generation cells.
	Metric string `json:"metric"`
	// Geometric-mean speedups (paper convention: failed or slower = 1×),
	// or pass@1, with their cell counts; NaN when the side has no such
	// cells.
	Old  float64 `json:"old"`
	OldN int     `json:"old_n"`
	New  float64 `json:"new"`
	NewN int     `json:"new_n"`
	// Ratio is new/old: of the geometric means, or, when cells pair up
	// (same problem and seed on both sides), the geometric mean of the
	// paired ratios; with a 95% bootstrap interval.
	Ratio     float64 `json:"ratio"`
	RatioLow  float64 `json:"ratio_ci_low"`
	RatioHigh float64 `json:"ratio_ci_high"`
	// Diff is new − old pass@1 with a 95% bootstrap interval (metric
	// pass@1; NaN for speedups, which compare by Ratio).
	Diff     float64 `json:"diff"`
	DiffLow  float64 `json:"diff_ci_low"`
	DiffHigh float64 `json:"diff_ci_high"`
	Pairs    int     `json:"pairs"` // cells on both sides; 0 for an unpaired test
	Test     string  `json:"test"`  // wilcoxon (paired) or mann-whitney (unpaired)
	P        float64 `json:"p"`
	// Significant is p < Alpha; a difference that is not shows as "~".
	Significant bool `json:"significant"`
	// IntervalDisagrees: the interval excludes no change while the test
	// is not significant, or the reverse (different methods; the table
	// marks the row with Disagreement).
	IntervalDisagrees bool `json:"interval_disagrees,omitempty"`
	// MinPairs is the fewest pairs with which the paired test could reach
	// p < Alpha at all (0 for unpaired rows); Pairs below it can never be
	// significant (see MinSignedRankPairs).
	MinPairs int `json:"min_pairs,omitempty"`
	// Warnings are the test's and the interval's (see internal/stats).
	Warnings []string `json:"warnings,omitempty"`
}

// MarshalJSON writes NaN (no such cells, nothing to compare) as null.
func (d Delta) MarshalJSON() ([]byte, error) {
	type plain Delta // without the method
	floats := map[string]*float64{"old": &d.Old, "new": &d.New, "ratio": &d.Ratio, "ratio_ci_low": &d.RatioLow,
		"ratio_ci_high": &d.RatioHigh, "diff": &d.Diff, "diff_ci_low": &d.DiffLow, "diff_ci_high": &d.DiffHigh, "p": &d.P}
	null := map[string]bool{}
	for name, f := range floats {
		if math.IsNaN(*f) || math.IsInf(*f, 0) {
			null[name], *f = true, 0
		}
	}
	b, err := json.Marshal(plain(d))
	if err != nil || len(null) == 0 {
		return b, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for name := range null {
		m[name] = nil
	}
	return json.Marshal(m)
}

// nullable is x, or nil (JSON null) when x is NaN or infinite.
func nullable(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

// The metrics a Delta compares.
const (
	MetricSpeedup = "speedup"
	MetricPass1   = "pass@1"
)

// Deltas compares every strategy variant and category present on either
// side: geometric-mean speedups for code-optimization cells, pass@1 for
// code-generation cells. Cells that pair up (at least two, all of one
// side's) are tested with Wilcoxon's signed-rank test on paired log
// speedups (or pass outcomes); otherwise the two sides' cells are tested
// with Mann-Whitney's U test.
func Deltas(old, new Side, o Options) []Delta {
	o.fill()
	type gk struct{ strategy, variant, category string }
	// metric is each group's: its results' task's paired metric when
	// they share one, else the speedup (as the side that saw the group
	// last has it).
	metric := map[gk]pairedMetric{}
	group := func(rs []Result) map[gk]map[string]float64 {
		g := map[gk]map[string]float64{}
		for _, r := range rs {
			m := r.layout().paired()
			if m.name == "" {
				continue // no paired metric: its task's section
			}
			cell := record.Key("", "", r.ProblemID, r.Seed)
			for _, c := range []string{AllCategories, r.Category} {
				k := gk{r.Strategy, r.Variant, c}
				if g[k] == nil {
					g[k] = map[string]float64{}
					metric[k] = m
				}
				if metric[k].name != m.name {
					metric[k] = speedupMetric
				}
				g[k][cell] = m.value(r)
			}
		}
		return g
	}
	a, b := group(old.Results), group(new.Results)
	keys := map[gk]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out []Delta
	for k := range keys {
		d := Delta{Strategy: k.strategy, Variant: k.variant, Category: k.category, Metric: MetricSpeedup, Old: math.NaN(), New: math.NaN(),
			Ratio: math.NaN(), RatioLow: math.NaN(), RatioHigh: math.NaN(), Diff: math.NaN(), DiffLow: math.NaN(), DiffHigh: math.NaN(), P: math.NaN()}
		x, y := values(a[k]), values(b[k])
		d.OldN, d.NewN = len(x), len(y)
		center := metric[k].center
		d.Metric = metric[k].name
		if len(x) > 0 {
			d.Old = center(x)
		}
		if len(y) > 0 {
			d.New = center(y)
		}
		if len(x) > 0 && len(y) > 0 {
			compare(&d, a[k], b[k], o)
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		p, q := out[i], out[j]
		return labelLess(p.Strategy, p.Variant, p.Category, q.Strategy, q.Variant, q.Category)
	})
	return out
}

// compare fills d's change, its interval and the test from the two
// sides' cells: speedups by the ratio of geometric means (means of logs,
// back through exp), pass outcomes (1 passed, 0 not) by the difference
// of shares.
func compare(d *Delta, old, new map[string]float64, o Options) {
	in, back, change := logs, math.Exp, [3]*float64{&d.Ratio, &d.RatioLow, &d.RatioHigh}
	if d.Metric == MetricPass1 {
		in, back, change = same, nil, [3]*float64{&d.Diff, &d.DiffLow, &d.DiffHigh}
	}
	px, py, paired := matched(old, new)
	var iv stats.Interval
	var warnings []error
	if paired {
		x, y := in(px), in(py)
		diff := make([]float64, len(x))
		for i := range x {
			diff[i] = y[i] - x[i]
		}
		d.Pairs, d.Test = len(px), "wilcoxon"
		iv = o.bootstrap().Mean(diff, back)
		d.P = 1 // every pair equal: no difference to test
		if w, err := stats.Wilcoxon(y, x); err == nil {
			d.P, warnings = w.P, w.Warnings
		}
		d.MinPairs = stats.MinSignedRankPairs(Alpha, 1)
	} else {
		x, y := in(values(old)), in(values(new))
		d.Test = "mann-whitney"
		iv = o.bootstrap().MeanDifference(y, x, back)
		u := stats.MannWhitneyTest(y, x)
		d.P, warnings = u.P, u.Warnings
	}
	*change[0], *change[1], *change[2] = iv.Point, iv.Low, iv.High
	d.Significant = d.P < Alpha
	null := 0.0
	if back != nil {
		null = back(0)
	}
	d.IntervalDisagrees = stats.Disagrees(d.Significant, iv.Low, iv.High, null)
	d.Warnings = stats.Messages(append(warnings, iv.Warnings...))
}

// matched returns the values of the cells both sides have, in cell order,
// and whether they pair the comparison: at least two, and all of one
// side's cells.
func matched(old, new map[string]float64) (px, py []float64, paired bool) {
	for _, c := range sortedKeys(old) {
		if v, ok := new[c]; ok {
			px, py = append(px, old[c]), append(py, v)
		}
	}
	return px, py, len(px) >= 2 && (len(px) == len(old) || len(px) == len(new))
}

func values(m map[string]float64) []float64 {
	out := make([]float64, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

func same(xs []float64) []float64 { return xs }

func logs(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = math.Log(x)
	}
	return out
}

// DeltaTable prints deltas as benchstat does: old and new with their n, the
// change with its interval, the p-value and test, "~" when not
// significant. categories false keeps the overall rows only.
func DeltaTable(w io.Writer, old, new string, ds []Delta, categories bool) error {
	t := table.Table{Columns: table.Cols("STRATEGY", "CATEGORY", "OLD: "+old, "NEW: "+new, "Δ [95% CI]", "P", "TEST")}
	pass1, speed, marked := false, false, false
	var pairs []int
	var warnings [][]string
	for _, d := range ds {
		if d.Category != AllCategories && !categories {
			continue
		}
		pairs, warnings = append(pairs, d.Pairs), append(warnings, d.Warnings)
		mark := ""
		if d.IntervalDisagrees {
			mark, marked = Disagreement, true
		}
		if d.Metric == MetricPass1 {
			pass1 = true
			t.AddTexts(label(d.Strategy, d.Variant), d.Category, passCell(d.Old, d.OldN), passCell(d.New, d.NewN), passChange(d)+mark, pval(d.P), testText(d))
			continue
		}
		speed = true
		change := "~"
		switch {
		case math.IsNaN(d.Ratio):
			change = "(one side only)"
		case d.Significant:
			change = fmt.Sprintf("%+.1f%% [%+.1f%%, %+.1f%%]", 100*(d.Ratio-1), 100*(d.RatioLow-1), 100*(d.RatioHigh-1))
		default:
			change = fmt.Sprintf("~ (%+.1f%% [%+.1f%%, %+.1f%%])", 100*(d.Ratio-1), 100*(d.RatioLow-1), 100*(d.RatioHigh-1))
		}
		t.AddTexts(label(d.Strategy, d.Variant), d.Category, sideCell(d.Old, d.OldN), sideCell(d.New, d.NewN), change+mark, pval(d.P), testText(d))
	}
	var what string
	switch {
	case speed && pass1:
		what = "geometric-mean speedups, failed or slower = 1× (n cells), Δ = new/old − 1; pass@1 (code generation: share of cells whose answer passed every hidden test), Δ in percentage points; "
	case pass1:
		what = "pass@1 = share of cells whose answer passed every hidden test (n cells; code generation has no speedup); Δ = new − old in percentage points; "
	default:
		what = "geometric-mean speedups, failed or slower = 1× (n cells); Δ = new/old − 1; "
	}
	t.Notes = append(t.Notes, what+fmt.Sprintf("Wilcoxon signed-rank on paired cells (same problem and seed), else Mann-Whitney U; α = %.2f, ~ = not significant; the interval is a bootstrap", Alpha))
	if marked {
		t.Notes = append(t.Notes, disagreementNote())
	}
	if warn := smallNWarning(pairs, 1); warn != "" {
		t.Notes = append(t.Notes, warn)
	}
	if warn := degenerateWarning(warnings); warn != "" {
		t.Notes = append(t.Notes, warn)
	}
	return t.WriteText(w)
}

func testText(d Delta) string {
	if d.Pairs > 0 {
		return fmt.Sprintf("%s, %d pairs", d.Test, d.Pairs)
	}
	return d.Test
}

func passCell(x float64, n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("pass@1 %s (n=%d)", three(x), n)
}

// passChange is a pass@1 delta's change in percentage points with its
// interval, "~" first when not significant.
func passChange(d Delta) string {
	if math.IsNaN(d.Diff) {
		return "(one side only)"
	}
	s := fmt.Sprintf("%+.1f pts [%+.1f, %+.1f]", 100*d.Diff, 100*d.DiffLow, 100*d.DiffHigh)
	if d.Significant {
		return s
	}
	return "~ (" + s + ")"
}

func sideCell(g float64, n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3f× (n=%d)", g, n)
}

func pval(p float64) string {
	if math.IsNaN(p) {
		return "–"
	}
	return fmt.Sprintf("%.3f", p)
}
