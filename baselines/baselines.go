package baselines

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// CoTSentence is appended to the optimize prompt by cot.
const CoTSentence = "Let's think step by step."

// propose asks a for a rewrite with messages and evaluates it; an agent
// failure gives a nil candidate and the error, which the caller records as
// a missing candidate unless it must stop.
func propose(ctx context.Context, env *strategy.Env, a *strategy.Agent, round int, purpose string, msgs []llm.Message, temp float64) (*strategy.Candidate, strategy.Call, error) {
	call, err := env.Ask(ctx, a, round, purpose, llm.Request{Messages: msgs, Temperature: temp})
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
	if strategy.Stopped(ctx, err) {
		return true
	}
	return strategy.IsEvalError(err)
}

// samples is single, cot and best-of-n: independent samples, best kept.
type samples struct{ Config }

func (s samples) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	extra := ""
	if s.Kind == "cot" {
		extra = CoTSentence
	}
	msgs := strategy.Optimize(env.Task(), extra)
	var all []*strategy.Candidate
	for i := 0; i < s.Samples; i++ {
		a := env.Agents[i%len(env.Agents)]
		c, _, err := propose(ctx, env, a, 0, "optimize", msgs, s.Temperature)
		if c != nil {
			all = append(all, c)
		}
		if fatal(ctx, err) {
			return strategy.Result{Final: strategy.Best(all...)}, stopErr(ctx, err)
		}
	}
	return strategy.Result{Final: strategy.Best(all...)}, nil
}

// stopErr turns a stop into the strategy's error: nil for a spent budget
// (the cell finished within its cap), the error otherwise.
func stopErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if strategy.Stopped(ctx, err) {
		return nil
	}
	return err
}

// proposal is an unevaluated answer: its call and the code in it.
type proposal struct {
	agent string
	call  strategy.Call
	code  string
	ok    bool
}

func proposeAll(ctx context.Context, env *strategy.Env, agents []*strategy.Agent, round int, purpose string, msgs func(i int) []llm.Message, temp float64) ([]proposal, error) {
	type res struct {
		p   proposal
		err error
	}
	out := strategy.Each(agents, func(i int, a *strategy.Agent) res {
		call, err := env.Ask(ctx, a, round, purpose, llm.Request{Messages: msgs(i), Temperature: temp})
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
func vote(ctx context.Context, env *strategy.Env, ps []proposal, round int, outcomes []string) (int, error) {
	var b strings.Builder
	b.WriteString("Here are candidate rewrites of the code above, made by different engineers.\n")
	for i, p := range ps {
		fmt.Fprintf(&b, "\nCandidate %d:\n", i+1)
		if p.ok {
			b.WriteString(strategy.Fence(p.code))
		} else {
			b.WriteString("(no code)\n")
		}
		if outcomes != nil {
			b.WriteString(outcomes[i] + "\n")
		}
	}
	b.WriteString("\nWhich candidate is the fastest one that still computes exactly the same results as the original? Do not write code. Answer with one line \"Vote: N\" (the candidate's number) followed by a one-sentence reason.")
	msgs := strategy.Chat("Here is the original C++ code:\n\n" + strategy.Fence(env.Task().Code) + "\n" + b.String())
	type res struct {
		v   int
		ok  bool
		err error
	}
	votes := strategy.Each(env.Agents, func(_ int, a *strategy.Agent) res {
		call, err := env.Ask(ctx, a, round, "vote", llm.Request{Messages: msgs, Temperature: 0})
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
	msgs := strategy.Optimize(env.Task(), "")
	ps, err := proposeAll(ctx, env, env.Agents, 0, "optimize", func(int) []llm.Message { return msgs }, v.Temperature)
	if err != nil || len(ps) == 0 {
		return strategy.Result{}, stopErr(ctx, err)
	}
	win, err := vote(ctx, env, ps, 1, nil)
	if err != nil || win < 0 {
		return strategy.Result{}, stopErr(ctx, err)
	}
	c, err := env.Evaluate(ctx, ps[win].call, 1)
	if err != nil {
		return strategy.Result{}, err
	}
	return strategy.Result{Final: c}, nil
}

// debate: propose, then revise seeing the others for R rounds.
type debate struct{ Config }

func (d debate) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	task := env.Task()
	msgs := strategy.Optimize(task, "")
	ps, err := proposeAll(ctx, env, env.Agents, 0, "optimize", func(int) []llm.Message { return msgs }, d.Temperature)
	if err != nil {
		return strategy.Result{}, stopErr(ctx, err)
	}
	var all []*strategy.Candidate
	var res strategy.Result
	measure := d.Feedback || d.Final == "measure"
	for round := 0; ; round++ {
		var outcomes []string
		if measure {
			cands, err := evaluateAll(ctx, env, ps, round)
			if err != nil {
				return res, err
			}
			all = append(all, cands...)
			res.Rounds = append(res.Rounds, strategy.Best(all...).Speedup())
			for _, c := range cands {
				outcomes = append(outcomes, "Measured: "+strategy.Feedback(c))
			}
		}
		if round == d.Rounds || len(ps) == 0 {
			break
		}
		prev := ps
		var shown []string
		if d.Feedback {
			shown = outcomes
		}
		next, err := proposeAll(ctx, env, env.Agents, round+1, "revise", func(i int) []llm.Message {
			return strategy.Optimize(task, debateSection(prev, env.Agents[i].Name, shown))
		}, d.Temperature)
		if err != nil {
			return res, stopErr(ctx, err)
		}
		if len(next) > 0 {
			ps = next
		}
	}
	if d.Final == "measure" {
		res.Final = strategy.Best(all...)
		return res, nil
	}
	if len(ps) == 0 {
		return res, nil
	}
	win, err := vote(ctx, env, ps, d.Rounds+1, nil)
	if err != nil || win < 0 {
		return res, stopErr(ctx, err)
	}
	c, err := env.Evaluate(ctx, ps[win].call, d.Rounds+1)
	if err != nil {
		return res, err
	}
	res.Final = c
	return res, nil
}

func debateSection(ps []proposal, self string, outcomes []string) string {
	var b strings.Builder
	b.WriteString("Other engineers proposed these rewrites in the previous round:\n")
	for i, p := range ps {
		who := fmt.Sprintf("Engineer %d", i+1)
		if p.agent == self {
			who += " (your own proposal)"
		}
		fmt.Fprintf(&b, "\n%s:\n", who)
		if p.ok {
			b.WriteString(strategy.Fence(p.code))
		} else {
			b.WriteString("(no code)\n")
		}
		if outcomes != nil {
			b.WriteString(outcomes[i] + "\n")
		}
	}
	b.WriteString("\nConsider their ideas critically, then give your own best rewrite.")
	return b.String()
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

// moa: proposers in layers, then an aggregator.
type moa struct{ Config }

func (m moa) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	proposers, agg := env.Agents, env.Agents[len(env.Agents)-1]
	if m.Aggregator != "" {
		a, err := env.Agent(m.Aggregator)
		if err != nil {
			return strategy.Result{}, err
		}
		agg = a
	}
	if len(env.Agents) > 1 && m.Aggregator == "" {
		proposers = env.Agents[:len(env.Agents)-1]
	}
	task := env.Task()
	var prev []proposal
	for layer := 0; layer < m.Layers; layer++ {
		extra := ""
		if layer > 0 {
			extra = responsesSection(prev) + "\nSynthesize these into a single improved rewrite."
		}
		ps, err := proposeAll(ctx, env, proposers, layer, "propose", func(int) []llm.Message { return strategy.Optimize(task, extra) }, m.Temperature)
		if err != nil {
			return strategy.Result{}, stopErr(ctx, err)
		}
		if len(ps) > 0 {
			prev = ps
		}
	}
	extra := responsesSection(prev) + "\nCritically evaluate these responses and write the single best rewrite, combining their strengths and fixing their mistakes."
	c, _, err := propose(ctx, env, agg, m.Layers, "aggregate", strategy.Optimize(task, extra), m.Temperature)
	if err != nil {
		return strategy.Result{Final: c}, stopErr(ctx, err)
	}
	return strategy.Result{Final: c}, nil
}

func responsesSection(ps []proposal) string {
	var b strings.Builder
	b.WriteString("Responses from other models to this task:\n")
	for i, p := range ps {
		fmt.Fprintf(&b, "\nResponse %d:\n", i+1)
		if p.ok {
			b.WriteString(strategy.Fence(p.code))
		} else {
			b.WriteString(strings.TrimSpace(p.call.Reply.Text) + "\n")
		}
	}
	return b.String()
}

// reflexion: rewrite, evaluate, reflect, repeat; keep the best.
type reflexion struct{ Config }

func (r reflexion) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	a := env.Agents[0]
	task := env.Task()
	var all []*strategy.Candidate
	var res strategy.Result
	extra := ""
	for round := 0; round < r.Rounds; round++ {
		c, _, err := propose(ctx, env, a, round, "optimize", strategy.Optimize(task, extra), r.Temperature)
		if c != nil {
			all = append(all, c)
		}
		res.Rounds = append(res.Rounds, strategy.Best(all...).Speedup())
		if fatal(ctx, err) {
			res.Final = strategy.Best(all...)
			return res, stopErr(ctx, err)
		}
		if round == r.Rounds-1 {
			break
		}
		if err != nil {
			continue // the agent failed this round; try again
		}
		attempt := "Your previous attempt:\n" + strategy.Fence(c.Code) + "\nEvaluation: " + strategy.Feedback(c) + "\n"
		rcall, err := env.Ask(ctx, a, round, "reflect", llm.Request{Messages: strategy.Chat(
			"You are optimizing this C++ code for speed:\n\n" + strategy.Fence(task.Code) + "\n" + attempt +
				"\nReflect in a few sentences: what went wrong or what limits the speed, and what should the next attempt change? Do not write code."),
			Temperature: r.Temperature})
		if fatal(ctx, err) {
			res.Final = strategy.Best(all...)
			return res, stopErr(ctx, err)
		}
		extra = attempt
		if err == nil {
			extra += "Your reflection on it:\n" + strings.TrimSpace(rcall.Reply.Text) + "\n"
		}
		if best := strategy.Best(all...); best != nil {
			extra += fmt.Sprintf("\nYour best correct version so far runs %.2fx as fast as the original.\n", best.Speedup())
		}
	}
	res.Final = strategy.Best(all...)
	return res, nil
}

// mapcoder: plans, then code and debug per plan.
type mapcoder struct{ Config }

var planRe = regexp.MustCompile(`(?m)^\s*(?:Plan\s*)?(\d+)[.):]\s*`)

// SplitPlans cuts a reply into numbered plans ("Plan 1: ...", "1. ...");
// the whole reply is one plan when it has no numbering.
func SplitPlans(reply string, max int) []string {
	idx := planRe.FindAllStringIndex(reply, -1)
	if len(idx) == 0 {
		return []string{strings.TrimSpace(reply)}
	}
	var plans []string
	for i, loc := range idx {
		end := len(reply)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		if p := strings.TrimSpace(reply[loc[1]:end]); p != "" {
			plans = append(plans, p)
		}
	}
	if len(plans) > max {
		plans = plans[:max]
	}
	return plans
}

func (m mapcoder) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	a := env.Agents[0]
	task := env.Task()
	pcall, err := env.Ask(ctx, a, 0, "plan", llm.Request{Messages: strategy.Chat(fmt.Sprintf(
		"Here is C++ code to make faster:\n\n%s\nWrite %d different plans to optimize it, each a few sentences naming the technique, numbered \"Plan 1:\", \"Plan 2:\", ... Do not write code.",
		strategy.Fence(task.Code), m.Plans)), Temperature: m.Temperature})
	if err != nil {
		return strategy.Result{}, stopErr(ctx, err)
	}
	var all []*strategy.Candidate
	var res strategy.Result
	for pi, plan := range SplitPlans(pcall.Reply.Text, m.Plans) {
		extra := "Follow this plan:\n" + plan + "\n"
		for it := 0; it < m.Iterations; it++ {
			purpose := "code"
			if it > 0 {
				purpose = "debug"
			}
			c, _, err := propose(ctx, env, a, pi*m.Iterations+it+1, purpose, strategy.Optimize(task, extra), m.Temperature)
			if c != nil {
				all = append(all, c)
			}
			if fatal(ctx, err) {
				res.Final = strategy.Best(all...)
				return res, stopErr(ctx, err)
			}
			if c != nil && c.OK() && c.Speedup() >= 1.1 {
				break
			}
			if c != nil {
				extra = "Follow this plan:\n" + plan + "\n\nYour previous attempt:\n" + strategy.Fence(c.Code) +
					"Evaluation: " + strategy.Feedback(c) + "\nFix the problem or make it faster.\n"
			}
		}
		res.Rounds = append(res.Rounds, strategy.Best(all...).Speedup())
	}
	res.Final = strategy.Best(all...)
	return res, nil
}
