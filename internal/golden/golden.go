// Package golden holds the one comparison lessonl's tests make with a
// whole expected output (a table, a report, a prompt, an error message)
// kept in a file under testdata/: tests compare, and `go test -update`
// rewrites the files.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update is the -update flag of every test binary that compares with
// golden files: `go test -update` rewrites them.
var Update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Check compares got with the file at path. With -update it first writes
// got there (making the folder), so a test run with -update records
// today's output and the diff shows what changed.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	check(t, path, got, *Update)
}

func check(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}
