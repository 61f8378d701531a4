package analysis

import (
	"encoding/json"
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
	Results    []record.Result
	Candidates []record.Candidate
	Calls      []record.LLMCall
	Selections []record.Selection
	Lessons    []record.Lesson

	origin map[string]Origin // by the analysis key of a result
}

// Origin is where a result of the analysis was recorded: its run folder
// and its variant as recorded there (analysis adds mode= and run= keys).
type Origin struct {
	Dir, Variant string
}

// Origin returns where the cell with this analysis key (record.Key of the
// result's strategy, variant, problem and seed) was recorded.
func (r *Runs) Origin(key string) (Origin, bool) {
	o, ok := r.origin[key]
	return o, ok
}

// RunKey is the variant key that names the run of a row when several runs
// are analysed together, as "run=NAME" beside the matrix's keys.
const RunKey = "run"

// Load reads the tables analysis needs from each run folder. Folders of
// one spec whose cells do not overlap (shards) are one run; other folders
// are different runs, kept apart: their rows carry the run's label as the
// variant key run=LABEL, so every table and figure shows them side by
// side. Runs.Notes says what was merged and what kept apart.
func Load(dirs ...string) (*Runs, error) {
	groups, notes, err := record.GroupRuns(dirs...)
	if err != nil {
		return nil, err
	}
	r := &Runs{Groups: groups, Notes: notes, origin: map[string]Origin{}}
	byRun := len(groups) > 1 && !modesApart(groups)
	for _, g := range groups {
		runTag := func(v string) string { return v }
		if byRun {
			runTag = func(v string) string { return withKey(v, RunKey, g.Label) }
		}
		for i, d := range g.Dirs {
			if err := r.load(d, g.Manifests[i], g.Label, runTag); err != nil {
				return nil, err
			}
		}
	}
	if len(r.Results) == 0 {
		return nil, fmt.Errorf("load %v: no results recorded", dirs)
	}
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
		var spec struct {
			Agents []struct {
				Provider string `json:"provider"`
			} `json:"agents"`
		}
		json.Unmarshal(m.Spec, &spec)
		for _, a := range spec.Agents {
			if a.Provider == "recorded" {
				return true
			}
		}
	}
	return false
}

// modeTagger returns how a run's variants are named in analysis: with
// "mode=openmp" appended when the run's spec evaluates in OpenMP mode and
// the variant does not say its mode already.
func modeTagger(m *record.Manifest) func(string) string {
	var spec struct {
		Evaluation struct {
			Mode string `json:"mode"`
		} `json:"evaluation"`
	}
	json.Unmarshal(m.Spec, &spec)
	mode := spec.Evaluation.Mode
	if mode == "" || mode == "serial" {
		return func(v string) string { return v }
	}
	return func(v string) string {
		if strings.Contains(v, "mode=") {
			return v
		}
		if v == "" {
			return "mode=" + mode
		}
		return v + ",mode=" + mode
	}
}

// load reads one folder's rows into r, their variants named by tag and
// their run_id set to the run's label.
func (r *Runs) load(d string, m *record.Manifest, run string, runTag func(string) string) error {
	r.Dirs, r.Manifests = append(r.Dirs, d), append(r.Manifests, m)
	res, err := record.Read[record.Result](d, record.TableResults)
	if err != nil {
		return err
	}
	// A run in OpenMP mode is a different cell from the same spec's serial
	// run: its variants carry the mode, as a matrix over mode would, so the
	// two are compared side by side, not deduplicated.
	mode := modeTagger(m)
	tag := func(v string) string { return runTag(mode(v)) }
	fresh := map[string]bool{}
	for _, x := range res {
		recorded := x.Variant
		x.Variant, x.RunID = tag(x.Variant), run
		k := record.Key(x.Strategy, x.Variant, x.ProblemID, x.Seed)
		fresh[k] = true
		if r.origin != nil {
			r.origin[k] = Origin{Dir: d, Variant: recorded}
		}
		r.Results = append(r.Results, x)
	}
	keep := func(strategy, variant, problem string, seed int64) bool {
		return fresh[record.Key(strategy, variant, problem, seed)]
	}
	cands, err := record.Read[record.Candidate](d, record.TableCandidates)
	if err != nil {
		return err
	}
	for _, x := range cands {
		x.Variant, x.RunID = tag(x.Variant), run
		if keep(x.Strategy, x.Variant, x.ProblemID, x.Seed) {
			x.Code = "" // not needed for statistics; keeps memory small
			r.Candidates = append(r.Candidates, x)
		}
	}
	calls, err := record.Read[record.LLMCall](d, record.TableLLMCalls)
	if err != nil {
		return err
	}
	for _, x := range calls {
		x.Variant, x.RunID = tag(x.Variant), run
		if keep(x.Strategy, x.Variant, x.ProblemID, x.Seed) {
			x.Prompt, x.Reply = "", ""
			r.Calls = append(r.Calls, x)
		}
	}
	sels, err := record.Read[record.Selection](d, record.TableSelections)
	if err != nil {
		return err
	}
	for _, x := range sels {
		x.Variant, x.RunID = tag(x.Variant), run
		if keep(x.Strategy, x.Variant, x.ProblemID, x.Seed) {
			r.Selections = append(r.Selections, x)
		}
	}
	return nil
}

// withKey adds key=value to a variant string unless it names key already.
func withKey(v, key, value string) string {
	for _, kv := range strings.Split(v, ",") {
		if strings.HasPrefix(kv, key+"=") {
			return v
		}
	}
	if v == "" {
		return key + "=" + value
	}
	return v + "," + key + "=" + value
}

// modesApart reports whether the runs are one spec evaluated in different
// modes (the paper's serial and OpenMP runs): the mode key tells their
// rows apart, and no run key is needed.
func modesApart(groups []record.Group) bool {
	seen := map[string]bool{}
	for _, g := range groups {
		m := g.Manifests[0]
		mode := modeTagger(m)("")
		if m.SpecHash != groups[0].Manifests[0].SpecHash || seen[mode] {
			return false
		}
		seen[mode] = true
	}
	return true
}
