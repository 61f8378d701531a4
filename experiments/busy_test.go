package experiments

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/record"
)

// TestSetupTimeoutIsNoVerdict gives the harness's own build a time limit
// it cannot meet (as on a machine too busy for it) and checks that no
// cell is recorded failed: the runner redoes the cell and then stops with
// an error that says so, leaving the cell for --resume.
func TestSetupTimeoutIsNoVerdict(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles")
	}
	sp := miniSpec(t, simURL(t), `  - {name: single, kind: single, agents: [a]}`, "[1]")
	b, err := os.ReadFile(sp)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), "timeout: 30s", "timeout: 1ms", 1)
	if err := os.WriteFile(sp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "run")
	var log strings.Builder
	_, _, err = Execute(context.Background(), sp, out, Options{Log: &log}, "test")
	if !errors.Is(err, evaluate.ErrSetupTimeout) || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("run ended with %v, want the setup timeout and a word on --resume", err)
	}
	if n := strings.Count(log.String(), "redoing it"); n < 1 {
		t.Errorf("the log shows %d redone attempts:\n%s", n, log.String())
	}
	cells, _ := record.Read[record.Cell](out, record.TableCells)
	for _, c := range cells {
		if c.Status == "failed" {
			t.Errorf("cell %s/%s recorded failed: %s", c.Strategy, c.ProblemID, c.Error)
		}
	}
}
