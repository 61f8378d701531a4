package baselines

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// The code-gen baselines under protocol paper, as the authors' code-gen
// half runs them (MITIBM-FastCoder/LessonL at 232336a, code-gen/):
//
//   - single and cot are both run_simple (main.py routes "cot" to it; cot.py
//     is never called): the simple instruction as the system message, the
//     problem as the user message, temperature 0.8, 1024 tokens, top_p 1.
//   - reflexion (reflexion.py): tests, then a simple implementation; while
//     it fails its tests and fewer than max_iters implementations were
//     written, a self-reflection (its few-shot prompt, temperature 0.2,
//     1024 tokens; the reply is never used) and a new simple
//     implementation whose user message is the problem, then "[unit test
//     results from previous impl]:" and the feedback. The last one is the
//     answer: at most 2 × max_iters calls.
//   - moa (moa.py): two proposer layers of the three proposers in turn at
//     temperature 0.2, top_p 0.95, each sent the LessonL code-gen prompt;
//     the second layer also gets the first's codes under the aggregator
//     prompt as a system message, cut to 6,000 characters when prompt and
//     system message pass 3,500 tokens; then the aggregator (GPT-4o) gets
//     the same system message, never cut, and no sampling parameters.

// Code-gen sampling of the authors' generators/model.py.
const (
	paperGenCodeTemp    = 0.8 // func_impl's default temperature
	paperGenReflectTemp = 0.2 // generate_chat's default temperature
	paperGenMaxTokens   = 1024
)

// paperGenRequest renders a code-gen prompt with the authors' generator
// sampling: temp, 1024 tokens, top_p 1 (frequency and presence penalty
// 0, which go on their wire and are the servers' defaults here).
func (c Config) paperGenRequest(name string, d genData, temp float64) llm.Request {
	r := c.prompts.MustRender(name, d)
	r.Temperature, r.MaxTokens, r.TopP = temp, paperGenMaxTokens, 1
	return r
}

// PaperGenFeedback is the authors' PyExecutor.execute feedback: "Tested
// passed:" and the passing tests, then "Tests failed:" and the failing
// ones. Theirs follows each failed test with " # output: " and the
// value the call returned; the sandbox does not report that value, so
// the suffix is left out (docs/protocol.md).
func PaperGenFeedback(v *pyeval.Verdict, tests []string) string {
	return strings.Replace(strategy.GenFeedback(v, tests), "Tests passed:", "Tested passed:", 1)
}

type paperGenSamples struct{ Config }

func (s paperGenSamples) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	env.GenExtract = strategy.PaperPythonParse
	return sampleAnswers(ctx, env, s.Samples, s.paperGenRequest("gen-simple", genData{Task: env.GenTask()}, paperGenCodeTemp))
}

type paperGenReflexion struct{ Config }

func (r paperGenReflexion) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	env.GenExtract = strategy.PaperPythonParse
	a := env.Agents[0]
	var res strategy.Result
	tests, err := r.ownTests(ctx, env, a)
	if err != nil {
		return res, err
	}
	task := env.GenTask()
	write := func(round int, req llm.Request) (*strategy.Candidate, string, error) {
		call, err := env.Ask(ctx, a, round, "generate", req)
		if err != nil {
			return nil, "", err
		}
		c, err := env.EvaluateTests(ctx, call, round, tests)
		shown, _ := strategy.ParseCodeBlock(call.Reply.Text)
		return c, shown, err
	}
	cur, impl, err := write(0, r.paperGenRequest("gen-simple", genData{Task: task}, paperGenCodeTemp))
	if err != nil {
		return res, strategy.StopErr(ctx, err)
	}
	res.Final = cur
	// The authors' executor passes an empty test list.
	for iter := 1; iter < r.Rounds && len(tests) > 0 && !cur.PassesTests(); iter++ {
		d := genData{Task: task, Code: impl, Feedback: PaperGenFeedback(cur.TestsVerdict(), tests), Verdict: verdictOf(cur)}
		if _, err := env.Ask(ctx, a, iter, "reflect", r.paperGenRequest("gen-reflexion-reflect", d, paperGenReflectTemp)); err != nil {
			return res, strategy.StopErr(ctx, err)
		}
		next, shown, err := write(iter, r.paperGenRequest("gen-reflexion-simple", d, paperGenCodeTemp))
		if err != nil {
			return res, strategy.StopErr(ctx, err)
		}
		cur, impl, res.Final = next, shown, next
	}
	return res, nil
}

type paperGenMoA struct{ Config }

// paperMoACut is moa.py's cut of a long system message: when prompt and
// system message hold more than 3,500 tokens of the CodeLlama tokenizer,
// the system message keeps its first 6,000 characters. Without that
// tokenizer, tokens are estimated as one per three characters.
func paperMoACut(r llm.Request) llm.Request {
	if len(r.Messages) < 2 {
		return r
	}
	sys := r.Messages[0].Content
	if utf8.RuneCountInString(r.Messages[1].Content+sys) <= 3*3500 || utf8.RuneCountInString(sys) <= 6000 {
		return r
	}
	cut := 0
	for i := range sys {
		if cut == 6000 {
			sys = sys[:i]
			break
		}
		cut++
	}
	r.Messages[0].Content = sys
	var cues []llm.Cue
	for _, c := range r.Cues {
		if c.Message != 0 || c.End <= len(sys) {
			cues = append(cues, c)
		}
	}
	r.Cues = cues
	return r
}

func (m paperGenMoA) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	env.GenExtract = strategy.PaperPythonClean
	proposers, agg, err := m.roles(env)
	if err != nil {
		return strategy.Result{}, err
	}
	task := env.GenTask()
	// moa.py's layers = 3 counts the aggregation: two proposer layers.
	layers := max(m.Layers-1, 1)
	var prev []string
	for layer := 0; layer < layers; layer++ {
		req := m.prompts.MustRender("gen-moa-propose", genData{Task: task, Proposals: prev})
		req.Temperature, req.TopP = 0.2, paperTopP
		req = paperMoACut(req)
		var got []string
		for _, a := range proposers {
			call, err := env.Ask(ctx, a, layer, "propose", req)
			if err != nil {
				if fatal(ctx, err) {
					return strategy.Result{}, strategy.StopErr(ctx, err)
				}
				// The authors' loop has no failed call; an empty
				// answer stands in for it.
				got = append(got, "")
				continue
			}
			got = append(got, strategy.CleanOutput(call.Reply.Text, "python"))
		}
		prev = got
	}
	req := m.prompts.MustRender("gen-moa-final", genData{Task: task, Proposals: prev})
	req.NoTemperature = true
	call, err := env.Ask(ctx, agg, layers, "aggregate", req)
	if err != nil {
		return strategy.Result{}, strategy.StopErr(ctx, err)
	}
	c, err := env.EvaluateTests(ctx, call, layers, nil)
	return strategy.Result{Final: c}, err
}
