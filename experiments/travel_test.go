package experiments

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/record"
)

// TestStrategiesOnSimTeam runs every strategy against the sim team over
// HTTP on problems of different categories, then checks on the records
// that every strategy completed and that lessons travel: with the paper's
// selection, round ≥ 1 prompts hold lessons by other agents and agents
// answer faster solutions more often than in round 0; with selection none
// no lesson is shown and that shift disappears.
func TestStrategiesOnSimTeam(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	all, err := datasets.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	problems := evaluate.SpreadCategories(all, 6)
	if len(problems) < 6 {
		t.Skipf("the built-in suite has %d categories so far; this test needs 6", len(problems))
	}
	team, err := sim.New(sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler(team, nil))
	defer srv.Close()
	var ids []string
	for _, p := range problems {
		ids = append(ids, p.ID)
	}
	sp := fmt.Sprintf(`name: travel
dataset: {suite: codeopt, problems: [%s]}
evaluation: {repetitions: 5, warmup: 1, timeout: 60s}
agents:
  - {name: coder-a, provider: openai, base_url: %[2]s, model: sim/coder-a}
  - {name: coder-b, provider: openai, base_url: %[2]s, model: sim/coder-b}
  - {name: coder-c, provider: openai, base_url: %[2]s, model: sim/coder-c}
  - {name: large, provider: openai, base_url: %[2]s, model: sim/large}
strategies:
  - {name: lessonl, kind: lessonl, agents: [coder-a, coder-b, coder-c]}
  - {name: lessonl-none, kind: lessonl, agents: [coder-a, coder-b, coder-c], params: {selection: none}}
  - {name: single-a, kind: single, agents: [coder-a], params: {samples: 24}}
  - {name: single-b, kind: single, agents: [coder-b], params: {samples: 24}}
  - {name: single-c, kind: single, agents: [coder-c], params: {samples: 24}}
  - {name: cot, kind: cot, agents: [large]}
  - {name: voting, kind: voting, agents: [coder-a, coder-b, coder-c]}
  - {name: debate, kind: debate, agents: [coder-a, coder-b, coder-c], params: {feedback: true}}
  - {name: best-of-n, kind: best-of-n, agents: [coder-a, coder-b, coder-c], params: {n: 6}}
  - {name: moa, kind: moa, agents: [coder-a, coder-b, coder-c, large]}
  - {name: reflexion, kind: reflexion, agents: [coder-a]}
  - {name: mapcoder, kind: mapcoder, agents: [coder-b]}
seeds: [1, 2, 3]
`, strings.Join(ids, ", "), srv.URL+"/v1")
	path := filepath.Join(t.TempDir(), "travel.yaml")
	os.WriteFile(path, []byte(sp), 0o644)
	out := filepath.Join(t.TempDir(), "run")
	sum, _, err := Execute(context.Background(), path, out, Options{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 || sum.Ran != 12*6*3 {
		t.Fatalf("summary %+v: want %d cells, none failed", sum, 12*6*3)
	}

	results, _ := record.Read[record.Result](out, record.TableResults)
	per := map[string][]float64{}
	for _, r := range results {
		s := 1.0 // the paper's convention: failed or slower counts 1
		if r.Correct && r.Speedup > 1 {
			s = r.Speedup
		}
		per[r.Strategy] = append(per[r.Strategy], s)
		if r.LLMCalls == 0 {
			t.Errorf("%s on %s made no LLM call", r.Strategy, r.ProblemID)
		}
	}
	var names []string
	for s := range per {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		t.Logf("geomean speedup %-13s %.3f over %d cells (sim team: a simulator)", s, geomean(per[s]), len(per[s]))
	}

	// Lessons travel.
	calls, _ := record.Read[record.LLMCall](out, record.TableLLMCalls)
	foreign := 0
	for _, c := range calls {
		if c.Strategy == "lessonl-none" && strings.Contains(c.Prompt, "Lessons learned") {
			t.Fatalf("selection none: a prompt holds lessons (%s %s round %d)", c.ProblemID, c.Agent, c.Round)
		}
		if c.Strategy == "lessonl" && c.Purpose == "optimize" && c.Round > 0 && strings.Contains(c.Prompt, "Lessons learned") {
			foreign++
		}
	}
	sels, _ := record.Read[record.Selection](out, record.TableSelections)
	// Every agent of a round gets the same prompt, so a shown lesson
	// reaches the two agents that did not write it.
	byAuthor := 0
	lessons, _ := record.Read[record.Lesson](out, record.TableLessons)
	author := map[string]string{}
	for _, l := range lessons {
		author[record.Key(l.Strategy, l.Variant, l.ProblemID, l.Seed)+"|"+l.LessonID] = l.Agent
	}
	for _, s := range sels {
		if s.Strategy == "lessonl-none" {
			t.Fatal("selection none recorded a selection")
		}
		if author[record.Key(s.Strategy, s.Variant, s.ProblemID, s.Seed)+"|"+s.LessonID] != "" {
			byAuthor++
		}
	}
	if foreign == 0 || byAuthor == 0 {
		t.Errorf("lessons did not travel: %d later prompts with lessons, %d selections of banked lessons", foreign, byAuthor)
	}

	// The shift: share of faster solutions among the candidates of rounds
	// ≥ 1 relative to round 0, with and without lessons.
	cands, _ := record.Read[record.Candidate](out, record.TableCandidates)
	expected := map[string]datasets.Expected{}
	for _, p := range all {
		for _, s := range p.Solutions {
			expected[p.ID+"|"+evaluate.Normalize(s.Code)] = s.Expected
		}
	}
	share := func(strategy string, later bool) (float64, int) {
		n, fast := 0, 0
		for _, c := range cands {
			if c.Strategy != strategy || (c.Round > 0) != later {
				continue
			}
			n++
			if expected[c.ProblemID+"|"+evaluate.Normalize(c.Code)] == datasets.ExpectFaster {
				fast++
			}
		}
		return float64(fast) / math.Max(1, float64(n)), n
	}
	p0, n0 := share("lessonl", false)
	p1, n1 := share("lessonl", true)
	q0, m0 := share("lessonl-none", false)
	q1, m1 := share("lessonl-none", true)
	t.Logf("share of faster solutions: paper selection round 0 %.2f (n=%d), rounds 1-3 %.2f (n=%d); selection none round 0 %.2f (n=%d), rounds 1-3 %.2f (n=%d)",
		p0, n0, p1, n1, q0, m0, q1, m1)
	if !(p1 > p0+0.1) {
		t.Errorf("with lessons, later rounds' faster share %.2f did not rise above round 0's %.2f", p1, p0)
	}
	if math.Abs(q1-q0) > 0.15 {
		t.Errorf("without lessons, later rounds' faster share %.2f moved from round 0's %.2f", q1, q0)
	}
	if !(p1 > q1+0.1) {
		t.Errorf("later rounds' faster share with lessons %.2f is not above without %.2f", p1, q1)
	}
}

func geomean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += math.Log(x)
	}
	return math.Exp(s / float64(len(xs)))
}
