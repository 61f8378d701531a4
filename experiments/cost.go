package experiments

import (
	"fmt"
	"io"
	"strconv"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/table"
	"github.com/lessonlab/lessonl/lessons"
)

// Typical sizes of a call when no previous run says better: a prompt
// holds the problem's code about twice (the code, and lessons or
// feedback quoting it) plus instructions; a reply holds a rewrite of the
// code plus a few sentences.
const (
	promptOverheadTokens = 400
	replyOverheadTokens  = 150
)

// History is what a previous run measured, for estimates: mean tokens of
// a call per strategy kind, and mean evaluation time per problem.
type History struct {
	Run string
	// PromptTokens and CompletionTokens are means per call, by strategy
	// name; "" holds the mean over all calls.
	PromptTokens, CompletionTokens map[string]float64
	// Calls are mean prompt and completion tokens per call by strategy
	// name and purpose ("lessonl|lesson"), and of round 0's calls
	// ("lessonl|optimize|0"), whose prompts show no lesson yet: the parts
	// of the LessonL token model (see lessonlTokens).
	Calls map[string]CallTokens
	// EvalSeconds is the mean compile+run time of an evaluated candidate
	// (not cached), by problem ID; "" holds the mean over all. When the
	// run's wall time per evaluation is smaller (evaluations waited for a
	// timing slot while others were timed), all are scaled down to it.
	EvalSeconds map[string]float64
}

// CallTokens is a mean call's size.
type CallTokens struct{ Prompt, Completion float64 }

// ReadHistory reads a run folder's calls and candidates.
func ReadHistory(run string) (*History, error) {
	calls, err := record.Read[record.LLMCall](run, record.TableLLMCalls)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", run, err)
	}
	cands, err := record.Read[record.Candidate](run, record.TableCandidates)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", run, err)
	}
	if len(calls) == 0 && len(cands) == 0 {
		return nil, fmt.Errorf("history %s: no recorded calls or candidates", run)
	}
	h := &History{Run: run, PromptTokens: map[string]float64{}, CompletionTokens: map[string]float64{}, EvalSeconds: map[string]float64{},
		Calls: map[string]CallTokens{}}
	n := map[string]float64{}
	nc := map[string]float64{}
	for _, c := range calls {
		if c.Error != "" {
			continue
		}
		for _, k := range []string{c.Strategy, ""} {
			h.PromptTokens[k] += float64(c.PromptTokens)
			h.CompletionTokens[k] += float64(c.CompletionTokens)
			n[k]++
		}
		keys := []string{c.Strategy + "|" + c.Purpose}
		if c.Round == 0 {
			keys = append(keys, c.Strategy+"|"+c.Purpose+"|0")
		}
		for _, k := range keys {
			t := h.Calls[k]
			t.Prompt += float64(c.PromptTokens)
			t.Completion += float64(c.CompletionTokens)
			h.Calls[k] = t
			nc[k]++
		}
	}
	for k := range n {
		h.PromptTokens[k] /= n[k]
		h.CompletionTokens[k] /= n[k]
	}
	for k, t := range h.Calls {
		h.Calls[k] = CallTokens{t.Prompt / nc[k], t.Completion / nc[k]}
	}
	m := map[string]float64{}
	for _, c := range cands {
		if c.Cached || c.Status == "no_code" {
			continue
		}
		for _, k := range []string{c.ProblemID, ""} {
			h.EvalSeconds[k] += float64(c.CompileMS+c.RunMS) / 1000
			m[k]++
		}
	}
	for k := range m {
		h.EvalSeconds[k] /= m[k]
	}
	// An evaluation's own time includes its wait for an exclusive timing
	// slot while other cells time theirs; the run's wall time per
	// evaluation is the throughput this machine gave. Take the smaller.
	if man, err := record.ReadManifest(run); err == nil && !man.Ended.IsZero() && m[""] > 0 && h.EvalSeconds[""] > 0 {
		perEval := man.Ended.Sub(man.Started).Seconds() / m[""]
		if f := perEval / h.EvalSeconds[""]; f < 1 {
			for k := range h.EvalSeconds {
				h.EvalSeconds[k] *= f
			}
		}
	}
	return h, nil
}

// Costs sets in each estimate of plan the tokens, dollars and evaluation
// hours it is expected to take. Tokens come from h's measured means when
// h has calls of the strategy, else from the problems' code sizes;
// dollars from the agents' prices (calls spread evenly over a cell's
// agents; agents without a price cost nothing); evaluation hours (serial,
// one evaluation after another) only from h.
func Costs(s *spec.Spec, plan *Plan, problems []*datasets.Problem, h *History) {
	byID := map[string]*datasets.Problem{}
	for _, p := range problems {
		byID[p.ID] = p
	}
	price := map[string]*spec.PriceSpec{}
	for _, a := range s.Agents {
		price[a.Name] = a.Price
	}
	shared := SharedRound0(s, plan.Cells)
	index := map[string]int{}
	for i, e := range plan.Estimates {
		index[e.Strategy+"|"+e.Variant] = i
		e := &plan.Estimates[i]
		e.PromptTokens, e.CompletionTokens, e.Dollars, e.Priced, e.EvalHours = 0, 0, 0, false, 0
	}
	for _, c := range plan.Cells {
		e := &plan.Estimates[index[c.Strategy+"|"+c.Variant]]
		calls, evals := spec.CostOf(c.Kind, c.Params, len(c.Agents), s.Dataset.Task())
		code := 0
		if p := byID[c.Problem]; p != nil {
			code = llm.EstimateTokens(p.BaselineCode)
		}
		in, out := float64(2*code+promptOverheadTokens), float64(code+replyOverheadTokens)
		if h != nil {
			if v, ok := h.PromptTokens[c.Strategy]; ok {
				in, out = v, h.CompletionTokens[c.Strategy]
			}
		}
		cellIn, cellOut := in*float64(calls), out*float64(calls)
		if tin, tout, ok := lessonlTokens(c, byID[c.Problem], s.Evaluation.Mode == "openmp", code, h, s.Dataset.Task()); ok {
			cellIn, cellOut = tin, tout
			if calls > 0 {
				in, out = tin/float64(calls), tout/float64(calls)
			}
		}
		e.PromptTokens += int(cellIn)
		e.CompletionTokens += int(cellOut)
		for _, a := range c.Agents {
			if pr := price[a]; pr != nil {
				share := float64(calls) / float64(len(c.Agents))
				e.Dollars += share * (in*pr.InputPerMTok + out*pr.OutputPerMTok) / 1e6
				e.Priced = true
			}
		}
		if h != nil {
			sec, ok := h.EvalSeconds[c.Problem]
			if !ok {
				sec = h.EvalSeconds[""]
			}
			e.EvalHours += float64(max(0, evals-shared[c.Key()])) * sec / 3600
		}
	}
}

// WritePlan prints a plan's estimates as a table with a total row.
// Dollars show "-" when no agent has a price; hours need a previous run.
func WritePlan(w io.Writer, plan Plan, withHours bool) error {
	t := &table.Table{Columns: table.Cols("STRATEGY", "VARIANT", "CELLS", "LLM CALLS (max)", "EVALUATIONS (max)", "CACHE HITS (exp.)",
		"TOKENS IN/OUT (est.)", "DOLLARS (est.)", "EVAL HOURS (est.)")}
	row := func(strategy, variant string, e Estimate) {
		t.AddTexts(strategy, variant, strconv.Itoa(e.Cells), strconv.Itoa(e.LLMCalls), strconv.Itoa(e.Evaluations), strconv.Itoa(e.CacheHits),
			tokens(e.PromptTokens, e.CompletionTokens), dollars(e), hours(e.EvalHours, withHours))
	}
	var tot Estimate
	for _, e := range plan.Estimates {
		v := e.Variant
		if v == "" {
			v = "-"
		}
		row(e.Strategy, v, e)
		tot.Cells += e.Cells
		tot.LLMCalls += e.LLMCalls
		tot.Evaluations += e.Evaluations
		tot.CacheHits += e.CacheHits
		tot.PromptTokens += e.PromptTokens
		tot.CompletionTokens += e.CompletionTokens
		tot.Dollars += e.Dollars
		tot.Priced = tot.Priced || e.Priced
		tot.EvalHours += e.EvalHours
	}
	row("total", "", tot)
	if err := t.WriteText(w); err != nil {
		return err
	}
	if withHours && plan.Rate != "" {
		fmt.Fprintf(w, "evaluation hours: one evaluation after another at %s\n", plan.Rate)
	}
	if withHours && plan.Nodes > 0 {
		fmt.Fprintf(w, "on %d Slurm nodes (lessonl slurm --shards %d, a shared cache folder): %.2f h wall for the evaluations, the most loaded node's\n",
			plan.Nodes, plan.Nodes, plan.NodeHours)
	}
	return nil
}

func tokens(in, out int) string {
	f := func(n int) string {
		switch {
		case n >= 1e6:
			return fmt.Sprintf("%.1fM", float64(n)/1e6)
		case n >= 1e3:
			return fmt.Sprintf("%.0fk", float64(n)/1e3)
		}
		return fmt.Sprint(n)
	}
	return f(in) + "/" + f(out)
}

func dollars(e Estimate) string {
	if !e.Priced {
		return "-"
	}
	return fmt.Sprintf("$%.2f", e.Dollars)
}

func hours(h float64, known bool) string {
	if !known {
		return "- (--from RUN or --calibration FILE)"
	}
	return fmt.Sprintf("%.2f", h)
}

// Sizes of LessonL's calls when no previous run measured them: a
// lesson's reply (one or two sentences) and what one shown lesson adds
// to a prompt (its text and the line that introduces it).
const (
	lessonReplyTokens = 60
	shownLessonExtra  = 20
)

// lessonlTokens is the prompt and completion tokens of one LessonL cell
// of code size code, following the parameters that change prompt
// length: every round each agent rewrites (a prompt with the code and
// the lessons shown, min(k, lessons banked so far), none in round 0 or
// under selection none) and writes a lesson (a prompt with the original
// and the rewrite). The sizes of round 0's rewrite prompt, the lesson
// prompt and both replies come from h when it measured the strategy,
// else the prompts are the templates rendered for the problem and the
// replies sized from the code. ok is false for other kinds and tasks.
func lessonlTokens(c spec.Cell, prob *datasets.Problem, openmp bool, code int, h *History, task datasets.Task) (in, out float64, ok bool) {
	p, err := strategy.ParseKind(c.Kind, c.Params)
	if err != nil || task == datasets.TaskGenerate {
		return 0, 0, false
	}
	cfg, isL := p.Config.(lessons.Config)
	if !isL {
		return 0, 0, false
	}
	opt := CallTokens{float64(code + promptOverheadTokens), float64(code + replyOverheadTokens)}
	les := CallTokens{float64(2*code + promptOverheadTokens), lessonReplyTokens}
	rendered := false
	if prob != nil {
		// The prompts are ours: render them rather than guess.
		o, l := cfg.PromptTokens(strategy.Task{Code: prob.BaselineCode, Function: prob.Function, OpenMP: openmp})
		if o > 0 {
			opt.Prompt, les.Prompt, rendered = float64(o), float64(l), true
		}
	}
	if h != nil {
		// The replies are the models': take their measured sizes.
		if t, ok := h.Calls[c.Strategy+"|optimize|0"]; ok && !rendered {
			opt.Prompt = t.Prompt
		}
		if t, ok := h.Calls[c.Strategy+"|lesson"]; ok {
			les.Completion = t.Completion
			if !rendered {
				les.Prompt = t.Prompt
			}
		}
		if t, ok := h.Calls[c.Strategy+"|optimize"]; ok {
			opt.Completion = t.Completion
		}
	}
	agents := float64(len(c.Agents))
	for r := 0; r < cfg.Rounds; r++ {
		shown := 0
		if r > 0 && cfg.Selection != lessons.PolicyNone {
			shown = min(cfg.K, len(c.Agents)*r)
		}
		in += agents * (opt.Prompt + float64(shown)*(les.Completion+shownLessonExtra) + les.Prompt)
		out += agents * (opt.Completion + les.Completion)
	}
	return in, out, true
}
