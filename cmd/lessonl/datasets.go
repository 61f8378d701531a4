package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/bench"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/table"
)

var jsonFlag = &cli.BoolFlag{Name: "json", Usage: "print a stable machine-readable form"}

// loadSelected loads the C++ problems the flags choose and keeps those
// the arguments name (all when they name none).
func loadSelected(c *cli.Context) ([]*datasets.Problem, error) {
	all, err := loadCxxProblems(c)
	if err != nil {
		return nil, err
	}
	return selectProblems(all, c.Args().Slice())
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

// writeList writes a listing: rows as JSON with --json, else t as text.
func writeList(c *cli.Context, rows any, t *table.Table) error {
	if c.Bool("json") {
		return writeJSON(c.App.Writer, rows)
	}
	return t.WriteText(c.App.Writer)
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
				Flags: append(append([]cli.Flag{jsonFlag, modeFlag()}, sourceFlags()...), genFlags()...),
				Action: func(c *cli.Context) error {
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
					t := &table.Table{Columns: table.Cols("ID", "CATEGORY", "SOLUTIONS", "TITLE")}
					for i, p := range ps {
						rows[i] = row{p.ID, p.Category, p.Title, len(p.Solutions)}
						t.AddTexts(p.ID, p.Category, strconv.Itoa(len(p.Solutions)), p.Title)
					}
					return writeList(c, rows, t)
				},
			},
			{
				Name:      "show",
				Usage:     "show one problem: its metadata, baseline code and known solutions",
				ArgsUsage: "ID",
				Flags:     append(append([]cli.Flag{jsonFlag, modeFlag()}, sourceFlags()...), genFlags()...),
				Action: func(c *cli.Context) error {
					w := c.App.Writer
					if c.NArg() != 1 {
						return fmt.Errorf("datasets show: want one problem ID")
					}
					if isGenerate(c) {
						return genShow(c)
					}
					src, set, err := chosenSource(c, datasets.SourceBuiltin)
					if err != nil {
						return err
					}
					ps, err := src.Problems(set)
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
					if cxxSource(src) != nil {
						// Another task's problem has no C++ baseline, sizes
						// or known solutions to show.
						fmt.Fprintf(w, "%s (%s): %s\n\n%s\n\ntask %s (source %s): a run scores its answers by the task\n",
							p.ID, p.Category, p.Title, p.Description, p.Task(), src.Name)
						return nil
					}
					fmt.Fprintf(w, "%s (%s): %s\n\n%s\n\nvalidation sizes %v, timing size %d, tolerance %g\n\n%s\n",
						p.ID, p.Category, p.Title, p.Description, p.Sizes.Validate, p.Sizes.Timing, p.Tolerance, p.BaselineCode)
					bench.WriteDefects(w, []*datasets.Problem{p})
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
				Flags: append(append(append([]cli.Flag{jsonFlag, &cli.IntFlag{Name: "jobs", Usage: "evaluations at once: C++ problems (their compiles and validation overlap another's timing, which stays one at a time, but shares the machine with them: memory-bound problems' identity speedups spread wider) or, generate task, candidates", DefaultText: "1 for C++, one per CPU for generate"},
					&cli.StringFlag{Name: "original", Usage: "with --pareval: a checkout of ParEval itself (parallelcodefoundry/ParEval); list the problems whose validate() checks less than its original's"},
					&cli.BoolFlag{Name: "validation-only", Usage: "with --original: only list the validate() differences, evaluate nothing"},
				}, sourceFlags()...), evalFlags()...), genFlags()...),
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
			bench.WriteValidationDiffs(w, diffs)
			return nil
		}
	}
	ps, err := loadSelected(c)
	if err != nil {
		return err
	}
	ev, err := newEvaluator(c)
	if err != nil {
		return err
	}
	defer ev.Close()
	var each func([]evaluate.CheckRow)
	if !c.Bool("json") {
		each = bench.NewCheckTable(w).Rows
	}
	rep, err := bench.Check(c.Context, ev, ps, c.Int("jobs"), each)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		if err := writeJSON(w, rep.Rows); err != nil {
			return err
		}
	} else {
		bench.WriteCheckSummary(w, rep)
		if c.String("original") != "" {
			bench.WriteValidationDiffs(w, diffs)
		}
	}
	if rep.Mismatches > 0 {
		return cli.Exit(fmt.Sprintf("datasets check: %d of %d evaluations did not get their expected outcome", rep.Mismatches, len(rep.Rows)), 1)
	}
	return nil
}
