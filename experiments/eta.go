package experiments

import (
	"time"

	"github.com/lessonlab/lessonl/datasets"
)

// etaModel estimates the time a run has left as the work it has left.
//
// Cells that run at once share the machine (the exclusive timing slot,
// the cores, the endpoints), so a cell's wall time says little of its
// cost: the same LessonL cell takes twice as long beside three others
// queueing for the slot as beside cache hits. Its work is instead its
// share of the run: each stretch of time is split evenly among the cells
// running then (processor sharing). The shares of all cells add up to
// the run's wall time, so the time left is the work left: what the
// running cells still need and what the cells not begun will need.
//
// A cell's work is learned from the finished cells most like it. Cells
// differ by strategy (a LessonL cell of 4 rounds × 3 agents against one
// call) and by visit: a problem's first cell carries the problem's
// builds, and a cell that revisits a problem finds the candidates of the
// cells before it in the evaluation cache. So a cell is priced, first
// match wins, at the mean work of the finished cells of
//
//  1. its strategy (variant included);
//  2. its kind, per planned evaluation (the most its parameters allow),
//     times its planned evaluations;
//  3. any kind, per planned evaluation, times its own, each kind's rate
//     weighing alike (a LessonL revisit plans 12 evaluations and finds
//     most in the cache: pooled, it would set the rate of all);
//
// of its visit class (first visit or revisit) if there are any, else of
// either. A cell that began while another cell of its problem ran may
// have waited on that cell's builds or candidates (identical code is
// evaluated once), so within each of these it is learned from only when
// no cell that began alone matches. Evaluations are the unit because they are what costs on the
// sim team and with models alike (every candidate came from a call);
// strategies that stop early (reflexion, MapCoder) use fewer than
// planned, so a strategy with no finished cell is priced high until one
// finishes.
//
// A running cell needs its price less the work it has had; one that had
// more needs what the finished cells like it that had more still needed,
// on average. One that had more than all of them waits on work in flight
// (a build, a candidate's evaluation or a slow call), its own or, when
// a cell of its problem that began before it is still within its price,
// that cell's, which that cell's price counts already. A wait is not
// work shared with the other cells but time that passes beside them; the
// cells of a problem that wait on one build or candidate end together,
// so each problem waits once, from when its first waiting cell began,
// and a wait is as far from its end as from its start (the median of
// what is left of a span known only to have lasted so long). The ETA is
// the work left or the longest wait, whichever is longer.
type etaModel struct {
	pending []plannedCell          // not begun, in dispatch order (empty without a plan)
	running map[string]runningCell // by cell key
	visits  map[string]int         // cells begun per problem
	done    []finishedCell
	shared  float64   // work per running cell since the run began (nanoseconds): ∫ dt / cells running
	at      time.Time // when shared was last brought up to date
}

// plannedCell is a cell as the ETA prices it.
type plannedCell struct {
	label, kind, problem string
	units                float64 // planned evaluations, at least 1
}

type runningCell struct {
	plannedCell
	revisit bool      // a cell of its problem began before it
	beside  bool      // began while another cell of its problem ran
	began   time.Time // wall time
	shared  float64   // etaModel.shared when it began
}

type finishedCell struct {
	runningCell
	work float64 // nanoseconds
}

// plan records the cells to come, in dispatch order.
func (m *etaModel) plan(cells []Cell, task datasets.Task) {
	m.pending = m.pending[:0]
	for _, c := range cells {
		_, evals := costOf(c.Kind, c.Params, len(c.Agents), task)
		m.pending = append(m.pending, plannedCell{label: label(c), kind: c.Kind, problem: c.Problem, units: float64(max(1, evals))})
	}
}

// sharedAt is shared brought up to now.
func (m *etaModel) sharedAt(now time.Time) float64 {
	if n := len(m.running); n > 0 && now.After(m.at) {
		return m.shared + float64(now.Sub(m.at))/float64(n)
	}
	return m.shared
}

// advance brings shared up to now.
func (m *etaModel) advance(now time.Time) {
	m.shared = m.sharedAt(now)
	if now.After(m.at) {
		m.at = now
	}
}

// begin moves a cell from pending to running (a cell outside the plan
// is priced as one evaluation of an unknown kind). A cell the runner
// redoes (the machine was too busy) begins again while running: it
// keeps its first begin, whose time it spent.
func (m *etaModel) begin(key, s, problem string, at time.Time) {
	if m.running == nil {
		m.running, m.visits = map[string]runningCell{}, map[string]int{}
	}
	if _, ok := m.running[key]; ok {
		return
	}
	m.advance(at)
	pc := plannedCell{label: s, problem: problem, units: 1}
	for i, p := range m.pending {
		if p.label == s && p.problem == problem {
			pc = p
			m.pending = append(m.pending[:i], m.pending[i+1:]...)
			break
		}
	}
	beside := false
	for _, r := range m.running {
		beside = beside || r.problem == problem
	}
	m.running[key] = runningCell{plannedCell: pc, revisit: m.visits[problem] > 0, beside: beside, began: at, shared: m.shared}
	m.visits[problem]++
}

// end learns a finished cell's work.
func (m *etaModel) end(key string, at time.Time) {
	r, ok := m.running[key]
	if !ok {
		return
	}
	m.advance(at)
	delete(m.running, key)
	m.done = append(m.done, finishedCell{r, m.shared - r.shared})
}

// expect is the work expected of a cell (see etaModel) and the finished
// cells it was learned from.
func (m *etaModel) expect(c plannedCell, revisit bool) (float64, []finishedCell) {
	levels := []func(f finishedCell) bool{
		func(f finishedCell) bool { return f.label == c.label },
		func(f finishedCell) bool { return c.kind != "" && f.kind == c.kind },
		func(finishedCell) bool { return true },
	}
	filters := []func(f finishedCell) bool{
		func(f finishedCell) bool { return f.revisit == revisit && !f.beside },
		func(f finishedCell) bool { return f.revisit == revisit },
		func(f finishedCell) bool { return !f.beside },
		func(finishedCell) bool { return true },
	}
	for i, level := range levels {
		for _, filter := range filters {
			var work, units float64
			var like []finishedCell
			for _, f := range m.done {
				if level(f) && filter(f) {
					work += f.work
					units += f.units
					like = append(like, f)
				}
			}
			if len(like) == 0 {
				continue
			}
			switch i {
			case 0:
				return work / float64(len(like)), like
			case 1:
				return work / units * c.units, like
			}
			// Any kind: each kind's rate weighs alike, so that one kind's
			// many planned evaluations do not set the rate of all.
			kw, ku := map[string]float64{}, map[string]float64{}
			for _, f := range like {
				kw[f.kind] += f.work
				ku[f.kind] += f.units
			}
			var rate float64
			for k := range kw {
				rate += kw[k] / ku[k]
			}
			return rate / float64(len(kw)) * c.units, like
		}
	}
	return 0, nil
}

// need is the work a running cell that has had had is expected to need
// still; waits says it has outrun every finished cell like it.
func (m *etaModel) need(r runningCell, had float64) (work float64, waits bool) {
	mean, like := m.expect(r.plannedCell, r.revisit)
	if had < mean {
		return mean - had, false
	}
	var over float64
	n := 0
	for _, f := range like {
		if f.work > had {
			over += f.work - had
			n++
		}
	}
	if n > 0 {
		return over / float64(n), false
	}
	return 0, true
}

// estimate is the time left for the cells running and pending plus
// unplanned more (counted as revisits of one evaluation); false until a
// cell has finished.
func (m *etaModel) estimate(now time.Time, unplanned int) (time.Duration, bool) {
	if len(m.done) == 0 {
		return 0, false
	}
	shared := m.sharedAt(now)
	var work float64
	waiting := map[string]bool{} // by cell key
	for key, r := range m.running {
		w, waits := m.need(r, shared-r.shared)
		work += w
		waiting[key] = waits
	}
	since := map[string]time.Time{} // per problem: when its first waiting cell began
	for key, r := range m.running {
		if !waiting[key] {
			continue
		}
		covered := false
		for k, o := range m.running {
			covered = covered || (o.problem == r.problem && o.began.Before(r.began) && !waiting[k])
		}
		if s, ok := since[r.problem]; !covered && (!ok || r.began.Before(s)) {
			since[r.problem] = r.began
		}
	}
	var wait float64
	for _, from := range since {
		wait = max(wait, float64(now.Sub(from)))
	}
	revisit := map[string]bool{}
	type class struct {
		plannedCell
		revisit bool
	}
	price := map[class]float64{} // pending cells share few classes
	for _, c := range m.pending {
		k := class{c, m.visits[c.problem] > 0 || revisit[c.problem]}
		k.problem = ""
		w, ok := price[k]
		if !ok {
			w, _ = m.expect(k.plannedCell, k.revisit)
			price[k] = w
		}
		work += w
		revisit[c.problem] = true
	}
	w, _ := m.expect(plannedCell{units: 1}, true)
	work += float64(unplanned) * w
	return time.Duration(max(work, wait)).Round(time.Second), true
}
