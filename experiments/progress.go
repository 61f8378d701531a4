package experiments

import (
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Progress shows a run's advance: cells done per strategy, ETA, and the
// running geometric-mean speedup (failures count 1×, the paper's
// convention).
type Progress interface {
	// Start announces the cells to run, per strategy (variant included).
	Start(perStrategy map[string]int)
	// Done reports a finished cell with its final speedup (0 when it failed
	// or found nothing).
	Done(strategy string, speedup float64, failed bool)
	// Close ends the display.
	Close()
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

func (t *tally) add(s string, speedup float64, failed bool) {
	t.addAt(time.Now(), s, speedup, failed)
}

func (t *tally) addAt(now time.Time, s string, speedup float64, failed bool) {
	if t.firstAt.IsZero() {
		t.firstAt, t.firstWeight = now, t.w(s)
	}
	t.doneWeight += t.w(s)
	t.done[s]++
	t.logSum[s] += math.Log(math.Max(1, speedup))
	if failed {
		t.failed++
	}
}

func (t *tally) geomean(s string) float64 {
	if t.done[s] == 0 {
		return math.NaN()
	}
	return math.Exp(t.logSum[s] / float64(t.done[s]))
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
func (l *Lines) Done(s string, speedup float64, failed bool) {
	l.t.mu.Lock()
	defer l.t.mu.Unlock()
	l.t.add(s, speedup, failed)
	state := fmt.Sprintf("%.2fx", speedup)
	if failed {
		state = "failed"
	}
	fmt.Fprintf(l.W, "[%s] %s cell %d/%d done: %s (running geomean %.3fx)\n", time.Since(l.t.started).Round(time.Second),
		s, l.t.done[s], l.t.total[s], state, l.t.geomean(s))
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
				if g := b.t.geomean(name); !math.IsNaN(g) {
					return fmt.Sprintf("geomean %.3fx", g)
				}
				return ""
			})))
	}
}

// Done implements Progress.
func (b *Bars) Done(s string, speedup float64, failed bool) {
	b.t.mu.Lock()
	b.t.add(s, speedup, failed)
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
