package strategy

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/pyeval"
)

// GenEvaluator judges a Python candidate on a generate problem's tests;
// *pyeval.Evaluator is one. One call is one run of the code on one set of
// tests; judging a candidate may take two (see GenCandidates).
type GenEvaluator interface {
	Evaluate(ctx context.Context, p *datasets.GenProblem, code string) (pyeval.Verdict, error)
}

// GenCandidates is a GenEvaluator that is told which of its runs judge
// one candidate. A candidate with code is one evaluation, as the cost
// models (Config.Cost), Usage.Evaluations and the run's progress count
// them, whatever runs judging it takes: on a generate problem, a run on
// the strategy's generated tests when it wrote some, then one on the
// hidden tests. Before the first run the Env calls Candidate, and makes
// the runs with the context it returns; after the last it calls end
// with the error that stopped them (nil when none did).
type GenCandidates interface {
	GenEvaluator
	Candidate(ctx context.Context) (_ context.Context, end func(error))
}

// GenPassed is the status of a generate candidate that passed every
// hidden test (pyeval.Passed); GenUnjudged is the status a strategy sees
// on a candidate run against no generated tests: the hidden tests judge
// it in the records only.
const (
	GenPassed   = string(pyeval.Passed)
	GenUnjudged = "unjudged"
)

// GenOutcome is what a generate candidate got. Tests is what strategies
// may act on: the LLM-written tests of the problem (nil when none ran).
// Hidden is the benchmark's hidden tests, which decide pass@1: the Env
// fills it in the recorded candidate only, never in the one it returns to
// the strategy, so that hidden tests never feed back.
type GenOutcome struct {
	Tests  *pyeval.Verdict
	Hidden pyeval.Verdict
}

// TestsVerdict is the verdict of the tests a generate strategy wrote for
// the candidate (GenOutcome.Tests), what the strategy may act on; nil
// when none ran, there was no code, or the candidate is another task's.
func (c *Candidate) TestsVerdict() *pyeval.Verdict {
	if g := c.Gen(); g != nil {
		return g.Tests
	}
	return nil
}

// TestsPassed is how many generated tests the candidate passed; 0 when
// none ran or there was no code.
func (c *Candidate) TestsPassed() int {
	if t := c.TestsVerdict(); t != nil {
		return t.Passed
	}
	return 0
}

// PassesTests reports whether the candidate passed every generated test
// (and there was at least one).
func (c *Candidate) PassesTests() bool {
	t := c.TestsVerdict()
	return t != nil && t.Total > 0 && t.Status == pyeval.Passed
}

// GenTask is a generate problem as prompts show it.
type GenTask struct {
	Prompt     string // signature and docstring (HumanEval) or the task text (MBPP)
	EntryPoint string
}

// GenTask is the env's generate problem as prompts show it.
func (e *Env) GenTask() GenTask {
	return GenTask{Prompt: e.Problem.Gen.Prompt, EntryPoint: e.Problem.Gen.EntryPoint}
}

// Generate reports whether the env's problem is of the generate task.
func (e *Env) Generate() bool { return string(e.Problem.Task()) == TaskGenerate }

// EvaluateTests takes the Python code out of call's reply, runs it on
// tests (the LLM-written assertions a strategy generated; none for
// strategies without them) and on the hidden tests, records the
// candidate with both verdicts, and returns it without the hidden one.
func (e *Env) EvaluateTests(ctx context.Context, call Call, round int, tests []string) (*Candidate, error) {
	code, ok, err := e.extract(call.Reply.Text)
	if err != nil {
		return nil, err
	}
	return e.evaluate(ctx, call.Agent, call.ID, code, ok, round, Scoring{Tests: tests})
}

// generateTask is the paper's code generation: Python out of the reply,
// judged by the run's GenEvaluator on the hidden tests (for the records only)
// and on the strategy's own generated tests (which it is shown).
type generateTask struct{}

func (generateTask) Name() string { return TaskGenerate }

func (generateTask) Extract(e *Env, reply string) (string, bool) {
	extract := ExtractPython
	if e.GenExtract != nil {
		extract = e.GenExtract
	}
	code, ok := extract(reply, e.Problem.Gen.EntryPoint)
	if ok {
		code = WithPromptImports(e.Problem.Gen.Prompt, code)
	}
	return code, ok
}

// OpenEvaluator implements EvaluatorOpener: the Python evaluator, whose
// candidates' processes are bounded by the run's evaluation timeout and
// memory_gib as C++ ones are (pyeval's own limits where cfg leaves them
// zero).
func (generateTask) OpenEvaluator(cfg evaluate.Config) (OpenedEvaluator, error) {
	return pyeval.New(pyeval.Config{Timeout: time.Duration(cfg.Timeout), MemoryGiB: cfg.MemoryGiB})
}

// Categories implements datasets.TaskCategories: generate problems have
// no categories to narrow a dataset to.
func (generateTask) Categories() []string { return nil }

// IsCategory implements datasets.TaskCategories: none is.
func (generateTask) IsCategory(string) bool { return false }

// Describe implements datasets.TaskDescriber.
func (generateTask) Describe() string { return "Python code generation" }

// Answer implements AnswerReader: the answer passed when its recorded
// copy passed every hidden test (the strategy's own copy holds none of
// them); the running share is pass@1.
func (generateTask) Answer(final *Candidate, recorded []Candidate) Answer {
	a := Answer{Verdict: "not passed", Share: "pass@1"}
	for _, c := range recorded {
		if g := c.Gen(); final != nil && c.ID == final.ID && g != nil {
			a.Correct = g.Hidden.Status == pyeval.Passed
		}
	}
	if a.Correct {
		a.Verdict = "passed"
	}
	return a
}

func (generateTask) Score(ctx context.Context, e *Env, cand Candidate, how Scoring) (Candidate, Candidate, error) {
	ev, err := EvaluatorOf[GenEvaluator](e, TaskGenerate)
	if err != nil {
		return cand, cand, err
	}
	g := &GenOutcome{}
	cand.Outcome = g
	if cand.Status != NoCode {
		if cand, err = judge(ctx, ev, e.Problem.Gen, cand, g, how.Tests); err != nil {
			return cand, cand, err
		}
	}
	// What the strategy sees: the generated tests' verdict, never the
	// hidden one.
	seen := cand
	seen.Outcome = &GenOutcome{Tests: g.Tests}
	switch {
	case cand.Status == NoCode:
	case g.Tests != nil:
		seen.Status = string(g.Tests.Status)
	default:
		seen.Status = GenUnjudged
	}
	return cand, seen, nil
}

// judge runs a candidate with code on tests (none: skipped) and on the
// hidden tests: one evaluation (see GenCandidates), whose verdicts it
// puts in out.
func judge(ctx context.Context, ev GenEvaluator, g *datasets.GenProblem, cand Candidate, out *GenOutcome, tests []string) (_ Candidate, err error) {
	if s, ok := ev.(GenCandidates); ok {
		var end func(error)
		ctx, end = s.Candidate(ctx)
		defer func() { end(err) }()
	}
	if len(tests) > 0 {
		v, err := ev.Evaluate(ctx, GeneratedTests(g, tests), cand.Code)
		if err != nil {
			return cand, fmt.Errorf("generated tests: %w", err)
		}
		out.Tests = &v
	}
	hidden, err := ev.Evaluate(ctx, g, cand.Code)
	if err != nil {
		return cand, err
	}
	out.Hidden, cand.Status = hidden, string(hidden.Status)
	return cand, nil
}

// GeneratedTests is g with its hidden tests replaced by tests, LLM-written
// assertions that call the entry point by name: a check() whose every
// statement is one test, with typing's names in scope (as the authors'
// executor provides them).
func GeneratedTests(g *datasets.GenProblem, tests []string) *datasets.GenProblem {
	var b strings.Builder
	b.WriteString("from typing import *\n\n\ndef check(candidate):\n")
	for _, t := range tests {
		b.WriteString("    " + strings.TrimSpace(t) + "\n")
	}
	return &datasets.GenProblem{ID: g.ID + "#generated", Suite: g.Suite, Prompt: g.Prompt, EntryPoint: g.EntryPoint,
		Tests: datasets.GenTests{Check: b.String()}}
}

// pythonTags are the fence tags taken as Python; an untagged fence counts.
var pythonTags = map[string]bool{"": true, "python": true, "py": true, "python3": true}

// ExtractPython takes the Python candidate out of a reply: the fenced
// block tagged python (or untagged) that defines entry ("def entry("),
// else the longest such block. A reply without one has no code.
func ExtractPython(reply, entry string) (string, bool) {
	best, bestDefines := -1, false
	blocks := llm.Blocks(reply)
	for i, b := range blocks {
		if !pythonTags[b.Tag] || strings.TrimSpace(b.Code) == "" {
			continue
		}
		defines := entry != "" && strings.Contains(b.Code, "def "+entry+"(")
		if best < 0 || (defines && !bestDefines) || (defines == bestDefines && len(b.Code) > len(blocks[best].Code)) {
			best, bestDefines = i, defines
		}
	}
	if best < 0 {
		return "", false
	}
	return blocks[best].Code, true
}

// WithPromptImports puts the prompt's top-level import lines before code
// when code lacks them: models restate the signature but often drop
// HumanEval's "from typing import List", which the annotations need.
// EvalPlus's sanitizer does the same.
func WithPromptImports(prompt, code string) string {
	var missing []string
	for _, line := range strings.Split(prompt, "\n") {
		if (strings.HasPrefix(line, "import ") || strings.HasPrefix(line, "from ")) && !strings.Contains(code, line) {
			missing = append(missing, line)
		}
	}
	if len(missing) == 0 {
		return code
	}
	return strings.Join(missing, "\n") + "\n" + code
}

// ParseTests takes LLM-written tests out of a reply as the authors'
// generator does: every line holding "assert", trimmed, kept when it is a
// plausible single Python statement (an assert with balanced brackets and
// closed strings; Go cannot run Python's parser, and a test that still
// does not parse fails alone, not the others).
func ParseTests(reply string) []string {
	var out []string
	for _, line := range strings.Split(reply, "\n") {
		t := strings.TrimSpace(line)
		if !strings.Contains(t, "assert") || !strings.HasPrefix(t, "assert") || !balanced(t) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// ParseTestsPaper is the authors' parse_tests: every line holding
// "assert" anywhere, trimmed, kept when it parses (here: brackets balance
// and strings close). A comment such as "x = 1  # assert" is kept, as
// theirs is, and passes as a test.
func ParseTestsPaper(reply string) []string {
	var out []string
	for _, line := range strings.Split(reply, "\n") {
		t := strings.TrimSpace(line)
		if strings.Contains(t, "assert") && balanced(t) {
			out = append(out, t)
		}
	}
	return out
}

// balanced reports whether brackets balance and strings close in a line.
func balanced(s string) bool {
	var stack []byte
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			switch c {
			case '\\':
				i++
			case quote:
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '#':
			return len(stack) == 0
		case '(', '[', '{':
			stack = append(stack, c)
		case ')', ']', '}':
			want := map[byte]byte{')': '(', ']': '[', '}': '{'}[c]
			if len(stack) == 0 || stack[len(stack)-1] != want {
				return false
			}
			stack = stack[:len(stack)-1]
		}
	}
	return quote == 0 && len(stack) == 0
}

// GenFeedback is the authors' execution feedback on generated tests:
// the tests passed, then the tests failed. Tests after a time-out did not
// run; they count as failed.
func GenFeedback(v *pyeval.Verdict, tests []string) string {
	if v == nil {
		return ""
	}
	failed := map[int]bool{}
	for _, i := range v.Failed {
		failed[i] = true
	}
	var pass, fail strings.Builder
	for i, t := range tests {
		if i < v.Total && !failed[i] && (v.Status == pyeval.Passed || v.Status == pyeval.Failed) {
			pass.WriteString("\n" + t)
		} else {
			fail.WriteString("\n" + t)
		}
	}
	return "Tests passed:" + pass.String() + "\n\nTests failed:" + fail.String()
}

// WriteTests asks agent a for unit tests of the env's generate problem
// (template gen-tests of p) and keeps at most n of the assertions it
// writes, drawn at random with rng when there are more, as the authors'
// test generator does: 1024 tokens at most, temperature 0.2, top_p 1.
// A failed call leaves no tests and returns its error.
func WriteTests(ctx context.Context, env *Env, p *Prompts, a *Agent, n int, rng *rand.Rand) ([]string, error) {
	req := p.MustRender("gen-tests", env.GenTask())
	req.Temperature, req.TopP, req.MaxTokens = 0.2, 1, 1024
	call, err := env.Ask(ctx, a, 0, "tests", req)
	if err != nil {
		return nil, err
	}
	tests := ParseTests(call.Reply.Text)
	if p.Protocol == ProtocolPaper {
		tests = ParseTestsPaper(call.Reply.Text)
	}
	if len(tests) > n {
		rng.Shuffle(len(tests), func(i, j int) { tests[i], tests[j] = tests[j], tests[i] })
		tests = tests[:n]
	}
	return tests, nil
}
