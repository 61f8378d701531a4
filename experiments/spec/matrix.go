package spec

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/record"
)

// Cell is one unit of work: a strategy variant on one problem with one
// seed. Cells are independent; each writes its own records.
type Cell struct {
	Strategy string         `json:"strategy"`
	Kind     string         `json:"kind"`
	Variant  string         `json:"variant"` // "" without a matrix
	Params   map[string]any `json:"params,omitempty"`
	Agents   []string       `json:"agents"`
	Problem  string         `json:"problem_id"`
	Category string         `json:"category"`
	Seed     int64          `json:"seed"`
}

// Key identifies a cell across runs, shards and resumes.
func (c Cell) Key() string {
	return record.Key(c.Strategy, c.Variant, c.Problem, c.Seed)
}

// ID is the cell's canonical id, as every message, table and page shows
// it: strategy[variant]/problem/seed (see record.CellID).
func (c Cell) ID() string {
	return record.CellID(c.Strategy, c.Variant, c.Problem, c.Seed)
}

// ShardSpec is "i/n": run the i-th of n shards.
type ShardSpec struct{ I, N int }

// ParseShard reads "i/n" with 1 ≤ i ≤ n.
func ParseShard(s string) (ShardSpec, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return ShardSpec{}, fmt.Errorf("shard %q: want i/n with 1 ≤ i ≤ n, e.g. 2/4", s)
	}
	return ShardSpec{i, n}, nil
}

// Problems loads and filters the spec's dataset.
func (s *Spec) Problems() ([]*datasets.Problem, error) {
	if s.Dataset.Task() == datasets.TaskGenerate {
		return s.genProblems()
	}
	src, set, err := s.Dataset.Choice(s.Evaluation.Mode)
	if err != nil {
		return nil, err
	}
	all, err := src.Problems(set)
	if err != nil {
		return nil, err
	}
	keep := all
	if len(s.Dataset.Categories) > 0 {
		cats := map[string]bool{}
		for _, c := range s.Dataset.Categories {
			cats[c] = true
		}
		keep = nil
		for _, p := range all {
			if cats[p.Category] {
				keep = append(keep, p)
			}
		}
	}
	if len(s.Dataset.Problems) > 0 {
		byID := map[string]*datasets.Problem{}
		for _, p := range keep {
			byID[p.ID] = p
		}
		var chosen []*datasets.Problem
		for i, id := range s.Dataset.Problems {
			p, ok := byID[id]
			if !ok {
				ids := make([]string, len(keep))
				for j, p := range keep {
					ids[j] = p.ID
				}
				return nil, &SpecError{File: "spec", Field: fmt.Sprintf("dataset.problems[%d]", i),
					Msg: unknownName("problem", id, ids, "lessonl datasets list") + " (after the category filter)"}
			}
			chosen = append(chosen, p)
		}
		keep = chosen
	}
	if s.Dataset.Limit > 0 && len(keep) > s.Dataset.Limit {
		keep = spread(keep, s.Dataset.Limit)
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("dataset: no problems left after the filters")
	}
	return keep, nil
}

// spread keeps n problems, cycling over categories so a limit still covers
// as many categories as it can.
func spread(ps []*datasets.Problem, n int) []*datasets.Problem {
	byCat := map[string][]*datasets.Problem{}
	var cats []string
	for _, p := range ps {
		if byCat[p.Category] == nil {
			cats = append(cats, p.Category)
		}
		byCat[p.Category] = append(byCat[p.Category], p)
	}
	var out []*datasets.Problem
	for round := 0; len(out) < n; round++ {
		for _, c := range cats {
			if round < len(byCat[c]) && len(out) < n {
				out = append(out, byCat[c][round])
			}
		}
	}
	return out
}

// Cells expands the spec into its cells: every strategy variant × problem ×
// seed, in a stable order.
func (s *Spec) Cells(problems []*datasets.Problem) []Cell {
	var cells []Cell
	for _, st := range s.Strategies {
		variants := []variant{{params: map[string]any{}}}
		if axes, ok := s.Matrix[st.Name]; ok {
			variants = expandAxes(axes)
		}
		for _, v := range variants {
			for _, p := range problems {
				for _, seed := range s.Seeds {
					cells = append(cells, Cell{
						Strategy: st.Name, Kind: st.Kind, Variant: v.name,
						Params: merge(s.strategyParams(st), v.params), Agents: st.Agents,
						Problem: p.ID, Category: p.Category, Seed: seed,
					})
				}
			}
		}
	}
	return cells
}

// AssignShards spreads cells over n shards balanced by planned cost (LLM
// calls plus evaluations of each cell's kind): the costliest cell first,
// each to the least loaded shard, ties by key and shard number. It depends
// on the cells only, so every machine computes the same assignment from
// the same spec. It returns each cell's shard (1-based) by key.
func AssignShards(cells []Cell, n int, task datasets.Task) map[string]int {
	type item struct {
		key  string
		cost int
	}
	items := make([]item, len(cells))
	for i, c := range cells {
		calls, evals := CostOf(c.Kind, c.Params, len(c.Agents), task)
		items[i] = item{c.Key(), max(1, calls+evals)}
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].cost != items[j].cost {
			return items[i].cost > items[j].cost
		}
		return items[i].key < items[j].key
	})
	load := make([]int, n)
	out := make(map[string]int, len(items))
	for _, it := range items {
		best := 0
		for s := 1; s < n; s++ {
			if load[s] < load[best] {
				best = s
			}
		}
		load[best] += it.cost
		out[it.key] = best + 1
	}
	return out
}
