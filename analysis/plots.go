package analysis

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/lessonlab/lessonl/internal/record"
)

// Figure is a plot with the data it shows, so tests (and readers of the
// report) can check that every category and strategy is in it.
type Figure struct {
	Name       string // file name without extension
	Plot       *plot.Plot
	Width      vg.Length
	Height     vg.Length
	Categories []string // categories shown
	Series     []string // strategies (or agents) shown
}

// Save writes the figure in each format: png, svg, pdf.
func (f *Figure) Save(dir string, formats ...string) ([]string, error) {
	var paths []string
	for _, ext := range formats {
		path := fmt.Sprintf("%s/%s.%s", dir, f.Name, ext)
		if err := f.Plot.Save(f.Width, f.Height, path); err != nil {
			return paths, fmt.Errorf("save %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

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

// CategoryBars is grouped bars of geometric-mean speedup per category, one
// bar per strategy variant, with bootstrap interval whiskers.
func CategoryBars(rows []Row, simulated bool) (*Figure, error) {
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
	sort.Slice(cats, func(i, j int) bool {
		if (cats[i] == AllCategories) != (cats[j] == AllCategories) {
			return cats[i] == AllCategories
		}
		return cats[i] < cats[j]
	})
	sort.Strings(series)
	p := newPlot("Geometric-mean speedup per category (95% bootstrap CI)", "category", "speedup (×, failed = 1)")
	simNote(p, simulated)
	width := vg.Length(math.Max(8, 0.9*float64(len(cats)))) * vg.Inch
	// Each category's group takes 80% of its slot, split among the series.
	w := vg.Length(math.Max(3, 0.8*float64(width-vg.Inch)/float64(len(cats))/float64(len(series))))
	top := 0.0
	for i, s := range series {
		vals := make(plotter.Values, len(cats))
		errs := make(plotter.YErrors, len(cats))
		for j, c := range cats {
			r, ok := byKey[s][c]
			if !ok {
				vals[j] = 0
				continue
			}
			vals[j] = r.GeoMean
			errs[j].Low, errs[j].High = r.GeoMean-r.GeoLow, r.GeoHigh-r.GeoMean
			top = math.Max(top, math.Max(r.GeoHigh, r.GeoMean))
		}
		bars, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return nil, err
		}
		bars.LineStyle.Width = 0
		bars.Color = plotutil.Color(i)
		bars.Offset = w * vg.Length(float64(i)-float64(len(series)-1)/2)
		p.Add(bars)
		p.Legend.Add(s, bars)
		pts := make(plotter.XYs, len(cats))
		for j := range cats {
			pts[j].X = float64(j) // the bar's group; its offset is added when drawing
			pts[j].Y = vals[j]
		}
		eb := &offsetErrorBars{xys: pts, errs: errs, offset: bars.Offset}
		p.Add(eb)
	}
	p.NominalX(cats...)
	p.X.Tick.Label.Rotation = math.Pi / 5
	p.X.Tick.Label.XAlign = draw.XRight
	p.Y.Min = 0
	p.Y.Max = top * 1.35 // room for the legend above the tallest whisker
	return &Figure{Name: "categories", Plot: p, Width: width, Height: 5 * vg.Inch,
		Categories: cats, Series: series}, nil
}

// offsetErrorBars draws vertical whiskers shifted like the grouped bars.
type offsetErrorBars struct {
	xys    plotter.XYs
	errs   plotter.YErrors
	offset vg.Length
}

func (e *offsetErrorBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ls := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	for i, pt := range e.xys {
		if e.errs[i].Low == 0 && e.errs[i].High == 0 {
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
func RoundCurves(progress []Progress, simulated bool) (*Figure, error) {
	p := newPlot("Best speedup so far, by round (geometric mean over cells)", "round", "speedup (×, failed = 1)")
	simNote(p, simulated)
	var series []string
	i := 0
	for _, pr := range progress {
		if pr.Category != AllCategories {
			continue
		}
		pts := make(plotter.XYs, len(pr.Rounds))
		for r, v := range pr.Rounds {
			pts[r].X, pts[r].Y = float64(r), v
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		line.Color, points.Color = plotutil.Color(i), plotutil.Color(i)
		points.Shape = plotutil.Shape(i)
		p.Add(line, points)
		l := label(pr.Strategy, pr.Variant)
		p.Legend.Add(l, line, points)
		series = append(series, l)
		i++
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
	p.Y.Min, p.Y.Max = 1, top*1.25
	p.X.Min, p.X.Max = -0.2, p.X.Max+0.2
	p.Legend.Left, p.Legend.Top = true, true
	return &Figure{Name: "rounds", Plot: p, Width: 7 * vg.Inch, Height: 4.5 * vg.Inch, Series: series}, nil
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
	if len(agents) == 0 {
		return nil, fmt.Errorf("no agent ran alone (kind single)")
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
func SpeedupECDF(rs []record.Result, simulated bool) (*Figure, error) {
	by := map[string][]float64{}
	for _, r := range rs {
		l := label(r.Strategy, r.Variant)
		by[l] = append(by[l], PaperSpeedup(r))
	}
	p := newPlot("Distribution of speedups (empirical CDF)", "speedup (×, failed = 1, log scale)", "share of cells at or below")
	simNote(p, simulated)
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	series := sortedKeys(by)
	for i, s := range series {
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
		line.Color = plotutil.Color(i)
		line.Dashes = plotutil.Dashes(i)
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
	p.Legend.Left = false
	p.Legend.Top = false
	p.Y.Min, p.Y.Max = 0, 1.02
	return &Figure{Name: "ecdf", Plot: p, Width: 7 * vg.Inch, Height: 4.5 * vg.Inch, Series: series}, nil
}

// CostScatter is quality versus cost: tokens per cell against geometric
// mean speedup, with the Pareto front joined (the paper's Figure 4).
func CostScatter(costs []Cost, simulated bool) (*Figure, error) {
	p := newPlot("Speedup versus cost (Pareto front joined)", "tokens per cell (prompt + completion)", "geometric-mean speedup (×)")
	simNote(p, simulated)
	var front plotter.XYs
	var series []string
	for i, c := range costs {
		s, err := plotter.NewScatter(plotter.XYs{{X: c.TokensCell, Y: c.GeoMean}})
		if err != nil {
			return nil, err
		}
		s.Color = plotutil.Color(i)
		s.Shape = plotutil.Shape(i)
		s.Radius = vg.Points(4)
		p.Add(s)
		l := label(c.Strategy, c.Variant)
		p.Legend.Add(l, s)
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
		}
	}
	maxX, maxY := 1.0, 1.0
	for _, c := range costs {
		maxX, maxY = math.Max(maxX, c.TokensCell), math.Max(maxY, c.GeoMean)
	}
	p.X.Min, p.X.Max = 0, maxX*1.12
	p.Y.Min, p.Y.Max = 0.9, maxY*1.15
	p.Legend.Left, p.Legend.Top = false, false
	return &Figure{Name: "cost", Plot: p, Width: 7 * vg.Inch, Height: 4.5 * vg.Inch, Series: series}, nil
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
