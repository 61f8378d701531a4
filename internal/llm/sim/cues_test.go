package sim

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
)

// cuePrompt builds messages and cues by hand, as a template renders them.
type cuePrompt struct {
	msgs []llm.Message
	cues []llm.Cue
}

func (c *cuePrompt) msg(role string) *cuePrompt {
	c.msgs = append(c.msgs, llm.Message{Role: role})
	return c
}

func (c *cuePrompt) text(s string) *cuePrompt {
	c.msgs[len(c.msgs)-1].Content += s
	return c
}

// mark appends s and marks it with name.
func (c *cuePrompt) mark(name, s string) *cuePrompt {
	m := len(c.msgs) - 1
	start := len(c.msgs[m].Content)
	c.msgs[m].Content += s
	c.cues = append(c.cues, llm.Cue{Name: name, Message: m, Start: start, End: start + len(s)})
	return c
}

// shown is a candidate or a lesson with its verdict ("" for none).
type shown struct{ text, verdict string }

// facts are what a request is about, apart from its wording.
type facts struct {
	ask      string
	code     string
	cands    []shown
	lessons  []shown
	plans    []string
	feedback []string
	compiler string
}

// render writes f in one of two wordings that share no sentence and put
// the parts in different orders and messages: what a lessonl template and
// a paper-protocol template might do with the same facts.
func render(f facts, wording int) *cuePrompt {
	c := &cuePrompt{}
	lessons := func() {
		for i, l := range f.lessons {
			if wording == 0 {
				c.text(fmt.Sprintf("Lesson %d ", i+1))
				if l.verdict != "" {
					c.mark(llm.CueLessonOutcome+":"+l.verdict, "("+l.verdict+")")
				}
				c.text(": ").mark(llm.CueLesson, l.text).text("\n")
			} else {
				c.text("\n* ").mark(llm.CueLesson, l.text)
				if l.verdict != "" {
					c.text(" — ").mark(llm.CueLessonOutcome+":"+l.verdict, "outcome noted")
				}
			}
		}
	}
	cands := func() {
		for i, k := range f.cands {
			if wording == 0 {
				c.text(fmt.Sprintf("\nCandidate %d:\n", i+1)).mark(llm.CueCandidate, "```cpp\n"+k.text+"```\n")
				if k.verdict != "" {
					c.text("Result: ").mark(llm.CueOutcome+":"+k.verdict, k.verdict).text("\n")
				}
			} else {
				c.msg("assistant").mark(llm.CueCandidate, k.text)
				if k.verdict != "" {
					c.msg("user").text("That one was measured: ").mark(llm.CueOutcome+":"+k.verdict, "see the log")
				}
			}
		}
	}
	rest := func() {
		for _, p := range f.plans {
			c.text("\nPlan: ").mark(llm.CuePlan, p).text("\n")
		}
		for _, fb := range f.feedback {
			c.text("\nFeedback:\n").mark(llm.CueFeedback, fb).text("\n")
		}
		if f.compiler != "" {
			c.text("\nCompiler:\n").mark(llm.CueCompiler, f.compiler).text("\n")
		}
	}
	if wording == 0 {
		c.msg("system").text("You are an expert C++ performance engineer.")
		c.msg("user").text("Here is the code.\n\n").mark(llm.CueCode, "```cpp\n"+f.code+"```\n")
		lessons()
		cands()
		rest()
		c.text("\n").mark(f.ask, "Do what is asked, in the usual format.")
		return c
	}
	c.msg("user").mark(f.ask, "Votre tâche :").text(" voir ci-dessous.\n// Code:\n").mark(llm.CueCode, f.code).text("\n")
	rest()
	lessons()
	cands()
	return c
}

func (c *cuePrompt) request(model string, seed int64) llm.Request {
	return llm.Request{Model: model, Messages: c.msgs, Cues: c.cues, Temperature: 0.2, Seed: seed}
}

// TestSimFollowsCuesNotWording asks every kind of question in two
// wordings with the same cued facts: the answers are the same text, and
// they say what the facts call for.
func TestSimFollowsCuesNotWording(t *testing.T) {
	p := miniProblem("sort")
	s := newSim(t, Config{Problems: []*datasets.Problem{p}})
	sol := map[string]datasets.Solution{}
	for _, x := range p.Solutions {
		sol[x.Name] = x
	}
	cases := []struct {
		name  string
		f     facts
		check func(t *testing.T, answer string)
	}{
		{"optimize", facts{ask: llm.AskOptimize, code: p.BaselineCode}, isOption(p)},
		{"optimize with lessons", facts{ask: llm.AskOptimize, code: p.BaselineCode, lessons: []shown{
			{"Applying prefix sums made the code faster.", "faster 2.40"}, {"A parallel loop raced.", "incorrect"}}}, isOption(p)},
		{"revise after peers", facts{ask: llm.AskRevise, code: p.BaselineCode, cands: []shown{{sol["fast"].Code, ""}, {sol["wrong"].Code, ""}}}, isOption(p)},
		{"aggregate", facts{ask: llm.AskAggregate, code: p.BaselineCode, cands: []shown{{sol["same"].Code, ""}, {sol["fast"].Code, ""}}}, isOption(p)},
		{"lesson, faster", facts{ask: llm.AskLesson, code: p.BaselineCode, cands: []shown{{sol["fast"].Code, "faster 2.10"}}},
			contains("Lesson: Applying prefix sums made the code faster (2.10x).")},
		{"lesson, slight", facts{ask: llm.AskLesson, code: p.BaselineCode, cands: []shown{{sol["same"].Code, "faster 1.04"}}},
			contains("Lesson: Applying loop unrolling gave only a marginal speedup (1.04x)")},
		{"lesson, slower", facts{ask: llm.AskLesson, code: p.BaselineCode, cands: []shown{{sol["same"].Code, "slower 0.80"}}},
			contains("Lesson: Applying loop unrolling made the code slower (0.80x)")},
		{"lesson, incorrect", facts{ask: llm.AskLesson, code: p.BaselineCode, cands: []shown{{sol["wrong"].Code, "incorrect"}}},
			contains("Lesson: Applying parallel loop broke equivalence")},
		{"lesson, not compilable", facts{ask: llm.AskLesson, code: p.BaselineCode, cands: []shown{{sol["broken"].Code, "not_compilable"}},
			compiler: "error: '_mm256_loadu' was not declared"}, contains("Lesson: Applying vectorization produced code that does not compile.")},
		{"lesson, identity", facts{ask: llm.AskLesson, code: p.BaselineCode, cands: []shown{{p.BaselineCode, "same 1.00"}}},
			contains("Lesson: Returning the original code unchanged gives no real speedup (1.00x)")},
		{"vote, measured", facts{ask: llm.AskVote, code: p.BaselineCode, cands: []shown{
			{sol["same"].Code, "faster 1.02"}, {sol["fast"].Code, "faster 3.50"}, {sol["wrong"].Code, "incorrect"}}}, contains("Vote: 2\n")},
		{"vote, unmeasured", facts{ask: llm.AskVote, code: p.BaselineCode, cands: []shown{{sol["same"].Code, ""}, {sol["fast"].Code, ""}}},
			matches(`^Vote: [12]\n`)},
		{"plans", facts{ask: llm.AskPlan + ":3", code: p.BaselineCode}, matches(`^Plan 1: .*\nPlan 2: .*\nPlan 3: .*\n$`)},
		{"one plan", facts{ask: llm.AskPlan, code: p.BaselineCode}, matches(`^Plan 1: Rewrite .kernel_sort. using [a-z ]+, keeping its signature and results.\n$`)},
		{"confidence", facts{ask: llm.AskConfidence, code: p.BaselineCode, plans: []string{"Use prefix sums over the array."}},
			matches(`(?s)<confidence>\d+</confidence>`)},
		{"retrieve", facts{ask: llm.AskRetrieve + ":2", code: p.BaselineCode},
			matches(`(?s)^<root>\n<problem>.*</problem>\n<problem>.*</problem>\n<algorithm>Techniques: .*</algorithm>\n</root>\n$`)},
		{"reflect on a slower attempt", facts{ask: llm.AskReflect, code: p.BaselineCode, cands: []shown{{sol["same"].Code, "slower 0.70"}}},
			matches(`^The previous attempt used loop unrolling, which made the code slower.\nThe next attempt should use [a-z ]+ instead.$`)},
		{"ping", facts{ask: llm.AskPing}, matches(`^OK$`)},
		{"reflect on a faster attempt", facts{ask: llm.AskReflect, code: p.BaselineCode, cands: []shown{{sol["fast"].Code, "faster 2.00"}}},
			contains("which made the code faster.\nThe next attempt should keep prefix sums")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for seed := int64(1); seed <= 20; seed++ {
				var answers [2]string
				for w := range answers {
					answers[w] = mustChat(t, s, render(c.f, w).request("sim/coder-a", seed)).Text
				}
				if answers[0] != answers[1] {
					t.Fatalf("seed %d: the wording changed the answer:\n%s\n---\n%s", seed, answers[0], answers[1])
				}
				c.check(t, answers[0])
			}
		})
	}
}

func isOption(p *datasets.Problem) func(*testing.T, string) {
	return func(t *testing.T, answer string) {
		t.Helper()
		code, ok := llm.ExtractCode(answer, p.Function)
		if !ok {
			t.Fatalf("no code in %q", answer)
		}
		if _, ok := solutionOf(p, code); !ok {
			t.Errorf("the answer is none of %s's options:\n%s", p.ID, answer)
		}
	}
}

func contains(want string) func(*testing.T, string) {
	return func(t *testing.T, answer string) {
		t.Helper()
		if !strings.Contains(answer, want) {
			t.Errorf("answer %q does not contain %q", answer, want)
		}
	}
}

func matches(re string) func(*testing.T, string) {
	rx := regexp.MustCompile(re)
	return func(t *testing.T, answer string) {
		t.Helper()
		if !rx.MatchString(answer) {
			t.Errorf("answer %q does not match %s", answer, re)
		}
	}
}

// TestCueEvidenceFactors checks the documented evidence factors through
// cues: each multiplies the weight of what it is about, exactly, and
// the profiles' skills hold without evidence.
func TestCueEvidenceFactors(t *testing.T) {
	p := miniProblem("scan")
	s := newSim(t, Config{Problems: []*datasets.Problem{p}})
	fast := p.Solutions[0] // prefix sums, expected faster
	ratio := func(f facts, w int) float64 {
		t.Helper()
		ch, got, err := s.Distribution(render(f, w).request("sim/coder-b", 1))
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != p.ID {
			t.Fatalf("recognised %s", got.ID)
		}
		pr := map[string]float64{}
		for _, c := range ch {
			pr[c.Solution] = c.P
		}
		return pr["fast"] / pr["baseline"] // the baseline has no technique: no evidence moves it
	}
	base := facts{ask: llm.AskOptimize, code: p.BaselineCode}
	with := func(change func(*facts)) facts {
		f := base
		change(&f)
		return f
	}
	lesson := func(verdict string) facts {
		return with(func(f *facts) { f.lessons = []shown{{"Prefix sums over the array were tried.", verdict}} })
	}
	cases := []struct {
		name   string
		f      facts
		factor float64
	}{
		{"lesson significant", lesson("faster 2.40"), 3},
		{"lesson slight", lesson("faster 1.05"), 1.5},
		{"lesson same", lesson("same"), 1.5},
		{"lesson degrades", lesson("slower 0.50"), 0.5},
		{"lesson incorrect", lesson("incorrect"), 0.4},
		{"lesson runtime error", lesson("runtime_error"), 0.4},
		{"lesson not compilable", lesson("not_compilable"), 0.4},
		{"lesson unknown", lesson("unknown"), 1},
		{"lesson without verdict", lesson(""), 1},
		{"two significant lessons", with(func(f *facts) {
			f.lessons = []shown{{"prefix sums helped", "faster 2"}, {"prefix sums helped again", "faster 3"}}
		}), 9},
		{"bounded above", with(func(f *facts) {
			f.lessons = []shown{{"prefix sums", "faster 2"}, {"prefix sums", "faster 2"}, {"prefix sums", "faster 2"}}
			f.plans = []string{"prefix sums"}
		}), 16},
		{"bounded below", with(func(f *facts) {
			f.lessons = []shown{{"prefix sums", "incorrect"}, {"prefix sums", "incorrect"}, {"prefix sums", "incorrect"}, {"prefix sums", "incorrect"}}
		}), 1.0 / 16},
		{"plan", with(func(f *facts) { f.plans = []string{"Rewrite it with prefix sums."} }), 4},
		{"plan naming nothing known", with(func(f *facts) { f.plans = []string{"Think harder."} }), 1},
		{"candidate shown", with(func(f *facts) { f.cands = []shown{{fast.Code, ""}} }), 1.5},
		{"candidate measured faster", with(func(f *facts) { f.cands = []shown{{fast.Code, "faster 2.2"}} }), 3},
		{"candidate measured incorrect", with(func(f *facts) { f.cands = []shown{{fast.Code, "incorrect"}} }), 0.4},
		{"feedback naming it as slower", with(func(f *facts) { f.feedback = []string{"Prefix sums made it slower."} }), 0.5},
		{"feedback suggesting it", with(func(f *facts) { f.feedback = []string{"Next, try prefix sums."} }), 4},
		{"compiler output is not read", with(func(f *facts) { f.compiler = "prefix sums made it faster" }), 1},
	}
	for w := 0; w < 2; w++ {
		r0 := ratio(base, w)
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/wording %d", c.name, w), func(t *testing.T) {
				if got := ratio(c.f, w) / r0; math.Abs(got-c.factor) > 1e-9 {
					t.Errorf("factor %.6g, want %g", got, c.factor)
				}
			})
		}
	}

	// Without evidence, every profile answers a faster rewrite with
	// probability exactly its skill in the category (the table in doc.go).
	var ps []*datasets.Problem
	for _, c := range datasets.Categories {
		ps = append(ps, miniProblem(c))
	}
	all := newSim(t, Config{Problems: ps})
	for _, p := range ps {
		for _, prof := range Profiles() {
			ch, _, err := all.Distribution(render(facts{ask: llm.AskOptimize, code: p.BaselineCode}, 1).request(prof.Model, 1))
			if err != nil {
				t.Fatal(err)
			}
			f := 0.0
			for _, c := range ch {
				if c.Expected == datasets.ExpectFaster {
					f += c.P
				}
			}
			if math.Abs(f-prof.SkillIn(p.Category)) > 1e-9 {
				t.Errorf("%s in %s: faster share %.4f, skill %.4f", prof.Model, p.Category, f, prof.SkillIn(p.Category))
			}
		}
	}
}

// TestConfidenceFollowsProfile: a plan naming a technique whose rewrites
// are expected faster gets more confidence than one whose rewrite fails.
func TestConfidenceFollowsProfile(t *testing.T) {
	p := miniProblem("sort")
	s := newSim(t, Config{Problems: []*datasets.Problem{p}})
	conf := func(plan string) int {
		f := facts{ask: llm.AskConfidence, code: p.BaselineCode, plans: []string{plan}}
		m := regexp.MustCompile(`<confidence>(\d+)</confidence>`).FindStringSubmatch(mustChat(t, s, render(f, 0).request("sim/coder-a", 1)).Text)
		if m == nil {
			t.Fatalf("no confidence for %q", plan)
		}
		var n int
		fmt.Sscan(m[1], &n)
		return n
	}
	if good, bad, none := conf("Use prefix sums."), conf("Use a parallel loop."), conf("Think."); good != 100 || bad != 0 || none != 75 {
		t.Errorf("confidence: prefix sums %d (want 100), parallel loop %d (want 0), no technique %d (want 75, coder-a's skill in sort)", good, bad, none)
	}
}

func TestCueErrors(t *testing.T) {
	p := miniProblem("sort")
	s := newSim(t, Config{Problems: []*datasets.Problem{p}})
	ok := render(facts{ask: llm.AskOptimize, code: p.BaselineCode}, 0)
	edit := func(change func(c *cuePrompt)) llm.Request {
		c := &cuePrompt{msgs: append([]llm.Message(nil), ok.msgs...), cues: append([]llm.Cue(nil), ok.cues...)}
		change(c)
		return c.request("sim/coder-a", 1)
	}
	cases := []struct {
		name string
		req  llm.Request
		want string
	}{
		{"no cues", llm.Request{Model: "sim/coder-a", Messages: ok.msgs}, "no cues: this prompt was not rendered by a lessonl template; the simulator only follows cues"},
		{"no ask", edit(func(c *cuePrompt) { c.cues = c.cues[:1] }), "want exactly one ask cue"},
		{"two asks", edit(func(c *cuePrompt) { c.mark(llm.AskVote, "x") }), "want exactly one ask cue"},
		{"unknown ask", edit(func(c *cuePrompt) { c.cues[1].Name = "ask/dance" }), `unknown ask "ask/dance"`},
		{"bad count", edit(func(c *cuePrompt) { c.cues[1].Name = llm.AskPlan + ":many" }), "the count after the colon must be 1 to 20"},
		{"span outside", edit(func(c *cuePrompt) { c.cues[0].End = 1 << 20 }), "outside message 1's"},
		{"no such message", edit(func(c *cuePrompt) { c.cues[0].Message = 7 }), "message 7 of 2"},
		{"verdicts do not pair", edit(func(c *cuePrompt) {
			c.mark(llm.CueCandidate, "int x;").mark(llm.CueCandidate, "int y;").mark(llm.CueOutcome+":faster 2", "")
		}), "2 candidate cues but 1 outcome cues"},
		{"unknown verdict", edit(func(c *cuePrompt) {
			c.mark(llm.CueCandidate, "int x;").mark(llm.CueOutcome+":splendid", "")
		}), `unknown word "splendid"`},
		{"bad speedup", edit(func(c *cuePrompt) {
			c.mark(llm.CueCandidate, "int x;").mark(llm.CueOutcome+":faster -2", "")
		}), `the speedup "-2" is not a positive number`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Chat(t.Context(), c.req)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if c.name == "no cues" && !errors.Is(err, ErrNoCues) {
				t.Errorf("%v is not ErrNoCues", err)
			}
		})
	}
}
