package lessons

import (
	"embed"
	"fmt"
	"strings"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// The framework's prompt templates, one set per protocol (see
// strategy.LoadPrompts): optimize (the code to rewrite, with the selected
// lessons) and lesson (a candidate's author explains its outcome).
//
//go:embed prompts
var promptFS embed.FS

// LessonView is a lesson as an optimize prompt shows it.
type LessonView struct {
	N         int     // its number in the prompt, from 1
	Kind      string  // its outcome (Kind)
	Phrase    string  // the outcome in words (Kind.Phrase)
	Verdict   string  // the outcome as the llm.CueLessonOutcome cue names it
	ShowSpeed bool    // the lessonl protocol prints the speedup of correct candidates
	Correct   bool    // the candidate was correct
	Speedup   float64 // the candidate's speedup, 0 when it failed
	Text      string
}

// OptimizePrompt asks for a faster rewrite of t's code, showing the
// selected lessons, each introduced by its outcome as in the paper.
// Without lessons it is the round-0 prompt.
func OptimizePrompt(p *strategy.Prompts, t strategy.Task, shown []Pick) llm.Request {
	views := make([]LessonView, len(shown))
	for i, pick := range shown {
		l := pick.Lesson
		correct := l.Kind == Significant || l.Kind == Slight || l.Kind == Degrades
		views[i] = LessonView{N: i + 1, Kind: string(l.Kind), Phrase: l.Kind.Phrase(), Verdict: l.Kind.verdict(l.Speedup),
			ShowSpeed: correct, Correct: correct, Speedup: l.Speedup, Text: l.Text}
	}
	return p.MustRender("optimize", struct {
		Task    strategy.Task
		Lessons []LessonView
	}{t, views})
}

// LessonRequest is what a lesson prompt needs to know about a candidate.
type LessonRequest struct {
	Original  string
	Candidate string
	Kind      Kind
	Speedup   float64 // correct candidates
	Compiler  string  // not-compilable candidates: the compiler's output
}

// LessonPrompt asks a candidate's author for a lesson, with the wording
// chosen by the candidate's outcome. Incorrect code is shown without the
// failing inputs, on purpose (as in the paper): the lesson should name the
// transformation, not the test.
func LessonPrompt(p *strategy.Prompts, r LessonRequest) llm.Request {
	pace := "slower"
	switch {
	case r.Speedup >= 1.1:
		pace = "significantly faster"
	case r.Speedup >= 1:
		pace = "slightly faster"
	}
	return p.MustRender("lesson", struct {
		LessonRequest
		Kind    string
		Verdict string
		Pace    string // the authors' wording of a correct candidate's speed
	}{r, string(r.Kind), r.Kind.verdict(r.Speedup), pace})
}

// verdict is how the cues name a lesson's outcome (see llm.CueOutcome).
func (k Kind) verdict(speedup float64) string {
	switch k {
	case Significant, Slight:
		return fmt.Sprintf("faster %.2f", speedup)
	case Degrades:
		return fmt.Sprintf("slower %.2f", speedup)
	case NotEquivalent:
		return "incorrect"
	}
	return "not_compilable"
}

// ParseLesson takes the lesson text out of a reply: the text after
// "Lesson:" when present, else the whole reply, on one line.
func ParseLesson(reply string) string {
	if i := strings.Index(strings.ToLower(reply), "lesson:"); i >= 0 {
		reply = reply[i+len("lesson:"):]
	}
	return oneLine(reply)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
