package spec

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm/sim"
	"github.com/lessonlab/lessonl/internal/strategy"
)

// validate checks everything that can be checked without running: names,
// references between agents and strategies, kinds, parameters (through
// each kind's own constructor), matrix axes, and environment variables.
// It fills the defaults (dataset suite, seeds, output) as it goes. The
// blocks are checked in the spec's order, so the errors come in it too.
func (s *Spec) validate(file string, f *ast.File, lookup func(string) (string, bool)) SpecErrors {
	var errs SpecErrors
	fail := func(field, format string, args ...any) {
		errs = append(errs, &SpecError{File: file, Line: lineOf(f, field), Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	s.validateName(fail)
	s.validateDataset(fail)
	s.validateEvaluation(fail)
	agents := s.validateAgents(fail, lookup)
	badTop := s.validateTop(fail)
	names, badParams := s.validateStrategies(fail, agents, badTop)
	s.validateMatrix(fail, names, badParams)
	s.validateEmbeddings(fail, lookup)
	s.validateRest(fail)
	return errs
}

// validateName checks the experiment's name.
func (s *Spec) validateName(fail func(field, format string, args ...any)) {
	if s.Name == "" {
		fail("name", "missing: name the experiment")
	}
	if strings.ContainsAny(s.Name, "/ \t") {
		fail("name", "%q: use letters, digits, dashes and underscores", s.Name)
	}
}

// validateDataset checks the dataset block and fills its default suite.
func (s *Spec) validateDataset(fail func(field, format string, args ...any)) {
	d := &s.Dataset
	genKeys := d.genKeys()
	switch {
	case d.Source != "":
		s.validateSource(fail)
	case len(d.Options) > 0:
		fail("dataset.options", "options go with source: (the settings of a registered source)")
	case genKeys:
		s.validateGenerate(fail)
	}
	switch {
	case genKeys || d.Source != "":
	case d.ParEval != nil && (d.Suite != "" || d.Path != ""):
		fail("dataset.pareval", "give one of suite, path and pareval")
	case d.ParEval != nil:
		pe := d.ParEval
		switch {
		case pe.Root == "":
			fail("dataset.pareval.root", "missing: the ParEval-PolyBench-Code-Opt folder of a LessonL checkout")
		case pe.Suite != "" && pe.Suite != datasets.SuiteParEval && pe.Suite != datasets.SuitePolyBench:
			fail("dataset.pareval.suite", "unknown suite %q (want %s or %s)", pe.Suite, datasets.SuiteParEval, datasets.SuitePolyBench)
		case pe.Mode != "" && pe.Mode != s.Evaluation.Mode:
			fail("dataset.pareval.mode", "%q differs from evaluation.mode %q; set the mode once, in evaluation", pe.Mode, s.Evaluation.Mode)
		}
	case d.Suite != "" && d.Path != "":
		fail("dataset.path", "give either suite or path, not both")
	case d.Suite == "" && d.Path == "":
		d.Suite = datasets.BuiltinSuite
	case d.Suite != "" && d.Suite != datasets.BuiltinSuite:
		fail("dataset.suite", "unknown suite %q (the built-in suite is %s; use path: for a folder)", d.Suite, datasets.BuiltinSuite)
	}
	// A task whose problems have categories checks each named; one whose
	// problems have none refuses them with its source (validateSource,
	// validateGenerate).
	if cats, ok := taskCategories(d.Task()); ok && len(cats.Categories()) > 0 {
		for i, c := range d.Categories {
			if !cats.IsCategory(c) {
				fail(fmt.Sprintf("dataset.categories[%d]", i), "unknown category %q (want one of %s)", c, strings.Join(cats.Categories(), ", "))
			}
		}
	}
	if d.Limit < 0 {
		fail("dataset.limit", "must not be negative, got %d", d.Limit)
	}
}

// validateEvaluation checks the evaluation block (evaluate.Config.Check).
func (s *Spec) validateEvaluation(fail func(field, format string, args ...any)) {
	if err := s.Evaluation.Check(); err != nil {
		for _, se := range err.(evaluate.SettingErrors) {
			fail("evaluation."+se.Key, "%s", se.Msg)
		}
	}
}

// validateAgents checks each agent and returns the names defined.
func (s *Spec) validateAgents(fail func(field, format string, args ...any), lookup func(string) (string, bool)) map[string]bool {
	if len(s.Agents) == 0 {
		fail("agents", "missing: list at least one agent")
	}
	agents := map[string]bool{}
	for i, a := range s.Agents {
		at := func(k string) string { return fmt.Sprintf("agents[%d].%s", i, k) }
		switch {
		case a.Name == "":
			fail(at("name"), "missing")
		case agents[a.Name]:
			fail(at("name"), "agent %q is defined twice", a.Name)
		case a.Model == "":
			fail(at("model"), "missing")
		case a.MaxConcurrency < 0:
			fail(at("max_concurrency"), "must not be negative")
		}
		agents[a.Name] = true
		switch a.Provider {
		case "sim":
			if models := simModels(); !slices.Contains(models, a.Model) {
				fail(at("model"), "the sim team has no model %q (want one of %s)", a.Model, strings.Join(models, ", "))
			}
		case "openai":
			if a.BaseURL != "" && !strings.HasPrefix(a.BaseURL, "http://") && !strings.HasPrefix(a.BaseURL, "https://") {
				fail(at("base_url"), "want an http:// or https:// URL, got %q", a.BaseURL)
			}
		case "replay":
			if a.Replay == "" {
				fail(at("replay"), "missing: the run folder whose calls to replay")
			}
		case "recorded":
			if err := checkGenerationsPath(a.Generations, lookup); err != nil {
				fail(at("generations"), "%v", err)
			}
		case "":
			fail(at("provider"), "missing (want sim, openai, replay or recorded)")
		default:
			fail(at("provider"), "unknown provider %q (want sim, openai, replay or recorded)", a.Provider)
		}
		if a.APIKeyEnv != "" {
			if _, ok := lookup(a.APIKeyEnv); !ok {
				fail(at("api_key_env"), "environment variable %s is not set", a.APIKeyEnv)
			}
		}
		if a.Latency != 0 && a.Provider != "sim" {
			fail(at("latency"), "only sim agents take an injected latency")
		}
		if a.Provider != "openai" && (a.WaitReady != 0 || a.RetryFor != 0) {
			fail(at("wait_ready"), "only openai agents wait for a server (wait_ready, retry_for)")
		}
	}
	for i, a := range s.Agents {
		if a.Fallback != "" && !agents[a.Fallback] {
			fail(fmt.Sprintf("agents[%d].fallback", i), "unknown agent %q", a.Fallback)
		}
	}
	return agents
}

// validateTop checks the top-level strategy settings (protocol, seed,
// prompts) as a single agent's parameters, and returns the bad ones,
// which the strategies that inherit them do not report again.
func (s *Spec) validateTop(fail func(field, format string, args ...any)) map[string]bool {
	badTop := map[string]bool{} // top-level settings already reported
	for _, f := range []struct{ field, value string }{{"protocol", s.Protocol}, {"seed", s.Seed}, {"prompts", s.Prompts}} {
		if f.value == "" {
			continue
		}
		if err := checkParams("single", map[string]any{f.field: f.value}); err != nil {
			badTop[f.field] = true
			var pe *strategy.ParamError
			if errors.As(err, &pe) {
				fail(f.field, "%s", pe.Msg)
			} else {
				fail(f.field, "%v", err)
			}
		}
	}
	return badTop
}

// validateStrategies checks each strategy against the agents defined and
// its kind, and returns the strategies' indexes by name and the names of
// those whose own parameters are wrong.
func (s *Spec) validateStrategies(fail func(field, format string, args ...any), agents, badTop map[string]bool) (map[string]int, map[string]bool) {
	d := &s.Dataset
	if len(s.Strategies) == 0 {
		fail("strategies", "missing: list at least one strategy")
	}
	names := map[string]int{}
	badParams := map[string]bool{} // strategies whose own params are wrong; their matrix is not checked
	for i, st := range s.Strategies {
		at := func(k string) string { return fmt.Sprintf("strategies[%d].%s", i, k) }
		if st.Name == "" {
			fail(at("name"), "missing")
		}
		if _, dup := names[st.Name]; dup {
			fail(at("name"), "strategy %q is defined twice", st.Name)
		}
		names[st.Name] = i
		kind, ok := strategy.LookupKind(st.Kind)
		if !ok {
			fail(at("kind"), "unknown kind %q (want one of %s)", st.Kind, strings.Join(KindNames(), ", "))
			continue
		}
		if len(st.Agents) == 0 {
			fail(at("agents"), "missing: name the agents this strategy uses")
			continue
		}
		for j, a := range st.Agents {
			if !agents[a] {
				fail(fmt.Sprintf("strategies[%d].agents[%d]", i, j), "unknown agent %q", a)
			}
		}
		// The block's task is checked when the block chose it (a source
		// of any task but the default); otherwise the problems may name
		// their own task, which the runner checks per problem
		// (runCellAttempt).
		if msg := checkTaskKind(kind, d.Task()); d.Task() != datasets.DefaultTask && msg != "" {
			fail(at("kind"), "%s", msg)
		}
		if kind.Agents > 0 && len(st.Agents) != kind.Agents {
			fail(at("agents"), "kind %s takes %d agent(s), got %d", st.Kind, kind.Agents, len(st.Agents))
		}
		if err := checkParams(st.Kind, s.strategyParams(st)); err != nil {
			badParams[st.Name] = true
			var pe *strategy.ParamError
			if errors.As(err, &pe) && badTop[pe.Key] && st.Params[pe.Key] == nil {
				// The spec's top-level setting, reported once above.
			} else if errors.As(err, &pe) {
				fail(at("params."+pe.Key), "%s", pe.Msg)
			} else {
				fail(at("params"), "%v", err)
			}
		}
	}
	return names, badParams
}

// validateMatrix checks each matrix entry's axes and variants; a
// strategy whose own parameters are wrong has its matrix skipped.
func (s *Spec) validateMatrix(fail func(field, format string, args ...any), names map[string]int, badParams map[string]bool) {
	for _, name := range sortedKeys(s.Matrix) {
		i, ok := names[name]
		if !ok {
			fail("matrix."+name, "no strategy named %q", name)
			continue
		}
		if badParams[name] {
			continue
		}
		axes := s.Matrix[name]
		if len(axes) == 0 {
			fail("matrix."+name, "no axes: list parameters with the values to sweep")
			continue
		}
		empty := false
		for _, key := range sortedKeys(axes) {
			if len(axes[key]) == 0 {
				fail("matrix."+name+"."+key, "no values")
				empty = true
			}
		}
		if empty {
			continue
		}
		for _, v := range expandAxes(axes) {
			params := merge(s.strategyParams(s.Strategies[i]), v.params)
			if err := checkParams(s.Strategies[i].Kind, params); err != nil {
				var pe *strategy.ParamError
				if errors.As(err, &pe) {
					fail("matrix."+name+"."+pe.Key, "variant %s: %s", v.name, pe.Msg)
				} else {
					fail("matrix."+name, "variant %s: %v", v.name, err)
				}
				break // one bad value spoils many variants; the first says which
			}
		}
	}
}

// validateRest checks seeds, budget, tolerance and concurrency, and fills
// the default seeds and output folder.
func (s *Spec) validateRest(fail func(field, format string, args ...any)) {
	if len(s.Seeds) == 0 {
		s.Seeds = []int64{1}
	}
	seen := map[int64]bool{}
	for i, sd := range s.Seeds {
		if seen[sd] {
			fail(fmt.Sprintf("seeds[%d]", i), "seed %d appears twice", sd)
		}
		seen[sd] = true
	}
	if s.Budget != nil && (s.Budget.Calls < 0 || s.Budget.Tokens < 0) {
		fail("budget", "caps must not be negative")
	}
	if s.Tolerance != nil && (s.Tolerance.FailedCalls < 0 || s.Tolerance.FailedCalls >= 1) {
		fail("tolerance.failed_calls", "is a fraction of a cell's calls from 0 up to (not including) 1, got %g", s.Tolerance.FailedCalls)
	}
	if s.Concurrency != nil && s.Concurrency.Cells < 0 {
		fail("concurrency.cells", "must not be negative")
	}
	if s.Output == "" {
		s.Output = "results/" + s.Name
	}
}

// variant is one point of a matrix.
type variant struct {
	name   string // "k=2,selection=paper"; "" without a matrix
	params map[string]any
}

// expandAxes returns the cartesian product of the axes, in a stable order
// (keys sorted, values as written).
func expandAxes(axes Axes) []variant {
	out := []variant{{params: map[string]any{}}}
	for _, key := range sortedKeys(axes) {
		var next []variant
		for _, v := range out {
			for _, val := range axes[key] {
				p := merge(v.params, map[string]any{key: val})
				name := fmt.Sprintf("%s=%v", key, val)
				if v.name != "" {
					name = v.name + "," + name
				}
				next = append(next, variant{name: name, params: p})
			}
		}
		out = next
	}
	return out
}

// strategyParams is st's params over the spec's top-level protocol, seed
// and prompts.
func (s *Spec) strategyParams(st StrategySpec) map[string]any {
	top := map[string]any{}
	for k, v := range map[string]string{"protocol": s.Protocol, "seed": s.Seed, "prompts": s.Prompts} {
		if v != "" {
			top[k] = v
		}
	}
	return merge(top, st.Params)
}

func merge(a, b map[string]any) map[string]any {
	m := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}

// simModels are the sim team's chat models.
func simModels() []string {
	var out []string
	for _, p := range sim.Profiles() {
		out = append(out, p.Model)
	}
	return out
}
