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

// TestParEvalHelpers loads the helper fixture, whose OpenMP prompt alone
// forward-declares dft (as the published 05_fft_inverse_fft's does fft):
// in both modes the problem lists dft as a helper and its prelude declares
// it; the main fixture's problems, which declare none, list none.
func TestParEvalHelpers(t *testing.T) {
	for _, mode := range []string{"serial", "openmp"} {
		ps, err := LoadParEval(ParEval{Root: "testdata/pareval-helper", Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 {
			t.Fatalf("%s: %d problems, want 1", mode, len(ps))
		}
		p := ps[0]
		want := Helper{Name: "dft", Declaration: "void dft(std::vector<std::complex<double>> &x);"}
		if len(p.Helpers) != 1 || p.Helpers[0] != want {
			t.Errorf("%s: helpers %+v, want %+v", mode, p.Helpers, want)
		}
		if !strings.HasSuffix(p.Prelude, "\n"+want.Declaration+"\n") || !strings.Contains(p.Prelude, "#include <complex>") {
			t.Errorf("%s: prelude does not end with the helper's declaration after the includes:\n%s", mode, p.Prelude)
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
