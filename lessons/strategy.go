package lessons

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// Strategy is the LessonL framework as a strategy: for each round, select
// lessons, have every agent rewrite the code and evaluate it, have each
// author write a lesson, bank the lessons, and adjust the factors of the
// lessons that were shown. The answer is the best correct candidate of all
// rounds (or the original code when there is none).
type Strategy struct {
	Config
	// Relevance scores lessons against the original code; TFIDF when nil.
	Relevance Relevance
}

// New returns the framework with cfg; rel may be nil for TF-IDF.
func New(cfg Config, rel Relevance) *Strategy {
	if rel == nil {
		rel = TFIDF{}
	}
	return &Strategy{Config: cfg, Relevance: rel}
}

// turn is one agent's work in one round.
type turn struct {
	cand   *strategy.Candidate
	lesson string
	banked bool // the lesson goes to the bank (under paper even when empty)
	callID string
	err    error
}

// Solve implements strategy.Strategy.
func (s *Strategy) Solve(ctx context.Context, env *strategy.Env) (strategy.Result, error) {
	var bank Bank
	var all []*strategy.Candidate
	var res strategy.Result
	h := fnv.New64a()
	h.Write([]byte(env.Problem.ID))
	rng := rand.New(rand.NewPCG(uint64(env.Seed), h.Sum64()))
	if env.Generate() {
		return s.solveGen(ctx, env, rng)
	}

	if s.Common.Protocol == strategy.ProtocolPaper {
		// The authors' LessonL agents take the first closed ```c++
		// block, else the first closed ```cpp one, else an empty program.
		env.Extract = strategy.PaperExtract(true)
		// Their driver runs every submission, identical or not.
		env.Fresh = true
	}
	original := env.Task()
	for round := 0; round < s.Rounds; round++ {
		shown, err := s.selectLessons(ctx, env, &bank, round, rng)
		if err != nil {
			return res, err
		}
		task := original
		if best := strategy.Best(all...); s.Base == "best" && best != nil {
			task.Code = best.Code
		}
		prompt := OptimizePrompt(s.prompts, task, shown)
		turns := strategy.Each(env.Agents, func(_ int, a *strategy.Agent) turn {
			return s.turn(ctx, env, a, round, task, prompt)
		})

		var speedups []float64
		stopped := false
		for i, t := range turns {
			if t.cand != nil {
				all = append(all, t.cand)
				speedups = append(speedups, t.cand.Speedup())
			}
			if t.err != nil && strategy.Stopped(ctx, t.err) {
				stopped = true
			}
			if t.err != nil && t.cand == nil && !strategy.Stopped(ctx, t.err) && strategy.IsEvalError(t.err) {
				return res, t.err
			}
			if !t.banked {
				continue
			}
			l := bank.Add(Lesson{
				ID: fmt.Sprintf("r%d-%s", round, env.Agents[i].Name), Text: t.lesson,
				Kind: KindOf(t.cand.Status, t.cand.Speedup()), Speedup: t.cand.Speedup(),
				Author: env.Agents[i].Name, Round: round, CandidateID: t.cand.ID,
			})
			if env.Recorder != nil {
				env.Recorder.Lesson(strategy.LessonEvent{ID: l.ID, Round: round, Agent: l.Author, CandidateID: l.CandidateID,
					Outcome: string(l.Kind), Speedup: l.Speedup, Text: l.Text, CallID: t.callID})
			}
		}
		if s.Adjustment {
			Adjust(shown, speedups, s.Epsilon)
		}
		res.Rounds = append(res.Rounds, strategy.Best(all...).Speedup())
		if stopped {
			break
		}
	}
	if s.Common.Protocol == strategy.ProtocolPaper {
		// The authors submit the highest raw speedup of all rounds and
		// evaluate it again with a fresh driver.
		if c := strategy.Highest(all...); c != nil && ctx.Err() == nil {
			f, err := env.Reevaluate(ctx, c, s.Rounds)
			if err != nil {
				return res, err
			}
			res.Final = f
		}
		return res, ctx.Err()
	}
	res.Final = strategy.Best(all...)
	return res, ctx.Err()
}

// selectLessons picks this round's lessons and records why each was shown.
func (s *Strategy) selectLessons(ctx context.Context, env *strategy.Env, bank *Bank, round int, rng *rand.Rand) ([]Pick, error) {
	if round == 0 || bank.Len() == 0 {
		return nil, nil
	}
	var rel []float64
	if s.Selection == PolicyPaper || s.Selection == PolicyRelevance {
		texts := make([]string, bank.Len())
		for i, l := range bank.Lessons() {
			texts[i] = l.Text
		}
		var err error
		if rel, err = s.Relevance.Scores(ctx, env.Problem.BaselineCode, texts); err != nil {
			return nil, fmt.Errorf("round %d: %w", round, err)
		}
	}
	shown := Select(bank.Lessons(), rel, s.K, s.Selection, rng)
	if s.Common.Protocol == strategy.ProtocolPaper && s.Selection == PolicyPaper {
		shown = paperOrder(shown, bank.Lessons(), s.K)
	}
	if env.Recorder != nil {
		for _, p := range shown {
			env.Recorder.Selection(strategy.SelectionEvent{Round: round, LessonID: p.Lesson.ID, Reason: p.Reason,
				Score: p.Score, Adjusted: p.Lesson.Adjusted(), Factor: p.Lesson.Factor})
		}
	}
	return shown, nil
}

// turn is one agent's round: rewrite, evaluation, lesson. A failed call
// leaves the agent without a candidate (or without a lesson) this round.
func (s *Strategy) turn(ctx context.Context, env *strategy.Env, a *strategy.Agent, round int, task strategy.Task, prompt llm.Request) turn {
	prompt.Temperature, prompt.TopP = s.CodeTemperature, s.topP()
	call, err := env.Ask(ctx, a, round, "optimize", prompt)
	if err != nil {
		return turn{err: err}
	}
	cand, err := env.Evaluate(ctx, call, round)
	if err != nil {
		return turn{err: err}
	}
	code := cand.Code
	if code == "" && s.Common.Protocol != strategy.ProtocolPaper {
		code = "(the reply contained no code block)"
	}
	paper := s.Common.Protocol == strategy.ProtocolPaper
	compiler := cand.Timed().Detail
	if paper {
		// The authors' reader cuts the log between "----- DID NOT BUILD
		// ----" and "--- CODE FILE ---", which their driver never prints
		// (it prints "--- CODE ---"): every lesson prompt they sent shows
		// an empty compiler output.
		compiler = ""
	}
	req := LessonRequest{Original: task.Code, Candidate: code, Kind: KindOf(cand.Status, cand.Speedup()),
		Speedup: cand.Timed().Speedup, Compiler: compiler}
	lreq := LessonPrompt(s.prompts, req)
	lreq.Temperature, lreq.MaxTokens, lreq.FrequencyPenalty = s.LessonTemperature, s.LessonMaxTokens, s.LessonPenalty
	lreq.TopP = s.topP()
	// The authors' reason() sends max_completion_tokens.
	lreq.MaxCompletionTokens = paper
	lcall, err := env.Ask(ctx, a, round, "lesson", lreq)
	if err != nil {
		return turn{cand: cand, err: err}
	}
	if paper {
		// The authors bank the whole reply, empty or not.
		return turn{cand: cand, lesson: lcall.Reply.Text, banked: true, callID: lcall.ID}
	}
	text := ParseLesson(lcall.Reply.Text)
	return turn{cand: cand, lesson: text, banked: text != "", callID: lcall.ID}
}

// topP is the nucleus sampling sent: the authors' 0.95 under protocol
// paper; none (the server's default) under lessonl.
func (s *Strategy) topP() float64 {
	if s.Common.Protocol == strategy.ProtocolPaper {
		return 0.95
	}
	return 0
}
