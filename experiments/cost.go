package experiments

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/record"
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
	// EvalSeconds is the mean compile+run time of an evaluated candidate
	// (not cached), by problem ID; "" holds the mean over all. When the
	// run's wall time per evaluation is smaller (evaluations waited for a
	// timing slot while others were timed), all are scaled down to it.
	EvalSeconds map[string]float64
}

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
	h := &History{Run: run, PromptTokens: map[string]float64{}, CompletionTokens: map[string]float64{}, EvalSeconds: map[string]float64{}}
	n := map[string]float64{}
	for _, c := range calls {
		if c.Error != "" {
			continue
		}
		for _, k := range []string{c.Strategy, ""} {
			h.PromptTokens[k] += float64(c.PromptTokens)
			h.CompletionTokens[k] += float64(c.CompletionTokens)
			n[k]++
		}
	}
	for k := range n {
		h.PromptTokens[k] /= n[k]
		h.CompletionTokens[k] /= n[k]
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
func (s *Spec) Costs(plan *Plan, problems []*datasets.Problem, h *History) {
	byID := map[string]*datasets.Problem{}
	for _, p := range problems {
		byID[p.ID] = p
	}
	price := map[string]*PriceSpec{}
	for _, a := range s.Agents {
		price[a.Name] = a.Price
	}
	index := map[string]int{}
	for i, e := range plan.Estimates {
		index[e.Strategy+"|"+e.Variant] = i
		e := &plan.Estimates[i]
		e.PromptTokens, e.CompletionTokens, e.Dollars, e.Priced, e.EvalHours = 0, 0, 0, false, 0
	}
	for _, c := range plan.Cells {
		e := &plan.Estimates[index[c.Strategy+"|"+c.Variant]]
		calls, evals := costOf(c.Kind, c.Params, len(c.Agents), s.Dataset.Task())
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
		e.PromptTokens += int(in * float64(calls))
		e.CompletionTokens += int(out * float64(calls))
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
			e.EvalHours += float64(evals) * sec / 3600
		}
	}
}

// WritePlan prints a plan's estimates as a table with a total row.
// Dollars show "-" when no agent has a price; hours need a previous run.
func WritePlan(w io.Writer, plan Plan, withHours bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STRATEGY\tVARIANT\tCELLS\tLLM CALLS (max)\tEVALUATIONS (max)\tTOKENS IN/OUT (est.)\tDOLLARS (est.)\tEVAL HOURS (est.)")
	var tot Estimate
	for _, e := range plan.Estimates {
		v := e.Variant
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", e.Strategy, v, e.Cells, e.LLMCalls, e.Evaluations,
			tokens(e.PromptTokens, e.CompletionTokens), dollars(e), hours(e.EvalHours, withHours))
		tot.Cells += e.Cells
		tot.LLMCalls += e.LLMCalls
		tot.Evaluations += e.Evaluations
		tot.PromptTokens += e.PromptTokens
		tot.CompletionTokens += e.CompletionTokens
		tot.Dollars += e.Dollars
		tot.Priced = tot.Priced || e.Priced
		tot.EvalHours += e.EvalHours
	}
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t%s\t%s\t%s\n", tot.Cells, tot.LLMCalls, tot.Evaluations,
		tokens(tot.PromptTokens, tot.CompletionTokens), dollars(tot), hours(tot.EvalHours, withHours))
	return tw.Flush()
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
		return "- (--from RUN)"
	}
	return fmt.Sprintf("%.2f", h)
}
