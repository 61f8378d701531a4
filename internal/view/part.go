package view

import (
	"encoding/json"
	"fmt"

	"github.com/lessonlab/lessonl/analysis"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/stats"
)

// Every page that shows a cell asks its task's part, found by partOf,
// how: the overview's grid, cell list and metrics tables, and the cell's
// page. optimize's (speedupPart: answers by their speedup) and
// generate's (testsPart: answers by the hidden tests they passed) are
// the two parts registered here; any other task's cells are shown by
// scorePart, from what every task's records hold (a status, a score and
// the task's detail), so a new task's cells render without a line here.

// showing is how the pages show a task's answers: the templates' three
// ways of writing an answer, a candidate and a lesson.
type showing int

const (
	// bySpeedup: a timed answer, by its speedup when correct, else its
	// status; lessons with their speedup.
	bySpeedup showing = iota
	// byTests: an answer graded by hidden tests, beside the tests the
	// strategy generated; no speedup.
	byTests
	// byScore: an answer by its status and its task's score.
	byScore
)

// part is a task's part of the browser's pages.
type part interface {
	// Name is the task's name.
	Name() string
	// shows is how the templates write the task's answers.
	shows() showing
	// candidateClass is the colour class of one of the task's candidates.
	candidateClass(k record.Candidate) string
	// why explains a cell's answer from its candidates.
	why(r record.Result, cands []record.Candidate) []string
	// roundBest is the best value after each round the cell's page
	// follows; nil for none.
	roundBest(r record.Result) []float64
	// listText is the cell list's text of an answer that score wrote as
	// text, for a cell whose answer is correct or not.
	listText(text string, correct bool) string
	// summarize sets a grid square's summary and colour over its seeds'
	// entries (sorted by seed, at least one).
	summarize(sq *square)
	// metricsRow adds one of the task's metrics rows (analysis.Metrics)
	// to the overview's tables.
	metricsRow(p *overviewPage, r analysis.Row)
}

// parts are the parts registered by their task's name.
var parts = map[string]part{}

func init() {
	for _, pt := range []part{speedupPart{}, testsPart{}} {
		parts[pt.Name()] = pt
	}
}

// partOf is the part of the named task: its registered one, optimize's
// for a cell recorded without a task, else the generic scorePart.
func partOf(task string) part {
	if task == "" {
		return speedupPart{}
	}
	if pt, ok := parts[task]; ok {
		return pt
	}
	return scorePart{name: task}
}

// speedupPart shows optimize's cells: answers by their speedup, squares
// by their seeds' geometric mean (the paper's convention).
type speedupPart struct{}

func (speedupPart) Name() string   { return analysis.TaskOptimize }
func (speedupPart) shows() showing { return bySpeedup }

func (speedupPart) candidateClass(k record.Candidate) string {
	return speedClass(k.Status == "correct", k.Speedup)
}

func (speedupPart) roundBest(r record.Result) []float64 {
	var best []float64
	json.Unmarshal([]byte(r.RoundBest), &best) // none shown when it does not parse
	return best
}

func (speedupPart) listText(text string, correct bool) string { return dashUnless(text, correct) }

// summarize sets the square's geometric mean over its seeds, with the
// paper's convention (a failed or slower answer counts 1×), and colour.
func (speedupPart) summarize(sq *square) {
	anyCorrect := false
	speedups := make([]float64, len(sq.Entries))
	for i, e := range sq.Entries {
		speedups[i] = 1
		if e.Correct && e.Speedup > 1 {
			speedups[i] = e.Speedup
		}
		anyCorrect = anyCorrect || e.Correct
	}
	sq.GeoMean = stats.GeoMean(speedups)
	sq.Summary = speedup(sq.GeoMean)
	sq.Class = speedClass(anyCorrect, sq.GeoMean)
}

func (speedupPart) metricsRow(p *overviewPage, r analysis.Row) { p.Rows = append(p.Rows, r) }

// why explains an optimize answer: its place among the correct
// candidates.
func (speedupPart) why(r record.Result, cands []record.Candidate) []string {
	final, none := finalAnswer(cands)
	if final == nil {
		return none
	}
	best := *final
	for _, k := range cands {
		if k.Status == "correct" && k.Speedup > best.Speedup {
			best = k
		}
	}
	switch {
	case final.Status != "correct":
		return []string{fmt.Sprintf("The answer %s is %s: no candidate was correct and faster, so the cell counts 1×.", final.CandidateID, final.Status)}
	case best.CandidateID == final.CandidateID:
		return []string{fmt.Sprintf("The answer %s (by %s) is the fastest correct candidate of %d: %s.", final.CandidateID, final.Agent, len(cands), speedup(final.Speedup))}
	}
	return []string{fmt.Sprintf("The answer %s (by %s, %s) is the strategy's choice by its own rule; %s (by %s) measured faster here: %s.",
		final.CandidateID, final.Agent, speedup(final.Speedup), best.CandidateID, best.Agent, speedup(best.Speedup))}
}

// testsPart shows generate's cells: answers by the hidden tests they
// passed, squares by how many seeds' answers passed.
type testsPart struct{}

func (testsPart) Name() string   { return analysis.TaskGenerate }
func (testsPart) shows() showing { return byTests }

func (testsPart) candidateClass(k record.Candidate) string { return passClass(k.Status == "passed") }

// roundBest is nil: a code-generation cell has no speedups to follow.
func (testsPart) roundBest(record.Result) []float64 { return nil }

func (testsPart) listText(text string, _ bool) string { return text }

func (testsPart) summarize(sq *square) { passedOf(sq, "passed") }

func (testsPart) metricsRow(p *overviewPage, r analysis.Row) { p.GenRows = append(p.GenRows, r) }

func (testsPart) why(r record.Result, cands []record.Candidate) []string { return whyTests(cands) }

// scorePart shows the cells of a task registered without a part of its
// own: answers by their status and score as the task gave them
// (candidates.score, results.score), coloured correct or not, squares
// by how many seeds' answers are correct.
type scorePart struct{ name string }

func (s scorePart) Name() string { return s.name }
func (scorePart) shows() showing { return byScore }

func (scorePart) candidateClass(k record.Candidate) string { return passClass(k.Status == "correct") }

func (scorePart) roundBest(record.Result) []float64 { return nil }

func (scorePart) listText(text string, _ bool) string { return text }

func (scorePart) summarize(sq *square) { passedOf(sq, "correct") }

func (scorePart) metricsRow(p *overviewPage, r analysis.Row) { p.Rows = append(p.Rows, r) }

// why names the candidate the strategy answered and its status and
// score as its task gave them.
func (scorePart) why(_ record.Result, cands []record.Candidate) []string {
	final, none := finalAnswer(cands)
	if final == nil {
		return none
	}
	return []string{fmt.Sprintf("The answer %s (by %s, of %d candidates) is %s with score %g, as its task scored it.", final.CandidateID, final.Agent, len(cands), final.Status, final.Score)}
}

// dashUnless is text for a correct answer, else "–".
func dashUnless(text string, correct bool) string {
	if !correct {
		return "–"
	}
	return text
}

// passedOf sums a square up as how many of its seeds' answers are
// correct ("k/n passed" by the word given), coloured pass when all are.
func passedOf(sq *square, word string) {
	passed := 0
	for _, e := range sq.Entries {
		if e.Correct {
			passed++
		}
	}
	sq.Summary = fmt.Sprintf("%d/%d %s", passed, len(sq.Entries), word)
	sq.Class = passClass(passed == len(sq.Entries))
}

// finalAnswer is the candidate marked as the cell's answer; when there is
// none, nil and what the page says instead.
func finalAnswer(cands []record.Candidate) (*record.Candidate, []string) {
	var final *record.Candidate
	for i := range cands {
		if cands[i].FinalAnswer {
			final = &cands[i]
		}
	}
	if final != nil {
		return final, nil
	}
	if len(cands) == 0 {
		return nil, []string{"No candidate was evaluated."}
	}
	return nil, []string{fmt.Sprintf("None of the %d candidates is marked as the answer.", len(cands))}
}
