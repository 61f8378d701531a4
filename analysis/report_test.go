package analysis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/internal/golden"
	"github.com/lessonlab/lessonl/internal/record"
)

// fixedRuns is a small record set with known numbers: three strategies on
// four problems of two categories, two seeds.
func fixedRuns() *Runs {
	started := time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)
	spec, _ := json.Marshal(map[string]any{"name": "fixed", "evaluation": map[string]any{"mode": "serial"},
		"agents": []map[string]any{{"name": "a", "price": map[string]float64{"input_per_mtok": 1, "output_per_mtok": 2}}, {"name": "b"}}})
	r := &Runs{Dirs: []string{"runs/fixed"}, Manifests: []*record.Manifest{{Name: "fixed", SpecHash: "0123456789abcdef", Spec: spec,
		Host: "host", CPU: "cpu", Cores: 2, Compiler: "g++ 12", Sandbox: map[string]string{"user": "runs as nobody"},
		Simulated: true, Started: started, Ended: started.Add(90 * time.Second), Cells: 24}},
		Runs: []Completeness{{Run: "fixed", Dirs: []string{"runs/fixed"}, Status: record.Status{State: record.StateComplete, Planned: 24, Done: 24}}}}
	problems := []struct{ id, cat string }{{"p1", "sort"}, {"p2", "sort"}, {"p3", "stencil"}, {"p4", "stencil"}}
	speed := map[string][]float64{"lessonl": {3, 1.5, 2.2, 0}, "single-a": {2, 0, 1.05, 0.9}, "single-b": {1.2, 1.3, 0, 4}}
	for s, sp := range speed {
		for i, p := range problems {
			for seed := int64(1); seed <= 2; seed++ {
				v := sp[i] * (1 + 0.05*float64(seed-1))
				res := record.Result{Strategy: s, Kind: "single", ProblemID: p.id, Category: p.cat, Seed: seed,
					Speedup: v, Correct: v > 0, Compiled: v > 0 || i == 3, LLMCalls: 2, PromptTokens: 1000, CompletionTokens: 200,
					Evaluations: 1, WallMS: 1000}
				if s == "lessonl" {
					res.Kind, res.LLMCalls, res.RoundBest = "lessonl", 24, fmt.Sprintf("[%g,%g]", v/2, v)
				}
				r.Results = append(r.Results, Wrap([]record.Result{res})...)
				agent := "a"
				if s == "single-b" {
					agent = "b"
				}
				r.Calls = append(r.Calls, record.LLMCall{CellRef: record.CellRef{Strategy: s, ProblemID: p.id, Seed: seed}, Agent: agent, PromptTokens: 1000, CompletionTokens: 200})
			}
		}
	}
	return r
}

func TestReportGolden(t *testing.T) {
	rep, err := Build(fixedRuns(), Options{Resamples: 500, Seed: 7}, "single-a")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer)
	}{
		{"report.md", func(b *bytes.Buffer) { rep.Markdown(b) }},
		{"tables.tex", func(b *bytes.Buffer) { rep.LaTeX(b) }},
	} {
		var b bytes.Buffer
		tt.write(&b)
		golden.Check(t, filepath.Join("testdata", tt.name+".golden"), b.Bytes())
	}
}

func TestMetricsKnownValues(t *testing.T) {
	rows := Metrics(fixedRuns().Results, Options{Resamples: 200})
	var ll Row
	for _, r := range rows {
		if r.Strategy == "lessonl" && r.Category == AllCategories {
			ll = r
		}
	}
	// lessonl seeds 1 and 2: speedups {3, 1.5, 2.2, 1(failed)} and ×1.05.
	want := 1.0
	for _, v := range []float64{3, 1.5, 2.2, 1, 3.15, 1.575, 2.31, 1} {
		want *= v
	}
	want = math.Pow(want, 1.0/8)
	if ll.N != 8 || math.Abs(ll.GeoMean-want) > 1e-12 || ll.PctCorrect != 75 || ll.Share2x != 0.5 {
		t.Errorf("lessonl row %+v, want n 8, geomean %.6f, 75%% correct, half ≥2×", ll, want)
	}
	if !(ll.GeoLow <= ll.GeoMean && ll.GeoMean <= ll.GeoHigh) {
		t.Errorf("interval [%v, %v] does not hold %v", ll.GeoLow, ll.GeoHigh, ll.GeoMean)
	}
}

func TestPlotsAreValidImages(t *testing.T) {
	r := fixedRuns()
	rep, err := Build(r, Options{Resamples: 200}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Figures) != 5 {
		t.Fatalf("%d figures, want 5", len(rep.Figures))
	}
	dir := t.TempDir()
	for _, f := range rep.Figures {
		paths, err := f.Save(dir, "png", "svg", "pdf")
		if err != nil {
			t.Fatal(err)
		}
		fh, _ := os.Open(paths[0])
		img, err := png.Decode(fh)
		fh.Close()
		if err != nil {
			t.Errorf("%s: not a PNG: %v", paths[0], err)
			continue
		}
		if b := img.Bounds(); b.Dx() < 400 || b.Dy() < 150 {
			t.Errorf("%s: %dx%d is too small to read", paths[0], b.Dx(), b.Dy())
		}
		for _, p := range paths[1:] {
			if st, err := os.Stat(p); err != nil || st.Size() < 1000 {
				t.Errorf("%s: missing or empty", p)
			}
		}
		switch f.Name {
		case "categories":
			for _, c := range []string{"all", "sort", "stencil"} {
				if !contains(f.Categories, c) {
					t.Errorf("categories plot lacks %s", c)
				}
			}
			fallthrough
		case "ecdf", "cost":
			for _, s := range []string{"lessonl", "single-a", "single-b"} {
				if !contains(f.Series, s) {
					t.Errorf("%s plot lacks %s: %v", f.Name, s, f.Series)
				}
			}
		case "agents":
			if !contains(f.Series, "a") || !contains(f.Series, "b") || len(f.Categories) != 2 {
				t.Errorf("agents heatmap shows %v × %v", f.Series, f.Categories)
			}
		case "rounds":
			if !contains(f.Series, "lessonl") {
				t.Errorf("rounds plot lacks lessonl")
			}
		}
	}
}

func TestProtocolsAndTwoXLabel(t *testing.T) {
	tests := []struct{ spec, want string }{
		{`{"name":"q"}`, "lessonl"},
		{`{"protocol":"paper","strategies":[{"name":"a"},{"name":"b"}]}`, "paper"},
		{`{"strategies":[{"name":"a"},{"name":"b","params":{"protocol":"paper"}}]}`, "lessonl (a); paper (b)"},
		{`{"strategies":[{"name":"a"},{"name":"b"}],"matrix":{"b":{"protocol":["paper","lessonl"]}}}`, "lessonl (a, b); paper (b)"},
	}
	for _, tt := range tests {
		// A run folder from before cells recorded their protocol.
		r := &Runs{Dirs: []string{"old"}, Manifests: []*record.Manifest{{Spec: []byte(tt.spec)}}}
		if got := r.Protocol(0); got != tt.want {
			t.Errorf("Protocol of %s = %q, want %q", tt.spec, got, tt.want)
		}
	}
	for strict, want := range map[bool]string{false: "≥2×", true: ">2×"} {
		rep := &Report{Options: Options{TwoX: 2, StrictTwoX: strict}}
		if got := rep.twoXLabel(); got != want {
			t.Errorf("strict %v: label %q, want %q", strict, got, want)
		}
	}
}

// TestReportMixedTasks: a report over code-optimization and
// code-generation runs keeps the generate strategies out of the speedup
// tables and figures (they have no speedup) and in the pass@1 table.
func TestReportMixedTasks(t *testing.T) {
	r := fixedRuns()
	for _, g := range genResults() {
		g.Strategy = "py-" + g.Strategy
		r.Results = append(r.Results, g)
	}
	rep, err := Build(r, Options{Resamples: 100}, "")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rep.Markdown(&b)
	md := b.String()
	gen, speed, ok := strings.Cut(md, "## Overall")
	if !ok || !strings.Contains(gen, "| py-lessonl |") {
		t.Fatalf("no pass@1 row for py-lessonl before the speedup tables:\n%s", md)
	}
	if strings.Contains(speed, "py-") {
		t.Errorf("code-generation strategies in the speedup tables:\n%s", speed)
	}
	for _, c := range rep.Costs {
		if strings.HasPrefix(c.Strategy, "py-") {
			t.Errorf("cost of a code-generation strategy in the speedup views: %+v", c)
		}
	}
}

// TestRunTableShowsState: the report's run table, in Markdown and LaTeX,
// says for each run what was planned and recorded and its state, so a
// table of results from an interrupted or failed run says so.
func TestRunTableShowsState(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status record.Status
	}{
		{"runs-interrupted", record.Status{State: record.StateInterrupted, Planned: 24, Done: 20}},
		{"runs-failed", record.Status{State: record.StateFailed, Planned: 24, Done: 22, Failed: 2, FailedCells: []string{"lessonl/p1/1", "lessonl/p2/1"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			runs := fixedRuns()
			runs.Runs[0].Status = tt.status
			runs.Warnings = partialWarnings(runs, runs.Runs)
			rep, err := Build(runs, Options{Resamples: 100, Seed: 7}, "single-a")
			if err != nil {
				t.Fatal(err)
			}
			var md, tex bytes.Buffer
			rep.Markdown(&md)
			rep.LaTeX(&tex)
			section := md.String()
			section = section[strings.Index(section, "## Runs"):strings.Index(section, "## Overall")]
			table := tex.String()
			table = table[strings.Index(table, "\\begin{table}[t]\n\\centering\n\\caption{Runs:"):]
			matchGolden(t, tt.name+".golden", []byte(section+"---\n"+table))
		})
	}
}
