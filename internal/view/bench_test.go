package view

import (
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/internal/record"
)

// writeLarge writes a run folder of n result cells: 5 strategies × 200
// problems × n/1000 seeds, 100 cells per part.
func writeLarge(b *testing.B, dir string, n int) {
	b.Helper()
	w := startRun(b, dir, &record.Manifest{Name: "large", SpecHash: "x", Spec: []byte(`{"name":"large"}`)})
	rng := rand.New(rand.NewPCG(1, 2))
	strategies := []string{"lessonl", "single", "voting", "debate", "moa"}
	cats := []string{"dense_la", "fft", "geometry", "graph", "histogram", "reduce", "scan", "search", "sort", "sparse_la", "stencil", "transform"}
	statuses := []string{"correct", "correct", "correct", "incorrect", "not_compilable"}
	const perPart = 100
	for start := 0; start < n; start += perPart {
		batch := &record.Batch{Key: fmt.Sprintf("large-%d", start)}
		for c := start; c < start+perPart && c < n; c++ {
			s := strategies[c%len(strategies)]
			p := fmt.Sprintf("p%03d", (c/len(strategies))%200)
			seed := int64(c / (len(strategies) * 200))
			cat := cats[(c/len(strategies))%len(cats)]
			st := statuses[rng.IntN(len(statuses))]
			sp := 0.0
			if st == "correct" {
				sp = rng.ExpFloat64() + 0.5
			}
			batch.Results = append(batch.Results, record.Result{Strategy: s, Kind: s, ProblemID: p, Category: cat, Seed: seed,
				Status: st, Speedup: sp, CILow: sp * 0.9, CIHigh: sp * 1.1, Correct: st == "correct", Compiled: st != "not_compilable",
				LLMCalls: 24, PromptTokens: 20000, CompletionTokens: 3000, Evaluations: 12, RoundBest: "[1,1.5,2,2]"})
			batch.Cells = append(batch.Cells, record.Cell{Strategy: s, ProblemID: p, Category: cat, Seed: seed, Status: "done"})
		}
		if err := w.Write(batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverview10k renders the overview (manifest, metrics, and the
// grid with all 10,000 cells' links) of a run of 10,000 cells. The
// report's numbers are computed once when the browser starts, as
// `lessonl view` does; that start is timed and printed too. Target: a
// render under 2 s.
func BenchmarkOverview10k(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "run")
	writeLarge(b, dir, 10_000)
	t0 := time.Now()
	runs, err := analysis.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	rep, err := analysis.Build(runs, analysis.Options{}, "")
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(rep, Options{})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Since(t0)
	h := s.Handler()
	var size int
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != 200 {
			b.Fatalf("GET /: %d", rec.Code)
		}
		size = rec.Body.Len()
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per.Microseconds())/1000, "ms/render")
	fmt.Printf("overview of %d cells: %.1f ms per render (target < 2000 ms), %.1f MB of HTML; start (load, metrics with 2000 resamples, index): %s\n",
		len(s.cells), float64(per.Microseconds())/1000, float64(size)/1e6, start.Round(time.Millisecond))
}
