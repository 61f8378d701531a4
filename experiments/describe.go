package experiments

import (
	"fmt"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/experiments/spec"
	"github.com/lessonlab/lessonl/internal/record"
)

// datasetSource names where the spec's problems come from
// (datasets.Source.RecordName), and the file or folder read for a source
// outside the binary.
func datasetSource(d spec.DatasetSpec) (source, path string) {
	src, set, err := d.Choice("")
	if err != nil {
		return d.Source, d.Path
	}
	return src.RecordName(set), set.Path
}

// problemRows are the problems table's rows for a run of spec.
func problemRows(runID string, sp *spec.Spec, problems []*datasets.Problem) []record.Problem {
	source, _ := datasetSource(sp.Dataset)
	rows := make([]record.Problem, len(problems))
	for i, p := range problems {
		rows[i] = record.Problem{RunID: runID, ProblemID: p.ID, Category: p.Category, Task: string(p.Task()), Source: source,
			Language: p.Language, Title: p.Title, ContentHash: p.ContentHash(), BaselineCode: p.BaselineCode}
	}
	return rows
}

// describeProblems records the run's problems in out: the problems table
// and the dataset's identity in the manifest. A folder that has them
// keeps them (a resume or another shard ran the same spec, hence the same
// problems); a folder from before they were recorded gains them. When
// the problems' content changed since the folder recorded them (a dataset
// edited between a run and its resume), note says so.
func describeProblems(out string, sp *spec.Spec, problems []*datasets.Problem, note func(string)) error {
	return record.UpdateManifest(out, func(m *record.Manifest, exists bool) error {
		if !exists {
			return fmt.Errorf("run folder %s: no manifest", out)
		}
		rows := problemRows(m.RunID, sp, problems)
		if d := m.Dataset; d != nil && d.Hash != record.DatasetHash(rows) && note != nil {
			note(fmt.Sprintf("warning: the problems of %s changed since the run recorded them (dataset hash %.12s, now %.12s): its cells mix two versions of the dataset", out, d.Hash, record.DatasetHash(rows)))
		}
		if !record.HasProblems(out) {
			if err := record.WriteProblems(out, rows); err != nil {
				return err
			}
		}
		if m.Dataset == nil {
			source, path := datasetSource(sp.Dataset)
			m.Dataset = &record.Dataset{Task: string(sp.Dataset.Task()), Source: source, Path: path,
				Problems: len(rows), Hash: record.DatasetHash(rows)}
		}
		return nil
	})
}

// runAgents are the spec's agents as the manifest records them.
func runAgents(sp *spec.Spec) []record.Agent {
	out := make([]record.Agent, len(sp.Agents))
	for i, a := range sp.Agents {
		out[i] = record.Agent{Name: a.Name, Provider: a.Provider, Model: a.Model}
		if a.Price != nil {
			out[i].Priced, out[i].InputPerMTok, out[i].OutputPerMTok = true, a.Price.InputPerMTok, a.Price.OutputPerMTok
		}
	}
	return out
}

// evaluationMode is the mode every cell of spec is evaluated in.
func evaluationMode(sp *spec.Spec) string {
	if sp.Evaluation.Mode != "" {
		return sp.Evaluation.Mode
	}
	return "serial"
}
