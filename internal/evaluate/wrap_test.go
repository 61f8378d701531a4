package evaluate

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lessonlab/lessonl/internal/golden"
)

func TestWrapGolden(t *testing.T) {
	code := "// a helper and its own includes\r\n#include <vector>\n  # include <algorithm>  \nusing namespace std;\nstatic int twice(int x) { return 2 * x; }\nvoid f(vector<int>& a) { sort(a.begin(), a.end()); }\n"
	got := Wrap(Normalize(code), CandidateNamespace, "candidate.cpp")
	golden.Check(t, "testdata/wrap.golden", []byte(got))
}

// TestSidesPageAligned links two identical sides in both orders, as the
// evaluator's two builds do, and checks that the entry function of each
// lands at the same offset within its page: a hot loop then straddles a
// page boundary in both copies or in neither.
func TestSidesPageAligned(t *testing.T) {
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("g++ not installed")
	}
	dir := t.TempDir()
	code := Normalize("#include <vector>\nlong f(const std::vector<long>& v) {\n    long s = 0;\n    for (long x : v) s += x * x;\n    return s;\n}\n")
	files := map[string]string{
		"base.cpp": Wrap(code, BaselineNamespace, "baseline.cpp"),
		"cand.cpp": Wrap(code, CandidateNamespace, "candidate.cpp"),
		"main.cpp": "#include <vector>\n#include <cstdio>\nnamespace lessonl_baseline { long f(const std::vector<long>&); }\nnamespace lessonl_candidate { long f(const std::vector<long>&); }\n" +
			"int main() { std::vector<long> v(100, 3); std::printf(\"%ld\\n\", lessonl_baseline::f(v) + lessonl_candidate::f(v)); }\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	flags := []string{"-std=c++17", "-O2", "-falign-functions=64", "-falign-loops=32"}
	gxx := func(args ...string) {
		cmd := exec.Command("g++", append(append([]string{}, flags...), args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("g++ %v: %v\n%s", args, err, out)
		}
	}
	for _, u := range []string{"base", "cand", "main"} {
		gxx("-c", u+".cpp", "-o", u+".o")
	}
	gxx("main.o", "base.o", "cand.o", "-o", "first")
	gxx("main.o", "cand.o", "base.o", "-o", "swapped")
	for _, bin := range []string{"first", "swapped"} {
		f, err := elf.Open(filepath.Join(dir, bin))
		if err != nil {
			t.Fatal(err)
		}
		syms, err := f.Symbols()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		addr := map[string]uint64{}
		for _, s := range syms {
			addr[s.Name] = s.Value
		}
		b, c := addr["_ZN16lessonl_baseline1fERKSt6vectorIlSaIlEE"], addr["_ZN17lessonl_candidate1fERKSt6vectorIlSaIlEE"]
		if b == 0 || c == 0 {
			t.Fatalf("%s: entry functions not found (baseline %#x, candidate %#x)", bin, b, c)
		}
		if b%4096 != c%4096 {
			t.Errorf("%s: baseline's f at %#x, candidate's at %#x: page offsets %#x and %#x differ", bin, b, c, b%4096, c%4096)
		}
	}
}
