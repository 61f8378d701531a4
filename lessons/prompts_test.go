package lessons

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

var update = flag.Bool("update", false, "rewrite golden files")

const original = "#include <vector>\nvoid sort_ints(std::vector<int>& a) {\n    // insertion sort\n}\n"
const rewrite = "#include <algorithm>\n#include <vector>\nvoid sort_ints(std::vector<int>& a) { std::sort(a.begin(), a.end()); }\n"

func golden(t *testing.T, name string, msgs []llm.Message) {
	t.Helper()
	got := ""
	for _, m := range msgs {
		got += strings.ToUpper(m.Role) + ":\n" + m.Content + "\n\n"
	}
	got = strings.TrimSuffix(got, "\n")
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s changed; if on purpose, run go test -update:\n%s", path, got)
	}
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
		t.Run(tt.name, func(t *testing.T) { golden(t, tt.name, tt.p) })
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
