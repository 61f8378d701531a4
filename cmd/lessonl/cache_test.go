package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalCache evaluates one file three times against a cache folder:
// the first measures it, the second says it reused that verdict (and who
// measured it), and --no-cache measures it again.
func TestEvalCache(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles real code")
	}
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	t.Setenv("LESSONL_CACHE", filepath.Join(t.TempDir(), "cache"))
	p := builtinProblem(t, "sort-insertion")
	good := filepath.Join(t.TempDir(), "good.cpp")
	if err := os.WriteFile(good, []byte(p.BaselineCode), 0o644); err != nil {
		t.Fatal(err)
	}
	const cached = "cached    reused from the evaluation cache, measured by lessonl eval"
	for _, c := range []struct {
		name   string
		flags  []string
		reused bool
	}{{"first", nil, false}, {"second", nil, true}, {"no cache", []string{"--no-cache"}, false}} {
		args := append([]string{"lessonl", "eval", "--verdict-only", "--no-checked-build", "--problem", "sort-insertion"}, c.flags...)
		var stdout, stderr bytes.Buffer
		if status := run(context.Background(), &stdout, &stderr, append(args, good)); status != 0 {
			t.Fatalf("%s: exit %d: %s%s", c.name, status, stdout.String(), stderr.String())
		}
		out := stdout.String()
		if strings.Contains(out, cached) != c.reused || strings.Contains(out, "compile   0 ms") != c.reused {
			t.Errorf("%s: reused %v expected, output:\n%s", c.name, c.reused, out)
		}
	}
}
