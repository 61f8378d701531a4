package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lessonlab/lessonl/internal/record"
)

// Runs is the records of one or more run folders, read once.
type Runs struct {
	Dirs       []string
	Groups     []record.Group // the runs the folders hold (see record.GroupRuns)
	Notes      []string       // what loading merged and kept apart, one sentence each
	Manifests  []*record.Manifest
	Results    []Result // with their keys; Variant is Keys.Variant()
	Candidates []record.Candidate
	Calls      []record.LLMCall
	Selections []record.Selection
	Lessons    []record.Lesson
	// Order is the order the user asked the series in (Pick), the
	// figures' and tables' order after the reference; nil for by name.
	Order []string
	// Warnings say, a sentence each, what makes the records partial: a
	// run that is interrupted, incomplete or has failed cells (with its
	// counts), or strategies with unequal numbers of cells.
	Warnings []string
	// Runs is each run's completeness: planned, done, failed, state.
	Runs []Completeness

	origin    map[string]Origin // by the analysis key of a result
	protocols map[string]string // by run folder: its strategies' protocols as Protocol says them
}

// Origin is where a result of the analysis was recorded: its run folder
// and its variant as recorded there (the analysis label may add mode and
// run keys).
type Origin struct {
	Dir, Variant string
	// Strategy is the strategy as recorded when Pick renamed it ("" when
	// it is the result's own).
	Strategy string
}

// Origin returns where the cell with this analysis key (record.Key of the
// result's strategy, variant, problem and seed) was recorded.
func (r *Runs) Origin(key string) (Origin, bool) {
	o, ok := r.origin[key]
	return o, ok
}

// Load reads the tables analysis needs from each run folder, with each
// cell's keys (run, mode, protocol, model, parameters; see Keys). Folders
// of one spec whose cells do not overlap (shards) are one run; other
// folders are different runs, kept apart: their labels show the run key,
// so every table and figure shows them side by side. Runs.Notes says what
// was merged and what kept apart.
func Load(dirs ...string) (*Runs, error) {
	groups, notes, err := record.GroupRuns(dirs...)
	if err != nil {
		return nil, err
	}
	r := &Runs{Groups: groups, Notes: notes, origin: map[string]Origin{}, protocols: map[string]string{}}
	byRun := len(groups) > 1 && !modesApart(groups)
	for _, g := range groups {
		for i, d := range g.Dirs {
			if err := r.load(d, g.Manifests[i], g.Label, byRun); err != nil {
				return nil, err
			}
		}
	}
	if len(r.Results) == 0 {
		return nil, fmt.Errorf("load %v: no results recorded", dirs)
	}
	if r.Runs, err = completeness(r); err != nil {
		return nil, err
	}
	r.Warnings = partialWarnings(r, r.Runs)
	sort.SliceStable(r.Results, func(i, j int) bool {
		a, b := r.Results[i], r.Results[j]
		if a.Strategy != b.Strategy {
			return a.Strategy < b.Strategy
		}
		if a.Variant != b.Variant {
			return a.Variant < b.Variant
		}
		if a.ProblemID != b.ProblemID {
			return a.ProblemID < b.ProblemID
		}
		return a.Seed < b.Seed
	})
	return r, nil
}

// Simulated reports whether any run used the sim team.
func (r *Runs) Simulated() bool {
	for _, m := range r.Manifests {
		if m.Simulated {
			return true
		}
	}
	return false
}

// Recorded reports whether any run's agents answer from recorded
// generations (provider recorded).
func (r *Runs) Recorded() bool {
	for _, m := range r.Manifests {
		if m.Recorded {
			return true
		}
		for _, a := range runAgents(m) {
			if a.Provider == "recorded" {
				return true
			}
		}
	}
	return false
}

// runAgents are a run's agents as its manifest records them (or, for a
// run recorded before it did, as its spec names them).
func runAgents(m *record.Manifest) []record.Agent {
	if m.Agents != nil {
		return m.Agents
	}
	return legacyAgents(m)
}

// Protocol names the protocol of every strategy of the i-th run folder
// (Dirs[i]), as its cells record them: "lessonl", "paper", or per
// strategy when they differ, e.g. "lessonl (a); paper (b)".
func (r *Runs) Protocol(i int) string {
	if p, ok := r.protocols[r.Dirs[i]]; ok {
		return p
	}
	return legacyProtocols(r.Manifests[i])
}

// protocolSet gathers protocols with the strategies that ran under each,
// in the order they were added.
type protocolSet struct {
	order []string
	by    map[string][]string
}

func (ps *protocolSet) add(protocol, strategy string) {
	if ps.by == nil {
		ps.by = map[string][]string{}
	}
	if _, ok := ps.by[protocol]; !ok {
		ps.order = append(ps.order, protocol)
	}
	if !contains(ps.by[protocol], strategy) {
		ps.by[protocol] = append(ps.by[protocol], strategy)
	}
}

// String is the set as Protocol says it.
func (ps *protocolSet) String() string {
	switch len(ps.order) {
	case 0:
		return "lessonl"
	case 1:
		return ps.order[0]
	}
	var parts []string
	for _, p := range ps.order {
		parts = append(parts, fmt.Sprintf("%s (%s)", p, strings.Join(ps.by[p], ", ")))
	}
	return strings.Join(parts, "; ")
}

// load reads one folder's rows into r: each result with its keys and
// its variant labelled from them, the other tables' rows under the same
// label, and every row's run_id set to the run's label.
func (r *Runs) load(d string, m *record.Manifest, run string, showRun bool) error {
	r.Dirs, r.Manifests = append(r.Dirs, d), append(r.Manifests, m)
	res, err := record.Read[record.Result](d, record.TableResults)
	if err != nil {
		return err
	}
	keyer, err := newKeyer(d, m, run, showRun)
	if err != nil {
		return err
	}
	// A run in OpenMP mode is a different cell from the same spec's serial
	// run: its label shows the mode, so the two are compared side by side,
	// not deduplicated.
	variant := map[string]string{}            // recorded cell key → labelled variant
	protocols := map[string]map[string]bool{} // strategy → its cells' protocols
	for _, x := range res {
		keys, err := keyer.keys(x)
		if err != nil {
			return fmt.Errorf("load %s: %w", d, err)
		}
		if c, ok := keyer.cell(x); ok {
			x.Status = record.ResultStatus(x, c.Status)
		}
		if protocols[x.Strategy] == nil {
			protocols[x.Strategy] = map[string]bool{}
		}
		protocols[x.Strategy][keys.Protocol] = true
		recorded := record.Key(x.Strategy, x.Variant, x.ProblemID, x.Seed)
		o := Origin{Dir: d, Variant: x.Variant}
		x.Variant, x.RunID = keys.Variant(), run
		variant[recorded] = x.Variant
		r.origin[record.Key(x.Strategy, x.Variant, x.ProblemID, x.Seed)] = o
		r.Results = append(r.Results, Result{Result: x, Keys: keys})
	}
	if keyer.described() {
		var ps protocolSet
		for _, st := range sortedKeys(protocols) {
			for _, p := range sortedKeys(protocols[st]) {
				ps.add(p, st)
			}
		}
		r.protocols[d] = ps.String()
	} else {
		r.Notes = append(r.Notes, legacyNote(d))
	}
	// relabel gives a row of another table its cell's labelled variant,
	// or reports that the cell has no result here (a cell of another
	// shard's, or an unfinished one).
	relabel := func(strategy string, v *string, problem string, seed int64) bool {
		l, ok := variant[record.Key(strategy, *v, problem, seed)]
		*v = l
		return ok
	}
	cands, err := record.Read[record.Candidate](d, record.TableCandidates)
	if err != nil {
		return err
	}
	for _, x := range cands {
		if relabel(x.Strategy, &x.Variant, x.ProblemID, x.Seed) {
			x.Code, x.RunID = "", run // the code is not needed for statistics; keeps memory small
			r.Candidates = append(r.Candidates, x)
		}
	}
	calls, err := record.Read[record.LLMCall](d, record.TableLLMCalls)
	if err != nil {
		return err
	}
	for _, x := range calls {
		if relabel(x.Strategy, &x.Variant, x.ProblemID, x.Seed) {
			x.Prompt, x.Reply, x.RunID = "", "", run
			r.Calls = append(r.Calls, x)
		}
	}
	sels, err := record.Read[record.Selection](d, record.TableSelections)
	if err != nil {
		return err
	}
	for _, x := range sels {
		if relabel(x.Strategy, &x.Variant, x.ProblemID, x.Seed) {
			x.RunID = run
			r.Selections = append(r.Selections, x)
		}
	}
	return nil
}

// runMode is a run's evaluation mode as its manifest records it.
func runMode(m *record.Manifest) string {
	if m.Mode != "" {
		return m.Mode
	}
	mode, _ := legacyMode(m)
	return mode
}

// modesApart reports whether the runs are one spec evaluated in different
// modes (the paper's serial and OpenMP runs): the mode key tells their
// rows apart, and no run key is needed.
func modesApart(groups []record.Group) bool {
	seen := map[string]bool{}
	for _, g := range groups {
		m := g.Manifests[0]
		mode := runMode(m)
		if m.SpecHash != groups[0].Manifests[0].SpecHash || seen[mode] {
			return false
		}
		seen[mode] = true
	}
	return true
}
