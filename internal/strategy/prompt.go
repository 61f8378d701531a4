package strategy

import (
	"fmt"
	"strings"

	"github.com/lessonlab/lessonl/internal/llm"
)

// System is the system message of every prompt any strategy sends.
const System = "You are an expert C++ performance engineer. You rewrite code so that it runs faster while computing exactly the same results."

// OpenMPSentence is added to optimize prompts in OpenMP mode.
const OpenMPSentence = "The code will be compiled with OpenMP; you may parallelize it with OpenMP pragmas, using the threads the runtime provides."

// AnswerInstruction ends every prompt that asks for code.
const AnswerInstruction = "Answer with the complete optimized code in a single ```cpp block."

// Task describes the code to optimize.
type Task struct {
	Code     string // the code to rewrite
	Function string // the entry function, whose signature must stay
	OpenMP   bool
}

// TaskOf is the task of the env's problem.
func (e *Env) Task() Task {
	return Task{Code: e.Problem.BaselineCode, Function: e.Problem.Function, OpenMP: e.OpenMP}
}

// Optimize is the request every strategy starts from: rewrite t's code for
// speed. extra, when not empty, is a section placed after the code (lessons,
// feedback, other agents' answers) and before the answer instruction, so
// that all strategies share one wording and differ only in what they add.
func Optimize(t Task, extra string) []llm.Message {
	var b strings.Builder
	b.WriteString("Optimize the following C++ code for speed.")
	if t.OpenMP {
		b.WriteString(" " + OpenMPSentence)
	}
	fmt.Fprintf(&b, " Keep the function `%s` with the same signature and the same results; you may add includes and helper functions.\n\n", t.Function)
	b.WriteString(Fence(t.Code))
	if extra != "" {
		b.WriteString("\n" + strings.TrimRight(extra, "\n") + "\n")
	}
	b.WriteString("\n" + AnswerInstruction)
	return Chat(b.String())
}

// Chat is a system message and one user message.
func Chat(user string) []llm.Message {
	return []llm.Message{{Role: "system", Content: System}, {Role: "user", Content: user}}
}

// Fence puts code in a ```cpp block.
func Fence(code string) string {
	return "```cpp\n" + strings.TrimRight(code, "\n") + "\n```\n"
}

// Feedback describes a candidate's evaluation in words, for strategies that
// show agents their measured results (reflexion, debate with feedback,
// MapCoder's debugging).
func Feedback(c *Candidate) string {
	switch {
	case c == nil:
		return "The previous attempt produced no answer."
	case c.Status == "no_code":
		return "The previous answer contained no code block."
	case c.OK():
		return fmt.Sprintf("The code compiles, computes the same results as the original, and runs %.2fx as fast as the original.", c.Speedup())
	case c.Status == "not_compilable":
		return "The code does not compile. The compiler says:\n" + Fence(FirstLines(c.Outcome.Detail, 12))
	case c.Status == "incorrect":
		return "The code compiles but does not compute the same results as the original."
	case c.Status == "timeout":
		return "The code compiles but runs out of time."
	default:
		return "The code compiles but crashes or exceeds a resource limit:\n" + Fence(FirstLines(c.Outcome.Detail, 6))
	}
}

// FirstLines keeps the first n lines of s.
func FirstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}
