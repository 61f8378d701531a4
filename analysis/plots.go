package analysis

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure is a plot with the data it shows, so tests (and readers of the
// report) can check that every category and strategy is in it.
type Figure struct {
	Name       string // file name without extension
	Plot       *plot.Plot
	Width      vg.Length
	Height     vg.Length
	Categories []string               // categories shown
	Series     []string               // strategies (or agents) shown
	Colors     map[string]color.Color // each series' colour, where series have one
}

// speedupAxis labels a vertical axis of geometric-mean speedups, in two
// lines: a rotated label longer than its axis makes gonum/plot shrink the
// data area to fit it.
const speedupAxis = "geomean speedup (×, log scale)\nfailed or slower = 1×"

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	return p
}

func simNote(p *plot.Plot, simulated bool) {
	if simulated {
		p.Title.Text += "\n(" + SimBannerShort + ")"
	}
}

// Style gives each strategy variant one colour, marker and dash pattern
// for every figure of a report: the same strategy looks the same in the
// bars, the curves, the ECDF and the cost plot. Its order is the order
// series are drawn and listed in legends: the reference first, then as
// the user asked (--strategies), else by name.
type Style struct {
	index map[string]int
	rank  map[string]int
}

// NewStyle assigns styles to labels in sorted order.
func NewStyle(labels []string) *Style {
	s := &Style{index: map[string]int{}, rank: map[string]int{}}
	sorted := append([]string(nil), labels...)
	sort.Strings(sorted)
	for _, l := range sorted {
		if _, ok := s.index[l]; !ok {
			s.index[l] = len(s.index)
		}
	}
	return s
}

// SetOrder states the order of series: these labels first, in this
// order; the others after them by name.
func (s *Style) SetOrder(labels []string) {
	for _, l := range labels {
		if _, ok := s.rank[l]; !ok {
			s.rank[l] = len(s.rank)
		}
	}
}

// Order sorts labels in the stated order (see SetOrder).
func (s *Style) Order(labels []string) []string {
	out := append([]string(nil), labels...)
	if s == nil {
		sort.Strings(out)
		return out
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, oki := s.rank[out[i]]
		rj, okj := s.rank[out[j]]
		switch {
		case oki && okj:
			return ri < rj
		case oki != okj:
			return oki
		}
		return out[i] < out[j]
	})
	return out
}

func (s *Style) of(label string) int {
	if s == nil {
		return 0
	}
	i, ok := s.index[label]
	if !ok {
		i = len(s.index)
		s.index[label] = i
	}
	return i
}

// Color is label's colour.
func (s *Style) Color(label string) color.Color { return palette[s.of(label)%len(palette)] }

// Shape is label's marker.
func (s *Style) Shape(label string) draw.GlyphDrawer { return markers[s.of(label)%len(markers)] }

// Dashes is label's dash pattern.
func (s *Style) Dashes(label string) []vg.Length { return dashes[s.of(label)%len(dashes)] }

func colors(st *Style, series []string) map[string]color.Color {
	out := map[string]color.Color{}
	for _, l := range series {
		out[l] = st.Color(l)
	}
	return out
}

// speedupTicks marks a speedup axis at powers of two, labelled "1×",
// "2×", ... "4,096×"; log2 says the axis holds log₂ of speedups minus
// base (bars, which start at base), else the speedups themselves on a log
// scale. At most about ten ticks are labelled.
type speedupTicks struct {
	log2 bool
	base float64
}

func (t speedupTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := min+t.base, max+t.base
	if !t.log2 {
		lo, hi = math.Log2(min), math.Log2(max)
	}
	at := func(k float64) float64 {
		if t.log2 {
			return k - t.base
		}
		return math.Exp2(k)
	}
	var ticks []plot.Tick
	step := math.Max(1, math.Ceil((hi-lo)/10))
	for k := math.Ceil(lo/step) * step; k <= hi+1e-9; k += step {
		ticks = append(ticks, plot.Tick{Value: at(k), Label: timesLabel(math.Exp2(k))})
	}
	if len(ticks) < 2 { // a narrow range: label its ends too
		for _, k := range []float64{lo, hi} {
			ticks = append(ticks, plot.Tick{Value: at(k), Label: fmt.Sprintf("%.2g×", math.Exp2(k))})
		}
	}
	return ticks
}

// timesLabel is a speedup as a tick or a bar shows it: "0.5×", "16×",
// "4,096×".
func timesLabel(x float64) string {
	switch {
	case x < 10:
		return strconv.FormatFloat(x, 'g', 3, 64) + "×"
	case x < 1000:
		return fmt.Sprintf("%.0f×", x)
	}
	s := fmt.Sprintf("%.0f", x)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "×"
}

// oneX is a dashed grey line marking 1× (no speedup) across [x0, x1].
func oneX(p *plot.Plot, x0, x1, y float64) {
	l, err := plotter.NewLine(plotter.XYs{{X: x0, Y: y}, {X: x1, Y: y}})
	if err != nil {
		return
	}
	l.Color = color.Gray{Y: 110}
	l.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(l)
}

// CategoryBars is grouped bars of geometric-mean speedup per category, one
// bar per strategy variant, with bootstrap interval whiskers where a
// category has enough problems for one. The axis is logarithmic (bars of
// log₂ speedup, labelled in ×) and starts below the smallest value, so a
// 1× result (no speedup, or failures only) draws a bar of its own up to
// the dashed 1× line; 2× and 3,000× both read, and each bar carries its
// value when the figure has room.
func CategoryBars(rows []Row, simulated bool, st *Style) (*Figure, error) {
	var cats, series []string
	byKey := map[string]map[string]Row{}
	for _, r := range rows {
		l := label(r.Strategy, r.Variant)
		if byKey[l] == nil {
			byKey[l] = map[string]Row{}
			series = append(series, l)
		}
		byKey[l][r.Category] = r
		if !contains(cats, r.Category) {
			cats = append(cats, r.Category)
		}
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("no speedup rows")
	}
	sort.Slice(cats, func(i, j int) bool {
		if (cats[i] == AllCategories) != (cats[j] == AllCategories) {
			return cats[i] == AllCategories
		}
		return cats[i] < cats[j]
	})
	series = st.Order(series)
	// The floor: half a power of two below the smallest value drawn.
	floor, top, whiskers := 0.0, 1.0, 0
	for _, s := range series {
		for _, r := range byKey[s] {
			lo := r.GeoMean
			if r.Problems >= minIntervalN {
				lo = r.GeoLow
				whiskers++
			}
			if lo > 0 {
				floor = math.Min(floor, math.Log2(lo))
			}
			top = math.Max(top, math.Log2(math.Max(r.GeoMean, r.GeoHigh)))
		}
	}
	floor -= 0.5
	title := "Geometric-mean speedup per category"
	switch {
	case whiskers == 0:
		title += fmt.Sprintf(" (no intervals: fewer than %d problems per bar)", minIntervalN)
	case whiskers < len(rows):
		title += fmt.Sprintf(" (whiskers: 95%% bootstrap CI, on bars of %d or more problems)", minIntervalN)
	default:
		title += " (whiskers: 95% bootstrap CI over problems)"
	}
	p := newPlot(title, "category", speedupAxis)
	simNote(p, simulated)
	width := vg.Length(math.Min(11, math.Max(7, 0.35*float64(len(cats)*len(series))+1))) * vg.Inch
	// Each category's group takes 80% of its slot, split among the series.
	w := vg.Length(math.Max(3, 0.8*float64(width-vg.Inch)/float64(len(cats))/float64(len(series))))
	values := len(cats)*len(series) <= 48 && w >= vg.Points(7)
	offsets, err := groupedBars(p, st, series, len(cats), w, false, func(s string, j int) (v, low, high float64, ok bool) {
		r, ok := byKey[s][cats[j]]
		if !ok {
			return 0, 0, 0, false
		}
		v = math.Log2(r.GeoMean) - floor
		if r.Problems >= minIntervalN {
			low, high = math.Log2(r.GeoMean)-math.Log2(r.GeoLow), math.Log2(r.GeoHigh)-math.Log2(r.GeoMean)
		}
		return v, low, high, true
	})
	if err != nil {
		return nil, err
	}
	for i, s := range series {
		var lbls []string
		var at plotter.XYs
		for j, c := range cats {
			r, ok := byKey[s][c]
			if !ok {
				continue
			}
			v := math.Log2(r.GeoMean) - floor
			if r.Problems >= minIntervalN {
				v += math.Log2(r.GeoHigh) - math.Log2(r.GeoMean)
			}
			lbls = append(lbls, timesLabel(r.GeoMean))
			at = append(at, plotter.XY{X: float64(j), Y: v})
		}
		if values && len(at) > 0 {
			l, err := plotter.NewLabels(plotter.XYLabels{XYs: at, Labels: lbls})
			if err == nil {
				for k := range l.TextStyle {
					l.TextStyle[k].Rotation = math.Pi / 2
					l.TextStyle[k].XAlign, l.TextStyle[k].YAlign = draw.XLeft, draw.YCenter
					l.TextStyle[k].Font.Size = vg.Points(7)
				}
				l.Offset = vg.Point{X: offsets[i], Y: vg.Points(2)}
				p.Add(l)
			}
		}
	}
	p.NominalX(cats...)
	p.X.Tick.Label.Rotation = math.Pi / 5
	p.X.Tick.Label.XAlign = draw.XRight
	oneX(p, -0.5, float64(len(cats))-0.5, -floor)
	p.Y.Tick.Marker = speedupTicks{log2: true, base: floor}
	p.Y.Min = 0
	p.Y.Max = (top - floor) * 1.15 // room for the value labels
	if values {
		p.Y.Max = (top - floor) * 1.3
	}
	return &Figure{Name: "categories", Plot: p, Width: width, Height: 5 * vg.Inch,
		Categories: cats, Series: series, Colors: colors(st, series)}, nil
}

// groupedBars adds one bar chart per series to p, the series' bars side
// by side (each w wide) within each of groups slots, with whiskers: bar j
// of series s is value(s, j), its whisker reaching low below and high
// above (both 0: none); ok false leaves the slot empty. zeroOK draws
// whiskers on bars of height 0 (a value, not a missing bar). It returns
// each series' offset from its slot's centre.
func groupedBars(p *plot.Plot, st *Style, series []string, groups int, w vg.Length, zeroOK bool,
	value func(s string, j int) (v, low, high float64, ok bool)) ([]vg.Length, error) {
	offsets := make([]vg.Length, len(series))
	for i, s := range series {
		vals := make(plotter.Values, groups)
		errs := make(plotter.YErrors, groups)
		pts := make(plotter.XYs, groups)
		for j := range pts {
			pts[j].X = float64(j) // the bar's group; its offset is added when drawing
			if v, low, high, ok := value(s, j); ok {
				vals[j], pts[j].Y = v, v
				errs[j].Low, errs[j].High = low, high
			}
		}
		bars, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return nil, err
		}
		bars.LineStyle.Width = 0
		bars.Color = st.Color(s)
		bars.Offset = w * vg.Length(float64(i)-float64(len(series)-1)/2)
		offsets[i] = bars.Offset
		p.Add(bars)
		p.Legend.Add(s, bars)
		p.Add(&offsetErrorBars{xys: pts, errs: errs, offset: bars.Offset, zeroOK: zeroOK})
	}
	return offsets, nil
}

// offsetErrorBars draws vertical whiskers shifted like the grouped bars.
type offsetErrorBars struct {
	xys    plotter.XYs
	errs   plotter.YErrors
	offset vg.Length
	zeroOK bool // a bar of height 0 is a value (pass@1 of 0), not a missing bar
}

func (e *offsetErrorBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ls := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	for i, pt := range e.xys {
		if (pt.Y == 0 && !e.zeroOK) || (e.errs[i].Low == 0 && e.errs[i].High == 0) {
			continue
		}
		x := trX(pt.X) + e.offset
		lo, hi := trY(pt.Y-e.errs[i].Low), trY(pt.Y+e.errs[i].High)
		c.StrokeLine2(ls, x, lo, x, hi)
		c.StrokeLine2(ls, x-vg.Points(2), lo, x+vg.Points(2), lo)
		c.StrokeLine2(ls, x-vg.Points(2), hi, x+vg.Points(2), hi)
	}
}

// RoundCurves is best-so-far speedup after each round, one curve per
// strategy variant, overall.
func RoundCurves(progress []Progress, simulated bool, st *Style) (*Figure, error) {
	p := newPlot("Best speedup so far, by round (geometric mean over cells)", "round", speedupAxis)
	simNote(p, simulated)
	var series []string
	byLabel := map[string]Progress{}
	for _, pr := range progress {
		if pr.Category == AllCategories {
			byLabel[label(pr.Strategy, pr.Variant)] = pr
		}
	}
	for _, l := range st.Order(sortedKeys(byLabel)) {
		pr := byLabel[l]
		pts := make(plotter.XYs, len(pr.Rounds))
		for r, v := range pr.Rounds {
			pts[r].X, pts[r].Y = float64(r), v
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		line.Color, points.Color = st.Color(l), st.Color(l)
		line.Dashes = st.Dashes(l)
		points.Shape = st.Shape(l)
		p.Add(line, points)
		p.Legend.Add(l, line, points)
		series = append(series, l)
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("no strategy recorded rounds")
	}
	top := 1.0
	for _, pr := range progress {
		if pr.Category != AllCategories {
			continue
		}
		for _, v := range pr.Rounds {
			top = math.Max(top, v)
		}
	}
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = speedupTicks{}
	p.Y.Min, p.Y.Max = 1/1.08, top*1.4 // markers at 1× and at the top stay whole
	p.X.Min, p.X.Max = -0.3, p.X.Max+0.3
	oneX(p, p.X.Min, p.X.Max, 1)
	p.Legend.Left, p.Legend.Top = true, true
	return &Figure{Name: "rounds", Plot: p, Width: 7 * vg.Inch, Height: 4.5 * vg.Inch, Series: series, Colors: colors(st, series)}, nil
}

// grid is an agent × category matrix for plotter.HeatMap.
type grid struct {
	z      [][]float64
	cols   int
	rows   int
	minmax [2]float64
}

func (g grid) Dims() (c, r int)   { return g.cols, g.rows }
func (g grid) Z(c, r int) float64 { return g.z[r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

// AgentHeatmap shows each agent's geometric mean per category when run
// alone: which agent is good at what.
// With fewer than two agents there is nothing to compare, and no figure
// (the report's table says it).
func AgentHeatmap(cells []AgentCell, simulated bool) (*Figure, error) {
	var agents, cats []string
	for _, c := range cells {
		if !contains(agents, c.Agent) {
			agents = append(agents, c.Agent)
		}
		if !contains(cats, c.Category) {
			cats = append(cats, c.Category)
		}
	}
	if len(agents) < 2 {
		return nil, fmt.Errorf("%d agents ran alone (kind single): a heatmap needs two or more", len(agents))
	}
	sort.Strings(agents)
	sort.Strings(cats)
	g := grid{cols: len(cats), rows: len(agents), minmax: [2]float64{math.Inf(1), math.Inf(-1)}}
	g.z = make([][]float64, len(agents))
	for r := range g.z {
		g.z[r] = make([]float64, len(cats))
		for c := range g.z[r] {
			g.z[r][c] = math.NaN()
		}
	}
	for _, c := range cells {
		v := math.Log2(c.GeoMean)
		g.z[indexOf(agents, c.Agent)][indexOf(cats, c.Category)] = v
		g.minmax[0], g.minmax[1] = math.Min(g.minmax[0], v), math.Max(g.minmax[1], v)
	}
	pal := moreland.SmoothBlueRed()
	pal.SetMin(math.Min(0, g.minmax[0]))
	pal.SetMax(math.Max(1, g.minmax[1]))
	h := plotter.NewHeatMap(g, pal.Palette(64))
	h.NaN = color.Gray{Y: 220}
	p := newPlot("Speedup of each agent alone, per category (log₂ of geometric mean)", "category", "agent")
	simNote(p, simulated)
	p.Add(h)
	for r := range agents {
		for c := range cats {
			if v := g.z[r][c]; !math.IsNaN(v) {
				lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: float64(c), Y: float64(r)}},
					Labels: []string{fmt.Sprintf("%.2f×", math.Exp2(v))}})
				if err == nil {
					lbl.TextStyle[0].XAlign, lbl.TextStyle[0].YAlign = draw.XCenter, draw.YCenter
					p.Add(lbl)
				}
			}
		}
	}
	p.NominalX(cats...)
	p.NominalY(agents...)
	p.X.Tick.Label.Rotation = math.Pi / 5
	p.X.Tick.Label.XAlign = draw.XRight
	p.Legend = plot.NewLegend()
	return &Figure{Name: "agents", Plot: p, Width: vg.Length(math.Max(6, 0.9*float64(len(cats)))) * vg.Inch,
		Height: vg.Length(1.5+0.6*float64(len(agents))) * vg.Inch, Categories: cats, Series: agents}, nil
}

// SpeedupECDF shows the distribution of speedups of each strategy
// variant's answers (paper convention) as empirical CDFs.
func SpeedupECDF(rs []Result, simulated bool, st *Style) (*Figure, error) {
	by := map[string][]float64{}
	for _, r := range rs {
		l := label(r.Strategy, r.Variant)
		by[l] = append(by[l], PaperSpeedup(r))
	}
	p := newPlot("Distribution of speedups (empirical CDF)", "speedup (×, log scale; failed or slower = 1×)", "share of cells at or below")
	simNote(p, simulated)
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = speedupTicks{}
	series := st.Order(sortedKeys(by))
	for _, s := range series {
		v := by[s]
		sort.Float64s(v)
		pts := make(plotter.XYs, 0, 2*len(v))
		for j, x := range v {
			pts = append(pts, plotter.XY{X: x, Y: float64(j) / float64(len(v))}, plotter.XY{X: x, Y: float64(j+1) / float64(len(v))})
		}
		line, err := plotter.NewLine(pts)
		if err != nil {
			return nil, err
		}
		line.Color = st.Color(s)
		line.Dashes = st.Dashes(s)
		line.Width = vg.Points(1.5)
		p.Add(line)
		p.Legend.Add(s, line)
	}
	top := 1.0
	for _, v := range by {
		for _, x := range v {
			top = math.Max(top, x)
		}
	}
	p.X.Min, p.X.Max = 0.9, top*1.3
	if l, err := plotter.NewLine(plotter.XYs{{X: 1, Y: 0}, {X: 1, Y: 1.02}}); err == nil { // 1×, vertical
		l.Color, l.Dashes = color.Gray{Y: 110}, []vg.Length{vg.Points(3), vg.Points(3)}
		p.Add(l)
	}
	p.Legend.Left = false
	p.Legend.Top = false
	p.Y.Min, p.Y.Max = 0, 1.02
	return &Figure{Name: "ecdf", Plot: p, Width: 7 * vg.Inch, Height: 4.5 * vg.Inch, Series: series, Colors: colors(st, series)}, nil
}

// CostScatter is quality versus cost: tokens per cell against geometric
// mean speedup, with the Pareto front joined (the paper's Figure 4).
// Both axes are logarithmic and padded by a factor, so no marker is
// clipped at an edge.
func CostScatter(costs []Cost, simulated bool, st *Style) (*Figure, error) {
	p := newPlot("Speedup versus cost", "tokens per cell (prompt + completion, log scale)", speedupAxis)
	simNote(p, simulated)
	var front plotter.XYs
	var series []string
	minX, maxX, maxY := math.Inf(1), 1.0, 1.0
	byLabel := map[string]Cost{}
	for _, c := range costs {
		byLabel[label(c.Strategy, c.Variant)] = c
	}
	for _, l := range st.Order(sortedKeys(byLabel)) {
		c := byLabel[l]
		if c.TokensCell <= 0 || math.IsNaN(c.GeoMean) {
			continue
		}
		if err := addPoint(p, st, l, plotter.XY{X: c.TokensCell, Y: c.GeoMean}); err != nil {
			return nil, err
		}
		minX, maxX, maxY = math.Min(minX, c.TokensCell), math.Max(maxX, c.TokensCell), math.Max(maxY, c.GeoMean)
		series = append(series, l)
		if c.Pareto {
			front = append(front, plotter.XY{X: c.TokensCell, Y: c.GeoMean})
		}
	}
	if len(front) > 1 {
		sort.Slice(front, func(i, j int) bool { return front[i].X < front[j].X })
		l, err := plotter.NewLine(front)
		if err == nil {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			p.Add(l)
			p.Legend.Add("Pareto front", l)
			p.Title.Text = strings.Replace(p.Title.Text, "Speedup versus cost", "Speedup versus cost (Pareto front joined)", 1)
		}
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("no strategy used tokens")
	}
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, speedupTicks{}
	p.X.Min, p.X.Max = minX/1.6, maxX*1.6
	p.Y.Min, p.Y.Max = 1/1.15, maxY*1.5
	oneX(p, p.X.Min, p.X.Max, 1)
	p.Legend.Left, p.Legend.Top = true, true // the front rises to the right
	return &Figure{Name: "cost", Plot: p, Width: 7 * vg.Inch, Height: 4.5 * vg.Inch, Series: series, Colors: colors(st, series)}, nil
}

// addPoint adds one series' marker at pt to p and its legend.
func addPoint(p *plot.Plot, st *Style, series string, pt plotter.XY) error {
	s, err := plotter.NewScatter(plotter.XYs{pt})
	if err != nil {
		return err
	}
	s.Color, s.Shape, s.Radius = st.Color(series), st.Shape(series), vg.Points(4)
	p.Add(s)
	p.Legend.Add(series, s)
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}
