package analysis

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"strings"

	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Save writes the figure in each format (png, svg, pdf) and returns the
// paths. The legend is drawn beside the data, to the right, so it covers
// no bar, line or point; the canvas widens by the legend's width so the
// data keep theirs. Fonts are embedded in SVG and PDF (the Liberation
// fonts gonum/plot draws with), so "×", "≥" and "₂" print as they read.
func (f *Figure) Save(dir string, formats ...string) ([]string, error) {
	var paths []string
	for _, ext := range formats {
		path := fmt.Sprintf("%s/%s.%s", dir, f.Name, ext)
		if err := f.save(path, ext); err != nil {
			return paths, fmt.Errorf("save %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// legendGap is the space between the data and a legend beside them;
// legendMargin the space after the legend.
const (
	legendGap    = 8 * vg.Millimeter
	legendMargin = 2 * vg.Millimeter
)

// size is the figure's canvas and its legend's width (0 without one).
func (f *Figure) size() (w, h, legend vg.Length) {
	r := f.Plot.Legend.Rectangle(draw.Canvas{})
	if lw := r.Max.X - r.Min.X; lw > 0 {
		legend = lw + legendGap + legendMargin
	}
	return f.Width + legend, f.Height, legend
}

func (f *Figure) save(path, ext string) error {
	w, h, _ := f.size()
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch ext {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(144), vgimg.UseBackgroundColor(color.White))}
	case "svg":
		c = vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(true))
	case "pdf":
		c = winAnsiPDF{vgpdf.New(w, h)}
	default:
		return fmt.Errorf("unknown format %q (want png, svg or pdf)", ext)
	}
	f.Draw(draw.New(c))
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(out); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Draw draws the plot and, beside it on the right, its legend.
func (f *Figure) Draw(c draw.Canvas) {
	_, _, lw := f.size()
	if lw == 0 {
		f.Plot.Draw(c)
		return
	}
	leg := f.Plot.Legend
	f.Plot.Legend = plot.NewLegend()
	defer func() { f.Plot.Legend = leg }()
	f.Plot.Draw(draw.Crop(c, 0, -lw, 0, 0))
	area := draw.Crop(c, c.Max.X-c.Min.X-lw+legendGap, -legendMargin, 0, 0)
	// Below the title, at the data's top.
	if f.Plot.Title.Text != "" {
		area.Max.Y -= f.Plot.Title.TextStyle.Rectangle(f.Plot.Title.Text).Size().Y + f.Plot.Title.Padding
	}
	leg.Left, leg.Top, leg.XOffs, leg.YOffs = true, true, 0, 0
	leg.Draw(area)
}

// winAnsiPDF is gonum/plot's PDF canvas with text encoded as the embedded
// fonts are: vgpdf embeds each TrueType font with the cp1252 (WinAnsi)
// encoding but passes strings as UTF-8, so "×" (two bytes) printed as
// "Ã—". Characters cp1252 lacks are spelled out in ASCII.
type winAnsiPDF struct{ *vgpdf.Canvas }

var (
	cp1252   = charmap.Windows1252.NewEncoder()
	noCP1252 = strings.NewReplacer("≥", ">=", "≤", "<=", "₂", "2", "→", "->", "≈", "~", "−", "-", "∞", "inf")
)

// FillString encodes str in cp1252 before drawing it.
func (c winAnsiPDF) FillString(fnt font.Face, pt vg.Point, str string) {
	c.Canvas.FillString(fnt, pt, winAnsi(str))
}

// winAnsi is s in cp1252, with what cp1252 lacks spelled out.
func winAnsi(s string) string {
	s = noCP1252.Replace(s)
	var b strings.Builder
	for _, r := range s {
		enc, err := cp1252.String(string(r))
		if err != nil {
			b.WriteByte('?')
			continue
		}
		b.WriteString(enc)
	}
	return b.String()
}

// palette holds twelve colours told apart with the common colour-vision
// deficiencies: the Okabe–Ito set without its yellow, then Paul Tol's
// muted wine, olive, indigo, teal and purple. Twelve series get twelve
// colours; each also has its own marker (markers) and dash pattern.
var palette = []color.Color{
	rgb(0x0072B2), // blue
	rgb(0xE69F00), // orange
	rgb(0x009E73), // bluish green
	rgb(0xCC79A7), // reddish purple
	rgb(0x56B4E9), // sky blue
	rgb(0xD55E00), // vermillion
	rgb(0x000000), // black
	rgb(0x882255), // wine
	rgb(0x999933), // olive
	rgb(0x332288), // indigo
	rgb(0x44AA99), // teal
	rgb(0xAA4499), // purple
}

func rgb(x uint32) color.Color {
	return color.RGBA{R: uint8(x >> 16), G: uint8(x >> 8), B: uint8(x), A: 255}
}

// markers are twelve marker shapes: filled, then hollow, then strokes.
var markers = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, polyGlyph{sides: 4, fill: true}, polyGlyph{sides: 3, down: true, fill: true},
	draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, polyGlyph{sides: 4}, polyGlyph{sides: 3, down: true},
	draw.PlusGlyph{}, draw.CrossGlyph{},
}

// polyGlyph is a regular polygon marker: a diamond (4 sides) or a
// triangle pointing down, filled or hollow.
type polyGlyph struct {
	sides      int
	down, fill bool
}

// DrawGlyph implements draw.GlyphDrawer.
func (g polyGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	r := float64(sty.Radius)
	start := math.Pi / 2
	if g.down {
		start = -math.Pi / 2
	}
	for i := 0; i < g.sides; i++ {
		a := start + 2*math.Pi*float64(i)/float64(g.sides)
		q := vg.Point{X: pt.X + vg.Length(r*math.Cos(a)), Y: pt.Y + vg.Length(r*math.Sin(a))}
		if i == 0 {
			p.Move(q)
		} else {
			p.Line(q)
		}
	}
	p.Close()
	c.SetColor(sty.Color)
	if g.fill {
		c.Fill(p)
		return
	}
	c.SetLineWidth(vg.Points(0.5))
	c.SetLineDash(nil, 0)
	c.Stroke(p)
}

// dashes are line patterns, solid first.
var dashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(2)},
	{vg.Points(2), vg.Points(2)},
	{vg.Points(6), vg.Points(2), vg.Points(2), vg.Points(2)},
	{vg.Points(10), vg.Points(3)},
	{vg.Points(4), vg.Points(4)},
}
