package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/internal/bench"
)

// TestBenchParEval runs `lessonl bench pareval` on the PolyBench-style
// kernel of the adapter's fixture: the table shows the problem's own code
// correct as its candidate, and the summary compares the cost with the
// authors' driver (bench.TestParEval checks the figures on both suites).
func TestBenchParEval(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times a problem")
	}
	if _, err := os.Stat("/usr/bin/g++"); err != nil {
		t.Skip("g++ not installed")
	}
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	var out bytes.Buffer
	app := &cli.App{Name: "lessonl", Writer: &out, ErrWriter: testLog{t}, Commands: []*cli.Command{benchCommand()}}
	args := []string{"lessonl", "bench", "pareval", "--pareval", "../../datasets/testdata/pareval", "--reps", "6", "--suites", "polybench"}
	if err := app.Run(args); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	text := out.String()
	if !regexp.MustCompile(`polybench\s+axpby\s+correct\s+[0-9.]+x\s.*\sok\n`).MatchString(text) {
		t.Errorf("table output lacks the axpby row:\n%s", text)
	}
	for _, want := range []string{"1 of 1 problems' own code passes", "the 1 problems whose published code builds", "the authors' driver, measured on this kind of machine over 87 problems (not run here): median 72 s", "median ratio"} {
		if !strings.Contains(text, want) {
			t.Errorf("table output lacks %q:\n%s", want, text)
		}
	}
}

// TestBenchGenerationsMetrics checks the --metrics flag's wiring without
// evaluating anything: a metrics file that is not ParEval's fails before
// the first compile, with an error naming it.
func TestBenchGenerationsMetrics(t *testing.T) {
	bad := t.TempDir() + "/metrics.csv"
	if err := os.WriteFile(bad, []byte("model,pass@1\nGPT-3.5,0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	app := &cli.App{Name: "lessonl", Writer: &out, Commands: []*cli.Command{benchCommand()}}
	err := app.Run([]string{"lessonl", "bench", "generations", "--pareval", "../../datasets/testdata/pareval",
		"--generations", "../../internal/recorded/testdata/outputs.json", "--metrics", bad, "--verdict-only"})
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), `no column "execution model"`) {
		t.Errorf("error %v, want one naming %s and its missing column", err, bad)
	}
	if out.Len() > 0 {
		t.Errorf("printed %q before failing", out.String())
	}
}

// TestBenchThroughput runs `lessonl bench throughput` on one problem of
// the ParEval fixture, verdicts only: both variants' rows and their
// ratios are printed, and --calibrate writes a calibration plan can read.
func TestBenchThroughput(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs a problem")
	}
	if _, err := os.Stat("/usr/bin/g++"); err != nil {
		t.Skip("g++ not installed")
	}
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	cal := t.TempDir() + "/calibration.json"
	var out bytes.Buffer
	app := &cli.App{Name: "lessonl", Writer: &out, ErrWriter: testLog{t}, Commands: []*cli.Command{benchCommand()}}
	args := []string{"lessonl", "bench", "throughput", "--builtin=false", "--pareval", "../../datasets/testdata/pareval",
		"--problems", "1", "--verdict-only", "--calibrate", cal}
	if err := app.Run(args); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	text := out.String()
	for _, re := range []string{`(?m)^pareval\s+before\s+1\s`, `(?m)^pareval\s+now\s+1\s`, `(?m)^pareval\s+now/before\s+[0-9.]+×`,
		`pareval: 1 problem; built before: 1 problem \(1 checked\), 1 candidate \(1 checked\); now: 1 problem \(1 checked\), 1 candidate \(1 checked\); verdicts agree on 1 of 1`} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("output lacks %s:\n%s", re, text)
		}
	}
	c, err := bench.ReadCalibration(cal)
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode != "serial" || c.Suite != "pareval" || c.Evaluations != 1 || c.Phases[bench.PhaseCompile] <= 0 {
		t.Errorf("calibration %+v", c)
	}
}

// TestBenchGenerationsCategory judges only the categories --category names
// (the fixture's outputs are of reduce and stencil; --category stencil
// judges the two stencil outputs alone, verdicts only), and a category no
// problem has fails before the first compile, naming the ones there are.
func TestBenchGenerationsCategory(t *testing.T) {
	var out bytes.Buffer
	app := &cli.App{Name: "lessonl", Writer: &out, Commands: []*cli.Command{benchCommand()}}
	err := app.Run([]string{"lessonl", "bench", "generations", "--pareval", "../../datasets/testdata/pareval",
		"--generations", "../../internal/recorded/testdata/outputs.json", "--category", "stencil,graphs", "--verdict-only"})
	if err == nil || !strings.Contains(err.Error(), `--category "graphs"`) || !strings.Contains(err.Error(), "reduce, scan") {
		t.Errorf("error %v, want one naming graphs and the checkout's categories", err)
	}
	if out.Len() > 0 {
		t.Errorf("printed %q before failing", out.String())
	}
	if testing.Short() {
		t.Skip("compiles and runs two outputs")
	}
	if _, err := os.Stat("/usr/bin/g++"); err != nil {
		t.Skip("g++ not installed")
	}
	out.Reset()
	args := []string{"lessonl", "bench", "generations", "--pareval", "../../datasets/testdata/pareval",
		"--generations", "../../internal/recorded/testdata/outputs.json", "--category", "stencil", "--verdict-only", "--json"}
	if err := app.Run(args); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	var rep struct {
		Rows []struct {
			Problem string `json:"problem"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	if len(rep.Rows) != 2 {
		t.Fatalf("%d rows, want the 2 stencil outputs:\n%s", len(rep.Rows), out.String())
	}
	for _, r := range rep.Rows {
		if r.Problem != "50_stencil_border_xor" {
			t.Errorf("judged %s, which is no stencil problem", r.Problem)
		}
	}
}
