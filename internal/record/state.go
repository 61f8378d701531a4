package record

import (
	"fmt"
	"sort"
	"strings"
)

// The states of a run (Manifest.State).
const (
	StateRunning     = "running"     // a process is running it, or died without finishing
	StateComplete    = "complete"    // every planned cell is recorded as done
	StateIncomplete  = "incomplete"  // the process ended but cells are missing (another shard's, or --problems/--limit)
	StateFailed      = "failed"      // every cell is recorded, some as failed
	StateInterrupted = "interrupted" // stopped by Ctrl-C or SIGTERM before every cell was recorded
)

// Status is whether a run folder is whole: what was planned and what its
// tables hold.
type Status struct {
	State   string // as the manifest says, or as the tables show for a run that predates states
	Planned int    // cells the spec expands to
	Done    int    // cells recorded as done
	Failed  int    // cells recorded as failed
	// FailedCells are the failed cells' ids (see CellID), sorted.
	FailedCells []string
}

// Missing is the number of planned cells with no record.
func (s Status) Missing() int { return max(s.Planned-s.Done-s.Failed, 0) }

// Whole reports whether every planned cell is recorded as done.
func (s Status) Whole() bool { return s.Missing() == 0 && s.Failed == 0 }

// String is the status in a few words, e.g. "interrupted: 5 of 8 cells
// done, 3 missing".
func (s Status) String() string {
	var parts []string
	parts = append(parts, fmt.Sprintf("%d of %d cells done", s.Done, s.Planned))
	if s.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", s.Failed))
	}
	if m := s.Missing(); m > 0 {
		parts = append(parts, fmt.Sprintf("%d missing", m))
	}
	return s.State + ": " + strings.Join(parts, ", ")
}

// RunState reads dir's manifest and cells table and says whether the run
// is whole. The counts come from the tables, so a run damaged or repaired
// since its manifest was written is counted as it is now.
func RunState(dir string) (Status, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return Status{}, err
	}
	cells, err := Read[Cell](dir, TableCells)
	if err != nil {
		return Status{}, err
	}
	return StateOf(m, cells), nil
}

// StateOf is RunState over a manifest and the cells it has read.
func StateOf(m *Manifest, cells []Cell) Status {
	s := Status{State: m.State, Planned: m.Cells}
	seen := map[string]bool{}
	for _, c := range cells {
		id := CellID(c.Strategy, c.Variant, c.ProblemID, c.Seed)
		if seen[id] {
			continue
		}
		seen[id] = true
		if c.Status == CellFailed {
			s.Failed++
			s.FailedCells = append(s.FailedCells, id)
		} else {
			s.Done++
		}
	}
	sort.Strings(s.FailedCells)
	if s.State == "" || s.State == StateComplete || s.State == StateFailed || s.State == StateIncomplete {
		// Runs from before states, and finished runs whose parts changed
		// since (a repair moved some aside), are judged by their tables.
		s.State = Settled(s.Planned, s.Done, s.Failed)
		if m.State == "" && m.Ended.IsZero() {
			s.State = StateRunning
		}
	}
	if s.State == StateInterrupted && s.Whole() {
		// Resumed, or merged with the shards that hold the rest.
		s.State = StateComplete
	}
	return s
}

// Settled is the state of a run whose process ended normally with done
// and failed cells of planned.
func Settled(planned, done, failed int) string {
	switch {
	case done+failed < planned:
		return StateIncomplete
	case failed > 0:
		return StateFailed
	}
	return StateComplete
}
