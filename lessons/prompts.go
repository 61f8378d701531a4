package lessons

import (
	"fmt"
	"strings"
)

// Prompt is a system and a user message.
type Prompt struct {
	System string
	User   string
}

// System is the system message of every prompt the framework sends.
const System = "You are an expert C++ performance engineer. You rewrite code so that it runs faster while computing exactly the same results."

// OpenMPSentence is added to optimize prompts in OpenMP mode.
const OpenMPSentence = "The code will be compiled with OpenMP; you may parallelize it with OpenMP pragmas, using the threads the runtime provides."

// Task describes the code to optimize.
type Task struct {
	Code     string // the original code
	Function string // the entry function, whose signature must stay
	OpenMP   bool
}

// OptimizePrompt asks for a faster rewrite of t's code, showing the
// selected lessons, each introduced by its outcome as in the paper.
func OptimizePrompt(t Task, shown []Pick) Prompt {
	var b strings.Builder
	b.WriteString("Optimize the following C++ code for speed.")
	if t.OpenMP {
		b.WriteString(" " + OpenMPSentence)
	}
	fmt.Fprintf(&b, " Keep the function `%s` with the same signature and the same results; you may add includes and helper functions.\n\n", t.Function)
	b.WriteString(fence(t.Code))
	if len(shown) > 0 {
		b.WriteString("\nLessons learned from earlier rewrites of this code:\n")
		for i, p := range shown {
			fmt.Fprintf(&b, "Lesson %d %s", i+1, p.Lesson.Kind.Phrase())
			if p.Lesson.Kind == Significant || p.Lesson.Kind == Slight || p.Lesson.Kind == Degrades {
				fmt.Fprintf(&b, " (%.2fx)", p.Lesson.Speedup)
			}
			fmt.Fprintf(&b, ": %s\n", oneLine(p.Lesson.Text))
		}
		b.WriteString("Use what improved performance and avoid what failed.\n")
	}
	b.WriteString("\nAnswer with the complete optimized code in a single ```cpp block.")
	return Prompt{System: System, User: b.String()}
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
func LessonPrompt(r LessonRequest) Prompt {
	var b strings.Builder
	b.WriteString("Code A is the original C++ code. Code B is a rewrite of it meant to run faster.\n\nCode A:\n")
	b.WriteString(fence(r.Original))
	b.WriteString("\nCode B:\n")
	b.WriteString(fence(r.Candidate))
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
		b.WriteString(fence(firstLines(r.Compiler, compilerLines)))
		b.WriteString("Explain in one or two sentences which mistake made Code B fail to compile, so that others can avoid it.")
	}
	b.WriteString("\nReply with the lesson only, starting with \"Lesson:\".")
	return Prompt{System: System, User: b.String()}
}

// ParseLesson takes the lesson text out of a reply: the text after
// "Lesson:" when present, else the whole reply, on one line.
func ParseLesson(reply string) string {
	if i := strings.Index(strings.ToLower(reply), "lesson:"); i >= 0 {
		reply = reply[i+len("lesson:"):]
	}
	return oneLine(reply)
}

func fence(code string) string {
	return "```cpp\n" + strings.TrimRight(code, "\n") + "\n```\n"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}
