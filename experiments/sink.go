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
	writer *record.Writer
}

// NewRecordSink prepares the run folder's tables.
func NewRecordSink(dir string) (*RecordSink, error) {
	w, err := record.NewWriter(dir)
	if err != nil {
		return nil, err
	}
	return &RecordSink{Dir: dir, Host: hostname(), writer: w}, nil
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
	return s.writer.Write(Rows(c, s.Host))
}

// Rows turns a cell's records into the rows of every table.
func Rows(c *CellRecords, host string) *record.Batch {
	k := c.Cell
	b := &record.Batch{Key: k.Key()}
	params, _ := json.Marshal(k.Params)
	b.Cells = []record.Cell{{Strategy: k.Strategy, Variant: k.Variant, Kind: k.Kind, ProblemID: k.Problem, Category: k.Category,
		Seed: k.Seed, Agents: strings.Join(k.Agents, ","), Params: string(params), Shard: c.Shard, Status: c.Status, Error: c.Error,
		StartedMS: c.Started.UnixMilli(), EndedMS: c.Ended.UnixMilli(), WallMS: c.Ended.Sub(c.Started).Milliseconds(), Host: host}}
	for _, x := range c.Calls {
		b.LLMCalls = append(b.LLMCalls, record.LLMCall{Strategy: k.Strategy, Variant: k.Variant, ProblemID: k.Problem, Seed: k.Seed,
			CallID: x.ID, Agent: x.Agent, Provider: x.Provider, Model: x.Model, Round: int64(x.Round), Purpose: x.Purpose,
			Prompt: x.PromptJSON(), Reply: x.Reply.Text, Temperature: x.Request.Temperature, TopP: x.Request.TopP,
			MaxTokens: int64(x.Request.MaxTokens), FrequencyPenalty: x.Request.FrequencyPenalty, RequestSeed: requestSeed(x.Request),
			Sample: int64(x.Request.Sample), RequestKey: llm.RequestKey(x.Request), PromptTokens: int64(x.Reply.PromptTokens),
			CompletionTokens: int64(x.Reply.CompletionTokens), UsageEstimated: x.Reply.UsageEstimated,
			LatencyMS: x.Reply.Latency.Milliseconds(), Attempts: int64(x.Reply.Attempts), FinishReason: x.Reply.FinishReason, Error: x.Err})
	}
	final := c.Result.Final
	for _, x := range c.Candidates {
		o := x.Outcome
		b.Candidates = append(b.Candidates, record.Candidate{Strategy: k.Strategy, Variant: k.Variant, ProblemID: k.Problem, Seed: k.Seed,
			CandidateID: x.ID, Agent: x.Agent, Round: int64(x.Round), CallID: x.CallID, Code: x.Code, CodeHash: o.CodeHash,
			Status: x.Status, Speedup: o.Speedup, CILow: o.CILow, CIHigh: o.CIHigh, BaselineNS: o.BaselineNS, CandidateNS: o.CandidateNS,
			Repetitions: int64(len(o.BaselineReps)), CompileMS: o.CompileMS, RunMS: o.RunMS, Detail: o.Detail, Cached: o.Cached,
			FinalAnswer: final != nil && final.ID == x.ID})
		if g := x.Gen; g != nil {
			last := &b.Candidates[len(b.Candidates)-1]
			h := g.Hidden
			last.Passed, last.Total, last.BasePassed, last.BaseTotal = int64(h.Passed), int64(h.Total), int64(h.BasePassed), int64(h.BaseTotal)
			last.CodeHash, last.Detail, last.RunMS = h.CodeHash, genDetail(h.Failure, h.Detail), h.WallMS
			if g.Tests != nil {
				last.TestsPassed, last.TestsTotal = int64(g.Tests.Passed), int64(g.Tests.Total)
			}
		}
		for i := range o.BaselineReps {
			placement, rep := o.Placement(i)
			b.Timings = append(b.Timings, record.Timing{Strategy: k.Strategy, Variant: k.Variant, ProblemID: k.Problem, Seed: k.Seed,
				CandidateID: x.ID, Placement: int64(placement), Rep: int64(rep), BaselineNS: o.BaselineReps[i], CandidateNS: o.CandidateReps[i]})
		}
	}
	for _, l := range c.Lessons {
		b.Lessons = append(b.Lessons, record.Lesson{Strategy: k.Strategy, Variant: k.Variant, ProblemID: k.Problem, Seed: k.Seed,
			LessonID: l.ID, Round: int64(l.Round), Agent: l.Agent, CandidateID: l.CandidateID, CallID: l.CallID,
			Outcome: l.Outcome, Speedup: l.Speedup, Text: l.Text})
	}
	for _, s := range c.Selections {
		b.Selections = append(b.Selections, record.Selection{Strategy: k.Strategy, Variant: k.Variant, ProblemID: k.Problem, Seed: k.Seed,
			Round: int64(s.Round), LessonID: s.LessonID, Reason: s.Reason, Score: s.Score, Adjusted: s.Adjusted, Factor: s.Factor})
	}
	rounds, _ := json.Marshal(c.Result.Rounds)
	res := record.Result{Strategy: k.Strategy, Variant: k.Variant, Kind: k.Kind, ProblemID: k.Problem, Category: k.Category, Seed: k.Seed,
		Status: "none", LLMCalls: int64(c.Usage.Calls), PromptTokens: int64(c.Usage.PromptTokens),
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
		if g := final.Gen; g != nil {
			h := g.Hidden
			res.Passed, res.Total, res.BasePassed, res.BaseTotal = int64(h.Passed), int64(h.Total), int64(h.BasePassed), int64(h.BaseTotal)
		}
		res.Status, res.Speedup, res.CILow, res.CIHigh = final.Status, final.Outcome.Speedup, final.Outcome.CILow, final.Outcome.CIHigh
		res.Compiled = final.Status != "not_compilable" && final.Status != "no_code" && final.Status != "not_parsable"
		res.Correct = final.OK()
		res.FinalCandidateID, res.FinalAgent = final.ID, final.Agent
	} else if best := bestCompiled(c.Candidates); best != "" {
		// No correct answer: the original code stands; say whether anything compiled.
		res.Compiled = true
	}
	if c.Status == "failed" {
		res.Status = "failed"
	}
	b.Results = []record.Result{res}
	return b
}

// genDetail is a generate candidate's detail: the first failing test's
// message, then why the process ended early, cut to 2,000 bytes.
func genDetail(failure, detail string) string {
	s := strings.TrimSpace(failure + "\n" + detail)
	if len(s) > 2000 {
		s = strings.ToValidUTF8(s[:2000], "")
	}
	return s
}

func bestCompiled(cands []strategy.Candidate) string {
	for _, c := range cands {
		if c.Status != "not_compilable" && c.Status != "no_code" {
			return c.ID
		}
	}
	return ""
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
