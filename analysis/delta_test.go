package analysis

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

func results(strategy, variant string, seeds []int64, sp func(problem int, seed int64) float64) []Result {
	var out []record.Result
	for p := 0; p < 4; p++ {
		for _, s := range seeds {
			out = append(out, record.Result{Strategy: strategy, Variant: variant, ProblemID: string(rune('a' + p)), Category: []string{"sort", "scan"}[p%2],
				Seed: s, Speedup: sp(p, s), Correct: true, Status: "correct"})
		}
	}
	return Wrap(out)
}

// TestDeltas compares old and new sides: a doubling on paired cells is
// significant by Wilcoxon; equal sides are "~"; sides with no cell in
// common are tested unpaired; a strategy on one side only is said so.
func TestDeltas(t *testing.T) {
	base := func(p int, s int64) float64 { return 1.5 + 0.1*float64(p) + 0.01*float64(s) }
	double := func(p int, s int64) float64 { return 2 * base(p, s) }
	old := Side{Name: "old", Results: append(results("lessonl", "", []int64{1, 2}, base), results("single", "", []int64{1, 2}, base)...)}
	old.Results = append(old.Results, results("gone", "", []int64{1}, base)...)
	new := Side{Name: "new", Results: append(results("lessonl", "", []int64{1, 2}, double), results("single", "", []int64{1, 2}, base)...)}
	new.Results = append(new.Results, results("single", "k=2", []int64{3, 4}, double)...)
	old.Results = append(old.Results, results("single", "k=2", []int64{1, 2}, base)...)

	ds := Deltas(old, new, Options{Resamples: 400})
	get := func(strategy, variant, category string) Delta {
		for _, d := range ds {
			if d.Strategy == strategy && d.Variant == variant && d.Category == category {
				return d
			}
		}
		t.Fatalf("no delta for %s [%s] %s", strategy, variant, category)
		return Delta{}
	}
	tests := []struct {
		name        string
		d           Delta
		ratio       float64
		test        string
		pairs       int
		significant bool
	}{
		{"doubled, paired", get("lessonl", "", AllCategories), 2, "wilcoxon", 8, true},
		{"unchanged", get("single", "", AllCategories), 1, "wilcoxon", 8, false},
		{"doubled, no common cells", get("single", "k=2", AllCategories), 2, "mann-whitney", 0, true},
		{"per category", get("lessonl", "", "sort"), 2, "wilcoxon", 4, false}, // 4 pairs cannot reach p < 0.05
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.d
			if math.Abs(d.Ratio-tt.ratio) > 0.03 || d.Test != tt.test || d.Pairs != tt.pairs || d.Significant != tt.significant {
				t.Errorf("got ratio %.3f, %s, %d pairs, significant %v (p %.4f); want %.3f, %s, %d, %v",
					d.Ratio, d.Test, d.Pairs, d.Significant, d.P, tt.ratio, tt.test, tt.pairs, tt.significant)
			}
			if !(d.RatioLow <= d.Ratio && d.Ratio <= d.RatioHigh) {
				t.Errorf("interval [%.3f, %.3f] leaves out %.3f", d.RatioLow, d.RatioHigh, d.Ratio)
			}
		})
	}
	if g := get("gone", "", AllCategories); g.NewN != 0 || g.OldN != 4 || !math.IsNaN(g.Ratio) {
		t.Errorf("strategy on the old side only: %+v", g)
	}
	var buf bytes.Buffer
	if err := DeltaTable(&buf, "runs/a", "runs/b", ds, false); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"OLD: runs/a", "NEW: runs/b", "+100.0% [", "~ (+0.0%", "(one side only)", "wilcoxon, 8 pairs", "mann-whitney"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sort") {
		t.Errorf("category rows without categories:\n%s", out)
	}
}

// keyed is results of one strategy with keys: params k and selection
// (matrix axes, shown), the given model and protocol.
func keyed(strategy, kind, model, protocol, k string, sp float64) []Result {
	rs := results(strategy, "", []int64{1}, func(int, int64) float64 { return sp })
	for i := range rs {
		rs[i].Kind = kind
		rs[i].Keys = Keys{Run: "r", Mode: "serial", Protocol: protocol, Model: model,
			Params: map[string]string{"k": k, "selection": "paper", "protocol": protocol}, Shown: []string{"k", "selection"}}
		rs[i].Variant = rs[i].Keys.Variant()
	}
	return rs
}

func TestSplitBy(t *testing.T) {
	var rs []Result
	rs = append(rs, keyed("lessonl", "lessonl", "sim/a,sim/b", "lessonl", "2", 2)...)
	rs = append(rs, keyed("lessonl", "lessonl", "sim/a,sim/b", "lessonl", "4", 3)...)
	rs = append(rs, keyed("single-a", "single", "sim/a", "paper", "2", 2)...)
	rs = append(rs, keyed("single-b", "single", "sim/b", "paper", "2", 2)...)
	tests := []struct {
		key       string
		sides     string // side names
		strategy  string // first side's first strategy label
		wantError string
	}{
		{"k", "[k=2 k=4]", "lessonl[selection=paper]", ""},
		{"protocol", "[protocol=lessonl protocol=paper]", "lessonl[k=2,selection=paper]", ""},
		{"model", "[model=sim/a model=sim/a,sim/b model=sim/b]", "single-a[k=2,selection=paper]", ""},
		{"run", "[run=r]", "lessonl[k=2,selection=paper]", ""},
		{"temperature", "", "", "have [k mode model protocol run selection]"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			sides, err := SplitBy(rs, tt.key)
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("error %v, want one with %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range sides {
				names = append(names, s.Name)
			}
			if fmt.Sprint(names) != tt.sides || sides[0].Results[0].Label() != tt.strategy {
				t.Errorf("sides %v first %q, want %s and %q", names, sides[0].Results[0].Label(), tt.sides, tt.strategy)
			}
		})
	}
	// Two strategies that differ in the key alone line up by kind.
	pair := append(keyed("single-a", "single", "sim/a", "paper", "2", 2), keyed("single-b", "single", "sim/b", "paper", "2", 3)...)
	sides, err := SplitBy(pair, "model")
	if err != nil {
		t.Fatal(err)
	}
	ds := Deltas(sides[0], sides[1], Options{Resamples: 100})
	if len(ds) == 0 || ds[0].Strategy != "single-a vs single-b" || ds[0].Pairs != 4 || math.Abs(ds[0].Ratio-1.5) > 1e-9 {
		t.Errorf("single-a vs single-b by model: %+v", ds)
	}
}
