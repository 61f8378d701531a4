package sim

import (
	"fmt"
	"hash"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
)

// The sim on the generate task (Python code generation). A request is a
// generate request when a cue named llm.CueGenerate marks it (taskCue; the
// sim's writer for it, answerGen, is registered in taskWriters). The sim
// recognises the problem from the llm.CueGenPrompt cue (the prompt, up to
// white space) or, failing that, from the entry point a marked candidate
// defines, among the generate problems it was given (the run's, else the
// built-in Python suite). Its rules, the same for every strategy and not
// tuned for any:
//
//   - Skill. An agent's chance of writing a correct function is g, its
//     profile's skill in the category of the task the request's cue
//     names, "generate" (DefaultSkill when the
//     profile lists none: the mean of the
//     three tiers, about 0.47, for sim/coder-a..c; 0.55 for sim/large).
//     Every lesson, feedback, plan or earlier candidate the prompt marks
//     closes a fifth of the rest: g' = 1 − (1 − g)·0.8^m for m such cues.
//   - Code (ask/generate, ask/aggregate, ask/revise). With chance g' the
//     problem's first passing known solution, else one of its known
//     failing ones (the built-in suite has two per problem: off-by-one,
//     missed edge case, wrong type), drawn uniformly; a problem with no
//     failing solution (HumanEval's have only the canonical one) gets the
//     sim's stub, the prompt with "return None" as its body.
//   - Tests (ask/tests). One assertion per example of the docstring
//     (">>> call" then its value), "assert call == value", and every
//     assertion the prompt shows (MBPP's); each is written wrong ("!=",
//     or "assert not (...)") with chance (1 − g)/2, so weak agents' tests
//     can fail correct code. No example: "assert callable(entry)".
//   - Lessons and reflections name what the candidate gets wrong: the
//     note of the known solution it is (up to white space), or a generic
//     sentence for code the sim does not know.
//   - Plans (ask/plan:N): N numbered plans that restate the docstring.
//
// Only the choice of code is simulated: the sandbox runs what the sim
// writes against the generated and the hidden tests.

// genProblem is a generate problem as the sim knows it.
type genProblem struct {
	g       *datasets.GenProblem
	prompt  string // normalised
	correct string
	wrong   []datasets.GenSolution
}

func newGenProblem(g *datasets.GenProblem) *genProblem {
	gp := &genProblem{g: g, prompt: normalizeCode(g.Prompt)}
	for _, s := range g.Solutions {
		switch {
		case s.Pass && gp.correct == "":
			gp.correct = s.Code
		case !s.Pass:
			gp.wrong = append(gp.wrong, s)
		}
	}
	if len(gp.wrong) == 0 {
		stub := strings.TrimRight(g.Prompt, "\n") + "\n    return None\n"
		if !strings.Contains(g.Prompt, "def "+g.EntryPoint+"(") {
			// MBPP's prompt is a task text, not a signature.
			stub = strings.TrimRight(g.Prompt, "\n") + "\n\n\ndef " + g.EntryPoint + "(*args):\n    return None\n"
		}
		gp.wrong = []datasets.GenSolution{{Name: "sim-stub", Note: "it returns None instead of computing the result (the simulator's stub)", Code: stub}}
	}
	return gp
}

var defRe = regexp.MustCompile(`def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(`)

// recogniseGen finds the problem of a generate request.
func (s *Sim) recogniseGen(req llm.Request) *genProblem {
	var defs []string
	for _, c := range req.Cues {
		text := c.Text(req.Messages)
		switch {
		case c.Name == llm.CueGenPrompt:
			n := normalizeCode(text)
			for _, p := range s.gen {
				if p.prompt == n {
					return p
				}
			}
			fallthrough
		case c.Name == llm.CueCandidate:
			for _, m := range defRe.FindAllStringSubmatch(text, -1) {
				defs = append(defs, m[1])
			}
		}
	}
	for _, d := range defs {
		for _, p := range s.gen {
			if p.g.EntryPoint == d {
				return p
			}
		}
	}
	return nil
}

// genSkill is an agent's chance of a correct function given its skill g
// in the task and what the prompt shows.
func genSkill(g float64, req llm.Request) float64 {
	m := 0
	for _, c := range req.Cues {
		if c.Name == llm.CueLesson || c.Name == llm.CueFeedback || c.Name == llm.CuePlan || c.Name == llm.CueCandidate {
			m++
		}
	}
	return 1 - (1-g)*math.Pow(0.8, float64(m))
}

// genRNG is the random source of one generate answer: the wire seed, the
// sim's seed, the model and every cue's name and text.
func (s *Sim) genRNG(req llm.Request) *rand.Rand {
	return s.rngOf(req, func(h hash.Hash) {
		for _, c := range req.Cues {
			h.Write([]byte(c.Name + "\x00" + c.Text(req.Messages) + "\x00"))
		}
	})
}

// askOf is the request's ask cue without its count, and the count.
func askOf(req llm.Request) (string, int) {
	for _, c := range req.Cues {
		if strings.HasPrefix(c.Name, "ask/") {
			name, n, ok := strings.Cut(c.Name[len("ask/"):], ":")
			count := 1
			if ok {
				fmt.Sscanf(n, "%d", &count)
			}
			return "ask/" + name, count
		}
	}
	return "", 0
}

// answerGen writes the reply to a request of task (generate), with the
// agent's skill in that task.
func (s *Sim) answerGen(prof Profile, task string, req llm.Request) string {
	g := prof.SkillIn(task)
	p := s.recogniseGen(req)
	rng := s.genRNG(req)
	ask, count := askOf(req)
	if p == nil {
		return "The simulator does not know this function, so it cannot write it. (sim: unknown generate problem)"
	}
	entry := p.g.EntryPoint
	switch ask {
	case llm.AskTests:
		return s.writeGenTests(g, p, rng)
	case llm.AskLesson, llm.AskReflect:
		return genLesson(p, lastCandidate(req))
	case llm.AskPlan:
		var b strings.Builder
		for i := 1; i <= count; i++ {
			fmt.Fprintf(&b, "Plan %d: read the docstring of `%s` again, handle its edge cases first (empty input, single element, boundaries), then compute the result as described and return it.\n", i, entry)
		}
		return b.String()
	case llm.AskConfidence:
		return fmt.Sprintf("Confidence: %d", int(math.Round(100*g)))
	}
	code := p.wrong[rng.IntN(len(p.wrong))].Code
	if rng.Float64() < genSkill(g, req) && p.correct != "" {
		code = p.correct
	}
	return fmt.Sprintf("Here is an implementation of `%s`.\n\n```python\n%s\n```\n", entry, strings.TrimRight(code, "\n"))
}

// lastCandidate is the text of the request's last candidate cue.
func lastCandidate(req llm.Request) string {
	last := ""
	for _, c := range req.Cues {
		if c.Name == llm.CueCandidate {
			last = c.Text(req.Messages)
		}
	}
	return last
}

// genLesson explains what code gets wrong, by the known solution it is.
func genLesson(p *genProblem, code string) string {
	n := normalizeCode(code)
	for _, w := range p.wrong {
		if normalizeCode(w.Code) == n || strings.Contains(n, normalizeCode(solutionBody(w.Code))) {
			return fmt.Sprintf("The code of `%s` fails some tests because %s.", p.g.EntryPoint, strings.TrimSuffix(w.Note, "."))
		}
	}
	return fmt.Sprintf("The code of `%s` does not follow its docstring on every input; check the edge cases the docstring names.", p.g.EntryPoint)
}

// solutionBody is the code after the docstring's end (the body a known
// solution adds to the prompt).
func solutionBody(code string) string {
	if i := strings.LastIndex(code, `"""`); i >= 0 {
		return code[i+3:]
	}
	return code
}

var exampleRe = regexp.MustCompile(`^\s*>>>\s*(.+)$`)

// writeGenTests turns the docstring's examples into assertions, each
// written wrong with chance (1 − g)/2 for an agent of skill g.
func (s *Sim) writeGenTests(g float64, p *genProblem, rng *rand.Rand) string {
	lines := strings.Split(p.g.Prompt, "\n")
	var tests []string
	for i := 0; i < len(lines); i++ {
		if t := strings.TrimSpace(lines[i]); strings.HasPrefix(t, "assert ") {
			// MBPP's task text shows its example as an assertion.
			if rng.Float64() < (1-g)/2 {
				t = "assert not (" + strings.TrimPrefix(t, "assert ") + ")"
			}
			tests = append(tests, t)
			continue
		}
		if i+1 >= len(lines) {
			break
		}
		m := exampleRe.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		want := strings.TrimSpace(lines[i+1])
		if want == "" || strings.HasPrefix(want, ">>>") || strings.HasPrefix(want, `"""`) {
			continue
		}
		op := "=="
		if rng.Float64() < (1-g)/2 {
			op = "!="
		}
		tests = append(tests, fmt.Sprintf("assert %s %s %s", strings.TrimSpace(m[1]), op, want))
	}
	if len(tests) == 0 {
		tests = []string{fmt.Sprintf("assert callable(%s)", p.g.EntryPoint)}
	}
	return "Here are unit tests for the function:\n" + strings.Join(tests, "\n") + "\n"
}
