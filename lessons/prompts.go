package lessons

import (
	"fmt"
	"strings"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// OptimizePrompt asks for a faster rewrite of t's code, showing the
// selected lessons, each introduced by its outcome as in the paper. Without
// lessons it is exactly the round-0 prompt every strategy starts from.
func OptimizePrompt(t strategy.Task, shown []Pick) []llm.Message {
	if len(shown) == 0 {
		return strategy.Optimize(t, "")
	}
	var b strings.Builder
	b.WriteString("Lessons learned from earlier rewrites of this code:\n")
	for i, p := range shown {
		fmt.Fprintf(&b, "Lesson %d %s", i+1, p.Lesson.Kind.Phrase())
		if p.Lesson.Kind == Significant || p.Lesson.Kind == Slight || p.Lesson.Kind == Degrades {
			fmt.Fprintf(&b, " (%.2fx)", p.Lesson.Speedup)
		}
		fmt.Fprintf(&b, ": %s\n", oneLine(p.Lesson.Text))
	}
	b.WriteString("Use what improved performance and avoid what failed.\n")
	return strategy.Optimize(t, b.String())
}

// LessonRequest is what a lesson prompt needs to know about a candidate.
type LessonRequest struct {
	Original  string
	Candidate string
	Kind      Kind
	Speedup   float64 // correct candidates
	Compiler  string  // not-compilable candidates: the compiler's output
}

// compilerLines is how much compiler output a lesson prompt shows.
const compilerLines = 12

// LessonPrompt asks a candidate's author for a lesson, with the wording
// chosen by the candidate's outcome. Incorrect code is shown without the
// failing inputs, on purpose (as in the paper): the lesson should name the
// transformation, not the test.
func LessonPrompt(r LessonRequest) []llm.Message {
	var b strings.Builder
	b.WriteString("Code A is the original C++ code. Code B is a rewrite of it meant to run faster.\n\nCode A:\n")
	b.WriteString(strategy.Fence(r.Original))
	b.WriteString("\nCode B:\n")
	b.WriteString(strategy.Fence(r.Candidate))
	b.WriteString("\n")
	switch r.Kind {
	case Significant, Slight:
		fmt.Fprintf(&b, "Code B computes the same results and runs %.2fx as fast as Code A. Explain in one or two sentences which change made Code B faster, so that others can apply the lesson.", r.Speedup)
	case Degrades:
		fmt.Fprintf(&b, "Code B computes the same results but runs only %.2fx as fast as Code A, so it is slower. Explain in one or two sentences which change made Code B slower, so that others can avoid it.", r.Speedup)
	case NotEquivalent:
		b.WriteString("Code B does not compute the same results as Code A (or crashes, or runs out of time). Explain in one or two sentences which change broke the equivalence, so that others can avoid it.")
	case NotCompilable:
		b.WriteString("Code B does not compile. The compiler says:\n")
		b.WriteString(strategy.Fence(strategy.FirstLines(r.Compiler, compilerLines)))
		b.WriteString("Explain in one or two sentences which mistake made Code B fail to compile, so that others can avoid it.")
	}
	b.WriteString("\nReply with the lesson only, starting with \"Lesson:\".")
	return strategy.Chat(b.String())
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
