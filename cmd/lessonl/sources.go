package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lessonlab/lessonl/datasets"
)

// sourceFlags choose where problems come from, of the optimize task or
// of any other registered task whose source loads Problems: each such
// source's flag and its options (--dir, --pareval with --suite and
// --faithful); none is the built-in suite. They are made when a command
// is, so that a source registered by then (by a test, too) has its flag.
func sourceFlags() []cli.Flag {
	return sourceFlagsOf(func(s *datasets.Source) bool { return !loadsGen(s) })
}

// genFlags choose the sources that load generate problems (loadsGen:
// --humaneval, --mbpp, --pysuite), plus known solutions to check. Any of
// them switches a datasets or eval command from C++ optimization to
// Python generation.
func genFlags() []cli.Flag {
	return append(sourceFlagsOf(loadsGen),
		&cli.StringFlag{Name: "solutions", Usage: "generate task: add known solutions from this .jsonl (task_id, name, pass, completion or solution)"})
}

// sourceFlagsOf are the flags of the registered sources keep keeps, each
// source's flag followed by its options, in the order the sources were
// registered.
func sourceFlagsOf(keep func(*datasets.Source) bool) []cli.Flag {
	var out []cli.Flag
	seen := map[string]bool{}
	add := func(name, usage, value string, isBool bool) {
		if seen[name] {
			return
		}
		seen[name] = true
		if isBool {
			out = append(out, &cli.BoolFlag{Name: name, Usage: usage})
		} else {
			out = append(out, &cli.StringFlag{Name: name, Value: value, Usage: usage})
		}
	}
	for _, s := range datasets.Sources() {
		if s.Flag == "" || !keep(s) {
			continue
		}
		add(s.Flag, s.Usage, "", s.Switch)
		for _, o := range s.Options {
			add(o.Name, o.Usage, o.Default, o.Bool)
		}
	}
	return out
}

// givenSources are the registered sources whose flags the command was
// given.
func givenSources(c *cli.Context) []*datasets.Source {
	var out []*datasets.Source
	for _, s := range datasets.Sources() {
		if s.Flag != "" && (s.Switch && c.Bool(s.Flag) || !s.Switch && c.String(s.Flag) != "") {
			out = append(out, s)
		}
	}
	return out
}

// loadsGen says whether s loads generate problems (Source.LoadGen), which
// the generate commands (generate.go) take.
func loadsGen(s *datasets.Source) bool { return s.LoadGen != nil }

// isGenerate reports whether the command was given a source of generate
// problems (loadsGen).
func isGenerate(c *cli.Context) bool {
	return slices.ContainsFunc(givenSources(c), loadsGen)
}

// chosenSource is the one source the command's flags name (the source
// named def when they name none) and its settings from the flags.
func chosenSource(c *cli.Context, def string) (*datasets.Source, datasets.Settings, error) {
	set := datasets.Settings{Mode: c.String("mode"), Options: map[string]any{}}
	given := givenSources(c)
	if len(given) > 1 {
		flags := make([]string, len(given))
		for i, s := range given {
			flags[i] = "--" + s.Flag
		}
		last := len(flags) - 1
		return nil, set, fmt.Errorf("%s and %s name different sources; give one", strings.Join(flags[:last], ", "), flags[last])
	}
	var src *datasets.Source
	if len(given) == 1 {
		src = given[0]
	} else if s, ok := datasets.LookupSource(def); ok {
		src = s
	} else {
		return nil, set, fmt.Errorf("no dataset source %q", def)
	}
	if src.Flag != "" && !src.Switch {
		set.Path = c.String(src.Flag)
	}
	for _, o := range src.Options {
		if o.Bool {
			set.Options[o.Name] = c.Bool(o.Name)
		} else {
			set.Options[o.Name] = c.String(o.Name)
		}
	}
	return src, set, nil
}

// loadProblems loads the problems of the source the flags choose, the
// built-in suite when they choose none.
func loadProblems(c *cli.Context) ([]*datasets.Problem, error) {
	src, set, err := chosenSource(c, datasets.SourceBuiltin)
	if err != nil {
		return nil, err
	}
	return src.Problems(set)
}

// loadCxxProblems is loadProblems for the commands that evaluate C++
// (datasets check, eval, bench): it refuses a source of another task
// (cxxSource).
func loadCxxProblems(c *cli.Context) ([]*datasets.Problem, error) {
	src, set, err := chosenSource(c, datasets.SourceBuiltin)
	if err != nil {
		return nil, err
	}
	if err := cxxSource(src); err != nil {
		return nil, err
	}
	return src.Problems(set)
}

// cxxSource refuses a source whose problems the C++ evaluator cannot
// judge: those of a task other than optimize (generate sources take the
// commands' generate path before), which only a run scores, by their
// task's registered value.
func cxxSource(src *datasets.Source) error {
	if src.Task == datasets.TaskOptimize {
		return nil
	}
	return fmt.Errorf("source %s serves %s problems, which a run scores by their task; this command evaluates C++ (optimize) problems", src.Name, src.Task)
}

// loadGenProblems loads the one generate source given (the built-in
// Python suite when none is), plus any known solutions.
func loadGenProblems(c *cli.Context) ([]*datasets.GenProblem, error) {
	src, set, err := chosenSource(c, datasets.PySuiteName)
	if err != nil {
		return nil, err
	}
	if src.LoadGen == nil {
		return nil, fmt.Errorf("--%s names %s problems, not generate ones", src.Flag, src.Task)
	}
	ps, err := src.LoadGen(set)
	if err != nil {
		return nil, err
	}
	if f := c.String("solutions"); f != "" {
		if err := datasets.AddGenSolutions(ps, f); err != nil {
			return nil, err
		}
	}
	return ps, nil
}
