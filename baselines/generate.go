package baselines

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// The baselines on the generate task (Python code generation), each the
// same kind as its optimize form, chosen by the problem's task
// (strategy.Env.Generate):
//
//   - single, cot: n samples of the function (the authors' simple and
//     CoT prompts); the answer is the first, so pass@1 is the first
//     sample's, and pass@k comes from all n.
//   - reflexion: the agent writes unit tests, then the function; while
//     the function fails some of those tests, it reflects on the failing
//     tests and writes it again, up to R times (the authors' code-gen
//     reflexion); the answer is the last function written.
//   - moa: proposers write the function in layers, each layer seeing the
//     previous one's answers, and the aggregator writes the answer.
//   - mapcoder: the agent writes unit tests and P plans; per plan, it
//     writes the function and debugs it against the failing tests, D
//     calls in all; the first function passing every test is the answer,
//     else the one passing the most.
//
// Candidates are judged on the hidden tests for the records only; the
// strategies see their own generated tests' results alone.

// byTask solves optimize problems with one strategy and generate
// problems with another. Under protocol paper an optimize problem's
// replies are read as the authors' baselines read them: the first closed
// ```c++ block, else an empty program (strategy.PaperExtract).
type byTask struct {
	optimize, generate strategy.Strategy
	paper              bool
}

func (b byTask) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	if env.Generate() {
		return b.generate.Solve(ctx, env)
	}
	if b.paper {
		env.Extract = strategy.PaperExtract(false)
		// The authors' driver runs every submission, identical or not.
		env.Fresh = true
	}
	return b.optimize.Solve(ctx, env)
}

// byProtocol is paper under protocol paper, else lessonl.
func byProtocol(c Config, lessonl, paper strategy.Strategy) strategy.Strategy {
	if c.paper() {
		return paper
	}
	return lessonl
}

// The generate cost models of the kinds that solve generate problems:
// the most LLM calls and evaluations of one generate problem.

// genSamplesCost: single and CoT sample and evaluate each sample once.
func genSamplesCost(c Config, _ int) (int, int) { return c.Samples, c.Samples }

// genReflexionCost: tests, then an implementation and a reflection per
// round, each implementation evaluated; under paper, max_iters
// implementations and a reflection before each but the first.
func genReflexionCost(c Config, _ int) (int, int) {
	if c.paper() {
		return 2 * c.Rounds, c.Rounds
	}
	return 2 + 2*c.Rounds, 1 + c.Rounds
}

// genMoACost: the proposers in every layer, then the aggregator; only
// the answer is evaluated.
func genMoACost(c Config, n int) (int, int) {
	if c.paper() {
		proposers := n
		if n > 1 && c.Aggregator == "" {
			proposers = n - 1
		}
		layers := max(c.Layers-1, 1)
		return proposers*layers + 1, 1
	}
	return moaCost(c, n)
}

// genMapCoderCost: tests and a plan, then a code call per plan and
// iteration, each evaluated.
func genMapCoderCost(c Config, _ int) (int, int) {
	return 2 + c.Plans*c.Iterations, c.Plans * c.Iterations
}

// genRNG is the cell's random source (which generated tests are kept).
func genRNG(env *strategy.Env) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(env.Problem.ID))
	return rand.New(rand.NewPCG(uint64(env.Seed), h.Sum64()))
}

// genTests is how many generated tests a baseline keeps (the authors' 6).
const genTests = 6

// genData is what generate prompts show.
type genData struct {
	Task      strategy.GenTask
	Code      string // the previous function (reflexion, mapcoder debug)
	Feedback  string // its results on the generated tests
	Verdict   string // those results as the outcome cue names them
	Reflect   string // reflexion's self-reflection
	Plan      string // mapcoder's plan
	Proposals []string
	Plans     int
}

// genRequest renders a generate prompt. Under protocol paper it sends
// top_p 1, as the authors' code-gen models (generators/model.py) do.
func (c Config) genRequest(name string, d genData, temp float64) llm.Request {
	r := c.request(name, d, temp)
	if c.paper() {
		r.TopP = 1
	}
	return r
}

func verdictOf(cand *strategy.Candidate) string {
	if cand == nil || cand.Code == "" {
		return "no_code"
	}
	t := cand.TestsVerdict()
	if t == nil {
		return "unknown"
	}
	if t.Total > 0 && t.Passed == t.Total {
		return "passed"
	}
	return fmt.Sprintf("failed %d/%d", t.Passed, t.Total)
}

type genSamples struct{ Config }

func (s genSamples) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	name := "gen-simple"
	if s.Kind == "cot" {
		name = "gen-cot"
	}
	return sampleAnswers(ctx, env, s.Samples, s.genRequest(name, genData{Task: env.GenTask()}, s.Temperature))
}

// sampleAnswers asks the agents in turn for n answers to req, each judged
// by the hidden tests; the first is the cell's answer. A call that fails
// short of stopping the cell leaves its sample out.
func sampleAnswers(ctx context.Context, env *strategy.Env, n int, req llm.Request) (strategy.Result, error) {
	var res strategy.Result
	for i := 0; i < n; i++ {
		call, err := env.Ask(ctx, env.Agents[i%len(env.Agents)], 0, "generate", req)
		if err != nil {
			if fatal(ctx, err) {
				return res, strategy.StopErr(ctx, err)
			}
			continue
		}
		c, err := env.EvaluateTests(ctx, call, 0, nil)
		if err != nil {
			return res, err
		}
		if res.Final == nil {
			res.Final = c
		}
	}
	return res, nil
}

// ownTests has agent a write genTests tests of the problem for the
// strategy's own use; a failed call leaves the strategy without them
// unless it stops the cell.
func (c Config) ownTests(ctx context.Context, env *strategy.Env, a *strategy.Agent) ([]string, error) {
	tests, err := strategy.WriteTests(ctx, env, c.prompts, a, genTests, genRNG(env))
	if fatal(ctx, err) {
		return nil, strategy.StopErr(ctx, err)
	}
	return tests, nil
}

type genReflexion struct{ Config }

func (r genReflexion) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	a := env.Agents[0]
	var res strategy.Result
	tests, err := r.ownTests(ctx, env, a)
	if err != nil {
		return res, err
	}
	task := env.GenTask()
	code := func(round int, req llm.Request) (*strategy.Candidate, error) {
		call, err := env.Ask(ctx, a, round, "generate", req)
		if err != nil {
			return nil, err
		}
		return env.EvaluateTests(ctx, call, round, tests)
	}
	cur, err := code(0, r.genRequest("gen-simple", genData{Task: task}, r.Temperature))
	if err != nil {
		return res, strategy.StopErr(ctx, err)
	}
	res.Final = cur
	for round := 1; round <= r.Rounds && !cur.PassesTests() && len(tests) > 0; round++ {
		d := genData{Task: task, Code: cur.Code, Feedback: strategy.GenFeedback(cur.TestsVerdict(), tests), Verdict: verdictOf(cur)}
		call, err := env.Ask(ctx, a, round, "reflect", r.genRequest("gen-reflexion-reflect", d, r.Temperature))
		if err != nil {
			return res, strategy.StopErr(ctx, err)
		}
		d.Reflect = call.Reply.Text
		next, err := code(round, r.genRequest("gen-reflexion-code", d, r.Temperature))
		if err != nil {
			return res, strategy.StopErr(ctx, err)
		}
		cur, res.Final = next, next
	}
	return res, nil
}

type genMoA struct{ Config }

func (m genMoA) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	proposers, agg, err := m.roles(env)
	if err != nil {
		return strategy.Result{}, err
	}
	task := env.GenTask()
	var prev []string
	for layer := 0; layer < m.Layers; layer++ {
		req := m.genRequest("gen-simple", genData{Task: task}, m.Temperature)
		if layer > 0 {
			req = m.genRequest("gen-moa-refine", genData{Task: task, Proposals: prev}, m.Temperature)
		}
		replies := strategy.Each(proposers, func(_ int, a *strategy.Agent) string {
			call, err := env.Ask(ctx, a, layer, "propose", req)
			if err != nil {
				return ""
			}
			code, ok := strategy.ExtractPython(call.Reply.Text, task.EntryPoint)
			if !ok {
				return ""
			}
			return code
		})
		var got []string
		for _, r := range replies {
			if r != "" {
				got = append(got, r)
			}
		}
		if ctx.Err() != nil {
			return strategy.Result{}, ctx.Err()
		}
		if len(got) > 0 {
			prev = got
		}
	}
	req := m.genRequest("gen-moa-aggregate", genData{Task: task, Proposals: prev}, m.AggregatorTemperature)
	call, err := env.Ask(ctx, agg, m.Layers, "aggregate", req)
	if err != nil {
		return strategy.Result{}, strategy.StopErr(ctx, err)
	}
	c, err := env.EvaluateTests(ctx, call, m.Layers, nil)
	return strategy.Result{Final: c}, err
}

type genMapCoder struct{ Config }

func (m genMapCoder) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	a := env.Agents[0]
	var res strategy.Result
	tests, err := m.ownTests(ctx, env, a)
	if err != nil {
		return res, err
	}
	task := env.GenTask()
	call, err := env.Ask(ctx, a, 0, "plan", m.genRequest("gen-mapcoder-plan", genData{Task: task, Plans: m.Plans}, m.Temperature))
	if err != nil {
		return res, strategy.StopErr(ctx, err)
	}
	plans := SplitPlans(call.Reply.Text, m.Plans)
	var best *strategy.Candidate
	for i, plan := range plans {
		d := genData{Task: task, Plan: plan}
		req := m.genRequest("gen-mapcoder-code", d, m.Temperature)
		for it := 0; it < m.Iterations; it++ {
			round := 1 + i*m.Iterations + it
			call, err := env.Ask(ctx, a, round, "code", req)
			if err != nil {
				if fatal(ctx, err) {
					res.Final = best
					return res, strategy.StopErr(ctx, err)
				}
				continue
			}
			c, err := env.EvaluateTests(ctx, call, round, tests)
			if err != nil {
				return res, err
			}
			if best == nil || c.TestsPassed() > best.TestsPassed() {
				best = c
			}
			if c.PassesTests() || len(tests) == 0 {
				res.Final = c
				return res, nil
			}
			d.Code, d.Feedback, d.Verdict = c.Code, strategy.GenFeedback(c.TestsVerdict(), tests), verdictOf(c)
			req = m.genRequest("gen-mapcoder-debug", d, m.Temperature)
		}
	}
	res.Final = best
	return res, nil
}
