package layers

import (
	"go/build"
	"strings"
	"testing"
)

const module = "github.com/lessonlab/lessonl"

// TestLayersRunOneWay reads each package's imports (with its tests' where
// the row says) and fails on any the row forbids.
func TestLayersRunOneWay(t *testing.T) {
	for _, tt := range []struct {
		pkg       string // below internal/
		why       string
		tests     bool // the tests' imports count too
		forbidden func(imp string) bool
	}{
		{"cxx", "C++ source reading sits below datasets and the evaluators: the standard library only", false,
			func(imp string) bool { return strings.HasPrefix(imp, module) }},
		{"sandbox", "the sandbox sits below both evaluators: the standard library and golang.org/x/sys, nothing of lessonl", false,
			func(imp string) bool { return strings.HasPrefix(imp, module) }},
		{"pyeval", "the two evaluators sit side by side: the Python one shares the sandbox with the C++ one and nothing else", true,
			func(imp string) bool { return imp == module+"/internal/evaluate" }},
	} {
		t.Run(tt.pkg, func(t *testing.T) {
			pkg, err := build.ImportDir("../"+tt.pkg, 0)
			if err != nil {
				t.Fatal(err)
			}
			imports := pkg.Imports
			if tt.tests {
				imports = append(imports, pkg.TestImports...)
			}
			for _, imp := range imports {
				if tt.forbidden(imp) {
					t.Errorf("package %s imports %s (%s)", tt.pkg, imp, tt.why)
				}
			}
		})
	}
}
