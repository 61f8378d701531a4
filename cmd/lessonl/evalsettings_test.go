package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/internal/evaluate"
)

// TestEvalFlagsHelp: the help of every command that evaluates code lists
// the evaluator flags with the names, help and defaults they had before
// the evaluator settings became one type (issue 26).
func TestEvalFlagsHelp(t *testing.T) {
	var all bytes.Buffer
	for _, cmd := range [][]string{{"eval"}, {"datasets", "check"}, {"bench", "precision"}, {"bench", "pareval"},
		{"bench", "throughput"}, {"bench", "generations"}} {
		var out, errOut bytes.Buffer
		args := append(append([]string{"lessonl"}, cmd...), "--help")
		if st := run(context.Background(), &out, &errOut, args); st != 0 {
			t.Fatalf("%v: status %d: %s", args, st, errOut.String())
		}
		fmt.Fprintf(&all, "== lessonl %s --help\n%s", strings.Join(cmd, " "), out.String())
	}
	goldenFile(t, filepath.Join("testdata", "evalflags-help.stdout"), all.Bytes())
}

// TestEvalFlagsResolve: each set of evaluator flags resolves to the
// evaluator it did before the evaluator settings became one type (issue
// 26), except that values a spec's evaluation block refused (two timed
// pairs, a negative count, a run-to-run spread of 0.5) are refused as
// flags too, naming the flag.
func TestEvalFlagsResolve(t *testing.T) {
	var all bytes.Buffer
	for _, args := range [][]string{
		{},
		{"--reps", "5", "--timeout", "10s", "--memory-gib", "8"},
		{"--mode", "openmp", "--threads", "4", "--timing", "paper", "--run-to-run", "0.005"},
		{"--mode", "openmp", "--memory-gib", "2"},
		{"--compiler", "clang++", "--flags", "-O2  -march=native", "--verdict-only", "--no-checked-build", "--strict-validation"},
		{"--run-to-run", "-1", "--timeout", "0s"},
		{"--run-to-run", "0", "--reps", "0"},
		{"--mode", "gpu"},
		{"--reps", "2"},
		{"--run-to-run", "0.5", "--threads", "-1"},
	} {
		var cfg evaluate.Config
		app := &cli.App{Name: "t", Flags: evalFlags(), Writer: &bytes.Buffer{}, ErrWriter: &bytes.Buffer{},
			Action: func(c *cli.Context) (err error) { cfg, err = evalConfig(c); return err }}
		fmt.Fprintf(&all, "== %s\n", strings.Join(args, " "))
		if err := app.Run(append([]string{"t"}, args...)); err != nil {
			fmt.Fprintf(&all, "flag error: %v\n", err)
			continue
		}
		ev, err := evaluate.New(cfg)
		if err != nil {
			fmt.Fprintf(&all, "evaluator error: %v\n", err)
			continue
		}
		c := ev.Config()
		ev.Close()
		for _, f := range []struct {
			name string
			v    any
		}{
			{"compiler", c.Compiler}, {"flags", fmt.Sprintf("%q", c.Flags)}, {"mode", c.Mode}, {"threads", c.Threads},
			{"timing", c.Timing}, {"warmup", c.Warmup}, {"min_reps", c.MinReps}, {"max_reps", c.MaxReps},
			{"target_width", c.TargetWidth}, {"budget", c.Budget}, {"run_to_run", c.RunToRun}, {"slots", c.Slots},
			{"fresh", c.Fresh}, {"cache_dir", c.CacheDir}, {"no_checked_build", c.NoCheckedBuild}, {"checked_first", c.CheckedFirst},
			{"strict_validation", c.StrictValidation}, {"verdict_only", c.VerdictOnly},
			{"run_limits", fmt.Sprintf("%+v", c.RunLimits)}, {"compile_limits", fmt.Sprintf("%+v", c.CompileLimits)},
			{"busy_wait", c.BusyWait}, {"work_dir", c.WorkDir},
		} {
			fmt.Fprintf(&all, "  %s: %v\n", f.name, f.v)
		}
	}
	goldenFile(t, filepath.Join("testdata", "evalflags-resolve.stdout"), all.Bytes())
}
