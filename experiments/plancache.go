package experiments

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// round0Free are the lessonl parameters that round 0 does not read: its
// prompts show no lesson yet, so variants that differ only in these send
// the same round-0 requests.
var round0Free = map[string]bool{"rounds": true, "k": true, "selection": true, "relevance": true, "adjustment": true,
	"epsilon": true, "lesson_temperature": true, "lesson_frequency_penalty": true, "lesson_max_tokens": true, "base": true}

// SharedRound0 returns, by cell key, how many of a cell's evaluations an
// earlier cell of the plan makes first: LessonL cells of one problem,
// seed and agents whose parameters differ only where round 0 does not
// look (k, selection, relevance, adjustment, rounds, ...) send the same
// round-0 requests (the same prompts, the same derived seeds), so, when
// the models answer identical requests alike, they get the same code,
// which the evaluator evaluates once and each later cell reuses. It is
// what a matrix's ablation of selection saves at least; identical code
// met elsewhere (another strategy, a later round) adds more. Nothing is
// shared when evaluations are fresh (evaluation.fresh, or protocol paper,
// whose LessonL evaluates every submission).
func SharedRound0(s *spec.Spec, cells []spec.Cell) map[string]int {
	out := map[string]int{}
	if s.Evaluation.Fresh || s.Dataset.Task() == datasets.TaskGenerate {
		return out
	}
	seen := map[string]bool{}
	for _, c := range cells {
		if c.Kind != "lessonl" {
			continue
		}
		p, err := strategy.ParseKind(c.Kind, c.Params)
		if err != nil || p.Common.Protocol == strategy.ProtocolPaper {
			continue
		}
		rest := map[string]any{}
		for k, v := range c.Params {
			if !round0Free[k] {
				rest[k] = v
			}
		}
		params, _ := json.Marshal(rest)
		key := strings.Join([]string{c.Problem, strconv.FormatInt(c.Seed, 10), strings.Join(c.Agents, ","), string(params)}, "\x00")
		if seen[key] {
			out[c.Key()] = len(c.Agents)
		}
		seen[key] = true
	}
	return out
}

// NodeHours is the wall time, in hours, of the plan's evaluations on n
// nodes that each evaluate one candidate at a time at h's rate: the most
// loaded of the n shards that spec.AssignShards makes (as `lessonl slurm`
// does), each cell's evaluations less those it shares (SharedRound0,
// assuming the nodes share the evaluation cache's folder).
func NodeHours(s *spec.Spec, plan Plan, h *History, n int) float64 {
	if h == nil || n < 1 {
		return 0
	}
	task := s.Dataset.Task()
	shards := spec.AssignShards(plan.Cells, n, task)
	shared := SharedRound0(s, plan.Cells)
	load := make([]float64, n+1)
	for _, c := range plan.Cells {
		_, evals := spec.CostOf(c.Kind, c.Params, len(c.Agents), task)
		sec, ok := h.EvalSeconds[c.Problem]
		if !ok {
			sec = h.EvalSeconds[""]
		}
		load[shards[c.Key()]] += float64(max(0, evals-shared[c.Key()])) * sec
	}
	var most float64
	for _, l := range load {
		most = max(most, l)
	}
	return most / 3600
}
