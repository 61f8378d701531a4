package sim

import (
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
)

// TEMPORARY (issue 14): tests of the wording reader (legacy.go); delete
// with it. The tests in sim_test.go, rewrites_test.go and eval_test.go
// that send prompts without cues go through that reader too: once it is
// gone, their prompt helpers (optimizePrompt, lessonPrompt, ...) must mark
// cues as the templates do.

func TestSimPromptKinds(t *testing.T) {
	cases := []struct {
		name, prose string
		want        kind
	}{
		{"optimize", "Optimize the following C++ code for speed.\n\nAnswer with the complete optimized code in a single ```cpp block.", askCode},
		{"optimize with lessons", "Optimize the following C++ code.\nLessons learned from earlier rewrites of this code:\nLesson 1 significantly improves performance (2.00x): Explain nothing.\n\nAnswer with the complete optimized code in a single ```cpp block.", askCode},
		{"lesson contract", "Code B does not compile. Explain in one or two sentences which mistake made Code B fail to compile.\nReply with the lesson only, starting with \"Lesson:\".", askLesson},
		{"plain lesson", "Explain in one or two sentences why the new code is slower (lesson).", askLesson},
		{"lesson forbidding code", "What should others learn? Write the lesson, starting with Lesson:. Do not write code.", askLesson},
		{"vote", "Which candidate is the fastest? Do not write code. Answer with one line \"Vote: N\" (the candidate's number).", askVote},
		{"plans", "Write 3 different plans to optimize it, numbered \"Plan 1:\", \"Plan 2:\", ... Do not write code.", askPlans},
		{"reflection", "Reflect in a few sentences: what went wrong? Do not write code.", askReflection},
		{"plan to follow", "Follow this plan:\nUse radix sort.\n\nAnswer with the complete optimized code in a single ```cpp block.", askCode},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := classify(c.prose); got != c.want {
				t.Errorf("classify = %v, want %v", got, c.want)
			}
		})
	}
}

// TestCuesOverrideWording: a request with cues is read by its cues alone,
// even when its wording would read as something else; one without cues
// is read by its wording only while readsWording holds.
func TestCuesOverrideWording(t *testing.T) {
	p := miniProblem("sort")
	s := newSim(t, Config{Problems: []*datasets.Problem{p}})
	if s.legacy != readsWording {
		t.Fatalf("New sets legacy %v, readsWording is %v", s.legacy, readsWording)
	}
	c := &cuePrompt{}
	c.msg("user").text("Which candidate is the fastest? Answer with one line \"Vote: N\". Do not write code.\n").
		mark(llm.CueCode, fenced(p.BaselineCode)).mark(llm.AskOptimize, "")
	if got := mustChat(t, s, c.request("sim/coder-a", 1)).Text; !isCodeAnswer(p, got) {
		t.Errorf("with cues asking for code, the vote wording won: %q", got)
	}
	req := c.request("sim/coder-a", 1)
	req.Cues = nil
	if got := mustChat(t, s, req).Text; got[:5] != "Vote:" {
		t.Errorf("without cues, the wording reader did not read a vote: %q", got)
	}
}

func isCodeAnswer(p *datasets.Problem, text string) bool {
	code, ok := llm.ExtractCode(text, p.Function)
	if !ok {
		return false
	}
	_, ok = solutionOf(p, code)
	return ok
}
