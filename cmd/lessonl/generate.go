package main

import (
	"fmt"
	"runtime"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/bench"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/table"
)

// newPyEvaluator makes the Python evaluator from the shared evaluator
// flags (--timeout: the wall limit of a candidate's process; --memory-gib).
func newPyEvaluator(c *cli.Context) (*pyeval.Evaluator, error) {
	return pyeval.New(pyeval.Config{Timeout: c.Duration("timeout"), MemoryGiB: c.Int("memory-gib")})
}

func genList(c *cli.Context) error {
	ps, err := loadGenProblems(c)
	if err != nil {
		return err
	}
	type row struct {
		ID         string `json:"id"`
		Suite      string `json:"suite"`
		EntryPoint string `json:"entry_point"`
		Tests      string `json:"tests"`
		Solutions  int    `json:"solutions"`
	}
	rows := make([]row, len(ps))
	t := &table.Table{Columns: table.Cols("ID", "SUITE", "ENTRY POINT", "TESTS", "SOLUTIONS")}
	for i, p := range ps {
		rows[i] = row{p.ID, p.Suite, p.EntryPoint, testsText(p), len(p.Solutions)}
		t.AddTexts(p.ID, p.Suite, p.EntryPoint, testsText(p), strconv.Itoa(len(p.Solutions)))
	}
	return writeList(c, rows, t)
}

// testsText says what a problem's hidden tests are.
func testsText(p *datasets.GenProblem) string {
	if p.Tests.Differential() {
		return fmt.Sprintf("%d base + %d plus inputs", p.Tests.BaseCount, p.Tests.PlusCount)
	}
	return "check()"
}

func genShow(c *cli.Context) error {
	w := c.App.Writer
	ps, err := loadGenProblems(c)
	if err != nil {
		return err
	}
	p, err := datasets.FindGen(ps, c.Args().First())
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return writeJSON(w, p)
	}
	fmt.Fprintf(w, "%s (%s), entry point %s, tests: %s", p.ID, p.Suite, p.EntryPoint, testsText(p))
	if p.Tests.Atol != 0 || p.Tests.Oracle != "" || p.Tests.Convert != "" {
		fmt.Fprintf(w, " (atol %g, oracle %q, conversion %q)", p.Tests.Atol, p.Tests.Oracle, p.Tests.Convert)
	}
	fmt.Fprintf(w, "\n\n%s\n", p.Prompt)
	for _, s := range p.Solutions {
		expect := "fail"
		if s.Pass {
			expect = "pass"
		}
		fmt.Fprintf(w, "solution %-24s %-5s %s\n", s.Name, expect, s.Note)
	}
	return nil
}

func genCheck(c *cli.Context) error {
	w := c.App.Writer
	all, err := loadGenProblems(c)
	if err != nil {
		return err
	}
	var ps []*datasets.GenProblem
	for _, id := range c.Args().Slice() {
		p, err := datasets.FindGen(all, id)
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		ps = all
	}
	ev, err := newPyEvaluator(c)
	if err != nil {
		return err
	}
	defer ev.Close()
	jobs := c.Int("jobs")
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	rep, err := bench.GenCheck(c.Context, ev, ps, jobs)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		if err := writeJSON(w, rep.Rows); err != nil {
			return err
		}
	} else {
		bench.WriteGenCheck(w, rep)
	}
	if rep.Mismatches > 0 {
		return cli.Exit(fmt.Sprintf("datasets check: %d of %d evaluations did not get their expected verdict", rep.Mismatches, len(rep.Rows)), 1)
	}
	return nil
}

func genEval(c *cli.Context, code []byte) error {
	w := c.App.Writer
	ps, err := loadGenProblems(c)
	if err != nil {
		return err
	}
	p, err := datasets.FindGen(ps, c.String("problem"))
	if err != nil {
		return err
	}
	ev, err := newPyEvaluator(c)
	if err != nil {
		return err
	}
	defer ev.Close()
	v, err := ev.Evaluate(c.Context, p, string(code))
	if err != nil {
		return fmt.Errorf("eval %s: %w", p.ID, err)
	}
	if c.Bool("json") {
		if err := writeJSON(w, v); err != nil {
			return err
		}
		return verdict(string(v.Status), v.Status == pyeval.Passed)
	}
	fmt.Fprintf(w, "status    %s\n", v.Status)
	fmt.Fprintf(w, "passed    %d/%d", v.Passed, v.Total)
	if v.BaseTotal != v.Total {
		fmt.Fprintf(w, "  (base %d/%d)", v.BasePassed, v.BaseTotal)
	}
	fmt.Fprintf(w, "\nwall      %d ms\n", v.WallMS)
	if v.Failure != "" {
		fmt.Fprintf(w, "first failure\n%s\n", v.Failure)
	}
	if v.Detail != "" {
		fmt.Fprintf(w, "detail\n%s\n", v.Detail)
	}
	return verdict(string(v.Status), v.Status == pyeval.Passed)
}
