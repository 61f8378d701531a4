package llm

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// fakeModel answers every request with a text that depends on all of it
// that RequestKey covers, as a seeded server would.
type fakeModel struct{}

func (fakeModel) Chat(_ context.Context, req Request) (Response, error) {
	text := "answer " + RequestKey(req)[:12] + " " + req.Model
	return Response{Text: text, Model: req.Model, PromptTokens: EstimatePromptTokens(req.Messages),
		CompletionTokens: EstimateTokens(text), FinishReason: "stop", Attempts: 1}, nil
}

func mustChat(t *testing.T, p Provider, req Request) Response {
	t.Helper()
	resp, err := p.Chat(context.Background(), req)
	if err != nil {
		t.Fatalf("chat: %v", err)
	}
	return resp
}

func TestReplay(t *testing.T) {
	sim := fakeModel{}
	reqs := []Request{
		{Model: "sim/coder-a", Messages: userMsg("Optimize f."), Temperature: 0.2, Seed: 1},
		{Model: "sim/coder-a", Messages: userMsg("Optimize f."), Temperature: 0.2, Seed: 1, Sample: 1},
		{Model: "sim/coder-b", Messages: userMsg("Optimize f."), Temperature: 0.2, Seed: 1},
	}
	var recs []Recording
	for _, r := range reqs {
		recs = append(recs, Record(r, mustChat(t, sim, r)))
	}
	rp, err := NewReplay(append(recs, recs[0]), "", nil) // an exact duplicate is fine
	if err != nil {
		t.Fatal(err)
	}
	if rp.Len() != 3 {
		t.Errorf("Len = %d", rp.Len())
	}
	for i, r := range reqs {
		r.Agent = "someone" // not part of the key
		got := mustChat(t, rp, r)
		want := mustChat(t, sim, r)
		if got.Text != want.Text || got.PromptTokens != want.PromptTokens || got.CompletionTokens != want.CompletionTokens || got.FinishReason != "stop" {
			t.Errorf("request %d: replayed %+v, recorded %+v", i, got, want)
		}
	}

	misses := []struct {
		name   string
		change func(*Request)
	}{
		{"another sample", func(r *Request) { r.Sample = 2 }},
		{"another seed", func(r *Request) { r.Seed = 2 }},
		{"another temperature", func(r *Request) { r.Temperature = 0.3 }},
		{"another model", func(r *Request) { r.Model = "sim/coder-c" }},
		{"another prompt", func(r *Request) { r.Messages = userMsg("Optimize g.") }},
		{"a stop sequence", func(r *Request) { r.Stop = []string{"END"} }},
		{"max tokens", func(r *Request) { r.MaxTokens = 100 }},
		{"top p", func(r *Request) { r.TopP = 0.9 }},
		{"frequency penalty", func(r *Request) { r.FrequencyPenalty = 0.5 }},
	}
	for _, m := range misses {
		t.Run(m.name, func(t *testing.T) {
			r := reqs[0]
			m.change(&r)
			_, err := rp.Chat(context.Background(), r)
			if !errors.Is(err, ErrNotRecorded) || !strings.Contains(err.Error(), r.Model) {
				t.Errorf("miss: %v", err)
			}
		})
	}

	t.Run("fallback", func(t *testing.T) {
		calls := 0
		fb := ProviderFunc(func(ctx context.Context, req Request) (Response, error) {
			calls++
			return Response{Text: "from the fallback"}, nil
		})
		rp, err := NewReplay(recs, "live", fb)
		if err != nil {
			t.Fatal(err)
		}
		if got := mustChat(t, rp, reqs[0]); got.Text == "from the fallback" || calls != 0 {
			t.Error("a recorded request went to the fallback")
		}
		r := reqs[0]
		r.Seed = 99
		if got := mustChat(t, rp, r); got.Text != "from the fallback" || calls != 1 {
			t.Errorf("miss: %q, %d fallback calls", got.Text, calls)
		}
	})

	t.Run("conflict", func(t *testing.T) {
		bad := recs[0]
		bad.Text = "something else"
		if _, err := NewReplay(append(recs, bad), "", nil); err == nil {
			t.Error("two texts for one key were accepted")
		}
	})
}
