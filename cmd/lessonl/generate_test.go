package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/internal/pyeval"
)

// runCLI runs the lessonl commands given with args and returns what they
// printed on stdout; what they printed on stderr goes to the test's log.
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	app := &cli.App{Name: "lessonl", Commands: []*cli.Command{datasetsCommand(), evalCommand()},
		Writer: &out, ErrWriter: testLog{t}, ExitErrHandler: func(*cli.Context, error) {}}
	err := app.RunContext(context.Background(), append([]string{"lessonl"}, args...))
	return out.String(), err
}

const heFixture = "../../datasets/testdata/generate/humaneval-mini.jsonl"

func TestGenerateDatasetsCLI(t *testing.T) {
	out, err := runCLI(t, "datasets", "list", "--pysuite")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out, " pysuite "); n < 20 || !strings.Contains(out, "running-max") {
		t.Errorf("datasets list --pysuite shows %d problems:\n%s", n, out)
	}
	out, err = runCLI(t, "datasets", "show", "--humaneval", heFixture, "Mini/1")
	if err != nil || !strings.Contains(out, "def decode_pairs(s: str) -> str:") || !strings.Contains(out, "tests: check()") {
		t.Errorf("datasets show: %v\n%s", err, out)
	}
	out, err = runCLI(t, "datasets", "check", "--json", "--pysuite", "--jobs", "2", "chunk", "roman")
	if err != nil {
		t.Fatal(err)
	}
	var rows []pyeval.CheckRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows, want 3 solutions of 2 problems", len(rows))
	}
	for _, r := range rows {
		if !r.OK || (r.Expect == "pass") != (r.Verdict.Status == pyeval.Passed) {
			t.Errorf("row %+v", r)
		}
	}
	// A known solution expected to pass that fails is a mismatch and
	// fails the command.
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte(`{"task_id": "Mini/0", "name": "claims-to-pass", "pass": true, "completion": "    return 0\n"}`+"\n"), 0o644)
	out, err = runCLI(t, "datasets", "check", "--humaneval", heFixture, "--solutions", bad)
	if err == nil || !strings.Contains(out, "claims-to-pass") || !strings.Contains(out, "MISMATCH") ||
		!strings.Contains(out, "2 problems: 2/2 reference solutions pass; 3 evaluations, 1 mismatches") {
		t.Errorf("check with a wrong claim: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "datasets", "list", "--pysuite", "--humaneval", heFixture); err == nil || !strings.Contains(err.Error(), "give one") {
		t.Errorf("two sources: %v", err)
	}
}

func TestGenerateEvalCLI(t *testing.T) {
	cand := filepath.Join(t.TempDir(), "cand.py")
	os.WriteFile(cand, []byte("def count_vowels(s):\n    return sum(c in 'aeiou' for c in s)\n"), 0o644)
	// A verdict other than passed is printed and makes eval exit 1.
	out, err := runCLI(t, "eval", "--humaneval", heFixture, "--problem", "Mini/0", cand)
	if !errors.As(err, new(verdictError)) || exitStatus(err) != exitFailure {
		t.Fatalf("eval of a failing candidate: %v, want a verdict error", err)
	}
	for _, want := range []string{"status    failed", "passed    3/4", "first failure\nassert candidate(word) == 5"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	out, err = runCLI(t, "eval", "--json", "--mbpp", "../../datasets/testdata/generate/mbppplus-mini.jsonl", "--problem", "Mbpp/900", cand)
	if !errors.As(err, new(verdictError)) {
		t.Fatalf("eval --json of a failing candidate: %v, want a verdict error", err)
	}
	var v pyeval.Verdict
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Status != pyeval.Error || !strings.Contains(v.Detail, "defines no function circle_area") || v.Total != 4 {
		t.Errorf("verdict %+v", v)
	}
}
