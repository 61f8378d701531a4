package llm

import (
	"fmt"
	"net/url"
	"strings"
)

// The cue vocabulary shared by the prompt templates (which mark where they
// put each thing) and the simulator (which reads only what is marked).
// A request's cues say what it asks for (one Ask cue) and where its parts
// are (any number of content cues). Rewording a template moves the spans,
// never the meaning the sim reads.
const (
	// AskOptimize asks for a rewrite of the code (the span is the
	// instruction); AskLesson for a lesson about one candidate; AskVote for
	// the number of the best of several answers; AskPlan for plans;
	// AskConfidence for a plan's confidence; AskRetrieve for similar
	// problems (MapCoder's knowledge base); AskReflect for a reflection
	// on feedback; AskAggregate for one answer from several proposals;
	// AskRevise for a revision after seeing others' answers (debate).
	AskOptimize   = "ask/optimize"
	AskLesson     = "ask/lesson"
	AskVote       = "ask/vote"
	AskPlan       = "ask/plan"
	AskConfidence = "ask/confidence"
	AskRetrieve   = "ask/retrieve"
	AskReflect    = "ask/reflect"
	AskAggregate  = "ask/aggregate"
	AskRevise     = "ask/revise"
	// AskPing marks a probe that only checks the endpoint answers (the
	// run's preflight); the sim answers it with "OK".
	AskPing = "ask/ping"

	// CueCode is the code to rewrite (the problem's original code).
	CueCode = "code"
	// CueCandidate is one candidate's code shown in the prompt (the code
	// a lesson is about, a previous attempt, another agent's answer).
	CueCandidate = "candidate"
	// CueOutcome is the evaluator's verdict on the candidate next to it,
	// in words: "faster 2.10", "slower 0.80", "incorrect",
	// "not_compilable", "same". Its span holds the template's wording;
	// the cue's name suffix (CueOutcome+":"+verdict) carries the verdict.
	CueOutcome = "outcome"
	// CueLesson is one lesson shown to the agent; CueLessonOutcome+":"+
	// verdict names that lesson's outcome as CueOutcome does.
	CueLesson        = "lesson"
	CueLessonOutcome = "lesson-outcome"
	// CueFeedback is evaluator or self feedback on an earlier attempt.
	CueFeedback = "feedback"
	// CuePlan is one plan (MapCoder).
	CuePlan = "plan"
	// CueCompiler is compiler output shown in a prompt.
	CueCompiler = "compiler"

	// The generate task (Python code generation). A generate request
	// carries CueGenPrompt, the problem's prompt (signature and
	// docstring, or MBPP's task text), by which the sim recognises the
	// problem; AskGenerate asks for a whole function (the span is the
	// instruction), AskTests for unit tests ("ask/tests:6" for six).
	// Candidates, lessons, plans and feedback use the cues above, with
	// verdicts "passed", "failed P/T" (P of T generated tests passed),
	// "incorrect" or "no_code".
	// CueGenerate marks every generate request (its span is the
	// instruction), so that a reader tells the two tasks apart even in a
	// request that shows only candidate code (a lesson).
	CueGenPrompt = "gen/prompt"
	CueGenerate  = CueTask + "generate"
	// CueTask+NAME marks every request of task NAME (CueGenerate is
	// generate's); optimize's requests carry none.
	CueTask     = "task/"
	AskGenerate = "ask/generate"
	AskTests    = "ask/tests"
)

// Conventions the simulator relies on (internal/llm/sim/doc.go has the
// whole reading):
//   - An ask may end in ":N" to ask for N things: AskPlan+":3" asks for
//     three plans, AskRetrieve+":3" for three recalled problems (one when
//     absent).
//   - Verdicts (after CueOutcome+":" or CueLessonOutcome+":") are a word
//     and an optional speedup: faster, significant, slight, same, slower,
//     degrades, incorrect, not_equivalent, runtime_error, timeout, crash,
//     not_compilable, unknown, no_code ("faster 2.10", "incorrect").
//   - Verdict cues pair with candidate (lesson) cues in prompt order, the
//     k-th with the k-th: a prompt gives every candidate (lesson) a
//     verdict, "unknown" when it has none, or gives none at all.
//   - The candidate a lesson or a reflection is about is the last
//     candidate cue; a code or candidate span may include its fence.

// maxCues bounds how many cues DecodeCues accepts, so that a header cannot
// make a server allocate without bound.
const maxCues = 4096

// EncodeCues writes cues as the CuesHeader value: a comma-separated list
// of name@message:start+length, the name percent-encoded outside
// [A-Za-z0-9/:._-] (so "outcome:faster 2.10" travels as
// "outcome:faster%202.10"). Only positions travel, never text, so the
// header stays a few bytes per cue; it is URL-safe.
func EncodeCues(cues []Cue) string {
	var b strings.Builder
	for i, c := range cues {
		if i > 0 {
			b.WriteByte(',')
		}
		for j := 0; j < len(c.Name); j++ {
			ch := c.Name[j]
			if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("/:._-", ch) >= 0 {
				b.WriteByte(ch)
			} else {
				fmt.Fprintf(&b, "%%%02X", ch)
			}
		}
		fmt.Fprintf(&b, "@%d:%d+%d", c.Message, c.Start, c.End-c.Start)
	}
	return b.String()
}

// DecodeCues reads a CuesHeader value written by EncodeCues. It checks the
// syntax only; CheckCues checks the spans against the messages.
func DecodeCues(header string) ([]Cue, error) {
	header = strings.TrimSpace(header)
	if header == "" {
		return nil, nil
	}
	items := strings.Split(header, ",")
	if len(items) > maxCues {
		return nil, fmt.Errorf("%s: %d cues, more than %d", CuesHeader, len(items), maxCues)
	}
	out := make([]Cue, 0, len(items))
	for i, it := range items {
		at := strings.LastIndexByte(it, '@')
		if at <= 0 {
			return nil, fmt.Errorf("%s: cue %d %q: want name@message:start+length", CuesHeader, i+1, it)
		}
		name, err := url.PathUnescape(it[:at])
		if err != nil {
			return nil, fmt.Errorf("%s: cue %d %q: name: %w", CuesHeader, i+1, it, err)
		}
		var msg, start, n int
		pos := it[at+1:]
		if k, err := fmt.Sscanf(pos, "%d:%d+%d", &msg, &start, &n); err != nil || k != 3 ||
			pos != fmt.Sprintf("%d:%d+%d", msg, start, n) || msg < 0 || start < 0 || n < 0 {
			return nil, fmt.Errorf("%s: cue %d %q: want name@message:start+length with non-negative numbers", CuesHeader, i+1, it)
		}
		out = append(out, Cue{Name: name, Message: msg, Start: start, End: start + n})
	}
	return out, nil
}

// CheckCues reports the first cue whose span is not within its message.
func CheckCues(msgs []Message, cues []Cue) error {
	for i, c := range cues {
		switch {
		case c.Name == "":
			return fmt.Errorf("cue %d has no name", i+1)
		case c.Message < 0 || c.Message >= len(msgs):
			return fmt.Errorf("cue %d (%s): message %d of %d", i+1, c.Name, c.Message, len(msgs))
		case c.Start < 0 || c.End < c.Start || c.End > len(msgs[c.Message].Content):
			return fmt.Errorf("cue %d (%s): bytes [%d, %d) outside message %d's %d bytes", i+1, c.Name, c.Start, c.End, c.Message, len(msgs[c.Message].Content))
		}
	}
	return nil
}

// Text returns the bytes of msgs a cue marks; CheckCues must pass first.
func (c Cue) Text(msgs []Message) string { return msgs[c.Message].Content[c.Start:c.End] }
