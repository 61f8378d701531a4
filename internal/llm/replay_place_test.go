package llm

import (
	"context"
	"errors"
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
