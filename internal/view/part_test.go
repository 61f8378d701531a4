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

// startRun begins a run folder in dir for the view's tests: its manifest m,
// stamped with the schema version and a start time, and a writer for its
// tables.
func startRun(t testing.TB, dir string, m *record.Manifest) *record.Writer {
	t.Helper()
	w, err := record.NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.SchemaVersion, m.Started = record.SchemaVersion, time.Now()
	if err := record.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	return w
}

// writeToyRun records a run of a task the view has no part for ("toy",
// registered nowhere): one strategy on one problem, two seeds; seed 1's
// answer is correct with score 7, seed 2's incorrect with score 12.
func writeToyRun(t *testing.T, dir string) {
	t.Helper()
	w := startRun(t, dir, &record.Manifest{Name: "toy", SpecHash: "t", Spec: []byte(`{"name":"toy"}`), Simulated: true})
	for seed, score := range map[int64]float64{1: 7, 2: 12} {
		ok := seed == 1
		status := map[bool]string{true: "correct", false: "incorrect"}[ok]
		res := record.Result{Strategy: "count", Kind: "toy-count", ProblemID: "short", Category: "toy", Seed: seed, Status: status, Correct: ok,
			Score: score, FinalCandidateID: "k001", FinalAgent: "a", LLMCalls: 1, RoundBest: "[2,3]"}
		cand := record.Candidate{CellRef: record.CellRef{Strategy: "count", ProblemID: "short", Seed: seed}, CandidateID: "k001", Agent: "a",
			Status: status, Score: score, Detail: "counted tokens", FinalAnswer: true, Code: "a b c\n"}
		b := &record.Batch{Key: record.Key("count", "", "short", seed), Results: []record.Result{res}, Candidates: []record.Candidate{cand},
			Cells: []record.Cell{{Strategy: "count", Kind: "toy-count", ProblemID: "short", Category: "toy", Seed: seed, Status: record.CellDone,
				Task: "toy", Protocol: "lessonl", Models: "sim/coder-a", Resolved: "{}"}}}
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGenericPart: the cells of a task the view has no part for render
// through the generic part: answers by their status and score, squares
// by how many seeds' answers are correct, never by speedups or hidden
// tests.
func TestGenericPart(t *testing.T) {
	if pt := partOf("toy"); pt.shows() != byScore || pt.Name() != "toy" {
		t.Fatalf("partOf(toy) = %T %q, want the generic part", pt, pt.Name())
	}
	dir := filepath.Join(t.TempDir(), "toy")
	writeToyRun(t, dir)
	srv := httptest.NewServer(siteOver(t, Options{}, dir).Handler())
	defer srv.Close()
	forked := regexp.MustCompile(`[0-9.]+×|geomean|best so far|hidden test|generated tests|compiler or run output|sp-slow|sp-even`)
	_, _, overview := get(t, srv, "/")
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/", []string{`<span class="gm">1/2 correct</span>`, `<td class="sq sp-fail"`, `data-status="correct">s1 correct</a>`, `<span class="badge sp-fail">incorrect</span>`,
			`<th data-sort="num">score</th>`,
			"<h3>Task toy: Results</h3>"}},
		{"/cell/count/short/1", []string{`<span class="badge sp-3">correct</span> score 7`, "correct · score 7",
			"The answer k001 (by a, of 1 candidates) is correct with score 7, as its task scored it.", "<summary>output", "counted tokens"}},
		{"/cell/count/short/2", []string{`<span class="badge sp-fail">incorrect</span> score 12`, "is incorrect with score 12"}},
	} {
		code, _, body := get(t, srv, tt.path)
		if tt.path == "/" {
			body = overview
		}
		if code != 200 {
			t.Errorf("GET %s: %d", tt.path, code)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q:\n%s", tt.path, w, body)
			}
		}
		if m := forked.FindAllString(body, 5); len(m) > 0 {
			t.Errorf("GET %s shows another task's reading: %q", tt.path, m)
		}
	}
}

// TestPartOf: optimize's and generate's cells (and cells recorded without
// a task) take their registered parts; any other task the generic one.
func TestPartOf(t *testing.T) {
	for _, tt := range []struct {
		task string
		want showing
	}{{"", bySpeedup}, {"optimize", bySpeedup}, {"generate", byTests}, {"tokens", byScore}} {
		if got := partOf(tt.task).shows(); got != tt.want {
			t.Errorf("partOf(%q) shows %d, want %d", tt.task, got, tt.want)
		}
	}
}
