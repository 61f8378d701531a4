package analysis

import (
	"encoding/json"
	"math"
	"sort"

	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/stats"
)

// label is a strategy with its variant, as tables show it.
func label(strategy, variant string) string {
	if variant == "" {
		return strategy
	}
	return strategy + "[" + variant + "]"
}

// labelLess orders rows by strategy label, then the all-categories row
// first, then category, as every per-category table is printed.
func labelLess(s1, v1, c1, s2, v2, c2 string) bool {
	if l1, l2 := label(s1, v1), label(s2, v2); l1 != l2 {
		return l1 < l2
	}
	if (c1 == AllCategories) != (c2 == AllCategories) {
		return c1 == AllCategories
	}
	return c1 < c2
}

// Progress is the best-so-far speedup after each round of a strategy
// variant over one category (or all): the geometric mean over cells under
// the paper's convention (nothing correct and faster yet counts 1×).
type Progress struct {
	Strategy string    `json:"strategy"`
	Variant  string    `json:"variant"`
	Category string    `json:"category"`
	Rounds   []float64 `json:"rounds"`
	N        int       `json:"n"`
}

// Progression computes Progress for every strategy variant whose cells
// recorded rounds (LessonL, debate with measurement, reflexion, MapCoder).
func Progression(rs []Result) []Progress {
	type key struct{ s, v, c string }
	logs := map[key][][]float64{}
	for _, r := range rs {
		var rounds []float64
		if json.Unmarshal([]byte(r.RoundBest), &rounds) != nil || len(rounds) == 0 {
			continue
		}
		for _, c := range []string{AllCategories, r.Category} {
			k := key{r.Strategy, r.Variant, c}
			logs[k] = append(logs[k], rounds)
		}
	}
	var out []Progress
	for k, cells := range logs {
		n := 0
		for _, c := range cells {
			n = max(n, len(c))
		}
		p := Progress{Strategy: k.s, Variant: k.v, Category: k.c, N: len(cells), Rounds: make([]float64, n)}
		for i := 0; i < n; i++ {
			best := make([]float64, len(cells))
			for j, c := range cells {
				best[j] = math.Max(1, c[min(i, len(c)-1)]) // a cell that stopped early keeps its last best
			}
			p.Rounds[i] = stats.GeoMean(best)
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return labelLess(a.Strategy, a.Variant, a.Category, b.Strategy, b.Variant, b.Category)
	})
	return out
}

// AgentCell is one agent's geometric-mean speedup on one category, from
// the cells where it worked alone (kinds single and cot).
type AgentCell struct {
	Agent    string  `json:"agent"`
	Category string  `json:"category"`
	GeoMean  float64 `json:"geomean_speedup"`
	N        int     `json:"n"`
}

// AgentsByCategory computes, for every agent run alone, its geometric
// mean per category: the table behind the observation that no model
// dominates every category.
func AgentsByCategory(rs []Result, calls []record.LLMCall) []AgentCell {
	agentOf := map[string]string{}
	for _, c := range calls {
		agentOf[record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)] = c.Agent
	}
	type key struct{ a, c string }
	speedups := map[key][]float64{}
	for _, r := range rs {
		if !traitsOf(r.Kind).Plain {
			continue
		}
		a := agentOf[record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)]
		if a == "" {
			continue
		}
		k := key{a, r.Category}
		speedups[k] = append(speedups[k], PaperSpeedup(r))
	}
	var out []AgentCell
	for k, l := range speedups {
		out = append(out, AgentCell{Agent: k.a, Category: k.c, GeoMean: stats.GeoMean(l), N: len(l)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Agent != out[j].Agent {
			return out[i].Agent < out[j].Agent
		}
		return out[i].Category < out[j].Category
	})
	return out
}

// Price is an agent's token price in dollars per million tokens.
type Price struct {
	InputPerMTok  float64 `json:"input_per_mtok"`
	OutputPerMTok float64 `json:"output_per_mtok"`
}

// Prices reads agents' prices from the manifests' agents.
func (r *Runs) Prices() map[string]Price {
	out := map[string]Price{}
	for _, m := range r.Manifests {
		for _, a := range runAgents(m) {
			if a.Priced {
				out[a.Name] = Price{InputPerMTok: a.InputPerMTok, OutputPerMTok: a.OutputPerMTok}
			}
		}
	}
	return out
}

// Cost is what a strategy variant spent per cell, with its quality.
type Cost struct {
	Strategy     string  `json:"strategy"`
	Variant      string  `json:"variant"`
	DollarsCell  float64 `json:"dollars_per_cell"`   // 0 when no agent has a price
	DollarsTotal float64 `json:"dollars_total"`      //
	TokensCell   float64 `json:"tokens_per_cell"`    //
	CallsCell    float64 `json:"llm_calls_per_cell"` //
	GeoMean      float64 `json:"geomean_speedup"`    // paper convention
	Pareto       bool    `json:"pareto"`             // no other variant is cheaper (in tokens) and better
}

// Costs computes Cost per strategy variant and marks the Pareto front of
// tokens versus geometric-mean speedup (the paper's Figure 4).
func Costs(r *Runs) []Cost {
	prices := r.Prices()
	type key struct{ s, v string }
	dollars := map[key]float64{}
	for _, c := range r.Calls {
		p := prices[c.Agent]
		dollars[key{c.Strategy, c.Variant}] += float64(c.PromptTokens)*p.InputPerMTok/1e6 + float64(c.CompletionTokens)*p.OutputPerMTok/1e6
	}
	agg := map[key]*Cost{}
	speedups := map[key][]float64{}
	for _, res := range r.Results {
		k := key{res.Strategy, res.Variant}
		if agg[k] == nil {
			agg[k] = &Cost{Strategy: res.Strategy, Variant: res.Variant}
		}
		agg[k].TokensCell += float64(res.PromptTokens + res.CompletionTokens)
		agg[k].CallsCell += float64(res.LLMCalls)
		speedups[k] = append(speedups[k], PaperSpeedup(res))
	}
	var out []Cost
	for k, c := range agg {
		n := float64(len(speedups[k]))
		c.DollarsTotal = dollars[k]
		c.DollarsCell = dollars[k] / n
		c.TokensCell /= n
		c.CallsCell /= n
		c.GeoMean = stats.GeoMean(speedups[k])
		out = append(out, *c)
	}
	for i := range out {
		out[i].Pareto = true
		for j := range out {
			if i != j && out[j].TokensCell <= out[i].TokensCell && out[j].GeoMean >= out[i].GeoMean &&
				(out[j].TokensCell < out[i].TokensCell || out[j].GeoMean > out[i].GeoMean) {
				out[i].Pareto = false
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].TokensCell != out[j].TokensCell {
			return out[i].TokensCell < out[j].TokensCell
		}
		return label(out[i].Strategy, out[i].Variant) < label(out[j].Strategy, out[j].Variant)
	})
	return out
}

// PaperRow is one row of the paper's Table 1 layout: per mode, Correct,
// >2× and Speedup as mean ± std across seeds.
type PaperRow struct {
	Label string               `json:"label"`
	Modes map[string]PaperCell `json:"modes"`
}

// PaperCell is one mode's three figures, each a mean and a std across seeds.
type PaperCell struct {
	Correct, CorrectStd float64
	TwoX, TwoXStd       float64
	Speedup, SpeedupStd float64
	Seeds               int
}

// PaperTable lays results out as the paper's Table 1: one row per strategy
// variant, per mode (the mode key; its label leaves the mode out) the
// share correct, the share at 2× or more and the geometric-mean speedup,
// each the mean ± std over seeds of the per-seed figure over problems.
func PaperTable(r *Runs, o Options) []PaperRow {
	o.fill()
	perSeed := map[string]map[string]map[int64][]Result{} // label → mode → seed → results
	for _, res := range r.Results {
		l := label(res.Strategy, res.Keys.Without(KeyMode).Variant())
		if perSeed[l] == nil {
			perSeed[l] = map[string]map[int64][]Result{}
		}
		m := res.Keys.Mode
		if m == "" {
			m = "serial"
		}
		if perSeed[l][m] == nil {
			perSeed[l][m] = map[int64][]Result{}
		}
		perSeed[l][m][res.Seed] = append(perSeed[l][m][res.Seed], res)
	}
	var out []PaperRow
	for _, l := range sortedKeys(perSeed) {
		row := PaperRow{Label: l, Modes: map[string]PaperCell{}}
		for m, seeds := range perSeed[l] {
			var corr, twox, sp []float64
			for _, rs := range seeds {
				c, t := 0.0, 0.0
				s := make([]float64, len(rs))
				for i, x := range rs {
					if x.Correct {
						c++
					}
					if o.AtTwoX(x) {
						t++
					}
					s[i] = PaperSpeedup(x)
				}
				n := float64(len(rs))
				corr, twox, sp = append(corr, c/n), append(twox, t/n), append(sp, stats.GeoMean(s))
			}
			row.Modes[m] = PaperCell{Correct: stats.Mean(corr), CorrectStd: std(corr), TwoX: stats.Mean(twox), TwoXStd: std(twox),
				Speedup: stats.Mean(sp), SpeedupStd: std(sp), Seeds: len(seeds)}
		}
		out = append(out, row)
	}
	return out
}
