package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/golden"
)

// TestSpecMessages checks, against golden files, what `spec validate`
// says about broken specs: every problem at once, each as
// file:line: field path: message, YAML syntax errors in plain words
// naming what is unclosed, type errors with an example, unset
// environment variables with the field that uses them.
func TestSpecMessages(t *testing.T) {
	files, err := filepath.Glob("testdata/specerr/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	lookup := env(map[string]string{}) // no variable is set
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(filepath.Base(f), raw, lookup)
			if err == nil {
				t.Fatal("parsed without error")
			}
			got := err.Error() + "\n"
			golden.Check(t, strings.TrimSuffix(f, ".yaml")+".golden", []byte(got))
		})
	}
}
