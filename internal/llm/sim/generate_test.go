package sim

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/llm"
)

// genRequest is a generate request as the templates mark it: the
// instruction (task/generate and the ask), the prompt, and lessons.
func genRequest(ask string, prompt string, lessons int, seed int64) llm.Request {
	instr := "Implement the function."
	text := instr + "\n\n" + prompt
	cues := []llm.Cue{{Name: llm.CueGenerate, Start: 0, End: len(instr)}, {Name: ask, Start: 0, End: len(instr)},
		{Name: llm.CueGenPrompt, Start: len(instr) + 2, End: len(text)}}
	for i := 0; i < lessons; i++ {
		l := fmt.Sprintf("\nLesson %d: check the edge cases.", i+1)
		cues = append(cues, llm.Cue{Name: llm.CueLesson, Start: len(text) + 1, End: len(text) + len(l)})
		text += l
	}
	return llm.Request{Model: "sim/coder-a", Messages: []llm.Message{{Role: "user", Content: text}}, Cues: cues, Seed: seed}
}

// TestGenAnswersBySkill: on the built-in Python suite the sim answers
// with the problem's correct solution at the rate its skill rule says
// (g without lessons, 1−(1−g)·0.8^m with m lessons shown), else with one
// of its known wrong ones; tests come from the docstring's examples.
func TestGenAnswersBySkill(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := datasets.PySuite()
	if err != nil {
		t.Fatal(err)
	}
	g := Profiles()[0].SkillIn(string(datasets.TaskGenerate))
	for _, m := range []int{0, 3} {
		want := 1 - (1-g)*math.Pow(0.8, float64(m))
		correct, n := 0, 0
		for _, p := range ps {
			for seed := int64(1); seed <= 20; seed++ {
				resp, err := s.Chat(context.Background(), genRequest(llm.AskGenerate, p.Prompt, m, seed))
				if err != nil {
					t.Fatal(err)
				}
				known := false
				for _, sol := range p.Solutions {
					if strings.Contains(resp.Text, strings.TrimRight(sol.Code, "\n")) {
						known = true
						if sol.Pass {
							correct++
						}
						break
					}
				}
				if !known {
					t.Fatalf("%s: answer is none of the known solutions:\n%s", p.ID, resp.Text)
				}
				n++
			}
		}
		got := float64(correct) / float64(n)
		// 480 draws: 4 standard errors is about 0.09.
		if math.Abs(got-want) > 0.09 {
			t.Errorf("%d lessons: correct share %.3f, want %.3f (skill rule)", m, got, want)
		}
	}
	median, _ := datasets.FindGen(ps, "median")
	resp, err := s.Chat(context.Background(), genRequest(llm.AskTests, median.Prompt, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.Text, "assert median([3, 1, 2]) ") || !strings.Contains(resp.Text, "assert median([4, 1, 3, 2]) ") {
		t.Errorf("tests for median:\n%s", resp.Text)
	}
}

// TestAnswersByTaskCue: the sim picks its writer by the task the
// request's cue names (llm.CueTask+NAME) and reads the agent's skill in
// that task's category; a request cued for a task it writes nothing for
// gets a sentence saying so, never another task's answer.
func TestAnswersByTaskCue(t *testing.T) {
	s, err := New(Config{Profiles: []Profile{{Model: "sim/coder-a", DefaultSkill: 0.1, Skill: map[string]float64{string(datasets.TaskGenerate): 0.83}}}})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := datasets.PySuite()
	if err != nil {
		t.Fatal(err)
	}
	req := genRequest(llm.AskConfidence, ps[0].Prompt, 0, 1)
	for _, tt := range []struct{ cue, want string }{
		{llm.CueGenerate, "Confidence: 83"},
		{llm.CueTask + "tokens", "The simulator writes no answers for task tokens, so it cannot answer. (sim: unknown task tokens)"},
	} {
		req.Cues[0].Name = tt.cue
		resp, err := s.Chat(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Text != tt.want {
			t.Errorf("cue %s: %q, want %q", tt.cue, resp.Text, tt.want)
		}
	}
}
