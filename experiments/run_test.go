package experiments

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/lessonlab/lessonl/internal/strategy/strategytest"
)

// memSink keeps cells in memory, as a Sink.
type memSink struct {
	mu    sync.Mutex
	cells map[string]*CellRecords
	dups  int
}

func (m *memSink) WriteCell(_ context.Context, c *CellRecords) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cells == nil {
		m.cells = map[string]*CellRecords{}
	}
	if _, ok := m.cells[c.Cell.Key()]; ok {
		m.dups++
	}
	m.cells[c.Cell.Key()] = c
	return nil
}

func (m *memSink) Finished() (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	done := map[string]string{}
	for k, c := range m.cells {
		done[k] = c.Status
	}
	return done, nil
}

func (m *memSink) keys() []string {
	var ks []string
	for k := range m.cells {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

const fakeSpec = `name: fake
dataset: {suite: codeopt, limit: 1}
agents:
  - {name: a, provider: sim, model: sim/coder-a}
  - {name: b, provider: sim, model: sim/coder-b}
strategies:
  - {name: ll, kind: lessonl, agents: [a, b], params: {rounds: 2}}
  - {name: vote, kind: voting, agents: [a, b]}
  - {name: one, kind: single, agents: [a]}
matrix:
  ll: {k: [1, 2]}
seeds: [1, 2, 3]
`

// parseFake parses fakeSpec (no environment variables set).
func parseFake(t *testing.T) *spec.Spec {
	t.Helper()
	s, err := spec.Parse("fake.yaml", []byte(fakeSpec), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fakeProblems is fakeSpec parsed and its problems.
func fakeProblems(t *testing.T) (*spec.Spec, []*datasets.Problem) {
	t.Helper()
	s := parseFake(t)
	ps, err := s.Problems()
	if err != nil {
		t.Fatal(err)
	}
	return s, ps
}

func fakeRunner(t *testing.T, sink Sink, opts Options) (*Runner, []spec.Cell) {
	t.Helper()
	s, ps := fakeProblems(t)
	opts.Models = func(a spec.AgentSpec) (llm.Provider, error) { return &strategytest.Model{Name: a.Name}, nil }
	opts.Extract = strategytest.Extract
	if opts.Evaluators == nil {
		opts.Evaluators = strategy.Evaluators{strategy.TaskOptimize: &strategytest.Evaluator{}}
	}
	r, err := NewRunner(s, ps, sink, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r, s.Cells(ps)
}

func TestRunAllCells(t *testing.T) {
	sink := &memSink{}
	r, cells := fakeRunner(t, sink, Options{})
	sum, err := r.Run(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	// ll: 2 variants, vote, one → 4 × 1 problem × 3 seeds.
	if sum.Ran != 12 || len(sink.cells) != 12 || sum.Failed != 0 {
		t.Fatalf("summary %+v, %d cells recorded; want 12 run, 0 failed", sum, len(sink.cells))
	}
	for _, c := range sink.cells {
		if c.Cell.Kind == "lessonl" && (len(c.Calls) != 8 || len(c.Lessons) != 4) {
			t.Errorf("%s: %d calls, %d lessons; want 8 and 4", c.Cell.Key(), len(c.Calls), len(c.Lessons))
		}
		if c.Result.Final == nil || c.Usage.Calls != len(c.Calls) {
			t.Errorf("%s: final %v, usage %+v", c.Cell.Key(), c.Result.Final, c.Usage)
		}
	}
}

func TestShardsPartitionCells(t *testing.T) {
	whole := &memSink{}
	r, cells := fakeRunner(t, whole, Options{})
	if _, err := r.Run(context.Background(), cells); err != nil {
		t.Fatal(err)
	}
	merged := &memSink{}
	for i := 1; i <= 4; i++ {
		r, cells := fakeRunner(t, merged, Options{Shard: spec.ShardSpec{I: i, N: 4}})
		if _, err := r.Run(context.Background(), cells); err != nil {
			t.Fatal(err)
		}
	}
	if merged.dups != 0 || len(merged.cells) != len(whole.cells) {
		t.Fatalf("shards gave %d cells (%d duplicates), whole run %d", len(merged.cells), merged.dups, len(whole.cells))
	}
}

func TestCancelThenResume(t *testing.T) {
	sink := &memSink{}
	ev := &gate{Evaluator: &strategytest.Evaluator{}, after: 25}
	ctx, cancel := context.WithCancel(context.Background())
	ev.cancel = cancel
	r, cells := fakeRunner(t, sink, Options{Evaluators: strategy.Evaluators{strategy.TaskOptimize: ev}})
	sum, err := r.Run(ctx, cells)
	if err == nil || sum.Ran == 0 || sum.Ran == len(cells) {
		t.Fatalf("cancelled run: %+v, %v; want some cells done and a cancellation error", sum, err)
	}
	firstRun := len(sink.cells)

	r, cells = fakeRunner(t, sink, Options{Resume: true})
	sum, err = r.Run(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped != firstRun || sum.Ran != len(cells)-firstRun || sink.dups != 0 || len(sink.cells) != len(cells) {
		t.Errorf("resume: %+v, %d duplicates, %d cells; first run had %d of %d", sum, sink.dups, len(sink.cells), firstRun, len(cells))
	}
}

// gate cancels the run after a number of evaluations.
type gate struct {
	*strategytest.Evaluator
	mu     sync.Mutex
	n      int
	after  int
	cancel func()
}

func (g *gate) Evaluate(ctx context.Context, p *datasets.Problem, code string) (evaluate.Outcome, error) {
	g.mu.Lock()
	g.n++
	if g.n == g.after {
		g.cancel()
	}
	g.mu.Unlock()
	time.Sleep(time.Millisecond)
	return g.Evaluator.Evaluate(ctx, p, code)
}
