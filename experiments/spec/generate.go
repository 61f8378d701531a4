package spec

import (
	"fmt"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// GenDataset is a user-supplied file of generate problems.
type GenDataset struct {
	// Path is HumanEval's or EvalPlus's .jsonl or .jsonl.gz.
	Path string `yaml:"path" json:"path"`
}

// validateGenerate checks a generate dataset block and loads its file, so
// that a wrong path or a malformed line is reported with the spec's line
// and the file's. The strategies are checked with the rest of the spec:
// each must be a kind that solves generate problems (checkTaskKind).
func (s *Spec) validateGenerate(fail func(field, format string, args ...any)) {
	d := &s.Dataset
	field, src := "dataset.humaneval", d.HumanEval
	if src == nil {
		field, src = "dataset.mbpp", d.MBPP
	}
	if src == nil {
		field, src = "dataset.suite", &GenDataset{Path: datasets.PySuiteName}
	}
	switch {
	case d.HumanEval != nil && d.MBPP != nil:
		fail("dataset.mbpp", "give one of humaneval and mbpp per spec")
		return
	case (d.HumanEval != nil || d.MBPP != nil) && (d.Suite != "" || d.Path != "" || d.ParEval != nil):
		fail(field, "a generate dataset stands alone: drop suite, path and pareval")
		return
	case d.Path != "" || d.ParEval != nil:
		fail("dataset.suite", "the built-in Python suite stands alone: drop path and pareval")
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
	if _, err := d.GenProblems(); err != nil {
		at := field
		if field != "dataset.suite" {
			at += ".path"
		}
		fail(at, "%v", err)
	}
}

// genKeys says whether the block chooses a generate source by the keys
// specs have always used for them (humaneval, mbpp, suite: pysuite, in
// Choice's order) rather than by source:; validateGenerate checks them.
func (d DatasetSpec) genKeys() bool {
	return d.Source == "" && d.ParEval == nil && (d.HumanEval != nil || d.MBPP != nil || d.Suite == datasets.PySuiteName)
}

// taskCategories is the categories trait of the registered task named
// task (datasets.TaskCategories); false when it has none.
func taskCategories(task datasets.Task) (datasets.TaskCategories, bool) {
	t, ok := datasets.LookupTask(string(task))
	if !ok {
		return nil, false
	}
	c, ok := t.(datasets.TaskCategories)
	return c, ok
}

// checkTaskKind says why a kind cannot run a dataset of task, "" when
// it can (the kind's Tasks trait).
func checkTaskKind(k strategy.Kind, task datasets.Task) string {
	if k.Solves(string(task)) {
		return ""
	}
	var ok []string
	for _, x := range strategy.Kinds() {
		if x.Solves(string(task)) {
			ok = append(ok, x.Name)
		}
	}
	what := ""
	if t, ok := datasets.LookupTask(string(task)); ok {
		if d, ok := t.(datasets.TaskDescriber); ok {
			what = " (the dataset is " + d.Describe() + ")"
		}
	}
	return fmt.Sprintf("kind %s does not solve %s problems%s; use one of %s", k.Name, task, what, strings.Join(ok, ", "))
}

// genProblems is the generate dataset as Problems (datasets.AsProblem).
func (s *Spec) genProblems() ([]*datasets.Problem, error) {
	gs, err := s.Dataset.GenProblems()
	if err != nil {
		return nil, err
	}
	out := make([]*datasets.Problem, len(gs))
	for i, g := range gs {
		out[i] = datasets.AsProblem(g)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("dataset: no problems left after the filters")
	}
	return out, nil
}
