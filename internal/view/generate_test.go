package view

import (
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/internal/record"
)

// writeGenerateRun records a code-generation run: two strategies on
// three pysuite problems, one seed; "single" fails p2 with 3 of 5 hidden
// tests passed.
func writeGenerateRun(t *testing.T, dir string) {
	t.Helper()
	w, err := record.NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := record.WriteManifest(dir, &record.Manifest{SchemaVersion: record.SchemaVersion, Name: "gen", SpecHash: "g",
		Spec: []byte(`{"name":"gen","dataset":{"suite":"pysuite"}}`), Simulated: true, Started: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"lessonl", "single"} {
		for _, p := range []string{"p1", "p2", "p3"} {
			pass := s == "lessonl" || p != "p2"
			res := record.Result{Strategy: s, Kind: s, ProblemID: p, Category: "pysuite", Seed: 1, Status: "passed", Correct: true,
				Compiled: true, Passed: 5, Total: 5, FinalCandidateID: "k001", FinalAgent: "coder-a", LLMCalls: 1, RoundBest: "[0,0]"}
			cand := record.Candidate{Strategy: s, ProblemID: p, Seed: 1, CandidateID: "k001", Agent: "coder-a", Status: "passed",
				Passed: 5, Total: 5, FinalAnswer: true, Code: "def f():\n    return 1\n"}
			if !pass {
				res.Status, res.Correct, res.Passed = "failed", false, 3
				cand.Status, cand.Passed = "failed", 3
			}
			b := &record.Batch{Key: record.Key(s, "", p, 1), Results: []record.Result{res}, Candidates: []record.Candidate{cand},
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
	for _, tt := range []struct {
		name, body string
		want       []string
	}{
		{"overview", overview, []string{
			`href="` + cellLink + `" data-seed="1" data-status="failed">failed 3/5</a>`, `<a class="chip sp-3"`, ">passed</a>",
			"<th>pass@1 [95% CI]</th>", "<td>0.667 [", "<th>tests passed</th>", "<th data-sort=\"num\">hidden tests</th>",
			"coloured by whether its answer passed every hidden test", "really ran in the sandbox against its hidden tests"}},
		{"cell", cell, []string{`<span class="badge sp-fail">failed</span> 3/5 hidden tests passed`, "3/5 hidden tests <span class=\"final\">"}},
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
