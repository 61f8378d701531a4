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
	Manifests  []*record.Manifest
	Results    []record.Result
	Candidates []record.Candidate
	Calls      []record.LLMCall
	Selections []record.Selection
	Lessons    []record.Lesson
}

// Load reads the tables analysis needs from each run folder. Several
// folders (shards, or runs of other machines) are analysed together; a
// cell recorded in two folders counts once.
func Load(dirs ...string) (*Runs, error) {
	r := &Runs{Dirs: dirs}
	seen := map[string]bool{}
	for _, d := range dirs {
		m, err := record.ReadManifest(d)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", d, err)
		}
		r.Manifests = append(r.Manifests, m)
		res, err := record.Read[record.Result](d, record.TableResults)
		if err != nil {
			return nil, err
		}
		// A run in OpenMP mode is a different cell from the same spec's
		// serial run: its variants carry the mode, as a matrix over mode
		// would, so the two are compared side by side, not deduplicated.
		tag := modeTagger(m)
		fresh := map[string]bool{}
		for _, x := range res {
			x.Variant = tag(x.Variant)
			k := record.Key(x.Strategy, x.Variant, x.ProblemID, x.Seed)
			if seen[k] {
				continue
			}
			seen[k], fresh[k] = true, true
			r.Results = append(r.Results, x)
		}
		keep := func(strategy, variant, problem string, seed int64) bool {
			return fresh[record.Key(strategy, variant, problem, seed)]
		}
		cands, err := record.Read[record.Candidate](d, record.TableCandidates)
		if err != nil {
			return nil, err
		}
		for _, x := range cands {
			x.Variant = tag(x.Variant)
			if keep(x.Strategy, x.Variant, x.ProblemID, x.Seed) {
				x.Code = "" // not needed for statistics; keeps memory small
				r.Candidates = append(r.Candidates, x)
			}
		}
		calls, err := record.Read[record.LLMCall](d, record.TableLLMCalls)
		if err != nil {
			return nil, err
		}
		for _, x := range calls {
			x.Variant = tag(x.Variant)
			if keep(x.Strategy, x.Variant, x.ProblemID, x.Seed) {
				x.Prompt, x.Reply = "", ""
				r.Calls = append(r.Calls, x)
			}
		}
		sels, err := record.Read[record.Selection](d, record.TableSelections)
		if err != nil {
			return nil, err
		}
		for _, x := range sels {
			x.Variant = tag(x.Variant)
			if keep(x.Strategy, x.Variant, x.ProblemID, x.Seed) {
				r.Selections = append(r.Selections, x)
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

// Recorded reports whether any run had agents answering with recorded
// generations.
func (r *Runs) Recorded() bool {
	for _, m := range r.Manifests {
		if m.Recorded {
			return true
		}
	}
	return false
}

// VariantNamer returns how analysis names the variants of the run whose
// manifest is m (see modeTagger): readers that join analysis's rows back
// to a run folder's records, such as the run browser, map a recorded
// variant through it.
func VariantNamer(m *record.Manifest) func(string) string { return modeTagger(m) }

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
