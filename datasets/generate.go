package datasets

import (
	"encoding/json"
	"fmt"
)

// Task is what a problem asks of a candidate. Datasets, the evaluator,
// strategies and analysis are keyed by it.
type Task string

// The task kinds.
const (
	// TaskOptimize is the paper's code optimization: a C++ baseline to make
	// faster; a candidate is judged by its speedup (Problem).
	TaskOptimize Task = "optimize"
	// TaskGenerate is the paper's code generation: a Python prompt to
	// complete; a candidate is judged by the hidden tests it passes
	// (GenProblem).
	TaskGenerate Task = "generate"
)

// GenProblem is one code-generation task: a Python prompt (signature and
// docstring) to complete, and the hidden tests that judge a completion.
// HumanEval, HumanEval+, MBPP, MBPP+ and the built-in suite pysuite load
// into this one shape.
type GenProblem struct {
	ID string `json:"id"`
	// Suite names where the problem comes from: "humaneval",
	// "humaneval+", "mbpp+", "pysuite".
	Suite string `json:"suite"`
	// Prompt is what the LLM sees: imports, the signature and the docstring
	// (HumanEval), or a task description with an example (MBPP).
	Prompt string `json:"prompt"`
	// EntryPoint is the name of the function the tests call.
	EntryPoint string `json:"entry_point"`
	// Canonical is the reference solution as a whole program (for HumanEval,
	// the prompt followed by its canonical completion). Differential tests
	// take their expected outputs and time limits from it.
	Canonical string `json:"canonical"`
	// Tests are the hidden tests.
	Tests GenTests `json:"tests"`
	// Solutions are known candidates with the verdict they should get; the
	// canonical solution is always the first, expected to pass.
	Solutions []GenSolution `json:"solutions"`
}

// GenTests are a problem's hidden tests, in either or both of two forms.
// Check is HumanEval's: a Python module defining check(candidate), whose
// body's assertions are the tests. Base and Plus are EvalPlus's: argument
// lists whose expected outputs come from running Canonical.
type GenTests struct {
	// Check is Python code defining check(candidate); each top-level
	// statement of its body holding an assertion is one test (statements
	// before it that hold none are its setup). Used when Base is empty.
	Check string `json:"check,omitempty"`
	// Base are the original benchmark's inputs (EvalPlus base_input): a JSON
	// array of argument lists. Python's NaN and Infinity are kept (see
	// SanitizeJSON).
	Base json.RawMessage `json:"base,omitempty"`
	// Plus are EvalPlus's extra inputs (plus_input), same form.
	Plus json.RawMessage `json:"plus,omitempty"`
	// Atol is the absolute tolerance for float outputs; EvalPlus compares
	// floats with at least 1e-6 even when it is 0.
	Atol float64 `json:"atol,omitempty"`
	// Oracle names a special comparison EvalPlus uses where equality of
	// outputs is not the test (e.g. "poly_root" for HumanEval/32); "" is
	// equality with float tolerance.
	Oracle string `json:"oracle,omitempty"`
	// Convert names how MBPP+ arguments are rebuilt from JSON (tuples,
	// sets, complex numbers) before the call; "" leaves them as decoded.
	Convert string `json:"convert,omitempty"`
	// BaseCount and PlusCount are the number of inputs in Base and Plus.
	BaseCount int `json:"base_count,omitempty"`
	PlusCount int `json:"plus_count,omitempty"`
}

// Differential reports whether the tests are EvalPlus inputs compared
// with the canonical solution's outputs rather than HumanEval's check().
func (t GenTests) Differential() bool { return t.BaseCount+t.PlusCount > 0 }

// GenSolution is a known candidate for a GenProblem.
type GenSolution struct {
	// Name is unique within the problem ("canonical", "off-by-one", ...).
	Name string `json:"name"`
	// Pass says whether it should pass every hidden test.
	Pass bool `json:"pass"`
	// Note says in a sentence what it gets wrong, if anything.
	Note string `json:"note,omitempty"`
	// Code is the whole Python program (prompt and body).
	Code string `json:"code"`
}

// FindGen returns the problem with the given id.
func FindGen(problems []*GenProblem, id string) (*GenProblem, error) {
	for _, p := range problems {
		if p.ID == id {
			return p, nil
		}
	}
	return nil, fmt.Errorf("no problem %q", id)
}

// AsProblem wraps a generate problem as a Problem, so that the spec's
// cells, sharding, records and the runner treat both task kinds alike:
// its category is the suite ("humaneval+", "mbpp+", "pysuite"), its
// function the entry point, its BaselineCode the prompt the LLM completes,
// and Gen the problem itself, which the generate evaluator and strategies
// read.
func AsProblem(g *GenProblem) *Problem {
	return &Problem{ID: g.ID, Category: g.Suite, Title: g.EntryPoint, Language: "python",
		Function: g.EntryPoint, Suite: g.Suite, BaselineCode: g.Prompt, Gen: g}
}

// Task is the problem's task kind: TaskName when set, else generate for a
// generate problem and optimize otherwise.
func (p *Problem) Task() Task {
	if p.TaskName != "" {
		return p.TaskName
	}
	if p.Gen != nil {
		return TaskGenerate
	}
	return DefaultTask
}
