package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/experiments"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

func specCommand() *cli.Command {
	return &cli.Command{
		Name:  "spec",
		Usage: "work with experiment specs",
		Subcommands: []*cli.Command{{
			Name:      "validate",
			Usage:     "check a spec without running anything; --check also asks every agent's endpoint",
			ArgsUsage: "SPEC",
			Flags: []cli.Flag{
				&cli.BoolFlag{Name: "check", Usage: "also check every endpoint: its /models lists each agent's model and a 1-token chat answers"},
			},
			Action: func(c *cli.Context) error {
				w := c.App.Writer
				s, err := loadSpec(c)
				if err != nil {
					return err
				}
				ps, err := s.Problems()
				if err != nil {
					return err
				}
				if err := s.CheckGenerations(ps); err != nil {
					return fmt.Errorf("%s: %w", c.Args().First(), err)
				}
				if c.Bool("check") {
					if err := experiments.Preflight(c.Context, s, experiments.Recordings); err != nil {
						return err
					}
				}
				fmt.Fprintf(w, "%s: ok — %d agents, %d strategies, %d problems, %d seeds, %d cells\n",
					c.Args().First(), len(s.Agents), len(s.Strategies), len(ps), len(s.Seeds), len(s.Cells(ps)))
				return nil
			},
		}},
	}
}

func loadSpec(c *cli.Context) (*spec.Spec, error) {
	if c.NArg() != 1 {
		return nil, usageError{fmt.Errorf("want one SPEC file")}
	}
	s, _, err := spec.Load(c.Args().First())
	return s, err
}

func planCommand() *cli.Command {
	return &cli.Command{
		Name:      "plan",
		Usage:     "show the cells a spec expands to and the LLM calls and evaluations it will take, without running",
		ArgsUsage: "SPEC",
		Description: "Takes run's overrides (--problems, --limit, --seeds, --strategies), so it costs the run you are\n" +
			"about to start. LessonL's tokens follow its rounds, k and agents (each round's prompts show\n" +
			"min(k, lessons banked) lessons); other kinds' are calls × a typical call.",
		Flags: []cli.Flag{jsonFlag,
			&cli.StringFlag{Name: "from", Usage: "estimate tokens and evaluation hours from the measurements of a previous run folder", DefaultText: "none: tokens from code sizes, no hours"},
			&cli.StringFlag{Name: "calibration", Usage: "estimate evaluation hours from a calibration file (lessonl bench throughput --calibrate writes it)", DefaultText: "calibration.json in $LESSONL_CACHE or ~/.cache/lessonl, when there"},
			&cli.IntFlag{Name: "nodes", Usage: "also give the evaluations' wall time on N Slurm nodes (shards as lessonl slurm makes them)", DefaultText: "none"},
			&cli.StringFlag{Name: "problems", Usage: "only these problem IDs, comma-separated", DefaultText: "the spec's"},
			&cli.IntFlag{Name: "limit", Usage: "at most N problems", DefaultText: "the spec's"},
			&cli.StringFlag{Name: "seeds", Usage: "only these seeds, e.g. 1,2", DefaultText: "the spec's"},
			&cli.StringFlag{Name: "strategies", Usage: "only these strategies (by name), comma-separated", DefaultText: "the spec's"},
		},
		Action: func(c *cli.Context) error {
			w := c.App.Writer
			s, err := loadSpec(c)
			if err != nil {
				return err
			}
			ov, err := overrides(c)
			if err != nil {
				return usageError{err}
			}
			if err := s.Apply(ov); err != nil {
				return err
			}
			ps, err := s.Problems()
			if err != nil {
				return err
			}
			plan := experiments.MakePlan(s, ps)
			h, err := planRate(c, s, &plan)
			if err != nil {
				return err
			}
			if h != nil {
				experiments.Costs(s, &plan, ps, h)
				if n := c.Int("nodes"); n > 0 {
					plan.Nodes, plan.NodeHours = n, experiments.NodeHours(s, plan, h, n)
				}
			}
			if c.Bool("json") {
				return writeJSON(w, plan)
			}
			if err := experiments.WritePlan(w, plan, h != nil); err != nil {
				return err
			}
			cats := map[string]bool{}
			for _, p := range ps {
				cats[p.Category] = true
			}
			fmt.Fprintf(w, "%d problems of %d categories\n", len(ps), len(cats))
			return nil
		},
	}
}

func slurmCommand() *cli.Command {
	return &cli.Command{
		Name:      "slurm",
		Usage:     "write a launcher (run it with bash) that submits a spec's shards as a Slurm job array, then a finalizing job",
		ArgsUsage: "SPEC",
		Flags: []cli.Flag{
			required(&cli.IntFlag{Name: "shards", Required: true, Usage: "number of shards (array tasks), required"}),
			&cli.StringFlag{Name: "partition", Usage: "Slurm partition", DefaultText: "the cluster's own"},
			&cli.StringFlag{Name: "time", Usage: "time limit per task, e.g. 04:00:00", DefaultText: "the partition's limit"},
			&cli.IntFlag{Name: "cpus", Value: 2, Usage: "CPUs per task"},
			&cli.StringFlag{Name: "out", Usage: "run folder", DefaultText: "the spec's output, results/NAME"},
			&cli.StringFlag{Name: "script", Usage: "write the script to this file", DefaultText: "standard output"},
		},
		Action: func(c *cli.Context) error {
			w := c.App.Writer
			s, err := loadSpec(c)
			if err != nil {
				return err
			}
			out := c.String("out")
			if out == "" {
				out = s.Output
			}
			abs := func(p string) string {
				if a, err := filepath.Abs(p); err == nil {
					return a
				}
				return p
			}
			self, _ := os.Executable()
			opts := experiments.SlurmOptions{Spec: abs(c.Args().First()), Out: abs(out), Shards: c.Int("shards"),
				Partition: c.String("partition"), Time: c.String("time"), CPUs: c.Int("cpus"), Binary: self}
			if p := c.String("script"); p != "" {
				f, err := os.Create(p)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			return experiments.WriteSlurm(w, s.Name, opts)
		},
	}
}

// planRate is where plan's evaluation hours come from: a previous run
// (--from), a calibration file (--calibration, else the default one when
// it exists), or nowhere (nil). It sets plan.Rate.
func planRate(c *cli.Context, s *spec.Spec, plan *experiments.Plan) (*experiments.History, error) {
	if from := c.String("from"); from != "" {
		h, err := experiments.ReadHistory(from)
		if err != nil {
			return nil, err
		}
		plan.Rate = fmt.Sprintf("%.1f s per evaluation (run %s)", h.EvalSeconds[""], from)
		return h, nil
	}
	path := c.String("calibration")
	if path == "" {
		path = experiments.CalibrationPath()
		if _, err := os.Stat(path); path == "" || err != nil {
			return nil, nil
		}
	}
	cal, err := experiments.ReadCalibration(path)
	if err != nil {
		return nil, err
	}
	plan.Rate = fmt.Sprintf("%s (calibration %s)", cal, path)
	if cal.Machine != "" && cal.Machine != evaluate.Machine() {
		plan.Rate += "; measured on another machine: " + cal.Machine
	}
	if mode := s.Evaluation.Mode; cal.Mode != "" && mode != "" && cal.Mode != mode {
		plan.Rate += fmt.Sprintf("; calibrated in %s mode, the spec runs %s", cal.Mode, mode)
	}
	return cal.History(path), nil
}
