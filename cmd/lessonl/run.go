package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/experiments"
	"github.com/lessonlab/lessonl/internal/record"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run every cell of a spec, recording to a run folder",
		ArgsUsage: "SPEC",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "run folder (default: the spec's output)"},
			&cli.StringFlag{Name: "shard", Usage: "run only shard i of n, e.g. 2/4"},
			&cli.BoolFlag{Name: "resume", Usage: "finish an interrupted run: cells already recorded are skipped"},
			&cli.BoolFlag{Name: "plain", Usage: "plain progress lines even on a terminal"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("run: want one SPEC file")
			}
			var opts experiments.Options
			if s := c.String("shard"); s != "" {
				sh, err := experiments.ParseShard(s)
				if err != nil {
					return err
				}
				opts.Shard = sh
			}
			opts.Resume = c.Bool("resume")
			opts.Log = os.Stderr
			if term.IsTerminal(int(os.Stderr.Fd())) && !c.Bool("plain") {
				opts.Progress = &experiments.Bars{W: os.Stderr}
			} else {
				opts.Progress = &experiments.Lines{W: os.Stderr, Period: 30 * time.Second}
			}
			// Ctrl-C ends c.Context (see interruptible): the run stops after
			// recording what finished; a second one kills.
			sum, out, err := experiments.Execute(c.Context, c.Args().First(), c.String("out"), opts, version)
			if out != "" && sum.Cells > 0 {
				fmt.Printf("\n%d cells: %d run now, %d already recorded, %d failed, in %s\n", sum.Cells, sum.Ran, sum.Skipped, sum.Failed, sum.Wall.Round(time.Second))
				if counts, cerr := record.Counts(out); cerr == nil {
					fmt.Printf("records: %s  (results %d, candidates %d, llm_calls %d, lessons %d, selections %d, timings %d rows)\n",
						out, counts[record.TableResults], counts[record.TableCandidates], counts[record.TableLLMCalls],
						counts[record.TableLessons], counts[record.TableSelections], counts[record.TableTimings])
				}
				if m, merr := record.ReadManifest(out); merr == nil && m.Simulated {
					fmt.Println("note: " + analysis.SimBanner)
				}
			}
			if err == context.Canceled {
				return cli.Exit(fmt.Sprintf("interrupted: finished cells are recorded in %s; `lessonl run %s --out %s --resume` finishes the run", out, c.Args().First(), out), 130)
			}
			return err
		},
	}
}

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "join run folders (shards, or runs on other machines) into OUT",
		ArgsUsage: "OUT DIR...",
		Action: func(c *cli.Context) error {
			if c.NArg() < 2 {
				return fmt.Errorf("merge: want OUT and at least one DIR")
			}
			out, dirs := c.Args().First(), c.Args().Slice()[1:]
			m, err := record.MergeReport(out, dirs...)
			if err != nil {
				return err
			}
			if err := experiments.MergeManifests(out, dirs...); err != nil {
				return err
			}
			man, err := record.ReadManifest(out)
			if err != nil {
				return err
			}
			fmt.Printf("merge into %s: %s, of the %d cells the spec expands to (shards %v)\n", out, m, man.Cells, man.Shards)
			return nil
		},
	}
}
