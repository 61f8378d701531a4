package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments"
	"github.com/lessonlab/lessonl/internal/bench"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/recorded"
)

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "measure lessonl itself",
		Subcommands: []*cli.Command{{
			Name:      "precision",
			Usage:     "evaluate baselines against themselves repeatedly: how close to 1.0, how honest the intervals",
			ArgsUsage: "[ID...]",
			Flags: append([]cli.Flag{
				&cli.IntFlag{Name: "runs", Value: 20, Usage: "evaluations per problem"},
				&cli.IntFlag{Name: "problems", Value: 4, Usage: "problems of distinct categories, when no IDs are given"},
				jsonFlag,
			}, append(sourceFlags(), evalFlags()...)...),
			Action: benchPrecision,
		}, {
			Name:  "pareval",
			Usage: "evaluate every problem's own code of a ParEval-PolyBench-Code-Opt checkout, both suites, and compare the evaluation cost with the authors' driver",
			Flags: append([]cli.Flag{
				&cli.StringFlag{Name: "pareval", Required: true, Usage: "the ParEval-PolyBench-Code-Opt checkout"},
				&cli.StringSliceFlag{Name: "suites", Value: cli.NewStringSlice(datasets.SuiteParEval, datasets.SuitePolyBench), Usage: "the suites to evaluate"},
				jsonFlag,
			}, evalFlags()...),
			Action: benchParEval,
		}, {
			Name: "throughput",
			Usage: "evaluations per hour and the time per phase (compile, checked build, validation, timing, queueing) on the built-in suite " +
				"and, with --pareval, on ParEval, beside the evaluator before issue 27 measured in the same run",
			Flags: append([]cli.Flag{
				&cli.IntFlag{Name: "problems", Value: 3, Usage: "problems of distinct categories per suite"},
				&cli.BoolFlag{Name: "builtin", Value: true, Usage: "measure on the built-in suite (each problem's own code and known solutions); --builtin=false with --pareval measures ParEval alone"},
				&cli.StringFlag{Name: "pareval", Usage: "also measure on this ParEval-PolyBench-Code-Opt checkout's ParEval problems (their own code)"},
				&cli.IntFlag{Name: "jobs", Value: 2, Usage: "evaluations at once now (before: one at a time)"},
				&cli.StringFlag{Name: "calibrate", Usage: "write the seconds per evaluation and per phase of now (ParEval's when measured) to this JSON file, for lessonl plan"},
				jsonFlag,
			}, evalFlags()...),
			Action: benchThroughput,
		}, {
			Name:  "generations",
			Usage: "evaluate recorded model generations (ParEval's outputs or results files) and compare lessonl's verdicts with ParEval's",
			Flags: append([]cli.Flag{
				&cli.StringFlag{Name: "pareval", Required: true, Usage: "the ParEval-PolyBench-Code-Opt checkout"},
				&cli.StringFlag{Name: "generations", Required: true, Usage: "a ParEval outputs or results JSON file"},
				&cli.IntFlag{Name: "samples", Usage: "outputs per problem, the first ones", DefaultText: "all"},
				&cli.StringSliceFlag{Name: "category", Usage: "judge only the problems of these categories (repeat the flag or separate by commas)", DefaultText: "all"},
				&cli.StringFlag{Name: "original", Usage: "a checkout of ParEval itself: problems whose validate() differs count as changed by LessonL"},
				&cli.StringFlag{Name: "metrics", Usage: "ParEval's metrics.csv for the file's model (results/<hash>/<model>/metrics.csv): print per-category build@1 and pass@1 beside it"},
				&cli.IntFlag{Name: "concurrency", Value: 2, Usage: "evaluations at once"},
				jsonFlag,
			}, evalFlags()...),
			Action: benchGenerations,
		}, {
			Name:      "recorded-run",
			Usage:     "check that every candidate a recorded agent wrote in a run folder is one of its recorded outputs",
			ArgsUsage: "RUN",
			Action: func(c *cli.Context) error {
				if c.NArg() != 1 {
					return fmt.Errorf("want one RUN folder")
				}
				rc, err := experiments.CheckRecordedRun(c.Args().First())
				if err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "%d candidates by recorded agents, %d equal to a recorded output\n", rc.Candidates, rc.Matching)
				for _, m := range rc.Mismatches {
					fmt.Fprintln(c.App.Writer, "  not recorded:", m)
				}
				if rc.Matching != rc.Candidates {
					return cli.Exit("bench recorded-run: some candidates are no recorded output", 1)
				}
				return nil
			},
		}},
	}
}

func benchPrecision(c *cli.Context) error {
	ps, err := loadSelected(c)
	if err != nil {
		return err
	}
	if c.NArg() == 0 {
		ps = evaluate.SpreadCategories(ps, c.Int("problems"))
	}
	cfg, err := evalConfig(c)
	if err != nil {
		return err
	}
	cfg.Fresh = true
	ev, err := newEvaluatorWith(c, cfg)
	if err != nil {
		return err
	}
	defer ev.Close()
	rows, err := evaluate.Precision(c.Context, ev, ps, c.Int("runs"))
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return writeJSON(c.App.Writer, rows)
	}
	return bench.WritePrecision(c.App.Writer, rows, ev.Config().RunToRun)
}

func benchParEval(c *cli.Context) error {
	ev, err := newEvaluator(c)
	if err != nil {
		return err
	}
	defer ev.Close()
	cfg := bench.ParEvalConfig{Root: c.String("pareval"), Mode: c.String("mode"), Suites: c.StringSlice("suites")}
	if c.Bool("json") {
		res, err := bench.ParEval(c.Context, ev, cfg, nil)
		if err != nil {
			return err
		}
		return writeJSON(c.App.Writer, res)
	}
	t := bench.NewParEvalTable(c.App.Writer)
	res, err := bench.ParEval(c.Context, ev, cfg, t.Row)
	if err != nil {
		return err
	}
	t.Summary(res)
	return nil
}

func benchGenerations(c *cli.Context) error {
	mode := c.String("mode")
	ps, err := datasets.LoadParEval(datasets.ParEval{Root: c.String("pareval"), Mode: mode})
	if err != nil {
		return err
	}
	g, err := recorded.Load(c.String("generations"))
	if err != nil {
		return err
	}
	var metrics *recorded.Metrics
	if path := c.String("metrics"); path != "" {
		if metrics, err = recorded.LoadMetrics(path, mode); err != nil {
			return err
		}
	}
	only, err := categoryFilter(c.StringSlice("category"), ps)
	if err != nil {
		return err
	}
	var have []*datasets.Problem
	size := map[string]int{}
	for _, p := range ps {
		size[p.Category]++
		if len(g.Outputs(p.ID, mode)) > 0 && (only == nil || only[p.Category]) {
			have = append(have, p)
		}
	}
	ev, err := newEvaluator(c)
	if err != nil {
		return err
	}
	defer ev.Close()
	rep, err := recorded.Bench(c.Context, ev, have, g, recorded.BenchConfig{Mode: mode, Samples: c.Int("samples"),
		Concurrency: c.Int("concurrency"), Original: c.String("original"), LessonLRoot: c.String("pareval"),
		Metrics: metrics, CategorySize: size})
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return writeJSON(c.App.Writer, rep)
	}
	recorded.WriteBench(c.App.Writer, rep)
	return nil
}

// categoryFilter is the set of categories names asks for (nil: all), each
// one that some problem of ps has.
func categoryFilter(names []string, ps []*datasets.Problem) (map[string]bool, error) {
	if len(names) == 0 {
		return nil, nil
	}
	known := map[string]bool{}
	for _, p := range ps {
		known[p.Category] = true
	}
	only := map[string]bool{}
	for _, n := range names {
		for _, name := range strings.Split(n, ",") {
			name = strings.TrimSpace(name)
			if !known[name] {
				var list []string
				for k := range known {
					list = append(list, k)
				}
				sort.Strings(list)
				return nil, fmt.Errorf("--category %q: no problem of that category (the checkout's are %s)", name, strings.Join(list, ", "))
			}
			only[name] = true
		}
	}
	return only, nil
}

func benchThroughput(c *cli.Context) error {
	builtin, err := datasets.Builtin()
	if err != nil {
		return err
	}
	cfg, err := evalConfig(c)
	if err != nil {
		return err
	}
	n := c.Int("problems")
	before, now := bench.BeforeAndNow(cfg, c.Int("jobs"))
	rep := &bench.ThroughputReport{Machine: bench.Machine(), Mode: string(now.Config.Mode)}
	var mu sync.Mutex
	progress := func(variant string, cand bench.Candidate, out evaluate.Outcome, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			fmt.Fprintf(c.App.ErrWriter, "%s: %s %s: %v\n", variant, cand.Problem.ID, cand.Name, err)
			return
		}
		fmt.Fprintf(c.App.ErrWriter, "%s: %s %s: %s in %.1f s\n", variant, cand.Problem.ID, cand.Name, out.Status,
			float64(out.CompileMS+out.RunMS)/1000)
	}
	if rep.Mode == "" {
		rep.Mode = string(evaluate.ModeSerial)
	}
	if c.Bool("builtin") {
		ps := evaluate.SpreadCategories(builtin, n)
		s, err := bench.Throughput(c.Context, "builtin", len(ps), bench.SuiteWorkload(ps), before, now, progress)
		if err != nil {
			return err
		}
		rep.Suites = append(rep.Suites, s)
	}
	if root := c.String("pareval"); root != "" {
		all, err := datasets.LoadParEval(datasets.ParEval{Root: root, Suite: datasets.SuiteParEval, Mode: c.String("mode")})
		if err != nil {
			return err
		}
		ps := evaluate.SpreadCategories(all, n)
		s, err := bench.Throughput(c.Context, datasets.SuiteParEval, len(ps), bench.OwnCodeWorkload(ps), before, now, progress)
		if err != nil {
			return err
		}
		rep.Suites = append(rep.Suites, s)
	}
	if len(rep.Suites) == 0 {
		return fmt.Errorf("bench throughput: nothing to measure (--builtin=false and no --pareval)")
	}
	if path := c.String("calibrate"); path != "" {
		last := rep.Suites[len(rep.Suites)-1]
		if err := bench.WriteCalibration(path, bench.Calibrate(rep.Machine, rep.Mode, last.Suite, last.Now)); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		return writeJSON(c.App.Writer, rep)
	}
	bench.WriteThroughput(c.App.Writer, rep)
	return nil
}
