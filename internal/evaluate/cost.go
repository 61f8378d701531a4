package evaluate

import "sort"

// CostSummary is what evaluations cost in wall time, the price a
// researcher pays per candidate: the figure lessonl's evaluator is compared
// with the authors' driver on.
type CostSummary struct {
	Evaluations int     `json:"evaluations"`
	MedianS     float64 `json:"median_s"`
	Q1S         float64 `json:"q1_s"` // first quartile
	Q3S         float64 `json:"q3_s"` // third quartile
	MaxS        float64 `json:"max_s"`
	Timeouts    int     `json:"timeouts"` // ended at the run limit
	Failed      int     `json:"failed"`   // ended neither correct nor at the limit
}

// SummarizeCost summarises the wall time of rows' evaluations; reused
// outcomes (EvalMS 0) are left out. Quartiles interpolate linearly between
// order statistics (type 7, as NumPy's default).
func SummarizeCost(rows []CheckRow) CostSummary {
	var s CostSummary
	var secs []float64
	for _, r := range rows {
		switch r.Status {
		case Correct:
		case Timeout:
			s.Timeouts++
		default:
			s.Failed++
		}
		if r.EvalMS > 0 {
			secs = append(secs, float64(r.EvalMS)/1000)
		}
	}
	s.Evaluations = len(secs)
	if len(secs) == 0 {
		return s
	}
	sort.Float64s(secs)
	s.MedianS, s.Q1S, s.Q3S = quantile(secs, 0.5), quantile(secs, 0.25), quantile(secs, 0.75)
	s.MaxS = secs[len(secs)-1]
	return s
}
