package analysis

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/table"
)

// GenRound is pass@1 of a code-generation strategy had it stopped after
// each round: the answer after round r is the candidate of rounds 0..r
// that passed the most of the strategy's own generated tests (the
// paper's rule for the final answer; the earliest on ties), graded on the
// hidden tests.
type GenRound struct {
	Label  string    `json:"method"`
	Column string    `json:"column"` // the suite as records carry it
	Cells  int       `json:"cells"`
	Pass1  []float64 `json:"pass1"` // per round, from round 0
}

// GenRounds computes GenRound for every code-generation variant of a
// kind that answers the best of its rounds so far (Traits.BestOfRounds:
// LessonL; other kinds choose otherwise) whose cells have candidates from
// more than one round.
// A cell that stopped early (its code passed every generated test) keeps
// its answer in later rounds.
func GenRounds(rs []Result, cands []record.Candidate) []GenRound {
	cell := map[string]Result{}
	for _, r := range rs {
		if r.Generate() && traitsOf(r.Kind).BestOfRounds {
			cell[record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)] = r
		}
	}
	by := map[string][]record.Candidate{}
	for _, c := range cands {
		k := record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)
		if _, ok := cell[k]; ok {
			by[k] = append(by[k], c)
		}
	}
	type acc struct {
		rounds [][]float64 // per round, per cell
		cells  int
	}
	groups := map[string]*acc{}
	maxRound := map[string]int{}
	for k, cs := range by {
		r := cell[k]
		g := label(r.Strategy, r.Variant) + "\x00" + r.Category
		for _, c := range cs {
			maxRound[g] = max(maxRound[g], int(c.Round))
		}
	}
	for k, cs := range by {
		r := cell[k]
		g := label(r.Strategy, r.Variant) + "\x00" + r.Category
		if maxRound[g] == 0 {
			continue
		}
		sort.SliceStable(cs, func(i, j int) bool {
			if cs[i].Round != cs[j].Round {
				return cs[i].Round < cs[j].Round
			}
			return cs[i].CandidateID < cs[j].CandidateID
		})
		if groups[g] == nil {
			groups[g] = &acc{rounds: make([][]float64, maxRound[g]+1)}
		}
		groups[g].cells++
		var best *record.Candidate
		i := 0
		for round := 0; round <= maxRound[g]; round++ {
			for ; i < len(cs) && int(cs[i].Round) <= round; i++ {
				if best == nil || genTests(cs[i]) > genTests(*best) {
					best = &cs[i]
				}
			}
			v := 0.0
			if best != nil && best.Status == "passed" {
				v = 1
			}
			groups[g].rounds[round] = append(groups[g].rounds[round], v)
		}
	}
	var out []GenRound
	for _, g := range sortedKeys(groups) {
		l, col, _ := strings.Cut(g, "\x00")
		gr := GenRound{Label: l, Column: col, Cells: groups[g].cells}
		for _, vs := range groups[g].rounds {
			s := 0.0
			for _, v := range vs {
				s += v
			}
			gr.Pass1 = append(gr.Pass1, s/float64(len(vs)))
		}
		out = append(out, gr)
	}
	return out
}

// genTests is a candidate's share of the strategy's generated tests
// passed (-1 without any: below every candidate that has them).
func genTests(c record.Candidate) float64 {
	if c.TestsTotal == 0 {
		return -1
	}
	return float64(c.TestsPassed) / float64(c.TestsTotal)
}

// genRoundsMarkdown writes the per-round table.
func genRoundsMarkdown(w io.Writer, rounds []GenRound) {
	if len(rounds) == 0 {
		return
	}
	n := 0
	for _, r := range rounds {
		n = max(n, len(r.Pass1))
	}
	fmt.Fprintf(w, "### LessonL's pass@1 by round\n\nHad the strategy stopped after round r: the answer is the candidate of rounds 0..r that passed the most generated tests (the final answer's rule), graded on the hidden tests; a cell that stopped early keeps its answer.\n\n")
	t := table.Table{Columns: table.Cols("method", "suite", "cells")}
	for i := 0; i < n; i++ {
		t.Columns = append(t.Columns, table.Column{Name: fmt.Sprintf("round %d", i)})
	}
	for _, r := range rounds {
		row := table.Texts(r.Label, r.Column, fmt.Sprint(r.Cells))
		for i := 0; i < n; i++ {
			if i < len(r.Pass1) {
				row = append(row, table.Text(three(r.Pass1[i])))
			} else {
				row = append(row, table.Missing)
			}
		}
		t.Add(row...)
	}
	t.WriteMarkdown(w)
	fmt.Fprintln(w)
}

// GenBars is grouped bars of pass@1 per dataset column, one bar per
// method, with bootstrap interval whiskers: the Table 2 layout drawn.
func GenBars(t *GenTable, simulated bool, st *Style) (*Figure, error) {
	if t == nil || len(t.Rows) == 0 {
		return nil, fmt.Errorf("no code-generation rows")
	}
	var series []string
	for _, r := range t.Rows {
		series = append(series, r.Label)
	}
	series = st.Order(series)
	byLabel := map[string]GenRow{}
	for _, r := range t.Rows {
		byLabel[r.Label] = r
	}
	p := newPlot("pass@1 per dataset (whiskers: 95% bootstrap CI over problems, seeds nested)", "dataset", "pass@1\n(share of problems passing every hidden test)")
	genSimNote(p, simulated)
	width := vg.Length(math.Max(6, 0.4*float64(len(t.Columns)*len(series))+1.5)) * vg.Inch
	w := vg.Length(math.Max(3, 0.8*float64(width-vg.Inch)/float64(len(t.Columns))/float64(len(series))))
	_, err := groupedBars(p, st, series, len(t.Columns), w, true, func(s string, j int) (v, low, high float64, ok bool) {
		x := byLabel[s].Cells[t.Columns[j]]
		if x == nil {
			return 0, 0, 0, false
		}
		if x.Problems >= minIntervalN && !math.IsNaN(x.Low) {
			low, high = x.Mean-x.Low, x.High-x.Mean
		}
		return x.Mean, low, high, true
	})
	if err != nil {
		return nil, err
	}
	p.NominalX(t.Columns...)
	p.Y.Min, p.Y.Max = 0, 1.05
	return &Figure{Name: "pass1", Plot: p, Width: width, Height: 4.5 * vg.Inch, Categories: t.Columns, Series: series, Colors: colors(st, series)}, nil
}

// genSimNote labels a code-generation figure of the sim team's runs.
func genSimNote(p *plot.Plot, simulated bool) {
	if simulated {
		p.Title.Text += "\n(sim team (a simulator): checks the wiring, never ranks methods)"
	}
}

// GenCost is pass@1 against cost: tokens per cell (log scale) of each
// method over all its code-generation cells, with pass@1's interval.
func GenCost(rows []Row, simulated bool, st *Style) (*Figure, error) {
	p := newPlot("pass@1 versus cost (whiskers: 95% bootstrap CI over problems)", "tokens per cell (prompt + completion, log scale)", "pass@1")
	genSimNote(p, simulated)
	var series []string
	minX, maxX := math.Inf(1), 0.0
	byLabel := map[string]Row{}
	for _, r := range rows {
		if r.Generate() && r.Category == AllCategories && r.Tokens > 0 {
			byLabel[label(r.Strategy, r.Variant)] = r
		}
	}
	for _, l := range st.Order(sortedKeys(byLabel)) {
		r := byLabel[l]
		pt := plotter.XYs{{X: r.Tokens, Y: r.Pass1}}
		if err := addPoint(p, st, l, pt[0]); err != nil {
			return nil, err
		}
		if r.Problems >= minIntervalN {
			eb := &plotter.YErrorBars{XYs: pt, YErrors: plotter.YErrors{{Low: r.Pass1 - r.Pass1Low, High: r.Pass1High - r.Pass1}},
				LineStyle: draw.LineStyle{Color: st.Color(l), Width: vg.Points(1)}, CapWidth: vg.Points(5)}
			p.Add(eb)
		}
		series = append(series, l)
		minX, maxX = math.Min(minX, r.Tokens), math.Max(maxX, r.Tokens)
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("no code-generation method used tokens")
	}
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.X.Min, p.X.Max = minX/1.6, maxX*1.6
	p.Y.Min, p.Y.Max = 0, 1.05
	return &Figure{Name: "pass1-cost", Plot: p, Width: 6.5 * vg.Inch, Height: 4.5 * vg.Inch, Series: series, Colors: colors(st, series)}, nil
}
