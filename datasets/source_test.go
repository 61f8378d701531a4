package datasets

import (
	"strings"
	"testing"
)

// TestShippedSources: the shipped sources are registered in the order the
// CLI shows their flags, each with its task, and ParEval's records name
// its suite.
func TestShippedSources(t *testing.T) {
	want := map[string]Task{SourceBuiltin: TaskOptimize, SourceHumanEval: TaskGenerate, SourcePath: TaskOptimize,
		SourceMBPP: TaskGenerate, SourceParEval: TaskOptimize, PySuiteName: TaskGenerate}
	var names []string
	for _, s := range Sources() {
		if task, ok := want[s.Name]; ok {
			names = append(names, s.Name)
			if s.Task != task {
				t.Errorf("source %s: task %s, want %s", s.Name, s.Task, task)
			}
		}
	}
	if got := strings.Join(names, " "); got != "builtin humaneval path mbpp pareval pysuite" {
		t.Errorf("sources in order %q", got)
	}
	pe, _ := LookupSource(SourceParEval)
	for _, tt := range []struct{ suite, want string }{{"", SuiteParEval}, {SuitePolyBench, SuitePolyBench}} {
		if got := pe.RecordName(Settings{Options: map[string]any{"suite": tt.suite}}); got != tt.want {
			t.Errorf("pareval with suite %q records %q, want %q", tt.suite, got, tt.want)
		}
	}
	ps, err := (&Source{LoadGen: func(Settings) ([]*GenProblem, error) { return PySuite() }}).Problems(Settings{})
	if err != nil || len(ps) == 0 || ps[0].Task() != TaskGenerate {
		t.Errorf("a generate source's Problems: %d problems, %v", len(ps), err)
	}
}

// TestSuiteNamed: each EvalPlus suite scores its own column and its base
// benchmark's; a plain suite one column; an unknown one none.
func TestSuiteNamed(t *testing.T) {
	for _, tt := range []struct {
		name     string
		ok       bool
		col, bas string
	}{
		{SuiteHumanEval, true, "HumanEval", ""},
		{SuiteHumanEvalPlus, true, "HumanEval+", "HumanEval"},
		{"mbpp", true, "MBPP", ""},
		{SuiteMBPPPlus, true, "MBPP+", "MBPP"},
		{PySuiteName, false, "", ""},
	} {
		s, ok := SuiteNamed(tt.name)
		if ok != tt.ok || s.Column != tt.col || s.BaseColumn != tt.bas {
			t.Errorf("SuiteNamed(%q) = %+v, %v", tt.name, s, ok)
		}
	}
}

// TestRegisterSourceRefuses: a registration without a name, with the
// wrong loader for its task, or under a taken name panics.
func TestRegisterSourceRefuses(t *testing.T) {
	load := func(Settings) ([]*Problem, error) { return nil, nil }
	loadGen := func(Settings) ([]*GenProblem, error) { return nil, nil }
	for _, tt := range []struct {
		name string
		src  Source
		want string
	}{
		{"no name", Source{Task: TaskOptimize, Load: load}, "needs a name"},
		{"generate with Load", Source{Name: "x-gen", Task: TaskGenerate, Load: load}, "LoadGen"},
		{"optimize with LoadGen", Source{Name: "x-opt", Task: TaskOptimize, LoadGen: loadGen}, "LoadGen"},
		{"both loaders", Source{Name: "x-both", Task: TaskOptimize, Load: load, LoadGen: loadGen}, "LoadGen"},
		{"taken name", Source{Name: SourcePath, Task: TaskOptimize, Load: load}, "registered twice"},
	} {
		func() {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(p.(string), tt.want) {
					t.Errorf("%s: panic %v, want one saying %q", tt.name, p, tt.want)
				}
			}()
			RegisterSource(tt.src)
		}()
	}
}
