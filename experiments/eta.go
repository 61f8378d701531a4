package experiments

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
)

// etaModel estimates the time a run has left from the work inside its
// cells: the LLM calls and the evaluations, which the runner tells it of
// as they start and end, for each evaluation whether it hit the
// evaluation cache (identical code is evaluated once), and, as the
// evaluator reaches them, its phases: it waits for identical code's
// outcome, it validated and waits for the timing slot, it holds it.
//
// Calls and evaluations in flight at once share the machine (the cores,
// the endpoints), so an item's wall time says little of its cost. Its
// work is instead its share of the run: each stretch of time is split
// evenly among the items working then (processor sharing), and a cell
// with nothing in flight (preparing prompts, recording) works as one
// item too. The shares add up to the time the run had work going, so the
// time left is the work left. Items are of three classes with very
// different costs: a call, an evaluation that hit the cache and a fresh
// one (a compile and validation; on code generation the candidate's runs
// on its strategy's generated tests and on the hidden tests, which are
// one evaluation as the plan counts them); see mean for how each is
// priced.
//
// An evaluation waiting for identical code does no work. One at the
// timing slot does none of its own either: it waits behind the run's
// other evaluations and other processes' timing runs on the machine,
// then times alone. The slot is priced apart, in wall time (see
// slotModel), and the time left is the work left and the slot's time
// left overlapping as they did so far, and at least either.
//
// A cell is priced as the calls and evaluations it will make, learned
// from the finished cells most like it, first match wins: of its
// strategy (variant included); of its kind, per planned call and per
// planned evaluation (the most its parameters allow); of the kinds that
// can stop early (more than one planned evaluation) if it can, as many
// as their cells made up to its most (a cell stops once its code
// passes, which depends on the problem and the model more than on how
// many rounds its strategy allows: on the recorded code-generation runs
// LessonL's, Reflexion's and MapCoder's cells made 1.9 to 3.3
// evaluations on average where they planned 12, 4 and 9), or of those
// that cannot if it cannot;
// of any kind, each kind weighing alike. A strategy's evaluations per
// cell are shrunk toward its price as if none of its cells had finished,
// by how few of its cells finished and how much cells spread (see
// countShrink): its first cells to finish are its first problems', cells
// being dispatched problem by problem.
// Of those evaluations, the ones expected to miss the cache are
//
//   - for a problem's first visit, at each place (the order its
//     evaluations began), the share of its strategy's finished first
//     visits whose evaluation there missed: a strategy's first round
//     brings most of its new code, its later rounds mostly code seen;
//   - for a revisit, the share that missed in the problem's latest
//     finished visit, falling per visit since as the problems' shares
//     fell from each finished visit to the next (the cache fills as a
//     run goes: candidates already evaluated for a problem are hits);
//   - else the share in the like cells (of its visit class if any).
//
// A fresh one reaches the slot as often as the finished fresh ones did.
// A running cell needs its price less the items it has finished and has
// in flight, and what its items in flight still need (see residual): an
// evaluation is as likely to be fresh as its place or visit says, except
// that one that has had more work than a cache hit takes (see hitWork)
// is fresh when evaluations tell their phases (it would have said it
// waits), and else if it is the oldest in flight of its problem; without phases, a
// revisit's evaluation that is not the oldest of its problem likely
// waits on that one (identical code) and adds nothing. The ETA is the
// work left by the items in flight, the running cells and the pending
// cells.
type etaModel struct {
	pending []plannedCell           // not begun, in dispatch order (empty without a plan)
	running map[string]*cellWork    // by cell key
	visits  map[string]int          // cells begun per problem
	begun   int                     // cells begun
	done    []*cellWork             // finished cells
	flying  map[*item]struct{}      // items in flight
	byID    map[int64]*item         // items in flight that the runner named
	ended   [classes][]finishedItem // finished items per class
	shared  float64                 // work per item working since the run began (nanoseconds): ∫ dt / items working
	at      time.Time               // when shared was last brought up to date
	// The timing slot (see slotModel): evaluations at it, wall time with
	// items working, with evaluations at the slot and with either.
	slot                         slotModel
	working, atSlot              int // items in flight working; evaluations at the slot
	wallWork, wallSlot, wallBusy float64
	phased                       bool // evaluations tell their phases
}

// plannedCell is a cell as the ETA prices it.
type plannedCell struct {
	label, kind, problem string
	units                float64 // planned evaluations, at least 1
	callUnits            float64 // planned calls, at least 1
}

// stops is true of a cell that plans more than one evaluation: it can
// stop early, once its code passes or is fast enough.
func (c plannedCell) stops() bool { return c.units > 1 }

// cellWork is a cell that began: what it has done and has in flight.
type cellWork struct {
	plannedCell
	revisit      bool   // a cell of its problem began before it
	order        int    // its place among the cells that began, from 0
	visit        int    // cells of its problem that began before it
	calls, evals int    // finished
	fresh        int    // finished evaluations that missed the cache
	missed       []bool // per evaluation, by its place (the order they began): it missed the cache
	calling      int    // calls in flight
	evaluating   int    // evaluations in flight
	// Its own work between its calls and evaluations (preparing prompts,
	// recording): while it has none in flight it works, as one item (see
	// etaModel.shared).
	idle     bool
	idleFrom float64 // etaModel.shared when it last became idle
	overhead float64 // work while idle, before idleFrom
}

// rest starts or stops c's own work at shared (see cellWork.idle).
func (m *etaModel) rest(c *cellWork, idle bool) {
	switch {
	case idle && !c.idle:
		c.idle, c.idleFrom = true, m.shared
		m.working++
	case !idle && c.idle:
		c.idle = false
		c.overhead += m.shared - c.idleFrom
		m.working--
	}
}

// The classes of items.
const (
	classCall = iota
	classCached
	classFresh
	classes
)

// item is a call or an evaluation in flight.
type item struct {
	id     int64 // the runner's name for it; 0 if it gave none
	cell   *cellWork
	eval   bool
	place  int // an evaluation's place among its cell's, from 0
	began  time.Time
	shared float64 // etaModel.shared when it began
	// An evaluation's latest phase told (eventWaiting, eventQueued,
	// eventTiming; "" while it compiles and validates) and when.
	phase   string
	phaseAt time.Time
	// work is its share once it stopped working (waits or is at the
	// slot); working while it has not.
	work    float64
	working bool
}

// done is the work the item had by shared (see etaModel.shared).
func (it *item) done(shared float64) float64 {
	if it.working {
		return shared - it.shared
	}
	return it.work
}

// phaseOrder ranks an evaluation's phases in the order they are reached.
var phaseOrder = map[string]int{"": 0, eventWaiting: 1, eventQueued: 1, eventTiming: 2}

// phase marks evaluation it (when the runner did not name it, the
// oldest in flight of c that has not reached what: a cell's evaluations
// at once are alike) as having reached what: it stops working, and at
// the slot (queued or timing) joins its queue.
func (m *etaModel) phase(c *cellWork, what string, at time.Time, it *item) {
	m.phased = true
	if it != nil && (it.cell != c || !it.eval) {
		it = nil
	}
	if it == nil {
		for o := range m.flying {
			if o.cell == c && o.eval && phaseOrder[o.phase] < phaseOrder[what] && (it == nil || o.before(it)) {
				it = o
			}
		}
	}
	if it == nil {
		return
	}
	m.advance(at)
	if it.working {
		it.work, it.working = m.shared-it.shared, false
		m.working--
	}
	if what != eventWaiting && !it.queued() {
		if m.atSlot == 0 {
			m.slot.moved = at
		}
		m.atSlot++
	}
	if what == eventTiming {
		m.slot.moved = at
	}
	it.phase, it.phaseAt = what, at
}

// queued is true of an evaluation at the timing slot.
func (it *item) queued() bool { return it.phase == eventQueued || it.phase == eventTiming }

// leave takes an item out of flight.
func (m *etaModel) leave(it *item) {
	delete(m.flying, it)
	if it.id != 0 {
		delete(m.byID, it.id)
	}
	if it.working {
		m.working--
	}
	if it.queued() {
		m.atSlot--
	}
}

// before orders items in flight: by when they began, then (began at
// once) by cell and place, so that the estimate does not depend on the
// order of a map.
func (it *item) before(o *item) bool {
	switch {
	case !it.began.Equal(o.began):
		return it.began.Before(o.began)
	case it.cell != o.cell:
		return it.cell.order < o.cell.order
	}
	return it.place < o.place
}

// finishedItem is an item's work (its share) and wall time, and whether
// its cell revisited its problem.
type finishedItem struct {
	work, wall float64
	revisit    bool
	label      string // its cell's strategy
	stops      bool   // its cell's kind can stop early (plannedCell.stops)
}

// plan records the cells to come, in dispatch order.
func (m *etaModel) plan(cells []spec.Cell, task datasets.Task) {
	m.pending = m.pending[:0]
	for _, c := range cells {
		calls, evals := spec.CostOf(c.Kind, c.Params, len(c.Agents), task)
		m.pending = append(m.pending, plannedCell{label: label(c), kind: c.Kind, problem: c.Problem, units: float64(max(1, evals)), callUnits: float64(max(1, calls))})
	}
}

// sharedAt is shared brought up to now.
func (m *etaModel) sharedAt(now time.Time) float64 {
	if n := m.working; n > 0 && now.After(m.at) {
		return m.shared + float64(now.Sub(m.at))/float64(n)
	}
	return m.shared
}

// advance brings shared, and the wall times busy, up to now.
func (m *etaModel) advance(now time.Time) {
	m.shared = m.sharedAt(now)
	if now.After(m.at) {
		dt := float64(now.Sub(m.at))
		if m.working > 0 {
			m.wallWork += dt
		}
		if m.atSlot > 0 {
			m.wallSlot += dt
		}
		if m.working > 0 || m.atSlot > 0 {
			m.wallBusy += dt
		}
		m.at = now
	}
}

// begin moves a cell from pending to running (a cell outside the plan
// is priced as one evaluation of an unknown kind). A cell the runner
// redoes (the machine was too busy) begins again while running: it
// keeps what it did.
func (m *etaModel) begin(key, s, problem string, at time.Time) {
	if m.running == nil {
		m.running, m.visits, m.flying, m.byID = map[string]*cellWork{}, map[string]int{}, map[*item]struct{}{}, map[int64]*item{}
	}
	if _, ok := m.running[key]; ok {
		return
	}
	pc := plannedCell{label: s, problem: problem, units: 1, callUnits: 1}
	for i, p := range m.pending {
		if p.label == s && p.problem == problem {
			pc = p
			m.pending = append(m.pending[:i], m.pending[i+1:]...)
			break
		}
	}
	c := &cellWork{plannedCell: pc, revisit: m.visits[problem] > 0, visit: m.visits[problem], order: m.begun}
	m.running[key] = c
	m.advance(at)
	m.rest(c, true)
	m.begun++
	m.visits[problem]++
}

// end learns a finished cell's calls and evaluations.
func (m *etaModel) end(key string, at time.Time) {
	c, ok := m.running[key]
	if !ok {
		return
	}
	m.advance(at)
	delete(m.running, key)
	for it := range m.flying {
		if it.cell == c {
			m.leave(it)
		}
	}
	m.rest(c, false)
	m.done = append(m.done, c)
}

// work takes a call's or an evaluation's start or end.
func (m *etaModel) work(e workEvent) {
	c, ok := m.running[e.cell]
	if !ok {
		return
	}
	m.advance(e.at)
	eval := e.what == eventEval || e.what == eventEvaluated
	switch e.what {
	case eventWaiting, eventQueued, eventTiming:
		m.phase(c, e.what, e.at, m.byID[e.item])
		return
	case eventCall, eventEval:
		it := &item{id: e.item, cell: c, eval: eval, place: c.evals + c.evaluating, began: e.at, shared: m.shared, working: true}
		m.flying[it] = struct{}{}
		if it.id != 0 {
			m.byID[it.id] = it
		}
		m.working++
		m.rest(c, false)
		if eval {
			c.evaluating++
		} else {
			c.calling++
		}
		return
	}
	it := m.byID[e.item]
	if it == nil || it.cell != c {
		it = m.ending(c, eval, e.note)
	}
	if it == nil {
		return
	}
	work := it.done(m.shared)
	m.leave(it)
	if it.queued() {
		m.slot.ended(it, e.at, m.wallSlot)
	}
	class := classCall
	if eval {
		c.evaluating--
		c.evals++
		for len(c.missed) <= it.place {
			c.missed = append(c.missed, false)
		}
		c.missed[it.place] = e.note != noteCached
		class = classCached
		if e.note != noteCached {
			c.fresh++
			class = classFresh
		}
	} else {
		c.calling--
		c.calls++
	}
	if class == classFresh {
		m.slot.fresh++
	}
	if c.calling+c.evaluating == 0 {
		m.rest(c, true)
	}
	m.ended[class] = append(m.ended[class], finishedItem{work, float64(e.at.Sub(it.began)), c.revisit, c.label, c.stops()})
}

// ending is the item of cell c and class eval that an end (with note)
// the runner did not name the item of is of: the oldest; once evaluations tell their phases, a cache hit is
// the oldest waiting for identical code, else the newest working (a hit
// on an outcome at hand ends at once), and a fresh end the oldest of
// those furthest on (timing, then queued, then working).
func (m *etaModel) ending(c *cellWork, eval bool, note string) *item {
	var of []*item
	for o := range m.flying {
		if o.cell == c && o.eval == eval {
			of = append(of, o)
		}
	}
	if len(of) == 0 {
		return nil
	}
	sort.Slice(of, func(i, j int) bool { return of[i].before(of[j]) })
	if !eval || !m.phased {
		return of[0]
	}
	in := func(phase string) []*item {
		var got []*item
		for _, o := range of {
			if o.phase == phase {
				got = append(got, o)
			}
		}
		return got
	}
	if note == noteCached {
		if w := in(eventWaiting); len(w) > 0 {
			return w[0]
		}
		if w := in(""); len(w) > 0 {
			return w[len(w)-1]
		}
		return of[0]
	}
	for _, phase := range []string{eventTiming, eventQueued, ""} {
		if w := in(phase); len(w) > 0 {
			return w[0]
		}
	}
	return of[0]
}

// price is what a cell like c is expected to make: calls, evaluations
// and the share of those that miss the cache (see etaModel).
func (m *etaModel) price(c plannedCell, revisit bool) (calls, evals, miss float64) {
	return m.priceFrom(c, revisit, 0)
}

// priceFrom is price from the level first on (0: of its strategy).
func (m *etaModel) priceFrom(c plannedCell, revisit bool, first int) (calls, evals, miss float64) {
	levels := []func(f *cellWork) bool{
		func(f *cellWork) bool { return f.label == c.label },
		func(f *cellWork) bool { return c.kind != "" && f.kind == c.kind },
		// Other kinds (a cell of its own kind would have matched above;
		// see the strategy's running cells below).
		func(f *cellWork) bool { return (f.units > 1) == (c.units > 1) && (f.kind != c.kind || c.kind == "") },
		func(f *cellWork) bool { return f.kind != c.kind || c.kind == "" },
	}
	for i, level := range levels {
		if i < first {
			continue
		}
		var like []*cellWork
		for _, f := range m.done {
			if level(f) {
				like = append(like, f)
			}
		}
		if len(like) == 0 {
			continue
		}
		// Calls and evaluations per cell (by strategy), else per planned
		// call and per planned evaluation, each kind weighing alike.
		type sum struct{ calls, evals, units, callUnits float64 }
		per := map[string]*sum{}
		// A kind that can stop early, none of whose cells finished, makes
		// as many as the cells of the other such kinds made, each kind
		// weighing alike, up to its most: a cell stops once its code
		// passes, which depends on the problem and the model more than on
		// how many rounds its strategy would allow.
		stops := i == 2 && c.units > 1
		for _, f := range like {
			k := f.kind
			if i < 3 && !stops {
				k = ""
			}
			s := per[k]
			if s == nil {
				s = &sum{}
				per[k] = s
			}
			s.calls += float64(f.calls)
			s.evals += float64(f.evals)
			if i == 0 || stops {
				s.units++
				s.callUnits++
			} else {
				s.units += f.units
				s.callUnits += f.callUnits
			}
		}
		for _, k := range slices.Sorted(maps.Keys(per)) {
			s := per[k]
			calls += s.calls / s.callUnits / float64(len(per))
			evals += s.evals / s.units / float64(len(per))
		}
		switch {
		case stops:
			calls, evals = min(calls, c.callUnits), min(evals, c.units)
		case i > 0:
			calls, evals = calls*c.callUnits, evals*c.units
		default:
			// The strategy's cells still running are priced as if it had
			// none finished (of its kind when a variant of it has finished
			// cells, else of the other kinds), and at least what they have
			// begun: the first of its cells to finish are its short ones,
			// or the first to begin, and say little of the others.
			first := 2
			for _, f := range m.done {
				if f.kind == c.kind && f.label != c.label {
					first = 1
					break
				}
			}
			pc, pe, _ := m.priceFrom(c, revisit, first)
			calls, evals = m.censored(like, calls, pc, func(w *cellWork) int { return w.calls + w.calling }),
				m.censored(like, evals, pe, func(w *cellWork) int { return w.evals + w.evaluating })
			// Its evaluations per cell are shrunk toward those, by how few
			// finished cells they are of and how much cells spread (see
			// countShrink).
			n, k := float64(len(like)), countShrink*m.spread(c.stops())
			evals = (n*evals + k*pe) / (n + k)
		}
		if i == 2 {
			// The share of misses is of any kind: whether a kind can
			// stop early says nothing of how much of its code is new.
			like = m.done
		}
		return calls, evals, m.missShare(like, revisit)
	}
	return 0, c.units, 1
}

// countShrink is the weight, in finished cells, of what the other
// strategies' cells make in a strategy's evaluations per cell, per unit
// of spread (see priceFrom): its n finished cells' mean own (its running
// cells counted as censored) and the price from the others prior give
// (n·own + k·prior)/(n + k), k being countShrink times the cells'
// squared coefficient of variation of evaluations per cell (spread). As
// shrink does for an item's work, it is the posterior mean of a normal
// model whose strategies' means spread about the prior with variance τ²
// and whose cells spread about their strategy's with σ², k being σ²/τ²,
// τ taken as a share of the mean. On the generate recordings under
// testdata/timings, at their end, the kinds that stop early made 1.9 to
// 3.3 evaluations a cell on average (τ² 0.03-0.24) and their cells 1 to
// 12 (σ² 4.1-6.3, 0.7-1.0 of the mean squared), so σ²/τ² is 27-145
// (128 takes τ as 9% of the mean; τ was 8-18% of it), and a strategy's
// first cells to finish sit on its first problems (cells are
// dispatched problem by problem): Reflexion's first eight on
// quickstart-generate-12-seeds456.csv made 1 each where its 36 made 1.9,
// MapCoder's first six on -seeds789.csv 5.7 where its 36 made 2.7. Where
// cells of a kind make the same number (LessonL's twelve on an
// optimization task, a debate's one) there is no spread and no shrink.
// The constant was chosen on the design half of the recordings (see
// beyondBar) as the smallest at which its points within the bar stopped
// rising (454 of 570 unshrunk; 456, 457, 457, 457, 460, 463, 466 at 1,
// 2, 4, 8, 16, 32, 64; 468 at 128, 256 and 1024, quickstart-generate-12
// .csv losing 6 of its 107, where MapCoder's first cells' few
// evaluations had offset a price of an evaluation too high); the
// held-out half checked it (see beyondBar).
const countShrink = 128.0

// spread is the squared coefficient of variation of the evaluations per
// cell of the finished cells whose kinds can stop early if stops (else
// of those that cannot): the variance of a cell's about its strategy's
// mean, pooled over the strategies, over the cells' mean square of their
// strategy's mean; 0 while no strategy has two finished cells.
func (m *etaModel) spread(stops bool) float64 {
	type sum struct{ n, evals float64 }
	per := map[string]*sum{}
	for _, f := range m.done {
		if f.stops() != stops {
			continue
		}
		s := per[f.label]
		if s == nil {
			s = &sum{}
			per[f.label] = s
		}
		s.n++
		s.evals += float64(f.evals)
	}
	var squares, df, meanSquares, n float64
	for _, f := range m.done {
		if f.stops() == stops {
			s := per[f.label]
			d := float64(f.evals) - s.evals/s.n
			squares += d * d
		}
	}
	for _, k := range slices.Sorted(maps.Keys(per)) {
		s := per[k]
		mean := s.evals / s.n
		df += s.n - 1
		meanSquares += s.n * mean * mean
		n += s.n
	}
	if df == 0 || meanSquares == 0 {
		return 0
	}
	return squares / df / (meanSquares / n)
}

// censored is the mean per cell of what made counts of a cell, over
// the finished cells like (whose mean is mean) and the running cells of
// their strategy, each of which will make at least what it has begun and
// as much as prior.
func (m *etaModel) censored(like []*cellWork, mean, prior float64, made func(*cellWork) int) float64 {
	sum, n := mean*float64(len(like)), len(like)
	for _, w := range m.running {
		if w.label == like[0].label {
			sum += max(float64(made(w)), prior)
			n++
		}
	}
	return sum / float64(n)
}

// missShare is the share of evaluations that missed the cache in the
// cells like (see etaModel): of the visit class if any are of it, and
// among revisits the latest to finish, as many as half of them.
func (m *etaModel) missShare(like []*cellWork, revisit bool) float64 {
	var of []*cellWork
	for _, f := range like {
		if f.revisit == revisit {
			of = append(of, f)
		}
	}
	if len(of) == 0 {
		of = like
	} else if revisit {
		of = of[len(of)-max(1, len(of)/2):]
	}
	var fresh, evals float64
	for _, f := range of {
		fresh += float64(f.fresh)
		evals += float64(f.evals)
	}
	if evals == 0 {
		return 1
	}
	return fresh / evals
}

// decline is how the share of a problem's evaluations that miss the
// cache falls from one visit to the next: over the problems' finished
// visits that follow a finished visit, the sum of their shares over the
// sum of their predecessors' (at most 1; 1 when none follows one).
func (m *etaModel) decline() float64 {
	share := map[string]map[int]float64{} // per problem, per visit
	for _, f := range m.done {
		if f.evals == 0 {
			continue
		}
		if share[f.problem] == nil {
			share[f.problem] = map[int]float64{}
		}
		share[f.problem][f.visit] = float64(f.fresh) / float64(f.evals)
	}
	var now, before float64
	pairs := 0
	for _, visits := range share {
		for v, s := range visits {
			if p, ok := visits[v-1]; ok && v > 0 {
				now, before = now+s, before+p
				pairs++
			}
		}
	}
	if pairs == 0 || now >= before {
		return 1
	}
	return now / before
}

// ahead is the evaluations expected to miss the cache among the
// evaluations from (counted from 0) up to evals of a first visit of
// a problem by the strategy label: at each place, the share of the
// finished first visits of its strategy whose evaluation there missed
// (a strategy's first round brings most of its new code, its later
// rounds mostly code already seen); false when none has finished.
func (m *etaModel) ahead(label string, from int, evals float64) (float64, bool) {
	var like []*cellWork
	for _, f := range m.done {
		if f.label == label && !f.revisit {
			like = append(like, f)
		}
	}
	if len(like) == 0 {
		return 0, false
	}
	var fresh float64
	for i := from; float64(i) < evals; i++ {
		var n, missed float64
		for _, f := range like {
			if i < len(f.missed) {
				n++
				if f.missed[i] {
					missed++
				}
			}
		}
		if n > 0 {
			fresh += missed / n * min(1, evals-float64(i))
		}
	}
	return fresh, true
}

// lastShare is the share of evaluations that missed the cache in the
// latest visit of problem to finish; false when none has.
func (m *etaModel) lastShare(problem string) (float64, bool) {
	latest := -1
	var share float64
	for _, f := range m.done {
		if f.problem == problem && f.evals > 0 && f.visit > latest {
			latest, share = f.visit, float64(f.fresh)/float64(f.evals)
		}
	}
	return share, latest >= 0
}

// mean is the work of a class's finished items, for a cell like c (its
// strategy, its kind) and the visit class revisit. A cached evaluation is
// priced at the median of all: a hit takes milliseconds, and one that
// took long waited for identical code in flight, whose work its fresh
// evaluation counts. A call or a fresh evaluation is priced from the
// mean of those of its strategy (strategies ask for different code and
// run different tests) and of its visit class (a problem's first visit
// builds its baseline, and queues beside other first visits), else of
// its strategy, shrunk toward the pooled mean by how few items it is of
// (see shrink). The pooled mean is the first of these to have items,
// each strategy (its own too) weighing alike: the kinds that can stop
// early if c's can or those that cannot if it cannot (on code
// generation those that can are the kinds that write tests of their own
// and run each candidate on them before the hidden tests: two runs an
// evaluation where the others make one), visit class, all. A fresh
// evaluation with none finished is priced as a cached one.
func (m *etaModel) mean(class int, revisit bool, c plannedCell) float64 {
	items := m.ended[class]
	if class == classCached {
		if len(items) == 0 {
			return 0
		}
		w := make([]float64, len(items))
		for i, f := range items {
			w[i] = f.work
		}
		sort.Float64s(w)
		return w[len(w)/2]
	}
	if class == classFresh && len(items) == 0 {
		return m.mean(classCached, revisit, c)
	}
	pooled := 0.0
	for _, match := range []func(f finishedItem) bool{
		func(f finishedItem) bool { return f.stops == c.stops() },
		func(f finishedItem) bool { return f.revisit == revisit },
		func(finishedItem) bool { return true },
	} {
		// Each strategy weighing alike: its items' work is of its code
		// and tests and of the machine's load while it ran, and one with
		// many items says no more of another strategy than one with few.
		type sum struct{ work, n float64 }
		per := map[string]*sum{}
		for _, f := range items {
			if match(f) {
				s := per[f.label]
				if s == nil {
					s = &sum{}
					per[f.label] = s
				}
				s.work += f.work
				s.n++
			}
		}
		if len(per) > 0 {
			for _, k := range slices.Sorted(maps.Keys(per)) {
				pooled += per[k].work / per[k].n / float64(len(per))
			}
			break
		}
	}
	for _, match := range []func(f finishedItem) bool{
		func(f finishedItem) bool { return f.label == c.label && f.revisit == revisit },
		func(f finishedItem) bool { return f.label == c.label },
	} {
		var own, n float64
		for _, f := range items {
			if match(f) {
				own += f.work
				n++
			}
		}
		if n > 0 {
			return (own + shrink*pooled) / (n + shrink)
		}
	}
	return pooled
}

// shrink is the weight, in items, of the pooled mean in a strategy's
// price of a call or a fresh evaluation (see mean): its n items' mean
// own and the pooled mean pooled give (n·own + shrink·pooled)/(n +
// shrink). A strategy's first items say as much of the machine's load
// at the time as of its code and tests, so they do not set its price
// alone, and its own mean wins once it has many more than shrink: on
// quickstart-generate-12.csv at 34 s Reflexion's one fresh evaluation
// had 117 ms of work, the pooled mean was 213 ms, and its 69 averaged
// 181 ms (priced 199 ms, not 117); on ablation-k-selection.csv at 5m49s
// a variant's one fresh evaluation had 61 ms where the others' took
// seconds (priced 3.5 s, not 61 ms). It is the posterior mean of a
// normal model whose strategies' means spread about the pooled mean
// with variance τ² and whose items spread about their strategy's with
// σ², shrink being σ²/τ². That ratio, measured at the end of the
// recordings under testdata/timings, is 0.3-0.6 for fresh evaluations
// on code generation (strategies' means 80-316 ms, items within 45-70
// ms of them) and about 50 on the quickstart, so no one value follows
// from it, and estimating it from the items finished so far did worse
// than a constant. The constant was chosen on a design half of the
// recordings, the halves picked before either was replayed with it
// (see beyondBar): 6 is the smallest at which the design half's points
// within the bar stopped rising (454 of 570 at 6 to 128 and with a
// strategy's own items left out altogether, 447 to 453 at 1 to 5, 443
// unshrunk); the other half checked it. A median in place of a
// strategy's own mean did no better.
const shrink = 6.0

// hitWork is the work past which an evaluation in flight is taken to
// be fresh: between the median work of the finished cache hits and of
// the finished fresh ones, on a log scale (their geometric mean), the
// hits' taken as at least a millisecond (the events' clock). A hit ends
// within milliseconds and a compile takes seconds; the runner's own
// bookkeeping gives a hit milliseconds more now and then. It serves
// once evaluations tell their phases; before, a hit that waited for
// identical code counts its wait as work, and the hits' median serves.
func (m *etaModel) hitWork() float64 {
	median := func(items []finishedItem) float64 {
		w := make([]float64, len(items))
		for i, f := range items {
			w[i] = f.work
		}
		sort.Float64s(w)
		return w[len(w)/2]
	}
	hits, fresh := m.ended[classCached], m.ended[classFresh]
	switch {
	case len(hits) == 0:
		return 0
	case len(fresh) == 0:
		return median(hits)
	}
	return math.Sqrt(max(median(hits), float64(time.Millisecond)) * median(fresh))
}

// residual is the work an item in flight still needs, having had had.
// A call needs what the finished calls that had more still needed (the
// median), or as much again when none did. An evaluation is a fresh one
// or a cache hit: each is as likely as its share of misses (miss) and
// the share of the finished ones of its kind (of its visit class if any)
// that had more, and needs what those still needed.
func (m *etaModel) residual(it *item, had, miss float64) float64 {
	if !it.eval {
		r, n := m.over(m.ended[classCall], had, it.cell.revisit)
		if n == 0 {
			return had
		}
		return r
	}
	rf, sf := m.over(m.ended[classFresh], had, it.cell.revisit)
	rc, sc := m.over(m.ended[classCached], had, it.cell.revisit)
	wf, wc := miss*sf, (1-miss)*sc
	if wf+wc == 0 {
		return had
	}
	return (wf*rf + wc*rc) / (wf + wc)
}

// over is the median of what the items that had more than had still
// needed, and their share of the items, of those of the visit class
// revisit if any had more.
func (m *etaModel) over(items []finishedItem, had float64, revisit bool) (float64, float64) {
	for _, visitClass := range []bool{true, false} {
		var over []float64
		n := 0
		for _, f := range items {
			if visitClass && f.revisit != revisit {
				continue
			}
			n++
			if f.work > had {
				over = append(over, f.work-had)
			}
		}
		if len(over) > 0 {
			sort.Float64s(over)
			return over[len(over)/2], float64(len(over)) / float64(n)
		}
	}
	return 0, 0
}

// cost is the work of calls calls and evals evaluations, of which miss
// miss the cache, of a cell of the visit class revisit, and the slot's
// wall time the fresh ones will take.
func (m *etaModel) cost(c plannedCell, revisit bool, calls, evals, miss float64) work {
	return work{calls*m.mean(classCall, revisit, c) + evals*(miss*m.mean(classFresh, revisit, c)+(1-miss)*m.mean(classCached, revisit, c)) +
		(calls+evals)*m.overheadRate(c.label),
		evals * miss * m.slot.reach() * m.slot.each()}
}

// overheadRate is a cell's own work (see cellWork.idle) per call and
// evaluation it makes, of the finished cells of strategy label, else of
// all.
func (m *etaModel) overheadRate(label string) float64 {
	for _, all := range []bool{false, true} {
		var work, items float64
		for _, f := range m.done {
			if all || f.label == label {
				work += f.overhead
				items += float64(f.calls + f.evals)
			}
		}
		if items > 0 {
			return work / items
		}
	}
	return 0
}

// work is work left: shared work (nanoseconds of items working) and the
// timing slot's wall time.
type work struct{ shared, slot float64 }

func (w work) plus(o work) work { return work{w.shared + o.shared, w.slot + o.slot} }

// slotModel prices the timing slot. An evaluation that validated waits
// for it (queued) behind others, of this run and of other processes on
// the machine, and holds it alone while it times; meanwhile it does no
// work of its own, and shares no time with the items working, so the
// slot is priced apart, in wall time: each evaluation that will reach it
// at the wall time the run had evaluations at it over the evaluations
// that left it (waits for other processes' timing included), one timing
// as what the finished timings that took longer still took.
type slotModel struct {
	fresh  int       // fresh evaluations ended
	left   int       // evaluations ended after reaching the slot
	walls  []float64 // etaModel.wallSlot as each left it
	timing []float64 // wall time of each that held it, from getting it to its end
	// moved is when an evaluation of the run last got the slot, left it
	// or began to wait for it with none waiting.
	moved time.Time
}

// slotWindow is how many of the latest evaluations to leave the slot
// price it: other processes' use of the machine-wide slot comes and
// goes, so the run's whole past says less of the next minute than its
// latest evaluations do.
const slotWindow = 8

// ended learns an evaluation that left the slot when the run had had
// evaluations at it for wall.
func (s *slotModel) ended(it *item, at time.Time, wall float64) {
	s.left++
	s.moved = at
	s.walls = append(s.walls, wall)
	if it.phase == eventTiming {
		s.timing = append(s.timing, float64(at.Sub(it.phaseAt)))
	}
}

// each is the slot's wall time per evaluation: over the latest
// slotWindow evaluations to leave it, the wall time the run had
// evaluations at it per evaluation (0 until one left it).
func (s *slotModel) each() float64 {
	n := len(s.walls)
	if n == 0 {
		return 0
	}
	if n <= slotWindow {
		return s.walls[n-1] / float64(n)
	}
	return (s.walls[n-1] - s.walls[n-1-slotWindow]) / slotWindow
}

// reach is the share of fresh evaluations that reached the slot (the
// others did not compile or validate); 1 until one did.
func (s *slotModel) reach() float64 {
	if s.left == 0 || s.fresh == 0 {
		return 1
	}
	return min(1, float64(s.left)/float64(s.fresh))
}

// stalled is what the slot needs beyond its time per evaluation when
// the run's evaluations have waited for it for had with none of them
// getting it or leaving it: past the slot's time per evaluation, they
// wait on other processes' timing runs, for as long again.
func (s *slotModel) stalled(had float64) float64 {
	if had <= s.each() {
		return 0
	}
	return had
}

// rest is what an evaluation that has held the slot for had still needs:
// the median of what the finished timings that took longer still took,
// else the median timing.
func (s *slotModel) rest(had float64) float64 {
	var over, all []float64
	for _, d := range s.timing {
		all = append(all, d)
		if d > had {
			over = append(over, d-had)
		}
	}
	if len(over) == 0 {
		over = all
	}
	if len(over) == 0 {
		return 0
	}
	sort.Float64s(over)
	return over[len(over)/2]
}

// estimate is the time left for the cells running and pending plus
// unplanned more (priced as revisits of one evaluation); false until a
// cell has finished.
func (m *etaModel) estimate(now time.Time, unplanned int) (time.Duration, bool) {
	if len(m.done) == 0 {
		return 0, false
	}
	return time.Duration(m.parts(now, unplanned).total()).Round(time.Second), true
}

// etaParts is the work left by where it lies.
type etaParts struct {
	flight    work            // what the calls and evaluations in flight still need
	longest   string          // the item in flight that needs the most, described
	running   work            // what the running cells will still start
	pending   map[string]work // the cells not begun, per strategy
	unplanned work
	// overlap is how much the items working and the slot overlapped so
	// far: the wall time either was busy over the sum of their wall
	// times (1 when the slot was never used).
	overlap float64
}

// total is the time left: the shared work and the slot's wall time
// overlapping as they did so far, and at least either.
func (p etaParts) total() float64 {
	t := p.flight.plus(p.running).plus(p.unplanned)
	for _, w := range p.pending {
		t = t.plus(w)
	}
	return max(t.shared, t.slot, (t.shared+t.slot)*p.overlap)
}

// String says where the work left lies, for the recorded-timings test.
func (p etaParts) String() string {
	sec := func(w work) string {
		out := time.Duration(w.shared).Round(100 * time.Millisecond).String()
		if w.slot > 0 {
			out += "+slot " + time.Duration(w.slot).Round(100*time.Millisecond).String()
		}
		return out
	}
	out := fmt.Sprintf("in flight %s", sec(p.flight))
	if p.longest != "" {
		out += " (most: " + p.longest + ")"
	}
	out += ", running cells' next calls and evaluations " + sec(p.running)
	names := make([]string, 0, len(p.pending))
	for l := range p.pending {
		names = append(names, l)
	}
	sort.Strings(names)
	for _, l := range names {
		out += ", pending " + l + " " + sec(p.pending[l])
	}
	if p.overlap < 1 {
		out += fmt.Sprintf(", overlap %.2f", p.overlap)
	}
	return out
}

// parts is the work left (see etaModel).
func (m *etaModel) parts(now time.Time, unplanned int) etaParts {
	p := etaParts{pending: map[string]work{}, overlap: 1}
	if m.wallWork+m.wallSlot > 0 {
		p.overlap = m.wallBusy / (m.wallWork + m.wallSlot)
	}
	shared := m.sharedAt(now)
	each, reach := m.slot.each(), m.slot.reach()
	decline := m.decline()
	// latest is, per problem, one past its latest visit to finish.
	latest := map[string]int{}
	for _, f := range m.done {
		latest[f.problem] = max(latest[f.problem], f.visit+1)
	}
	// missOf is the share of a revisit's evaluations that miss the cache:
	// the latest finished visit's share, falling by decline per visit
	// since, or else the share learned of like cells.
	lastShares := map[string][2]float64{} // per problem: lastShare, and 1 if it has one
	missOf := func(problem string, visit int, like float64) float64 {
		last, ok := lastShares[problem]
		if !ok {
			s, found := m.lastShare(problem)
			last = [2]float64{s, 0}
			if found {
				last[1] = 1
			}
			lastShares[problem] = last
		}
		if s := last[0]; last[1] == 1 {
			return s * math.Pow(decline, float64(max(1, visit-latest[problem]+1)))
		}
		return like
	}
	// An evaluation in flight is as likely to miss as its place's share
	// (a first visit's) or its visit's (a revisit's). A revisit's
	// evaluation likely waits on its problem's oldest in flight (identical
	// code is evaluated once) and adds nothing; the oldest waits on none:
	// once it has had more work than a cache hit takes, it is fresh.
	oldest := map[string]*item{} // per problem: its oldest evaluation in flight
	timing := false              // an evaluation of the run holds the slot
	for it := range m.flying {
		if o := oldest[it.cell.problem]; it.eval && (o == nil || it.before(o)) {
			oldest[it.cell.problem] = it
		}
		timing = timing || it.phase == eventTiming
	}
	if m.atSlot > 0 && !timing {
		p.flight.slot += m.slot.stalled(float64(now.Sub(m.slot.moved)))
	}
	hit := m.mean(classCached, true, plannedCell{units: 1})
	if m.phased {
		hit = m.hitWork()
	}
	var most float64
	for it := range m.flying {
		switch {
		case it.eval && m.phased:
			switch it.phase {
			case eventWaiting:
				continue
			case eventQueued:
				p.flight.slot += each
				continue
			case eventTiming:
				p.flight.slot += m.slot.rest(float64(now.Sub(it.phaseAt)))
				continue
			}
		case it.eval && it.cell.revisit && oldest[it.cell.problem] != it:
			continue
		}
		_, _, miss := m.price(it.cell.plannedCell, it.cell.revisit)
		if it.cell.revisit {
			miss = missOf(it.cell.problem, it.cell.visit, miss)
		} else if f, ok := m.ahead(it.cell.label, it.place, float64(it.place+1)); ok {
			miss = f
		}
		had := it.done(shared)
		if (oldest[it.cell.problem] == it || m.phased) && had > hit {
			miss = 1
		}
		r := m.residual(it, had, miss)
		if it.eval {
			p.flight.slot += miss * reach * each
		}
		if r > most {
			most = r
			what := "call"
			if it.eval {
				what = fmt.Sprintf("evaluation %d", it.place+1)
			}
			p.longest = fmt.Sprintf("%s %s %s, %.0f%% likely fresh, had %s, needs %s", it.cell.label, it.cell.problem, what, 100*miss,
				time.Duration(had).Round(100*time.Millisecond), time.Duration(r).Round(100*time.Millisecond))
		}
		p.flight.shared += r
	}
	for _, c := range m.running {
		calls, evals, miss := m.price(c.plannedCell, c.revisit)
		if c.revisit {
			miss = missOf(c.problem, c.visit, miss)
		}
		if c.evals > 0 && c.revisit {
			// Its own evaluations so far say how much of its code is new.
			miss = (miss + float64(c.fresh)/float64(c.evals)) / 2
		}
		left := max(0, evals-float64(c.evals+c.evaluating))
		if f, ok := m.ahead(c.label, c.evals+c.evaluating, evals); ok && !c.revisit && left > 0 {
			miss = f / left
		}
		p.running = p.running.plus(m.cost(c.plannedCell, c.revisit, max(0, calls-float64(c.calls+c.calling)), left, miss))
	}
	visits := map[string]int{} // per problem, pending cells before
	type class struct {
		plannedCell
		revisit bool
	}
	price := map[class][3]float64{}    // pending cells share few classes: calls, evaluations, misses
	firstVisit := map[string]float64{} // per strategy: a pending first visit's evaluations that miss
	for _, c := range m.pending {
		visit := m.visits[c.problem] + visits[c.problem]
		visits[c.problem]++
		k := class{c, visit > 0}
		k.problem = ""
		pr, ok := price[k]
		if !ok {
			calls, evals, miss := m.price(k.plannedCell, k.revisit)
			pr = [3]float64{calls, evals, miss}
			price[k] = pr
		}
		miss := pr[2]
		if k.revisit {
			miss = missOf(c.problem, visit, miss)
		} else if f, ok := firstVisit[c.label]; ok && pr[1] > 0 {
			miss = f / pr[1]
		} else if f, ok := m.ahead(c.label, 0, pr[1]); ok && pr[1] > 0 {
			firstVisit[c.label] = f
			miss = f / pr[1]
		}
		p.pending[c.label] = p.pending[c.label].plus(m.cost(c, k.revisit, pr[0], pr[1], miss))
	}
	calls, evals, miss := m.price(plannedCell{units: 1, callUnits: 1}, true)
	w := m.cost(plannedCell{units: 1, callUnits: 1}, true, calls, evals, miss)
	p.unplanned = work{float64(unplanned) * w.shared, float64(unplanned) * w.slot}
	return p
}
