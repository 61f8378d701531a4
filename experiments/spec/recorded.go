package spec

import (
	"fmt"
	"os"

	"github.com/lessonlab/lessonl/datasets"
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
func GenerationsPath(path string, lookup func(string) (string, bool)) (string, error) {
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
	p, err := GenerationsPath(path, lookup)
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
		path, err := GenerationsPath(a.Generations, os.LookupEnv)
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
