package experiments

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
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
	// Key and Problem name the cell (Key as Cell.Key gives it).
	Key, Problem string
	// Speedup is a timed answer's speedup (code optimization; 0 when
	// the cell failed or found nothing correct).
	Speedup float64
	// Verdict is, for a cell of a task that judges its answers rather
	// than timing them, the answer as its task reads it
	// (strategy.AnswerOf): "passed" or "not passed" for code generation,
	// the answer's status (or "no answer") for a task without a reading
	// of its own. Passed then says the answer is correct, and Share names
	// the running share of correct answers ("pass@1"; "correct" when "").
	Verdict string
	Passed  bool
	Share   string
	// Failed says the cell itself failed (see the cells table's error).
	Failed bool
}

// scoreOf is a finished cell's score as its task reads its answer
// (strategy.AnswerOf; task nil: strategy.DefaultAnswer).
func scoreOf(rec *CellRecords, task strategy.TaskKind) Score {
	a := strategy.AnswerOf(task, rec.Result.Final, rec.Candidates)
	return Score{Key: rec.Cell.Key(), Problem: rec.Cell.Problem, Speedup: a.Speedup, Verdict: a.Verdict, Passed: a.Correct,
		Share: a.Share, Failed: rec.Status != "done"}
}

// text is the score as a progress line shows it: an answer that is not
// correct, or slower, says so and that it counts 1× in the geometric mean.
func (s Score) text() string {
	switch {
	case s.Failed:
		return "cell failed"
	case s.Verdict != "":
		return s.Verdict
	case s.Speedup <= 0:
		return "no correct answer (counts 1x)"
	case s.Speedup < 1:
		return fmt.Sprintf("%.2fx, slower (counts 1x)", s.Speedup)
	}
	return fmt.Sprintf("%.2fx", s.Speedup)
}

// Planned is a Progress that is told the cells it will see, in the
// order the runner hands them out, so that its ETA knows which cells
// are the first of their problem. The runner calls Plan before Start.
type Planned interface {
	// Plan gives the cells to run, in dispatch order, and their task
	// (which sets the work a strategy's parameters plan).
	Plan(cells []spec.Cell, task datasets.Task)
}

// tally keeps the numbers both displays print.
type tally struct {
	mu      sync.Mutex
	total   map[string]int
	done    map[string]int
	logSum  map[string]float64
	passed  map[string]int    // judged answers that are correct (Score.Passed), per strategy
	share   map[string]string // the name of the strategy's running share of correct answers, when its answers are judged
	failed  int
	started time.Time
	act     Activity
	left    etaModel
	events  *eventLog // nil unless the display was given Events
	// The latest ETA (see etaText).
	etaWas time.Duration
	etaOK  bool
	etaAt  time.Time
}

func (t *tally) start(per map[string]int) {
	t.total, t.done, t.logSum, t.started = per, map[string]int{}, map[string]float64{}, time.Now()
	t.passed, t.share = map[string]int{}, map[string]string{}
	t.act.watch = t.observe
}

// observe takes a call's or an evaluation's start or end (Activity.watch)
// to the ETA and the event log.
func (t *tally) observe(e workEvent) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.events.write(e.at, e.what, e.cell, e.note, nil, e.item)
	t.left.work(e)
}

// logTo starts the event log on w (nil: none).
func (t *tally) logTo(w io.Writer) {
	if w != nil && t.events == nil {
		t.events = &eventLog{w: csv.NewWriter(w)}
	}
}

// eta is the time the remaining cells will take (etaModel); false until
// a cell has finished.
func (t *tally) eta(now time.Time) (time.Duration, bool) {
	done, all := t.counts()
	unplanned := all - done - len(t.left.running) - len(t.left.pending)
	return t.left.estimate(now, max(unplanned, 0))
}

// etaText is the ETA as the bars show it. They ask at every refresh, so
// an estimate stands for a second, counting down.
func (t *tally) etaText(now time.Time) string {
	since := now.Sub(t.etaAt)
	if !t.etaOK || since < 0 || since >= time.Second {
		t.etaWas, t.etaOK = t.eta(now)
		t.etaAt, since = now, 0
	}
	if !t.etaOK {
		return " ETA ?"
	}
	return " ETA " + max(0, t.etaWas-since.Round(time.Second)).String()
}

// begin records that a cell began (Tracker.Begin). Cells begin from
// the runner's goroutines, so the ETA model is updated under t.mu.
func (t *tally) begin(key, s, problem string, at time.Time) {
	t.act.begin(key, s, problem, at)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.events.write(at, eventBegin, key, "", nil, 0)
	t.left.begin(key, s, problem, at)
}

// plan records the cells to come (Planned.Plan).
func (t *tally) plan(cells []spec.Cell, task datasets.Task) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	for i := range cells {
		t.events.write(now, eventPlan, cells[i].Key(), string(task), &cells[i], 0)
	}
	t.left.plan(cells, task)
}

func (t *tally) add(s string, sc Score) {
	t.addAt(time.Now(), s, sc)
}

func (t *tally) addAt(now time.Time, s string, sc Score) {
	if sc.Key != "" {
		t.act.end(sc.Key)
		note := ""
		if sc.Failed {
			note = noteFailed
		}
		t.events.write(now, eventEnd, sc.Key, note, nil, 0)
		t.left.end(sc.Key, now)
	}
	t.done[s]++
	t.logSum[s] += math.Log(math.Max(1, sc.Speedup))
	if sc.Verdict != "" {
		t.share[s] = cmp.Or(sc.Share, "correct")
	}
	if sc.Verdict != "" && sc.Passed {
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

// running is a strategy's running figure: the geometric-mean speedup
// (answers not correct or slower count 1×), for code generation pass@1
// so far, for another task the share of correct answers so far; "" before
// its first cell.
func (t *tally) running(s string) string {
	if t.done[s] == 0 {
		return ""
	}
	if name := t.share[s]; name != "" {
		return fmt.Sprintf("%s %.3f", name, float64(t.passed[s])/float64(t.done[s]))
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

// counts are the cells done and planned over all strategies.
func (t *tally) counts() (done, all int) {
	for _, s := range t.names() {
		all += t.total[s]
		done += t.done[s]
	}
	return done, all
}

// tracking is what Lines and Bars share: the tally of the run's events
// behind their Activity and Begin, and the start of their Plan and Start.
type tracking struct{ t tally }

// Activity implements Tracker.
func (k *tracking) Activity() *Activity { return &k.t.act }

// Begin implements Tracker.
func (k *tracking) Begin(key, s, problem string) { k.t.begin(key, s, problem, time.Now()) }

// plan tallies the planned cells, recording the run's events in events
// (none when nil) from now on.
func (k *tracking) plan(events io.Writer, cells []spec.Cell, task datasets.Task) {
	k.t.logTo(events)
	k.t.plan(cells, task)
}

// start starts the tally of cells per strategy, recording the run's
// events in events (none when nil).
func (k *tracking) start(events io.Writer, per map[string]int) {
	k.t.logTo(events)
	k.t.start(per)
}

// Lines prints, for logs, CI and Slurm output files: a line per finished
// cell with its strategy and problem (none with Quiet), and every Period
// (from the start, before any cell ends) a summary with the ETA and what
// is running: cells and their rounds, calls in flight, evaluations under
// way.
type Lines struct {
	W      io.Writer
	Period time.Duration
	// Quiet leaves out the per-cell lines: summaries, failures and notes
	// only.
	Quiet bool
	// Events, when set, receives the run's events as CSV: the cells
	// planned, their begins and ends, and their calls' and evaluations'
	// (with cache hits), a recording for the ETA's test
	// (TestETAOnRecordedTimings).
	Events io.Writer
	tracking
	last time.Time
	stop chan struct{}
	wg   sync.WaitGroup
}

// Plan implements Planned.
func (l *Lines) Plan(cells []spec.Cell, task datasets.Task) { l.plan(l.Events, cells, task) }

// Start implements Progress.
func (l *Lines) Start(per map[string]int) {
	l.start(l.Events, per)
	l.last = time.Now().Add(time.Second - l.Period) // the first summary after a second
	n := 0
	for _, v := range per {
		n += v
	}
	fmt.Fprintf(l.W, "running %d cells\n", n)
	if l.Period > 0 {
		l.stop = make(chan struct{})
		l.wg.Add(1)
		go l.tick()
	}
}

// tick prints a summary every Period when no cell line did.
func (l *Lines) tick() {
	defer l.wg.Done()
	step := min(l.Period, time.Second)
	tk := time.NewTicker(step)
	defer tk.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-tk.C:
			l.t.mu.Lock()
			if time.Since(l.last) >= l.Period {
				l.last = time.Now()
				l.summary()
			}
			l.t.mu.Unlock()
		}
	}
}

// Done implements Progress.
func (l *Lines) Done(s string, sc Score) {
	l.t.mu.Lock()
	defer l.t.mu.Unlock()
	l.t.add(s, sc)
	if !l.Quiet || sc.Failed {
		problem := ""
		if sc.Problem != "" {
			problem = " " + sc.Problem
		}
		fmt.Fprintf(l.W, "[%s] %s%s: %s (%d/%d of %s done; running %s)\n", time.Since(l.t.started).Round(time.Second),
			s, problem, sc.text(), l.t.done[s], l.t.total[s], s, l.t.running(s))
	}
	if l.Period > 0 && time.Since(l.last) >= l.Period {
		l.last = time.Now()
		l.summary()
	}
}

func (l *Lines) summary() {
	done, all := l.t.counts()
	eta := "?"
	if d, ok := l.t.eta(time.Now()); ok {
		eta = d.String()
	}
	fmt.Fprintf(l.W, "[%s] progress: %d/%d cells, %d failed, ETA %s; %s\n", time.Since(l.t.started).Round(time.Second), done, all, l.t.failed, eta, l.t.act.Text())
}

// Close implements Progress.
func (l *Lines) Close() {
	if l.stop != nil {
		close(l.stop)
		l.wg.Wait()
		l.stop = nil
	}
	l.t.mu.Lock()
	defer l.t.mu.Unlock()
	done, all := l.t.counts()
	fmt.Fprintf(l.W, "[%s] finished: %d/%d cells, %d failed\n", time.Since(l.t.started).Round(time.Second), done, all, l.t.failed)
}

// Bars draws an overall bar, a line of what is running (cells and their
// rounds, calls in flight, evaluations under way) and one bar per
// strategy on a terminal.
type Bars struct {
	W io.Writer
	// Events is as Lines.Events.
	Events io.Writer
	p      *mpb.Progress
	bars   map[string]*mpb.Bar
	all    *mpb.Bar
	tracking
}

// Plan implements Planned.
func (b *Bars) Plan(cells []spec.Cell, task datasets.Task) { b.plan(b.Events, cells, task) }

// Start implements Progress.
func (b *Bars) Start(per map[string]int) {
	b.start(b.Events, per)
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
			return b.t.etaText(time.Now())
		}),
			decor.Any(func(decor.Statistics) string { return b.t.failedText() })))
	// The activity line: a bar with no progress of its own, only text.
	act := b.p.New(0, mpb.NopStyle(), mpb.PrependDecorators(decor.Any(func(decor.Statistics) string { return "  " + b.t.act.Text() })))
	act.SetPriority(1)
	b.bars = map[string]*mpb.Bar{"\x00activity": act}
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

// eventLog writes a run's events as CSV (eventsHeader): milliseconds
// since the first event, the event, the cell's key, a note (an end's
// outcome; a plan row's task), on plan rows the cell, and on a call's or
// an evaluation's events its id among the run's.
type eventLog struct {
	w  *csv.Writer
	t0 time.Time
}

// eventsHeader is an event log's first line.
var eventsHeader = []string{"ms", "event", "cell", "note", "strategy", "variant", "kind", "params", "agents", "problem", "seed", "item"}

// write logs one event (nothing on a nil log); c is the cell of a plan
// row, item the call's or evaluation's id (0: none).
func (l *eventLog) write(at time.Time, what, cell, note string, c *spec.Cell, item int64) {
	if l == nil {
		return
	}
	if l.t0.IsZero() {
		l.t0 = at
		l.w.Write(eventsHeader)
	}
	row := []string{fmt.Sprint(at.Sub(l.t0).Milliseconds()), what, cell, note, "", "", "", "", "", "", "", ""}
	if c != nil {
		params, _ := json.Marshal(c.Params)
		row = append(row[:4], c.Strategy, c.Variant, c.Kind, string(params), strings.Join(c.Agents, ","), c.Problem, fmt.Sprint(c.Seed), "")
	}
	if item != 0 {
		row[11] = fmt.Sprint(item)
	}
	l.w.Write(row)
	l.w.Flush()
}

// taskOf is the task a finished cell ran: the one its problem named, as
// the runner recorded it, else (a cell that failed before its strategy
// ran) the spec's dataset's.
func taskOf(rec *CellRecords, s *spec.Spec) strategy.TaskKind {
	name := rec.Ran.Task
	if name == "" {
		name = s.Dataset.Task()
	}
	t, _ := strategy.LookupTask(string(name))
	return t
}
