package recorded

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// TestBench evaluates the fixture's recorded outputs verdict-only and
// checks the agreement with their ParEval-style verdicts: everything
// agrees but 50_'s output that is wrong only on grids larger than
// ParEval's validation size (64), which LessonL's validate() runs past.
// 50_'s border-wrong output, which that problem's validate() (interior
// only) passes, is incorrect, as the stand-in original, which compared the
// whole grid, says: the timed protocol's judge compares the whole Context.
// The std::array output builds (include context); pass@1 comes out as
// c/n averaged over problems.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real code")
	}
	if _, err := os.Stat("/usr/bin/g++"); err != nil {
		t.Skip("g++ not installed")
	}
	g, err := Load("testdata/results.json")
	if err != nil {
		t.Fatal(err)
	}
	ps := fixtureProblems(t, "00_reduce_sum_of_squares", "50_stencil_border_xor")
	ev, err := evaluate.New(evaluate.Config{VerdictOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Close()
	rep, err := Bench(context.Background(), ev, ps, g, BenchConfig{Mode: "serial",
		Original: "../../datasets/testdata/pareval-original", LessonLRoot: "../../datasets/testdata/pareval"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[evaluate.Status]int{
		ParEvalNotBuilt: {evaluate.NotCompilable: 1},
		ParEvalInvalid:  {evaluate.Incorrect: 2, evaluate.Correct: 0},
		ParEvalValid:    {evaluate.Correct: 3, evaluate.Incorrect: 1},
	}
	for v, row := range want {
		for s, n := range row {
			if rep.Matrix[v][s] != n {
				t.Errorf("matrix[%s][%s] = %d, want %d (matrix %v)", v, s, rep.Matrix[v][s], n, rep.Matrix)
			}
		}
	}
	if rep.Agreement != 6 || rep.Judged != 7 {
		t.Errorf("agreement %d of %d, want 6 of 7", rep.Agreement, rep.Judged)
	}
	causes := map[int]string{
		2: CauseBenchmark + ": validate() runs at DRIVER_PROBLEM_SIZE where ParEval's ran at 64",
	}
	for _, r := range rep.Rows {
		if r.Agree {
			continue
		}
		if r.Problem != "50_stencil_border_xor" || !strings.HasPrefix(r.Cause, causes[r.Sample]) || causes[r.Sample] == "" {
			t.Errorf("disagreement %+v", r)
		}
	}
	// 00: 2 of 4 correct here and valid there; 50: 1 of 3 here, 2 of 3 there.
	if d := rep.Pass1Ours - (0.5+1.0/3)/2; d*d > 1e-12 {
		t.Errorf("pass@1 ours %g, want 0.417", rep.Pass1Ours)
	}
	if d := rep.Pass1ParEval - (0.5+2.0/3)/2; d*d > 1e-12 {
		t.Errorf("pass@1 ParEval %g, want 0.583", rep.Pass1ParEval)
	}
	if rep.Timed || rep.Speedup1Ours != 0 || rep.Speedup1ParEval <= 0 {
		t.Errorf("verdict-only: timed %v, speedup@1 ours %g, ParEval's %g", rep.Timed, rep.Speedup1Ours, rep.Speedup1ParEval)
	}
	var b bytes.Buffer
	WriteBench(&b, rep)
	for _, s := range []string{"correct-or-not agrees with ParEval on 6 of 7 outputs", "causes: benchmark changed by LessonL 1;", "lessonl's verdicts                    0.417          –"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("report lacks %q:\n%s", s, b.String())
		}
	}
}

func TestParamTypesIgnoreNames(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"void ranks(std::vector<float> const& x, std::vector<size_t> &ranks_);", "void ranks(std::vector<float> const& y, std::vector<size_t> &ranks);"},
		{"int f(int n, double *p);", "int f(int, double*q);"},
	} {
		if evaluate.ParamTypes(tt.a) != evaluate.ParamTypes(tt.b) {
			t.Errorf("%q and %q differ: %q vs %q", tt.a, tt.b, evaluate.ParamTypes(tt.a), evaluate.ParamTypes(tt.b))
		}
	}
	if evaluate.ParamTypes("double s(std::vector<double> const& x);") == evaluate.ParamTypes("int64_t s(std::vector<int64_t> const& x);") {
		t.Error("a change of types went unnoticed")
	}
}

// TestRaceCause puts an OpenMP output that ParEval found valid at 1 to 8
// threads and invalid at 16 (a data race) down to the thread count when
// lessonl, at 8 threads, finds it correct; at 16 threads the same verdict
// stays unexplained.
func TestRaceCause(t *testing.T) {
	path := filepath.Join(t.TempDir(), "omp.json")
	file := `[{"name": "14_geometry_closest_pair_1d", "parallelism_model": "omp", "prompt": "double f() {",
	  "outputs": [{"generated_output": "return 0; }", "did_build": true, "are_all_valid": false,
	    "runs": [{"num_threads": 1, "runtime": 1, "is_valid": true}, {"num_threads": 8, "runtime": 1, "is_valid": true},
	             {"num_threads": 16, "runtime": 1, "is_valid": false}, {"num_threads": 64, "runtime": null, "is_valid": null}]}]}]`
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	outs := g.Outputs("14_geometry_closest_pair_1d", "openmp")
	if len(outs) != 1 || outs[0].Verdicts == nil || outs[0].Verdicts.FirstInvalidThreads != 16 {
		t.Fatalf("outputs %+v: want one with its first invalid run at 16 threads", outs)
	}
	p := &datasets.Problem{ID: "14_geometry_closest_pair_1d"}
	for _, tt := range []struct {
		threads int
		cause   string
	}{
		{8, CauseOurs + ": threads: ParEval's runs were valid below 16 threads"},
		{16, CauseOurs + ": lessonl's validation passes what ParEval's rejected"},
	} {
		rep := &BenchReport{Threads: tt.threads, Changed: map[string][]string{}}
		r := rep.row(p, 0, outs[0], evaluate.Outcome{Status: evaluate.Correct})
		if r.Agree || !strings.HasPrefix(r.Cause, tt.cause) {
			t.Errorf("%d threads: agree %v, cause %q; want a disagreement put down to %q", tt.threads, r.Agree, r.Cause, tt.cause)
		}
	}
}

// TestParEvalRunCauses: an output lessonl passes whose runs in ParEval's
// pipeline reported no validity is put down to that run (CodeLlama-34B's
// 18_graph_count_components #9: a BFS that marks nodes on pop), and a
// crash at a size LessonL's validate() grew to, of an output ParEval
// found valid, to the benchmark's change (46_sparse_la_spmm #10: a
// reference that resizes Y to dimensions the vectors were not given).
func TestParEvalRunCauses(t *testing.T) {
	noResult := Output{Code: "c", Verdicts: &Verdicts{DidBuild: true, NoResult: true}}
	invalid := Output{Code: "c", Verdicts: &Verdicts{DidBuild: true}}
	valid := Output{Code: "c", Verdicts: &Verdicts{DidBuild: true, AreAllValid: true}}
	for _, tt := range []struct {
		name    string
		out     Output
		status  evaluate.Status
		resized string
		cause   string
	}{
		{"no result, passes here", noResult, evaluate.Correct, "", CauseNoResult + ": ParEval built it, but none of its runs"},
		{"invalid, passes here", invalid, evaluate.Correct, "", CauseOurs + ": lessonl's validation passes what ParEval's rejected"},
		{"valid, crashes at the larger size", valid, evaluate.RuntimeError, "128", CauseBenchmark + ": validate() runs at DRIVER_PROBLEM_SIZE where ParEval's ran at 128"},
		{"valid, crashes, not resized", valid, evaluate.RuntimeError, "", CauseOurs + ": runtime_error"},
	} {
		rep := &BenchReport{Changed: map[string][]string{}, Resized: map[string]string{}}
		if tt.resized != "" {
			rep.Resized["46_sparse_la_spmm"] = tt.resized
		}
		r := rep.row(&datasets.Problem{ID: "46_sparse_la_spmm"}, 0, tt.out, evaluate.Outcome{Status: tt.status, Detail: "killed by signal: SIGABRT"})
		if r.Agree || !strings.HasPrefix(r.Cause, tt.cause) {
			t.Errorf("%s: agree %v, cause %q; want a disagreement put down to %q", tt.name, r.Agree, r.Cause, tt.cause)
		}
	}
}

// countingEvaluator passes every evaluation to a real evaluator and
// counts them by code.
type countingEvaluator struct {
	*evaluate.Evaluator
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingEvaluator) Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	c.mu.Lock()
	c.calls[p.ID+"\x00"+code]++
	c.mu.Unlock()
	return c.Evaluator.Evaluate(ctx, p, code)
}

// TestBenchEvaluatesIdenticalCodeOnce repeats two of the fixture's
// outputs (one correct, one not) in a copy of its file: each distinct code
// is evaluated once, the repeats carry the verdict of the output they
// repeat and name it, and the report counts distinct codes.
func TestBenchEvaluatesIdenticalCodeOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real code")
	}
	if _, err := os.Stat("/usr/bin/g++"); err != nil {
		t.Skip("g++ not installed")
	}
	b, err := os.ReadFile("testdata/results.json")
	if err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r["name"] == "00_reduce_sum_of_squares" && r["parallelism_model"] == "serial" {
			outs := r["outputs"].([]any)
			r["outputs"] = append(outs, outs[0], outs[2], outs[0])
		}
	}
	path := filepath.Join(t.TempDir(), "results.json")
	b, _ = json.Marshal(recs)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	real, err := evaluate.New(evaluate.Config{VerdictOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer real.Close()
	ev := &countingEvaluator{Evaluator: real, calls: map[string]int{}}
	rep, err := Bench(context.Background(), ev, fixtureProblems(t, "00_reduce_sum_of_squares"), g, BenchConfig{Mode: "serial", Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 7 || rep.Evaluated != 4 {
		t.Fatalf("%d rows, %d evaluated; want 7 rows, 4 evaluated", len(rep.Rows), rep.Evaluated)
	}
	total := 0
	for code, n := range ev.calls {
		if n != 1 {
			t.Errorf("code evaluated %d times: %.60q", n, code)
		}
		total += n
	}
	if total != 4 {
		t.Errorf("%d evaluations, want 4", total)
	}
	bySample := map[int]BenchRow{}
	for _, r := range rep.Rows {
		bySample[r.Sample] = r
	}
	for sample, same := range map[int]int{0: -1, 1: -1, 2: -1, 3: -1, 4: 0, 5: 2, 6: 0} {
		r := bySample[sample]
		if r.SameAs != same {
			t.Errorf("sample %d: same_as %d, want %d", sample, r.SameAs, same)
		}
		if same >= 0 && r.Ours != bySample[same].Ours {
			t.Errorf("sample %d: %s, but the output it repeats is %s", sample, r.Ours, bySample[same].Ours)
		}
	}
	if bySample[0].Ours == bySample[2].Ours {
		t.Errorf("the fixture's samples 0 and 2 should differ in verdict (both %s): the test would not see a mixed-up copy", bySample[0].Ours)
	}
	var out bytes.Buffer
	WriteBench(&out, rep)
	if !strings.Contains(out.String(), "7 outputs (all per problem; 4 distinct codes, each evaluated once)") {
		t.Errorf("report header:\n%s", out.String())
	}
}
