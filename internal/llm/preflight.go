package llm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"syscall"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// preflightTimeout bounds each request a check sends: a server that cannot
// list its models or answer one token in this time is not ready.
const preflightTimeout = time.Minute

// BaseURL is the endpoint's API root, as requests go to it.
func (o *OpenAI) BaseURL() string { return o.baseURL }

// Models lists the model IDs the endpoint serves (GET /models), in one
// attempt.
func (o *OpenAI) Models(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, min(o.timeout, preflightTimeout))
	defer cancel()
	note := &attemptNote{}
	list, err := o.client.ListModels(context.WithValue(ctx, noteKey{}, note))
	if err != nil {
		return nil, fmt.Errorf("GET %s/models: %w", o.baseURL, o.convertErr(err, note))
	}
	ids := make([]string, 0, len(list.Models))
	for _, m := range list.Models {
		ids = append(ids, m.ID)
	}
	return ids, nil
}

// pingAttempts bounds a check's attempts at a server that answers but
// fails (an empty reply, a 5xx, a 429): one such answer is not a reason to
// refuse a run. A port that refuses the connection fails at once.
const pingAttempts = 3

// Ping sends one chat request for a single token to model and fails
// unless the server answers it with a choice. Answers worth a retry are
// retried a couple of times; an unreachable server fails at once. It
// carries no seed, so that a spec with seed: none sends none at all.
func (o *OpenAI) Ping(ctx context.Context, model string) error {
	req := wireRequest(Request{Model: model, MaxTokens: 1, NoSeed: true, Messages: []Message{{Role: "user", Content: pingText}}})
	p := RetryPolicy{BaseDelay: 200 * time.Millisecond, MaxDelay: 2 * time.Second}
	for n := 1; ; n++ {
		err := o.pingOnce(ctx, req)
		if err == nil || n >= pingAttempts || !Retryable(err) || errors.Is(err, syscall.ECONNREFUSED) || ctx.Err() != nil {
			if err != nil {
				return fmt.Errorf("POST %s/chat/completions (1 token): %w", o.baseURL, err)
			}
			return nil
		}
		t := time.NewTimer(p.Delay(n, err))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// pingText is the probe Ping sends; pingCues mark it as one, so that a
// simulator, which follows only cues, answers it (real servers ignore
// the header).
const pingText = "Say OK."

var pingCues = EncodeCues([]Cue{{Name: AskPing, Message: 0, Start: 0, End: len(pingText)}})

func (o *OpenAI) pingOnce(ctx context.Context, req openai.ChatCompletionRequest) error {
	ctx, cancel := context.WithTimeout(ctx, min(o.timeout, preflightTimeout))
	defer cancel()
	note := &attemptNote{cues: pingCues}
	cr, err := o.client.CreateChatCompletion(context.WithValue(ctx, noteKey{}, note), req)
	if err != nil {
		return o.convertErr(err, note)
	}
	if len(cr.Choices) == 0 {
		return ErrNoChoices
	}
	return nil
}

// PingEmbed sends one embeddings request for one short text, in one
// attempt.
func (o *OpenAI) PingEmbed(ctx context.Context) error {
	if o.embedModel == "" {
		return fmt.Errorf("no embedding model configured for %s", o.baseURL)
	}
	ctx, cancel := context.WithTimeout(ctx, min(o.timeout, preflightTimeout))
	defer cancel()
	note := &attemptNote{}
	res, err := o.client.CreateEmbeddings(context.WithValue(ctx, noteKey{}, note),
		openai.EmbeddingRequestStrings{Input: []string{"int main() { return 0; }"}, Model: openai.EmbeddingModel(o.embedModel)})
	if err != nil {
		return fmt.Errorf("POST %s/embeddings with %s: %w", o.baseURL, o.embedModel, o.convertErr(err, note))
	}
	if len(res.Data) != 1 || len(res.Data[0].Embedding) == 0 {
		return fmt.Errorf("POST %s/embeddings with %s: the server returned %d embeddings for 1 text", o.baseURL, o.embedModel, len(res.Data))
	}
	return nil
}

// ErrNotListed is returned for a model the endpoint's /models does not
// list.
var ErrNotListed = errors.New("model not listed")

// WaitReady polls the endpoint's /models, with backoff, until it lists
// model or limit has passed (or ctx ends); this is how a run waits for a
// server that is still loading its weights. wait, when set, hears of
// every failed poll and how long the wait has lasted.
func (o *OpenAI) WaitReady(ctx context.Context, model string, limit time.Duration, wait func(err error, waited time.Duration)) error {
	start := time.Now()
	p := RetryPolicy{BaseDelay: 500 * time.Millisecond, MaxDelay: 15 * time.Second}
	for n := 1; ; n++ {
		ids, err := o.Models(ctx)
		if err == nil {
			if slices.Contains(ids, model) {
				return nil
			}
			err = fmt.Errorf("%w: %s lists %v", ErrNotListed, o.baseURL, ids)
		}
		waited := time.Since(start)
		if ctx.Err() != nil {
			return fmt.Errorf("wait for %s at %s: %w", model, o.baseURL, ctx.Err())
		}
		if waited >= limit {
			return fmt.Errorf("%s at %s not ready after %s: %w", model, o.baseURL, waited.Round(time.Second), err)
		}
		if wait != nil {
			wait(err, waited)
		}
		d := min(p.Delay(n, nil), limit-waited)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("wait for %s at %s: %w", model, o.baseURL, ctx.Err())
		case <-t.C:
		}
	}
}
