package spec

import (
	_ "github.com/lessonlab/lessonl/baselines"
	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/strategy"
	_ "github.com/lessonlab/lessonl/lessons"
)

// KindNames lists the registered strategy kinds, sorted.
func KindNames() []string { return strategy.KindNames() }

// checkParams validates a kind's parameters by parsing them as the
// strategy will.
func checkParams(kind string, params map[string]any) error {
	_, err := strategy.ParseKind(kind, params)
	return err
}

// CostOf estimates a cell's LLM calls and evaluations from its kind, for
// the dataset's task. An evaluation is a candidate with code judged, as a
// cell's recorded evaluations and the run's progress count them: on
// generate, a candidate's run on its strategy's generated tests and its
// run on the hidden tests are one evaluation (strategy.Config.Cost).
func CostOf(kind string, params map[string]any, agents int, task datasets.Task) (calls, evals int) {
	p, err := strategy.ParseKind(kind, params)
	if err != nil {
		return 0, 0
	}
	return p.Config.Cost(string(task), agents)
}
