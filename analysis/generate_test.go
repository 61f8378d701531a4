package analysis

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/lessonlab/lessonl/internal/golden"
	"github.com/lessonlab/lessonl/internal/record"
)

// genResults: lessonl and single on three HumanEval+ problems, three
// seeds. lessonl passes p1 and p2 everywhere (base and plus) and p3's
// base only in seed 3; single passes p1 in every seed, p2's base only.
func genResults() []Result {
	var rs []record.Result
	add := func(strategy, kind, problem string, seed int64, base, plus bool) {
		r := record.Result{Strategy: strategy, Kind: kind, ProblemID: problem, Category: "humaneval+", Seed: seed,
			Status: "failed", Total: 10, BaseTotal: 3, Passed: 4, BasePassed: 1, LLMCalls: 3}
		if base {
			r.BasePassed = 3
		}
		if plus {
			r.Passed, r.Correct, r.Status = 10, true, "passed"
		}
		rs = append(rs, r)
	}
	for seed := int64(1); seed <= 3; seed++ {
		add("lessonl", "lessonl", "p1", seed, true, true)
		add("lessonl", "lessonl", "p2", seed, true, true)
		add("lessonl", "lessonl", "p3", seed, seed == 3, false)
		add("single", "single", "p1", seed, true, true)
		add("single", "single", "p2", seed, true, false)
		add("single", "single", "p3", seed, false, false)
	}
	return WrapTask(TaskGenerate, rs)
}

func TestGenerateTable(t *testing.T) {
	rs := genResults()
	// single samples 4 answers per cell, 2 of which pass on p1, none elsewhere.
	var cands []record.Candidate
	for _, r := range rs {
		if r.Strategy != "single" {
			continue
		}
		for i := 0; i < 4; i++ {
			c := record.Candidate{CellRef: record.CellRef{Strategy: r.Strategy, ProblemID: r.ProblemID, Seed: r.Seed}, Status: "failed", Total: 10, BaseTotal: 3}
			if r.ProblemID == "p1" && i < 2 {
				c.Status, c.Passed, c.BasePassed = "passed", 10, 3
			}
			cands = append(cands, c)
		}
	}
	tab := GenerateTable(rs, cands, Options{Resamples: 500}, "lessonl")
	if tab == nil || !tab.Only || len(tab.Rows) != 2 {
		t.Fatalf("table %+v", tab)
	}
	ll, single := tab.Rows[0], tab.Rows[1]
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	// lessonl HumanEval (base): per seed 2/3, 2/3, 3/3.
	near("lessonl HumanEval mean", ll.Cells["HumanEval"].Mean, (2.0/3+2.0/3+1)/3)
	near("lessonl HumanEval std", ll.Cells["HumanEval"].Std, math.Sqrt(((1.0/9)*(1.0/9)*2+(2.0/9)*(2.0/9))/2))
	near("lessonl HumanEval+ mean", ll.Cells["HumanEval+"].Mean, 2.0/3)
	near("single HumanEval+ mean", single.Cells["HumanEval+"].Mean, 1.0/3)
	if !math.IsNaN(ll.Cells["HumanEval+"].P) || math.IsNaN(single.Cells["HumanEval+"].P) {
		t.Errorf("p-values: reference %v, single %v", ll.Cells["HumanEval+"].P, single.Cells["HumanEval+"].P)
	}
	if c := ll.Cells["HumanEval+"]; c.Low > c.Mean || c.High < c.Mean || c.Problems != 3 || c.Seeds != 3 {
		t.Errorf("lessonl HumanEval+ cell %+v", c)
	}
	// pass@1 over 4 samples with 2 passing = 0.5 on p1, 0 elsewhere.
	near("single pass@1 from samples", single.Cells["HumanEval+"].PassK[1], 0.5/3)
	near("single base pass@1 from samples", single.Cells["HumanEval"].PassK[1], 0.5/3)
	if _, ok := ll.Cells["HumanEval+"].PassK[1]; ok {
		t.Error("lessonl is no sampling method: no pass@k")
	}
	if tab.Rows[0].Cells["MBPP"] != nil {
		t.Error("an MBPP cell without MBPP results")
	}
	var md, tex bytes.Buffer
	tab.Markdown(&md, true)
	tab.LaTeX(&tex, true)
	matchGolden(t, "generate.md.golden", md.Bytes())
	matchGolden(t, "generate.tex.golden", tex.Bytes())
}

func matchGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// TestGenRounds: the answer after round r is the candidate of rounds
// 0..r with the most generated tests passed, graded on hidden tests; a
// cell that stopped early keeps its answer.
func TestGenRounds(t *testing.T) {
	rs := WrapTask(TaskGenerate, []record.Result{
		{Strategy: "lessonl", Kind: "lessonl", ProblemID: "p1", Category: "humaneval", Seed: 1},
		{Strategy: "lessonl", Kind: "lessonl", ProblemID: "p2", Category: "humaneval", Seed: 1},
		{Strategy: "single", Kind: "single", ProblemID: "p1", Category: "humaneval", Seed: 1},
	})
	c := func(s, p string, round int64, id string, tests int64, status string) record.Candidate {
		return record.Candidate{CellRef: record.CellRef{Strategy: s, ProblemID: p, Seed: 1}, Round: round, CandidateID: id, TestsPassed: tests, TestsTotal: 6, Status: status}
	}
	cands := []record.Candidate{
		// p1: round 0's best by generated tests fails the hidden ones;
		// round 1 brings one that passes more generated tests and the hidden.
		c("lessonl", "p1", 0, "k001", 3, "passed"), c("lessonl", "p1", 0, "k002", 4, "failed"),
		c("lessonl", "p1", 1, "k003", 6, "passed"), c("lessonl", "p1", 2, "k004", 5, "failed"),
		// p2: passes in round 0 and stops.
		c("lessonl", "p2", 0, "k001", 6, "passed"),
		c("single", "p1", 0, "k001", 6, "passed"),
	}
	got := GenRounds(rs, cands)
	if len(got) != 1 || got[0].Label != "lessonl" || got[0].Cells != 2 {
		t.Fatalf("rounds %+v, want lessonl's alone over 2 cells", got)
	}
	if want := []float64{0.5, 1, 1}; fmt.Sprint(got[0].Pass1) != fmt.Sprint(want) {
		t.Errorf("pass@1 by round %v, want %v", got[0].Pass1, want)
	}
}

// TestGenerateFigures: a code-generation report draws pass@1 per dataset
// and pass@1 against tokens, and its Markdown links them.
func TestGenerateFigures(t *testing.T) {
	rs := genResults()
	for i := range rs {
		rs[i].PromptTokens, rs[i].CompletionTokens = 900, 100
	}
	rep, err := Build(&Runs{Dirs: []string{"g"}, Manifests: []*record.Manifest{{Name: "g", Simulated: true}}, Results: rs}, Options{Resamples: 100}, "lessonl")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range rep.Figures {
		names[f.Name] = true
		if _, err := f.Save(t.TempDir(), "png", "pdf"); err != nil {
			t.Error(err)
		}
	}
	if !names["pass1"] || !names["pass1-cost"] {
		t.Errorf("figures %v, want pass1 and pass1-cost", names)
	}
	var md bytes.Buffer
	rep.Markdown(&md)
	if !bytes.Contains(md.Bytes(), []byte("](pass1.png)")) || !bytes.Contains(md.Bytes(), []byte("](pass1-cost.png)")) {
		t.Errorf("the report does not link the figures:\n%s", md.String())
	}
}
