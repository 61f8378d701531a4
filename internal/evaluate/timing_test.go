package evaluate

import (
	"testing"
	"time"
)

func TestGoals(t *testing.T) {
	e := &Evaluator{cfg: Config{}}
	e.cfg.fill()
	first := e.firstGoal()
	if first.min != 10 || first.max != 20 || first.floor != 4 || first.budget != 10*time.Second || !first.slowStop || first.warmup != 1 {
		t.Errorf("first build's goal %+v: want half the pairs (10 to 20), floor 4, half the budget, slow stop", first)
	}
	second, ok := e.secondGoal(pairs{base: make([]int64, 7), cand: make([]int64, 7)}, false)
	if !ok || second.min != 7 || second.max != 7 {
		t.Errorf("second build's goal %+v, %v: want exactly the first build's 7 pairs", second, ok)
	}
	if second.warmup != 1 {
		t.Errorf("second build after quick calls: warmup %d, want 1", second.warmup)
	}
	long := pairs{base: []int64{2e8, 2e8, 2e8, 2e8}, cand: []int64{2e8, 2e8, 2e8, 2e8}}
	if g, ok := e.secondGoal(long, false); !ok || g.warmup != 0 || g.max != 4 {
		t.Errorf("second build after 200 ms calls: %+v, want 4 pairs without warmup", g)
	}
	if _, ok := e.secondGoal(pairs{base: make([]int64, 3), cand: make([]int64, 3)}, true); ok {
		t.Error("a candidate stopped for being slow got a second build")
	}
	fixed := &Evaluator{cfg: Config{MinReps: 5, MaxReps: 5}}
	fixed.cfg.fill()
	if g := fixed.firstGoal(); g.min != 3 || g.max != 3 || g.width != 0 || g.slowStop {
		t.Errorf("fixed 5 pairs: first goal %+v, want exactly 3 and no early stop", g)
	}
	if g, ok := fixed.secondGoal(pairs{base: make([]int64, 3), cand: make([]int64, 3)}, false); !ok || g.max != 2 {
		t.Errorf("fixed 5 pairs: second goal %+v, want the other 2", g)
	}
	paper := &Evaluator{cfg: Config{Timing: TimingPaper}}
	paper.cfg.fill()
	if _, ok := paper.secondGoal(pairs{base: make([]int64, 110), cand: make([]int64, 110)}, false); ok {
		t.Error("the paper's protocol got a second build")
	}
}

func TestGoalStops(t *testing.T) {
	g := goal{min: 5, max: 20, floor: 4, budget: 10 * time.Second, width: 0.04, slowStop: true}
	same := func(n int, ns int64) pairs {
		var t pairs
		for i := 0; i < n; i++ {
			t.base, t.cand = append(t.base, ns+int64(i%3)), append(t.cand, ns+int64((i+1)%3))
		}
		return t
	}
	slow := pairs{base: []int64{100, 100, 100}, cand: []int64{250, 210, 200}}
	tests := []struct {
		name       string
		t          pairs
		spent      time.Duration
		stop, slow bool
	}{
		{"three pairs are not enough", same(3, 1e6), time.Second, false, false},
		{"slow candidate stops at three", slow, time.Second, true, true},
		{"tight at min", same(5, 1e6), time.Second, true, false},
		{"below floor past budget", same(3, 1e9), 30 * time.Second, false, false},
		{"floor past budget", same(4, 1e9), 30 * time.Second, true, false},
		{"max", same(20, 1e6), time.Second, true, false},
	}
	for _, tt := range tests {
		stop, slow := g.enough(tt.t, tt.spent)
		if stop != tt.stop || slow != tt.slow {
			t.Errorf("%s: enough = %v, %v; want %v, %v", tt.name, stop, slow, tt.stop, tt.slow)
		}
	}
	batches := []struct {
		name  string
		n     int
		spent time.Duration
		want  int
	}{
		{"quick calls: up to min, at least 5 more", 3, 30 * time.Millisecond, 5},
		{"slow calls: what the budget holds", 3, 6 * time.Second, 2},
		{"over budget below floor: up to the floor", 3, 15 * time.Second, 1},
		{"never past max", 18, time.Second, 2},
	}
	for _, tt := range batches {
		if got := g.next(tt.n, tt.spent); got != tt.want {
			t.Errorf("%s: next(%d, %s) = %d, want %d", tt.name, tt.n, tt.spent, got, tt.want)
		}
	}
}
