package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/analysis"
)

func statFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "resamples", Value: 2000, Usage: "bootstrap resamples"},
		&cli.Uint64Flag{Name: "bootstrap-seed", Value: 1, Usage: "bootstrap seed"},
		&cli.BoolFlag{Name: "strict-2x", Usage: "count >2× strictly (the paper's text) instead of ≥2× (its code)"},
		&cli.BoolFlag{Name: "allow-partial", Usage: "read runs that are interrupted, incomplete or have failed cells, or whose strategies have unequal numbers of cells (refused otherwise), with a warning"},
	}
}

// refusePartial refuses partial records (analysis.Runs.Warnings: a run
// with missing or failed cells, strategies with unequal n) unless
// --allow-partial is given, with the counts and what to do; with the flag
// it prints them as warnings. prefix names the side of a comparison.
func refusePartial(c *cli.Context, r *analysis.Runs, prefix string) error {
	if len(r.Warnings) == 0 {
		return nil
	}
	if c.Bool("allow-partial") {
		for _, w := range r.Warnings {
			fmt.Fprintf(c.App.ErrWriter, "warning: %s%s\n", prefix, w)
		}
		return nil
	}
	name := c.Command.Name
	return fmt.Errorf("%s: the records are partial, so their summaries would cover only part of the plan:\n  %s%s\nfinish the run (lessonl run RUN/spec.yaml --out RUN --resume; lessonl check RUN first if a part is damaged) or pass --allow-partial to %s them as they are",
		name, prefix, strings.Join(r.Warnings, "\n  "+prefix), name)
}

func statOptions(c *cli.Context) analysis.Options {
	return analysis.Options{Resamples: c.Int("resamples"), Seed: c.Uint64("bootstrap-seed"), StrictTwoX: c.Bool("strict-2x")}
}

// figureFlags choose, rename and sweep the series of plot and report.
func figureFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "strategies", Usage: "only these series, in this order: labels (\"lessonl[k=2,selection=none]\") or strategies (every variant), comma-separated"},
		&cli.StringSliceFlag{Name: "label", Usage: "show series OLD as NEW: 'OLD=NEW' (repeat, or join with commas)"},
		&cli.StringFlag{Name: "x", Usage: "also draw a metric against this swept parameter (k, selection, rounds, or a strategy parameter)"},
		&cli.StringFlag{Name: "series", Usage: "with --x: one line per value of this key (e.g. selection); default: per strategy"},
		&cli.StringSliceFlag{Name: "metric", Usage: "with --x: speedup, 2x or pass@1 (repeatable; default: speedup and 2x, or pass@1 for code generation)"},
	}
}

// buildReport loads the runs, keeps and renames the series --strategies
// and --label ask for, builds the report and, with --x, its ablation
// figures.
func buildReport(c *cli.Context, reference string) (*analysis.Report, error) {
	r, err := loadRuns(c)
	if err != nil {
		return nil, err
	}
	var picked []string
	for _, s := range analysis.SplitSeries(c.String("strategies")) {
		if s = strings.TrimSpace(s); s != "" {
			picked = append(picked, s)
		}
	}
	labels, err := analysis.ParseLabels(c.StringSlice("label"))
	if err != nil {
		return nil, err
	}
	if r, err = r.Pick(picked, labels); err != nil {
		return nil, err
	}
	if n, ok := labels[reference]; ok {
		reference = n
	}
	rep, err := analysis.Build(r, statOptions(c), reference)
	if err != nil {
		return nil, err
	}
	if x := c.String("x"); x != "" {
		if err := rep.Ablate(x, c.String("series"), c.StringSlice("metric")...); err != nil {
			return nil, fmt.Errorf("--x %s: %w", x, err)
		}
	} else if c.String("series") != "" || len(c.StringSlice("metric")) > 0 {
		return nil, fmt.Errorf("--series and --metric go with --x (the swept parameter)")
	}
	return rep, nil
}

func loadRuns(c *cli.Context) (*analysis.Runs, error) {
	if c.NArg() == 0 {
		return nil, fmt.Errorf("want at least one RUN folder")
	}
	r, err := analysis.Load(c.Args().Slice()...)
	if err != nil {
		return nil, err
	}
	for _, n := range r.Notes {
		fmt.Fprintln(c.App.ErrWriter, "note: "+n)
	}
	if err := refusePartial(c, r, ""); err != nil {
		return nil, err
	}
	return r, nil
}

// simBanner writes to w that r was answered by the sim team, when it was.
func simBanner(w io.Writer, r *analysis.Runs) {
	if r.Simulated() {
		fmt.Fprintln(w, "note: "+analysis.SimBannerFor(r.Results))
	}
}

func analyzeCommand() *cli.Command {
	return &cli.Command{
		Name:      "analyze",
		Usage:     "metrics per strategy and category with bootstrap confidence intervals",
		ArgsUsage: "RUN...",
		Flags:     append([]cli.Flag{jsonFlag, &cli.BoolFlag{Name: "categories", Usage: "also print per-category rows"}}, statFlags()...),
		Action: func(c *cli.Context) error {
			r, err := loadRuns(c)
			if err != nil {
				return err
			}
			a := analysis.Summarize(r, statOptions(c))
			if c.Bool("json") {
				return writeJSON(c.App.Writer, a)
			}
			simBanner(c.App.ErrWriter, r)
			return a.Text(c.App.Writer, c.Bool("categories"))
		},
	}
}

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:  "compare",
		Usage: "old vs new, benchstat-style: per strategy and category, Δ with its interval, p, and ~ when not significant",
		Description: `lessonl compare OLD NEW compares two runs (or run groups: folders joined by commas) cell by cell.
lessonl compare RUN... --group-by KEY compares the two values of a key inside the runs: model (the strategy's
models as the spec names them; strategies that differ only in it line up by kind), protocol, selection, k,
mode, run (when several runs are loaded), or any parameter of the strategies.
lessonl compare RUN... --reference NAME tests every strategy against one, Holm-corrected.`,
		ArgsUsage: "OLD NEW | RUN... --group-by KEY | RUN... --reference NAME",
		Flags: append([]cli.Flag{jsonFlag,
			&cli.StringFlag{Name: "reference", Usage: "strategy (with [variant]) to test every other against"},
			&cli.StringFlag{Name: "group-by", Usage: "key whose two values are old and new: model, protocol, selection, k, mode, run, or a parameter"},
			&cli.BoolFlag{Name: "categories", Usage: "also print per-category rows"},
		}, statFlags()...),
		Action: func(c *cli.Context) error {
			if ref := c.String("reference"); ref != "" {
				r, err := loadRuns(c)
				if err != nil {
					return err
				}
				a, err := analysis.CompareReference(r, ref, statOptions(c))
				if err != nil {
					return err
				}
				if c.Bool("json") {
					return writeJSON(c.App.Writer, a)
				}
				simBanner(c.App.ErrWriter, r)
				a.Text(c.App.Writer, r.Simulated())
				return nil
			}
			old, new, sim, err := compareSides(c)
			if err != nil {
				return err
			}
			ds := analysis.Deltas(old, new, statOptions(c))
			if c.Bool("json") {
				return writeJSON(c.App.Writer, ds)
			}
			if sim {
				fmt.Fprintln(c.App.ErrWriter, "note: "+analysis.SimBannerFor(append(append([]analysis.Result(nil), old.Results...), new.Results...)))
			}
			return analysis.DeltaTable(c.App.Writer, old.Name, new.Name, ds, c.Bool("categories"))
		},
	}
}

// compareSides reads the old and new sides: two arguments (each a folder or
// folders joined by commas), or one side per value of --group-by.
func compareSides(c *cli.Context) (old, new analysis.Side, simulated bool, err error) {
	if key := c.String("group-by"); key != "" {
		r, err := loadRuns(c)
		if err != nil {
			return old, new, false, err
		}
		old, new, err := analysis.SplitTwo(r.Results, key)
		return old, new, r.Simulated(), err
	}
	if c.NArg() != 2 {
		return old, new, false, fmt.Errorf("compare: want OLD NEW (two runs, or folders joined by commas), or --group-by KEY, or --reference NAME; got %d arguments", c.NArg())
	}
	var sides [2]analysis.Side
	for i, arg := range c.Args().Slice() {
		r, err := analysis.Load(strings.Split(arg, ",")...)
		if err != nil {
			return old, new, false, err
		}
		for _, n := range r.Notes {
			fmt.Fprintf(c.App.ErrWriter, "note: %s: %s\n", arg, n)
		}
		if err := refusePartial(c, r, arg+": "); err != nil {
			return old, new, false, err
		}
		sides[i] = analysis.Side{Name: arg, Results: r.Results}
		simulated = simulated || r.Simulated()
	}
	return sides[0], sides[1], simulated, nil
}

func plotCommand() *cli.Command {
	return &cli.Command{
		Name:      "plot",
		Usage:     "write the plots (PNG, SVG, PDF) of one or more runs",
		ArgsUsage: "RUN...",
		Flags:     append(append([]cli.Flag{&cli.StringFlag{Name: "out", Value: "plots", Usage: "folder for the plots"}}, figureFlags()...), statFlags()...),
		Action: func(c *cli.Context) error {
			rep, err := buildReport(c, "")
			if err != nil {
				return err
			}
			if len(rep.Figures) == 0 && rep.Generate != nil {
				return fmt.Errorf("plot: code-generation runs have no speedup figures; `lessonl report` writes their pass@1 table")
			}
			if err := os.MkdirAll(c.String("out"), 0o755); err != nil {
				return err
			}
			for _, f := range rep.Figures {
				paths, err := f.Save(c.String("out"), "png", "svg", "pdf")
				if err != nil {
					return err
				}
				fmt.Fprintln(c.App.Writer, paths[0])
			}
			return nil
		},
	}
}

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "write a Markdown report with LaTeX tables and plots for one or more runs",
		ArgsUsage: "RUN...",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "report folder (default: RUN/report)"},
			&cli.StringFlag{Name: "reference", Usage: "strategy to compare the others with"},
			&cli.BoolFlag{Name: "html", Usage: "also write the run browser's pages (index.html, cells/) beside the report"},
		}, append(figureFlags(), statFlags()...)...),
		Action: func(c *cli.Context) error {
			rep, err := buildReport(c, c.String("reference"))
			if err != nil {
				return err
			}
			r := rep.Runs
			out := c.String("out")
			if out == "" {
				out = c.Args().First() + "/report"
			}
			files, err := rep.Write(out)
			if err != nil {
				return err
			}
			w := c.App.Writer
			fmt.Fprintf(w, "report: %s/report.md (%d files: Markdown, LaTeX tables, %d figures as PNG, SVG and PDF)\n", out, len(files), len(rep.Figures))
			if r.Simulated() {
				fmt.Fprintln(w, "note: "+analysis.SimBannerFor(r.Results))
			}
			if c.Bool("html") {
				n, err := writePages(rep, out, c.App.ErrWriter)
				if err != nil {
					return fmt.Errorf("report --html: %w", err)
				}
				fmt.Fprintf(w, "pages: %s/index.html (%d files: the overview, %d cells, plots, assets)\n", out, n, len(r.Results))
			}
			return nil
		},
	}
}
