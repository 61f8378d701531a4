package strategy_test

import (
	"context"
	"testing"

	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

// TestSeeds: identical prompts get distinct seeds within a cell, the same
// seeds in a rerun of the cell whatever the agents' interleaving, other
// seeds in a cell with another seed; with NoSeed no seed is sent.
func TestSeeds(t *testing.T) {
	run := func(cellSeed int64, noSeed bool, reverse bool) []llm.Request {
		env, models, rec, _ := strategytest.Env(3)
		env.Seed, env.NoSeed = cellSeed, noSeed
		msgs := []llm.Message{{Role: "user", Content: "same prompt"}}
		order := env.Agents
		if reverse {
			order = []*strategy.Agent{env.Agents[2], env.Agents[1], env.Agents[0]}
		}
		for round := 0; round < 3; round++ {
			for _, a := range order {
				if _, err := env.Ask(context.Background(), a, 0, "optimize", llm.Request{Messages: msgs}); err != nil {
					t.Fatal(err)
				}
			}
		}
		_ = models
		var out []llm.Request
		for _, c := range rec.Sorted().Calls {
			out = append(out, c.Request)
		}
		return out
	}
	a := run(7, false, false)
	seen := map[int64]bool{}
	for _, r := range a {
		if r.NoSeed || seen[r.WireSeed()] {
			t.Fatalf("seed %d (no seed %v) sent twice in a cell", r.WireSeed(), r.NoSeed)
		}
		seen[r.WireSeed()] = true
	}
	// A rerun with the agents calling in another order sends each agent's
	// calls the same seeds.
	bySeed := func(rs []llm.Request) map[string][]int64 {
		m := map[string][]int64{}
		for _, r := range rs {
			m[r.Agent] = append(m[r.Agent], r.WireSeed())
		}
		return m
	}
	want, got := bySeed(a), bySeed(run(7, false, true))
	for agent, seeds := range want {
		for i := range seeds {
			if got[agent][i] != seeds[i] {
				t.Errorf("%s call %d: seed %d in a rerun, %d before", agent, i+1, got[agent][i], seeds[i])
			}
		}
	}
	for _, r := range run(8, false, false) {
		if seen[r.WireSeed()] {
			t.Errorf("cell seed 8 reused seed %d of cell seed 7", r.WireSeed())
		}
	}
	for _, r := range run(7, true, false) {
		if !r.NoSeed {
			t.Errorf("seed none: request %d carries seed %d", r.Ordinal, r.Seed)
		}
	}
}
