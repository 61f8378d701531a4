// Package tasktoy_test adds a third task in a test, as a user would add
// one: its own file, registering the task, a kind that solves it and the
// task's report, touching no other file (a test binary of its own keeps
// the registrations out of other tests).
package tasktoy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/table"
	"github.com/lessonlab/lessonl/internal/view"
)

// This file is a third task, "tokens" (an answer's score is how many
// tokens it has), as a user would add one: one value registered once
// (datasets.RegisterTask) that bundles how a candidate is scored (its
// strategies' part) and how its results are laid out (its analysis
// part), the source its problems come from and the one kind that solves
// it. It touches no other file. TestToyTaskEndToEnd runs it from a spec
// through the runner, analyze, the report and the browser.

// toyTask is the task: the whole reply is the answer, and it is correct
// when it holds at most the problem's limit of whitespace-separated
// tokens (Sizes.Timing); the count is the candidate's score (the score
// column of candidates and results) and its detail says it.
type toyTask struct{}

// Name implements datasets.TaskKind.
func (toyTask) Name() string { return "tokens" }

// Extract implements strategy.TaskKind: the answer is the whole reply.
func (toyTask) Extract(_ *strategy.Env, reply string) (string, bool) {
	return reply, strings.TrimSpace(reply) != ""
}

// Score implements strategy.TaskKind: the answer's tokens against the
// problem's limit.
func (toyTask) Score(_ context.Context, e *strategy.Env, c strategy.Candidate, _ strategy.Scoring) (strategy.Candidate, strategy.Candidate, error) {
	if c.Status == strategy.NoCode {
		return c, c, nil
	}
	n := len(strings.Fields(c.Code))
	c.Outcome = strategy.Scored{Score: float64(n), Detail: fmt.Sprintf("%d tokens", n)}
	c.Status = "incorrect"
	if n <= e.Problem.Sizes.Timing {
		c.Status = "correct"
	}
	return c, c, nil
}

// Report implements analysis.Reporter: per cell, the answer's tokens
// (results.score), whether they are within the limit, and how many
// answers the cell's agents gave.
func (toyTask) Report() analysis.TaskReport {
	return analysis.TaskReport{Title: "tokens per answer", Scored: "every answer's tokens were counted, none was compiled or timed",
		Table: func(rs []analysis.Result, cands []record.Candidate, _ analysis.Options) *table.Table {
			answers := map[string]int{}
			for _, c := range cands {
				answers[record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)]++
			}
			t := &table.Table{Columns: table.Cols("method", "problem", "seed", "tokens", "within limit", "answers")}
			for _, r := range rs {
				t.AddTexts(r.Label(), r.ProblemID, fmt.Sprint(r.Seed), fmt.Sprint(r.Score), fmt.Sprint(r.Correct),
					fmt.Sprint(answers[record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)]))
			}
			return t
		}}
}

// loadQuestions is the task's source: a text file of problems, one a
// line, "ID LIMIT question".
func loadQuestions(s datasets.Settings) ([]*datasets.Problem, error) {
	data, err := os.ReadFile(s.Path)
	if err != nil {
		return nil, fmt.Errorf("questions: %w", err)
	}
	var out []*datasets.Problem
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.SplitN(line, " ", 3)
		if len(f) < 3 {
			return nil, fmt.Errorf("questions: %q: want ID LIMIT question", line)
		}
		limit, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, fmt.Errorf("questions: %s: limit: %w", f[0], err)
		}
		out = append(out, &datasets.Problem{ID: f[0], Category: "questions", Title: f[0], Description: f[2], Sizes: datasets.Sizes{Timing: limit}})
	}
	return out, nil
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
	datasets.RegisterTask(toyTask{})
	datasets.RegisterSource(datasets.Source{Name: "questions", Task: "tokens", Usage: "tokens task: questions from this text file, one a line",
		Load: loadQuestions})
	strategy.Register(strategy.Kind{Name: "toy-count", Doc: "one agent, one answer (the tokens task's test kind)", Agents: 1,
		Tasks: []string{"tokens"}, Params: map[string]string{},
		Parse: func(*strategy.Params, strategy.Common) (strategy.Config, error) { return toyKind{}, nil }})
}

// writeSpec writes a questions file of two problems and a spec naming
// it, with the strategy given and the sim team (a simulator) over HTTP at
// url, and returns the spec's path.
func writeSpec(t *testing.T, url, strategy string) string {
	t.Helper()
	dir := t.TempDir()
	questions := filepath.Join(dir, "questions.txt")
	if err := os.WriteFile(questions, []byte("short 1000 Say hello.\ntight 1 Say hello in one word.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "spec.yaml")
	text := fmt.Sprintf(`name: tokens
dataset: {source: questions, path: %s}
agents:
  - {name: a, provider: openai, base_url: %s/v1, model: sim/coder-a}
strategies:
  - %s
seeds: [1]
`, questions, url, strategy)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestToyTaskEndToEnd runs the tokens task's kind on the two problems of
// its source, named by a spec, with the sim team (a simulator) over HTTP:
// each cell records task tokens and its answer scored by the task, and
// progress lines say the task's verdicts; analyze and the report lay the
// results out by the task's own report, with no speedup table; the
// browser shows the cells, each answer with its tokens.
func TestToyTaskEndToEnd(t *testing.T) {
	team, err := sim.New(sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	llmSrv := httptest.NewServer(sim.Handler(team, nil))
	defer llmSrv.Close()
	out := filepath.Join(t.TempDir(), "run")
	var progress strings.Builder
	// The C++ evaluator is replaced by one that fails: the tokens task
	// evaluates no C++.
	sum, _, err := experiments.Execute(context.Background(), writeSpec(t, llmSrv.URL, "{name: count, kind: toy-count, agents: [a]}"), out,
		experiments.Options{Evaluators: strategy.Evaluators{strategy.TaskOptimize: noEvaluator{}}, Progress: &experiments.Lines{W: &progress}}, "test")
	if err != nil || sum.Ran != 2 || sum.Failed != 0 {
		t.Fatalf("summary %+v: %v", sum, err)
	}
	for _, want := range []string{"short: correct", "tight: incorrect", "correct 0.500"} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, progress.String())
		}
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
	if err != nil || len(rows) != 2 || rows[0].Task != "tokens" || rows[0].Source != "questions" {
		t.Fatalf("problems %+v: %v", rows, err)
	}
	res, err := record.Read[record.Result](out, record.TableResults)
	if err != nil || len(res) != 2 {
		t.Fatalf("results %+v: %v", res, err)
	}
	correct := map[string]bool{}
	for _, r := range res {
		correct[r.ProblemID] = r.Correct
		if r.Score < 2 {
			t.Errorf("%s: score %v, want the answer's tokens", r.ProblemID, r.Score)
		}
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
	var text strings.Builder
	if err := analysis.Analyze(&text, runs, analysis.Options{}, false); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text.String(), "task tokens: tokens per answer\n") || !strings.Contains(text.String(), "within limit") ||
		strings.Contains(text.String(), "GEOMEAN") || len(analysis.Metrics(runs.Results, analysis.Options{})) != 0 {
		t.Errorf("analyze's output is not the task's table alone:\n%s", text.String())
	}
	// analyze --json: the task's section as data, beside no metrics rows.
	js, err := json.Marshal(analysis.Summarize(runs, analysis.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Metrics []json.RawMessage `json:"metrics"`
		Tasks   []struct {
			Task  string `json:"task"`
			Title string `json:"title"`
			Table struct {
				Columns []struct{ Name string }
				Rows    [][]string
			} `json:"table"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal(js, &decoded); err != nil {
		t.Fatalf("analyze --json: %v\n%s", err, js)
	}
	if len(decoded.Metrics) != 0 || len(decoded.Tasks) != 1 || decoded.Tasks[0].Task != "tokens" || decoded.Tasks[0].Title != "tokens per answer" {
		t.Fatalf("analyze --json is not the tokens section alone:\n%s", js)
	}
	var cols []string
	for _, c := range decoded.Tasks[0].Table.Columns {
		cols = append(cols, c.Name)
	}
	if strings.Join(cols, ",") != "method,problem,seed,tokens,within limit,answers" {
		t.Errorf("columns %v", cols)
	}
	within := map[string]string{}
	for _, row := range decoded.Tasks[0].Table.Rows {
		if len(row) != 6 || row[0] != "count" || row[2] != "1" || row[5] != "1" {
			t.Errorf("row %q, want count's one answer of seed 1", row)
			continue
		}
		if n, err := strconv.Atoi(row[3]); err != nil || n < 2 {
			t.Errorf("row %q: tokens %q, want the answer's count", row, row[3])
		}
		within[row[1]] = row[4]
	}
	if within["short"] != "true" || within["tight"] != "false" {
		t.Errorf("within limit %v, want short true and tight false", within)
	}

	rep, err := analysis.Build(runs, analysis.Options{}, "")
	if err != nil {
		t.Fatal(err)
	}
	var md strings.Builder
	rep.Markdown(&md)
	for _, want := range []string{"## Task tokens: tokens per answer", "| count | short | 1 |", "| count | tight | 1 |", "every answer's tokens were counted"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, md.String())
		}
	}
	if strings.Contains(md.String(), "Geomean") || strings.Contains(md.String(), "geomean") || strings.Contains(md.String(), "validated and timed") || len(rep.Rows) != 0 {
		t.Errorf("the tokens task got speedup tables (%d rows):\n%s", len(rep.Rows), md.String())
	}
	var tex strings.Builder
	rep.LaTeX(&tex)
	if !strings.Contains(tex.String(), "\\caption{Task tokens: tokens per answer") || !strings.Contains(tex.String(), "\\label{tab:task-tokens}") ||
		!strings.Contains(tex.String(), "tokens were counted") || strings.Contains(tex.String(), "eomean") {
		t.Errorf("tables.tex is not the task's table alone:\n%s", tex.String())
	}

	site, err := view.New(rep, view.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	// The overview lays the task's results out by its report, with no
	// speedup table; each cell's page shows its answer's tokens.
	for _, tt := range []struct{ path, want, not string }{
		{"/", "tight", "geomean speedup"},
		{"/", "tokens were counted", "validated and timed"},
		{"/", "<h3>Task tokens: tokens per answer</h3>", "no rows match the filter"},
		{"/", "<th>within limit</th><th>answers</th>", ""},
		{"/cell/count/short/1", " tokens</pre>", "compiler or run output"},
		{"/cell/count/short/1", "is correct with score ", "fastest correct"},
		{"/cell/count/tight/1", "incorrect", ""},
	} {
		resp, err := http.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), tt.want) || tt.not != "" && strings.Contains(string(body), tt.not) {
			t.Errorf("GET %s: %d, want 200 with %q and without %q:\n%s", tt.path, resp.StatusCode, tt.want, tt.not, body)
		}
	}
}

// TestToyTaskSpecChecks: a spec naming the task's source is checked
// against the task: a kind that does not solve it is refused before any
// cell runs.
func TestToyTaskSpecChecks(t *testing.T) {
	_, _, err := spec.Load(writeSpec(t, "http://127.0.0.1:1", "{name: one, kind: single, agents: [a]}"))
	if err == nil || !strings.Contains(err.Error(), "kind single does not solve tokens problems; use one of toy-count") {
		t.Errorf("error %v, want the kind refused for the tokens task", err)
	}
}
