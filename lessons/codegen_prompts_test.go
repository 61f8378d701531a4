package lessons

import (
	"strings"
	"testing"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

const genPrompt = "from typing import List\n\n\ndef median(xs: List[float]) -> float:\n    \"\"\"Return the median.\n    >>> median([3, 1, 2])\n    2\n    \"\"\"\n"

// TestGenPromptsGolden renders the code-gen prompts (tests, code with and
// without lessons, lesson) in both protocols: golden files under
// testdata/generate/<protocol>/, every request marked as a generate
// request with one ask, and the prompt or candidate where the sim reads.
func TestGenPromptsGolden(t *testing.T) {
	task := strategy.GenTask{Prompt: genPrompt, EntryPoint: "median"}
	lessons := []GenLessonView{
		{N: 1, Text: "It takes the upper middle for even lengths.", Passed: 4, Total: 6, Verdict: "failed 4/6"},
		{N: 2, Text: "It forgets to sort.", Passed: 1, Total: 6, Verdict: "failed 1/6"},
	}
	wrong := "def median(xs):\n    return sorted(xs)[len(xs) // 2]\n"
	for _, protocol := range []string{strategy.ProtocolPaper, strategy.ProtocolLessonl} {
		pr := strategy.MustLoadPrompts(promptFS, protocol)
		code := func(ls []GenLessonView) llm.Request {
			return pr.MustRender("gen-code", struct {
				Task    strategy.GenTask
				Lessons []GenLessonView
			}{task, ls})
		}
		tests := []struct {
			name, ask, cue, text string
			req                  llm.Request
		}{
			{"gen-tests", llm.AskTests, llm.CueGenPrompt, strings.TrimRight(genPrompt, "\n"), pr.MustRender("gen-tests", task)},
			{"gen-code", llm.AskGenerate, llm.CueGenPrompt, strings.TrimRight(genPrompt, "\n"), code(nil)},
			{"gen-code-lessons", llm.AskGenerate, llm.CueLesson, lessons[1].Text, code(lessons)},
			{"gen-lesson", llm.AskLesson, llm.CueCandidate, strings.TrimRight(wrong, "\n"), pr.MustRender("gen-lesson", struct {
				Code                  string
				Passed, Total, Failed int
				Verdict               string
			}{wrong, 4, 6, 2, "failed 4/6"})},
		}
		for _, tt := range tests {
			t.Run(protocol+"/"+tt.name, func(t *testing.T) {
				goldenMessages(t, "generate/"+protocol+"/"+tt.name, tt.req.Messages)
				asks, gen, found := 0, false, false
				for _, c := range tt.req.Cues {
					txt := strings.TrimSpace(c.Text(tt.req.Messages))
					switch {
					case strings.HasPrefix(c.Name, "ask/"):
						asks++
						if c.Name != tt.ask {
							t.Errorf("ask cue %s, want %s", c.Name, tt.ask)
						}
					case c.Name == llm.CueGenerate:
						gen = true
					}
					if c.Name == tt.cue && txt == tt.text {
						found = true
					}
				}
				if asks != 1 || !gen || !found {
					t.Errorf("cues %+v: %d asks, generate mark %v, %s cue holding %q: %v", tt.req.Cues, asks, gen, tt.cue, tt.text, found)
				}
				if tt.name == "gen-lesson" && strings.Contains(tt.req.Messages[len(tt.req.Messages)-1].Content, "\"\"\"Return the median") {
					t.Error("the lesson prompt shows the original prompt; the authors show the code alone")
				}
			})
		}
	}
}
