package llm

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// TestReplayByPlace: requests that carry their place in a run (cell,
// agent, the agent's call ordinal) are answered by the recorded call at
// that place, even when the prompt differs, whatever order the agents'
// calls arrive in.
func TestReplayByPlace(t *testing.T) {
	msg := func(s string) []Message { return []Message{{Role: "user", Content: s}} }
	req := func(agent string, ordinal int, purpose, prompt string) Request {
		return Request{Model: "m-" + agent, Agent: agent, Cell: "lessonl||p|1", Ordinal: ordinal, Purpose: purpose, Messages: msg(prompt), Seed: 1}
	}
	rec := func(r Request, text string) Recording { return Record(r, Response{Text: text}) }
	record := []Recording{
		rec(req("a", 1, "optimize", "make it fast"), "a-opt-0"),
		rec(req("b", 1, "optimize", "make it fast"), "b-opt-0"),
		rec(req("a", 2, "lesson", "it ran 3.30x faster; why?"), "a-lesson-0"),
		rec(req("b", 2, "lesson", "it ran 1.10x faster; why?"), "b-lesson-0"),
		rec(req("a", 3, "optimize", "lessons: ..."), "a-opt-1"),
	}
	cases := []struct {
		name     string
		reqs     []Request
		want     []string // "" is a miss
		differed int64
	}{
		{name: "the same calls", reqs: []Request{req("a", 1, "optimize", "make it fast"), req("b", 1, "optimize", "make it fast"),
			req("a", 2, "lesson", "it ran 3.30x faster; why?")}, want: []string{"a-opt-0", "b-opt-0", "a-lesson-0"}},
		{name: "a number measured again", reqs: []Request{req("a", 2, "lesson", "it ran 4.12x faster; why?")},
			want: []string{"a-lesson-0"}, differed: 1},
		{name: "concurrent calls in another order", reqs: []Request{req("b", 1, "optimize", "make it fast"), req("a", 1, "optimize", "make it fast"),
			req("b", 2, "lesson", "it ran 1.10x faster; why?"), req("a", 2, "lesson", "it ran 3.30x faster; why?")},
			want: []string{"b-opt-0", "a-opt-0", "b-lesson-0", "a-lesson-0"}},
		{name: "another purpose at the place", reqs: []Request{req("b", 1, "vote", "which?")}, want: []string{""}},
		{name: "another model", reqs: []Request{{Model: "m-x", Agent: "a", Cell: "lessonl||p|1", Ordinal: 1, Purpose: "optimize", Messages: msg("make it fast")}},
			want: []string{""}},
		{name: "a call past the record", reqs: []Request{req("a", 4, "optimize", "lessons: ...")}, want: []string{""}},
		{name: "another cell", reqs: []Request{{Model: "m-a", Agent: "a", Cell: "lessonl||p|2", Ordinal: 1, Purpose: "optimize", Messages: msg("make it fast")}},
			want: []string{""}},
		{name: "each recorded call answers once", reqs: []Request{req("a", 1, "optimize", "make it fast"), req("a", 1, "optimize", "make it fast")},
			want: []string{"a-opt-0", "a-opt-1"}, differed: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rp, err := NewReplay(record, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			misses := int64(0)
			for i, r := range c.reqs {
				resp, err := rp.Chat(context.Background(), r)
				if c.want[i] == "" {
					misses++
					if !errors.Is(err, ErrNotRecorded) {
						t.Errorf("request %d: got %q, %v; want a miss", i, resp.Text, err)
					}
					continue
				}
				if err != nil || resp.Text != c.want[i] {
					t.Errorf("request %d: got %q, %v; want %q", i, resp.Text, err, c.want[i])
				}
			}
			st := rp.Stats()
			if st.Differed != c.differed || st.Misses != misses || st.Answered != int64(len(c.reqs))-misses {
				t.Errorf("stats %+v, want %d differed, %d misses", st, c.differed, misses)
			}
		})
	}
}

// TestReplayExplains: a request answered in its place with another prompt
// is listed with the first line that differs, recorded and now; one with
// the same messages and other sampling parameters says so.
func TestReplayExplains(t *testing.T) {
	msg := func(s string) []Message {
		return []Message{{Role: "system", Content: "optimize"}, {Role: "user", Content: s}}
	}
	req := func(ordinal int, prompt string, temp float64) Request {
		return Request{Model: "m", Agent: "a", Cell: "lessonl||p|1", Ordinal: ordinal, Purpose: "lesson", Messages: msg(prompt), Temperature: temp}
	}
	recOf := func(r Request) Recording {
		rec := Record(r, Response{Text: "ok"})
		b, _ := json.Marshal(r.Messages)
		rec.Prompt = string(b)
		return rec
	}
	rp, err := NewReplay([]Recording{
		recOf(req(1, "Code A:\nx\nCode B runs 3.30x as fast.", 0.2)),
		recOf(req(2, "same", 0.2)),
		recOf(req(3, "same", 0.2)),
	}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Request{req(1, "Code A:\nx\nCode B runs 3.41x as fast.", 0.2), req(2, "same", 0.7), req(3, "same", 0.2)} {
		if _, err := rp.Chat(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	want := []Difference{
		{Cell: "lessonl||p|1", Agent: "a", Ordinal: 1, Purpose: "lesson", Message: 1, Recorded: "Code B runs 3.30x as fast.", Now: "Code B runs 3.41x as fast."},
		{Cell: "lessonl||p|1", Agent: "a", Ordinal: 2, Purpose: "lesson", Message: -1},
	}
	st := rp.Stats()
	if st.Differed != 2 || !reflect.DeepEqual(st.Differences, want) {
		t.Errorf("differed %d, differences %+v; want %+v", st.Differed, st.Differences, want)
	}
}
