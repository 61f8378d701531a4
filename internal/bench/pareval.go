package bench

import (
	"context"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// ParEvalConfig says which problems ParEval evaluates: the suites of a
// ParEval-PolyBench-Code-Opt checkout, in a mode.
type ParEvalConfig struct {
	Root   string
	Mode   string
	Suites []string
}

// ParEvalCost is every problem's identity evaluation and the cost
// summaries beside the authors' driver's.
type ParEvalCost struct {
	Rows []ParEvalRow `json:"rows"`
	// Built is over the problems whose published code builds, the set the
	// authors' driver was measured on; All adds the ones lessonl fixes.
	Built   evaluate.CostSummary `json:"built"`
	All     evaluate.CostSummary `json:"all"`
	Authors datasets.DriverCost  `json:"authors"`
}

// ParEvalRow is one problem's own code evaluated as its candidate.
type ParEvalRow struct {
	Suite string `json:"suite"`
	// Builds is false for problems whose published code does not build
	// with their driver (fixed by lessonl; not in the authors' figures).
	Builds bool `json:"builds"`
	evaluate.CheckRow
}

// ParEval evaluates every problem's own code as its candidate, suite by
// suite, and summarises the wall time over the problems whose published
// code builds and over all; each, when not nil, receives every row as
// soon as it is known.
func ParEval(ctx context.Context, ev *evaluate.Evaluator, cfg ParEvalConfig, each func(ParEvalRow)) (*ParEvalCost, error) {
	res := &ParEvalCost{Authors: datasets.AuthorsDriverCost}
	var built, all []evaluate.CheckRow
	for _, suite := range cfg.Suites {
		ps, err := datasets.LoadParEval(datasets.ParEval{Root: cfg.Root, Suite: suite, Mode: cfg.Mode})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			rs, err := CheckProblem(ctx, ev, p)
			if err != nil {
				return nil, err
			}
			r := ParEvalRow{Suite: suite, Builds: !p.HasDefect(datasets.DefectOwnCodeBuild), CheckRow: rs[0]}
			res.Rows = append(res.Rows, r)
			all = append(all, r.CheckRow)
			if r.Builds {
				built = append(built, r.CheckRow)
			}
			if each != nil {
				each(r)
			}
		}
	}
	res.Built, res.All = evaluate.SummarizeCost(built), evaluate.SummarizeCost(all)
	return res, nil
}

// Passing counts the problems whose own code passed as its own candidate.
func (c *ParEvalCost) Passing() int {
	n := 0
	for _, r := range c.Rows {
		if r.OK {
			n++
		}
	}
	return n
}
