package experiments

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/record"
)

// BenchmarkLessonLOverhead runs one LessonL cell (3 agents, 4 rounds)
// against the sim team served over HTTP with 200 ms injected per call, and
// compares the cell's wall time with its critical path: for each round, the
// slowest agent's code call + evaluation + lesson call, summed over rounds.
// Target: within 1.2×.
func BenchmarkLessonLOverhead(b *testing.B) {
	ps, err := datasets.LoadDir("testdata/mini")
	if err != nil {
		b.Fatal(err)
	}
	team, err := sim.New(sim.Config{Problems: ps, Latency: 200 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(team, nil))
	defer srv.Close()
	abs, _ := filepath.Abs("testdata/mini")
	sp := fmt.Sprintf(`name: overhead
dataset: {path: %s, problems: [reduce-sum]}
evaluation: {repetitions: 5, warmup: 1}
agents:
  - {name: a, provider: openai, base_url: %[2]s, model: sim/coder-a}
  - {name: b, provider: openai, base_url: %[2]s, model: sim/coder-b}
  - {name: c, provider: openai, base_url: %[2]s, model: sim/coder-c}
strategies:
  - {name: lessonl, kind: lessonl, agents: [a, b, c], params: {rounds: 4, k: 4}}
`, abs, srv.URL+"/v1")
	path := filepath.Join(b.TempDir(), "spec.yaml")
	os.WriteFile(path, []byte(sp), 0o644)
	for i := 0; i < b.N; i++ {
		out := filepath.Join(b.TempDir(), "run")
		if _, _, err := Execute(context.Background(), path, out, Options{}, "bench"); err != nil {
			b.Fatal(err)
		}
		res, _ := record.Read[record.Result](out, record.TableResults)
		calls, _ := record.Read[record.LLMCall](out, record.TableLLMCalls)
		cands, _ := record.Read[record.Candidate](out, record.TableCandidates)
		type ar struct {
			agent string
			round int64
		}
		path := map[ar]int64{}
		for _, c := range calls {
			path[ar{c.Agent, c.Round}] += c.LatencyMS
		}
		for _, c := range cands {
			path[ar{c.Agent, c.Round}] += c.CompileMS + c.RunMS
		}
		critical := int64(0)
		for r := int64(0); r < 4; r++ {
			m := int64(0)
			for _, a := range []string{"a", "b", "c"} {
				m = max(m, path[ar{a, r}])
			}
			critical += m
		}
		ratio := float64(res[0].WallMS) / float64(critical)
		b.ReportMetric(ratio, "wall/critical")
		b.ReportMetric(float64(res[0].WallMS), "wall-ms")
		fmt.Printf("LessonL cell with 200 ms per LLM call: wall %d ms, critical path %d ms (4 rounds × (code call + evaluation + lesson call)), ratio %.3f (target ≤ 1.2)\n",
			res[0].WallMS, critical, ratio)
	}
}
