package analysis

import (
	"fmt"
	"image/color"
	"os"
	"os/exec"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func colorKey(c color.Color) string {
	r, g, b, a := c.RGBA()
	return string(rune(r>>8)) + string(rune(g>>8)) + string(rune(b>>8)) + string(rune(a>>8))
}

// TestFiguresForAPaper: every strategy keeps its colour across figures;
// speedup axes are logarithmic with 1× labelled; the agent heatmap needs
// two agents; and the figures save.
func TestFiguresForAPaper(t *testing.T) {
	rep, err := Build(fixedRuns(), Options{Resamples: 100, Seed: 7}, "")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Figure{}
	for _, f := range rep.Figures {
		byName[f.Name] = f
		if _, err := f.Save(t.TempDir(), "png", "svg"); err != nil {
			t.Errorf("save %s: %v", f.Name, err)
		}
	}
	// The same label gets the same colour wherever it is drawn.
	seen := map[string]color.Color{}
	for _, f := range rep.Figures {
		for l, c := range f.Colors {
			if prev, ok := seen[l]; ok && prev != c {
				t.Errorf("%s: %s has colour %v, elsewhere %v", f.Name, l, c, prev)
			}
			seen[l] = c
		}
	}
	if len(seen) != 3 {
		t.Errorf("colours for %d strategies, want 3", len(seen))
	}
	// Log axes, 1× labelled.
	for _, name := range []string{"categories", "rounds", "ecdf", "cost"} {
		f := byName[name]
		if f == nil {
			t.Errorf("no %s figure", name)
			continue
		}
		axis := f.Plot.Y
		if name == "ecdf" {
			axis = f.Plot.X
		}
		has1x := false
		for _, tk := range axis.Tick.Marker.Ticks(axis.Min, axis.Max) {
			if tk.Label == "1×" {
				has1x = true
			}
		}
		if !has1x {
			t.Errorf("%s: speedup axis has no 1× tick", name)
		}
		if _, isLog := axis.Scale.(plot.LogScale); name != "categories" && !isLog {
			t.Errorf("%s: speedup axis is not logarithmic", name)
		}
	}
	// One agent alone: no heatmap.
	if _, err := AgentHeatmap([]AgentCell{{Agent: "a", Category: "sort", GeoMean: 2}}, false); err == nil {
		t.Error("a one-row heatmap was drawn")
	}
}

// TestFigureGlyphs saves the report's figures as PDF and SVG and checks
// the text they hold: "×" (not "Ã—", the UTF-8 bytes read as cp1252) in
// the PDF's tick labels and axis titles, read back with pdftotext
// (Debian: poppler-utils), and in the SVG's text.
func TestFigureGlyphs(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("no pdftotext (apt-get install poppler-utils)")
	}
	rep, err := Build(fixedRuns(), Options{Resamples: 100, Seed: 7}, "")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range rep.Figures {
		if f.Name != "categories" && f.Name != "cost" {
			continue
		}
		paths, err := f.Save(dir, "pdf", "svg")
		if err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdftotext, paths[0], "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", paths[0], err)
		}
		text := string(out)
		if !strings.Contains(text, "1×") || !strings.Contains(text, "(×, log scale)") && f.Name == "categories" {
			t.Errorf("%s.pdf: no 1× tick or × in the axis title:\n%s", f.Name, text)
		}
		if strings.Contains(text, "Ã") {
			t.Errorf("%s.pdf: × encoded wrongly (Ã—):\n%s", f.Name, text)
		}
		svg, err := os.ReadFile(paths[1])
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(svg), "1×") || !strings.Contains(string(svg), "@font-face") {
			t.Errorf("%s.svg: no 1× or no embedded font", f.Name)
		}
	}
}

// TestStyleTwelveSeries: twelve series get twelve different colours and
// twelve different markers, and the stated order puts the reference
// first without changing anyone's colour.
func TestStyleTwelveSeries(t *testing.T) {
	var labels []string
	for i := 0; i < 12; i++ {
		labels = append(labels, fmt.Sprintf("lessonl[k=%d]", i))
	}
	st := NewStyle(labels)
	cols, shapes := map[string]bool{}, map[string]bool{}
	for _, l := range labels {
		cols[colorKey(st.Color(l))] = true
		shapes[fmt.Sprintf("%#v", st.Shape(l))] = true
	}
	if len(cols) != 12 || len(shapes) != 12 {
		t.Errorf("12 series: %d colours, %d markers; want 12 of each", len(cols), len(shapes))
	}
	before := st.Color("lessonl[k=7]")
	st.SetOrder([]string{"lessonl[k=7]"})
	if got := st.Order(labels); got[0] != "lessonl[k=7]" || got[1] != "lessonl[k=0]" {
		t.Errorf("order %v, want k=7 first then by name", got[:3])
	}
	if st.Color("lessonl[k=7]") != before {
		t.Error("stating an order changed a colour")
	}
}
