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
		ps, err := proposeAll(ctx, env, proposers, layer, "propose", func(int) llm.Request { return req })
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
