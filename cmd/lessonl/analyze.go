package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/analysis"
)

func statFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "resamples", Value: 2000, Usage: "bootstrap resamples"},
		&cli.Uint64Flag{Name: "bootstrap-seed", Value: 1, Usage: "bootstrap seed"},
		&cli.BoolFlag{Name: "strict-2x", Usage: "count >2× strictly (the paper's text) instead of ≥2× (its code)"},
	}
}

func statOptions(c *cli.Context) analysis.Options {
	return analysis.Options{Resamples: c.Int("resamples"), Seed: c.Uint64("bootstrap-seed"), StrictTwoX: c.Bool("strict-2x")}
}

func loadRuns(c *cli.Context) (*analysis.Runs, error) {
	if c.NArg() == 0 {
		return nil, fmt.Errorf("want at least one RUN folder")
	}
	return analysis.Load(c.Args().Slice()...)
}

func simBanner(r *analysis.Runs) {
	if r.Simulated() {
		fmt.Fprintln(os.Stderr, "note: agents include the sim team, a SIMULATOR (the code it chooses was really compiled, validated and timed)")
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
			rows := analysis.Metrics(r.Results, statOptions(c))
			if c.Bool("json") {
				return writeJSON(os.Stdout, rows)
			}
			simBanner(r)
			tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "STRATEGY\tVARIANT\tCATEGORY\tN\tCOMPILED\tCORRECT\tFASTER\tGEOMEAN [95% CI]\tMEAN\t≥2×\tCALLS\tTOKENS")
			for _, x := range rows {
				if x.Category != analysis.AllCategories && !c.Bool("categories") {
					continue
				}
				v := x.Variant
				if v == "" {
					v = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f%%\t%.0f%%\t%.0f%%\t%.3f [%.3f, %.3f]\t%.2f\t%.2f\t%.1f\t%.0f\n", x.Strategy, v, x.Category, x.N,
					x.PctCompiled, x.PctCorrect, x.PctFaster, x.GeoMean, x.GeoLow, x.GeoHigh, x.MeanSpeedup, x.Share2x, x.LLMCalls, x.Tokens)
			}
			return tw.Flush()
		},
	}
}

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "paired comparison of every strategy with a reference (Wilcoxon signed-rank, Holm-corrected)",
		ArgsUsage: "RUN...",
		Flags:     append([]cli.Flag{jsonFlag, &cli.StringFlag{Name: "reference", Required: true, Usage: "strategy (with [variant]) to compare against"}}, statFlags()...),
		Action: func(c *cli.Context) error {
			r, err := loadRuns(c)
			if err != nil {
				return err
			}
			cs, err := analysis.Compare(r.Results, c.String("reference"), statOptions(c))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return writeJSON(os.Stdout, cs)
			}
			simBanner(r)
			analysis.CompareTable(os.Stdout, cs)
			return nil
		},
	}
}

func plotCommand() *cli.Command {
	return &cli.Command{
		Name:      "plot",
		Usage:     "write the plots (PNG, SVG, PDF) of one or more runs",
		ArgsUsage: "RUN...",
		Flags:     append([]cli.Flag{&cli.StringFlag{Name: "out", Value: "plots", Usage: "folder for the plots"}}, statFlags()...),
		Action: func(c *cli.Context) error {
			r, err := loadRuns(c)
			if err != nil {
				return err
			}
			rep, err := analysis.Build(r, statOptions(c), "")
			if err != nil {
				return err
			}
			if err := os.MkdirAll(c.String("out"), 0o755); err != nil {
				return err
			}
			for _, f := range rep.Figures {
				paths, err := f.Save(c.String("out"), "png", "svg", "pdf")
				if err != nil {
					return err
				}
				fmt.Println(paths[0])
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
		}, statFlags()...),
		Action: func(c *cli.Context) error {
			r, err := loadRuns(c)
			if err != nil {
				return err
			}
			rep, err := analysis.Build(r, statOptions(c), c.String("reference"))
			if err != nil {
				return err
			}
			out := c.String("out")
			if out == "" {
				out = c.Args().First() + "/report"
			}
			files, err := rep.Write(out)
			if err != nil {
				return err
			}
			fmt.Printf("report: %s/report.md (%d files: Markdown, LaTeX tables, %d figures as PNG, SVG and PDF)\n", out, len(files), len(rep.Figures))
			if c.Bool("html") {
				n, err := writePages(rep, out)
				if err != nil {
					return fmt.Errorf("report --html: %w", err)
				}
				fmt.Printf("pages: %s/index.html (%d files: the overview, %d cells, plots, assets)\n", out, n, len(r.Results))
			}
			return nil
		},
	}
}
