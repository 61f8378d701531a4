package sim

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
)

// TestSimAnswersEvaluateAsExpected checks the sim end to end with the real
// evaluator: for each expected outcome of one built-in problem, a sim
// answer with that outcome is compiled, validated and timed, and gets it.
func TestSimAnswersEvaluateAsExpected(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times C++")
	}
	if _, err := exec.LookPath("g++"); err != nil {
		t.Skip("g++ not installed")
	}
	p, _ := builtinProblem(t)
	e, err := evaluate.New(evaluate.Config{MinReps: 3, MaxReps: 3, Budget: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s := newSim(t, Config{})
	want := map[datasets.Expected]evaluate.Status{
		datasets.ExpectFaster:        evaluate.Correct,
		datasets.ExpectNotFaster:     evaluate.Correct,
		datasets.ExpectIncorrect:     evaluate.Incorrect,
		datasets.ExpectNotCompilable: evaluate.NotCompilable,
	}
	// One sim answer per expected outcome: draw at temperature 2 (uniform)
	// until each outcome has come up.
	answers := map[datasets.Expected]string{}
	for seed := int64(1); seed <= 200 && len(answers) < len(want); seed++ {
		resp := mustChat(t, s, llm.Request{Model: "sim/large", Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Temperature: 2, Seed: seed})
		code, ok := llm.ExtractCode(resp.Text, p.Function)
		if !ok {
			t.Fatalf("no code in %q", resp.Text)
		}
		if sol, ok := solutionOf(p, code); ok && sol.Expected != "" {
			if _, seen := answers[sol.Expected]; !seen {
				answers[sol.Expected] = code
			}
		}
	}
	for exp, status := range want {
		code, ok := answers[exp]
		if !ok {
			continue // the problem has no solution of this class
		}
		t.Run(string(exp), func(t *testing.T) {
			out, err := e.Evaluate(context.Background(), p, code)
			if err != nil {
				t.Fatal(err)
			}
			if out.Status != status {
				t.Fatalf("a sim answer expected %s got %s: %s", exp, out.Status, out.Detail)
			}
			if exp == datasets.ExpectFaster && out.Speedup < 1.1 {
				t.Errorf("a sim answer expected faster runs %.2fx", out.Speedup)
			}
		})
	}
	if len(answers) < 2 {
		t.Errorf("only %d outcomes came up in 200 draws", len(answers))
	}
}
