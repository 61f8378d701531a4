package lessons

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/lessonlab/lessonl/internal/strategy"
)

// LessonL on the generate task, as the authors' code-gen runs it
// (code-gen/multi_agent_lessons_opensource.py at 232336a):
//
//  1. The first agent writes unit tests for the problem (one call); at
//     most Tests of the parsed assertions are kept, drawn at random.
//  2. Each round, the agents in turn (not at once: the first code that
//     passes every generated test ends the problem, and the agents after
//     it are not asked) write the function; it runs against the
//     generated tests in the sandbox. An agent whose code fails some is
//     asked for a lesson: why the code fails (one lesson type; the
//     prompt shows that code only).
//  3. A lesson is banked with the number of generated tests its code
//     passed, factor 1, and its relevance to the problem's prompt.
//  4. From round 1, while rounds × agents ≤ k every lesson is shown;
//     after, the ⌈k/2⌉ with the most tests passed × factor (no
//     threshold) and the rest by relevance.
//  5. After a round, each shown lesson's factor becomes the mean over the
//     round's codes of 1+ε when the code passed more tests than the
//     lesson's own code, else 1−ε.
//  6. Unsolved after the last round, the answer is the code that passed
//     the most generated tests (the first of equals).
//
// The hidden tests judge every candidate for the records and the answer
// for pass@1, and never feed back (strategy.Env.EvaluateTests).

// genLesson is a banked code-gen lesson.
type genLesson struct {
	id      string
	text    string
	passed  int
	factor  float64
	quality float64
	cand    *strategy.Candidate
	agent   string
	round   int
}

// GenLessonView is a lesson as a gen-code prompt shows it.
type GenLessonView struct {
	N       int
	Text    string
	Passed  int // generated tests its code passed
	Total   int
	Verdict string // "failed P/T", as the lesson-outcome cue names it
}

// genCost is the most LLM calls and evaluations of one generate problem:
// the test-writing call, then a code and a lesson call per agent per
// round (3 agents, 4 rounds: 25 calls for a problem never solved; a
// problem the first agent solves in round 0 takes 2). Each code is
// evaluated once (generated and hidden tests in one evaluation each).
func (c Config) genCost(agents int) (calls, evaluations int) {
	return 1 + 2*agents*c.Rounds, agents * c.Rounds
}

func genVerdict(passed, total int) string {
	if total > 0 && passed == total {
		return "passed"
	}
	return fmt.Sprintf("failed %d/%d", passed, total)
}

// solveGen is Solve on a generate problem.
func (s *Strategy) solveGen(ctx context.Context, env *strategy.Env, rng *rand.Rand) (strategy.Result, error) {
	var res strategy.Result
	task := env.GenTask()
	paper := s.Common.Protocol == strategy.ProtocolPaper
	if paper {
		// The authors' agents take the first closed ```python block.
		env.GenExtract = strategy.PaperPythonClean
	}
	tests, err := strategy.WriteTests(ctx, env, s.prompts, env.Agents[0], s.Tests, rng)
	if err != nil && (strategy.Stopped(ctx, err) || strategy.IsEvalError(err)) {
		return res, strategy.StopErr(ctx, err)
	}
	var bank []*genLesson
	var all []*strategy.Candidate
	n := len(env.Agents)
	for round := 0; round < s.Rounds; round++ {
		shown := s.selectGen(env, bank, round, n)
		views := make([]GenLessonView, len(shown))
		for i, l := range shown {
			views[i] = GenLessonView{N: i + 1, Text: l.text, Passed: l.passed, Total: len(tests), Verdict: genVerdict(l.passed, len(tests))}
		}
		prompt := s.prompts.MustRender("gen-code", struct {
			Task    strategy.GenTask
			Lessons []GenLessonView
		}{task, views})
		prompt.Temperature, prompt.TopP = s.CodeTemperature, s.topP()
		var passed []int
		var fresh []*genLesson
		for _, a := range env.Agents {
			call, err := env.Ask(ctx, a, round, "generate", prompt)
			if err != nil {
				if strategy.Stopped(ctx, err) {
					res.Final = mostPassed(bank, all)
					return res, strategy.StopErr(ctx, err)
				}
				continue
			}
			cand, err := env.EvaluateTests(ctx, call, round, tests)
			if err != nil {
				return res, err
			}
			all = append(all, cand)
			if cand.PassesTests() || (len(tests) == 0 && cand.Code != "") {
				// The first code that passes every generated test ends
				// the problem.
				res.Final = cand
				return res, nil
			}
			p := cand.TestsPassed()
			passed = append(passed, p)
			total := len(tests)
			shown := cand.Code
			if paper {
				// The code as extracted, without the prompt's imports
				// that the evaluation adds.
				shown = strategy.CleanOutput(call.Reply.Text, "python")
			}
			lreq := s.prompts.MustRender("gen-lesson", struct {
				Code                  string
				Passed, Total, Failed int
				Verdict               string
			}{shown, p, total, total - p, genVerdict(p, total)})
			lreq.Temperature, lreq.MaxTokens, lreq.FrequencyPenalty = s.LessonTemperature, s.LessonMaxTokens, s.LessonPenalty
			lreq.TopP = s.topP()
			lreq.MaxCompletionTokens = paper
			lcall, err := env.Ask(ctx, a, round, "lesson", lreq)
			if err != nil {
				if strategy.Stopped(ctx, err) {
					res.Final = mostPassed(bank, all)
					return res, strategy.StopErr(ctx, err)
				}
				continue
			}
			l := &genLesson{id: fmt.Sprintf("r%d-%s", round, a.Name), text: ParseLesson(lcall.Reply.Text),
				passed: p, factor: 1, cand: cand, agent: a.Name, round: round}
			fresh = append(fresh, l)
			if env.Recorder != nil {
				env.Recorder.Lesson(strategy.LessonEvent{ID: l.id, Round: round, Agent: a.Name, CandidateID: cand.ID,
					Outcome: "fails_tests", Speedup: float64(p), Text: l.text, CallID: lcall.ID})
			}
		}
		// Relevance of the new lessons to the problem's prompt, scored
		// when banked as the authors do.
		if len(fresh) > 0 {
			texts := make([]string, len(fresh))
			for i, l := range fresh {
				texts[i] = l.text
			}
			q, err := s.Relevance.Scores(ctx, task.Prompt, texts)
			if err != nil {
				return res, fmt.Errorf("round %d: relevance: %w", round, err)
			}
			for i, l := range fresh {
				l.quality = q[i]
			}
		}
		bank = append(bank, fresh...)
		if s.Adjustment && len(passed) > 0 {
			for _, l := range shown {
				sum := 0.0
				for _, p := range passed {
					if p > l.passed {
						sum += 1 + s.Epsilon
					} else {
						sum += 1 - s.Epsilon
					}
				}
				l.factor = sum / float64(len(passed))
			}
		}
	}
	res.Final = mostPassed(bank, all)
	return res, ctx.Err()
}

// selectGen picks a round's lessons: every one while round × agents ≤ k,
// else the ⌈k/2⌉ with the most tests passed × factor and the rest by
// relevance. Each pick is recorded.
func (s *Strategy) selectGen(env *strategy.Env, bank []*genLesson, round, agents int) []*genLesson {
	if round == 0 || len(bank) == 0 {
		return nil
	}
	var shown []*genLesson
	reason := map[*genLesson]string{}
	if round*agents <= s.K {
		shown = append(shown, bank...)
		for _, l := range bank {
			reason[l] = "all"
		}
	} else {
		byPassed := append([]*genLesson(nil), bank...)
		sort.SliceStable(byPassed, func(i, j int) bool {
			return float64(byPassed[i].passed)*byPassed[i].factor > float64(byPassed[j].passed)*byPassed[j].factor
		})
		top := min((s.K+1)/2, len(byPassed))
		shown = append(shown, byPassed[:top]...)
		for _, l := range byPassed[:top] {
			reason[l] = "tests_passed"
		}
		rest := append([]*genLesson(nil), byPassed[top:]...)
		sort.SliceStable(rest, func(i, j int) bool { return rest[i].quality > rest[j].quality })
		rest = rest[:min(s.K-top, len(rest))]
		shown = append(shown, rest...)
		for _, l := range rest {
			reason[l] = "relevance"
		}
	}
	if env.Recorder != nil {
		for _, l := range shown {
			score := l.quality
			if reason[l] == "tests_passed" {
				score = float64(l.passed) * l.factor
			}
			env.Recorder.Selection(strategy.SelectionEvent{Round: round, LessonID: l.id, Reason: reason[l],
				Score: score, Adjusted: float64(l.passed) * l.factor, Factor: l.factor})
		}
	}
	return shown
}

// mostPassed is the answer of an unsolved problem: the banked code that
// passed the most generated tests, the first of equals (the authors sort
// their bank, in order, by tests passed); without lessons, the candidate
// that passed the most.
func mostPassed(bank []*genLesson, all []*strategy.Candidate) *strategy.Candidate {
	var best *genLesson
	for _, l := range bank {
		if best == nil || l.passed > best.passed {
			best = l
		}
	}
	if best != nil {
		return best.cand
	}
	var c *strategy.Candidate
	for _, x := range all {
		if c == nil || x.TestsPassed() > c.TestsPassed() {
			c = x
		}
	}
	return c
}
