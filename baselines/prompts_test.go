package baselines

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

const (
	fixture    = "#include <vector>\nvoid sort_ints(std::vector<int>& a) {\n    for (size_t i = 1; i < a.size(); i++)\n        for (size_t j = i; j > 0 && a[j-1] > a[j]; j--) std::swap(a[j-1], a[j]);\n}\n"
	candA      = "#include <algorithm>\n#include <vector>\nvoid sort_ints(std::vector<int>& a) { std::sort(a.begin(), a.end()); }"
	candB      = "void sort_ints(std::vector<int>& a) { std::stable_sort(a.begin(), a.end()) }"
	compiler   = "cand.cpp:1:75: error: expected ';' before '}' token\n    1 | void sort_ints(std::vector<int>& a) { std::stable_sort(a.begin(), a.end()) }\n      |                                                                           ^\n      |                                                                           ;\nline 5\nline 6\nline 7\nline 8\nline 9"
	plan       = "Replace insertion sort by std::sort."
	algorithm  = "Use library sorts; they are O(n log n)."
	reflection = "The swap-based insertion sort is quadratic; std::sort would be faster."
)

// TestPromptsGolden renders every baseline prompt for one fixture problem
// under both protocols and both modes, compares each with its golden file,
// and checks that the cues mark the right text.
func TestPromptsGolden(t *testing.T) {
	okA := &strategy.Attempt{Code: candA, Status: "correct", Speedup: 41.5, Verdict: strategy.Verdict("correct", 41.5)}
	badB := &strategy.Attempt{Code: candB, Status: "not_compilable", Detail: compiler, Verdict: strategy.Verdict("not_compilable", 0)}
	proposals := []shownProposal{{OK: true, Code: candA, Own: true, Outcome: okA}, {OK: true, Code: candB, Outcome: badB}, {Reply: "I cannot improve it."}}
	known := map[string][]string{
		"code": {fixture}, "candidate": {candA, candB, "(no code)"}, "plan": {plan, algorithm}, "feedback": {reflection, "But the generated code is not compilable.", "CORRECT, speedup: 41.50", "cand.cpp:1:75: error",
			"The code compiles, computes the same results as the original, and runs 41.50x as fast as the original.",
			"The code does not compile. The compiler says:\n```cpp\n" + strategy.FirstLines(compiler, 12) + "\n```"},
		"compiler": {strategy.FirstLines(compiler, 12), strategy.FirstLines(compiler, 6)},
	}
	type tcase struct {
		name, ask string
		data      func(task strategy.Task) any
		paperOnly bool
	}
	cases := []tcase{
		{"optimize", llm.AskOptimize, func(task strategy.Task) any { return taskData{task} }, false},
		{"cot", llm.AskOptimize, func(task strategy.Task) any { return taskData{task} }, false},
		{"vote", llm.AskVote, func(task strategy.Task) any { return map[string]any{"Task": task, "Proposals": proposals} }, false},
		{"debate-revise", llm.AskRevise, func(task strategy.Task) any { return map[string]any{"Task": task, "Proposals": proposals} }, false},
		{"moa-propose", llm.AskAggregate, func(task strategy.Task) any { return map[string]any{"Task": task, "Proposals": proposals[:2]} }, false},
		{"moa-aggregate", llm.AskAggregate, func(task strategy.Task) any { return map[string]any{"Task": task, "Proposals": proposals[:2]} }, false},
		{"moa-refine", llm.AskAggregate, func(task strategy.Task) any { return map[string]any{"Task": task, "Proposals": proposals[:2]} }, true},
		{"reflexion-optimize", llm.AskOptimize, func(task strategy.Task) any { return reflexionData{Task: task} }, false},
		{"reflexion-optimize-again", llm.AskOptimize, func(task strategy.Task) any {
			d := reflexionData{Task: task, Prev: okA, Reflection: reflection, Best: 41.5}
			d.Tag, d.Speedup, d.Pace, d.Log = "CORRECT", "41.50", "significantly faster", "CORRECT, speedup: 41.50"
			return d
		}, false},
		{"reflexion-reflect", llm.AskReflect, func(task strategy.Task) any {
			return reflexionData{Task: task, Prev: okA, Tag: "CORRECT", Speedup: "41.50", Pace: "significantly faster", Log: "CORRECT, speedup: 41.50"}
		}, false},
		{"mapcoder-plan", llm.AskPlan, func(task strategy.Task) any {
			return map[string]any{"Task": task, "Plans": 3, "Example": Exemplar{"Sort an array of doubles.", plan}, "Algorithm": algorithm}
		}, false},
		{"mapcoder-code", llm.AskOptimize, func(task strategy.Task) any { return codeData{Task: task, Plan: plan, Algorithm: algorithm} }, false},
		{"mapcoder-code-debug", llm.AskOptimize, func(task strategy.Task) any {
			return codeData{Task: task, Plan: plan, Algorithm: algorithm, Prev: badB}
		}, false},
		{"mapcoder-retrieve", llm.AskRetrieve, func(task strategy.Task) any { return map[string]any{"Task": task, "K": 3, "KWords": "three (03)"} }, true},
		{"mapcoder-confidence", llm.AskConfidence, func(task strategy.Task) any { return codeData{Task: task, Plan: plan} }, true},
		{"mapcoder-improve", llm.AskOptimize, func(task strategy.Task) any {
			return codeData{Task: task, Plan: plan, Algorithm: algorithm, Prev: badB, Outcome: "But the generated code is not compilable.", Log: "cand.cpp:1:75: error"}
		}, true},
	}
	for _, protocol := range []string{strategy.ProtocolLessonl, strategy.ProtocolPaper} {
		pr := strategy.MustLoadPrompts(promptFS, protocol)
		for _, mode := range []string{"serial", "openmp"} {
			task := strategy.Task{Code: fixture, Function: "sort_ints", OpenMP: mode == "openmp"}
			for _, tc := range cases {
				if tc.paperOnly && protocol != strategy.ProtocolPaper {
					continue
				}
				t.Run(protocol+"/"+mode+"/"+tc.name, func(t *testing.T) {
					tmpl := strings.TrimSuffix(strings.TrimSuffix(tc.name, "-again"), "-debug")
					req, err := pr.Render(tmpl, tc.data(task))
					if err != nil {
						t.Fatal(err)
					}
					strategytest.Golden(t, filepath.Join("testdata", protocol, mode, tc.name+".golden"), req)
					strategytest.CheckCues(t, req, tc.ask, known)
					user := req.Messages[len(req.Messages)-1].Content
					if protocol == strategy.ProtocolPaper {
						if req.Messages[0].Role == "system" && !strings.HasPrefix(tc.name, "moa-refine") {
							t.Error("the authors send no system message")
						}
						isOptimize := tc.ask == llm.AskOptimize && tc.name != "mapcoder-improve"
						if has := strings.Contains(user, "You should use OpenMP to parallelize the code."); isOptimize && has != (mode == "openmp") {
							t.Errorf("OpenMP instruction present %v in %s mode", has, mode)
						}
					}
				})
			}
		}
	}
}
