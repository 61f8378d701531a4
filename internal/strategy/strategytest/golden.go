package strategytest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/golden"
	"github.com/lessonlab/lessonl/internal/llm"
)

// Golden compares req's messages and cues, as text, with the file at path
// (under testdata/); with -update it rewrites the file instead.
func Golden(t *testing.T, path string, req llm.Request) {
	t.Helper()
	var b strings.Builder
	for _, m := range req.Messages {
		b.WriteString(strings.ToUpper(m.Role) + ":\n" + m.Content + "\n\n")
	}
	b.WriteString("CUES:\n")
	for _, c := range req.Cues {
		span := req.Messages[c.Message].Content[c.Start:c.End]
		if len(span) > 70 {
			span = span[:40] + "…" + span[len(span)-25:]
		}
		fmt.Fprintf(&b, "%s [%d:%d:%d] %q\n", c.Name, c.Message, c.Start, c.End, span)
	}
	golden.Check(t, path, []byte(b.String()))
}

// CheckCues checks what a simulator relies on: exactly one Ask cue, the
// wanted one; spans inside their messages; no cue mark left in the text;
// and for every cue name in known (the part before any ":"), a span equal
// to one of the known texts (compared without surrounding white space).
func CheckCues(t *testing.T, req llm.Request, ask string, known map[string][]string) {
	t.Helper()
	asks := 0
	for _, m := range req.Messages {
		if strings.ContainsAny(m.Content, "\uE000\uE001\uE002") {
			t.Errorf("a cue mark is left in the %s message", m.Role)
		}
	}
	for _, c := range req.Cues {
		if c.Message < 0 || c.Message >= len(req.Messages) || c.Start < 0 || c.End < c.Start || c.End > len(req.Messages[c.Message].Content) {
			t.Errorf("cue %s: span [%d:%d:%d] outside the messages", c.Name, c.Message, c.Start, c.End)
			continue
		}
		if strings.HasPrefix(c.Name, "ask/") {
			asks++
			if name, _, _ := strings.Cut(c.Name, ":"); name != ask {
				t.Errorf("ask cue %s, want %s", c.Name, ask)
			}
			continue
		}
		base, _, _ := strings.Cut(c.Name, ":")
		want, ok := known[base]
		if !ok {
			continue
		}
		span := strings.TrimSpace(req.Messages[c.Message].Content[c.Start:c.End])
		found := false
		for _, w := range want {
			if span == strings.TrimSpace(w) {
				found = true
			}
		}
		if !found {
			t.Errorf("cue %s marks %q, want one of %q", c.Name, span, want)
		}
	}
	if asks != 1 {
		t.Errorf("%d ask cues, want 1", asks)
	}
}
