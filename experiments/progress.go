package experiments

import (
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/strategy"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Progress shows a run's advance: cells done per strategy, ETA, and the
// running geometric-mean speedup (failures count 1×, the paper's
// convention), or for code generation the running pass@1 (a generated
// answer has no speedup).
type Progress interface {
	// Start announces the cells to run, per strategy (variant included).
	Start(perStrategy map[string]int)
	// Done reports a finished cell with its answer's score.
	Done(strategy string, s Score)
	// Close ends the display.
	Close()
}

// Score is a finished cell's answer as progress shows it.
type Score struct {
	// Speedup is a code-optimization answer's speedup (0 when the cell
	// failed or found nothing correct).
	Speedup float64
	// Generate marks a code-generation cell, judged by hidden tests:
	// Passed says its answer passed every one.
	Generate, Passed bool
	// Failed says the cell itself failed (see the cells table's error).
	Failed bool
}

// scoreOf is a finished cell's score: for code generation whether the
// recorded final candidate (which holds the hidden tests' verdict that
// the strategy's own copy lacks) passed them all.
func scoreOf(rec *CellRecords, generate bool) Score {
	sc := Score{Speedup: rec.Result.Final.Speedup(), Generate: generate, Failed: rec.Status != "done"}
	if f := rec.Result.Final; generate && f != nil {
		sc.Speedup = 0
		for _, c := range rec.Candidates {
			if c.ID == f.ID && c.Gen != nil {
				sc.Passed = string(c.Gen.Hidden.Status) == strategy.GenPassed
			}
		}
	}
	return sc
}

// text is the score as a progress line shows it.
func (s Score) text() string {
	switch {
	case s.Failed:
		return "failed"
	case s.Generate && s.Passed:
		return "passed"
	case s.Generate:
		return "not passed"
	}
	return fmt.Sprintf("%.2fx", s.Speedup)
}

// Weighted is a Progress that weighs cells by their planned cost, so that
// its ETA counts a LessonL cell (many calls and evaluations) as more work
// than a single agent's. The runner calls Weigh before Start.
type Weighted interface {
	// Weigh gives each strategy's (variant included) cost per cell, in
	// planned LLM calls plus evaluations.
	Weigh(perCell map[string]float64)
}

// Weights is each strategy's planned cost per cell (LLM calls plus
// evaluations, from its kind), for Weighted.
func Weights(cells []Cell, task datasets.Task) map[string]float64 {
	w := map[string]float64{}
	for _, c := range cells {
		calls, evals := costOf(c.Kind, c.Params, len(c.Agents), task)
		w[label(c)] = float64(max(1, calls+evals))
	}
	return w
}

// tally keeps the numbers both displays print.
type tally struct {
	mu      sync.Mutex
	total   map[string]int
	done    map[string]int
	logSum  map[string]float64
	passed  map[string]int  // code-generation answers that passed, per strategy
	gen     map[string]bool // the strategy's cells are code generation
	failed  int
	started time.Time
	weight  map[string]float64 // cost of one cell per strategy; 1 when not weighed
	// The ETA's clock starts at the first finished cell: the time before
	// it holds one-time work (building every problem's baseline and
	// driver) that the remaining cells will not repeat.
	firstAt     time.Time
	firstWeight float64
	doneWeight  float64
}

func (t *tally) start(per map[string]int) {
	t.total, t.done, t.logSum, t.started = per, map[string]int{}, map[string]float64{}, time.Now()
	t.passed, t.gen = map[string]int{}, map[string]bool{}
}

func (t *tally) w(s string) float64 {
	if v, ok := t.weight[s]; ok {
		return v
	}
	return 1
}

// eta is the time the remaining cells will take at the rate of the cells
// finished since the first one, by weight; false until two have finished.
func (t *tally) eta(now time.Time) (time.Duration, bool) {
	all := 0.0
	for s, n := range t.total {
		all += float64(n) * t.w(s)
	}
	since := t.doneWeight - t.firstWeight
	if t.firstAt.IsZero() || since <= 0 {
		return 0, false
	}
	rate := float64(now.Sub(t.firstAt)) / since
	return time.Duration(rate * (all - t.doneWeight)).Round(time.Second), true
}

func (t *tally) add(s string, sc Score) {
	t.addAt(time.Now(), s, sc)
}

func (t *tally) addAt(now time.Time, s string, sc Score) {
	if t.firstAt.IsZero() {
		t.firstAt, t.firstWeight = now, t.w(s)
	}
	t.doneWeight += t.w(s)
	t.done[s]++
	t.logSum[s] += math.Log(math.Max(1, sc.Speedup))
	if sc.Generate {
		t.gen[s] = true
	}
	if sc.Passed {
		t.passed[s]++
	}
	if sc.Failed {
		t.failed++
	}
}

func (t *tally) geomean(s string) float64 {
	if t.done[s] == 0 {
		return math.NaN()
	}
	return math.Exp(t.logSum[s] / float64(t.done[s]))
}

// running is a strategy's running figure: the geometric-mean speedup, or
// for code generation pass@1 so far; "" before its first cell.
func (t *tally) running(s string) string {
	if t.done[s] == 0 {
		return ""
	}
	if t.gen[s] {
		return fmt.Sprintf("pass@1 %.3f", float64(t.passed[s])/float64(t.done[s]))
	}
	return fmt.Sprintf("geomean %.3fx", t.geomean(s))
}

func (t *tally) names() []string {
	out := make([]string, 0, len(t.total))
	for s := range t.total {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Lines prints a plain line per finished cell and a summary every period;
// for logs, CI and Slurm output files.
type Lines struct {
	W      io.Writer
	Period time.Duration
	t      tally
	last   time.Time
}

// Weigh implements Weighted.
func (l *Lines) Weigh(w map[string]float64) { l.t.weight = w }

// Start implements Progress.
func (l *Lines) Start(per map[string]int) {
	l.t.start(per)
	n := 0
	for _, v := range per {
		n += v
	}
	fmt.Fprintf(l.W, "running %d cells\n", n)
}

// Done implements Progress.
func (l *Lines) Done(s string, sc Score) {
	l.t.mu.Lock()
	defer l.t.mu.Unlock()
	l.t.add(s, sc)
	fmt.Fprintf(l.W, "[%s] %s cell %d/%d done: %s (running %s)\n", time.Since(l.t.started).Round(time.Second),
		s, l.t.done[s], l.t.total[s], sc.text(), l.t.running(s))
	if l.Period > 0 && time.Since(l.last) >= l.Period {
		l.last = time.Now()
		l.summary()
	}
}

func (l *Lines) summary() {
	all, done := 0, 0
	for _, s := range l.t.names() {
		all += l.t.total[s]
		done += l.t.done[s]
	}
	eta := "?"
	if d, ok := l.t.eta(time.Now()); ok {
		eta = d.String()
	}
	fmt.Fprintf(l.W, "progress: %d/%d cells, %d failed, ETA %s\n", done, all, l.t.failed, eta)
}

// Close implements Progress.
func (l *Lines) Close() {
	l.t.mu.Lock()
	defer l.t.mu.Unlock()
	l.summary()
}

// Bars draws an overall bar and one per strategy on a terminal.
type Bars struct {
	W    io.Writer
	p    *mpb.Progress
	bars map[string]*mpb.Bar
	all  *mpb.Bar
	t    tally
}

// Weigh implements Weighted.
func (b *Bars) Weigh(w map[string]float64) { b.t.weight = w }

// Start implements Progress.
func (b *Bars) Start(per map[string]int) {
	b.t.start(per)
	b.p = mpb.New(mpb.WithOutput(b.W), mpb.WithWidth(32), mpb.WithAutoRefresh())
	n := 0
	for _, v := range per {
		n += v
	}
	b.all = b.p.AddBar(int64(n),
		mpb.PrependDecorators(decor.Name("all cells", decor.WCSyncSpaceR), decor.CountersNoUnit("%d/%d", decor.WCSyncSpace)),
		mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO, decor.WCSyncSpace), decor.Any(func(decor.Statistics) string {
			b.t.mu.Lock()
			defer b.t.mu.Unlock()
			if d, ok := b.t.eta(time.Now()); ok {
				return " ETA " + d.String()
			}
			return " ETA ?"
		}),
			decor.Any(func(decor.Statistics) string { return b.t.failedText() })))
	b.bars = map[string]*mpb.Bar{}
	for _, s := range b.t.names() {
		name := s
		b.bars[s] = b.p.AddBar(int64(per[s]),
			mpb.PrependDecorators(decor.Name(name, decor.WCSyncSpaceR), decor.CountersNoUnit("%d/%d", decor.WCSyncSpace)),
			mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
				b.t.mu.Lock()
				defer b.t.mu.Unlock()
				return b.t.running(name)
			})))
	}
}

// Done implements Progress.
func (b *Bars) Done(s string, sc Score) {
	b.t.mu.Lock()
	b.t.add(s, sc)
	b.t.mu.Unlock()
	b.bars[s].Increment()
	b.all.Increment()
}

// Close implements Progress.
func (b *Bars) Close() {
	for _, bar := range b.bars {
		bar.Abort(false)
	}
	b.all.Abort(false)
	b.p.Wait()
}
