package strategy

import (
	"context"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
)

// Strategy solves one problem: it asks agents for rewrites, has them
// evaluated, and returns the best. Everything along the way is recorded
// through the Env as it happens.
type Strategy interface {
	Solve(ctx context.Context, env *Env) (Result, error)
}

// Agent is a model under a name in a spec: the provider that serves it
// and the model name it is asked for.
type Agent struct {
	Name     string
	Provider string
	Model    string
	LLM      llm.Provider
}

// Evaluator evaluates one candidate; *evaluate.Evaluator is one.
type Evaluator interface {
	Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error)
}

// Candidate is an evaluated rewrite.
type Candidate struct {
	ID     string
	Agent  string
	Round  int
	CallID string
	Code   string // "" when the reply had no code
	Status string // the evaluator's status, or "no_code"
	// Outcome is what the task's Score found (Timed for optimize,
	// *GenOutcome for generate, Scored or a task's own for another); nil
	// when nothing scored it (an optimize reply without code).
	Outcome Outcome
}

// OK reports whether the candidate is correct: an optimize candidate the
// evaluator found correct, or a recorded generate candidate that passed
// every hidden test.
func (c *Candidate) OK() bool {
	return c != nil && (c.Status == string(evaluate.Correct) || c.Status == GenPassed)
}

// Speedup is the candidate's measured speedup, 0 unless it is correct.
func (c *Candidate) Speedup() float64 {
	if !c.OK() {
		return 0
	}
	return c.Timed().Speedup
}

// Result is what a strategy answers for a problem.
type Result struct {
	// Final is the strategy's answer. Strategies that choose by measurement
	// answer their best correct candidate, nil when none is correct (the
	// answer is then the original code); strategies that choose without
	// measurement (voting, MoA) answer their choice, correct or not.
	Final *Candidate
	// Rounds holds the best speedup so far after each round, for
	// per-round progression plots; strategies without rounds leave it nil.
	Rounds []float64
}
