package sim

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
)

// optimizePrompt copies the wording of the strategy package's optimize
// prompt; optimizeCues marks it as its template does. What the sim
// answers depends on the cues only (cues_test.go).

const system = "You are an expert C++ performance engineer. You rewrite code so that it runs faster while computing exactly the same results."

func fenced(code string) string { return "```c++\n" + strings.TrimRight(code, "\n") + "\n```\n" }

func optimizePrompt(p *datasets.Problem, extra string) []llm.Message {
	var b strings.Builder
	fmt.Fprintf(&b, "Optimize the following C++ code for speed. Keep the function `%s` with the same signature and the same results; you may add includes and helper functions.\n\n", p.Function)
	b.WriteString(fenced(p.BaselineCode))
	if extra != "" {
		b.WriteString("\n" + strings.TrimRight(extra, "\n") + "\n")
	}
	b.WriteString("\nAnswer with the complete optimized code in a single ```cpp block.")
	return []llm.Message{{Role: "system", Content: system}, {Role: "user", Content: b.String()}}
}

// optimizeCues are the cues a template would mark in optimizePrompt(p, ""):
// the code and the ask.
func optimizeCues(p *datasets.Problem) []llm.Cue {
	user := optimizePrompt(p, "")[1].Content
	code := fenced(p.BaselineCode)
	at := strings.Index(user, code)
	ask := strings.LastIndex(user, "\n") + 1
	return []llm.Cue{{Name: llm.CueCode, Message: 1, Start: at, End: at + len(code)}, {Name: llm.AskOptimize, Message: 1, Start: ask, End: len(user)}}
}

// builtinProblem returns a built-in problem with a faster solution, and
// that solution; the test does not depend on how many problems exist.
func builtinProblem(t *testing.T) (*datasets.Problem, datasets.Solution) {
	t.Helper()
	ps, err := datasets.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		for _, s := range p.Solutions {
			if s.Expected == datasets.ExpectFaster && len(p.Solutions) >= 2 {
				return p, s
			}
		}
	}
	t.Skip("no built-in problem with a faster solution and another solution yet")
	return nil, datasets.Solution{}
}

func newSim(t *testing.T, cfg Config) *Sim {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustChat(t *testing.T, p llm.Provider, req llm.Request) llm.Response {
	t.Helper()
	resp, err := p.Chat(context.Background(), req)
	if err != nil {
		t.Fatalf("chat: %v", err)
	}
	return resp
}

func norm(code string) string { return strings.TrimRight(code, "\n") + "\n" }

// solutionOf names the option whose code is exactly code.
func solutionOf(p *datasets.Problem, code string) (datasets.Solution, bool) {
	for _, s := range p.Solutions {
		if norm(s.Code) == code {
			return s, true
		}
	}
	if norm(p.BaselineCode) == code {
		return datasets.Solution{Name: "baseline"}, true
	}
	return datasets.Solution{}, false
}

func TestSimAnswersWithKnownSolutions(t *testing.T) {
	ps, err := datasets.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s := newSim(t, Config{})
	for _, p := range ps {
		for _, model := range []string{"sim/coder-a", "sim/coder-b", "sim/coder-c", "sim/large"} {
			t.Run(p.ID+"/"+model, func(t *testing.T) {
				seen := map[string]int{}
				for seed := int64(1); seed <= 40; seed++ {
					resp := mustChat(t, s, llm.Request{Model: model, Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Temperature: 0.2, Seed: seed})
					code, ok := llm.ExtractCode(resp.Text, p.Function)
					if !ok {
						t.Fatalf("seed %d: no code in %q", seed, resp.Text)
					}
					sol, ok := solutionOf(p, code)
					if !ok {
						t.Fatalf("seed %d: answer is not one of %s's solutions or its baseline:\n%s", seed, p.ID, code)
					}
					seen[sol.Name]++
					if resp.PromptTokens <= 0 || resp.CompletionTokens <= 0 || resp.UsageEstimated || resp.FinishReason != "stop" {
						t.Fatalf("seed %d: usage %+v", seed, resp)
					}
				}
				if len(seen) < 2 {
					t.Errorf("40 seeds gave only %v", seen)
				}
			})
		}
	}
}

func TestSimIsSeeded(t *testing.T) {
	p, _ := builtinProblem(t)
	s := newSim(t, Config{})
	req := llm.Request{Model: "sim/coder-a", Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Temperature: 0.2, Seed: 3}
	a, b := mustChat(t, s, req), mustChat(t, s, req)
	if a.Text != b.Text {
		t.Fatal("the same request got two answers")
	}
	// Seed+Sample is what counts (it is what goes over the wire).
	shifted := req
	shifted.Seed, shifted.Sample = 1, 2
	if mustChat(t, s, shifted).Text != a.Text {
		t.Error("seed 1 sample 2 differs from seed 3 sample 0")
	}
	// The sim's own seed reseeds the team.
	texts := map[string]bool{}
	for seed := int64(0); seed < 30; seed++ {
		texts[mustChat(t, newSim(t, Config{Seed: seed}), req).Text] = true
	}
	if len(texts) < 2 {
		t.Error("30 sim seeds gave one answer")
	}
}

func TestSimLabelsAndRejectsUnknownModels(t *testing.T) {
	s := newSim(t, Config{})
	for _, m := range s.Models() {
		if !strings.HasPrefix(m, "sim/") {
			t.Errorf("model %q is not labelled sim/", m)
		}
	}
	_, err := s.Chat(context.Background(), llm.Request{Model: "gpt-4o", Messages: []llm.Message{{Role: "user", Content: "hi"}}})
	if err == nil || !strings.Contains(err.Error(), "sim/coder-a") {
		t.Fatalf("unknown model: %v", err)
	}
	if _, err := New(Config{Profiles: []Profile{{Model: "coder-x"}}}); err == nil {
		t.Error("a profile not named sim/... was accepted")
	}
}

// miniProblem is a made-up problem of a category with one solution per
// expected class.
func miniProblem(category string) *datasets.Problem {
	fn := "kernel_" + category
	body := func(s string) string { return "void " + fn + "(int* a, int n) {\n" + s + "\n}\n" }
	return &datasets.Problem{
		ID: "mini-" + category, Category: category, Function: fn,
		BaselineCode: body("    for (int i = 0; i < n; ++i) for (int j = 0; j < i; ++j) a[i] += a[j] % 7;"),
		Solutions: []datasets.Solution{
			{Name: "fast", Technique: "prefix sums", Expected: datasets.ExpectFaster, Code: body("    long s = 0; for (int i = 0; i < n; ++i) { long v = a[i]; a[i] += s; s += v % 7; }")},
			{Name: "same", Technique: "loop unrolling", Expected: datasets.ExpectNotFaster, Code: body("    for (int i = 0; i < n; ++i) for (int j = 0; j + 1 < i; j += 2) a[i] += a[j] % 7 + a[j+1] % 7;")},
			{Name: "wrong", Technique: "parallel loop", Expected: datasets.ExpectIncorrect, Code: body("    #pragma omp parallel for\n    for (int i = 0; i < n; ++i) for (int j = 0; j < i; ++j) a[i] += a[j] % 7;")},
			{Name: "broken", Technique: "vectorization", Expected: datasets.ExpectNotCompilable, Code: body("    __m256i x = _mm256_loadu(a);")},
		},
	}
}

func fasterShare(t *testing.T, s *Sim, model string, p *datasets.Problem) float64 {
	t.Helper()
	ch, got, err := s.Distribution(llm.Request{Model: model, Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Temperature: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != p.ID {
		t.Fatalf("recognised %s as %s", p.ID, got.ID)
	}
	sum, f := 0.0, 0.0
	for _, c := range ch {
		sum += c.P
		if c.Expected == datasets.ExpectFaster {
			f += c.P
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("probabilities sum to %g", sum)
	}
	return f
}

func TestSimProfilesAreComplementary(t *testing.T) {
	var ps []*datasets.Problem
	for _, c := range datasets.Categories {
		ps = append(ps, miniProblem(c))
	}
	s := newSim(t, Config{Problems: ps})
	small := []string{"sim/coder-a", "sim/coder-b", "sim/coder-c"}
	best := map[string]int{}
	mean := map[string]float64{}
	for _, p := range ps {
		shares := map[string]float64{}
		top := ""
		for _, m := range append(small, "sim/large") {
			shares[m] = fasterShare(t, s, m, p)
			// With every class present and no evidence, the faster share is
			// the profile's skill: the table in doc.go is the ground truth.
			if prof, _ := s.Profile(m); math.Abs(shares[m]-prof.SkillIn(p.Category)) > 1e-9 {
				t.Errorf("%s in %s: faster share %.4f, skill %.4f", m, p.Category, shares[m], prof.SkillIn(p.Category))
			}
			mean[m] += shares[m] / float64(len(ps))
		}
		for _, m := range small {
			if top == "" || shares[m] > shares[top] {
				top = m
			}
		}
		best[top]++
		if shares[top] <= shares["sim/large"] {
			t.Errorf("%s: the best small agent (%s, %.2f) does not beat sim/large (%.2f)", p.Category, top, shares[top], shares["sim/large"])
		}
	}
	for _, m := range small {
		if best[m] != 4 {
			t.Errorf("%s is the best small agent in %d categories, want 4 (%v)", m, best[m], best)
		}
		if mean[m] >= mean["sim/large"] {
			t.Errorf("%s's mean faster share %.3f is not below sim/large's %.3f", m, mean[m], mean["sim/large"])
		}
	}
}

func TestSimTemperatureWidensChoice(t *testing.T) {
	p := miniProblem("scan")
	s := newSim(t, Config{Problems: []*datasets.Problem{p}})
	maxP := func(temp float64) float64 {
		ch, _, err := s.Distribution(llm.Request{Model: "sim/coder-c", Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Temperature: temp})
		if err != nil {
			t.Fatal(err)
		}
		m := 0.0
		for _, c := range ch {
			m = max(m, c.P)
		}
		return m
	}
	if !(maxP(0) == maxP(0.2) && maxP(0.2) > maxP(1) && maxP(1) > maxP(2)) {
		t.Errorf("max probability at T=0, 0.2, 1, 2: %.3f %.3f %.3f %.3f", maxP(0), maxP(0.2), maxP(1), maxP(2))
	}
	if got := maxP(2); math.Abs(got-1.0/5) > 1e-9 {
		t.Errorf("T=2 is not uniform: max p %.3f", got)
	}
}

// share draws n answers (seeds 1..n) and returns the share whose code uses
// technique.
func share(t *testing.T, s *Sim, p *datasets.Problem, model string, msgs []llm.Message, technique string, n int) float64 {
	t.Helper()
	hits := 0
	for seed := 1; seed <= n; seed++ {
		resp := mustChat(t, s, llm.Request{Model: model, Messages: msgs, Temperature: 0.2, Seed: int64(seed)})
		code, ok := llm.ExtractCode(resp.Text, p.Function)
		if !ok {
			t.Fatalf("no code in %q", resp.Text)
		}
		sol, ok := solutionOf(p, code)
		if !ok {
			t.Fatalf("unknown code %q", code)
		}
		if sol.Technique == technique {
			hits++
		}
	}
	return float64(hits) / float64(n)
}

func TestOutcomeOf(t *testing.T) {
	cases := []struct {
		text  string
		want  outcome
		speed float64
	}{
		{"significantly improves performance (45.30x)", significant, 45.3},
		{"slightly improves performance (marginal) (1.04x)", slight, 1.04},
		{"degrades performance (0.05x)", degrades, 0.05},
		{"compromises code equivalence", notEquivalent, 0},
		{"produces non-compilable code", notCompilable, 0},
		{"Code B does not compile. The compiler says: incorrect type", notCompilable, 0},
		{"runs 2.00x as fast as the original", significant, 2},
		{"made it slower", degrades, 0},
		{"masks with 0x80000000u", noOutcome, 0},
		{"it sped up the loop", significant, 0},
		{"Loop unrolling was tried.", noOutcome, 0},
	}
	for _, c := range cases {
		if k, s := outcomeOf(c.text); k != c.want || math.Abs(s-c.speed) > 1e-9 {
			t.Errorf("outcomeOf(%q) = %v %g, want %v %g", c.text, k, s, c.want, c.speed)
		}
	}
}

func TestSimUserProblemsAndUnknownCode(t *testing.T) {
	p := miniProblem("stencil")
	s := newSim(t, Config{Problems: []*datasets.Problem{p}})
	// Re-indented code is still recognised.
	indented := render(facts{ask: llm.AskOptimize, code: strings.ReplaceAll(p.BaselineCode, "    ", "\t")}, 0)
	resp := mustChat(t, s, indented.request("sim/coder-b", 1))
	code, _ := llm.ExtractCode(resp.Text, p.Function)
	if _, ok := solutionOf(p, code); !ok {
		t.Errorf("re-indented baseline not recognised: %q", resp.Text)
	}
	other := &datasets.Problem{ID: "x", Function: "mystery", BaselineCode: "int mystery(int x) { return x * 3 + 1; }\n"}
	resp = mustChat(t, s, llm.Request{Model: "sim/coder-b", Messages: optimizePrompt(other, ""), Cues: optimizeCues(other), Seed: 1})
	if code, ok := llm.ExtractCode(resp.Text, "mystery"); !ok || code != other.BaselineCode {
		t.Errorf("unknown code: want it echoed, got %q", resp.Text)
	}
	none := &cuePrompt{}
	none.msg("user").mark(llm.AskOptimize, "Make it faster.")
	resp = mustChat(t, s, none.request("sim/coder-b", 1))
	if _, ok := llm.ExtractCode(resp.Text, ""); ok {
		t.Errorf("no code in the prompt, but code in the answer: %q", resp.Text)
	}
}

func TestSimMaxTokensStopAndLatency(t *testing.T) {
	p, _ := builtinProblem(t)
	s := newSim(t, Config{Latency: 30 * time.Millisecond})
	start := time.Now()
	resp := mustChat(t, s, llm.Request{Model: "sim/large", Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), MaxTokens: 12})
	if time.Since(start) < 30*time.Millisecond || resp.Latency < 30*time.Millisecond {
		t.Errorf("latency not injected: %v", time.Since(start))
	}
	if resp.FinishReason != "length" || len(resp.Text) > 48 || resp.CompletionTokens > 12 {
		t.Errorf("max tokens 12: finish %q, %d bytes, %d tokens", resp.FinishReason, len(resp.Text), resp.CompletionTokens)
	}
	resp = mustChat(t, s, llm.Request{Model: "sim/large", Messages: optimizePrompt(p, ""), Cues: optimizeCues(p), Stop: []string{"```"}})
	if strings.Contains(resp.Text, "```") || resp.Text == "" {
		t.Errorf("stop sequence kept: %q", resp.Text)
	}
	// Cancelled long before its latency ends, whatever the machine's load
	// (with both ready, a select may pick either).
	slow := newSim(t, Config{Latency: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	if _, err := slow.Chat(ctx, llm.Request{Model: "sim/large", Messages: optimizePrompt(p, ""), Cues: optimizeCues(p)}); err == nil {
		t.Error("a cancelled call succeeded")
	}
}

func TestSimEmbeddings(t *testing.T) {
	p, sol := builtinProblem(t)
	s := newSim(t, Config{})
	texts := []string{p.BaselineCode, sol.Code, "The weather in Lisbon is mild in spring.", "", p.BaselineCode}
	vs, err := s.Embed(context.Background(), texts)
	if err != nil || len(vs) != len(texts) {
		t.Fatalf("embed: %v, %d vectors", err, len(vs))
	}
	dot := func(a, b []float64) float64 {
		d := 0.0
		for i := range a {
			d += a[i] * b[i]
		}
		return d
	}
	for i, v := range vs {
		if len(v) != EmbedDim {
			t.Fatalf("vector %d has %d dims", i, len(v))
		}
		n := math.Sqrt(dot(v, v))
		if i == 3 && n != 0 || i != 3 && math.Abs(n-1) > 1e-9 {
			t.Errorf("vector %d has norm %g", i, n)
		}
	}
	if dot(vs[0], vs[4]) < 1-1e-12 {
		t.Error("the same text got two vectors")
	}
	if dot(vs[0], vs[1]) <= dot(vs[0], vs[2]) {
		t.Errorf("baseline is no closer to its solution (%.3f) than to prose (%.3f)", dot(vs[0], vs[1]), dot(vs[0], vs[2]))
	}
}

// TestProfileTableMatchesDoc keeps the table in doc.go, the documented
// ground truth, equal to Profiles.
func TestProfileTableMatchesDoc(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	profiles := Profiles()
	rows := 0
	section := ""
	for _, line := range strings.Split(string(doc), "\n") {
		f := strings.Fields(strings.TrimPrefix(line, "//"))
		if len(f) == 5 && (f[0] == "category" || f[0] == "affinity") {
			section = f[0]
			for i, pr := range profiles {
				if f[i+1] != pr.Model {
					t.Fatalf("doc column %d is %s, profile %s", i+1, f[i+1], pr.Model)
				}
			}
			continue
		}
		if len(f) != 5 {
			section = "" // a table ends at its first other line
			continue
		}
		if section == "" {
			continue
		}
		for i, pr := range profiles {
			want, err := strconv.ParseFloat(f[i+1], 64)
			if err != nil {
				t.Fatalf("doc row %q: %v", line, err)
			}
			var got float64
			switch {
			case section == "affinity":
				got = 1
				if a, ok := pr.Affinity[f[0]]; ok {
					got = a
				}
			case f[0] == "other":
				got = pr.DefaultSkill
			default:
				got = pr.SkillIn(f[0])
			}
			if math.Abs(got-want) > 0.001 {
				t.Errorf("doc says %s %s = %s, Profiles has %g", pr.Model, f[0], f[i+1], got)
			}
		}
		rows++
	}
	if rows != len(datasets.Categories)+1+len(Families) {
		t.Errorf("doc.go's tables have %d rows, want %d", rows, len(datasets.Categories)+1+len(Families))
	}
}

// A lesson that retells one rewrite's note is about that rewrite: it moves
// that rewrite's probability, not that of a sibling with the same
// technique name (scan-range-sums has four "prefix sums" rewrites, one
// of them incorrect).
func TestSimLessonAboutOneRewrite(t *testing.T) {
	all, err := datasets.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p, err := datasets.Find(all, "scan-range-sums")
	if err != nil {
		t.Fatal(err)
	}
	s := newSim(t, Config{})
	pOf := func(req llm.Request) map[string]float64 { return requestProbs(t, s, req) }
	var bad, good datasets.Solution
	for _, sol := range p.Solutions {
		switch sol.Name {
		case "int-prefix":
			bad = sol
		case "prefix-sums":
			good = sol
		}
	}
	if bad.Technique != good.Technique {
		t.Fatalf("fixture: %s and %s should share a technique", bad.Name, good.Name)
	}
	lesson := mustChat(t, s, render(facts{ask: llm.AskLesson, code: p.BaselineCode, cands: []shown{{bad.Code, "incorrect"}}}, 0).request("sim/coder-a", 1)).Text
	withLesson := func(text string) llm.Request {
		return render(facts{ask: llm.AskOptimize, code: p.BaselineCode, lessons: []shown{{text, "incorrect"}}}, 0).request("sim/coder-b", 1)
	}
	before := pOf(render(facts{ask: llm.AskOptimize, code: p.BaselineCode}, 0).request("sim/coder-b", 1))
	after := pOf(withLesson(strings.TrimPrefix(lesson, "Lesson: ")))
	if after[bad.Name] >= before[bad.Name]*0.5 {
		t.Errorf("p(%s) %.3f → %.3f after a lesson retelling its failure %q", bad.Name, before[bad.Name], after[bad.Name], lesson)
	}
	if after[good.Name] < before[good.Name] {
		t.Errorf("p(%s) fell %.3f → %.3f after a lesson about its sibling %s", good.Name, before[good.Name], after[good.Name], bad.Name)
	}
	// Naming only the technique still speaks for all of its rewrites.
	generic := pOf(withLesson("Applying prefix sums broke equivalence."))
	if generic[good.Name] >= before[good.Name] {
		t.Errorf("p(%s) %.3f → %.3f after a lesson against its technique", good.Name, before[good.Name], generic[good.Name])
	}
}

// requestProbs is the probability req's model gives each of its choices
// (by solution name).
func requestProbs(t *testing.T, s *Sim, req llm.Request) map[string]float64 {
	t.Helper()
	ch, _, err := s.Distribution(req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, c := range ch {
		out[c.Solution] = c.P
	}
	return out
}
