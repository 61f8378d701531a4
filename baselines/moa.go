package baselines

import (
	"context"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

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
			return strategy.Result{}, stopErr(ctx, err)
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
		return strategy.Result{}, stopErr(ctx, err)
	}
	c, err := m.evaluateChoice(ctx, env, call, m.Layers)
	return strategy.Result{Final: c}, err
}
