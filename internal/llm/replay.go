package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Recording is one recorded call, as replay needs it: its place in the run
// (cell, agent, the agent's call ordinal, purpose), the content key (model, RequestKey of
// the request, sample index) and the answer with its usage.
type Recording struct {
	Cell    string `json:"cell,omitempty"`
	Agent   string `json:"agent,omitempty"`
	Ordinal int    `json:"ordinal,omitempty"`
	Purpose string `json:"purpose,omitempty"`

	Model            string `json:"model"`
	Key              string `json:"key"` // RequestKey of the request
	Sample           int    `json:"sample"`
	Text             string `json:"text"`
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
	UsageEstimated   bool   `json:"usage_estimated,omitempty"`
	FinishReason     string `json:"finish_reason,omitempty"`
	// Prompt is the recorded request's messages as JSON, when known; a
	// request answered in its place with another prompt is explained
	// by the first line that differs (see Difference).
	Prompt string `json:"prompt,omitempty"`
}

// Difference is a request answered from the record although its prompt
// or sampling parameters differed from the recorded call's: where it was
// and the first line that differs, recorded and now (typically a number
// the evaluator measured again and the prompt quotes).
type Difference struct {
	Cell     string `json:"cell"`
	Agent    string `json:"agent"`
	Ordinal  int    `json:"ordinal"` // the agent's call ordinal in the cell
	Purpose  string `json:"purpose"`
	Message  int    `json:"message"` // index of the first differing message; -1 when only sampling parameters differ
	Recorded string `json:"recorded,omitempty"`
	Now      string `json:"now,omitempty"`
}

// explain finds the first line that differs between the recorded prompt
// (JSON messages) and msgs.
func explain(recorded string, msgs []Message) (msg int, old, now string) {
	var rec []Message
	if recorded == "" || json.Unmarshal([]byte(recorded), &rec) != nil {
		return 0, "(the recorded prompt is not at hand)", ""
	}
	for i := 0; i < max(len(rec), len(msgs)); i++ {
		var a, b string
		if i < len(rec) {
			a = rec[i].Content
		}
		if i < len(msgs) {
			b = msgs[i].Content
		}
		if a == b {
			continue
		}
		al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
		for j := 0; j < max(len(al), len(bl)); j++ {
			var x, y string
			if j < len(al) {
				x = al[j]
			}
			if j < len(bl) {
				y = bl[j]
			}
			if x != y {
				return i, x, y
			}
		}
	}
	return -1, "", ""
}

// Record makes the Recording of a finished call.
func Record(req Request, resp Response) Recording {
	return Recording{
		Cell: req.Cell, Agent: req.Agent, Ordinal: req.Ordinal, Purpose: req.Purpose,
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

type placeKey struct {
	cell, agent string
	ordinal     int
}

type agentKey struct {
	cell, agent, purpose string
}

// ReplayStats counts how a replay answered.
type ReplayStats struct {
	// Answered is the number of requests answered from the record.
	Answered int64 `json:"answered"`
	// Differed is how many of those were answered although the prompt or
	// sampling parameters differed from the recorded call's (a number the
	// prompt quotes was measured again, say).
	Differed int64 `json:"differed"`
	// Misses is the number of requests with no recorded answer.
	Misses int64 `json:"misses"`
	// Differences explains each of the Differed requests, in the order of
	// their places (cell, agent, ordinal).
	Differences []Difference `json:"differences,omitempty"`
}

// Replay answers from recorded calls, so a run can be re-evaluated or
// re-analysed without any model.
//
// A request that carries its place in a run (Cell, Agent, Ordinal: the
// agent's own call ordinal, which concurrency cannot reorder) is answered
// by the recorded call at that place: the same agent's call of the same
// cell with the same ordinal, for the same purpose with the same model.
// It is answered even when the prompt differs (counted in Differed, and
// listed by Differences), because a prompt may quote a number the
// evaluator measured again. A request whose place holds a call of another
// purpose takes its agent's earliest unused call of that purpose,
// preferring one with an identical prompt. Every recorded call answers
// once. A request without a place is looked up by content (model,
// RequestKey, sample).
//
// A request with no recorded answer goes to the fallback provider when
// one is set, else fails with ErrNotRecorded.
type Replay struct {
	recs         map[replayKey]Recording
	places       map[placeKey]int   // index into all
	queues       map[agentKey][]int // indexes into all, by ordinal
	all          []Recording
	used         []bool
	mu           sync.Mutex
	fallback     Provider
	fallbackName string
	answered     atomic.Int64
	differed     atomic.Int64
	misses       atomic.Int64
	diffs        []Difference // under mu
}

// NewReplay returns a replay of recs. fallback (with its name, for
// errors and logs) answers misses; nil makes a miss an error. Two
// recordings with one content key and different texts, or two at one
// place, are an error.
func NewReplay(recs []Recording, fallbackName string, fallback Provider) (*Replay, error) {
	r := &Replay{recs: make(map[replayKey]Recording, len(recs)), places: map[placeKey]int{}, queues: map[agentKey][]int{},
		fallback: fallback, fallbackName: fallbackName}
	for i, rec := range recs {
		if rec.Cell != "" && rec.Ordinal > 0 {
			pk := placeKey{rec.Cell, rec.Agent, rec.Ordinal}
			if j, ok := r.places[pk]; ok {
				if r.all[j].Text != rec.Text {
					return nil, fmt.Errorf("replay: recording %d conflicts with an earlier one for cell %s, call %d", i, rec.Cell, rec.Ordinal)
				}
				continue
			}
			r.places[pk] = len(r.all)
			ak := agentKey{rec.Cell, rec.Agent, rec.Purpose}
			r.queues[ak] = append(r.queues[ak], len(r.all))
			r.all = append(r.all, rec)
			continue
		}
		k := replayKey{rec.Model, rec.Key, rec.Sample}
		if old, ok := r.recs[k]; ok && old.Text != rec.Text {
			return nil, fmt.Errorf("replay: recording %d conflicts with an earlier one for model %s, key %.12s, sample %d", i, rec.Model, rec.Key, rec.Sample)
		}
		r.recs[k] = rec
	}
	r.used = make([]bool, len(r.all))
	for _, q := range r.queues {
		sort.Slice(q, func(a, b int) bool { return r.all[q[a]].Ordinal < r.all[q[b]].Ordinal })
	}
	// Placed recordings answer by content too, for requests without a
	// place.
	for _, rec := range r.all {
		k := replayKey{rec.Model, rec.Key, rec.Sample}
		if _, ok := r.recs[k]; !ok {
			r.recs[k] = rec
		}
	}
	return r, nil
}

// Len is the number of distinct recordings.
func (r *Replay) Len() int {
	if len(r.all) > 0 {
		return len(r.all)
	}
	return len(r.recs)
}

// Stats is how the replay has answered so far.
func (r *Replay) Stats() ReplayStats {
	r.mu.Lock()
	diffs := append([]Difference(nil), r.diffs...)
	r.mu.Unlock()
	SortDifferences(diffs)
	return ReplayStats{Answered: r.answered.Load(), Differed: r.differed.Load(), Misses: r.misses.Load(), Differences: diffs}
}

// SortDifferences orders differences by place: cell, agent, ordinal.
func SortDifferences(d []Difference) {
	sort.Slice(d, func(i, j int) bool {
		a, b := d[i], d[j]
		if a.Cell != b.Cell {
			return a.Cell < b.Cell
		}
		if a.Agent != b.Agent {
			return a.Agent < b.Agent
		}
		return a.Ordinal < b.Ordinal
	})
}

func answer(rec Recording) Response {
	return Response{
		Text: rec.Text, Model: rec.Model, PromptTokens: rec.PromptTokens,
		CompletionTokens: rec.CompletionTokens, UsageEstimated: rec.UsageEstimated,
		FinishReason: rec.FinishReason, Attempts: 1,
	}
}

// Chat implements Provider.
func (r *Replay) Chat(ctx context.Context, req Request) (Response, error) {
	key := RequestKey(req)
	if req.Cell != "" && req.Ordinal > 0 && len(r.all) > 0 {
		rec, err := r.byPlace(req, key)
		if err == nil {
			r.answered.Add(1)
			if rec.Key != key || rec.Sample != req.Sample {
				r.differed.Add(1)
				d := Difference{Cell: req.Cell, Agent: req.Agent, Ordinal: req.Ordinal, Purpose: req.Purpose}
				d.Message, d.Recorded, d.Now = explain(rec.Prompt, req.Messages)
				r.mu.Lock()
				r.diffs = append(r.diffs, d)
				r.mu.Unlock()
			}
			return answer(rec), nil
		}
		return r.miss(ctx, req, err)
	}
	if rec, ok := r.recs[replayKey{req.Model, key, req.Sample}]; ok {
		r.answered.Add(1)
		return answer(rec), nil
	}
	return r.miss(ctx, req, fmt.Errorf("replay: %w for model %s, request key %.12s, sample %d (the prompt or sampling parameters differ from the recorded run)",
		ErrNotRecorded, req.Model, key, req.Sample))
}

func (r *Replay) miss(ctx context.Context, req Request, err error) (Response, error) {
	r.misses.Add(1)
	if r.fallback == nil {
		return Response{Model: req.Model}, err
	}
	resp, ferr := r.fallback.Chat(ctx, req)
	if ferr != nil {
		return resp, fmt.Errorf("replay miss, fallback %s: %w", r.fallbackName, ferr)
	}
	return resp, nil
}

// byPlace finds and uses the recorded call at req's place (see Replay).
func (r *Replay) byPlace(req Request, key string) (Recording, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	take := func(i int) (Recording, error) {
		rec := r.all[i]
		if rec.Model != req.Model {
			return Recording{}, fmt.Errorf("replay: %w for cell %s, call %d: recorded with model %s, asked for %s", ErrNotRecorded, req.Cell, req.Ordinal, rec.Model, req.Model)
		}
		r.used[i] = true
		return rec, nil
	}
	i, ok := r.places[placeKey{req.Cell, req.Agent, req.Ordinal}]
	if ok && !r.used[i] && r.all[i].Purpose == req.Purpose {
		return take(i)
	}
	q := r.queues[agentKey{req.Cell, req.Agent, req.Purpose}]
	if !ok {
		q = nil // no call of the cell was recorded at this place
	}
	first := -1
	for _, j := range q {
		if r.used[j] {
			continue
		}
		if r.all[j].Key == key && r.all[j].Sample == req.Sample {
			return take(j)
		}
		if first < 0 {
			first = j
		}
	}
	if first >= 0 {
		return take(first)
	}
	return Recording{}, fmt.Errorf("replay: %w for cell %s, call %d (agent %s, %s): the record holds no such call",
		ErrNotRecorded, req.Cell, req.Ordinal, req.Agent, req.Purpose)
}
