package experiments

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
	"github.com/lessonlab/lessonl/internal/llm"
	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/recorded"
)

// Recorded reports whether any agent answers with recorded generations.
func (s *Spec) Recorded() bool {
	for _, a := range s.Agents {
		if a.Provider == "recorded" {
			return true
		}
	}
	return false
}

// generationsPath expands ${VAR} in a recorded agent's generations path.
func generationsPath(path string, lookup func(string) (string, bool)) (string, error) {
	var missing string
	out := os.Expand(path, func(k string) string {
		v, ok := lookup(k)
		if !ok && missing == "" {
			missing = k
		}
		return v
	})
	if missing != "" {
		return "", fmt.Errorf("environment variable %s (in %q) is not set", missing, path)
	}
	return out, nil
}

func checkGenerationsPath(path string, lookup func(string) (string, bool)) error {
	if path == "" {
		return fmt.Errorf("missing: a ParEval outputs or results file whose generations to answer with")
	}
	p, err := generationsPath(path, lookup)
	if err != nil {
		return err
	}
	if _, err := os.Stat(p); err != nil {
		return fmt.Errorf("recorded generations: %w", err)
	}
	return nil
}

// CheckGenerations loads every recorded agent's generations and checks
// that they hold outputs for each of problems in the spec's mode: a
// problem or mode the file lacks is an error naming the agent and file.
func (s *Spec) CheckGenerations(problems []*datasets.Problem) error {
	for i, a := range s.Agents {
		if a.Provider != "recorded" {
			continue
		}
		path, err := generationsPath(a.Generations, os.LookupEnv)
		if err != nil {
			return fmt.Errorf("agents[%d].generations (agent %s): %w", i, a.Name, err)
		}
		g, err := recorded.Load(path)
		if err != nil {
			return fmt.Errorf("agents[%d].generations (agent %s): %w", i, a.Name, err)
		}
		if err := g.Check(problems, s.Evaluation.Mode); err != nil {
			return fmt.Errorf("agents[%d].generations (agent %s): %w", i, a.Name, err)
		}
	}
	return nil
}

// recordedProvider builds a recorded agent's provider over the run's
// problems in the spec's mode.
func (p *Providers) recordedProvider(a AgentSpec) (llm.Provider, error) {
	path, err := generationsPath(a.Generations, os.LookupEnv)
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
	var spec struct {
		Agents []struct {
			Name        string `json:"name"`
			Provider    string `json:"provider"`
			Generations string `json:"generations"`
		} `json:"agents"`
		Evaluation struct {
			Mode string `json:"mode"`
		} `json:"evaluation"`
	}
	if err := json.Unmarshal(m.Spec, &spec); err != nil {
		return rc, fmt.Errorf("run %s: manifest spec: %w", dir, err)
	}
	gens := map[string]*recorded.Generations{}
	for _, a := range spec.Agents {
		if a.Provider != "recorded" {
			continue
		}
		path, err := generationsPath(a.Generations, os.LookupEnv)
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
		for _, o := range g.Outputs(c.ProblemID, spec.Evaluation.Mode) {
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
