package analysis

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

// ablationRuns is a k × selection sweep of LessonL over five problems and
// one baseline without k: speedup grows with k under "paper" and stays at
// 1× under "none".
func ablationRuns() *Runs {
	r := &Runs{Dirs: []string{"runs/abl"}, Manifests: []*record.Manifest{{Name: "abl", Simulated: true}}}
	for _, k := range []int{2, 4, 8} {
		for _, sel := range []string{"paper", "none"} {
			for p := 1; p <= 5; p++ {
				sp := 1.0
				if sel == "paper" {
					sp = float64(k) * (1 + 0.1*float64(p))
				}
				keys := Keys{Params: map[string]string{"k": fmt.Sprint(k), "selection": sel}, Shown: []string{"k", "selection"}}
				res := record.Result{Strategy: "lessonl", Kind: "lessonl", ProblemID: fmt.Sprintf("p%d", p), Category: "sort", Seed: 1, Speedup: sp, Correct: true}
				res.Variant = keys.Variant()
				r.Results = append(r.Results, Result{Result: res, Keys: keys})
			}
		}
	}
	for p := 1; p <= 5; p++ {
		r.Results = append(r.Results, Result{Result: record.Result{Strategy: "single-a", Kind: "single", ProblemID: fmt.Sprintf("p%d", p), Category: "sort", Seed: 1, Speedup: 3, Correct: true}})
	}
	return r
}

// TestAblation: speedup against k, one line per selection policy, with
// intervals from five problems; the baseline (no k) is one level.
func TestAblation(t *testing.T) {
	pts, err := Ablation(ablationRuns().Results, "k", "selection", MetricSpeedup, Options{Resamples: 200, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]AblationPoint{}
	for _, p := range pts {
		got[p.Series+"@"+p.X] = p
	}
	if len(got) != 7 {
		t.Fatalf("%d points, want 3 k × 2 policies + 1 baseline: %v", len(got), pts)
	}
	for _, tt := range []struct {
		key  string
		want float64
	}{
		{"selection=none@2", 1}, {"selection=none@8", 1}, {"single-a@", 3},
		{"selection=paper@2", 2 * math.Exp((math.Log(1.1)+math.Log(1.2)+math.Log(1.3)+math.Log(1.4)+math.Log(1.5))/5)},
	} {
		p, ok := got[tt.key]
		if !ok || math.Abs(p.Value-tt.want) > 1e-9 {
			t.Errorf("%s = %+v, want %.4f", tt.key, p, tt.want)
		}
	}
	if p := got["selection=paper@8"]; !(p.Low < p.Value && p.Value < p.High) || p.Problems != 5 {
		t.Errorf("k=8 paper: interval [%g, %g] around %g from %d problems", p.Low, p.High, p.Value, p.Problems)
	}
	if _, err := Ablation(ablationRuns().Results, "rounds", "selection", MetricSpeedup, Options{}); err == nil {
		t.Error("a parameter no cell has gave a figure")
	}
}

// TestReportAblate: the report draws the figure (k on a log₂ axis, one
// line per policy, the baseline as a level line) and prints its table.
func TestReportAblate(t *testing.T) {
	rep, err := Build(ablationRuns(), Options{Resamples: 200, Seed: 3}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Ablate("k", "selection"); err != nil {
		t.Fatal(err)
	}
	var f *Figure
	for _, x := range rep.Figures {
		if x.Name == "ablation-speedup-vs-k" {
			f = x
		}
	}
	if f == nil {
		t.Fatal("no ablation-speedup-vs-k figure")
	}
	if want := []string{"selection=none", "selection=paper", "single-a"}; strings.Join(f.Series, ",") != strings.Join(want, ",") {
		t.Errorf("series %v, want %v", f.Series, want)
	}
	if !strings.Contains(f.Plot.Title.Text, "whiskers: 95% bootstrap CI") {
		t.Errorf("title %q does not say the whiskers are drawn", f.Plot.Title.Text)
	}
	var ticks []string
	for _, tk := range f.Plot.X.Tick.Marker.Ticks(f.Plot.X.Min, f.Plot.X.Max) {
		ticks = append(ticks, fmt.Sprintf("%s@%g", tk.Label, tk.Value))
	}
	if strings.Join(ticks, " ") != "2@1 4@2 8@3" {
		t.Errorf("k ticks %v, want 2, 4, 8 at log₂ positions", ticks)
	}
	if _, err := f.Save(t.TempDir(), "png", "pdf"); err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	rep.Markdown(&md)
	if !strings.Contains(md.String(), "## Geometric-mean speedup against k") || !strings.Contains(md.String(), "| single-a | – | – | – | 3.00× [3.00, 3.00] |") {
		t.Errorf("the report's ablation table is missing or wrong:\n%s", md.String())
	}
}

// TestPick keeps the asked series in the asked order and renames one;
// an unknown name or a rename onto another series is an error.
func TestPick(t *testing.T) {
	r, err := fixedRuns().Pick([]string{"single-b", "lessonl"}, map[string]string{"lessonl": "LessonL (ours)"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(r.Order, ",") != "single-b,LessonL (ours)" {
		t.Errorf("order %v", r.Order)
	}
	seen := map[string]bool{}
	for _, x := range r.Results {
		seen[x.Label()] = true
	}
	for _, x := range r.Calls {
		seen["call:"+x.Strategy] = true
	}
	if len(seen) != 4 || !seen["LessonL (ours)"] || !seen["single-b"] || !seen["call:LessonL (ours)"] || seen["single-a"] {
		t.Errorf("picked %v", seen)
	}
	rep, err := Build(r, Options{Resamples: 100, Seed: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Figures[0].Series; strings.Join(got, ",") != "single-b,LessonL (ours)" {
		t.Errorf("the figure's series %v are not in the asked order", got)
	}
	for _, tt := range []struct {
		strategies []string
		labels     map[string]string
	}{
		{[]string{"nope"}, nil},
		{nil, map[string]string{"nope": "x"}},
		{nil, map[string]string{"lessonl": "single-a"}},
	} {
		if _, err := fixedRuns().Pick(tt.strategies, tt.labels); err == nil {
			t.Errorf("Pick(%v, %v) gave no error", tt.strategies, tt.labels)
		}
	}
	labels, err := ParseLabels([]string{"lessonl [k=2,selection=none]=LessonL k=2, single-a=GPT"})
	if err != nil || labels["lessonl [k=2,selection=none]"] != "LessonL k=2" || labels["single-a"] != "GPT" {
		t.Errorf("ParseLabels = %v, %v", labels, err)
	}
}
