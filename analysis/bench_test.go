package analysis

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/internal/record"
)

// generate writes a run folder of cells cells, each with 10 candidates of
// 10 timed pairs: 100,000 candidates and 1,000,000 timing rows for 10,000
// cells.
func generate(b *testing.B, dir string, cells int) {
	b.Helper()
	w, err := record.NewWriter(dir)
	if err != nil {
		b.Fatal(err)
	}
	if err := record.WriteManifest(dir, &record.Manifest{SchemaVersion: record.SchemaVersion, Name: "bench", SpecHash: "x", Spec: []byte(`{"name":"bench"}`), Started: time.Now()}); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	strategies := []string{"lessonl", "single", "voting", "debate", "moa"}
	cats := []string{"dense_la", "fft", "geometry", "graph", "histogram", "reduce", "scan", "search", "sort", "sparse_la", "stencil", "transform"}
	const perPart = 100 // cells per part file, to keep the file count sane
	for start := 0; start < cells; start += perPart {
		batch := &record.Batch{Key: fmt.Sprintf("bench-%d", start)}
		for c := start; c < start+perPart && c < cells; c++ {
			s := strategies[c%len(strategies)]
			p := fmt.Sprintf("p%03d", (c/len(strategies))%200)
			seed := int64(c / (len(strategies) * 200))
			cat := cats[(c/len(strategies))%len(cats)]
			sp := rng.ExpFloat64() + 0.5
			batch.Results = append(batch.Results, record.Result{Strategy: s, Kind: s, ProblemID: p, Category: cat, Seed: seed,
				Speedup: sp, Correct: sp > 0.8, Compiled: true, LLMCalls: 24, PromptTokens: 20000, CompletionTokens: 3000, Evaluations: 12, RoundBest: "[1,1.5,2,2]"})
			batch.Cells = append(batch.Cells, record.Cell{Strategy: s, ProblemID: p, Category: cat, Seed: seed, Status: "done"})
			for k := 0; k < 10; k++ {
				id := fmt.Sprintf("k%03d", k)
				batch.Candidates = append(batch.Candidates, record.Candidate{CellRef: record.CellRef{Strategy: s, ProblemID: p, Seed: seed}, CandidateID: id,
					Agent: "a", Status: "correct", Speedup: sp, Code: "int f() { return 0; }"})
				for rep := 0; rep < 10; rep++ {
					batch.Timings = append(batch.Timings, record.Timing{CellRef: record.CellRef{Strategy: s, ProblemID: p, Seed: seed}, CandidateID: id,
						Rep: int64(rep), BaselineNS: 1e7 + rng.Int64N(1e5), CandidateNS: 5e6 + rng.Int64N(1e5)})
				}
			}
			batch.LLMCalls = append(batch.LLMCalls, record.LLMCall{CellRef: record.CellRef{Strategy: s, ProblemID: p, Seed: seed}, CallID: "c001", Agent: "a", PromptTokens: 20000, CompletionTokens: 3000})
		}
		if err := w.Write(batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeLarge times `lessonl analyze` and `lessonl report` on
// 100,000 candidates and 1,000,000 timing rows, as separate processes, and
// reports their wall time and peak resident memory. Targets: under 3 s and
// under 1 GiB.
func BenchmarkAnalyzeLarge(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "run")
	start := time.Now()
	generate(b, dir, 10_000)
	counts, _ := record.Counts(dir)
	b.Logf("generated %d results, %d candidates, %d timing rows in %s", counts[record.TableResults], counts[record.TableCandidates], counts[record.TableTimings], time.Since(start).Round(time.Millisecond))
	bin := filepath.Join(b.TempDir(), "lessonl")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/lessonl").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, args := range [][]string{{"analyze", dir, "--categories"}, {"report", dir, "--reference", "single", "--out", filepath.Join(b.TempDir(), "rep")}} {
			cmd := exec.Command(bin, args...)
			cmd.Stdout, cmd.Stderr = nil, os.Stderr
			t0 := time.Now()
			if err := cmd.Run(); err != nil {
				b.Fatalf("%s: %v", args[0], err)
			}
			wall := time.Since(t0)
			rss := float64(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) / 1024 // KiB → MiB
			b.ReportMetric(wall.Seconds(), args[0]+"-s")
			b.ReportMetric(rss, args[0]+"-peak-MiB")
			fmt.Printf("lessonl %s on 100,000 candidates / 1,000,000 timings: %.2f s (target < 3 s), peak %.0f MiB (target < 1024 MiB)\n", args[0], wall.Seconds(), rss)
		}
	}
}
