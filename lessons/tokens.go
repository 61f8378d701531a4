package lessons

import (
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// PromptTokens estimates the prompts of one agent's round on task, as the
// planner needs them: the rewrite prompt with no lesson shown (round 0),
// and the lesson prompt for a rewrite as long as the original. Both are
// the configured templates rendered, counted as llm.EstimatePromptTokens
// counts.
func (c Config) PromptTokens(task strategy.Task) (optimize, lesson int) {
	if c.prompts == nil {
		return 0, 0
	}
	opt := OptimizePrompt(c.prompts, task, nil)
	les := LessonPrompt(c.prompts, LessonRequest{Original: task.Code, Candidate: task.Code, Kind: Significant, Speedup: 1.5})
	return llm.EstimatePromptTokens(opt.Messages), llm.EstimatePromptTokens(les.Messages)
}
