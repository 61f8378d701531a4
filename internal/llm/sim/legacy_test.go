package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
)

// TEMPORARY (issue 14): tests of the wording reader (legacy.go); delete
// this file with it. Their rules are asserted through cues in
// cues_test.go (TestSimFollowsCuesNotWording, TestCueEvidenceFactors);
// every other test of this package sends cues.

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

func TestSimFollowsLessons(t *testing.T) {
	p, sol := builtinProblem(t)
	s := newSim(t, Config{})
	const n = 300
	x := sol.Technique
	for _, model := range []string{"sim/coder-a", "sim/coder-c"} {
		base := share(t, s, p, model, optimizePrompt(p, ""), x, n)
		cases := []struct {
			name   string
			lesson string
			up     bool
		}{
			{"significant", fmt.Sprintf("significantly improves performance (3.10x): Applying %s made the code faster.", x), true},
			{"slight", fmt.Sprintf("slightly improves performance (marginal) (1.04x): %s helped a little.", x), true},
			{"degrades", fmt.Sprintf("degrades performance (0.40x): Applying %s made the code slower.", x), false},
			{"incorrect", fmt.Sprintf("compromises code equivalence: Applying %s broke equivalence.", x), false},
			{"not compilable", fmt.Sprintf("produces non-compilable code: Applying %s produced code that does not compile.", x), false},
		}
		for _, c := range cases {
			t.Run(model+"/"+c.name, func(t *testing.T) {
				got := share(t, s, p, model, optimizePrompt(p, lessonsSection(c.lesson)), x, n)
				if c.up && got <= base+0.03 || !c.up && got >= base-0.03 {
					t.Errorf("share of %q: %.3f without the lesson, %.3f with it (want it to %s)", x, base, got, map[bool]string{true: "rise", false: "fall"}[c.up])
				}
			})
		}
	}
}

func TestSimReadsFreeWordedLessonsAndFeedback(t *testing.T) {
	p := miniProblem("sort")
	s := newSim(t, Config{Problems: []*datasets.Problem{p}})
	pOf := func(msgs []llm.Message, name string) float64 {
		ch, _, err := s.Distribution(llm.Request{Model: "sim/large", Messages: msgs, Temperature: 0.2})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range ch {
			if c.Solution == name {
				return c.P
			}
		}
		t.Fatalf("no choice %s", name)
		return 0
	}
	base := pOf(optimizePrompt(p, ""), "same")
	cases := []struct {
		name  string
		extra string
		up    bool
	}{
		{"bullet lesson, improves", "Lessons:\n- Loop unrolling sped it up 2.5x.", true},
		{"bullet lesson, failed", "Lessons:\n- Unrolling the loops made it slower.", false},
		{"lesson with no outcome", "Lessons:\n- Loop unrolling was tried.", false},
		{"plan", "Follow this plan:\nUse loop unrolling on the inner loop.", true},
		{"own attempt, failed", "Your previous attempt:\n" + fenced(p.Solutions[1].Code) + "Evaluation: The code does not compile. The compiler says: error.", false},
		{"own attempt, faster", "Your previous attempt:\n" + fenced(p.Solutions[1].Code) + "Evaluation: The code compiles, computes the same results as the original, and runs 2.00x as fast as the original.", true},
		{"peer code, no result", "Responses from other models to this task:\n\nResponse 1:\n" + fenced(p.Solutions[1].Code), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := pOf(optimizePrompt(p, c.extra), "same")
			switch {
			case c.name == "lesson with no outcome" && math.Abs(got-base) > 1e-12:
				t.Errorf("p = %.4f, want unchanged %.4f", got, base)
			case c.name != "lesson with no outcome" && c.up && got <= base:
				t.Errorf("p = %.4f, want above %.4f", got, base)
			case c.name != "lesson with no outcome" && !c.up && got >= base:
				t.Errorf("p = %.4f, want below %.4f", got, base)
			}
		})
	}
}

func TestSimWritesLessons(t *testing.T) {
	p, sol := builtinProblem(t)
	s := newSim(t, Config{})
	cases := []struct {
		name, ask string
		want      []string
	}{
		{"faster", "Code B computes the same results and runs 2.50x as fast as Code A. Explain in one or two sentences which change made Code B faster, so that others can apply the lesson.", []string{"faster", "2.50x"}},
		{"slower", "Code B computes the same results but runs only 0.50x as fast as Code A, so it is slower. Explain in one or two sentences which change made Code B slower, so that others can avoid it.", []string{"slower", "0.50x"}},
		{"incorrect", "Code B does not compute the same results as Code A (or crashes, or runs out of time). Explain in one or two sentences which change broke the equivalence, so that others can avoid it.", []string{"does not compute the same results"}},
		{"not compilable", "Code B does not compile. The compiler says:\n```cpp\nerror: 'x' was not declared\n```\nExplain in one or two sentences which mistake made Code B fail to compile, so that others can avoid it.", []string{"does not compile"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := mustChat(t, s, llm.Request{Model: "sim/coder-b", Messages: lessonPrompt(p.BaselineCode, sol.Code, c.ask), Temperature: 0.2, MaxTokens: 250})
			text := resp.Text
			if !strings.HasPrefix(text, "Lesson: ") || strings.Contains(text, "```") {
				t.Fatalf("not a lesson: %q", text)
			}
			for _, w := range append(c.want, sol.Technique) {
				if !strings.Contains(text, w) {
					t.Errorf("lesson %q lacks %q", text, w)
				}
			}
			if n := strings.Count(text, ". ") + 1; n > 3 {
				t.Errorf("lesson has %d sentences: %q", n, text)
			}
		})
	}
	t.Run("plain wording", func(t *testing.T) {
		user := "Original:\n" + fenced(p.BaselineCode) + "\nNew version:\n" + fenced(sol.Code) +
			"\nThe new version was measured 3.00x faster. Explain in one or two sentences why it is faster (lesson)."
		resp := mustChat(t, s, llm.Request{Model: "sim/large", Messages: []llm.Message{{Role: "user", Content: user}}})
		if !strings.HasPrefix(resp.Text, "Lesson: ") || !strings.Contains(resp.Text, sol.Technique) {
			t.Errorf("plain-worded lesson request got %q", resp.Text)
		}
	})
	t.Run("identity", func(t *testing.T) {
		resp := mustChat(t, s, llm.Request{Model: "sim/large", Messages: lessonPrompt(p.BaselineCode, p.BaselineCode,
			"Code B computes the same results and runs 1.01x as fast as Code A. Explain in one or two sentences which change made Code B faster, so that others can apply the lesson.")})
		if !strings.Contains(resp.Text, "unchanged") {
			t.Errorf("identity lesson: %q", resp.Text)
		}
	})
	t.Run("round trip", func(t *testing.T) {
		// A lesson the sim wrote, shown back as the lessons package shows
		// it, moves the choice toward its technique.
		lesson := mustChat(t, s, llm.Request{Model: "sim/coder-a", Messages: lessonPrompt(p.BaselineCode, sol.Code, cases[0].ask)}).Text
		shown := "significantly improves performance (2.50x): " + strings.TrimPrefix(lesson, "Lesson: ")
		pOf := func(msgs []llm.Message) float64 {
			ch, _, err := s.Distribution(llm.Request{Model: "sim/coder-c", Messages: msgs, Temperature: 0.2})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range ch {
				if c.Solution == sol.Name {
					return c.P
				}
			}
			return -1
		}
		if before, after := pOf(optimizePrompt(p, "")), pOf(optimizePrompt(p, lessonsSection(shown))); after <= before {
			t.Errorf("p(%s) %.3f → %.3f after the sim's own lesson %q", sol.Name, before, after, shown)
		}
	})
}

func TestSimVotesPlansAndReflects(t *testing.T) {
	p := miniProblem("sort")
	s := newSim(t, Config{Problems: []*datasets.Problem{p}})
	fast, broken := p.Solutions[0], p.Solutions[3]
	votePrompt := func(outcomes ...string) []llm.Message {
		var b strings.Builder
		b.WriteString("Here is the original C++ code:\n\n" + fenced(p.BaselineCode) + "\nHere are candidate rewrites of the code above, made by different engineers.\n")
		for i, code := range []string{broken.Code, fast.Code} {
			fmt.Fprintf(&b, "\nCandidate %d:\n%s", i+1, fenced(code))
			if outcomes != nil {
				b.WriteString(outcomes[i] + "\n")
			}
		}
		b.WriteString("\nWhich candidate is the fastest one that still computes exactly the same results as the original? Do not write code. Answer with one line \"Vote: N\" (the candidate's number) followed by a one-sentence reason.")
		return []llm.Message{{Role: "system", Content: system}, {Role: "user", Content: b.String()}}
	}
	votes := map[string]int{}
	for seed := int64(1); seed <= 100; seed++ {
		txt := mustChat(t, s, llm.Request{Model: "sim/coder-a", Messages: votePrompt(), Seed: seed}).Text
		votes[strings.SplitN(txt, "\n", 2)[0]]++
	}
	// coder-a is strong in sort: it spots the faster candidate with
	// probability 0.75, and votes at random otherwise.
	if votes["Vote: 2"] < 75 || votes["Vote: 1"] < 5 || votes["Vote: 1"]+votes["Vote: 2"] != 100 {
		t.Errorf("votes: %v", votes)
	}
	measured := votePrompt("Measured: The code compiles, computes the same results as the original, and runs 1.50x as fast as the original.",
		"Measured: The code compiles, computes the same results as the original, and runs 3.00x as fast as the original.")
	for seed := int64(1); seed <= 20; seed++ {
		if txt := mustChat(t, s, llm.Request{Model: "sim/coder-c", Messages: measured, Seed: seed}).Text; !strings.HasPrefix(txt, "Vote: 2\n") {
			t.Fatalf("with measured speedups the vote was %q", txt)
		}
	}

	plans := mustChat(t, s, llm.Request{Model: "sim/coder-b", Seed: 1, Messages: []llm.Message{{Role: "user", Content: "Here is C++ code to make faster:\n\n" + fenced(p.BaselineCode) +
		"\nWrite 3 different plans to optimize it, each a few sentences naming the technique, numbered \"Plan 1:\", \"Plan 2:\", ... Do not write code."}}}).Text
	lines := strings.Split(strings.TrimSpace(plans), "\n")
	if len(lines) != 3 || strings.Contains(plans, "```") {
		t.Fatalf("plans: %q", plans)
	}
	techs := map[string]bool{}
	for i, l := range lines {
		if !strings.HasPrefix(l, fmt.Sprintf("Plan %d: ", i+1)) {
			t.Errorf("plan line %q", l)
		}
		for _, sol := range p.Solutions {
			if strings.Contains(l, sol.Technique) {
				techs[sol.Technique] = true
			}
		}
	}
	if len(techs) != 3 {
		t.Errorf("plans name %d distinct techniques: %q", len(techs), plans)
	}

	refl := mustChat(t, s, llm.Request{Model: "sim/coder-b", Seed: 1, Messages: []llm.Message{{Role: "user", Content: "You are optimizing this C++ code for speed:\n\n" + fenced(p.BaselineCode) +
		"\nYour previous attempt:\n" + fenced(broken.Code) + "\nEvaluation: The code does not compile. The compiler says:\n```cpp\nerror\n```\n" +
		"\nReflect in a few sentences: what went wrong or what limits the speed, and what should the next attempt change? Do not write code."}}}).Text
	if !strings.Contains(refl, broken.Technique) || !strings.Contains(refl, "does not compile") || strings.Contains(refl, "```") {
		t.Errorf("reflection: %q", refl)
	}
}
