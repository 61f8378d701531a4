package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/internal/record"
)

// writeRun records a run of spec name: strategies single and lessonl on
// four problems, two seeds, lessonl's speedups times factor.
func writeRun(t *testing.T, dir, name, hash string, factor float64, seeds ...int64) {
	t.Helper()
	w, err := record.NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := record.WriteManifest(dir, &record.Manifest{SchemaVersion: record.SchemaVersion, RunID: record.RunID(name, hash),
		Name: name, SpecHash: hash, Spec: []byte(fmt.Sprintf(`{"name":%q}`, name)), Started: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"single", "lessonl"} {
		for p := 0; p < 4; p++ {
			for _, seed := range seeds {
				sp := 1.5 + 0.2*float64(p) + 0.05*float64(seed)
				if s == "lessonl" {
					sp *= factor
				}
				problem := fmt.Sprintf("p%d", p)
				b := &record.Batch{Key: record.Key(s, "", problem, seed)}
				b.Results = []record.Result{{Strategy: s, Kind: s, ProblemID: problem, Category: "sort", Seed: seed,
					Speedup: sp, Correct: true, Compiled: true, Status: "correct"}}
				b.Cells = []record.Cell{{Strategy: s, ProblemID: problem, Category: "sort", Seed: seed, Status: "done"}}
				if err := w.Write(b); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// testApp is the CLI with the analysis commands.
func testApp() *cli.App {
	return &cli.App{Name: "lessonl", Commands: []*cli.Command{analyzeCommand(), compareCommand()}}
}

// runLessonl runs the CLI with args and returns what it printed on
// stdout; what it printed on stderr goes to the test's log.
func runLessonl(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	app := testApp()
	app.Writer, app.ErrWriter = &out, testLog{t}
	if err := app.Run(append([]string{"lessonl"}, args...)); err != nil {
		t.Fatalf("lessonl %v: %v\n%s", args, err, out.String())
	}
	return out.String()
}

// TestAnalyzeAndCompareTwoRuns: analyze A B on runs of different specs
// shows both, labelled; compare A B prints old, new, Δ and ~ rows; and
// shards of one spec read as one run.
func TestAnalyzeAndCompareTwoRuns(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	writeRun(t, a, "before", "aaaaaaaaaaaa", 1, 1, 2)
	writeRun(t, b, "after", "bbbbbbbbbbbb", 2, 1, 2)

	out := runLessonl(t, "analyze", "--resamples", "200", a, b)
	for _, want := range []string{"run=after", "run=before"} {
		if !strings.Contains(out, want) {
			t.Errorf("analyze A B lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "lessonl"); n != 2 {
		t.Errorf("analyze A B shows lessonl %d times, want once per run:\n%s", n, out)
	}

	out = runLessonl(t, "compare", "--resamples", "200", a, b)
	var lessonl, single string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "lessonl "):
			lessonl = l
		case strings.HasPrefix(l, "single "):
			single = l
		}
	}
	if !strings.Contains(out, "OLD: "+a) || !strings.Contains(out, "NEW: "+b) {
		t.Errorf("compare lacks the OLD and NEW headings:\n%s", out)
	}
	if !strings.Contains(lessonl, "+100.0%") || !strings.Contains(lessonl, "wilcoxon, 8 pairs") {
		t.Errorf("lessonl doubled: row %q", lessonl)
	}
	if !strings.Contains(single, "~") {
		t.Errorf("single unchanged: row %q, want ~", single)
	}

	// The same spec in two folders with no cell in common: shards of one
	// run, one row per strategy, no run key.
	c, d := filepath.Join(root, "c"), filepath.Join(root, "d")
	writeRun(t, c, "before", "aaaaaaaaaaaa", 1, 1)
	writeRun(t, d, "before", "aaaaaaaaaaaa", 1, 2)
	out = runLessonl(t, "analyze", "--resamples", "200", c, d)
	if strings.Contains(out, "run=") || strings.Count(out, "lessonl") != 1 {
		t.Errorf("shards of one spec must read as one run:\n%s", out)
	}
	// The same spec twice with the same cells: two runs, kept apart (c
	// has one seed to a's two: unequal n, read on purpose).
	out = runLessonl(t, "analyze", "--resamples", "200", "--allow-partial", a, c)
	if !strings.Contains(out, "run=a") || !strings.Contains(out, "run=c") {
		t.Errorf("a rerun of one spec must be kept apart, labelled by folder:\n%s", out)
	}
}
