package strategy

import (
	"fmt"
	"strings"
)

// Task describes the code to optimize.
type Task struct {
	Code     string // the code to rewrite
	Function string // the entry function, whose signature must stay
	OpenMP   bool
}

// Task is the task of the env's problem.
func (e *Env) Task() Task {
	return Task{Code: e.Problem.BaselineCode, Function: e.Problem.Function, OpenMP: e.OpenMP}
}

// Attempt is an evaluated candidate as a prompt shows it (feedback to
// its author, another agent's answer with its measured outcome).
type Attempt struct {
	Code    string
	Status  string // the evaluator's status, "no_code", or "none" when there was no answer
	Speedup float64
	Detail  string // compiler or runtime output
	Verdict string // the outcome as cues name it (Verdict)
}

// AttemptOf describes c; nil is an attempt without an answer.
func AttemptOf(c *Candidate) *Attempt {
	if c == nil {
		return &Attempt{Status: "none", Verdict: "no_code"}
	}
	o := c.Timed()
	return &Attempt{Code: c.Code, Status: c.Status, Speedup: o.Speedup, Detail: o.Detail, Verdict: Verdict(c.Status, o.Speedup)}
}

// Verdict names an outcome as the llm.CueOutcome and llm.CueLessonOutcome
// cues carry it: "faster 2.10" or "slower 0.80" for correct code,
// "incorrect" for wrong results, crashes and time-outs, "not_compilable"
// for code that does not compile, "no_code" for a reply without code.
func Verdict(status string, speedup float64) string {
	switch status {
	case "correct":
		if speedup >= 1 {
			return fmt.Sprintf("faster %.2f", speedup)
		}
		return fmt.Sprintf("slower %.2f", speedup)
	case "not_compilable":
		return "not_compilable"
	case "no_code", "none":
		return "no_code"
	}
	return "incorrect"
}

// Fence puts code in a ```cpp block.
func Fence(code string) string {
	return "```cpp\n" + strings.TrimRight(code, "\n") + "\n```\n"
}

// FirstLines keeps the first n lines of s.
func FirstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}
