package experiments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/lessons"
)

func TestOverridesApply(t *testing.T) {
	cases := []struct {
		name       string
		o          spec.Overrides
		strategies []string
		seeds      []int64
		matrix     []string
		limit      int
		err        string
	}{
		{name: "nothing", strategies: []string{"ll", "vote", "one"}, seeds: []int64{1, 2, 3}, matrix: []string{"ll"}},
		{name: "strategies drop the others' matrix", o: spec.Overrides{Strategies: []string{"vote", "one"}}, strategies: []string{"vote", "one"}, seeds: []int64{1, 2, 3}},
		{name: "seeds and limit", o: spec.Overrides{Seeds: []int64{7}, Limit: 1}, strategies: []string{"ll", "vote", "one"}, seeds: []int64{7}, matrix: []string{"ll"}, limit: 1},
		{name: "unknown strategy", o: spec.Overrides{Strategies: []string{"vot"}}, err: "--strategies: no strategy \"vot\"; did you mean \"vote\"? The strategies are:\n  ll\n  one\n  vote"},
		{name: "seed twice", o: spec.Overrides{Seeds: []int64{1, 1}}, err: "--seeds: seed 1 appears twice"},
		{name: "negative limit", o: spec.Overrides{Limit: -1}, err: "--limit: must not be negative"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := parseFake(t)
			err := s.Apply(c.o)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, st := range s.Strategies {
				names = append(names, st.Name)
			}
			var matrix []string
			for k := range s.Matrix {
				matrix = append(matrix, k)
			}
			if !reflect.DeepEqual(names, c.strategies) || !reflect.DeepEqual(s.Seeds, c.seeds) || !reflect.DeepEqual(matrix, c.matrix) || s.Dataset.Limit != max(c.limit, 1) {
				t.Errorf("strategies %v, seeds %v, matrix %v, limit %d", names, s.Seeds, matrix, s.Dataset.Limit)
			}
		})
	}
}

// TestRunOverrides runs a spec narrowed from the command line: one
// strategy, one problem, one seed; the manifest says so and its spec hash
// differs from the file's.
func TestRunOverrides(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	sp := miniSpec(t, simURL(t), fourStrategies, "[1, 2]")
	out := filepath.Join(t.TempDir(), "run")
	o := spec.Overrides{Problems: []string{"sort-insertion"}, Seeds: []int64{2}, Strategies: []string{"single"}}
	sum, _, err := Execute(context.Background(), sp, out, Options{Overrides: o}, "test")
	if err != nil || sum.Cells != 1 || sum.Ran != 1 || sum.Failed != 0 {
		t.Fatalf("summary %+v, %v; want the one cell", sum, err)
	}
	cells, _ := record.Read[record.Cell](out, record.TableCells)
	if len(cells) != 1 || cells[0].Strategy != "single" || cells[0].ProblemID != "sort-insertion" || cells[0].Seed != 2 {
		t.Errorf("cells %+v", cells)
	}
	m, err := record.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"--problems sort-insertion", "--seeds 2", "--strategies single"}
	raw, _ := os.ReadFile(sp)
	h := sha256.Sum256(raw)
	if !reflect.DeepEqual(m.Overrides, want) || m.SpecHash == hex.EncodeToString(h[:]) || m.Cells != 1 {
		t.Errorf("manifest overrides %v, spec hash %.12s (file's %.12x), cells %d", m.Overrides, m.SpecHash, h, m.Cells)
	}
	// The run is a history for plan --from: its tokens per call and its
	// evaluation time.
	hist, err := ReadHistory(out)
	if h := hist; err != nil || h.PromptTokens["single"] <= 0 || h.CompletionTokens["single"] <= 0 || h.EvalSeconds["sort-insertion"] <= 0 || h.EvalSeconds[""] != h.EvalSeconds["sort-insertion"] {
		t.Errorf("history %+v, %v", hist, err)
	}
	// A resume must repeat the overrides: without them it is another spec.
	if _, _, err := Execute(context.Background(), sp, out, Options{Resume: true}, "test"); err == nil || !strings.Contains(err.Error(), "another spec") {
		t.Errorf("resume without the overrides: %v", err)
	}
	if sum, _, err := Execute(context.Background(), sp, out, Options{Resume: true, Overrides: o}, "test"); err != nil || sum.Skipped != 1 {
		t.Errorf("resume with the overrides: %+v, %v", sum, err)
	}
}

func TestPlanCosts(t *testing.T) {
	text := strings.Replace(fakeSpec, "{name: b, provider: sim, model: sim/coder-b}",
		"{name: b, provider: sim, model: sim/coder-b, price: {input_per_mtok: 2, output_per_mtok: 10}}", 1)
	s, err := spec.Parse("fake.yaml", []byte(text), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.Problems()
	if err != nil {
		t.Fatal(err)
	}
	h := &History{PromptTokens: map[string]float64{"vote": 1000}, CompletionTokens: map[string]float64{"vote": 500},
		EvalSeconds: map[string]float64{"": 36}}
	plan := MakePlan(s, ps)
	Costs(s, &plan, ps, h)
	for _, e := range plan.Estimates {
		switch e.Strategy {
		case "vote": // agents a (free) and b (priced): half the calls cost
			if e.PromptTokens != 1000*e.LLMCalls || e.CompletionTokens != 500*e.LLMCalls {
				t.Errorf("vote tokens %d/%d for %d calls", e.PromptTokens, e.CompletionTokens, e.LLMCalls)
			}
			want := float64(e.LLMCalls) / 2 * (1000*2 + 500*10) / 1e6
			if !e.Priced || math.Abs(e.Dollars-want) > 1e-9 {
				t.Errorf("vote dollars %g, want %g", e.Dollars, want)
			}
		case "one": // agent a only: no price
			if e.Priced || e.Dollars != 0 || e.PromptTokens == 0 {
				t.Errorf("one: %+v", e)
			}
		}
		// LessonL's k=2 variant reuses the k=1 variant's round 0 (two
		// agents, three seeds); what is reused costs no time.
		if want := map[string]int{"k=2": 6}[e.Variant]; e.CacheHits != want {
			t.Errorf("%s %s: %d cache hits expected, want %d", e.Strategy, e.Variant, e.CacheHits, want)
		}
		if want := float64(e.Evaluations-e.CacheHits) * 36 / 3600; math.Abs(e.EvalHours-want) > 1e-9 {
			t.Errorf("%s: %g evaluation hours, want %g", e.Strategy, e.EvalHours, want)
		}
	}
}

// TestPlanTokensFollowLessonL: LessonL's token estimate grows with k
// (until the bank holds fewer lessons than k), with rounds and with
// agents, and equals the rendered prompts' sizes in round 0; with a
// history it takes the measured replies' sizes.
func TestPlanTokensFollowLessonL(t *testing.T) {
	est := func(params string, agents string, h *History) Estimate {
		t.Helper()
		text := fmt.Sprintf(`name: tok
dataset: {suite: codeopt, problems: [sort-insertion]}
agents:
  - {name: a, provider: sim, model: sim/coder-a}
  - {name: b, provider: sim, model: sim/coder-b}
  - {name: c, provider: sim, model: sim/coder-c}
strategies:
  - {name: lessonl, kind: lessonl, agents: [%s], params: %s}
seeds: [1]
`, agents, params)
		s, err := spec.Parse("tok.yaml", []byte(text), func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatal(err)
		}
		ps, err := s.Problems()
		if err != nil {
			t.Fatal(err)
		}
		plan := MakePlan(s, ps)
		Costs(s, &plan, ps, h)
		return plan.Estimates[0]
	}
	in := func(params, agents string) int { return est(params, agents, nil).PromptTokens }
	k1, k2, k4, k8 := in("{k: 1}", "a, b, c"), in("{k: 2}", "a, b, c"), in("{k: 4}", "a, b, c"), in("{k: 8}", "a, b, c")
	if !(k1 < k2 && k2 < k4 && k4 < k8) {
		t.Errorf("prompt tokens for k = 1, 2, 4, 8: %d %d %d %d; want growing", k1, k2, k4, k8)
	}
	// Four rounds of three agents bank 3, 6, 9 lessons before rounds 1-3:
	// k = 9 and k = 20 show the same.
	if a, b := in("{k: 9}", "a, b, c"), in("{k: 20}", "a, b, c"); a != b {
		t.Errorf("k = 9 and k = 20 with at most 9 lessons banked: %d vs %d", a, b)
	}
	if r2, r4 := in("{rounds: 2}", "a, b, c"), in("{rounds: 4}", "a, b, c"); r2 >= r4 {
		t.Errorf("rounds 2: %d, rounds 4: %d", r2, r4)
	}
	if a2, a3 := in("{}", "a, b"), in("{}", "a, b, c"); a2 >= a3 {
		t.Errorf("2 agents: %d, 3 agents: %d", a2, a3)
	}
	// Round 0 alone is each agent's rendered prompts, nothing shown.
	ps, _ := datasets.Builtin()
	p, _ := datasets.Find(ps, "sort-insertion")
	pk, _ := strategy.ParseKind("lessonl", map[string]any{})
	o, l := pk.Config.(lessons.Config).PromptTokens(strategy.Task{Code: p.BaselineCode, Function: p.Function})
	if got := in("{rounds: 1}", "a, b, c"); o == 0 || got != 3*(o+l) {
		t.Errorf("one round: %d prompt tokens, want 3 × (%d + %d)", got, o, l)
	}
	// A history gives the replies' sizes (the models'); the prompts stay
	// rendered (ours). Two rounds, k = 2: round 1 shows 2 lessons of a
	// 50-token reply + 20.
	h := &History{PromptTokens: map[string]float64{"lessonl": 1}, CompletionTokens: map[string]float64{"lessonl": 1},
		Calls: map[string]CallTokens{"lessonl|optimize|0": {500, 300}, "lessonl|optimize": {700, 300}, "lessonl|lesson": {900, 50}}}
	e := est("{rounds: 2, k: 2}", "a, b, c", h)
	if want := 3*(o+l) + 3*(o+2*70+l); e.PromptTokens != want || e.CompletionTokens != 2*3*(300+50) {
		t.Errorf("from history: %d/%d tokens, want %d/%d", e.PromptTokens, e.CompletionTokens, want, 2*3*(300+50))
	}
}
