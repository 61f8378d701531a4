package datasets

import (
	"fmt"
	"slices"
	"sync"
)

// A Source is one place problems come from: the built-in suites, a folder
// of problems, the paper's ParEval-PolyBench checkout, HumanEval and MBPP+
// files. Each registers itself once (RegisterSource, in the file that
// loads it), and everything that chooses or names a source asks the
// registry: the experiment spec (dataset: {source: NAME}), the CLI's
// flags, the run folder's records (the problems table's source, the
// manifest's dataset) and the generate report's columns. A new source is
// then one file and a test.
type Source struct {
	// Name names the source in a spec (dataset: {source: NAME}), in the
	// run's records and in messages.
	Name string
	// Task is the task its problems serve.
	Task Task
	// Usage says in a few words what the source reads: the help of its
	// flag.
	Usage string
	// Flag is the CLI flag that chooses it ("" for none). With Switch the
	// flag is a switch (--pysuite); else it takes the file or folder the
	// source reads (--humaneval FILE), which becomes Settings.Path.
	Flag   string
	Switch bool
	// Options are the source's own settings: a spec gives them under
	// options:, the CLI as flags of the same names.
	Options []Option
	// Load loads every problem of an optimize source (or of a source of a
	// task registered beside optimize and generate, whose problems
	// Problems stamps with the task).
	Load func(Settings) ([]*Problem, error)
	// LoadGen loads every problem of a generate source.
	LoadGen func(Settings) ([]*GenProblem, error)
	// Label, when set, is the name the run's records give the source under
	// these settings (ParEval's checkout: pareval or polybench); else Name.
	Label func(Settings) string
	// Suites are the suites its generate problems belong to
	// (GenProblem.Suite), each with its column in the generate report.
	Suites []Suite
}

// Option is one setting of a source.
type Option struct {
	Name  string
	Usage string
	// Bool marks a switch; else the option is a string, Default when
	// unset.
	Bool    bool
	Default string
}

// Suite is a suite of generate problems and the column its pass@1 takes
// in the generate report (the paper's Table 2). An EvalPlus suite (its
// base inputs and its plus inputs) also scores its base benchmark, in
// BaseColumn, from the base inputs alone.
type Suite struct {
	Name       string
	Column     string
	BaseColumn string
}

// Settings are what a spec's dataset block or the CLI's flags give a
// source.
type Settings struct {
	// Path is the file or folder the source reads ("" for a built-in
	// one).
	Path string
	// Mode is the evaluation mode (serial or openmp), for a source whose
	// problems depend on it.
	Mode string
	// Options are the source's options by name.
	Options map[string]any
}

// String is the string option name, "" when unset.
func (s Settings) String(name string) string {
	v, _ := s.Options[name].(string)
	return v
}

// Bool is the switch option name, false when unset.
func (s Settings) Bool(name string) bool {
	v, _ := s.Options[name].(bool)
	return v
}

// RecordName is the name the run's records give the source under s.
func (src *Source) RecordName(s Settings) string {
	if src.Label != nil {
		return src.Label(s)
	}
	return src.Name
}

// Option is the source's option name, false when it has none of that
// name.
func (src *Source) Option(name string) (Option, bool) {
	for _, o := range src.Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// Problems loads every problem of the source as Problems (a generate
// source's wrapped by AsProblem). A source of a task other than the
// default (DefaultTask) and generate has its task stamped on each problem that names none
// (TaskName), so that its loader need not repeat it.
func (src *Source) Problems(s Settings) ([]*Problem, error) {
	if src.LoadGen == nil {
		ps, err := src.Load(s)
		if src.Task != DefaultTask {
			for _, p := range ps {
				if p.TaskName == "" {
					p.TaskName = src.Task
				}
			}
		}
		return ps, err
	}
	gs, err := src.LoadGen(s)
	if err != nil {
		return nil, err
	}
	out := make([]*Problem, len(gs))
	for i, g := range gs {
		out[i] = AsProblem(g)
	}
	return out, nil
}

// The sources lessonl ships, by name.
const (
	SourceBuiltin   = "builtin"   // the built-in C++ suite (BuiltinSuite)
	SourcePath      = "path"      // a folder of problems (LoadDir)
	SourceParEval   = "pareval"   // the paper's ParEval-PolyBench checkout (LoadParEval)
	SourceHumanEval = "humaneval" // HumanEval or HumanEval+ (LoadHumanEval)
	SourceMBPP      = "mbpp"      // MBPP+ (LoadMBPP)
)

var sources struct {
	sync.RWMutex
	list []*Source
}

// RegisterSource adds a source. Its name must be new, and it must load
// problems (Load, or LoadGen for the generate task); it panics otherwise,
// as a registration is part of the program.
func RegisterSource(s Source) {
	switch {
	case s.Name == "" || s.Task == "":
		panic("datasets: a source needs a name and a task")
	case (s.Task == TaskGenerate) != (s.LoadGen != nil) || (s.Load == nil) == (s.LoadGen == nil):
		panic(fmt.Sprintf("datasets: source %s: a generate source has LoadGen, any other Load", s.Name))
	}
	sources.Lock()
	defer sources.Unlock()
	for _, x := range sources.list {
		if x.Name == s.Name {
			panic(fmt.Sprintf("datasets: source %s registered twice", s.Name))
		}
	}
	sources.list = append(sources.list, &s)
}

// Sources are the registered sources in the order they were registered.
func Sources() []*Source {
	sources.RLock()
	defer sources.RUnlock()
	return slices.Clone(sources.list)
}

// SourceNames are the registered sources' names.
func SourceNames() []string {
	var out []string
	for _, s := range Sources() {
		out = append(out, s.Name)
	}
	return out
}

// LookupSource is the source of that name.
func LookupSource(name string) (*Source, bool) {
	for _, s := range Sources() {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// SuiteNamed is the registered generate suite of that name.
func SuiteNamed(name string) (Suite, bool) {
	for _, s := range Sources() {
		for _, x := range s.Suites {
			if x.Name == name {
				return x, true
			}
		}
	}
	return Suite{}, false
}
