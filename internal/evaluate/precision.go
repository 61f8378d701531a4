package evaluate

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/lessonlab/lessonl/datasets"
)

// PrecisionRow summarises repeated identity evaluations of one problem:
// its baseline evaluated as its own candidate, where the true speedup is 1.
type PrecisionRow struct {
	ID            string  `json:"id"`
	Category      string  `json:"category"`
	Runs          int     `json:"runs"`
	PointsWithin  int     `json:"points_within"`  // point speedup in [0.97, 1.03]
	CIsCovering   int     `json:"cis_covering"`   // interval contains 1.0
	MedianWidth   float64 `json:"median_width"`   // median of ci_high - ci_low
	MedianSeconds float64 `json:"median_seconds"` // median wall time of one evaluation
	MinPoint      float64 `json:"min_point"`
	MaxPoint      float64 `json:"max_point"`
	// RunToRunSD is the standard deviation of the points' logarithms: how
	// far fresh evaluations of identical code spread, a value for
	// Config.RunToRun on this machine (it includes each point's own
	// error, so it errs on the wide side).
	RunToRunSD float64   `json:"run_to_run_sd"`
	Points     []float64 `json:"points"`
	// MeanProcesses is the timed processes an evaluation took on average:
	// two pairs, and more where a pair was timed again for too few clean
	// pairs (see regimeTolerance).
	MeanProcesses float64 `json:"mean_processes"`
}

// Precision evaluates each problem's baseline against itself runs times
// with a fresh evaluation each time (e must have Config.Fresh set), and
// reports how often the point lands near 1 and how often the interval
// covers 1: the evaluator's precision and honesty on this machine.
func Precision(ctx context.Context, e *Evaluator, problems []*datasets.Problem, runs int) ([]PrecisionRow, error) {
	if !e.cfg.Fresh {
		return nil, fmt.Errorf("precision: the evaluator must not reuse outcomes (set Config.Fresh)")
	}
	var rows []PrecisionRow
	for _, p := range problems {
		row := PrecisionRow{ID: p.ID, Category: p.Category, Runs: runs, MinPoint: 1e9}
		var widths, secs []float64
		for i := 0; i < runs; i++ {
			start := time.Now()
			out, err := e.Evaluate(ctx, p, p.BaselineCode)
			if err != nil {
				return rows, fmt.Errorf("precision %s: %w", p.ID, err)
			}
			if out.Status != Correct {
				return rows, fmt.Errorf("precision %s: the baseline against itself is %s: %s", p.ID, out.Status, out.Detail)
			}
			secs = append(secs, time.Since(start).Seconds())
			widths = append(widths, out.CIHigh-out.CILow)
			row.Points = append(row.Points, out.Speedup)
			row.MeanProcesses += float64(out.Processes) / float64(runs)
			if out.Speedup >= 0.97 && out.Speedup <= 1.03 {
				row.PointsWithin++
			}
			if out.CILow <= 1 && 1 <= out.CIHigh {
				row.CIsCovering++
			}
			row.MinPoint = min(row.MinPoint, out.Speedup)
			row.MaxPoint = max(row.MaxPoint, out.Speedup)
		}
		row.MedianWidth, row.MedianSeconds = median(widths), median(secs)
		row.RunToRunSD = logSD(row.Points)
		rows = append(rows, row)
	}
	return rows, nil
}

// logSD is the sample standard deviation of the logarithms of xs, 0 for
// fewer than two (JSON has no NaN).
func logSD(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	logs := make([]float64, len(xs))
	for i, x := range xs {
		logs[i] = math.Log(x)
	}
	return stat.StdDev(logs, nil)
}

// SpreadCategories picks up to n problems of distinct categories, in
// category order, so a precision study covers different kinds of code.
func SpreadCategories(ps []*datasets.Problem, n int) []*datasets.Problem {
	byCat := map[string]*datasets.Problem{}
	for _, p := range ps {
		if byCat[p.Category] == nil {
			byCat[p.Category] = p
		}
	}
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	var out []*datasets.Problem
	for _, c := range cats {
		if len(out) == n {
			break
		}
		out = append(out, byCat[c])
	}
	return out
}
