package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments"
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
			}, append(sourceFlags, evalFlags()...)...),
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
			Name:  "generations",
			Usage: "evaluate recorded model generations (ParEval's outputs or results files) and compare lessonl's verdicts with ParEval's",
			Flags: append([]cli.Flag{
				&cli.StringFlag{Name: "pareval", Required: true, Usage: "the ParEval-PolyBench-Code-Opt checkout"},
				&cli.StringFlag{Name: "generations", Required: true, Usage: "a ParEval outputs or results JSON file"},
				&cli.IntFlag{Name: "samples", Usage: "outputs per problem, the first ones", DefaultText: "all"},
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
				fmt.Printf("%d candidates by recorded agents, %d equal to a recorded output\n", rc.Candidates, rc.Matching)
				for _, m := range rc.Mismatches {
					fmt.Println("  not recorded:", m)
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
	all, err := loadProblems(c)
	if err != nil {
		return err
	}
	ps, err := selectProblems(all, c.Args().Slice())
	if err != nil {
		return err
	}
	if c.NArg() == 0 {
		ps = evaluate.SpreadCategories(ps, c.Int("problems"))
	}
	cfg := evalConfig(c)
	cfg.Fresh = true
	ev, err := evaluate.New(cfg)
	if err != nil {
		return err
	}
	defer ev.Close()
	rows, err := evaluate.Precision(c.Context, ev, ps, c.Int("runs"))
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return writeJSON(os.Stdout, rows)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROBLEM\tCATEGORY\tPOINT IN [0.97,1.03]\tCI COVERS 1.0\tMEDIAN CI WIDTH\tPOINT RANGE\tRUN-TO-RUN SD\tMEDIAN WALL/EVAL\tPROCESSES/EVAL")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%d/%d\t%.4f\t[%.3f, %.3f]\t%.4f\t%.1f s\t%.2f\n", r.ID, r.Category,
			r.PointsWithin, r.Runs, r.CIsCovering, r.Runs, r.MedianWidth, r.MinPoint, r.MaxPoint, r.RunToRunSD, r.MedianSeconds, r.MeanProcesses)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Printf("\ntargets: point in range ≥ 19/20, CI covers 1.0 ≥ 17/20, median CI width ≤ 0.06 (each problem)\n")
	fmt.Printf("intervals include a run-to-run SD of %g (--run-to-run); RUN-TO-RUN SD is what these runs measured\n", ev.Config().RunToRun)
	return nil
}

// parevalCost is what bench pareval reports: every problem's identity
// evaluation and the cost summaries beside the authors' driver's.
type parevalCost struct {
	Rows []parevalRow `json:"rows"`
	// Built is over the problems whose published code builds, the set the
	// authors' driver was measured on; All adds the ones lessonl fixes.
	Built   evaluate.CostSummary `json:"built"`
	All     evaluate.CostSummary `json:"all"`
	Authors datasets.DriverCost  `json:"authors"`
}

type parevalRow struct {
	Suite string `json:"suite"`
	// Builds is false for problems whose published code does not build
	// with their driver (fixed by lessonl; not in the authors' figures).
	Builds bool `json:"builds"`
	evaluate.CheckRow
}

func benchParEval(c *cli.Context) error {
	ev, err := newEvaluator(c)
	if err != nil {
		return err
	}
	defer ev.Close()
	w := c.App.Writer
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if !c.Bool("json") {
		fmt.Fprintln(tw, "SUITE\tPROBLEM\tSTATUS\tSPEEDUP\t95% CI\tBASELINE\tEVALUATION\tIDENTITY")
	}
	var res parevalCost
	var built, all []evaluate.CheckRow
	for _, suite := range c.StringSlice("suites") {
		ps, err := datasets.LoadParEval(datasets.ParEval{Root: c.String("pareval"), Suite: suite, Mode: c.String("mode")})
		if err != nil {
			return err
		}
		for _, p := range ps {
			rs, err := checkProblem(c, ev, p)
			if err != nil {
				return err
			}
			r := parevalRow{Suite: suite, Builds: !p.HasDefect(datasets.DefectOwnCodeBuild), CheckRow: rs[0]}
			res.Rows = append(res.Rows, r)
			all = append(all, r.CheckRow)
			if r.Builds {
				built = append(built, r.CheckRow)
			}
			if !c.Bool("json") {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%.1f s\t%s\n", suite, r.ID, r.Status, speedupText(r.Status, r.Speedup),
					ciText(r.Status, r.CILow, r.CIHigh), msText(r.Status, r.BaselineMS), float64(r.EvalMS)/1000, verdictText(r.CheckRow))
				tw.Flush()
			}
		}
	}
	res.Built, res.All, res.Authors = evaluate.SummarizeCost(built), evaluate.SummarizeCost(all), datasets.AuthorsDriverCost
	if c.Bool("json") {
		return writeJSON(w, res)
	}
	a := res.Authors
	ok := 0
	for _, r := range res.Rows {
		if r.OK {
			ok++
		}
	}
	fmt.Fprintf(w, "\n%d of %d problems' own code passes as its own candidate (correct, interval reaching 1.05 or below)\n", ok, len(res.Rows))
	fmt.Fprintf(w, "evaluation wall time, each problem's own code as its candidate:\n")
	fmt.Fprintf(w, "  lessonl, the %d problems whose published code builds: %s\n", len(built), costText(res.Built))
	fmt.Fprintf(w, "  lessonl, all %d (published code fixed where it does not build): %s\n", len(all), costText(res.All))
	fmt.Fprintf(w, "  the authors' driver, measured on this kind of machine over %d problems (not run here): median %.0f s, quartiles %.0f s and %.0f s, %d past its %.0f s limit, %d failing its own validation\n",
		a.Problems, a.MedianS, a.Q1S, a.Q3S, a.PastLimit, a.LimitS, a.FailedValidation)
	if res.Built.MedianS > 0 {
		fmt.Fprintf(w, "  median ratio, the authors' driver to lessonl: %.1f× (target: at least 5×)\n", a.MedianS/res.Built.MedianS)
	}
	return nil
}

func costText(s evaluate.CostSummary) string {
	return fmt.Sprintf("median %.1f s, quartiles %.1f s and %.1f s, max %.1f s; %d timed out, %d failed",
		s.MedianS, s.Q1S, s.Q3S, s.MaxS, s.Timeouts, s.Failed)
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
	var have []*datasets.Problem
	size := map[string]int{}
	for _, p := range ps {
		size[p.Category]++
		if len(g.Outputs(p.ID, mode)) > 0 {
			have = append(have, p)
		}
	}
	ev, err := evaluate.New(evalConfig(c))
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
