package analysis

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/lessonlab/lessonl/internal/stats"
	"github.com/lessonlab/lessonl/internal/table"
)

// MetricTwoX is the share of cells at 2× or more, a metric an ablation
// figure draws besides MetricSpeedup (geometric-mean speedup, failed = 1)
// and MetricPass1 (share of cells whose answer passed every hidden test).
const MetricTwoX = "2x"

// AblationPoint is a metric's value for one value of the swept parameter
// (X) and one value of the series key, with its bootstrap interval over
// problems (seeds nested). A point whose cells lack the swept parameter
// (a baseline) has X "" and is drawn as a level line.
type AblationPoint struct {
	Series   string  `json:"series"`
	X        string  `json:"x"`
	Value    float64 `json:"value"`
	Low      float64 `json:"ci_low"`
	High     float64 `json:"ci_high"`
	Problems int     `json:"problems"`
	Cells    int     `json:"cells"`
	// Warnings are the interval's (see internal/stats).
	Warnings []string `json:"warnings,omitempty"`
}

// Ablation computes metric for each value of the key x and of the key
// series over rs: e.g. geometric-mean speedup against k, one line per
// selection policy. Cells without x (baselines) give one point per
// strategy label with X "". series "" or "strategy" means the
// strategy's label without x.
func Ablation(rs []Result, x, series, metric string, o Options) ([]AblationPoint, error) {
	o.fill()
	value, stat, err := metricOf(metric, o)
	if err != nil {
		return nil, err
	}
	type key struct{ s, x string }
	groups := map[key]map[string][]float64{} // → problem → per-seed values
	for _, r := range rs {
		xv, hasX := r.Keys.Value(x)
		s := r.Strategy
		switch {
		case !hasX:
			s = r.Label()
		case series != "" && series != "strategy":
			v, ok := r.Keys.Value(series)
			if !ok {
				v = "–"
			}
			s = series + "=" + v
		default:
			s = label(r.Strategy, r.Keys.Without(x).Variant())
		}
		k := key{s, xv}
		if groups[k] == nil {
			groups[k] = map[string][]float64{}
		}
		groups[k][r.ProblemID] = append(groups[k][r.ProblemID], value(r))
	}
	var out []AblationPoint
	swept := false
	for k, byProblem := range groups {
		var gs [][]float64
		cells := 0
		for _, p := range sortedKeys(byProblem) {
			gs = append(gs, byProblem[p])
			cells += len(byProblem[p])
		}
		iv := o.bootstrap().Nested(gs, stat)
		v, lo, hi := iv.Point, iv.Low, iv.High
		if len(gs) < minIntervalN {
			lo, hi = math.NaN(), math.NaN()
		}
		out = append(out, AblationPoint{Series: k.s, X: k.x, Value: v, Low: lo, High: hi, Problems: len(gs), Cells: cells, Warnings: stats.Messages(iv.Warnings)})
		swept = swept || k.x != ""
	}
	if !swept {
		return nil, fmt.Errorf("ablation: no cell has the parameter %q (try k, selection, rounds, or a strategy parameter)", x)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Series != out[j].Series {
			return out[i].Series < out[j].Series
		}
		return lessValue(out[i].X, out[j].X)
	})
	return out, nil
}

// metricOf is a cell's value for metric and the statistic over cells.
func metricOf(metric string, o Options) (func(Result) float64, func([]float64) float64, error) {
	switch metric {
	case MetricSpeedup, "":
		return PaperSpeedup, stats.GeoMean, nil
	case MetricTwoX:
		return func(r Result) float64 { return b2f(o.AtTwoX(r)) }, stats.Mean, nil
	case MetricPass1, "pass1":
		return func(r Result) float64 { return b2f(r.Correct) }, stats.Mean, nil
	}
	return nil, nil, fmt.Errorf("unknown metric %q (want %s, %s or %s)", metric, MetricSpeedup, MetricTwoX, MetricPass1)
}

// lessValue orders parameter values numerically when both are numbers.
func lessValue(a, b string) bool {
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		return x < y
	}
	return a < b
}

// AblationFigure draws points: the metric against the swept parameter x,
// one line per series with its interval whiskers (on points backed by
// enough problems), baselines as dashed level lines. A numeric parameter
// whose values grow by factors (k = 2, 4, 8) sits on a log₂ axis.
func AblationFigure(points []AblationPoint, x, series, metric string, simulated bool, st *Style) (*Figure, error) {
	var xs, lines, levels []string
	for _, p := range points {
		switch {
		case p.X == "" && !contains(levels, p.Series):
			levels = append(levels, p.Series)
		case p.X != "" && !contains(lines, p.Series):
			lines = append(lines, p.Series)
		}
		if p.X != "" && !contains(xs, p.X) {
			xs = append(xs, p.X)
		}
	}
	sort.Slice(xs, func(i, j int) bool { return lessValue(xs[i], xs[j]) })
	pos := positions(xs)
	names := map[string]string{MetricSpeedup: speedupAxis, MetricTwoX: "share of cells at ≥2×", MetricPass1: "pass@1"}
	switch metric {
	case "":
		metric = MetricSpeedup
	case "pass1":
		metric = MetricPass1
	}
	by := "series"
	if series != "" {
		by = series
	}
	title := fmt.Sprintf("%s against %s, one line per %s", metricTitles[metric], x, by)
	whiskers := false
	for _, p := range points {
		whiskers = whiskers || !math.IsNaN(p.Low)
	}
	if whiskers {
		title += fmt.Sprintf("\n(whiskers: 95%% bootstrap CI over problems, where %d or more)", minIntervalN)
	} else {
		title += fmt.Sprintf("\n(no intervals: fewer than %d problems per point)", minIntervalN)
	}
	p := newPlot(title, x, names[metric])
	simNote(p, simulated)
	lines = st.Order(lines)
	span := pos[xs[len(xs)-1]] - pos[xs[0]]
	if span == 0 {
		span = 1
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, s := range lines {
		dx := 0.02 * span * (float64(i) - float64(len(lines)-1)/2) // whiskers side by side
		var pts plotter.XYs
		var errs plotter.YErrors
		for _, q := range points {
			if q.Series != s || q.X == "" {
				continue
			}
			pts = append(pts, plotter.XY{X: pos[q.X] + dx, Y: q.Value})
			e := struct{ Low, High float64 }{}
			if !math.IsNaN(q.Low) {
				e.Low, e.High = q.Value-q.Low, q.High-q.Value
				lo, hi = math.Min(lo, q.Low), math.Max(hi, q.High)
			}
			errs = append(errs, e)
			lo, hi = math.Min(lo, q.Value), math.Max(hi, q.Value)
		}
		line, marks, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		line.Color, marks.Color = st.Color(s), st.Color(s)
		line.Dashes, marks.Shape, marks.Radius = st.Dashes(s), st.Shape(s), vg.Points(3.5)
		line.Width = vg.Points(1.5)
		p.Add(line, marks)
		if whiskers {
			eb := &plotter.YErrorBars{XYs: pts, YErrors: errs, LineStyle: draw.LineStyle{Color: st.Color(s), Width: vg.Points(1)}, CapWidth: vg.Points(5)}
			p.Add(eb)
		}
		p.Legend.Add(s, line, marks)
	}
	x0, x1 := pos[xs[0]]-0.1*span, pos[xs[len(xs)-1]]+0.1*span
	for _, s := range st.Order(levels) {
		for _, q := range points {
			if q.Series != s || q.X != "" {
				continue
			}
			l, err := plotter.NewLine(plotter.XYs{{X: x0, Y: q.Value}, {X: x1, Y: q.Value}})
			if err != nil {
				return nil, err
			}
			l.Color, l.Dashes, l.Width = st.Color(s), []vg.Length{vg.Points(5), vg.Points(3)}, vg.Points(1.2)
			p.Add(l)
			p.Legend.Add(s+" (no "+x+")", l)
			lo, hi = math.Min(lo, q.Value), math.Max(hi, q.Value)
		}
	}
	var ticks []plot.Tick
	for _, v := range xs {
		ticks = append(ticks, plot.Tick{Value: pos[v], Label: v})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = x0, x1
	if metric == MetricSpeedup {
		lo = math.Min(lo, 1)
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = speedupTicks{}
		p.Y.Min, p.Y.Max = lo/1.25, hi*1.25
		oneX(p, x0, x1, 1)
	} else {
		p.Y.Min, p.Y.Max = 0, math.Min(1.05, math.Max(hi*1.15, 0.1))
	}
	all := append(append([]string(nil), lines...), levels...)
	return &Figure{Name: "ablation-" + fileSafe(metric) + "-vs-" + fileSafe(x), Plot: p, Width: 6.5 * vg.Inch, Height: 4.5 * vg.Inch,
		Series: all, Colors: colors(st, all)}, nil
}

// positions places parameter values on the x axis: numbers that grow by
// factors of two or more at their log₂, other numbers at themselves,
// anything else one apart in order.
func positions(xs []string) map[string]float64 {
	pos := map[string]float64{}
	nums := make([]float64, len(xs))
	numeric := true
	for i, v := range xs {
		f, err := strconv.ParseFloat(v, 64)
		numeric = numeric && err == nil
		nums[i] = f
	}
	logs := numeric && len(nums) > 1 && nums[0] > 0 && nums[len(nums)-1]/nums[0] >= 4
	for i, v := range xs {
		switch {
		case logs:
			pos[v] = math.Log2(nums[i])
		case numeric:
			pos[v] = nums[i]
		default:
			pos[v] = float64(i)
		}
	}
	return pos
}

func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// metricTitles name the metrics in titles and headings.
var metricTitles = map[string]string{MetricSpeedup: "Geometric-mean speedup", MetricTwoX: "Share of cells at ≥2×", MetricPass1: "pass@1", "pass1": "pass@1"}

// AblationSet is one ablation figure's data: a metric against a swept
// parameter, one line per value of the series key.
type AblationSet struct {
	X      string          `json:"x"`
	Series string          `json:"series"`
	Metric string          `json:"metric"`
	Points []AblationPoint `json:"points"`
}

// ablationLayout is the reporter whose cells the metric m is drawn for:
// the one that lists it among its ablations, else the default (speedup)
// layout.
func ablationLayout(m string) layout {
	if m == "pass1" {
		m = MetricPass1
	}
	for _, l := range builtinLayouts {
		if contains(l.ablations(), m) {
			return l
		}
	}
	return defaultLayout
}

// Ablate adds to the report, for each metric, the figure and the table
// of that metric against the parameter x, one line per value of series
// (lessonl plot|report --x k --series selection). Without metrics it draws
// geometric-mean speedup and the ≥2× share for code-optimization cells,
// pass@1 for code-generation cells.
func (rep *Report) Ablate(x, series string, metrics ...string) error {
	_, by := byLayout(rep.Runs.Results)
	if len(metrics) == 0 {
		for _, l := range builtinLayouts {
			if len(by[l.Name()]) > 0 {
				metrics = append(metrics, l.ablations()...)
			}
		}
	}
	for _, m := range metrics {
		rs := by[ablationLayout(m).Name()]
		if len(rs) == 0 {
			return fmt.Errorf("--metric %s: no cells of its task in these runs", m)
		}
		pts, err := Ablation(rs, x, series, m, rep.Options)
		if err != nil {
			return err
		}
		var labels []string
		for _, p := range pts {
			labels = append(labels, p.Series)
		}
		st := NewStyle(labels)
		st.rank = rep.Style.rank
		f, err := AblationFigure(pts, x, series, m, rep.Runs.Simulated(), st)
		if err != nil {
			return err
		}
		rep.Figures = append(rep.Figures, f)
		rep.Ablations = append(rep.Ablations, AblationSet{X: x, Series: series, Metric: m, Points: pts})
	}
	return nil
}

// ablationMarkdown writes each ablation as a table: one row per series,
// one column per value of the swept parameter.
func (rep *Report) ablationMarkdown(w io.Writer) {
	for _, a := range rep.Ablations {
		var xs, series []string
		at := map[string]AblationPoint{}
		for _, p := range a.Points {
			if p.X != "" && !contains(xs, p.X) {
				xs = append(xs, p.X)
			}
			if !contains(series, p.Series) {
				series = append(series, p.Series)
			}
			at[p.Series+"\x00"+p.X] = p
		}
		sort.Slice(xs, func(i, j int) bool { return lessValue(xs[i], xs[j]) })
		fmt.Fprintf(w, "\n## %s against %s\n\nEach cell: the value with its 95%% bootstrap interval over problems (seeds nested), or its n when fewer than %d problems; a series without %s (a baseline) has one value.\n\n",
			metricTitles[a.Metric], a.X, minIntervalN, a.X)
		t := table.Table{Columns: table.Cols(append(append([]string{"series"}, xs...), "no "+a.X)...)}
		for _, s := range series {
			row := table.Texts(s)
			for _, x := range append(xs, "") {
				p, ok := at[s+"\x00"+x]
				switch {
				case !ok:
					row = append(row, table.Missing)
				case math.IsNaN(p.Low):
					row = append(row, table.Text(fmt.Sprintf("%s (n=%d)", ablationValue(a.Metric, p.Value), p.Problems)))
				default:
					row = append(row, table.Text(fmt.Sprintf("%s [%s, %s]", ablationValue(a.Metric, p.Value), strings.TrimSuffix(ablationValue(a.Metric, p.Low), "×"), strings.TrimSuffix(ablationValue(a.Metric, p.High), "×"))))
				}
			}
			t.Add(row...)
		}
		t.WriteMarkdown(w)
	}
}

func ablationValue(metric string, v float64) string {
	if metric == MetricSpeedup || metric == "" {
		return fmt.Sprintf("%.2f×", v)
	}
	return three(v)
}
