package view

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/lessonlab/lessonl/internal/record"
)

// records is every row of one cell.
type records struct {
	Cell       *record.Cell // nil when the cells table has no row for it
	Calls      []record.LLMCall
	Candidates []record.Candidate
	Lessons    []record.Lesson
	Selections []record.Selection
}

// readCell reads the rows of one cell through record.ReadCell.
func readCell(dir string, c *cellRef) (*records, error) {
	b, err := record.ReadCell(dir, c.Key())
	if err != nil {
		return nil, fmt.Errorf("read cell: %w", err)
	}
	recs := &records{Calls: b.LLMCalls, Candidates: b.Candidates, Lessons: b.Lessons, Selections: b.Selections}
	if len(b.Cells) > 0 {
		recs.Cell = &b.Cells[len(b.Cells)-1]
	}
	return recs, nil
}

// cellPage is everything a cell's page shows.
type cellPage struct {
	page
	Ref            *cellRef
	Cell           *record.Cell
	Label          string
	RoundBest      []float64
	BaselineSource string // where the diffs' old side came from
	Rounds         []*roundView
	Calls          int
	Shown          int // lessons shown across rounds
	// Tests: the cell's task shows answers by the hidden tests that grade
	// them (code generation), with no speedup; Scored: by the status and
	// score its task gave them (candidates.score), with no speedup;
	// neither: by their speedup (its part's shows). AnswerText and
	// AnswerClass show its answer either way.
	Tests, Scored bool
	AnswerText    string
	AnswerClass   string
	// Why explains the answer, as its task's part does: what the strategy
	// saw when it chose it and, for code generation, which candidates the
	// hidden tests would have passed.
	Why []string
	// Permalink is the cell's readable address on the server:
	// /cell/STRATEGY/PROBLEM/SEED.
	Permalink string
}

type roundView struct {
	Round      int64
	Selections []selectionView
	Candidates []candidateView
	Lessons    []record.Lesson
	Calls      []callView
}

type selectionView struct {
	record.Selection
	Lesson *record.Lesson // nil when the bank's row is missing
	Agents []string       // the agents whose prompts showed it
}

type candidateView struct {
	record.Candidate
	Class     string
	Detail    string
	Dropped   int // bytes of detail not shown
	Diff      *Diff
	CodeLines int
	// SameAs names an earlier candidate of the cell with identical code:
	// its diff and code are shown there, once.
	SameAs string
	// PrevDiff is the diff against the same agent's candidate of the
	// previous round (PrevID), when there is one with other code.
	PrevDiff *Diff
	PrevID   string
	// CachedFrom is, for a cached candidate, the candidate of this cell
	// whose evaluation of identical code it reused ("" when that one ran
	// in another cell); its compile and run times are the real ones.
	CachedFrom                   string
	CachedCompileMS, CachedRunMS int64
}

type callView struct {
	record.LLMCall
	Messages []message
}

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// cell reads and arranges one cell's page.
func (s *Site) cell(c *cellRef, static bool) (*cellPage, error) {
	recs, err := readCell(c.Dir, c)
	if err != nil {
		return nil, err
	}
	p := &cellPage{page: page{Title: fmt.Sprintf("%s · %s · seed %d", label(c.Result.Strategy, c.Result.Variant), c.Result.ProblemID, c.Result.Seed),
		Root: "../", Static: static, Simulated: s.rep.Runs.Simulated(), Banner: s.banner()}, Ref: c, Cell: recs.Cell, Label: label(c.Result.Strategy, c.Result.Variant), Calls: len(recs.Calls)}
	pt := partOf(c.Task)
	p.Tests, p.Scored = pt.shows() == byTests, pt.shows() == byScore
	p.AnswerText, p.AnswerClass, _ = score(c.Result, c.Task)
	p.RoundBest = pt.roundBest(c.Result)

	sort.SliceStable(recs.Calls, func(i, j int) bool { return recs.Calls[i].CallID < recs.Calls[j].CallID })
	sort.SliceStable(recs.Candidates, func(i, j int) bool { return recs.Candidates[i].CandidateID < recs.Candidates[j].CandidateID })
	sort.SliceStable(recs.Lessons, func(i, j int) bool { return recs.Lessons[i].LessonID < recs.Lessons[j].LessonID })
	sort.SliceStable(recs.Selections, func(i, j int) bool {
		a, b := recs.Selections[i], recs.Selections[j]
		if a.RoundShown != b.RoundShown {
			return a.RoundShown < b.RoundShown
		}
		return a.Reason+a.LessonID < b.Reason+b.LessonID
	})

	baseline, src := s.baseline(c.Result.ProblemID, recs.Calls)
	p.BaselineSource = src

	rounds := map[int64]*roundView{}
	round := func(r int64) *roundView {
		if rounds[r] == nil {
			rounds[r] = &roundView{Round: r}
		}
		return rounds[r]
	}
	lessons := map[string]*record.Lesson{}
	for i := range recs.Lessons {
		l := &recs.Lessons[i]
		lessons[l.LessonID] = l
		round(l.RoundWritten).Lessons = append(round(l.RoundWritten).Lessons, *l)
	}
	// A lesson shown to several agents in a round is one row per agent in
	// the table and one line here, naming them.
	shown := map[string]int{} // index in its round's Selections
	for _, sel := range recs.Selections {
		r := round(sel.RoundShown)
		k := fmt.Sprint(sel.RoundShown, "|", sel.LessonID)
		if i, ok := shown[k]; ok {
			r.Selections[i].Agents = append(r.Selections[i].Agents, sel.Agent)
			continue
		}
		shown[k] = len(r.Selections)
		r.Selections = append(r.Selections, selectionView{Selection: sel, Lesson: lessons[sel.LessonID], Agents: []string{sel.Agent}})
		p.Shown++
	}
	evaluated := map[string]record.Candidate{} // code hash → the candidate whose evaluation ran
	for _, k := range recs.Candidates {
		if _, ok := evaluated[k.CodeHash]; !ok && !k.Cached && k.CodeHash != "" {
			evaluated[k.CodeHash] = k
		}
	}
	first := map[string]string{} // code hash → the first candidate with that code
	type agentRound struct {
		agent string
		round int64
	}
	byAgent := map[agentRound]record.Candidate{}
	for _, k := range recs.Candidates {
		if _, ok := byAgent[agentRound{k.Agent, k.Round}]; !ok {
			byAgent[agentRound{k.Agent, k.Round}] = k
		}
	}
	for _, k := range recs.Candidates {
		cv := candidateView{Candidate: k, Class: pt.candidateClass(k), CodeLines: len(splitLines(k.Code))}
		cv.Detail, cv.Dropped = truncate(k.Detail, s.opts.MaxOutput)
		if o, ok := evaluated[k.CodeHash]; ok && k.Cached {
			cv.CachedFrom, cv.CachedCompileMS, cv.CachedRunMS = o.CandidateID, o.CompileMS, o.RunMS
		}
		if k.Code != "" {
			if id, ok := first[k.CodeHash]; ok && k.CodeHash != "" {
				cv.SameAs = id
			} else {
				first[k.CodeHash] = k.CandidateID
				cv.Diff = Unified(baseline, k.Code, s.opts.Context)
				if prev, ok := byAgent[agentRound{k.Agent, k.Round - 1}]; ok && prev.Code != "" && prev.CodeHash != k.CodeHash {
					cv.PrevDiff, cv.PrevID = Unified(prev.Code, k.Code, s.opts.Context), prev.CandidateID
				}
			}
		}
		round(k.Round).Candidates = append(round(k.Round).Candidates, cv)
	}
	for _, call := range recs.Calls {
		cv := callView{LLMCall: call}
		if err := json.Unmarshal([]byte(call.Prompt), &cv.Messages); err != nil {
			cv.Messages = []message{{Role: "prompt (not JSON)", Content: call.Prompt}}
		}
		round(call.Round).Calls = append(round(call.Round).Calls, cv)
	}
	for _, r := range rounds {
		p.Rounds = append(p.Rounds, r)
	}
	sort.Slice(p.Rounds, func(i, j int) bool { return p.Rounds[i].Round < p.Rounds[j].Round })
	p.Why = pt.why(c.Result, recs.Candidates)
	p.Permalink = permalink(c.Result)
	return p, nil
}

// permalink is a cell's readable address: /cell/STRATEGY/PROBLEM/SEED,
// the strategy with its variant in brackets, a "/" in the problem's id
// as "-" (/cell/lessonl/HumanEval-3/1).
func permalink(r record.Result) string {
	return "/cell/" + url.PathEscape(label(r.Strategy, r.Variant)) + "/" + url.PathEscape(strings.ReplaceAll(r.ProblemID, "/", "-")) + "/" + fmt.Sprint(r.Seed)
}

// whyTests explains a code-generation answer from its cell's
// candidates: what the strategy saw (its generated tests) beside what
// grades the answer (the hidden tests), and the candidates that would
// have passed.
func whyTests(cands []record.Candidate) []string {
	final, none := finalAnswer(cands)
	if final == nil {
		return none
	}
	var out []string
	gen := func(k record.Candidate) string {
		if k.TestsTotal == 0 {
			return "no generated tests"
		}
		return fmt.Sprintf("%d/%d generated tests", k.TestsPassed, k.TestsTotal)
	}
	most := true
	for _, k := range cands {
		if k.TestsTotal > 0 && (final.TestsTotal == 0 || float64(k.TestsPassed)/float64(k.TestsTotal) > float64(final.TestsPassed)/float64(final.TestsTotal)) {
			most = false
		}
	}
	rule := "the most of the cell's candidates"
	if !most {
		rule = "not the most: the strategy chose it by its own rule"
	}
	out = append(out, fmt.Sprintf("The strategy saw only its own generated tests: the answer %s (by %s) passed %s, %s (%d candidates).", final.CandidateID, final.Agent, gen(*final), rule, len(cands)))
	out = append(out, fmt.Sprintf("The hidden tests, which no agent sees, grade it: %d/%d passed, so the answer %s.", final.Passed, final.Total,
		map[bool]string{true: "passed", false: "failed"}[final.Status == "passed"]))
	if final.Status != "passed" {
		var missed []string
		seen := map[string]bool{final.CodeHash: true} // each code once
		for _, k := range cands {
			if k.Status == "passed" && !seen[k.CodeHash] {
				seen[k.CodeHash] = true
				missed = append(missed, fmt.Sprintf("%s (by %s, %s)", k.CandidateID, k.Agent, gen(k)))
			}
		}
		if len(missed) > 0 {
			out = append(out, fmt.Sprintf("Passed every hidden test but not chosen: %s.", strings.Join(missed, ", ")))
		}
	}
	return out
}

// baseline returns the code candidates are diffed against and where it
// came from.
func (s *Site) baseline(problem string, calls []record.LLMCall) (string, string) {
	if s.opts.Baseline != nil {
		if code, ok := s.opts.Baseline(problem); ok {
			return code, "the problem's baseline code"
		}
	}
	for _, c := range calls {
		var msgs []message
		if json.Unmarshal([]byte(c.Prompt), &msgs) != nil {
			continue
		}
		for _, m := range msgs {
			if m.Role != "user" {
				continue
			}
			if code, ok := firstFence(m.Content); ok {
				return code, "the code in the first prompt (call " + c.CallID + "); the run folder keeps no problems table (recorded before it did), so its problems' own code was not at hand"
			}
		}
	}
	return "", "nothing: neither the problem nor a prompt showed the baseline, so each diff shows the whole code"
}
