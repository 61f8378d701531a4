package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

var jsonFlag = &cli.BoolFlag{Name: "json", Usage: "print a stable machine-readable form"}

// loadProblems returns the built-in suite or the problems under --dir.
func loadProblems(c *cli.Context) ([]*datasets.Problem, error) {
	if root := c.String("pareval"); root != "" {
		if c.String("dir") != "" {
			return nil, fmt.Errorf("--dir and --pareval name two sources; give one")
		}
		return datasets.LoadParEval(datasets.ParEval{Root: root, Suite: c.String("suite"),
			Mode: c.String("mode"), Faithful: c.Bool("faithful")})
	}
	if d := c.String("dir"); d != "" {
		return datasets.LoadDir(d)
	}
	return datasets.Builtin()
}

// sourceFlags choose where problems come from: the built-in suite, a
// folder of problems, or a checkout of the paper's ParEval/PolyBench.
var sourceFlags = []cli.Flag{
	&cli.StringFlag{Name: "dir", Usage: "load problems from this folder instead of the built-in suite"},
	&cli.StringFlag{Name: "pareval", Usage: "load the paper's benchmarks from this ParEval-PolyBench-Code-Opt checkout"},
	&cli.StringFlag{Name: "suite", Value: datasets.SuiteParEval, Usage: "with --pareval: pareval or polybench"},
	&cli.BoolFlag{Name: "faithful", Usage: "with --pareval: keep the published benchmark's known defects instead of fixing them"},
}

// selectProblems keeps the problems named in ids, all when ids is empty.
func selectProblems(all []*datasets.Problem, ids []string) ([]*datasets.Problem, error) {
	if len(ids) == 0 {
		return all, nil
	}
	out := make([]*datasets.Problem, 0, len(ids))
	for _, id := range ids {
		p, err := datasets.Find(all, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func datasetsCommand() *cli.Command {
	return &cli.Command{
		Name:  "datasets",
		Usage: "list, show and check problems: code optimization (C++), or code generation (Python) with --humaneval, --mbpp or --pysuite",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the problems",
				Flags: append(append([]cli.Flag{jsonFlag, modeFlag()}, sourceFlags...), genFlags...),
				Action: func(c *cli.Context) error {
					w := c.App.Writer
					if isGenerate(c) {
						return genList(c)
					}
					ps, err := loadProblems(c)
					if err != nil {
						return err
					}
					type row struct {
						ID        string `json:"id"`
						Category  string `json:"category"`
						Title     string `json:"title"`
						Solutions int    `json:"solutions"`
					}
					rows := make([]row, len(ps))
					for i, p := range ps {
						rows[i] = row{p.ID, p.Category, p.Title, len(p.Solutions)}
					}
					if c.Bool("json") {
						return writeJSON(w, rows)
					}
					tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tCATEGORY\tSOLUTIONS\tTITLE")
					for _, r := range rows {
						fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.ID, r.Category, r.Solutions, r.Title)
					}
					return tw.Flush()
				},
			},
			{
				Name:      "show",
				Usage:     "show one problem: its metadata, baseline code and known solutions",
				ArgsUsage: "ID",
				Flags:     append(append([]cli.Flag{jsonFlag, modeFlag()}, sourceFlags...), genFlags...),
				Action: func(c *cli.Context) error {
					w := c.App.Writer
					if c.NArg() != 1 {
						return fmt.Errorf("datasets show: want one problem ID")
					}
					if isGenerate(c) {
						return genShow(c)
					}
					ps, err := loadProblems(c)
					if err != nil {
						return err
					}
					p, err := datasets.Find(ps, c.Args().First())
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return writeJSON(w, p)
					}
					fmt.Fprintf(w, "%s (%s): %s\n\n%s\n\nvalidation sizes %v, timing size %d, tolerance %g\n\n%s\n",
						p.ID, p.Category, p.Title, p.Description, p.Sizes.Validate, p.Sizes.Timing, p.Tolerance, p.BaselineCode)
					printDefects(w, []*datasets.Problem{p})
					for _, s := range p.Solutions {
						fmt.Fprintf(w, "solution %-24s %-15s %s\n", s.Name, s.Expected, s.Technique)
					}
					return nil
				},
			},
			{
				Name:      "check",
				Usage:     "evaluate every problem's baseline as its own candidate and every known solution; fail on any mismatch",
				ArgsUsage: "[ID...]",
				Flags: append(append(append([]cli.Flag{jsonFlag, &cli.IntFlag{Name: "jobs", Usage: "generate task: candidates evaluated at once", DefaultText: "one per CPU"},
					&cli.StringFlag{Name: "original", Usage: "with --pareval: a checkout of ParEval itself (parallelcodefoundry/ParEval); list the problems whose validate() checks less than its original's"},
					&cli.BoolFlag{Name: "validation-only", Usage: "with --original: only list the validate() differences, evaluate nothing"},
				}, sourceFlags...), evalFlags()...), genFlags...),
				Action: datasetsCheck,
			},
		},
	}
}

func datasetsCheck(c *cli.Context) error {
	w := c.App.Writer
	if isGenerate(c) {
		return genCheck(c)
	}
	var diffs []datasets.ValidationDiff
	if orig := c.String("original"); orig != "" {
		if c.String("pareval") == "" {
			return cli.Exit("datasets check: --original needs --pareval (the LessonL checkout to compare)", 2)
		}
		var err error
		if diffs, err = datasets.CompareValidation(c.String("pareval"), orig); err != nil {
			return err
		}
		if c.Bool("validation-only") {
			if c.Bool("json") {
				return writeJSON(w, diffs)
			}
			printValidationDiffs(w, diffs)
			return nil
		}
	}
	all, err := loadProblems(c)
	if err != nil {
		return err
	}
	ps, err := selectProblems(all, c.Args().Slice())
	if err != nil {
		return err
	}
	ev, err := newEvaluator(c)
	if err != nil {
		return err
	}
	defer ev.Close()
	var rows []evaluate.CheckRow
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if !c.Bool("json") {
		fmt.Fprintln(tw, "PROBLEM\tSOLUTION\tEXPECTED\tSTATUS\tSPEEDUP\t95% CI\tBASELINE\tOK")
	}
	for _, p := range ps {
		rs, err := checkProblem(c, ev, p)
		if err != nil {
			return err
		}
		rows = append(rows, rs...)
		if c.Bool("json") {
			continue
		}
		for _, r := range rs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Solution, r.Expected, r.Status,
				speedupText(r.Status, r.Speedup), ciText(r.Status, r.CILow, r.CIHigh), msText(r.Status, r.BaselineMS), verdictText(r))
		}
		tw.Flush()
	}
	bad := 0
	for _, r := range rows {
		if !r.OK {
			bad++
		}
	}
	if c.Bool("json") {
		if err := writeJSON(w, rows); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(w, "\n%d problems, %d evaluations, %d mismatches\n", len(ps), len(rows), bad)
		printEvalTimes(w, rows)
		printDefects(w, ps)
		if c.String("original") != "" {
			printValidationDiffs(w, diffs)
		}
	}
	if bad > 0 {
		return cli.Exit(fmt.Sprintf("datasets check: %d of %d evaluations did not get their expected outcome", bad, len(rows)), 1)
	}
	return nil
}

// checkProblem is evaluate.Check for the CLI: a problem that cannot be
// evaluated at all (its driver or baseline does not build) becomes one
// error row, a mismatch to report rather than a reason to stop; only a
// cancelled context stops.
func checkProblem(c *cli.Context, ev *evaluate.Evaluator, p *datasets.Problem) ([]evaluate.CheckRow, error) {
	rs, err := evaluate.Check(c.Context, ev, p)
	if err == nil {
		return rs, nil
	}
	if c.Context.Err() != nil {
		return nil, fmt.Errorf("check %s: %w", p.ID, err)
	}
	return append(rs, evaluate.CheckRow{ID: p.ID, Solution: evaluate.IdentityName,
		Expected: datasets.ExpectNotFaster, Status: "error", Detail: err.Error()}), nil
}

// verdictText is "ok" or the mismatch and its reason.
func verdictText(r evaluate.CheckRow) string {
	if r.OK {
		return "ok"
	}
	return "MISMATCH: " + reason(r.Detail)
}

func speedupText(s evaluate.Status, v float64) string {
	if s != evaluate.Correct {
		return "-"
	}
	return fmt.Sprintf("%.2fx", v)
}

func ciText(s evaluate.Status, lo, hi float64) string {
	if s != evaluate.Correct {
		return "-"
	}
	return fmt.Sprintf("[%.3f, %.3f]", lo, hi)
}

// msText shows the baseline's median call time, or "-" when nothing was
// timed.
func msText(s evaluate.Status, ms float64) string {
	if s != evaluate.Correct {
		return "-"
	}
	return fmt.Sprintf("%.1f ms", ms)
}

// reason is the informative line of a failure's detail: the first compiler
// error when there is one, else the first line.
func reason(detail string) string {
	for _, l := range strings.Split(detail, "\n") {
		if strings.Contains(l, "error:") {
			return strings.TrimSpace(l)
		}
	}
	return firstLine(detail)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// printDefects lists the source benchmark's known defects among ps and
// what was done about each.
func printDefects(w io.Writer, ps []*datasets.Problem) {
	first := true
	for _, p := range ps {
		for _, d := range p.Defects {
			if first {
				fmt.Fprintln(w, "\nknown defects of the source benchmark:")
				first = false
			}
			state := "kept (--faithful)"
			if d.Fixed {
				state = "fixed"
			}
			fmt.Fprintf(w, "  %-40s %-28s %-18s %s\n", p.ID, d.Class, state, d.Note)
		}
	}
}

// printEvalTimes summarises how long the evaluations took, the cost a
// researcher pays per candidate.
func printEvalTimes(w io.Writer, rows []evaluate.CheckRow) {
	if s := evaluate.SummarizeCost(rows); s.Evaluations > 0 {
		fmt.Fprintf(w, "evaluation wall time: median %.1f s, quartiles %.1f s and %.1f s, max %.1f s over %d evaluations\n",
			s.MedianS, s.Q1S, s.Q3S, s.MaxS, s.Evaluations)
	}
}

// printValidationDiffs lists the problems whose validate() differs from
// ParEval's original: the weaker ones first, then those that compare part
// of the output, then other changes.
func printValidationDiffs(w io.Writer, diffs []datasets.ValidationDiff) {
	groups := []struct {
		title string
		keep  func(datasets.ValidationDiff) bool
	}{
		{"validate() weaker than ParEval's original", func(d datasets.ValidationDiff) bool { return d.Weaker }},
		{"validate() compares part of the output, as ParEval's original does (use --strict-validation)", func(d datasets.ValidationDiff) bool { return !d.Weaker && d.Partial }},
		{"validate() compares differently from ParEval's original", func(d datasets.ValidationDiff) bool { return !d.Weaker && !d.Partial && len(d.Findings) > 0 }},
	}
	for _, g := range groups {
		var n int
		for _, d := range diffs {
			if !g.keep(d) {
				continue
			}
			if n == 0 {
				fmt.Fprintf(w, "\n%s:\n", g.title)
			}
			n++
			fmt.Fprintf(w, "  %-45s %s\n", d.Problem, strings.Join(d.Findings, "; "))
		}
	}
	var resized []string
	for _, d := range diffs {
		if d.Size != "" {
			resized = append(resized, fmt.Sprintf("%s (%s)", d.Problem, d.OriginalSize))
		}
	}
	if len(resized) > 0 {
		fmt.Fprintf(w, "\nvalidate() runs at DRIVER_PROBLEM_SIZE, the size lessonl validates at, where ParEval's original used a constant (in parentheses), in %d problems:\n  %s\n",
			len(resized), strings.Join(resized, ", "))
	}
	if len(diffs) == 0 {
		fmt.Fprintln(w, "\nevery validate() checks what ParEval's original checks")
	}
}
