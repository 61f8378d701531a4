package cxx

import (
	"go/build"
	"strings"
	"testing"
)

// TestImportsNothingOfLessonl keeps the C++ reading below datasets and
// the evaluators: it imports the standard library only.
func TestImportsNothingOfLessonl(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "github.com/lessonlab/lessonl") {
			t.Errorf("package cxx imports %s", imp)
		}
	}
}
