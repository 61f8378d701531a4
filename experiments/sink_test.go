package experiments

import (
	"reflect"
	"testing"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// TestRowsAskTheOutcome holds the columns Rows writes for each task's
// candidate outcome: optimize's measurements and timing pairs, generate's
// hidden and generated tests, another task's score, and a reply without
// code; and, for the answer, the results row's columns it speaks for.
func TestRowsAskTheOutcome(t *testing.T) {
	timed := strategy.Timed{Outcome: evaluate.Outcome{Status: evaluate.Correct, CodeHash: "h1", Speedup: 2, CILow: 1.5, CIHigh: 2.5,
		BaselineNS: 200, CandidateNS: 100, BaselineReps: []int64{200, 210, 190}, CandidateReps: []int64{100, 105, 95}, PlacementSplit: 2,
		CompileMS: 30, RunMS: 40, Detail: "ok", Cached: true, CacheHit: "store", Origin: evaluate.Origin{Run: "r0", Cell: "c0"}}}
	gen := &strategy.GenOutcome{Tests: &pyeval.Verdict{Passed: 2, Total: 3},
		Hidden: pyeval.Verdict{Status: pyeval.Failed, Passed: 4, Total: 5, BasePassed: 1, BaseTotal: 2, CodeHash: "h2", Failure: "assert f(1) == 2", WallMS: 7}}
	for _, tt := range []struct {
		name    string
		cand    strategy.Candidate
		want    record.Candidate // beside the identifying columns
		timings int
		answer  record.Result // the columns the outcome fills beside status and ids
	}{
		{"optimize", strategy.Candidate{ID: "k1", Code: "c", Status: "correct", Outcome: timed},
			record.Candidate{CodeHash: "h1", Speedup: 2, CILow: 1.5, CIHigh: 2.5, BaselineNS: 200, CandidateNS: 100, Repetitions: 3,
				CompileMS: 30, RunMS: 40, Detail: "ok", Cached: true, CacheHit: "store", OriginRun: "r0", OriginCell: "c0"},
			3, record.Result{Speedup: 2, CILow: 1.5, CIHigh: 2.5}},
		{"generate", strategy.Candidate{ID: "k1", Code: "c", Status: "failed", Outcome: gen},
			record.Candidate{CodeHash: "h2", Passed: 4, Total: 5, BasePassed: 1, BaseTotal: 2, TestsPassed: 2, TestsTotal: 3,
				Detail: "assert f(1) == 2", RunMS: 7, OriginRun: "run", OriginCell: "single/-/p1/1"},
			0, record.Result{Passed: 4, Total: 5, BasePassed: 1, BaseTotal: 2}},
		{"scored", strategy.Candidate{ID: "k1", Code: "c", Status: "correct", Outcome: strategy.Scored{Score: 3, Detail: "3 tokens"}},
			record.Candidate{Score: 3, Detail: "3 tokens", OriginRun: "run", OriginCell: "single/-/p1/1"},
			0, record.Result{Score: 3}},
		{"no code", strategy.Candidate{ID: "k1", Status: strategy.NoCode}, record.Candidate{}, 0, record.Result{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			final := tt.cand
			c := &CellRecords{Cell: spec.Cell{Strategy: "single", Problem: "p1", Seed: 1}, Status: record.CellDone,
				Result: strategy.Result{Final: &final}, Candidates: []strategy.Candidate{tt.cand}}
			b := Rows(c, "run", "host")
			got := b.Candidates[0]
			want := tt.want
			want.CellRef, want.CandidateID, want.Code, want.Status, want.FinalAnswer = got.CellRef, "k1", tt.cand.Code, tt.cand.Status, true
			if want.OriginCell != "" && want.OriginRun == "run" {
				want.OriginCell = got.CellRef.CellID
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("candidate row\n got %+v\nwant %+v", got, want)
			}
			if len(b.Timings) != tt.timings {
				t.Fatalf("%d timing rows, want %d", len(b.Timings), tt.timings)
			}
			if tt.timings > 0 {
				last := b.Timings[2]
				if last.CandidateID != "k1" || last.Placement != 1 || last.Rep != 0 || last.BaselineNS != 190 || last.CandidateNS != 95 {
					t.Errorf("third timing row %+v: want pair 190/95 at placement 1, repetition 0", last)
				}
			}
			res := b.Results[0]
			if res.Speedup != tt.answer.Speedup || res.CILow != tt.answer.CILow || res.CIHigh != tt.answer.CIHigh ||
				res.Passed != tt.answer.Passed || res.Total != tt.answer.Total || res.BasePassed != tt.answer.BasePassed ||
				res.BaseTotal != tt.answer.BaseTotal || res.Score != tt.answer.Score {
				t.Errorf("results row %+v: want the answer's columns %+v", res, tt.answer)
			}
			if res.Status != tt.cand.Status || res.FinalCandidateID != "k1" || res.Correct != final.OK() {
				t.Errorf("results row status %q, final %q, correct %v", res.Status, res.FinalCandidateID, res.Correct)
			}
		})
	}
}
