package datasets

import (
	"strings"
	"testing"
)

func TestFunctionDeclarations(t *testing.T) {
	code := `/* forward declare fft. computes fourier transform in-place */
void fft(std::vector<std::complex<double>> &x);
// int commented(int x);
std::vector<int>
split(std::vector<int> const& v, size_t n);
#define CALL(x) f(x);
struct Point { double x, y; };
double distance(Point const& a, Point const& b) { return a.x - b.x; }
/* Return the answer.
*/
int answer(std::vector<int> const& x) {
    int r = helper(x);
    return r;`
	got := FunctionDeclarations(code)
	want := []Helper{
		{"fft", "void fft(std::vector<std::complex<double>> &x);"},
		{"split", "std::vector<int> split(std::vector<int> const& v, size_t n);"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("declaration %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestHelperForwarder(t *testing.T) {
	for _, tt := range []struct{ decl, want string }{
		{"void fft(std::vector<std::complex<double>> &x);",
			"namespace ns { __attribute__((weak)) void fft(std::vector<std::complex<double>> & lessonl_a0) { return ::fft(static_cast<decltype(lessonl_a0)&&>(lessonl_a0)); } }\n"},
		{"int f(int, const double *p, unsigned int n = 4, char name[]);",
			"namespace ns { __attribute__((weak)) int f(int lessonl_a0, const double * lessonl_a1, unsigned int lessonl_a2, char* lessonl_a3) { return ::f(" +
				"static_cast<decltype(lessonl_a0)&&>(lessonl_a0), static_cast<decltype(lessonl_a1)&&>(lessonl_a1), static_cast<decltype(lessonl_a2)&&>(lessonl_a2), static_cast<decltype(lessonl_a3)&&>(lessonl_a3)); } }\n"},
		{"double g(void);", "namespace ns { __attribute__((weak)) double g() { return ::g(); } }\n"},
	} {
		name := tt.decl[strings.IndexByte(tt.decl, ' ')+1 : strings.IndexByte(tt.decl, '(')]
		got, err := Helper{Name: name, Declaration: tt.decl}.Forwarder("ns")
		if err != nil || got != tt.want {
			t.Errorf("%s:\n got %q (%v)\nwant %q", tt.decl, got, err, tt.want)
		}
	}
	if _, err := (Helper{Name: "h", Declaration: "void g(int);"}).Forwarder("ns"); err == nil {
		t.Error("a declaration of another function was taken for h's")
	}
}

// TestParEvalHelpers loads the helper fixture. 05_fft_inverse_dft's
// OpenMP prompt alone forward-declares dft (as the published
// 05_fft_inverse_fft's does fft), and its baseline.hpp defines it before
// the driver includes the generated code; 18_graph_count_components'
// baseline.hpp defines dfs there and no prompt declares it (as the
// published one's does); utilities.hpp defines a graph generator. In both
// modes each problem lists exactly those, from the prompt or else with the
// driver's definition's head, and not the reference, the entry function,
// utilities.hpp's templates or its Kokkos-only function; its prelude
// declares them after the includes. The main fixture's problems, whose
// drivers define no such function, list none.
func TestParEvalHelpers(t *testing.T) {
	const (
		dft   = "void dft(std::vector<std::complex<double>> &x);"
		dfs   = "void dfs(std::vector<int> const& A, int node, size_t N, std::vector<bool> &visited);"
		graph = "int fillRandomUndirectedGraph_(std::vector<int> &A, size_t N, std::mt19937& engine);"
	)
	for _, mode := range []string{"serial", "openmp"} {
		ps, err := LoadParEval(ParEval{Root: "testdata/pareval-helper", Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 3 {
			t.Fatalf("%s: %d problems, want 3", mode, len(ps))
		}
		// Either prompt's helpers first (05's serial prompt drops dft's
		// declaration, as the published one drops fft's).
		want := map[string][]string{"05_fft_inverse_dft": {dft, graph}, "18_graph_count_components": {graph, dfs}, "19_graph_shortest_path": {graph}}
		for _, p := range ps {
			var got []string
			for _, h := range p.Helpers {
				got = append(got, h.Declaration)
				if !strings.HasPrefix(h.Declaration[strings.Index(h.Declaration, " ")+1:], h.Name+"(") {
					t.Errorf("%s %s: helper %q declared as %q", mode, p.ID, h.Name, h.Declaration)
				}
			}
			if strings.Join(got, "\n") != strings.Join(want[p.ID], "\n") {
				t.Errorf("%s %s: helpers\n%s\nwant\n%s", mode, p.ID, strings.Join(got, "\n"), strings.Join(want[p.ID], "\n"))
			}
			if !strings.HasSuffix(p.Prelude, "\n"+Declarations(p.Helpers)) || !strings.Contains(p.Prelude, "#include <vector>") {
				t.Errorf("%s %s: prelude does not end with the helpers' declarations after the includes:\n%s", mode, p.ID, p.Prelude)
			}
		}
	}
	ps, err := LoadParEval(ParEval{Root: "testdata/pareval"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if len(p.Helpers) > 0 {
			t.Errorf("%s: helpers %+v, want none", p.ID, p.Helpers)
		}
	}
}

// TestFunctionDefinitions lists what a header defines that another unit
// can call: plain functions, with their heads as declarations (NO_INLINE
// dropped, a head over two lines joined), and not templates, static,
// inline or constexpr functions, members, functions under a preprocessor
// conditional, declarations or calls.
func TestFunctionDefinitions(t *testing.T) {
	code := `#pragma once
#include <vector>
#define NO_INLINE
void dfs(std::vector<int> const& A, int node, size_t N, std::vector<bool> &visited) {
    if (node) dfs(A, node - 1, N, visited);
}
int NO_INLINE correctCount(std::vector<int> const& A,
                           size_t N) { return 0; }
template <typename T>
void fillRand(T &x) {}
static int hidden(int x) { return x; }
inline double twice(double x) { return 2 * x; }
constexpr int three() { return 3; }
struct Point { double x; double norm() const { return x; } };
double Point_norm(Point const& p) { return p.x; }
int Point::area() { return 0; }
void declared(int x);
#if defined(USE_KOKKOS)
void kokkosOnly(int x) {}
#endif
#if !defined(M_PI)
#define M_PI 3.14
#endif
/* void commented(int x) {} */
std::vector<int> const& last(std::vector<std::vector<int>> const& v) { return v.back(); }
`
	want := []Helper{
		{"dfs", "void dfs(std::vector<int> const& A, int node, size_t N, std::vector<bool> &visited);"},
		{"correctCount", "int correctCount(std::vector<int> const& A, size_t N);"},
		{"Point_norm", "double Point_norm(Point const& p);"},
		{"last", "std::vector<int> const& last(std::vector<std::vector<int>> const& v);"},
	}
	got := FunctionDefinitions(code)
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("definition %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestVisibleHelpers takes helpers only from what the authors' driver
// unit defines before it includes the generated code, in its include
// order: not baseline.hpp's where the generated code comes first, not
// cpu.cc's own functions after the include, not the reference best()
// calls or the entry function, not a function whose declaration names a
// type the driver defines (a side's prelude precedes its shared types),
// and not one the prompt already declares.
func TestVisibleHelpers(t *testing.T) {
	const utilities = "int fillGraph(std::vector<int> &A, size_t N) { return 0; }\n"
	const base = `struct Point { double x, y; };
double dist(Point const& a, Point const& b) { return a.x - b.x; }
void dfs(std::vector<int> const& A, int node) { }
int NO_INLINE correctCount(std::vector<int> const& A) { dfs(A, 0); return 1; }
int count(std::vector<int> const& A) { return 0; }
`
	cpu := func(order ...string) string {
		var b strings.Builder
		b.WriteString("#include <vector>\nvoid early(int x) { }\n")
		for _, o := range order {
			b.WriteString("#include \"" + o + "\"\n")
		}
		b.WriteString("void reset(Context *ctx) { }\nvoid NO_OPTIMIZE best(Context *ctx) {\n    int c = correctCount(ctx->A);\n}\n")
		return b.String()
	}
	for _, tt := range []struct {
		name string
		cpu  string
		have []Helper
		want []string
	}{
		{"baseline.hpp first", cpu("utilities.hpp", "baseline.hpp", "generated-code.hpp"), nil, []string{"fillGraph", "dfs", "early"}},
		{"the generated code first", cpu("utilities.hpp", "generated-code.hpp", "baseline.hpp"), nil, []string{"fillGraph", "early"}},
		{"dfs declared by the prompt", cpu("utilities.hpp", "baseline.hpp", "generated-code.hpp"), []Helper{{Name: "dfs"}}, []string{"fillGraph", "early"}},
		{"no generated code", cpu("utilities.hpp", "baseline.hpp"), nil, nil},
	} {
		var got []string
		for _, h := range visibleHelpers("count", tt.cpu, utilities, base, nil, tt.have) {
			got = append(got, h.Name)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s: helpers %q, want %q", tt.name, got, tt.want)
		}
	}
}
