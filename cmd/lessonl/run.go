package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/experiments"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/record"
)

// runFlags are the flags run and rerun share.
func runFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "out", Usage: "run folder", DefaultText: "the spec's output, results/NAME"},
		&cli.StringFlag{Name: "shard", Usage: "run only shard i of n, e.g. 2/4", DefaultText: "every cell"},
		&cli.BoolFlag{Name: "resume", Usage: "finish an interrupted run: cells recorded as done are skipped, failed ones run again"},
		&cli.BoolFlag{Name: "keep-failed", Usage: "with --resume, skip cells recorded as failed too"},
		&cli.BoolFlag{Name: "no-preflight", Usage: "start without checking the agents' endpoints first"},
		&cli.BoolFlag{Name: "no-cache", Usage: "evaluate without the shared evaluation cache (the spec's cache_dir, else $LESSONL_CACHE or ~/.cache/lessonl): nothing reused from other runs, nothing stored"},
		&cli.BoolFlag{Name: "plain", Usage: "plain progress lines even on a terminal"},
		&cli.BoolFlag{Name: "quiet", Usage: "plain progress without a line per cell: a summary every 10 s (what runs, ETA), failures and notes"},
		&cli.StringFlag{Name: "progress-events", Usage: "write the progress display's events to FILE as CSV (cells, calls, evaluations and their cache hits, timed): a recording for the ETA's test", DefaultText: "none"},
	}
}

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run every cell of a spec, recording to a run folder",
		ArgsUsage: "SPEC (or --replay RUN)",
		Flags: append(runFlags(),
			&cli.StringFlag{Name: "problems", Usage: "only these problem IDs, comma-separated", DefaultText: "the spec's"},
			&cli.IntFlag{Name: "limit", Usage: "at most N problems", DefaultText: "the spec's"},
			&cli.StringFlag{Name: "seeds", Usage: "only these seeds, e.g. 1,2", DefaultText: "the spec's"},
			&cli.StringFlag{Name: "strategies", Usage: "only these strategies (by name), comma-separated", DefaultText: "the spec's"},
			&cli.StringFlag{Name: "replay", Usage: "rerun the recorded run RUN without any model, as lessonl rerun RUN", DefaultText: "none"},
			&cli.BoolFlag{Name: "reuse-measurements", Usage: "with --replay, reuse the recorded outcomes instead of evaluating"},
		),
		Action: func(c *cli.Context) error {
			if run := c.String("replay"); run != "" {
				if c.NArg() != 0 {
					return usageErr("run --replay RUN takes no SPEC: the spec is the recorded run's")
				}
				return doRun(c, "", run)
			}
			if c.NArg() != 1 {
				return usageErr("run: want one SPEC file")
			}
			return doRun(c, c.Args().First(), "")
		},
	}
}

func rerunCommand() *cli.Command {
	return &cli.Command{
		Name:      "rerun",
		Usage:     "re-run a recorded run without any model: every call answered from its record, candidates evaluated again",
		ArgsUsage: "RUN",
		Flags: append(runFlags(),
			&cli.BoolFlag{Name: "reuse-measurements", Usage: "reuse the recorded outcomes instead of evaluating: re-analyse only"},
			&cli.BoolFlag{Name: "explain", Usage: "list each prompt that differed from the recorded one, with the first line that differs (the manifest keeps them under replay.differences)"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErr("rerun: want one RUN folder")
			}
			return doRun(c, "", c.Args().First())
		},
	}
}

// doRun runs the spec in file specFile, or reruns the recorded run rerun.
func doRun(c *cli.Context, specFile, rerun string) error {
	w := c.App.Writer
	var opts experiments.Options
	if s := c.String("shard"); s != "" {
		sh, err := spec.ParseShard(s)
		if err != nil {
			return err
		}
		opts.Shard = sh
	}
	opts.Resume = c.Bool("resume")
	opts.KeepFailed = c.Bool("keep-failed")
	opts.NoPreflight = c.Bool("no-preflight")
	opts.NoCache = c.Bool("no-cache")
	b := build()
	opts.Build = &b
	if rerun == "" {
		ov, err := overrides(c)
		if err != nil {
			return err
		}
		opts.Overrides = ov
	}
	opts.Log = c.App.ErrWriter
	var events io.Writer
	if name := c.String("progress-events"); name != "" {
		f, err := os.Create(name)
		if err != nil {
			return fmt.Errorf("progress events: %w", err)
		}
		defer f.Close()
		events = f
	}
	if isTerminal(c.App.ErrWriter) && !c.Bool("plain") && !c.Bool("quiet") {
		opts.Progress = &experiments.Bars{W: c.App.ErrWriter, Events: events}
	} else {
		opts.Progress = &experiments.Lines{W: c.App.ErrWriter, Period: 10 * time.Second, Quiet: c.Bool("quiet"), Events: events}
	}
	// Ctrl-C ends c.Context (see interruptible): the run stops after
	// recording what finished; a second one kills.
	var sum experiments.Summary
	var out string
	var err error
	again := ""
	if rerun != "" {
		sum, out, err = experiments.Rerun(c.Context, rerun, c.String("out"), c.Bool("reuse-measurements"), opts, toolVersion())
		again = fmt.Sprintf("lessonl rerun %s --out %s --resume", rerun, out)
	} else {
		sum, out, err = experiments.Execute(c.Context, specFile, c.String("out"), opts, toolVersion())
		again = fmt.Sprintf("lessonl run %s --out %s --resume", specFile, out)
		if ov := opts.Overrides.Strings(); len(ov) > 0 {
			again += " " + strings.Join(ov, " ")
		}
	}
	if out != "" && sum.Cells > 0 {
		fmt.Fprintf(w, "\n%d cells: %d run now, %d already recorded, %d failed, in %s\n", sum.Cells, sum.Ran, sum.Skipped, sum.Failed, sum.Wall.Round(time.Second))
		if counts, cerr := record.Counts(out); cerr == nil {
			fmt.Fprintf(w, "records: %s  (results %d, candidates %d, llm_calls %d, lessons %d, selections %d, timings %d rows)\n",
				out, counts[record.TableResults], counts[record.TableCandidates], counts[record.TableLLMCalls],
				counts[record.TableLessons], counts[record.TableSelections], counts[record.TableTimings])
		}
		if st, serr := record.RunState(out); serr == nil {
			fmt.Fprintf(w, "state: %s\n", st)
		}
		if r := sum.Replay; r != nil {
			fmt.Fprintf(w, "replay: %d calls answered from the record (%d with a prompt that differed from the recorded one), %d without a recorded answer\n",
				r.Answered, r.Differed, r.Misses)
			switch {
			case c.Bool("explain"):
				for _, d := range r.Differences {
					fmt.Fprintf(w, "  %s %s call %d (%s): %s\n", record.CellIDOfKey(d.Cell), d.Agent, d.Ordinal, d.Purpose, describeDifference(d))
				}
			case r.Differed > 0:
				fmt.Fprintf(w, "  (`--explain` lists each with the line that changed; %s/%s keeps them under replay.differences)\n", out, record.ManifestFile)
			}
		}
		if sim, serr := experiments.SimAnswered(out); serr == nil && sim {
			banner := analysis.SimBanner
			res, rerr := record.Read[record.Result](out, record.TableResults)
			cells, cerr := record.Read[record.Cell](out, record.TableCells)
			if rerr == nil && cerr == nil && len(cells) > 0 {
				// The banner follows the task the cells recorded.
				task := cells[0].Task
				for _, c := range cells {
					if c.Task != task {
						task = ""
					}
				}
				banner = analysis.SimBannerFor(analysis.WrapTask(task, res))
			}
			fmt.Fprintln(w, "note: "+banner)
		}
	}
	if err == context.Canceled {
		return cli.Exit(fmt.Sprintf("interrupted: finished cells are recorded in %s; `%s` finishes the run", out, again), 130)
	}
	if err == nil && sum.Failed > 0 {
		return cli.Exit(failedMessage(sum, again), 1)
	}
	return err
}

// isTerminal reports whether w is a terminal (progress bars then redraw
// in place).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// overrides reads run's --problems, --limit, --seeds and --strategies.
func overrides(c *cli.Context) (spec.Overrides, error) {
	var o spec.Overrides
	split := func(s string) []string {
		var out []string
		for _, f := range strings.Split(s, ",") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
		return out
	}
	o.Problems = split(c.String("problems"))
	o.Strategies = split(c.String("strategies"))
	o.Limit = c.Int("limit")
	for _, f := range split(c.String("seeds")) {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return o, fmt.Errorf("--seeds: %q is not a whole number (want e.g. --seeds 1,2)", f)
		}
		o.Seeds = append(o.Seeds, n)
	}
	return o, nil
}

// failedMessage says how many cells failed, the first errors, and how to
// run them again.
func failedMessage(sum experiments.Summary, again string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "lessonl: %d of %d cells failed; first errors:\n", sum.Failed, sum.Ran)
	for _, e := range sum.Errors {
		fmt.Fprintf(&b, "  %s\n", e)
	}
	fmt.Fprintf(&b, "fix the cause, then `%s` runs the failed cells again", again)
	return b.String()
}

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "join run folders (shards, or runs on other machines) into OUT",
		ArgsUsage: "OUT DIR...",
		Action: func(c *cli.Context) error {
			w := c.App.Writer
			if c.NArg() < 2 {
				return usageErr("merge: want OUT and at least one DIR")
			}
			out, dirs := c.Args().First(), c.Args().Slice()[1:]
			m, err := record.MergeReport(out, dirs...)
			if err != nil {
				return err
			}
			if err := record.MergeManifests(out, dirs...); err != nil {
				return err
			}
			man, err := record.ReadManifest(out)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "merge into %s: %s, of the %d cells the spec expands to (shards %v)\n", out, m, man.Cells, man.Shards)
			return nil
		},
	}
}

// describeDifference says how a replayed prompt differed from the
// recorded one.
func describeDifference(d llm.Difference) string {
	if d.Message < 0 {
		return "the same messages, other sampling parameters"
	}
	return fmt.Sprintf("message %d: recorded %q, now %q", d.Message, d.Recorded, d.Now)
}
