package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// evalFlags are the evaluator's settings as flags, wherever the CLI
// evaluates code: one flag per setting evaluate.Settings gives a flag.
func evalFlags() []cli.Flag {
	var fs []cli.Flag
	for _, s := range evaluate.Settings() {
		if s.Flag != "" {
			fs = append(fs, settingFlag(s))
		}
	}
	return append(fs, &cli.BoolFlag{Name: "no-object-cache", Usage: "build every problem's driver and baseline anew instead of taking them from the object cache ($LESSONL_CACHE or ~/.cache/lessonl)"})
}

// settingFlag is an evaluator setting's flag, its default the setting's
// in evaluate.Defaults: the value of a text, number or duration flag, the
// help's text of a whole-number flag, which stays 0 when not set (the
// Python evaluator reads --memory-gib so, and keeps its own default).
func settingFlag(s evaluate.Setting) cli.Flag {
	d := evaluate.Defaults()
	switch v := s.Field(&d).(type) {
	case *string:
		return &cli.StringFlag{Name: s.Flag, Value: *v, Usage: s.Usage}
	case *[]string:
		return &cli.StringFlag{Name: s.Flag, Value: strings.Join(*v, " "), Usage: s.Usage}
	case *int:
		shown := s.Shown
		if shown == "" {
			shown = strconv.Itoa(*v)
		}
		return &cli.IntFlag{Name: s.Flag, Usage: s.Usage, DefaultText: shown}
	case *float64:
		return &cli.Float64Flag{Name: s.Flag, Value: *v, Usage: s.Usage}
	case *bool:
		return &cli.BoolFlag{Name: s.Flag, Usage: s.Usage}
	case *evaluate.Duration:
		return &cli.DurationFlag{Name: s.Flag, Value: time.Duration(*v), Usage: s.Usage}
	}
	panic(fmt.Sprintf("evaluator setting %s: no flag for a field of type %T", s.Flag, s.Field(&d)))
}

// evalConfig reads the evaluator flags into the settings they name; a
// flag not given leaves its setting zero, which the evaluator reads as
// the default. A value the evaluator refuses is a usage error naming its
// flag.
func evalConfig(c *cli.Context) (evaluate.Config, error) {
	var cfg evaluate.Config
	flags := map[string]string{}
	for _, s := range evaluate.Settings() {
		flags[s.Key] = s.Flag
		if s.Flag == "" || !c.IsSet(s.Flag) {
			continue
		}
		switch v := s.Field(&cfg).(type) {
		case *string:
			*v = c.String(s.Flag)
		case *[]string:
			*v = strings.Fields(c.String(s.Flag))
		case *int:
			*v = c.Int(s.Flag)
		case *float64:
			*v = c.Float64(s.Flag)
		case *bool:
			*v = c.Bool(s.Flag)
		case *evaluate.Duration:
			*v = evaluate.Duration(c.Duration(s.Flag))
		}
	}
	if err := cfg.Check(); err != nil {
		var msgs []string
		for _, se := range err.(evaluate.SettingErrors) {
			msgs = append(msgs, "--"+flags[se.Key]+": "+se.Msg)
		}
		return cfg, usageErr("%s", strings.Join(msgs, "; "))
	}
	return cfg, nil
}

func newEvaluator(c *cli.Context) (*evaluate.Evaluator, error) {
	cfg, err := evalConfig(c)
	if err != nil {
		return nil, err
	}
	return newEvaluatorWith(c, cfg)
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
// benchmarks, which problem sizes and prompt): the evaluator's mode
// setting, for commands that take no other evaluator flag.
func modeFlag() cli.Flag {
	for _, s := range evaluate.Settings() {
		if s.Key == "mode" {
			return settingFlag(s)
		}
	}
	panic("evaluator settings: no mode")
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
		}, sourceFlags()...), append(evalFlags(), genFlags()...)...),
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
			ps, err := loadCxxProblems(c)
			if err != nil {
				return err
			}
			p, err := datasets.Find(ps, c.String("problem"))
			if err != nil {
				return err
			}
			cfg, err := evalConfig(c)
			if err != nil {
				return err
			}
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
