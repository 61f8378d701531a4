package experiments

import (
	"fmt"
	"time"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/lessons"
)

// Embedder returns the function that embeds for relevance: embeddings:
// the sim's in process, or an OpenAI-compatible client (with retries and
// the endpoint's concurrency limit) for e.
func (p *Providers) Embedder(e spec.EmbeddingsSpec) (lessons.EmbedFunc, error) {
	switch e.Provider {
	case "sim":
		team, err := sim.New(sim.Config{Problems: p.Problems})
		if err != nil {
			return nil, err
		}
		return team.Embed, nil
	case "openai":
		o, err := llm.NewOpenAI(llm.OpenAIConfig{BaseURL: e.BaseURL, EmbeddingModel: e.Model, APIKeyEnv: e.APIKeyEnv,
			Timeout: time.Duration(e.Timeout), MaxConcurrency: e.MaxConcurrency, Logger: p.Logger})
		if err != nil {
			return nil, fmt.Errorf("embeddings: %w", err)
		}
		return o.Embed, nil
	}
	return nil, fmt.Errorf("embeddings: unknown provider %q (want openai or sim)", e.Provider)
}
