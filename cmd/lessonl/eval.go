package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// evalFlags configure the evaluator wherever the CLI evaluates code.
func evalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "compiler", Value: "g++", Usage: "C++ compiler"},
		&cli.StringFlag{Name: "flags", Value: "-std=c++17 -O3", Usage: "compiler flags, space separated"},
		modeFlag(),
		&cli.IntFlag{Name: "threads", Usage: "OpenMP threads in openmp mode", DefaultText: "8"},
		&cli.IntFlag{Name: "reps", Usage: "a fixed number of timed pairs", DefaultText: "adaptive, 20 to 40"},
		&cli.DurationFlag{Name: "timeout", Value: 60 * time.Second, Usage: "wall-clock limit of each compile and each run phase"},
		&cli.IntFlag{Name: "memory-gib", Usage: "memory limit of a candidate's run in GiB (its control group and its address space)", DefaultText: "4"},
		&cli.StringFlag{Name: "timing", Value: evaluate.TimingPaired, Usage: "timing protocol: paired (lessonl's) or paper (the authors': 10 seeds × 11 calls per side, median of all)"},
		&cli.BoolFlag{Name: "verdict-only", Usage: "compile and validate only, no timing (a correct candidate gets no speedup)"},
		&cli.BoolFlag{Name: "no-checked-build", Usage: "skip the checked validation build (bounds checks, AddressSanitizer, UBSan)"},
		&cli.BoolFlag{Name: "strict-validation", Usage: "also compare the candidate's whole output with the baseline's where a benchmark's own validate() checks less (ParEval)"},
		&cli.BoolFlag{Name: "no-object-cache", Usage: "build every problem's driver and baseline anew instead of taking them from the object cache ($LESSONL_CACHE or ~/.cache/lessonl)"},
		&cli.Float64Flag{Name: "run-to-run", Value: evaluate.DefaultRunToRun, Usage: "relative standard deviation between fresh evaluations of identical code, added to every interval (bench precision measures it; negative: none)"},
	}
}

// evalConfig reads the evaluator flags.
func evalConfig(c *cli.Context) evaluate.Config {
	cfg := evaluate.Config{
		Compiler: c.String("compiler"),
		Flags:    strings.Fields(c.String("flags")),
		Mode:     evaluate.Mode(c.String("mode")),
		Threads:  c.Int("threads"),
		Timing:   c.String("timing"),
		RunToRun: c.Float64("run-to-run"),

		StrictValidation: c.Bool("strict-validation"),
		NoCheckedBuild:   c.Bool("no-checked-build"),
		VerdictOnly:      c.Bool("verdict-only"),
	}
	if n := c.Int("reps"); n > 0 {
		cfg.MinReps, cfg.MaxReps = n, n
	}
	cfg.SetLimits(c.Duration("timeout"), c.Int("memory-gib"))
	return cfg
}

func newEvaluator(c *cli.Context) (*evaluate.Evaluator, error) {
	return newEvaluatorWith(c, evalConfig(c))
}

// newEvaluatorWith is evaluate.New(cfg) sharing problems' objects with
// other runs (evaluate.Evaluator.ShareObjects) unless --no-object-cache
// says not to or the cache is off ($LESSONL_CACHE=off).
func newEvaluatorWith(c *cli.Context, cfg evaluate.Config) (*evaluate.Evaluator, error) {
	ev, err := evaluate.New(cfg)
	if err != nil {
		return nil, err
	}
	if c.Bool("no-object-cache") {
		ev.ShareObjects("")
	} else if cfg.CacheDir == "" {
		ev.ShareObjects(evaluate.ObjectDir(evaluate.DefaultCacheDir()))
	}
	return ev, nil
}

// modeFlag selects serial or OpenMP evaluation (and, for the paper's
// benchmarks, which problem sizes and prompt).
func modeFlag() cli.Flag {
	return &cli.StringFlag{Name: "mode", Value: "serial", Usage: "serial or openmp"}
}

func evalCommand() *cli.Command {
	return &cli.Command{
		Name:      "eval",
		Usage:     "evaluate one candidate file: a C++ rewrite against its problem's baseline, or a Python program (--humaneval, --mbpp, --pysuite) on its hidden tests",
		ArgsUsage: "FILE",
		Description: "Exit status, as a test runner's: 0 only when the verdict is correct (C++) or passed\n" +
			"(Python); 1 for any other verdict (not_compilable, incorrect, runtime_error, timeout, failed,\n" +
			"...) or when the evaluation itself fails; 2 for a usage error (no FILE, an unknown flag,\n" +
			"no --problem).",
		Flags: append(append([]cli.Flag{
			&cli.StringFlag{Name: "problem", Required: true, Usage: "problem ID"},
			jsonFlag,
			&cli.BoolFlag{Name: "no-cache", Usage: "evaluate anew, without the shared evaluation cache ($LESSONL_CACHE or ~/.cache/lessonl)"},
		}, sourceFlags...), append(evalFlags(), genFlags...)...),
		Action: func(c *cli.Context) error {
			w := c.App.Writer
			if c.NArg() != 1 {
				return usageErr("eval: want one candidate FILE")
			}
			code, err := os.ReadFile(c.Args().First())
			if err != nil {
				return fmt.Errorf("eval: %w", err)
			}
			if isGenerate(c) {
				return genEval(c, code)
			}
			ps, err := loadProblems(c)
			if err != nil {
				return err
			}
			p, err := datasets.Find(ps, c.String("problem"))
			if err != nil {
				return err
			}
			cfg := evalConfig(c)
			if !c.Bool("no-cache") {
				cfg.CacheDir = evaluate.DefaultCacheDir()
			}
			ev, err := newEvaluatorWith(c, cfg)
			if err != nil {
				return err
			}
			defer ev.Close()
			// A later run that reuses this verdict names `lessonl eval` as
			// where it was measured.
			out, err := ev.Evaluate(evaluate.WithOrigin(c.Context, "eval", ""), p, string(code))
			if err != nil {
				return fmt.Errorf("eval %s: %w", p.ID, err)
			}
			if c.Bool("json") {
				if err := writeJSON(w, out); err != nil {
					return err
				}
				return verdict(string(out.Status), out.Status == evaluate.Correct)
			}
			fmt.Fprintf(w, "status    %s\n", out.Status)
			if out.Status == evaluate.Correct {
				fmt.Fprintf(w, "speedup   %.3fx  95%% CI [%.3f, %.3f]  (%d pairs)\n", out.Speedup, out.CILow, out.CIHigh, len(out.BaselineReps))
				fmt.Fprintf(w, "baseline  %.3f ms   candidate %.3f ms  (medians)\n", out.BaselineNS/1e6, out.CandidateNS/1e6)
			}
			fmt.Fprintf(w, "compile   %d ms   run %d ms\n", out.CompileMS, out.RunMS)
			if out.CacheHit == evaluate.HitStore {
				fmt.Fprintf(w, "cached    reused from the evaluation cache, measured by %s (--no-cache measures anew)\n", origin(out.Origin))
			}
			if out.Detail != "" {
				fmt.Fprintf(w, "detail\n%s\n", out.Detail)
			}
			return verdict(string(out.Status), out.Status == evaluate.Correct)
		},
	}
}

// verdict is eval's result as an error: nil for a pass, a verdictError
// (exit status 1) for any other verdict.
func verdict(status string, pass bool) error {
	if pass {
		return nil
	}
	return verdictError{status}
}

// origin names where a reused outcome was measured.
func origin(o evaluate.Origin) string {
	switch {
	case o.Run == "eval":
		return "lessonl eval"
	case o.Run == "":
		return "an evaluation that named no run"
	case o.Cell == "":
		return "run " + o.Run
	}
	return "run " + o.Run + ", cell " + o.Cell
}
