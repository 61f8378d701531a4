package analysis

import (
	"image/color"
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
