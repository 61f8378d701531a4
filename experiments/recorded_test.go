package experiments

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/record"
)

// recordedSpec writes a spec over the ParEval fixture checkout whose agents
// answer with the recorded-generations fixtures (one results file with
// verdicts, one outputs file of plain strings).
func recordedSpec(t *testing.T, problems string) string {
	t.Helper()
	root, _ := filepath.Abs("../datasets/testdata/pareval")
	results, _ := filepath.Abs("../internal/recorded/testdata/results.json")
	t.Setenv("TEST_OUTPUTS_GENERATIONS", filepath.Join(filepath.Dir(results), "outputs.json"))
	text := fmt.Sprintf(`name: recorded
dataset:
  pareval: {root: %s}
  problems: [%s]
evaluation: {repetitions: 3, warmup: 1, timeout: 60s}
agents:
  - {name: r34, provider: recorded, model: test/results, generations: %s}
  - {name: r13, provider: recorded, model: test/outputs, generations: "${TEST_OUTPUTS_GENERATIONS}"}
strategies:
  - {name: single, kind: single, agents: [r34]}
  - {name: best-of-3, kind: best-of-n, agents: [r34, r13], params: {n: 3}}
  - {name: voting, kind: voting, agents: [r34, r13]}
seeds: [1, 2]
`, root, problems, results)
	path := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkGenerations is spec validate's check of a spec's recorded
// generations against its problems.
func checkGenerations(t *testing.T, sp string) error {
	t.Helper()
	s, _, err := spec.Load(sp)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.Problems()
	if err != nil {
		t.Fatal(err)
	}
	return s.CheckGenerations(ps)
}

// TestRecordedRun runs single, best-of-n and voting over recorded agents
// on the fixture's two problems that have recorded outputs, and checks
// that every candidate is one of its agent's recorded outputs, that
// llm_calls say which, and that the manifest marks the run.
func TestRecordedRun(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	sp := recordedSpec(t, "00_reduce_sum_of_squares, 50_stencil_border_xor")
	if err := checkGenerations(t, sp); err != nil {
		t.Fatalf("spec validate: %v", err)
	}
	out := filepath.Join(t.TempDir(), "run")
	sum, _, err := Execute(context.Background(), sp, out, Options{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ran != 12 || sum.Failed != 0 {
		t.Fatalf("summary %+v, want 12 cells, none failed", sum)
	}
	rc, err := CheckRecordedRun(out)
	if err != nil {
		t.Fatal(err)
	}
	// single: 1 candidate, best-of-3: 3, voting: the winner, per cell.
	if rc.Candidates != 2*2*(1+3+1) || rc.Matching != rc.Candidates {
		t.Errorf("%+v: want 20 candidates, all recorded outputs", rc)
	}
	calls, err := record.Read[record.LLMCall](out, record.TableLLMCalls)
	if err != nil {
		t.Fatal(err)
	}
	votes := 0
	for _, c := range calls {
		if c.Provider != "recorded" || !strings.HasPrefix(c.FinishReason, "recorded:") {
			t.Errorf("call %s %s: provider %q, finish reason %q", c.Strategy, c.CallID, c.Provider, c.FinishReason)
		}
		if c.Purpose == "vote" {
			votes++
		}
	}
	if votes != 2*2*2 {
		t.Errorf("%d vote calls, want 8", votes)
	}
	m, err := record.ReadManifest(out)
	if err != nil || !m.Recorded || m.Simulated {
		t.Errorf("manifest recorded %v simulated %v (%v)", m.Recorded, m.Simulated, err)
	}
}

// TestRecordedMissingProblem: a problem the generations lack is an error
// at spec validate that names the agent, the file and the problem.
func TestRecordedMissingProblem(t *testing.T) {
	err := checkGenerations(t, recordedSpec(t, "00_reduce_sum_of_squares, 01_geometry_farthest_from_origin"))
	if err == nil || !strings.Contains(err.Error(), "agents[0].generations (agent r34)") ||
		!strings.Contains(err.Error(), "no serial outputs for 1 problems: 01_geometry_farthest_from_origin") {
		t.Errorf("CheckGenerations: %v", err)
	}
}
