package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/golden"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

const original = "#include <vector>\nvoid sort_ints(std::vector<int>& a) {\n    // insertion sort\n}\n"
const rewrite = "#include <algorithm>\n#include <vector>\nvoid sort_ints(std::vector<int>& a) { std::sort(a.begin(), a.end()); }\n"

// goldenMessages compares msgs, as text, with testdata/name.golden.
func goldenMessages(t *testing.T, name string, msgs []llm.Message) {
	t.Helper()
	got := ""
	for _, m := range msgs {
		got += strings.ToUpper(m.Role) + ":\n" + m.Content + "\n\n"
	}
	got = strings.TrimSuffix(got, "\n")
	golden.Check(t, filepath.Join("testdata", name+".golden"), []byte(got))
}

func TestPromptsGolden(t *testing.T) {
	var b Bank
	shown := []Pick{
		{Lesson: b.Add(Lesson{Kind: Significant, Speedup: 45.3, Text: "Using std::sort instead of\n insertion sort made it O(n log n)."})},
		{Lesson: b.Add(Lesson{Kind: Slight, Speedup: 1.04, Text: "Hoisting a.size() helped a little."})},
		{Lesson: b.Add(Lesson{Kind: Degrades, Speedup: 0.05, Text: "Swapping neighbours costs more than shifting."})},
		{Lesson: b.Add(Lesson{Kind: NotEquivalent, Text: "Sorting up to end()-1 dropped the last element."})},
		{Lesson: b.Add(Lesson{Kind: NotCompilable, Text: "std::execution needs <execution>."})},
	}
	task := strategy.Task{Code: original, Function: "sort_ints"}
	pr := strategy.MustLoadPrompts(promptFS, strategy.ProtocolLessonl)
	OptimizePrompt := func(t strategy.Task, shown []Pick) []llm.Message { return OptimizePrompt(pr, t, shown).Messages }
	LessonPrompt := func(r LessonRequest) []llm.Message { return LessonPrompt(pr, r).Messages }
	tests := []struct {
		name string
		p    []llm.Message
	}{
		{"optimize", OptimizePrompt(task, nil)},
		{"optimize-lessons", OptimizePrompt(task, shown)},
		{"optimize-openmp", OptimizePrompt(strategy.Task{Code: original, Function: "sort_ints", OpenMP: true}, nil)},
		{"lesson-faster", LessonPrompt(LessonRequest{Original: original, Candidate: rewrite, Kind: Significant, Speedup: 45.3})},
		{"lesson-slower", LessonPrompt(LessonRequest{Original: original, Candidate: rewrite, Kind: Degrades, Speedup: 0.5})},
		{"lesson-incorrect", LessonPrompt(LessonRequest{Original: original, Candidate: rewrite, Kind: NotEquivalent})},
		{"lesson-not-compilable", LessonPrompt(LessonRequest{Original: original, Candidate: rewrite, Kind: NotCompilable,
			Compiler: "candidate.cpp:3:10: error: 'execution' is not a member of 'std'\n 3 | std::sort(std::execution::par"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { goldenMessages(t, tt.name, tt.p) })
	}
}

func TestParseLesson(t *testing.T) {
	tests := map[string]string{
		"Lesson: Use std::sort.\n":            "Use std::sort.",
		"Sure! lesson:  Hoist\n the size.":    "Hoist the size.",
		"Blocking helps cache reuse.":         "Blocking helps cache reuse.",
		"  LESSON: avoid copies  \n\n extra ": "avoid copies extra",
	}
	for in, want := range tests {
		if got := ParseLesson(in); got != want {
			t.Errorf("ParseLesson(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPromptsBothProtocols renders the framework's prompts under both
// protocols and both modes, compares them with golden files (messages and
// cues), and checks that the cues mark the right text.
func TestPromptsBothProtocols(t *testing.T) {
	var b Bank
	texts := []string{"Using std::sort instead of insertion sort made it O(n log n).", "Hoisting a.size() helped a little.",
		"Swapping neighbours costs more than shifting.", "Sorting up to end()-1 dropped the last element.", "std::execution needs <execution>."}
	shown := []Pick{
		{Lesson: b.Add(Lesson{Kind: Significant, Speedup: 45.3, Text: texts[0]})},
		{Lesson: b.Add(Lesson{Kind: Slight, Speedup: 1.04, Text: texts[1]})},
		{Lesson: b.Add(Lesson{Kind: Degrades, Speedup: 0.05, Text: texts[2]})},
		{Lesson: b.Add(Lesson{Kind: NotEquivalent, Text: texts[3]})},
		{Lesson: b.Add(Lesson{Kind: NotCompilable, Text: texts[4]})},
	}
	compiler := "candidate.cpp:3:10: error: 'execution' is not a member of 'std'\n 3 | std::sort(std::execution::par\nl3\nl4\nl5\nl6\nl7\nl8"
	known := map[string][]string{"code": {original}, "candidate": {rewrite}, "lesson": texts,
		"compiler": {strategy.FirstLines(compiler, 12), "candidate.cpp:3:10: error: 'execution' is not a member of 'std'\n 3 | std::sort(std::execution::par\nl3\nl4\nl5\nl6\nl7"}}
	for _, protocol := range []string{strategy.ProtocolLessonl, strategy.ProtocolPaper} {
		pr := strategy.MustLoadPrompts(promptFS, protocol)
		for _, mode := range []string{"serial", "openmp"} {
			task := strategy.Task{Code: original, Function: "sort_ints", OpenMP: mode == "openmp"}
			cases := []struct {
				name, ask string
				req       llm.Request
			}{
				{"optimize", llm.AskOptimize, OptimizePrompt(pr, task, nil)},
				{"optimize-lessons", llm.AskOptimize, OptimizePrompt(pr, task, shown)},
				{"lesson-faster", llm.AskLesson, LessonPrompt(pr, LessonRequest{Original: original, Candidate: rewrite, Kind: Significant, Speedup: 45.3})},
				{"lesson-slightly", llm.AskLesson, LessonPrompt(pr, LessonRequest{Original: original, Candidate: rewrite, Kind: Slight, Speedup: 1.05})},
				{"lesson-slower", llm.AskLesson, LessonPrompt(pr, LessonRequest{Original: original, Candidate: rewrite, Kind: Degrades, Speedup: 0.5})},
				{"lesson-incorrect", llm.AskLesson, LessonPrompt(pr, LessonRequest{Original: original, Candidate: rewrite, Kind: NotEquivalent})},
				{"lesson-not-compilable", llm.AskLesson, LessonPrompt(pr, LessonRequest{Original: original, Candidate: rewrite, Kind: NotCompilable, Compiler: compiler})},
			}
			for _, tc := range cases {
				t.Run(protocol+"/"+mode+"/"+tc.name, func(t *testing.T) {
					strategytest.Golden(t, filepath.Join("testdata", protocol, mode, tc.name+".golden"), tc.req)
					strategytest.CheckCues(t, tc.req, tc.ask, known)
					user := tc.req.Messages[len(tc.req.Messages)-1].Content
					if protocol != strategy.ProtocolPaper {
						return
					}
					if len(tc.req.Messages) != 1 {
						t.Error("the authors send one user message, no system message")
					}
					if tc.ask == llm.AskOptimize && strings.Contains(user, "You should use OpenMP to parallelize the code.") != (mode == "openmp") {
						t.Errorf("OpenMP instruction wrong in %s mode", mode)
					}
					if tc.name == "optimize-lessons" {
						for _, w := range []string{"45.3", "1.04", "0.05"} {
							if strings.Contains(user, w) {
								t.Errorf("the authors show no speedups, prompt has %s", w)
							}
						}
						for _, w := range []string{"Code B may not be optimal", "consider other optimization strategies", "only marginal", "significantly improves"} {
							if !strings.Contains(user, w) {
								t.Errorf("prompt lacks %q", w)
							}
						}
					}
					if tc.name == "lesson-not-compilable" && (!strings.Contains(user, "l7") || strings.Contains(user, "l8")) {
						t.Error("the authors show 7 compiler lines")
					}
				})
			}
		}
	}
}

// TestPromptsFolder: a spec's prompts folder replaces templates by name
// and keeps the others; a broken template or a missing folder is an error
// naming the parameter and the file.
func TestPromptsFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lesson.tmpl"), []byte(`{{open "ask/lesson"}}Why is Code B {{.Kind}}?{{close}}
{{cue "candidate" .Candidate}}`), 0o644)
	cfg, err := ParseConfig(map[string]any{"protocol": "paper", "prompts": dir})
	if err != nil {
		t.Fatal(err)
	}
	req := LessonPrompt(cfg.prompts, LessonRequest{Original: original, Candidate: rewrite, Kind: Degrades})
	if got := req.Messages[0].Content; got != "Why is Code B degrades?\n"+rewrite {
		t.Errorf("overridden lesson prompt = %q", got)
	}
	opt := OptimizePrompt(cfg.prompts, strategy.Task{Code: original, Function: "sort_ints"}, nil)
	if !strings.Contains(opt.Messages[0].Content, "You will be given a piece of code") {
		t.Errorf("the paper optimize template was not kept: %q", opt.Messages[0].Content)
	}
	os.WriteFile(filepath.Join(dir, "optimize.tmpl"), []byte(`{{if}}`), 0o644)
	_, err = ParseConfig(map[string]any{"prompts": dir})
	var pe *strategy.ParamError
	if !errors.As(err, &pe) || pe.Key != "prompts" || !strings.Contains(err.Error(), "optimize.tmpl") {
		t.Errorf("broken template: %v, want an error on prompts naming optimize.tmpl", err)
	}
	if _, err := ParseConfig(map[string]any{"prompts": filepath.Join(dir, "nope")}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing folder: %v", err)
	}
}
