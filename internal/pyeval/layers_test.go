package pyeval

import (
	"go/build"
	"testing"
)

// TestDoesNotImportEvaluate keeps the two evaluators side by side: the
// Python evaluator shares the sandbox (internal/sandbox) with the C++ one
// and nothing else.
func TestDoesNotImportEvaluate(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range append(pkg.Imports, pkg.TestImports...) {
		if imp == "github.com/lessonlab/lessonl/internal/evaluate" {
			t.Errorf("package pyeval imports %s", imp)
		}
	}
}
