package strategy_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/pyeval"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

// scoped is a GenCandidates over the fake evaluator: it logs each
// candidate's begin ("[") and end ("]" or "]!" with an error) and each
// run ("g" on generated tests, "h" on the hidden ones, upper case when
// the run's context is not the candidate's), failing runs on generated
// tests when failTests is set.
type scoped struct {
	*strategytest.GenEvaluator
	failTests bool
	log       strings.Builder
}

type scopeKey struct{}

func (s *scoped) Candidate(ctx context.Context) (context.Context, func(error)) {
	s.log.WriteString("[")
	return context.WithValue(ctx, scopeKey{}, true), func(err error) {
		s.log.WriteString("]")
		if err != nil {
			s.log.WriteString("!")
		}
	}
}

func (s *scoped) Evaluate(ctx context.Context, p *datasets.GenProblem, code string) (pyeval.Verdict, error) {
	run := "h"
	if strings.HasSuffix(p.ID, "#generated") {
		run = "g"
	}
	if ctx.Value(scopeKey{}) == nil {
		run = strings.ToUpper(run)
	}
	s.log.WriteString(run)
	if run == "g" && s.failTests {
		return pyeval.Verdict{}, errors.New("no python")
	}
	return s.GenEvaluator.Evaluate(ctx, p, code)
}

// TestGenCandidatesScopesRuns: a generate candidate with code is one
// evaluation however many runs judge it: the Env tells a GenCandidates
// evaluator the candidate's begin before its first run and its end after
// its last (with the error that stopped it), runs both under the
// candidate's context, and counts it once in Usage.Evaluations; a reply
// without code makes no run and no evaluation.
func TestGenCandidatesScopesRuns(t *testing.T) {
	code := llm.Response{Text: "```python\ndef f():\n    pass\n```\n"}
	tests := []struct {
		name      string
		reply     llm.Response
		tests     []string
		failTests bool
		wantLog   string
		wantEvals int
		wantErr   bool
	}{
		{name: "hidden tests only", reply: code, wantLog: "[h]", wantEvals: 1},
		{name: "generated and hidden tests", reply: code, tests: []string{"assert f() is None"}, wantLog: "[gh]", wantEvals: 1},
		{name: "no code", reply: llm.Response{Text: "no code here"}, tests: []string{"assert f() is None"}, wantLog: "", wantEvals: 0},
		{name: "generated tests fail to run", reply: code, tests: []string{"assert f() is None"}, failTests: true, wantLog: "[g]!", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, _, _, fake := strategytest.GenEnv(1)
			ev := &scoped{GenEvaluator: fake, failTests: tt.failTests}
			env.Evaluators[strategy.TaskGenerate] = ev
			_, err := env.EvaluateTests(context.Background(), strategy.Call{ID: "c001", Agent: env.Agents[0].Name, Reply: tt.reply}, 0, tt.tests)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want one: %v", err, tt.wantErr)
			}
			if got := ev.log.String(); got != tt.wantLog {
				t.Errorf("evaluator saw %q, want %q", got, tt.wantLog)
			}
			if got := env.Usage().Evaluations; got != tt.wantEvals {
				t.Errorf("Usage.Evaluations %d, want %d", got, tt.wantEvals)
			}
		})
	}
}
