package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/internal/record"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Aliases:   []string{"fsck"},
		Usage:     "read every part of a run folder and report damaged ones; --repair moves them aside for run --resume",
		ArgsUsage: "RUN",
		Description: "Reads every Parquet part of every table and reports, with its cell, each part that cannot be\n" +
			"read (cut short by a full disk or a copy, say) or that disagrees with the rest. With --repair\n" +
			"every part of those cells moves to RUN/damaged/, so that `lessonl run --resume` (or `rerun\n" +
			"--resume`) redoes exactly those cells. Exit status 1 when damage remains.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "repair", Usage: "move the damaged cells' parts into RUN/damaged/"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErr("check: want one RUN folder")
			}
			run := c.Args().First()
			rep, err := record.Check(run)
			if err != nil {
				return err
			}
			w := c.App.Writer
			fmt.Fprintf(w, "%s: %d parts, %d rows read\n", run, rep.Parts, rep.Rows)
			if st, err := record.RunState(run); err == nil {
				fmt.Fprintf(w, "state: %s\n", st)
			}
			if len(rep.Faults) == 0 {
				fmt.Fprintln(w, "no damaged part")
				return nil
			}
			for _, f := range rep.Faults {
				fmt.Fprintf(w, "damaged: %s\n", f)
			}
			if !c.Bool("repair") {
				fmt.Fprintf(w, "%d damaged parts in %d cells; `lessonl check --repair %s` moves their cells aside, then `%s` redoes them\n",
					len(rep.Faults), len(rep.Cells()), run, resumeCommand(run))
				return verdictError{"damaged"}
			}
			moved, err := record.Repair(rep)
			for _, m := range moved {
				fmt.Fprintf(w, "moved aside: %s\n", m)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "repaired: %d parts of %d cells moved into %s; `%s` redoes those cells\n",
				len(moved), len(rep.Cells()), filepath.Join(run, record.DamagedDir), resumeCommand(run))
			return nil
		},
	}
}

// resumeCommand is the command line that finishes the run in folder run:
// a rerun's own, or run of the folder's spec.yaml with the overrides the
// manifest records.
func resumeCommand(run string) string {
	m, err := record.ReadManifest(run)
	if err != nil {
		return "lessonl run SPEC --out " + run + " --resume"
	}
	if m.RerunOf != "" {
		return fmt.Sprintf("lessonl rerun %s --out %s --resume", m.RerunOf, run)
	}
	cmd := fmt.Sprintf("lessonl run %s --out %s --resume", filepath.Join(run, "spec.yaml"), run)
	if len(m.Overrides) > 0 {
		cmd += " " + strings.Join(m.Overrides, " ")
	}
	return cmd
}
