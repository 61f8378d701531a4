package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// cliBinary builds the command once for the tests that run it as a
// process (exit statuses are main's).
var cliBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "lessonl-exit-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "lessonl")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", errors.New(string(out))
	}
	return bin, nil
})

// TestEvalExitStatus runs the real binary: eval exits 0 only for a
// correct candidate, 1 for any other verdict (here not_compilable and
// incorrect), 2 for usage errors (no FILE, an unknown flag, no
// --problem).
func TestEvalExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and compiles candidates")
	}
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("g++ not installed")
	}
	bin, err := cliBinary()
	if err != nil {
		t.Fatal(err)
	}
	p := builtinProblem(t, "sort-insertion")
	dir := t.TempDir()
	file := func(name, code string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := file("good.cpp", p.BaselineCode)
	broken := file("broken.cpp", "this is not C++\n")
	wrong := file("wrong.cpp", strings.Replace(p.BaselineCode, "a[j] = x;", "a[j] = x + 1;", 1))
	quick := []string{"--verdict-only", "--no-checked-build", "--problem", "sort-insertion"}
	cases := []struct {
		name   string
		args   []string
		status int
		out    string
	}{
		{"correct", append(append([]string{"eval"}, quick...), good), 0, "status    correct"},
		{"not compilable", append(append([]string{"eval"}, quick...), broken), 1, "status    not_compilable"},
		{"incorrect", append(append([]string{"eval"}, quick...), wrong), 1, "status    incorrect"},
		{"no file", []string{"eval", "--problem", "sort-insertion"}, 2, "want one candidate FILE"},
		{"unknown flag", []string{"eval", "--no-such-flag", good}, 2, "flag provided but not defined"},
		{"no problem", []string{"eval", good}, 2, "Required flag"},
		{"export without a run", []string{"export"}, 2, "want one RUN folder"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := exec.Command(bin, c.args...).CombinedOutput()
			status := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				status = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != c.status || !strings.Contains(string(out), c.out) {
				t.Errorf("lessonl %s: exit status %d, want %d; output:\n%s(want %q)", strings.Join(c.args, " "), status, c.status, out, c.out)
			}
		})
	}
}
