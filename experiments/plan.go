package experiments

import (
	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
)

// Estimate is what a plan expects a strategy variant to use.
type Estimate struct {
	Strategy string `json:"strategy"`
	Variant  string `json:"variant"`
	Cells    int    `json:"cells"`
	LLMCalls int    `json:"llm_calls"` // at most, over all its cells
	// Evaluations is the most candidates its cells judge, each once
	// (spec.CostOf): the unit of the cells' recorded evaluations and of
	// the progress display's.
	Evaluations int `json:"evaluations"`
	// CacheHits is how many of them the plan expects an earlier cell to
	// have made (SharedRound0): reused, not evaluated again.
	CacheHits int `json:"cache_hits"`
	// PromptTokens, CompletionTokens and Dollars estimate the LLM cost of
	// the calls (see Spec.Costs); Priced says some agent has a price.
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	Dollars          float64 `json:"dollars"`
	Priced           bool    `json:"priced"`
	// EvalHours is the time of the evaluations it makes (its cache hits
	// cost nothing) on this machine, one after another, from a previous
	// run's measurements or a calibration; 0 without either.
	EvalHours float64 `json:"eval_hours"`
}

// Plan is the expanded experiment, before anything runs.
type Plan struct {
	Cells     []spec.Cell `json:"cells"`
	Estimates []Estimate  `json:"estimates"`
	// Rate says where evaluation hours come from ("run DIR", "calibration
	// FILE: 6.1 s per evaluation ..."); "" without hours.
	Rate string `json:"rate,omitempty"`
	// Nodes and NodeHours: the wall time of the evaluations on that many
	// Slurm nodes (Spec.NodeHours); 0 when not asked.
	Nodes     int     `json:"nodes,omitempty"`
	NodeHours float64 `json:"node_hours,omitempty"`
}

// MakePlan expands the spec and estimates each variant's LLM calls and
// evaluations from its kind's call pattern.
func MakePlan(s *spec.Spec, problems []*datasets.Problem) Plan {
	cells := s.Cells(problems)
	shared := SharedRound0(s, cells)
	var est []Estimate
	index := map[string]int{}
	for _, c := range cells {
		k := c.Strategy + "|" + c.Variant
		i, ok := index[k]
		if !ok {
			i = len(est)
			index[k] = i
			est = append(est, Estimate{Strategy: c.Strategy, Variant: c.Variant})
		}
		calls, evals := spec.CostOf(c.Kind, c.Params, len(c.Agents), s.Dataset.Task())
		est[i].Cells++
		est[i].LLMCalls += calls
		est[i].Evaluations += evals
		est[i].CacheHits += shared[c.Key()]
	}
	plan := Plan{Cells: cells, Estimates: est}
	Costs(s, &plan, problems, nil)
	return plan
}
