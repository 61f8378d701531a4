package analysis

import (
	"fmt"
	"math"
	"sort"

	"github.com/lessonlab/lessonl/internal/stats"
)

// AllCategories is the category label of overall rows.
const AllCategories = "all"

// Options shape the metrics.
type Options struct {
	// TwoX is the ">2×" boundary: a speedup counts when ≥ TwoX (the paper's
	// code) or > TwoX when StrictTwoX (the paper's text). Default 2.
	TwoX       float64
	StrictTwoX bool
	// Resamples and Seed drive the bootstrap; defaults 2000 and 1.
	Resamples int
	Seed      uint64
	// Level is the confidence level; default 0.95.
	Level float64
}

// AtTwoX reports whether r counts toward the share at 2× (Share2x, the
// 2x metric, the paper's table): a correct answer at least TwoX faster,
// or more than TwoX faster when StrictTwoX. The one definition of it.
func (o Options) AtTwoX(r Result) bool {
	return r.Correct && (r.Speedup > o.TwoX || (!o.StrictTwoX && r.Speedup >= o.TwoX))
}

// twoXOp is the comparison AtTwoX makes: "≥", or ">" when strict.
func (o Options) twoXOp() string {
	if o.StrictTwoX {
		return ">"
	}
	return "≥"
}

// twoXTeX is the ≥2× column's header in LaTeX.
func (o Options) twoXTeX() string {
	op := "\\geq"
	if o.StrictTwoX {
		op = ">"
	}
	return fmt.Sprintf("$%s %g\\times$", op, o.TwoX)
}

func (o *Options) fill() {
	if o.TwoX == 0 {
		o.TwoX = 2
	}
	if o.Resamples == 0 {
		o.Resamples = 2000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
}

// Row is a strategy variant's metrics over one category (or all).
type Row struct {
	Strategy string `json:"strategy"`
	Variant  string `json:"variant"`
	Category string `json:"category"`
	N        int    `json:"n"`        // cells
	Problems int    `json:"problems"` // distinct problems
	// Percentages of cells whose answer compiled, was correct, and was
	// correct and at least 1.1× faster.
	PctCompiled float64 `json:"pct_compiled"`
	PctCorrect  float64 `json:"pct_correct"`
	PctFaster   float64 `json:"pct_faster"`
	// GeoMean is the geometric-mean speedup with the paper's convention (a
	// failed or slower answer counts 1×), with a bootstrap interval over
	// problems (seeds resampled within each problem).
	GeoMean     float64 `json:"geomean_speedup"`
	GeoLow      float64 `json:"geomean_ci_low"`
	GeoHigh     float64 `json:"geomean_ci_high"`
	GeoStdSeeds float64 `json:"geomean_std_seeds"` // std across seeds of each seed's geomean (the paper's ±)
	Seeds       int     `json:"seeds"`             // distinct seeds
	// MeanSpeedup counts a failed answer as 0.
	MeanSpeedup float64 `json:"mean_speedup"`
	// Share2x is the share of cells at 2× or more (see Options.TwoX).
	Share2x float64 `json:"share_2x"`
	// Per cell (problem × seed) means of what it cost.
	LLMCalls    float64 `json:"llm_calls"`
	Tokens      float64 `json:"tokens"`
	Evaluations float64 `json:"evaluations"`
	WallMS      float64 `json:"wall_ms"`
	Resamples   int     `json:"resamples"`
	Seed        uint64  `json:"bootstrap_seed"`
	// Task is optimize or generate. A generate row (HumanEval- or
	// MBPP-style suites) has no speedup: its speedup fields are 0 and
	// Pass1 is the share of its cells whose answer passed every hidden
	// test, with a bootstrap interval over problems (seeds nested);
	// TestsPassed is the mean share of hidden tests the answers passed.
	Task string `json:"task"`
	// Keys are what the row's cells ran with (run, mode, protocol, model,
	// parameters), as the run folder records them; nil for results made
	// in memory.
	Keys        *Keys   `json:"keys,omitempty"`
	Pass1       float64 `json:"pass1,omitempty"`
	Pass1Low    float64 `json:"pass1_ci_low,omitempty"`
	Pass1High   float64 `json:"pass1_ci_high,omitempty"`
	TestsPassed float64 `json:"tests_passed,omitempty"`
	// Warnings are the interval's (see internal/stats): too few problems,
	// or an interval collapsed to a point.
	Warnings []string `json:"warnings,omitempty"`
}

// Generate reports whether the row is of generate cells (pass@1, no
// speedup).
func (r Row) Generate() bool { return r.Task == TaskGenerate }

// The tasks a row can be of.
const (
	TaskOptimize = "optimize"
	TaskGenerate = "generate"
)

// PaperSpeedup is a result's speedup under the paper's convention: its
// speedup when correct and faster, else 1.
func PaperSpeedup(r Result) float64 {
	if r.Correct && r.Speedup > 1 {
		return r.Speedup
	}
	return 1
}

// Metrics computes a Row per strategy variant and category, and an overall
// row (category "all") per variant, for optimize and generate results;
// the results of other tasks are laid out by their task (TaskSections).
// Rows are sorted by strategy, variant, then category with "all" first.
func Metrics(rs []Result, o Options) []Row {
	o.fill()
	type groupKey struct{ strategy, variant, category string }
	groups := map[groupKey][]Result{}
	for _, r := range rs {
		if !r.layout().hasRows() {
			continue
		}
		groups[groupKey{r.Strategy, r.Variant, AllCategories}] = append(groups[groupKey{r.Strategy, r.Variant, AllCategories}], r)
		groups[groupKey{r.Strategy, r.Variant, r.Category}] = append(groups[groupKey{r.Strategy, r.Variant, r.Category}], r)
	}
	var rows []Row
	for k, g := range groups {
		rows = append(rows, summarize(k.strategy, k.variant, k.category, g, o))
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Strategy != b.Strategy {
			return a.Strategy < b.Strategy
		}
		if a.Variant != b.Variant {
			return a.Variant < b.Variant
		}
		if (a.Category == AllCategories) != (b.Category == AllCategories) {
			return a.Category == AllCategories
		}
		return a.Category < b.Category
	})
	return rows
}

// summarize is the metrics row of one group of results, as their task's
// reporter summarizes it (commonLayout).
func summarize(strategy, variant, category string, g []Result, o Options) Row {
	l := commonLayout(g)
	row := Row{Strategy: strategy, Variant: variant, Category: category, N: len(g), Resamples: o.Resamples, Seed: o.Seed, Task: l.Name()}
	if k := g[0].Keys; k.Run != "" {
		row.Keys = &k // one label, one set of keys: the label is made from them
	}
	return l.summarize(row, g, o)
}

// summarizeSpeedup fills an optimize row: what compiled, was correct and
// faster, the geometric-mean speedup with its interval and its spread
// across seeds, the mean speedup, the share at 2×, and the costs.
func summarizeSpeedup(row Row, g []Result, o Options) Row {
	byProblem := map[string][]float64{}
	bySeed := map[int64][]float64{}
	var compiled, correct, faster, twox int
	var mean float64
	var cost cellCosts
	for _, r := range g {
		s := PaperSpeedup(r)
		byProblem[r.ProblemID] = append(byProblem[r.ProblemID], s)
		bySeed[r.Seed] = append(bySeed[r.Seed], s)
		if r.Compiled {
			compiled++
		}
		if r.Correct {
			correct++
			mean += r.Speedup
			if r.Speedup >= 1.1 {
				faster++
			}
		}
		if o.AtTwoX(r) {
			twox++
		}
		cost.add(r)
	}
	n := float64(len(g))
	row.Problems = len(byProblem)
	row.PctCompiled, row.PctCorrect, row.PctFaster = 100*float64(compiled)/n, 100*float64(correct)/n, 100*float64(faster)/n
	row.MeanSpeedup, row.Share2x = mean/n, float64(twox)/n
	cost.fill(&row)
	groups := problemGroups(byProblem)
	geo := o.bootstrap().Nested(groups, logMean)
	row.GeoMean, row.GeoLow, row.GeoHigh = math.Exp(geo.Point), math.Exp(geo.Low), math.Exp(geo.High)
	row.Warnings = stats.Messages(geo.Warnings)
	row.Seeds = len(bySeed)
	if len(bySeed) > 1 {
		var gm []float64
		for _, s := range bySeed {
			gm = append(gm, math.Exp(logMean(s)))
		}
		row.GeoStdSeeds = std(gm)
	}
	return row
}

// cellCosts sums what cells cost, for a row's means per cell.
type cellCosts struct {
	n                          int
	calls, tokens, evals, wall float64
}

func (c *cellCosts) add(r Result) {
	c.n++
	c.calls += float64(r.LLMCalls)
	c.tokens += float64(r.PromptTokens + r.CompletionTokens)
	c.evals += float64(r.Evaluations)
	c.wall += float64(r.WallMS)
}

// fill sets row's means per cell.
func (c cellCosts) fill(row *Row) {
	n := float64(c.n)
	row.LLMCalls, row.Tokens, row.Evaluations, row.WallMS = c.calls/n, c.tokens/n, c.evals/n, c.wall/n
}

// problemGroups are the values of each problem, in the problems' order:
// the groups a nested bootstrap resamples.
func problemGroups(byProblem map[string][]float64) [][]float64 {
	groups := make([][]float64, 0, len(byProblem))
	for _, p := range sortedKeys(byProblem) {
		groups = append(groups, byProblem[p])
	}
	return groups
}

// summarizeGenerate fills a generate row: pass@1 with its interval, what
// compiled (parsed), the share of hidden tests passed, and the costs.
func summarizeGenerate(row Row, g []Result, o Options) Row {
	byProblem := map[string][]float64{}
	seeds := map[int64]bool{}
	var compiled, correct int
	var tests float64
	var cost cellCosts
	for _, r := range g {
		byProblem[r.ProblemID] = append(byProblem[r.ProblemID], b2f(r.Correct))
		seeds[r.Seed] = true
		if r.Compiled {
			compiled++
		}
		if r.Correct {
			correct++
		}
		if r.Total > 0 {
			tests += float64(r.Passed) / float64(r.Total)
		}
		cost.add(r)
	}
	n := float64(len(g))
	row.Problems, row.Seeds = len(byProblem), len(seeds)
	row.PctCompiled, row.PctCorrect = 100*float64(compiled)/n, 100*float64(correct)/n
	row.TestsPassed = tests / n
	cost.fill(&row)
	groups := problemGroups(byProblem)
	pass := o.bootstrap().Nested(groups, stats.Mean)
	row.Pass1, row.Pass1Low, row.Pass1High = pass.Point, pass.Low, pass.High
	row.Warnings = stats.Messages(pass.Warnings)
	return row
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
