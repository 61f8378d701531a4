package bench

import (
	"context"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// TestParEval evaluates the adapter's fixture (five ParEval-style
// problems and one PolyBench-style kernel of our own), compiled and
// validated without timing or the checked build (cmd/lessonl's
// TestBenchParEval times one): every problem's own code is correct as its
// candidate, and the cost is summarised over the problems whose published
// code builds and over all.
func TestParEval(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles six problems")
	}
	ev := verdictEvaluator(t)
	var streamed int
	res, err := ParEval(context.Background(), ev, ParEvalConfig{Root: "../../datasets/testdata/pareval", Mode: "serial",
		Suites: []string{datasets.SuiteParEval, datasets.SuitePolyBench}}, func(ParEvalRow) { streamed++ })
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 6 || streamed != 6 {
		t.Fatalf("got %d rows (%d streamed), want the fixture's 5 + 1 problems", len(res.Rows), streamed)
	}
	for _, r := range res.Rows {
		if r.Status != evaluate.Correct || r.EvalMS <= 0 || !r.OK {
			t.Errorf("%s/%s: %s after %d ms, want its own code correct and timed", r.Suite, r.ID, r.Status, r.EvalMS)
		}
		if wantBuilds := !strings.HasPrefix(r.ID, "29_"); r.Builds != wantBuilds {
			t.Errorf("%s: builds %v, want %v (29 is of the class whose published code does not build)", r.ID, r.Builds, wantBuilds)
		}
	}
	if res.Passing() != 6 {
		t.Errorf("%d problems pass, want 6", res.Passing())
	}
	if res.Built.Evaluations != 5 || res.All.Evaluations != 6 || res.Built.MedianS <= 0 || res.All.MaxS < res.All.MedianS {
		t.Errorf("summaries built %+v, all %+v: want 5 and 6 evaluations with ordered figures", res.Built, res.All)
	}
	if res.Authors != datasets.AuthorsDriverCost {
		t.Errorf("authors' figures %+v, want %+v", res.Authors, datasets.AuthorsDriverCost)
	}
}
