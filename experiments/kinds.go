package experiments

import (
	"sort"

	"github.com/lessonlab/lessonl/baselines"
	"github.com/lessonlab/lessonl/lessons"
)

// KindInfo describes a strategy kind for validation and planning.
type KindInfo struct {
	// Agents is the exact number of agents the kind takes; 0 means any.
	Agents int
	// Doc says in a line what the kind is.
	Doc string
}

// Kinds are the strategy kinds a spec may name.
var Kinds = map[string]KindInfo{
	"lessonl":   {Doc: "the LessonL framework: agents learn from each other's lessons over rounds"},
	"single":    {Agents: 1, Doc: "one agent, n samples; the best measured one is kept"},
	"cot":       {Agents: 1, Doc: "single with a think-step-by-step instruction"},
	"voting":    {Doc: "every agent proposes, every agent votes; the majority wins without execution feedback"},
	"debate":    {Doc: "agents propose, then revise seeing each other's code for R rounds"},
	"best-of-n": {Doc: "n samples spread over the agents; the best measured correct one wins"},
	"moa":       {Doc: "mixture-of-agents: proposers in layers, then an aggregator"},
	"reflexion": {Agents: 1, Doc: "one agent, R rounds of evaluator feedback and self-reflection"},
	"mapcoder":  {Agents: 1, Doc: "plan, code, debug: P plans with up to D iterations each"},
}

// KindNames lists the kinds, sorted.
func KindNames() []string {
	out := make([]string, 0, len(Kinds))
	for k := range Kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkParams validates a kind's parameters by parsing them as the
// strategy will.
func checkParams(kind string, params map[string]any, agents int) error {
	if kind == "lessonl" {
		_, err := lessons.ParseConfig(params)
		return err
	}
	_, err := baselines.ParseConfig(kind, params)
	return err
}

// costOf estimates a cell's LLM calls and evaluations from its kind.
func costOf(kind string, params map[string]any, agents int) (calls, evals int) {
	if kind == "lessonl" {
		c, _ := lessons.ParseConfig(params)
		return c.Cost(agents)
	}
	c, _ := baselines.ParseConfig(kind, params)
	return c.Cost(agents)
}
