package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// TestBenchParEval runs `lessonl bench pareval` on the adapter's fixture
// (four ParEval-style problems and one PolyBench-style kernel of our own):
// every problem's own code is evaluated as its candidate, and the cost is
// summarised over the problems whose published code builds and over all.
func TestBenchParEval(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times five problems")
	}
	if _, err := os.Stat("/usr/bin/g++"); err != nil {
		t.Skip("g++ not installed")
	}
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	var out bytes.Buffer
	app := &cli.App{Name: "lessonl", Writer: &out, Commands: []*cli.Command{benchCommand()}}
	for _, args := range [][]string{
		{"lessonl", "bench", "pareval", "--pareval", "../../datasets/testdata/pareval", "--reps", "6", "--json"},
		{"lessonl", "bench", "pareval", "--pareval", "../../datasets/testdata/pareval", "--reps", "6", "--suites", "polybench"},
	} {
		if err := app.Run(args); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	text := out.String()
	dec := json.NewDecoder(strings.NewReader(text))
	var res parevalCost
	if err := dec.Decode(&res); err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 6 {
		t.Fatalf("got %d rows, want the fixture's 5 + 1 problems", len(res.Rows))
	}
	for _, r := range res.Rows {
		if r.Status != evaluate.Correct || r.EvalMS <= 0 || !r.OK {
			t.Errorf("%s/%s: %s after %d ms, want its own code correct and timed", r.Suite, r.ID, r.Status, r.EvalMS)
		}
		if wantBuilds := !strings.HasPrefix(r.ID, "29_"); r.Builds != wantBuilds {
			t.Errorf("%s: builds %v, want %v (29 is of the class whose published code does not build)", r.ID, r.Builds, wantBuilds)
		}
	}
	if res.Built.Evaluations != 5 || res.All.Evaluations != 6 || res.Built.MedianS <= 0 || res.All.MaxS < res.All.MedianS {
		t.Errorf("summaries built %+v, all %+v: want 5 and 6 evaluations with ordered figures", res.Built, res.All)
	}
	if res.Authors != datasets.AuthorsDriverCost {
		t.Errorf("authors' figures %+v, want %+v", res.Authors, datasets.AuthorsDriverCost)
	}
	if !regexp.MustCompile(`polybench\s+axpby\s+correct\s+[0-9.]+x\s.*\sok\n`).MatchString(text) {
		t.Errorf("table output lacks the axpby row:\n%s", text)
	}
	for _, want := range []string{"1 of 1 problems' own code passes", "the 1 problems whose published code builds", "the authors' driver, measured on this kind of machine over 87 problems (not run here): median 72 s", "median ratio"} {
		if !strings.Contains(text, want) {
			t.Errorf("table output lacks %q:\n%s", want, text)
		}
	}
}

// TestBenchGenerationsMetrics checks the --metrics flag's wiring without
// evaluating anything: a metrics file that is not ParEval's fails before
// the first compile, with an error naming it.
func TestBenchGenerationsMetrics(t *testing.T) {
	bad := t.TempDir() + "/metrics.csv"
	if err := os.WriteFile(bad, []byte("model,pass@1\nGPT-3.5,0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	app := &cli.App{Name: "lessonl", Writer: &out, Commands: []*cli.Command{benchCommand()}}
	err := app.Run([]string{"lessonl", "bench", "generations", "--pareval", "../../datasets/testdata/pareval",
		"--generations", "../../internal/recorded/testdata/outputs.json", "--metrics", bad, "--verdict-only"})
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), `no column "execution model"`) {
		t.Errorf("error %v, want one naming %s and its missing column", err, bad)
	}
	if out.Len() > 0 {
		t.Errorf("printed %q before failing", out.String())
	}
}
