package experiments

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

// TestDeadEndpointStopsAtRound: LessonL's team at a closed port, run
// with --no-preflight: each cell stops after its first round, whose three
// calls all failed, as failed with a reason that says so; no call of a
// later round is made.
func TestDeadEndpointStopsAtRound(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI")
	}
	dead, _ := closedURL(t)
	abs, _ := filepath.Abs("testdata/mini")
	sp := filepath.Join(t.TempDir(), "spec.yaml")
	text := fmt.Sprintf(`name: dead-team
dataset: {path: %s}
evaluation: {repetitions: 3, warmup: 1, timeout: 30s}
agents:
  - {name: a, provider: openai, base_url: "${LESSONL_TEST_URL}", model: m-a, retry_for: 1s}
  - {name: b, provider: openai, base_url: "${LESSONL_TEST_URL}", model: m-b, retry_for: 1s}
  - {name: c, provider: openai, base_url: "${LESSONL_TEST_URL}", model: m-c, retry_for: 1s}
strategies:
  - {name: lessonl, kind: lessonl, agents: [a, b, c], params: {rounds: 4, k: 4}}
seeds: [1]
`, abs)
	if err := os.WriteFile(sp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	runDir := filepath.Join(t.TempDir(), "run")
	code, out := lessonl(t, dead, "run", sp, "--out", runDir, "--no-preflight", "--plain")
	if code == 0 || !strings.Contains(out, "cell failed") {
		t.Errorf("run --no-preflight against a closed port: exit %d\n%s", code, out)
	}
	cells, err := record.Read[record.Cell](runDir, record.TableCells)
	if err != nil || len(cells) == 0 {
		t.Fatalf("%d cells recorded: %v", len(cells), err)
	}
	for _, c := range cells {
		if c.Status != "failed" || !strings.Contains(c.Error, "every LLM call of round 0 failed (3 calls)") {
			t.Errorf("cell %s: status %s, error %q; want failed at round 0", c.ProblemID, c.Status, c.Error)
		}
	}
	// Its result says the cell failed, a value no candidate's status takes.
	res, err := record.Read[record.Result](runDir, record.TableResults)
	if err != nil || len(res) != len(cells) {
		t.Fatalf("%d results for %d cells: %v", len(res), len(cells), err)
	}
	for _, r := range res {
		if r.Status != record.StatusCellFailed {
			t.Errorf("result of failed cell %s: status %q, want %q", r.ProblemID, r.Status, record.StatusCellFailed)
		}
	}
	calls, err := record.Read[record.LLMCall](runDir, record.TableLLMCalls)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range calls {
		if c.Round > 0 {
			t.Errorf("cell %s called in round %d after round 0 failed whole", c.ProblemID, c.Round)
		}
	}
	if len(calls) > 3*len(cells) {
		t.Errorf("%d calls for %d cells, want at most round 0's three each", len(calls), len(cells))
	}
}
