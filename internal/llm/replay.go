package llm

import (
	"context"
	"errors"
	"fmt"
)

// Recording is one recorded call, as replay needs it: the key (model,
// RequestKey of the request, sample index) and the answer with its usage.
type Recording struct {
	Model            string `json:"model"`
	Key              string `json:"key"` // RequestKey of the request
	Sample           int    `json:"sample"`
	Text             string `json:"text"`
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
	UsageEstimated   bool   `json:"usage_estimated,omitempty"`
	FinishReason     string `json:"finish_reason,omitempty"`
}

// Record makes the Recording of a finished call.
func Record(req Request, resp Response) Recording {
	return Recording{
		Model: req.Model, Key: RequestKey(req), Sample: req.Sample, Text: resp.Text,
		PromptTokens: resp.PromptTokens, CompletionTokens: resp.CompletionTokens,
		UsageEstimated: resp.UsageEstimated, FinishReason: resp.FinishReason,
	}
}

// ErrNotRecorded is returned by replay for a request it has no recording
// of and no fallback for.
var ErrNotRecorded = errors.New("no recorded answer")

type replayKey struct {
	model, key string
	sample     int
}

// Replay answers from recorded calls, so a run can be re-analysed or
// re-scored without any model. A request it has no recording of goes to
// the fallback provider when one is set, else fails with ErrNotRecorded.
type Replay struct {
	recs         map[replayKey]Recording
	fallback     Provider
	fallbackName string
}

// NewReplay returns a replay of recs. fallback (with its name, for
// errors and logs) answers misses; nil makes a miss an error. Two
// recordings with one key and different texts are an error.
func NewReplay(recs []Recording, fallbackName string, fallback Provider) (*Replay, error) {
	r := &Replay{recs: make(map[replayKey]Recording, len(recs)), fallback: fallback, fallbackName: fallbackName}
	for i, rec := range recs {
		k := replayKey{rec.Model, rec.Key, rec.Sample}
		if old, ok := r.recs[k]; ok && old.Text != rec.Text {
			return nil, fmt.Errorf("replay: recording %d conflicts with an earlier one for model %s, key %.12s, sample %d", i, rec.Model, rec.Key, rec.Sample)
		}
		r.recs[k] = rec
	}
	return r, nil
}

// Len is the number of distinct recordings.
func (r *Replay) Len() int { return len(r.recs) }

// Chat implements Provider.
func (r *Replay) Chat(ctx context.Context, req Request) (Response, error) {
	key := RequestKey(req)
	rec, ok := r.recs[replayKey{req.Model, key, req.Sample}]
	if ok {
		return Response{
			Text: rec.Text, Model: rec.Model, PromptTokens: rec.PromptTokens,
			CompletionTokens: rec.CompletionTokens, UsageEstimated: rec.UsageEstimated,
			FinishReason: rec.FinishReason, Attempts: 1,
		}, nil
	}
	if r.fallback == nil {
		return Response{Model: req.Model}, fmt.Errorf("replay: %w for model %s, request key %.12s, sample %d (the prompt or sampling parameters differ from the recorded run)",
			ErrNotRecorded, req.Model, key, req.Sample)
	}
	resp, err := r.fallback.Chat(ctx, req)
	if err != nil {
		return resp, fmt.Errorf("replay miss, fallback %s: %w", r.fallbackName, err)
	}
	return resp, nil
}
