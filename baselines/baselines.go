package baselines

import (
	"context"
	"embed"
	"regexp"
	"strconv"
	"strings"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// The baselines' prompt templates, one set per protocol (see
// strategy.LoadPrompts).
//
//go:embed prompts
var promptFS embed.FS

// paperTopP is the nucleus sampling of every call the authors send to
// their vLLM agents.
const paperTopP = 0.95

func (c Config) paper() bool { return c.Common.Protocol == strategy.ProtocolPaper }

// request renders a prompt and sets its sampling: temperature, and under
// protocol paper top_p 0.95.
func (c Config) request(name string, data any, temp float64) llm.Request {
	r := c.prompts.MustRender(name, data)
	r.Temperature = temp
	if c.paper() {
		r.TopP = paperTopP
	}
	return r
}

// taskData is the data of prompts that need only the task.
type taskData struct{ Task strategy.Task }

// propose asks a for a rewrite with req and evaluates it; an agent
// failure gives a nil candidate and the error, which the caller records as
// a missing candidate unless it must stop.
func propose(ctx context.Context, env *strategy.Env, a *strategy.Agent, round int, purpose string, req llm.Request) (*strategy.Candidate, strategy.Call, error) {
	call, err := env.Ask(ctx, a, round, purpose, req)
	if err != nil {
		return nil, call, err
	}
	c, err := env.Evaluate(ctx, call, round)
	return c, call, err
}

// fatal reports whether err must end the strategy: the context ended, the
// budget is spent, or the evaluator itself failed (not an agent).
func fatal(ctx context.Context, err error) bool {
	if err == nil {
		return false
	}
	return strategy.Stopped(ctx, err) || strategy.IsEvalError(err)
}

// final is the answer of a strategy that chooses by measurement among
// cands: the best correct one under protocol lessonl; under paper the
// highest raw speedup (the first when none is correct), evaluated again,
// fresh, as the authors do.
func (c Config) final(ctx context.Context, env *strategy.Env, round int, cands ...*strategy.Candidate) (*strategy.Candidate, error) {
	if !c.paper() {
		return strategy.Best(cands...), nil
	}
	h := strategy.Highest(cands...)
	if h == nil || ctx.Err() != nil {
		return nil, nil
	}
	return env.Reevaluate(ctx, h, round)
}

// evaluateChoice evaluates a choice made without measurement (a vote's
// winner, an aggregation): fresh under protocol paper.
func (c Config) evaluateChoice(ctx context.Context, env *strategy.Env, call strategy.Call, round int) (*strategy.Candidate, error) {
	if c.paper() {
		return env.EvaluateFresh(ctx, call, round)
	}
	return env.Evaluate(ctx, call, round)
}

// OpenAIChatModel reports whether the authors' code-opt runs model through
// OpenAI's API (strategies/openai.py: gpt-4o, gpt-4o-mini; o3 is a
// reasoning model, sent no sampling parameters at all by the client).
func OpenAIChatModel(model string) bool { return strings.HasPrefix(model, "gpt-") }

// samples is single, cot and best-of-n: independent samples, best kept.
type samples struct{ Config }

func (s samples) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	name := "optimize"
	if s.Kind == "cot" {
		name = "cot"
	}
	req := s.request(name, taskData{env.Task()}, s.Temperature)
	var all []*strategy.Candidate
	for i := 0; i < s.Samples; i++ {
		a := env.Agents[i%len(env.Agents)]
		req := req
		if s.paper() && s.Kind == "single" && OpenAIChatModel(a.Model) {
			// The authors run OpenAI's models with strategies/openai.py,
			// whose ChatAPI sends the temperature alone.
			req.TopP = 0
		}
		c, _, err := propose(ctx, env, a, 0, "optimize", req)
		if c != nil {
			all = append(all, c)
		}
		if fatal(ctx, err) {
			return strategy.Result{Final: strategy.Best(all...)}, strategy.StopErr(ctx, err)
		}
	}
	if s.paper() && s.Kind != "best-of-n" && len(all) > 0 {
		// The authors' simple.py and cot.py submit the one answer once;
		// that evaluation is the result.
		return strategy.Result{Final: all[0]}, nil
	}
	f, err := s.final(ctx, env, 1, all...)
	return strategy.Result{Final: f}, err
}

// proposal is an unevaluated answer: its call and the code in it.
type proposal struct {
	agent string
	call  strategy.Call
	code  string
	ok    bool
}

// shownProposal is a proposal as a prompt shows it.
type shownProposal struct {
	OK      bool
	Code    string
	Reply   string
	Own     bool              // debate: the reader's own proposal
	Outcome *strategy.Attempt // debate with feedback: its measured outcome
}

func show(ps []proposal, self string, outcomes []*strategy.Candidate) []shownProposal {
	out := make([]shownProposal, len(ps))
	for i, p := range ps {
		out[i] = shownProposal{OK: p.ok, Code: p.code, Reply: p.call.Reply.Text, Own: p.agent == self}
		if outcomes != nil {
			out[i].Outcome = strategy.AttemptOf(outcomes[i])
		}
	}
	return out
}

func proposeAll(ctx context.Context, env *strategy.Env, agents []*strategy.Agent, round int, purpose string, req func(i int) llm.Request) ([]proposal, error) {
	return proposeEach(ctx, env, agents, func(i int, a *strategy.Agent) (strategy.Call, error) {
		return env.Ask(ctx, a, round, purpose, req(i))
	})
}

// proposeEach asks every agent at once through ask and keeps the code of
// each answer; a failed call is left out unless it stops the cell.
func proposeEach(ctx context.Context, env *strategy.Env, agents []*strategy.Agent, ask func(i int, a *strategy.Agent) (strategy.Call, error)) ([]proposal, error) {
	type res struct {
		p   proposal
		err error
	}
	out := strategy.Each(agents, func(i int, a *strategy.Agent) res {
		call, err := ask(i, a)
		if err != nil {
			return res{err: err}
		}
		code, ok := env.Extract(call.Reply.Text, env.Problem.Function)
		return res{p: proposal{agent: a.Name, call: call, code: code, ok: ok}}
	})
	var ps []proposal
	for _, r := range out {
		if r.err != nil && strategy.Stopped(ctx, r.err) {
			return ps, r.err
		}
		if r.err == nil {
			ps = append(ps, r.p)
		}
	}
	return ps, nil
}

var voteRe = regexp.MustCompile(`(?i)vote\s*[:=]?\s*#?\s*(\d+)`)

// ParseVote reads "Vote: N" (1-based) from a reply; false if absent or out
// of range.
func ParseVote(reply string, n int) (int, bool) {
	m := voteRe.FindStringSubmatch(reply)
	if m == nil {
		return 0, false
	}
	v, err := strconv.Atoi(m[1])
	if err != nil || v < 1 || v > n {
		return 0, false
	}
	return v - 1, true
}

// vote has every agent vote among ps and returns the winner's index: the
// majority, ties to the lowest index, -1 when nobody could vote.
func (c Config) vote(ctx context.Context, env *strategy.Env, ps []proposal, round int) (int, error) {
	req := c.request("vote", struct {
		Task      strategy.Task
		Proposals []shownProposal
	}{env.Task(), show(ps, "", nil)}, 0)
	type res struct {
		v   int
		ok  bool
		err error
	}
	votes := strategy.Each(env.Agents, func(_ int, a *strategy.Agent) res {
		call, err := env.Ask(ctx, a, round, "vote", req)
		if err != nil {
			return res{err: err}
		}
		v, ok := ParseVote(call.Reply.Text, len(ps))
		return res{v: v, ok: ok}
	})
	count := make([]int, len(ps))
	for _, r := range votes {
		if r.err != nil && strategy.Stopped(ctx, r.err) {
			return -1, r.err
		}
		if r.ok {
			count[r.v]++
		}
	}
	win := -1
	for i, c := range count {
		if c > 0 && (win < 0 || c > count[win]) {
			win = i
		}
	}
	return win, nil
}

// voting: every agent proposes, every agent votes, the majority wins.
type voting struct{ Config }

func (v voting) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	req := v.request("optimize", taskData{env.Task()}, v.Temperature)
	ps, err := proposeAll(ctx, env, env.Agents, 0, "optimize", func(int) llm.Request { return req })
	if err != nil || len(ps) == 0 {
		return strategy.Result{}, strategy.StopErr(ctx, err)
	}
	win, err := v.vote(ctx, env, ps, 1)
	if err != nil || win < 0 {
		return strategy.Result{}, strategy.StopErr(ctx, err)
	}
	c, err := v.evaluateChoice(ctx, env, ps[win].call, 1)
	if err != nil {
		return strategy.Result{}, err
	}
	return strategy.Result{Final: c}, nil
}

// debate: propose, then revise seeing the others for R rounds.
type debate struct{ Config }

func (d debate) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	task := env.Task()
	req := d.request("optimize", taskData{task}, d.Temperature)
	ps, err := proposeAll(ctx, env, env.Agents, 0, "optimize", func(int) llm.Request { return req })
	if err != nil {
		return strategy.Result{}, strategy.StopErr(ctx, err)
	}
	var all []*strategy.Candidate
	var res strategy.Result
	measure := d.Feedback || d.Final == "measure"
	for round := 0; ; round++ {
		var cands []*strategy.Candidate
		if measure {
			cands, err = evaluateAll(ctx, env, ps, round)
			if err != nil {
				return res, err
			}
			all = append(all, cands...)
			res.Rounds = append(res.Rounds, strategy.Best(all...).Speedup())
		}
		if round == d.Rounds || len(ps) == 0 {
			break
		}
		prev := ps
		var shown []*strategy.Candidate
		if d.Feedback {
			shown = cands
		}
		next, err := proposeAll(ctx, env, env.Agents, round+1, "revise", func(i int) llm.Request {
			return d.request("debate-revise", struct {
				Task      strategy.Task
				Proposals []shownProposal
			}{task, show(prev, env.Agents[i].Name, shown)}, d.Temperature)
		})
		if err != nil {
			return res, strategy.StopErr(ctx, err)
		}
		if len(next) > 0 {
			ps = next
		}
	}
	if d.Final == "measure" {
		res.Final, err = d.final(ctx, env, d.Rounds+1, all...)
		return res, err
	}
	if len(ps) == 0 {
		return res, nil
	}
	win, err := d.vote(ctx, env, ps, d.Rounds+1)
	if err != nil || win < 0 {
		return res, strategy.StopErr(ctx, err)
	}
	c, err := d.evaluateChoice(ctx, env, ps[win].call, d.Rounds+1)
	if err != nil {
		return res, err
	}
	res.Final = c
	return res, nil
}

// evaluateAll evaluates each proposal, in order.
func evaluateAll(ctx context.Context, env *strategy.Env, ps []proposal, round int) ([]*strategy.Candidate, error) {
	cands := make([]*strategy.Candidate, len(ps))
	for i, p := range ps {
		c, err := env.Evaluate(ctx, p.call, round)
		if err != nil {
			return nil, err
		}
		cands[i] = c
	}
	return cands, nil
}
