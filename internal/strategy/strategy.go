package strategy

import (
	"context"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// Strategy solves one problem: it asks agents for rewrites, has them
// evaluated, and returns the best. Everything along the way is recorded
// through the Env as it happens.
type Strategy interface {
	Solve(ctx context.Context, env *Env) (Result, error)
}

// Message is one chat message.
type Message struct {
	Role    string `json:"role"` // system, user or assistant
	Content string `json:"content"`
}

// Request is one chat completion request as a strategy makes it.
type Request struct {
	Messages         []Message
	Temperature      float64
	TopP             float64
	MaxTokens        int
	FrequencyPenalty float64
	Seed             int64
	// Sample distinguishes repeated identical requests of one cell (best-of-n
	// draws), so replay can answer each with its own recorded reply.
	Sample int
}

// Reply is a model's answer with what it cost.
type Reply struct {
	Text             string
	PromptTokens     int
	CompletionTokens int
	UsageEstimated   bool // the server gave no usage; tokens are estimated
	Latency          time.Duration
	FinishReason     string
	Attempts         int
}

// Model answers chat requests; the runner adapts LLM providers to it.
type Model interface {
	Chat(ctx context.Context, req Request) (Reply, error)
}

// Agent is a model under a name in a spec.
type Agent struct {
	Name     string
	Provider string
	Model    string
	LLM      Model
}

// Evaluator evaluates one candidate; *evaluate.Evaluator is one.
type Evaluator interface {
	Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error)
}

// Candidate is an evaluated rewrite.
type Candidate struct {
	ID      string
	Agent   string
	Round   int
	CallID  string
	Code    string // "" when the reply had no code
	Status  string // the evaluator's status, or "no_code"
	Outcome evaluate.Outcome
}

// OK reports whether the candidate is correct.
func (c *Candidate) OK() bool { return c != nil && c.Status == string(evaluate.Correct) }

// Speedup is the candidate's measured speedup, 0 unless it is correct.
func (c *Candidate) Speedup() float64 {
	if !c.OK() {
		return 0
	}
	return c.Outcome.Speedup
}

// Result is what a strategy answers for a problem.
type Result struct {
	// Final is the chosen candidate; nil when nothing usable came back, in
	// which case the answer is the original code.
	Final *Candidate
	// Rounds holds the best speedup so far after each round, for
	// per-round progression plots; strategies without rounds leave it nil.
	Rounds []float64
}
