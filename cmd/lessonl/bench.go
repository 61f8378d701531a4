package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/internal/evaluate"
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
	fmt.Fprintln(tw, "PROBLEM\tCATEGORY\tPOINT IN [0.97,1.03]\tCI COVERS 1.0\tMEDIAN CI WIDTH\tPOINT RANGE\tMEDIAN WALL/EVAL")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%d/%d\t%.4f\t[%.3f, %.3f]\t%.1f s\n", r.ID, r.Category,
			r.PointsWithin, r.Runs, r.CIsCovering, r.Runs, r.MedianWidth, r.MinPoint, r.MaxPoint, r.MedianSeconds)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Printf("\ntargets: point in range ≥ 19/20, CI covers 1.0 ≥ 17/20, median CI width ≤ 0.06 (each problem)\n")
	return nil
}
