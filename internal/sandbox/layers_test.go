package sandbox

import (
	"go/build"
	"strings"
	"testing"
)

// TestImportsNothingOfLessonl keeps the sandbox below both evaluators: it
// may import the standard library and golang.org/x/sys, nothing of
// lessonl.
func TestImportsNothingOfLessonl(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "github.com/lessonlab/lessonl") {
			t.Errorf("package sandbox imports %s", imp)
		}
	}
}
