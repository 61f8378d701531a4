package evaluate

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestWrapGolden(t *testing.T) {
	code := "// a helper and its own includes\r\n#include <vector>\n  # include <algorithm>  \nusing namespace std;\nstatic int twice(int x) { return 2 * x; }\nvoid f(vector<int>& a) { sort(a.begin(), a.end()); }\n"
	got := Wrap(Normalize(code), CandidateNamespace, "candidate.cpp")
	const golden = "testdata/wrap.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("Wrap output differs from %s:\n%s", golden, got)
	}
}
