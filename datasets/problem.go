package datasets

import (
	"fmt"
	"sort"

	"github.com/lessonlab/lessonl/internal/cxx"
)

// Categories are the twelve optimization categories of the ParEval
// code-optimization benchmark the LessonL paper measures on. Every problem
// belongs to exactly one, so results can be broken down per category.
var Categories = []string{
	"dense_la", "fft", "geometry", "graph", "histogram", "reduce",
	"scan", "search", "sort", "sparse_la", "stencil", "transform",
}

// IsCategory reports whether c is one of Categories.
func IsCategory(c string) bool {
	i := sort.SearchStrings(Categories, c)
	return i < len(Categories) && Categories[i] == c
}

// Expected is the outcome a known solution should get from the evaluator.
type Expected string

// The outcomes a known solution can be tagged with.
const (
	ExpectFaster    Expected = "faster"     // correct and at least 1.1× faster
	ExpectNotFaster Expected = "not_faster" // correct, but no real speedup
	// ExpectCorrect is a correct solution whose speed the machine decides
	// (a memory-layout trick whose gain depends on caches and paging), so
	// that no speedup or its absence is asserted.
	ExpectCorrect       Expected = "correct"
	ExpectIncorrect     Expected = "incorrect"      // compiles, fails validation
	ExpectNotCompilable Expected = "not_compilable" // fails to compile
)

// Valid reports whether e is one of the known outcomes.
func (e Expected) Valid() bool {
	switch e {
	case ExpectFaster, ExpectNotFaster, ExpectCorrect, ExpectIncorrect, ExpectNotCompilable:
		return true
	}
	return false
}

// Solution is a known rewrite of a problem's baseline. The sim team answers
// with these, and `lessonl datasets check` verifies each gets its Expected
// outcome.
type Solution struct {
	// Name is the file name without ".cpp"; unique within the problem.
	Name string `json:"name"`
	// Technique names the optimization in the words an LLM would use
	// ("loop interchange", "hoisting invariant work").
	Technique string `json:"technique"`
	// Expected is the outcome the evaluator should give it.
	Expected Expected `json:"expected"`
	// Note says in a sentence what the rewrite does or gets wrong.
	Note string `json:"note,omitempty"`
	// Code is the C++ text of the rewrite.
	Code string `json:"code"`
}

// Sizes says how large the inputs are when validating and when timing.
type Sizes struct {
	// Validate lists the input sizes checked against the baseline, one
	// seeded input each; edge sizes (0, 1, odd) belong here.
	Validate []int `json:"validate"`
	// Timing is the input size used for timing; chosen so one baseline call
	// takes roughly 20–200 ms at -O3.
	Timing int `json:"timing"`
}

// Problem is one code-optimization task: the code to make faster, and how
// to check and time a rewrite of it.
type Problem struct {
	ID          string  `json:"id"`
	Category    string  `json:"category"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Language    string  `json:"language"`
	Function    string  `json:"function"`
	Sizes       Sizes   `json:"sizes"`
	Tolerance   float64 `json:"tolerance"`
	// Suite names where the problem comes from ("codeopt", a folder path).
	Suite string `json:"suite"`
	// BaselineCode is what the LLM sees and what candidates are timed against.
	BaselineCode string `json:"baseline_code"`
	// Driver is the C++ driver: input generation, calls, output comparison.
	Driver    string     `json:"driver"`
	Solutions []Solution `json:"solutions"`
	// Shared are the types the entry function shares with the driver; both
	// sides keep them at file scope, and a side that lacks one gets this
	// definition.
	Shared []cxx.Type `json:"shared,omitempty"`
	// Prelude is placed at the top of each side's compilation unit: the
	// context a source benchmark's own driver gives the code it includes
	// (for ParEval, the standard headers cpu.cc and utilities.hpp include,
	// on which the published code silently relies for names like size_t).
	Prelude string `json:"prelude,omitempty"`
	// Helpers are functions the source benchmark's own driver lets the
	// code it includes call: those the problem's prompt declares and its
	// driver defines at file scope (ParEval's 05_fft_inverse_fft declares
	// fft), and those the driver defines at file scope before it includes
	// the generated code (18_graph_count_components' dfs, utilities.hpp's
	// graph generators). The Prelude declares them, so that a candidate
	// calls the driver's unqualified, and one that declares one without
	// defining it calls the driver's too, as in the authors' pipeline.
	Helpers []Helper `json:"helpers,omitempty"`
	// Files are further files the driver includes, written beside it: a
	// ParEval benchmark's cpu.cc, baseline.hpp and utilities.hpp.
	Files map[string]string `json:"-"`
	// Defects are the source benchmark's known defects that apply to this
	// problem, and whether they were fixed.
	Defects []Defect `json:"defects,omitempty"`
	// Gen is set when the problem is a generate task (see AsProblem): the
	// Python problem itself; nil for optimize problems.
	Gen *GenProblem `json:"-"`
	// TaskName names the problem's task when it is another than optimize
	// and generate: a registered task (RegisterTask); "" leaves it to Gen
	// (see Task).
	TaskName Task `json:"task,omitempty"`
}

// Solution returns the known solution with the given name.
func (p *Problem) Solution(name string) (Solution, error) {
	for _, s := range p.Solutions {
		if s.Name == name {
			return s, nil
		}
	}
	return Solution{}, fmt.Errorf("problem %s has no solution %q", p.ID, name)
}
