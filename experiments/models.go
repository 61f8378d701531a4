package experiments

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
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

	sims    map[time.Duration]*sim.Sim
	replays []*llm.Replay
	built   map[string]llm.Provider
	specs   map[string]spec.AgentSpec
	mode    string // the evaluation mode, which recorded agents answer for
}

// For returns a function that builds each agent's provider.
func (p *Providers) For(sp *spec.Spec) func(spec.AgentSpec) (llm.Provider, error) {
	p.specs = map[string]spec.AgentSpec{}
	p.mode = sp.Evaluation.Mode
	for _, a := range sp.Agents {
		p.specs[a.Name] = a
	}
	return p.build
}

func (p *Providers) build(a spec.AgentSpec) (llm.Provider, error) {
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
		cfg := openAIConfig(a)
		cfg.Meter, cfg.Logger = p.Meter, p.Logger
		o, err := llm.NewOpenAI(cfg)
		if err != nil {
			return nil, err
		}
		pr = o
	case "recorded":
		r, err := p.recordedProvider(a)
		if err != nil {
			return nil, err
		}
		pr = r
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
		p.replays = append(p.replays, r)
		pr = r
	default:
		return nil, fmt.Errorf("unknown provider %q", a.Provider)
	}
	p.built[a.Name] = pr
	return pr, nil
}

// DefaultRetryFor is how long an openai agent's call keeps retrying an
// unreachable server when the spec does not say (retry_for).
const DefaultRetryFor = 2 * time.Minute

// openAIConfig is the client configuration of an openai agent.
func openAIConfig(a spec.AgentSpec) llm.OpenAIConfig {
	wait := time.Duration(a.RetryFor)
	if wait == 0 {
		wait = DefaultRetryFor
	}
	return llm.OpenAIConfig{BaseURL: a.BaseURL, Model: a.Model, APIKeyEnv: a.APIKeyEnv,
		Timeout: time.Duration(a.Timeout), MaxConcurrency: a.MaxConcurrency, Retry: llm.RetryPolicy{MaxWait: wait}}
}

// ReplayStats sums how the replay agents answered; nil without any.
func (p *Providers) ReplayStats() *llm.ReplayStats {
	if len(p.replays) == 0 {
		return nil
	}
	var s llm.ReplayStats
	for _, r := range p.replays {
		st := r.Stats()
		s.Answered += st.Answered
		s.Differed += st.Differed
		s.Misses += st.Misses
		s.Differences = append(s.Differences, st.Differences...)
	}
	llm.SortDifferences(s.Differences)
	return &s
}
