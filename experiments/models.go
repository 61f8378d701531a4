package experiments

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/llm/sim"
)

// Providers builds the LLM providers of a spec's agents. Sim agents share
// one in-process simulator over the run's problems; openai agents get a
// client each, limited per endpoint; replay agents answer from a recorded
// run (see Recordings), falling through to another agent when configured.
type Providers struct {
	Problems []*datasets.Problem
	Meter    *llm.Meter
	Logger   *slog.Logger
	// Recordings loads the calls of a run folder, for replay agents.
	Recordings func(dir string) ([]llm.Recording, error)

	sims  map[time.Duration]*sim.Sim
	built map[string]llm.Provider
	specs map[string]AgentSpec
}

// For returns a function that builds each agent's provider.
func (p *Providers) For(spec *Spec) func(AgentSpec) (llm.Provider, error) {
	p.specs = map[string]AgentSpec{}
	for _, a := range spec.Agents {
		p.specs[a.Name] = a
	}
	return p.build
}

func (p *Providers) build(a AgentSpec) (llm.Provider, error) {
	if p.built == nil {
		p.built = map[string]llm.Provider{}
		p.sims = map[time.Duration]*sim.Sim{}
	}
	if pr, ok := p.built[a.Name]; ok {
		return pr, nil
	}
	var pr llm.Provider
	switch a.Provider {
	case "sim":
		lat := time.Duration(a.Latency)
		team := p.sims[lat]
		if team == nil {
			var err error
			if team, err = sim.New(sim.Config{Problems: p.Problems, Latency: lat}); err != nil {
				return nil, err
			}
			p.sims[lat] = team
		}
		if _, ok := team.Profile(a.Model); !ok {
			return nil, fmt.Errorf("sim has no model %q (it has %v)", a.Model, team.Models())
		}
		pr = team
	case "openai":
		o, err := llm.NewOpenAI(llm.OpenAIConfig{BaseURL: a.BaseURL, Model: a.Model, APIKeyEnv: a.APIKeyEnv,
			Timeout: time.Duration(a.Timeout), MaxConcurrency: a.MaxConcurrency, Meter: p.Meter, Logger: p.Logger})
		if err != nil {
			return nil, err
		}
		pr = o
	case "replay":
		if p.Recordings == nil {
			return nil, fmt.Errorf("replay is not available here")
		}
		recs, err := p.Recordings(a.Replay)
		if err != nil {
			return nil, fmt.Errorf("replay %s: %w", a.Replay, err)
		}
		var fb llm.Provider
		if a.Fallback != "" {
			if fb, err = p.build(p.specs[a.Fallback]); err != nil {
				return nil, err
			}
		}
		r, err := llm.NewReplay(recs, a.Fallback, fb)
		if err != nil {
			return nil, err
		}
		pr = r
	default:
		return nil, fmt.Errorf("unknown provider %q", a.Provider)
	}
	p.built[a.Name] = pr
	return pr, nil
}
