package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/golden"
)

// goldenCase is one command line whose whole output is golden:
// testdata/NAME.stdout, and testdata/NAME.stderr when the command writes
// to stderr.
type goldenCase struct {
	name string
	// args follow "lessonl"; they run in a folder of the test's that holds
	// the run folders, and REPO in an argument is the repository's root.
	args   []string
	status int // the exit status
	// needs names a program the command runs (g++, python3): the case is
	// skipped without it, and under -short.
	needs string
	// vary are patterns of the output that change from run to run (wall
	// times, the Go version), each replaced by a placeholder.
	vary []varying
	// noStderr leaves stderr out of the comparison (progress lines).
	noStderr bool
}

type varying struct {
	re   *regexp.Regexp
	with string
}

var (
	wallMS = varying{regexp.MustCompile(`(\s)\d+ ms\b`), "${1}N ms"}
	// checkWall is datasets check's WALL column, whose width follows the
	// times in it.
	checkWall = varying{regexp.MustCompile(`(WALL|\d+ ms) +`), "WALL  "}
	wallS     = varying{regexp.MustCompile(`\b\d+\.\d s wall\b`), "N s wall"}
	runWall   = varying{regexp.MustCompile(`failed, in \d+(m\d+)?s\n`), "failed, in WALL\n"}
	goVersion = varying{regexp.MustCompile(`go1\.\d+(\.\d+)?`), "GOVERSION"}
	// jsonWall is a JSON field of mean cell wall times.
	jsonWall = varying{regexp.MustCompile(`"wall_ms": [0-9.e+-]+`), `"wall_ms": N`}
)

// The cases run in order: the later ones read the run folders the setup
// and the run case write (a, b, ..., gen). Each is one command a user types, run through
// run (main's whole path: flags after arguments, exit statuses, errors on
// stderr) with buffers for stdout and stderr.
var goldenCases = []goldenCase{
	{name: "version", args: []string{"version"}, vary: []varying{goVersion}},
	{name: "help", args: []string{"--help"}, vary: []varying{goVersion}},
	{name: "completion-bash", args: []string{"completion", "bash"}},
	{name: "completion-unknown", args: []string{"completion", "tcsh"}, status: exitFailure},
	{name: "datasets-list", args: []string{"datasets", "list"}},
	{name: "datasets-list-pysuite", args: []string{"datasets", "list", "--pysuite"}},
	{name: "datasets-list-dir-json", args: []string{"datasets", "list", "--dir", "REPO/experiments/testdata/mini", "--json"}},
	{name: "datasets-show", args: []string{"datasets", "show", "sort-insertion"}},
	{name: "datasets-show-humaneval", args: []string{"datasets", "show", "Mini/1", "--humaneval", "REPO/datasets/testdata/generate/humaneval-mini.jsonl"}},
	{name: "datasets-check-pysuite", args: []string{"datasets", "check", "--pysuite", "--jobs", "2", "chunk", "roman"}, needs: "python3", vary: []varying{checkWall, wallS}},
	{name: "datasets-check-mismatch", args: []string{"datasets", "check", "--humaneval", "REPO/datasets/testdata/generate/humaneval-mini.jsonl", "--solutions", "claims.jsonl", "--jobs", "1"},
		status: exitFailure, needs: "python3", vary: []varying{checkWall, wallS}},
	{name: "spec-validate", args: []string{"spec", "validate", "REPO/experiments/specs/quickstart.yaml"}},
	{name: "plan", args: []string{"plan", "REPO/experiments/specs/quickstart.yaml"}},
	{name: "plan-calibration", args: []string{"plan", "REPO/experiments/specs/ablation-k-selection.yaml", "--calibration", "REPO/cmd/lessonl/testdata/calibration.json", "--nodes", "4"}},
	{name: "plan-overrides", args: []string{"plan", "REPO/experiments/specs/quickstart-generate.yaml", "--limit", "2", "--seeds", "1", "--strategies", "single,lessonl"}},
	{name: "slurm", args: []string{"slurm", "REPO/experiments/specs/quickstart.yaml", "--shards", "4", "--out", "slurm-run"}},
	{name: "eval-verdict-only", args: []string{"eval", "--verdict-only", "--no-checked-build", "--problem", "sort-insertion", "good.cpp"}, needs: "g++", vary: []varying{wallMS}},
	{name: "eval-pysuite", args: []string{"eval", "--humaneval", "REPO/datasets/testdata/generate/humaneval-mini.jsonl", "--problem", "Mini/0", "vowels.py"}, status: exitFailure, needs: "python3", vary: []varying{wallMS}},
	{name: "eval-no-file", args: []string{"eval", "--problem", "sort-insertion"}, status: exitUsage},
	{name: "run-generate", args: []string{"run", "REPO/experiments/specs/quickstart-generate.yaml", "--out", "gen", "--limit", "2", "--seeds", "1,2", "--strategies", "single,lessonl", "--plain"},
		needs: "python3", vary: []varying{runWall}, noStderr: true},
	{name: "rerun-reuse", args: []string{"rerun", "gen", "--out", "regen", "--reuse-measurements", "--plain"},
		needs: "python3", vary: []varying{runWall}, noStderr: true},
	{name: "analyze", args: []string{"analyze", "--resamples", "200", "a"}},
	{name: "analyze-two-runs-categories", args: []string{"analyze", "--resamples", "200", "--categories", "a", "b"}},
	{name: "analyze-generate", args: []string{"analyze", "--resamples", "200", "gen"}, needs: "python3"},
	{name: "analyze-generate-json", args: []string{"analyze", "--resamples", "200", "--json", "gen"}, needs: "python3", vary: []varying{jsonWall}},
	{name: "analyze-no-run", args: []string{"analyze"}, status: exitFailure},
	{name: "compare", args: []string{"compare", "--resamples", "200", "a", "b"}},
	{name: "compare-reference", args: []string{"compare", "--resamples", "200", "--reference", "single", "b"}},
	{name: "compare-reference-generate", args: []string{"compare", "--resamples", "200", "--reference", "single", "gen"}, needs: "python3"},
	{name: "compare-group-by-run", args: []string{"compare", "--resamples", "200", "--group-by", "run", "a", "b"}},
	{name: "compare-partial", args: []string{"compare", "--resamples", "200", "a", "part"}, status: exitFailure},
	{name: "report", args: []string{"report", "--resamples", "200", "--out", "report", "a"}},
	{name: "report-generate", args: []string{"report", "--resamples", "200", "--out", "gen-report", "gen"}, needs: "python3"},
	{name: "plot", args: []string{"plot", "--resamples", "200", "--out", "plots", "a"}},
	{name: "export", args: []string{"export", "--out", "export", "a"}},
	{name: "export-no-run", args: []string{"export"}, status: exitUsage},
	{name: "check", args: []string{"check", "a"}},
	{name: "merge", args: []string{"merge", "merged", "c", "d"}},
	{name: "bench-recorded-run", args: []string{"bench", "recorded-run", "a"}},
}

// TestGolden runs every command that runs cheaply offline and compares
// its whole output with testdata/NAME.stdout and NAME.stderr (go test
// -update rewrites them).
func TestGolden(t *testing.T) {
	// The build's identity, as the Makefile stamps it.
	defer func(v, r, m string) { version, revision, modified = v, r, m }(version, revision, modified)
	version, revision, modified = "v1.2.3-test", "0123456789abcdef0123456789abcdef01234567", "false"
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())

	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	setupGolden(t, root)
	// Relative paths keep the tables' widths the same whatever the
	// temporary folder's name.
	t.Chdir(root)
	self, _ := os.Executable()
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.needs != "" {
				if _, err := exec.LookPath(tc.needs); err != nil {
					t.Skipf("no %s", tc.needs)
				}
				if testing.Short() {
					t.Skipf("runs %s (-short)", tc.needs)
				}
			}
			args := []string{"lessonl"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "REPO", repo))
			}
			var stdout, stderr bytes.Buffer
			status := run(context.Background(), &stdout, &stderr, args)
			clean := func(b *bytes.Buffer) []byte {
				s := strings.ReplaceAll(b.String(), root, "ROOT")
				s = strings.ReplaceAll(s, self, "LESSONL")
				s = strings.ReplaceAll(s, repo, "REPO")
				for _, v := range tc.vary {
					s = v.re.ReplaceAllString(s, v.with)
				}
				return []byte(s)
			}
			if status != tc.status {
				t.Errorf("exit status %d, want %d; stderr:\n%s", status, tc.status, stderr.String())
			}
			goldenFile(t, filepath.Join(testdata, tc.name+".stdout"), clean(&stdout))
			if tc.noStderr {
				t.Logf("stderr:\n%s", stderr.String())
				return
			}
			goldenFile(t, filepath.Join(testdata, tc.name+".stderr"), clean(&stderr))
		})
	}
}

// setupGolden writes the run folders and candidates the cases read: a
// and b, runs of two specs where lessonl doubles its speedups in b; c and
// d, two shards of one spec; part, an interrupted run.
func setupGolden(t *testing.T, root string) {
	t.Helper()
	writeRun(t, filepath.Join(root, "a"), "before", "aaaaaaaaaaaa", 1, 1, 2)
	writeRun(t, filepath.Join(root, "b"), "after", "bbbbbbbbbbbb", 2, 1, 2)
	writeRun(t, filepath.Join(root, "c"), "sharded", "cccccccccccc", 1, 1)
	writeRun(t, filepath.Join(root, "d"), "sharded", "cccccccccccc", 1, 2)
	writeRun(t, filepath.Join(root, "part"), "trial", "pppppppppppp", 1, 1, 2)
	interrupt(t, filepath.Join(root, "part"), 24)
	p := builtinProblem(t, "sort-insertion")
	for name, code := range map[string]string{
		"good.cpp":  p.BaselineCode,
		"vowels.py": "def count_vowels(s):\n    return sum(c in 'aeiou' for c in s)\n",
		// A known solution that claims to pass and does not: a mismatch.
		"claims.jsonl": `{"task_id": "Mini/0", "name": "claims-to-pass", "pass": true, "completion": "    return 0\n"}` + "\n",
	} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// goldenFile compares got with the file at path; an empty output matches
// a missing file, and -update writes or removes the file.
func goldenFile(t *testing.T, path string, got []byte) {
	t.Helper()
	if *golden.Update {
		if len(got) == 0 {
			os.Remove(path)
		} else if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -run TestGolden -update rewrites it); got:\n%s", path, got)
	}
}

// TestRunInterrupted: a command whose context ends (Ctrl-C) says so on
// stderr and exits 130.
func TestRunInterrupted(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	status := run(ctx, &stdout, &stderr, []string{"lessonl", "datasets", "check", "--pysuite", "chunk"})
	if status != exitInterrupted || stderr.String() != "lessonl: interrupted\n" {
		t.Errorf("exit status %d, stderr %q; want %d and the interruption said", status, stderr.String(), exitInterrupted)
	}
}

// builtinProblem is the built-in problem id.
func builtinProblem(t *testing.T, id string) *datasets.Problem {
	t.Helper()
	ps, err := datasets.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p, err := datasets.Find(ps, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
