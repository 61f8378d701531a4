package spec

import (
	"fmt"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
)

// Choice is the registered source the dataset block chooses and the
// settings it gives it, the evaluation mode among them: source: NAME with
// path: and options:, or one of the keys specs have always used for the
// sources lessonl ships (pareval, humaneval, mbpp, suite: pysuite, path,
// else the built-in suite).
func (d DatasetSpec) Choice(mode string) (*datasets.Source, datasets.Settings, error) {
	name, set := datasets.SourceBuiltin, datasets.Settings{Mode: mode}
	switch {
	case d.Source != "":
		name, set.Path, set.Options = d.Source, d.Path, d.Options
	case d.ParEval != nil:
		name, set.Path = datasets.SourceParEval, d.ParEval.Root
		set.Options = map[string]any{"suite": d.ParEval.Suite, "faithful": d.ParEval.Faithful}
	case d.HumanEval != nil:
		name, set.Path = datasets.SourceHumanEval, d.HumanEval.Path
	case d.MBPP != nil:
		name, set.Path = datasets.SourceMBPP, d.MBPP.Path
	case d.Suite == datasets.PySuiteName:
		name = datasets.PySuiteName
	case d.Path != "":
		name, set.Path = datasets.SourcePath, d.Path
	}
	src, ok := datasets.LookupSource(name)
	if !ok {
		return nil, set, &SpecError{File: "spec", Field: "dataset.source", Msg: unknownName("dataset source", name, datasets.SourceNames(), "")}
	}
	return src, set, nil
}

// Task is the task of the problems the dataset block chooses: its
// source's (the default task when the source is unknown, which
// validation reports).
func (d DatasetSpec) Task() datasets.Task {
	src, _, err := d.Choice("")
	if err != nil {
		return datasets.DefaultTask
	}
	return src.Task
}

// GenProblems loads the generate problems the dataset block names, keeping
// the ones listed in problems and at most limit of them.
func (d DatasetSpec) GenProblems() ([]*datasets.GenProblem, error) {
	src, set, err := d.Choice("")
	if err != nil {
		return nil, err
	}
	if src.LoadGen == nil {
		return nil, fmt.Errorf("dataset: not a generate dataset")
	}
	all, err := src.LoadGen(set)
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

// validateSource checks a dataset block that names its source (source:):
// a registered one, standing alone, given only options it has.
func (s *Spec) validateSource(fail func(field, format string, args ...any)) {
	d := &s.Dataset
	if d.Suite != "" || d.ParEval != nil || d.HumanEval != nil || d.MBPP != nil {
		fail("dataset.source", "a named source stands alone: drop suite, pareval, humaneval and mbpp (its file or folder goes in path:, its settings in options:)")
		return
	}
	src, ok := datasets.LookupSource(d.Source)
	if !ok {
		fail("dataset.source", "%s", unknownName("dataset source", d.Source, datasets.SourceNames(), ""))
		return
	}
	for _, k := range sortedKeys(d.Options) {
		o, ok := src.Option(k)
		if !ok {
			names := make([]string, len(src.Options))
			for i, o := range src.Options {
				names[i] = o.Name
			}
			have := strings.Join(names, ", ")
			if have == "" {
				have = "none"
			}
			fail("dataset.options."+k, "source %s has no option %q (its options: %s)", src.Name, k, have)
			continue
		}
		_, isBool := d.Options[k].(bool)
		_, isString := d.Options[k].(string)
		switch {
		case o.Bool && !isBool:
			fail("dataset.options."+k, "source %s's option %s is a switch: true or false", src.Name, k)
		case !o.Bool && !isString:
			fail("dataset.options."+k, "source %s's option %s is a string", src.Name, k)
		}
	}
	if _, ok := datasets.LookupTask(string(src.Task)); !ok {
		fail("dataset.source", "source %s serves task %q, which no package registered (registered: %s)", src.Name, src.Task, strings.Join(datasets.TaskNames(), ", "))
		return
	}
	if cats, ok := taskCategories(src.Task); ok && len(cats.Categories()) == 0 && len(d.Categories) > 0 {
		fail("dataset.categories", "%s problems have no optimization categories", src.Task)
	}
	if src.LoadGen == nil {
		return
	}
	// A source of generate problems (LoadGen) is loaded now, as
	// validateGenerate does, so that a wrong file is reported with the
	// spec's line.
	if _, err := d.GenProblems(); err != nil {
		fail("dataset.path", "%v", err)
	}
}
