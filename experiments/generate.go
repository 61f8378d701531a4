package experiments

import (
	"fmt"

	"github.com/lessonlab/lessonl/datasets"
)

// GenDataset is a user-supplied file of generate problems.
type GenDataset struct {
	// Path is HumanEval's or EvalPlus's .jsonl or .jsonl.gz.
	Path string `yaml:"path" json:"path"`
}

// Task is the task kind the dataset block chooses: generate for humaneval
// or mbpp, optimize otherwise.
func (d DatasetSpec) Task() datasets.Task {
	if d.HumanEval != nil || d.MBPP != nil {
		return datasets.TaskGenerate
	}
	return datasets.TaskOptimize
}

// GenProblems loads the generate problems the dataset block names, keeping
// the ones listed in problems and at most limit of them.
func (d DatasetSpec) GenProblems() ([]*datasets.GenProblem, error) {
	var all []*datasets.GenProblem
	var err error
	switch {
	case d.HumanEval != nil:
		all, err = datasets.LoadHumanEval(d.HumanEval.Path)
	case d.MBPP != nil:
		all, err = datasets.LoadMBPP(d.MBPP.Path)
	default:
		return nil, fmt.Errorf("dataset: not a generate dataset")
	}
	if err != nil {
		return nil, err
	}
	keep := all
	if len(d.Problems) > 0 {
		keep = nil
		for _, id := range d.Problems {
			p, err := datasets.FindGen(all, id)
			if err != nil {
				return nil, err
			}
			keep = append(keep, p)
		}
	}
	if d.Limit > 0 && len(keep) > d.Limit {
		keep = keep[:d.Limit]
	}
	return keep, nil
}

// validateGenerate checks a generate dataset block and loads its file, so
// that a wrong path or a malformed line is reported with the spec's line
// and the file's. No strategy runs generate cells yet (they come with the
// kind registry, issue 18 item 3), so a spec that passes these checks
// still fails, saying so, rather than running optimize strategies on
// Python problems.
func (s *Spec) validateGenerate(fail func(field, format string, args ...any)) {
	d := &s.Dataset
	field, src := "dataset.humaneval", d.HumanEval
	if src == nil {
		field, src = "dataset.mbpp", d.MBPP
	}
	switch {
	case d.HumanEval != nil && d.MBPP != nil:
		fail("dataset.mbpp", "give one of humaneval and mbpp per spec")
		return
	case d.Suite != "" || d.Path != "" || d.ParEval != nil:
		fail(field, "a generate dataset stands alone: drop suite, path and pareval")
		return
	case len(d.Categories) > 0:
		fail("dataset.categories", "generate problems have no optimization categories")
		return
	case d.Limit < 0:
		fail("dataset.limit", "must not be negative, got %d", d.Limit)
		return
	case src.Path == "":
		fail(field+".path", "missing: the .jsonl or .jsonl.gz file (HumanEval.jsonl.gz, HumanEvalPlus.jsonl.gz, MbppPlus.jsonl)")
		return
	}
	ps, err := d.GenProblems()
	if err != nil {
		fail(field+".path", "%v", err)
		return
	}
	fail(field, "%d problems load from %s, but no strategy runs the generate task yet (its strategies come with the kind registry); meanwhile use `lessonl datasets check --%s %s` and `lessonl eval --%s %s --problem ID FILE`",
		len(ps), src.Path, field[len("dataset."):], src.Path, field[len("dataset."):], src.Path)
}
