// Package tasktoy_test adds a third task in a test, as a user would add
// one: its own file, registering the task, a kind that solves it and the
// task's report, touching no other file (a test binary of its own keeps
// the registrations out of other tests).
package tasktoy_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/table"
	"github.com/lessonlab/lessonl/internal/view"
)

// This file is a third task, "tokens" (an answer's score is how many
// tokens it has), with the one kind that solves it, as a user would add
// them: it touches no other file. TestToyTaskEndToEnd runs it through the
// runner, analysis, the report and the browser.

// toyTask is the task: the whole reply is the answer, and it is correct
// when it holds at most the problem's limit of whitespace-separated
// tokens (Sizes.Timing); the count goes in the candidate's detail.
type toyTask struct{}

func (toyTask) Name() string { return "tokens" }

func (toyTask) Extract(_ *strategy.Env, reply string) (string, bool) {
	return reply, strings.TrimSpace(reply) != ""
}

func (toyTask) Score(_ context.Context, e *strategy.Env, c strategy.Candidate, _ strategy.Scoring) (strategy.Candidate, strategy.Candidate, error) {
	if c.Status == strategy.NoCode {
		return c, c, nil
	}
	n := len(strings.Fields(c.Code))
	c.Outcome.Detail = fmt.Sprint(n)
	c.Status = "incorrect"
	if n <= e.Problem.Sizes.Timing {
		c.Status = "correct"
	}
	return c, c, nil
}

// toyKind asks its one agent the problem's description once and answers
// the reply. The request is cued as an ask (the simulator reads cues
// only); the sim team knows no such problem and answers a sentence.
type toyKind struct{}

func (toyKind) Cost(string, int) (int, int)                   { return 1, 1 }
func (toyKind) New(strategy.Build) (strategy.Strategy, error) { return toyKind{}, nil }
func (toyKind) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	desc := env.Problem.Description
	req := llm.Request{Messages: []llm.Message{{Role: "user", Content: desc}}, Temperature: 0.2,
		Cues: []llm.Cue{{Name: llm.AskOptimize, Message: 0, Start: 0, End: len(desc)}}}
	call, err := env.Ask(ctx, env.Agents[0], 0, "answer", req)
	if err != nil {
		return strategy.Result{}, strategy.StopErr(ctx, err)
	}
	c, err := env.Evaluate(ctx, call, 0)
	if err != nil {
		return strategy.Result{}, err
	}
	return strategy.Result{Final: c}, nil
}

// noEvaluator fails any C++ evaluation: the tokens task needs none.
type noEvaluator struct{}

func (noEvaluator) Evaluate(context.Context, *datasets.Problem, string) (evaluate.Outcome, error) {
	return evaluate.Outcome{}, fmt.Errorf("the tokens task evaluates no C++")
}

func init() {
	strategy.RegisterTask(toyTask{})
	strategy.Register(strategy.Kind{Name: "toy-count", Doc: "one agent, one answer (the tokens task's test kind)", Agents: 1,
		Tasks: []string{"tokens"}, Params: map[string]string{},
		Parse: func(*strategy.Params, strategy.Common) (strategy.Config, error) { return toyKind{}, nil }})
	analysis.RegisterTaskReport("tokens", analysis.TaskReport{Title: "tokens per answer",
		Table: func(rs []analysis.Result, cands []record.Candidate, _ analysis.Options) *table.Table {
			tokens := map[string]string{}
			for _, c := range cands {
				if c.FinalAnswer {
					tokens[record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)] = c.Detail
				}
			}
			t := &table.Table{Columns: table.Cols("method", "problem", "seed", "tokens", "within limit")}
			for _, r := range rs {
				t.AddTexts(r.Label(), r.ProblemID, fmt.Sprint(r.Seed), tokens[record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)], fmt.Sprint(r.Correct))
			}
			return t
		}})
}

// TestToyTaskEndToEnd runs the tokens task's kind on two problems of the
// task with the sim team (a simulator, over HTTP): each cell records task
// tokens and its answer scored by the task; analysis lays the results out
// by the task's report, with no speedup table; the browser shows the
// cells.
func TestToyTaskEndToEnd(t *testing.T) {
	mini, err := filepath.Abs("../testdata/mini")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := datasets.LoadDir(mini)
	if err != nil {
		t.Fatal(err)
	}
	team, err := sim.New(sim.Config{Problems: ps})
	if err != nil {
		t.Fatal(err)
	}
	llmSrv := httptest.NewServer(sim.Handler(team, nil))
	defer llmSrv.Close()
	spec := filepath.Join(t.TempDir(), "spec.yaml")
	text := fmt.Sprintf(`name: tokens
dataset: {path: %s}
agents:
  - {name: a, provider: openai, base_url: %s/v1, model: sim/coder-a}
strategies:
  - {name: count, kind: toy-count, agents: [a]}
seeds: [1]
`, mini, llmSrv.URL)
	if err := os.WriteFile(spec, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	problems := []*datasets.Problem{
		{ID: "short", Category: "reduce", Title: "short", Description: "Say hello.", TaskName: "tokens", Sizes: datasets.Sizes{Timing: 1000}},
		{ID: "tight", Category: "reduce", Title: "tight", Description: "Say hello in one word.", TaskName: "tokens", Sizes: datasets.Sizes{Timing: 1}},
	}
	out := filepath.Join(t.TempDir(), "run")
	// The spec's dataset block names C++ problems; the run takes the
	// task's own (a source of problems the block cannot name), and no C++
	// is ever evaluated.
	sum, _, err := experiments.Execute(context.Background(), spec, out, experiments.Options{Evaluator: noEvaluator{}, Problems: problems}, "test")
	if err != nil || sum.Ran != 2 || sum.Failed != 0 {
		t.Fatalf("summary %+v: %v", sum, err)
	}
	cells, err := record.Read[record.Cell](out, record.TableCells)
	if err != nil || len(cells) != 2 {
		t.Fatalf("%d cells: %v", len(cells), err)
	}
	for _, c := range cells {
		if c.Task != "tokens" {
			t.Errorf("%s: task %q, want tokens", c.CellID, c.Task)
		}
	}
	rows, err := record.Read[record.Problem](out, record.TableProblems)
	if err != nil || len(rows) != 2 || rows[0].Task != "tokens" {
		t.Fatalf("problems %+v: %v", rows, err)
	}
	res, err := record.Read[record.Result](out, record.TableResults)
	if err != nil || len(res) != 2 {
		t.Fatalf("results %+v: %v", res, err)
	}
	correct := map[string]bool{}
	for _, r := range res {
		correct[r.ProblemID] = r.Correct
	}
	// The sim's reply to a request it cannot place is a sentence: within
	// 1000 tokens, not within 1.
	if !correct["short"] || correct["tight"] {
		t.Errorf("correct %v, want short within its limit and tight not", correct)
	}

	runs, err := analysis.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs.Results {
		if r.Task() != "tokens" {
			t.Errorf("%s: analysis reads task %q", r.ProblemID, r.Task())
		}
	}
	rep, err := analysis.Build(runs, analysis.Options{}, "")
	if err != nil {
		t.Fatal(err)
	}
	var md strings.Builder
	rep.Markdown(&md)
	for _, want := range []string{"## Task tokens: tokens per answer", "| count | short | 1 |", "| count | tight | 1 |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, md.String())
		}
	}
	if strings.Contains(md.String(), "Geomean") || strings.Contains(md.String(), "geomean") || len(rep.Rows) != 0 {
		t.Errorf("the tokens task got speedup tables (%d rows):\n%s", len(rep.Rows), md.String())
	}

	site, err := view.New(rep, view.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	for _, path := range []string{"/", "/cell/count/short/1", "/cell/count/tight/1"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		if path == "/" && (!strings.Contains(string(body), "short") || !strings.Contains(string(body), "tight")) {
			t.Errorf("overview lacks the problems:\n%s", body)
		}
	}
}
