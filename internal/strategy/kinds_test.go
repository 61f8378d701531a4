package strategy_test

import (
	"context"
	"errors"
	"os"
	"sort"
	"strings"
	"testing"

	_ "github.com/lessonlab/lessonl/baselines"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
	_ "github.com/lessonlab/lessonl/lessons"
)

// TestRegistry walks every registered kind: its defaults parse, every
// parameter it reads is documented and every documented one is read, it
// costs something, it builds, it solves a problem with the fake team
// within its cost under both protocols, and README names it.
func TestRegistry(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	kinds := strategy.Kinds()
	if len(kinds) < 9 {
		t.Fatalf("%d kinds registered, want at least the 9 of the paper and baselines: %v", len(kinds), strategy.KindNames())
	}
	for _, k := range kinds {
		t.Run(k.Name, func(t *testing.T) {
			if k.Doc == "" {
				t.Error("no Doc")
			}
			if !strings.Contains(string(readme), "`"+k.Name+"`") {
				t.Errorf("README.md does not name kind `%s`", k.Name)
			}
			defaults, err := k.Defaults()
			if err != nil {
				t.Fatalf("defaults: %v", err)
			}
			var read []string
			for name := range defaults {
				read = append(read, name)
				if k.Params[name] == "" && strategy.CommonParams[name] == "" {
					t.Errorf("parameter %q is read but not documented", name)
				}
			}
			sort.Strings(read)
			for name := range k.Params {
				if _, ok := defaults[name]; !ok {
					t.Errorf("parameter %q is documented but never read (read: %v)", name, read)
				}
			}
			agents := k.Agents
			if agents == 0 {
				agents = 3
			}
			for _, protocol := range []string{strategy.ProtocolLessonl, strategy.ProtocolPaper} {
				p, err := strategy.ParseKind(k.Name, map[string]any{"protocol": protocol})
				if err != nil {
					t.Fatalf("%s: parse: %v", protocol, err)
				}
				calls, evals := p.Config.Cost(strategy.TaskOptimize, agents)
				if calls <= 0 || evals <= 0 {
					t.Errorf("%s: cost %d calls, %d evaluations with %d agents", protocol, calls, evals, agents)
				}
				s, err := p.Config.New(strategy.Build{})
				if err != nil {
					t.Fatalf("%s: build: %v", protocol, err)
				}
				env, _, rec, ev := strategytest.Env(agents)
				if _, err := s.Solve(context.Background(), env); err != nil {
					t.Fatalf("%s: solve: %v", protocol, err)
				}
				if n := len(rec.Calls); n == 0 || n > calls {
					t.Errorf("%s: %d calls, cost says at most %d", protocol, n, calls)
				}
				if ev.N == 0 || ev.N > evals {
					t.Errorf("%s: %d evaluations, cost says at most %d", protocol, ev.N, evals)
				}
				if !k.Solves(strategy.TaskGenerate) {
					continue
				}
				// The generate task: within its own cost, never solved
				// (the fake code fails every test), so at the most.
				gcalls, gevals := p.Config.Cost(strategy.TaskGenerate, agents)
				genv, _, grec, gev := strategytest.GenEnv(agents)
				res, err := s.Solve(context.Background(), genv)
				if err != nil {
					t.Fatalf("%s: solve generate: %v", protocol, err)
				}
				if n := len(grec.Calls); n == 0 || n > gcalls {
					t.Errorf("%s generate: %d calls, Cost(generate) says at most %d", protocol, n, gcalls)
				}
				if gev.N == 0 || gev.N > gevals {
					t.Errorf("%s generate: %d evaluations, Cost(generate) says at most %d", protocol, gev.N, gevals)
				}
				if res.Final == nil || res.Final.Gen() == nil || res.Final.Gen().Hidden.Total != 0 {
					t.Errorf("%s generate: final %+v: want a candidate without the hidden verdict", protocol, res.Final)
				}
			}
		})
	}
}

func TestParseKindErrors(t *testing.T) {
	tests := []struct {
		kind   string
		params map[string]any
		key    string
	}{
		{"single", map[string]any{"samples": 0}, "samples"},
		{"single", map[string]any{"rounds": 2}, "rounds"},
		{"lessonl", map[string]any{"protocol": "ours"}, "protocol"},
		{"moa", map[string]any{"seed": 3}, "seed"},
	}
	for _, tt := range tests {
		_, err := strategy.ParseKind(tt.kind, tt.params)
		var pe *strategy.ParamError
		if !errors.As(err, &pe) || pe.Key != tt.key {
			t.Errorf("%s %v: error %v, want one naming %q", tt.kind, tt.params, err, tt.key)
		}
	}
	if _, err := strategy.ParseKind("tree-of-thought", nil); err == nil || !strings.Contains(err.Error(), "lessonl") {
		t.Errorf("unknown kind: %v, want an error listing the kinds", err)
	}
}

// TestResolved: a parsed kind says every parameter it runs with, the
// spec's values where it set them and the defaults elsewhere; a single
// agent's set shows its temperature and protocol though the spec set none.
func TestResolved(t *testing.T) {
	for _, tt := range []struct {
		kind   string
		params map[string]any
		want   map[string]any
	}{
		{"single", nil, map[string]any{"temperature": 0.2, "protocol": strategy.ProtocolLessonl, "seed": strategy.SeedDerived, "samples": 1, "prompts": ""}},
		{"single", map[string]any{"temperature": 0.7, "protocol": "paper"}, map[string]any{"temperature": 0.7, "protocol": strategy.ProtocolPaper, "samples": 1}},
		{"lessonl", map[string]any{"k": 2}, map[string]any{"k": 2, "rounds": 4, "selection": "paper", "adjustment": true}},
	} {
		p, err := strategy.ParseKind(tt.kind, tt.params)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range tt.want {
			if got, ok := p.Resolved[name]; !ok || got != want {
				t.Errorf("%s %v: resolved %s = %v (%v), want %v", tt.kind, tt.params, name, got, ok, want)
			}
		}
		defaults, _ := p.Kind.Defaults()
		if len(p.Resolved) != len(defaults) {
			t.Errorf("%s: resolved %d parameters %v, the kind reads %d", tt.kind, len(p.Resolved), p.Resolved, len(defaults))
		}
	}
}
