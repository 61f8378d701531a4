package experiments

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// RecordSink stores cells as Parquet parts in a run folder.
type RecordSink struct {
	Dir    string
	Host   string
	RunID  string // every row's run_id, from the folder's manifest
	writer *record.Writer
}

// NewRecordSink prepares the run folder's tables; the folder's manifest
// names the run.
func NewRecordSink(dir string) (*RecordSink, error) {
	w, err := record.NewWriter(dir)
	if err != nil {
		return nil, err
	}
	m, err := record.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	return &RecordSink{Dir: dir, Host: hostname(), RunID: m.RunID, writer: w}, nil
}

// Finished implements Sink: every recorded cell with its status.
func (s *RecordSink) Finished() (map[string]string, error) {
	cells, err := record.Read[record.Cell](s.Dir, record.TableCells)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(cells))
	for _, c := range cells {
		out[record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)] = c.Status
	}
	return out, nil
}

// WriteCell implements Sink.
func (s *RecordSink) WriteCell(_ context.Context, c *CellRecords) error {
	return s.writer.Write(Rows(c, s.RunID, s.Host))
}

// Rows turns a cell's records into the rows of every table of run runID.
func Rows(c *CellRecords, runID, host string) *record.Batch {
	k := c.Cell
	b := &record.Batch{Key: k.Key()}
	cellID := record.CellID(k.Strategy, k.Variant, k.Problem, k.Seed)
	lessonID := func(local string) string { return cellID + "/" + local }
	// ref names the cell in every row of its tables but cells and results.
	ref := record.CellRef{RunID: runID, CellID: cellID, Strategy: k.Strategy, Variant: k.Variant, ProblemID: k.Problem, Seed: k.Seed}
	params, _ := json.Marshal(k.Params)
	b.Cells = []record.Cell{{RunID: runID, CellID: cellID, Strategy: k.Strategy, Variant: k.Variant, Kind: k.Kind, ProblemID: k.Problem, Category: k.Category,
		Seed: k.Seed, Agents: strings.Join(k.Agents, ","), Params: string(params), Shard: c.Shard, Status: c.Status, Error: c.Error,
		StartedMS: c.Started.UnixMilli(), EndedMS: c.Ended.UnixMilli(), WallMS: c.Ended.Sub(c.Started).Milliseconds(), Host: host,
		Task: string(c.Ran.Task), Protocol: c.Ran.Protocol, Models: strings.Join(c.Ran.Models, ","), Axes: strings.Join(c.Ran.Axes, ",")}}
	if c.Ran.Params != nil {
		resolved, _ := json.Marshal(c.Ran.Params)
		b.Cells[0].Resolved = string(resolved)
	}
	for _, x := range c.Calls {
		b.LLMCalls = append(b.LLMCalls, record.LLMCall{CellRef: ref,
			CallID: x.ID, Agent: x.Agent, Provider: x.Provider, Model: x.Model, Round: int64(x.Round), Purpose: x.Purpose,
			Prompt: x.PromptJSON(), Reply: x.Reply.Text, Temperature: x.Request.Temperature, TopP: x.Request.TopP,
			MaxTokens: int64(x.Request.MaxTokens), FrequencyPenalty: x.Request.FrequencyPenalty, RequestSeed: requestSeed(x.Request),
			Sample: int64(x.Request.Sample), RequestKey: llm.RequestKey(x.Request), PromptTokens: int64(x.Reply.PromptTokens),
			CompletionTokens: int64(x.Reply.CompletionTokens), UsageEstimated: x.Reply.UsageEstimated,
			LatencyMS: x.Reply.Latency.Milliseconds(), Attempts: int64(x.Reply.Attempts), FinishReason: x.Reply.FinishReason, Error: x.Err})
	}
	final := c.Result.Final
	for _, x := range c.Candidates {
		row := record.Candidate{CellRef: ref,
			CandidateID: x.ID, Agent: x.Agent, Round: int64(x.Round), CallID: x.CallID, Code: x.Code, Status: x.Status,
			FinalAnswer: final != nil && final.ID == x.ID}
		if x.Outcome != nil {
			// The columns the candidate's task's outcome speaks for.
			x.Outcome.Columns(&row)
		}
		if !row.Cached && x.Status != strategy.NoCode && row.OriginRun == "" {
			// A fresh outcome is its own origin.
			row.OriginRun, row.OriginCell = runID, cellID
		}
		b.Candidates = append(b.Candidates, row)
		if t, ok := x.Outcome.(strategy.TimingRecorder); ok {
			b.Timings = append(b.Timings, t.Timings(ref, x.ID)...)
		}
	}
	for _, l := range c.Lessons {
		b.Lessons = append(b.Lessons, record.Lesson{CellRef: ref,
			LessonID: lessonID(l.ID), RoundWritten: int64(l.Round), Agent: l.Agent, CandidateID: l.CandidateID, CallID: l.CallID,
			Outcome: l.Outcome, Speedup: l.Speedup, Text: l.Text})
	}
	// Every agent of the round's prompts sees the round's lessons: one row
	// per receiving agent.
	for _, s := range c.Selections {
		var relevance float64
		if s.Reason == "relevance" {
			relevance = s.Score
		}
		for _, agent := range k.Agents {
			b.Selections = append(b.Selections, record.Selection{CellRef: ref,
				RoundShown: int64(s.Round), Agent: agent, LessonID: lessonID(s.LessonID), Reason: s.Reason, Relevance: relevance,
				AdjustedSpeedup: s.Adjusted, Factor: s.Factor})
		}
	}
	rounds, _ := json.Marshal(c.Result.Rounds)
	res := record.Result{RunID: runID, CellID: cellID, Strategy: k.Strategy, Variant: k.Variant, Kind: k.Kind, ProblemID: k.Problem, Category: k.Category, Seed: k.Seed,
		Status: record.StatusNone, LLMCalls: int64(c.Usage.Calls), PromptTokens: int64(c.Usage.PromptTokens),
		CompletionTokens: int64(c.Usage.CompletionTokens), Evaluations: int64(c.Usage.Evaluations),
		WallMS: c.Ended.Sub(c.Started).Milliseconds(), BudgetCalls: int64(c.Budget.Calls), BudgetTokens: int64(c.Budget.Tokens),
		BudgetHit: c.Usage.BudgetHit, RoundBest: string(rounds)}
	if final != nil {
		// The recorded candidate, which holds the hidden verdict that the
		// strategy's own copy of a generate candidate lacks.
		for i := range c.Candidates {
			if c.Candidates[i].ID == final.ID {
				final = &c.Candidates[i]
			}
		}
		if final.Outcome != nil {
			final.Outcome.AnswerColumns(&res)
		}
		res.Status = final.Status
		res.Compiled = final.Status != "not_compilable" && final.Status != "no_code" && final.Status != "not_parsable"
		res.Correct = final.OK()
		res.FinalCandidateID, res.FinalAgent = final.ID, final.Agent
	} else if len(c.Candidates) > 0 {
		// No correct answer: the original code stands; say how far the
		// best candidate got and whether anything compiled.
		res.Status = bestStatus(c.Candidates)
		res.Compiled = res.Status != "not_compilable" && res.Status != "no_code" && res.Status != "not_parsable"
	}
	if c.Status == record.CellFailed {
		res.Status = record.StatusCellFailed
	}
	b.Results = []record.Result{res}
	return b
}

// statusRank orders candidate statuses by how far a candidate got.
var statusRank = map[string]int{"no_code": 1, "not_parsable": 2, "not_compilable": 2, "timeout": 3, "runtime_error": 4, "incorrect": 5, "correct": 6}

// bestStatus is the status of the candidate that got furthest.
func bestStatus(cands []strategy.Candidate) string {
	best := ""
	for _, c := range cands {
		if statusRank[c.Status] > statusRank[best] {
			best = c.Status
		}
	}
	return best
}

// requestSeed is the seed a request carried to its server, nil when it
// carried none.
func requestSeed(r llm.Request) *int64 {
	if r.NoSeed {
		return nil
	}
	s := r.WireSeed()
	return &s
}
