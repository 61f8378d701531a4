package view

import (
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

// writeGenerateRun records a code-generation run: two strategies on
// three pysuite problems, one seed; "single" fails p2 with 3 of 5 hidden
// tests passed: its answer k001 passed all 6 of its generated tests,
// while k002, which passed 4 of them, would have passed every hidden one.
func writeGenerateRun(t *testing.T, dir string) {
	t.Helper()
	w := startRun(t, dir, &record.Manifest{Name: "gen", SpecHash: "g", Spec: []byte(`{"name":"gen","dataset":{"suite":"pysuite"}}`), Simulated: true})
	for _, s := range []string{"lessonl", "single"} {
		for _, p := range []string{"p1", "p2", "p3"} {
			pass := s == "lessonl" || p != "p2"
			res := record.Result{Strategy: s, Kind: s, ProblemID: p, Category: "pysuite", Seed: 1, Status: "passed", Correct: true,
				Compiled: true, Passed: 5, Total: 5, FinalCandidateID: "k001", FinalAgent: "coder-a", LLMCalls: 1, RoundBest: "[0,0]"}
			cand := record.Candidate{CellRef: record.CellRef{Strategy: s, ProblemID: p, Seed: 1}, CandidateID: "k001", Agent: "coder-a", Status: "passed",
				Passed: 5, Total: 5, FinalAnswer: true, Code: "def f():\n    return 1\n"}
			cands := []record.Candidate{cand}
			if !pass {
				res.Status, res.Correct, res.Passed = "failed", false, 3
				cands[0].Status, cands[0].Passed, cands[0].TestsPassed, cands[0].TestsTotal, cands[0].CodeHash = "failed", 3, 6, 6, "h1"
				cands = append(cands, record.Candidate{CellRef: record.CellRef{Strategy: s, ProblemID: p, Seed: 1}, CandidateID: "k002", Agent: "coder-b", Status: "passed",
					Passed: 5, Total: 5, TestsPassed: 4, TestsTotal: 6, Code: "def f():\n    return 2\n", CodeHash: "h2"},
					record.Candidate{CellRef: record.CellRef{Strategy: s, ProblemID: p, Seed: 1}, CandidateID: "k003", Agent: "coder-c", Status: "passed", Cached: true,
						Passed: 5, Total: 5, TestsPassed: 4, TestsTotal: 6, Code: "def f():\n    return 2\n", CodeHash: "h2"})
				cands[1].CompileMS, cands[1].RunMS = 0, 41
			}
			b := &record.Batch{Key: record.Key(s, "", p, 1), Results: []record.Result{res}, Candidates: cands,
				Cells: []record.Cell{{Strategy: s, Kind: s, ProblemID: p, Category: "pysuite", Seed: 1, Status: "done"}}}
			if err := w.Write(b); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestGeneratePages: the browser shows a code-generation run by its
// hidden tests and pass@1, never by speedups (it has none).
func TestGeneratePages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gen")
	writeGenerateRun(t, dir)
	srv := httptest.NewServer(siteOver(t, Options{}, dir).Handler())
	defer srv.Close()
	speedups := regexp.MustCompile(`[0-9.]+×|–×|geomean|sp-slow|sp-even|sp-1|sp-2|sp-4|≥2×|>speedup<|best so far|timed`)
	_, _, overview := get(t, srv, "/")
	cellLink := "cells/" + cellID(record.Key("single", "", "p2", 1)) + ".html"
	_, _, cell := get(t, srv, "/"+cellLink)
	if cellLink != "cells/single~p2~1.html" {
		t.Errorf("cell link %s is not readable", cellLink)
	}
	if code, _, body := get(t, srv, "/cell/single/p2/1"); code != 200 || body != cell {
		t.Errorf("GET /cell/single/p2/1: %d, not the cell's page", code)
	}
	for _, tt := range []struct {
		name, body string
		want       []string
	}{
		{"overview", overview, []string{
			`href="` + cellLink + `" data-seed="1" data-status="failed">failed 3/5</a>`, `<a class="chip sp-3"`, ">passed</a>",
			"<th>pass@1 [95% CI]</th>", "<td>0.667 [", "<th>tests passed</th>", "<th data-sort=\"num\">hidden tests</th>",
			"coloured by whether its answer passed every hidden test", "really ran in the sandbox against its hidden tests"}},
		{"cell", cell, []string{`<span class="badge sp-fail">failed</span> 3/5 hidden tests passed`,
			"generated tests 6/6 (what the strategy saw) · hidden tests 3/5 (what grades it)</span> <span class=\"final\">",
			"generated tests 4/6 (what the strategy saw) · hidden tests 5/5 (what grades it)",
			"the answer k001 (by coder-a) passed 6/6 generated tests, the most of the cell&#39;s candidates (3 candidates)",
			"Passed every hidden test but not chosen: k002 (by coder-b, 4/6 generated tests).",
			`the evaluation of identical code was reused, that of <a href="#cand-k002">k002</a> (compile 0 ms · run 41 ms)`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(tt.body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			if m := speedups.FindAllString(tt.body, 5); len(m) > 0 {
				t.Errorf("shows speedups for a code-generation run: %q", m)
			}
		})
	}
}
