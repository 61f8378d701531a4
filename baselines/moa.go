package baselines

import (
	"context"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// moa: proposers in layers, then an aggregator.
type moa struct{ Config }

// roles splits a MoA's agents into proposers and the aggregator: the one
// named by the aggregator param (which also proposes), else the last
// listed (which then does not, unless it is the only agent).
func (c Config) roles(env *strategy.Env) (proposers []*strategy.Agent, agg *strategy.Agent, err error) {
	proposers, agg = env.Agents, env.Agents[len(env.Agents)-1]
	if c.Aggregator != "" {
		if agg, err = env.Agent(c.Aggregator); err != nil {
			return nil, nil, err
		}
		return proposers, agg, nil
	}
	if len(env.Agents) > 1 {
		proposers = env.Agents[:len(env.Agents)-1]
	}
	return proposers, agg, nil
}

func (m moa) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	proposers, agg, err := m.roles(env)
	if err != nil {
		return strategy.Result{}, err
	}
	task := env.Task()
	type shown struct {
		Task      strategy.Task
		Proposals []shownProposal
	}
	var prev []proposal
	for layer := 0; layer < m.Layers; layer++ {
		req := m.request("optimize", taskData{task}, m.Temperature)
		if layer > 0 {
			// Later layers see the previous layer's answers: under
			// paper in the system message, as the authors' code does.
			name := "moa-propose"
			if m.paper() {
				name = "moa-refine"
			}
			req = m.request(name, shown{task, show(prev, "", nil)}, m.Temperature)
		}
		var ps []proposal
		if m.paper() {
			ps, err = proposeAllPaper(ctx, env, proposers, layer, req)
		} else {
			ps, err = proposeAll(ctx, env, proposers, layer, "propose", func(int) llm.Request { return req })
		}
		if err != nil {
			return strategy.Result{}, strategy.StopErr(ctx, err)
		}
		if len(ps) > 0 {
			prev = ps
		}
	}
	name := "moa-aggregate"
	if m.paper() {
		name = "moa-refine"
	}
	// The authors' aggregator is another client (GPT-4o) sent only a
	// temperature, no top_p.
	req := m.prompts.MustRender(name, shown{task, show(prev, "", nil)})
	req.Temperature = m.AggregatorTemperature
	call, err := env.Ask(ctx, agg, m.Layers, "aggregate", req)
	if err != nil {
		return strategy.Result{}, strategy.StopErr(ctx, err)
	}
	c, err := m.evaluateChoice(ctx, env, call, m.Layers)
	return strategy.Result{Final: c}, err
}

// proposeAllPaper is a layer of the authors' proposers (strategies/moa.py
// run_llm): a call that fails with the previous codes in its system
// message (their comment: too long for the agent's context window) is
// sent again with the user message alone, not dropped.
func proposeAllPaper(ctx context.Context, env *strategy.Env, agents []*strategy.Agent, layer int, req llm.Request) ([]proposal, error) {
	return proposeEach(ctx, env, agents, func(_ int, a *strategy.Agent) (strategy.Call, error) {
		call, err := env.Ask(ctx, a, layer, "propose", req)
		if err != nil && !strategy.Stopped(ctx, err) && len(req.Messages) > 1 {
			call, err = env.Ask(ctx, a, layer, "propose", UserOnly(req))
		}
		return call, err
	})
}

// UserOnly is req with its last (user) message alone and that message's
// cues.
func UserOnly(req llm.Request) llm.Request {
	last := len(req.Messages) - 1
	out := req
	out.Messages = []llm.Message{req.Messages[last]}
	out.Cues = nil
	for _, c := range req.Cues {
		if c.Message == last {
			c.Message = 0
			out.Cues = append(out.Cues, c)
		}
	}
	return out
}
