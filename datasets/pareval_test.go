package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is a miniature ParEval-PolyBench-Code-Opt checkout written for
// these tests (see testdata/pareval/README.md).
const fixture = "testdata/pareval"

func TestLoadParEvalFixture(t *testing.T) {
	ps, err := LoadParEval(ParEval{Root: fixture})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id, category, function string
		timing                 int
		defects                []DefectClass
		shared                 []string
	}{
		{"00_reduce_sum_of_squares", "reduce", "sumOfSquares", 1 << 20, nil, nil},
		{"01_geometry_farthest_from_origin", "geometry", "farthestFromOrigin", 1 << 18, []DefectClass{DefectSharedTypeOrder}, []string{"Point"}},
		{"29_scan_running_total", "scan", "runningTotal", 1 << 16, []DefectClass{DefectOwnCodeBuild}, nil},
		{"49_sparse_la_diagonal_scale", "sparse_la", "diagonalScale", 1 << 20, []DefectClass{DefectOwnCodeInvalid}, nil},
		{"50_stencil_border_xor", "stencil", "borderXor", 1 << 10, nil, nil},
	}
	if len(ps) != len(want) {
		t.Fatalf("%d problems, want %d", len(ps), len(want))
	}
	for i, w := range want {
		p := ps[i]
		if p.ID != w.id || p.Category != w.category || p.Function != w.function || p.Sizes.Timing != w.timing || p.Suite != SuiteParEval {
			t.Errorf("problem %d: %s %s %s %d %s, want %s %s %s %d pareval", i, p.ID, p.Category, p.Function, p.Sizes.Timing, p.Suite,
				w.id, w.category, w.function, w.timing)
		}
		var classes []DefectClass
		for _, d := range p.Defects {
			classes = append(classes, d.Class)
			if !d.Fixed {
				t.Errorf("%s: defect %s not fixed by default", p.ID, d.Class)
			}
		}
		if strings.Join(toStrings(classes), ",") != strings.Join(toStrings(w.defects), ",") {
			t.Errorf("%s: defects %v, want %v", p.ID, classes, w.defects)
		}
		var shared []string
		for _, s := range p.Shared {
			shared = append(shared, s.Name)
		}
		if strings.Join(shared, ",") != strings.Join(w.shared, ",") {
			t.Errorf("%s: shared types %v, want %v", p.ID, shared, w.shared)
		}
		for _, f := range []string{"cpu.cc", "baseline.hpp", "utilities.hpp", "generated-code.hpp"} {
			if p.Files[f] == "" {
				t.Errorf("%s: no %s among the driver's files", p.ID, f)
			}
		}
		if !strings.Contains(p.Driver, `#include "cpu.cc"`) || !strings.Contains(p.Driver, "LESSONL_MAIN(Case)") {
			t.Errorf("%s: the driver is not the bridge:\n%s", p.ID, p.Driver)
		}
	}
	// Fixed: the shown code of 29 is the reference under the entry name,
	// in int64_t as the driver wants.
	if code := ps[2].BaselineCode; !strings.Contains(code, "void runningTotal(std::vector<int64_t> const& x") || strings.Contains(code, "correctRunningTotal") || strings.Contains(code, "NO_INLINE") {
		t.Errorf("fixed 29 shows:\n%s", code)
	}
	// The geometry driver includes the candidate first; baseline.hpp has
	// no Point, so the bridge defines the problem's own.
	if !strings.Contains(ps[1].Driver, "struct Point {") {
		t.Errorf("bridge of 01 lacks the shared Point:\n%s", ps[1].Driver)
	}
	if strings.Contains(ps[0].Driver, "struct Point") {
		t.Errorf("bridge of 00 defines a type it does not share")
	}
}

func toStrings(cs []DefectClass) []string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c))
	}
	return out
}

func TestLoadParEvalFaithfulAndModes(t *testing.T) {
	ps, err := LoadParEval(ParEval{Root: fixture, Faithful: true})
	if err != nil {
		t.Fatal(err)
	}
	if code := ps[2].BaselineCode; !strings.Contains(code, "std::vector<double> const& x") {
		t.Errorf("faithful 29 should show the published double code:\n%s", code)
	}
	for _, d := range ps[2].Defects {
		if d.Fixed {
			t.Errorf("faithful mode fixed %s", d.Class)
		}
	}
	omp, err := LoadParEval(ParEval{Root: fixture, Mode: "openmp"})
	if err != nil {
		t.Fatal(err)
	}
	if omp[0].Sizes.Timing != 1<<21 || !strings.HasSuffix(omp[0].Description, OpenMPSentence) || !strings.Contains(omp[0].Driver, "#define USE_OMP 1") {
		t.Errorf("openmp: timing %d, description %q", omp[0].Sizes.Timing, omp[0].Description)
	}
	poly, err := LoadParEval(ParEval{Root: fixture, Suite: SuitePolyBench})
	if err != nil {
		t.Fatal(err)
	}
	if len(poly) != 1 || poly[0].ID != "axpby" || poly[0].Category != SuitePolyBench || poly[0].Function != "kernel_axpby" {
		t.Errorf("polybench: %+v", poly)
	}
	if want := "void kernel_axpby(int n, double a, std::vector<std::vector<double>> const& x, double b, std::vector<std::vector<double>>& y);"; !strings.Contains(poly[0].Driver, want) {
		t.Errorf("polybench bridge lacks the multi-line signature %q:\n%s", want, poly[0].Driver)
	}
}

// copyTree copies the fixture into a fresh folder a test may break.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

func TestLoadParEvalMalformed(t *testing.T) {
	edit := func(path, old, new string) func(t *testing.T, root string) {
		return func(t *testing.T, root string) {
			p := filepath.Join(root, path)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), old) {
				t.Fatalf("fixture %s lacks %q", path, old)
			}
			os.WriteFile(p, []byte(strings.ReplaceAll(string(b), old, new)), 0o644)
		}
	}
	cases := []struct {
		name  string
		spoil func(t *testing.T, root string)
		want  []string
	}{
		{"missing cpu.cc", func(t *testing.T, root string) {
			os.Remove(filepath.Join(root, "drivers/cpp/benchmarks/scan/29_scan_running_total/cpu.cc"))
		}, []string{"29_scan_running_total/cpu.cc", "driver is missing"}},
		{"missing baseline.hpp", func(t *testing.T, root string) {
			os.Remove(filepath.Join(root, "drivers/cpp/benchmarks/reduce/00_reduce_sum_of_squares/baseline.hpp"))
		}, []string{"00_reduce_sum_of_squares/baseline.hpp", "reference is missing"}},
		{"unknown category", edit("prompts/pareval_code_opt.json", `"problem_type": "sparse_la"`, `"problem_type": "sparse"`),
			[]string{"pareval_code_opt.json", "field [3].problem_type", `unknown category "sparse"`}},
		{"bad size string", edit("drivers/problem-sizes.json", `"serial": "(1<<18)"`, `"serial": "(1<<18"`),
			[]string{"problem-sizes.json", "field 01_geometry_farthest_from_origin.serial", "missing )"}},
		{"size not a number", edit("drivers/problem-sizes.json", `"serial": "(1<<20)", "omp": "(1<<21)"`, `"serial": "N", "omp": "(1<<21)"`),
			[]string{"problem-sizes.json", "00_reduce_sum_of_squares.serial", "want a number"}},
		{"size missing", edit("drivers/problem-sizes.json", `"49_sparse_la_diagonal_scale": {"serial": "(1<<20)", `, `"49_sparse_la_diagonal_scale": {`),
			[]string{"problem-sizes.json", "49_sparse_la_diagonal_scale.serial", "missing"}},
		{"not JSON", edit("prompts/pareval_code_opt.json", `[`, `{`), []string{"pareval_code_opt.json", "not valid JSON"}},
		{"no submission call", edit("drivers/cpp/benchmarks/reduce/00_reduce_sum_of_squares/cpu.cc", "submission::", "lessonl::"),
			[]string{"00_reduce_sum_of_squares/cpu.cc", "submission::"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := copyTree(t, fixture)
			c.spoil(t, root)
			_, err := LoadParEval(ParEval{Root: root})
			if err == nil {
				t.Fatal("loaded a broken checkout")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	for _, src := range []ParEval{{}, {Root: fixture, Suite: "spec"}, {Root: fixture, Mode: "mpi"}} {
		if _, err := LoadParEval(src); err == nil {
			t.Errorf("%+v: loaded", src)
		}
	}
}

func TestParseSizeExpr(t *testing.T) {
	cases := []struct {
		in   string
		want int
		bad  bool
	}{
		{"(1<<18)", 1 << 18, false},
		{"1024", 1024, false},
		{" ( 1 << 10 ) ", 1024, false},
		{"(1<<10)*3", 3072, false},
		{"3*(1<<4)+1", 49, false},
		{"(1<<18", 0, true},
		{"1<<99", 0, true},
		{"0", 0, true},
		{"", 0, true},
		{"DRIVER", 0, true},
		{"12 34", 0, true},
	}
	for _, c := range cases {
		got, err := parseSizeExpr(c.in)
		if c.bad != (err != nil) || got != c.want {
			t.Errorf("parseSizeExpr(%q) = %d, %v; want %d, error %v", c.in, got, err, c.want, c.bad)
		}
	}
}
