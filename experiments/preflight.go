package experiments

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/llm"
)

// PreflightError lists every problem the preflight found, one line each,
// naming the agent, the endpoint and what the server said.
type PreflightError struct {
	Lines []string
}

// Error is the lines, one per problem.
func (e *PreflightError) Error() string {
	return fmt.Sprintf("preflight: %d problem(s) with the agents' endpoints (nothing was written; --no-preflight skips this check):\n  %s",
		len(e.Lines), strings.Join(e.Lines, "\n  "))
}

// endpoint is one server as agents reach it: a base URL and the API key
// variable.
type endpoint struct {
	url, keyEnv string
}

// Preflight checks, before anything is written, that every openai agent's
// endpoint answers: for each distinct endpoint it lists /models once,
// confirms each agent's model is listed, and sends one 1-token chat
// request per distinct model, and one embeddings request to the spec's
// embeddings endpoint. Replay agents must have a readable record. It
// returns a *PreflightError holding every failure, or nil.
func Preflight(ctx context.Context, sp *spec.Spec, recordings func(string) ([]llm.Recording, error)) error {
	var lines []string
	groups := map[endpoint][]spec.AgentSpec{}
	var order []endpoint
	for _, a := range sp.Agents {
		switch a.Provider {
		case "openai":
			e := endpoint{a.BaseURL, a.APIKeyEnv}
			if _, ok := groups[e]; !ok {
				order = append(order, e)
			}
			groups[e] = append(groups[e], a)
		case "replay":
			if recordings == nil {
				continue
			}
			if _, err := recordings(a.Replay); err != nil {
				lines = append(lines, fmt.Sprintf("agent %s: record %s: %v", a.Name, a.Replay, err))
			}
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := make([][]string, len(order))
	for i, e := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := checkEndpoint(ctx, groups[e])
			mu.Lock()
			out[i] = got
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, l := range out {
		lines = append(lines, l...)
	}
	if e := sp.Embeddings; e != nil && e.Provider == "openai" {
		lines = append(lines, checkEmbeddings(ctx, *e)...)
	}
	if len(lines) == 0 {
		return nil
	}
	return &PreflightError{Lines: lines}
}

// checkEndpoint checks the agents of one endpoint.
func checkEndpoint(ctx context.Context, agents []spec.AgentSpec) []string {
	names := make([]string, len(agents))
	for i, a := range agents {
		names[i] = a.Name
	}
	who := "agent " + names[0]
	if len(names) > 1 {
		who = "agents " + strings.Join(names, ", ")
	}
	o, err := llm.NewOpenAI(openAIConfig(agents[0]))
	if err != nil {
		return []string{fmt.Sprintf("%s: %v", who, err)}
	}
	ids, err := o.Models(ctx)
	if err != nil {
		return []string{fmt.Sprintf("%s at %s: %v", who, o.BaseURL(), err)}
	}
	var lines []string
	pinged := map[string]error{}
	for _, a := range agents {
		if !slices.Contains(ids, a.Model) {
			lines = append(lines, fmt.Sprintf("agent %s at %s: model %q is not served (GET /models lists %s)", a.Name, o.BaseURL(), a.Model, listed(ids)))
			continue
		}
		err, done := pinged[a.Model]
		if !done {
			err = o.Ping(ctx, a.Model)
			pinged[a.Model] = err
		}
		if err != nil {
			lines = append(lines, fmt.Sprintf("agent %s at %s: %v", a.Name, o.BaseURL(), err))
		}
	}
	return lines
}

// checkEmbeddings sends the embeddings endpoint one request.
func checkEmbeddings(ctx context.Context, e spec.EmbeddingsSpec) []string {
	o, err := llm.NewOpenAI(llm.OpenAIConfig{BaseURL: e.BaseURL, EmbeddingModel: e.Model, APIKeyEnv: e.APIKeyEnv, Timeout: time.Duration(e.Timeout)})
	if err != nil {
		return []string{fmt.Sprintf("embeddings: %v", err)}
	}
	if err := o.PingEmbed(ctx); err != nil {
		return []string{fmt.Sprintf("embeddings (%s) at %s: %v", e.Model, o.BaseURL(), err)}
	}
	return nil
}

func listed(ids []string) string {
	if len(ids) == 0 {
		return "no models"
	}
	if len(ids) > 8 {
		return strings.Join(ids[:8], ", ") + fmt.Sprintf(" and %d more", len(ids)-8)
	}
	return strings.Join(ids, ", ")
}

// WaitReady waits, for every openai agent with wait_ready, until its
// endpoint lists its model, telling note (when set) how the wait goes.
// Agents are waited for at once; the first that is not ready in time
// fails the run before anything is written.
func WaitReady(ctx context.Context, sp *spec.Spec, note func(string)) error {
	var wg sync.WaitGroup
	errs := make([]error, len(sp.Agents))
	for i, a := range sp.Agents {
		if a.Provider != "openai" || a.WaitReady == 0 {
			continue
		}
		o, err := llm.NewOpenAI(openAIConfig(a))
		if err != nil {
			errs[i] = fmt.Errorf("agent %s: %w", a.Name, err)
			continue
		}
		limit := time.Duration(a.WaitReady)
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := time.Time{}
			err := o.WaitReady(ctx, a.Model, limit, func(err error, waited time.Duration) {
				if note != nil && time.Since(last) >= 5*time.Second {
					last = time.Now()
					note(fmt.Sprintf("waiting for agent %s: %s at %s (%s of %s): %v", a.Name, a.Model, o.BaseURL(),
						waited.Round(time.Second), limit, firstLine(err.Error())))
				}
			})
			if err != nil {
				errs[i] = fmt.Errorf("agent %s (wait_ready %s): %w", a.Name, limit, err)
			} else if note != nil && !last.IsZero() {
				note(fmt.Sprintf("agent %s: %s at %s is ready", a.Name, a.Model, o.BaseURL()))
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
