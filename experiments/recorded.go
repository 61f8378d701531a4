package experiments

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/recorded"
)

// recordedProvider builds a recorded agent's provider over the run's
// problems in the spec's mode.
func (p *Providers) recordedProvider(a spec.AgentSpec) (llm.Provider, error) {
	path, err := spec.GenerationsPath(a.Generations, os.LookupEnv)
	if err != nil {
		return nil, fmt.Errorf("agent %s: %w", a.Name, err)
	}
	g, err := recorded.Load(path)
	if err != nil {
		return nil, fmt.Errorf("agent %s: %w", a.Name, err)
	}
	pr, err := recorded.NewProvider(g, p.mode, a.Model, p.Problems)
	if err != nil {
		return nil, fmt.Errorf("agent %s: %w", a.Name, err)
	}
	return pr, nil
}

// RecordedCheck is what CheckRecordedRun found in a run folder.
type RecordedCheck struct {
	Candidates int // candidates written by recorded agents
	Matching   int // of them, equal to one of their agent's recorded outputs
	// Mismatches name the first candidates that equal no recorded output.
	Mismatches []string
}

// CheckRecordedRun reads a run folder and checks that every candidate a
// recorded agent wrote is, up to the evaluator's normalization (line ends
// and trailing blanks), one of that agent's recorded outputs for the
// candidate's problem in the run's mode.
func CheckRecordedRun(dir string) (RecordedCheck, error) {
	var rc RecordedCheck
	m, err := record.ReadManifest(dir)
	if err != nil {
		return rc, err
	}
	var sp struct {
		Agents []struct {
			Name        string `json:"name"`
			Provider    string `json:"provider"`
			Generations string `json:"generations"`
		} `json:"agents"`
		Evaluation struct {
			Mode string `json:"mode"`
		} `json:"evaluation"`
	}
	if err := json.Unmarshal(m.Spec, &sp); err != nil {
		return rc, fmt.Errorf("run %s: manifest spec: %w", dir, err)
	}
	gens := map[string]*recorded.Generations{}
	for _, a := range sp.Agents {
		if a.Provider != "recorded" {
			continue
		}
		path, err := spec.GenerationsPath(a.Generations, os.LookupEnv)
		if err != nil {
			return rc, fmt.Errorf("agent %s: %w", a.Name, err)
		}
		if gens[a.Name], err = recorded.Load(path); err != nil {
			return rc, fmt.Errorf("agent %s: %w", a.Name, err)
		}
	}
	cands, err := record.Read[record.Candidate](dir, record.TableCandidates)
	if err != nil {
		return rc, err
	}
	for _, c := range cands {
		g, ok := gens[c.Agent]
		if !ok || c.Code == "" {
			continue
		}
		rc.Candidates++
		found := false
		for _, o := range g.Outputs(c.ProblemID, sp.Evaluation.Mode) {
			if evaluate.Normalize(o.Code) == evaluate.Normalize(c.Code) {
				found = true
				break
			}
		}
		if found {
			rc.Matching++
		} else if len(rc.Mismatches) < 10 {
			rc.Mismatches = append(rc.Mismatches, fmt.Sprintf("%s %s seed %d %s by %s", c.Strategy, c.ProblemID, c.Seed, c.CandidateID, c.Agent))
		}
	}
	return rc, nil
}
