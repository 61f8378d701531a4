package record

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/parquet-go/parquet-go"
)

// ReadCell returns every row of one cell (key as Key gives it) of the run
// folder dir. A run folder keeps each cell's rows in parts named after its
// key (PartName), so only those few files are read; a folder laid out
// otherwise (parts holding several cells, say from another tool) is
// scanned. A cell with no recorded rows gives an empty batch.
func ReadCell(dir, key string) (*Batch, error) {
	b := &Batch{Key: key}
	part := PartName(key)
	var err error
	if b.Cells, err = cellRows[Cell](dir, TableCells, part, true, key); err != nil {
		return nil, err
	}
	// The cell's own part must hold it; if not, the layout is another.
	only := len(b.Cells) > 0
	if !only {
		if b.Cells, err = cellRows[Cell](dir, TableCells, part, false, key); err != nil {
			return nil, err
		}
	}
	if b.LLMCalls, err = cellRows[LLMCall](dir, TableLLMCalls, part, only, key); err != nil {
		return nil, err
	}
	if b.Candidates, err = cellRows[Candidate](dir, TableCandidates, part, only, key); err != nil {
		return nil, err
	}
	if b.Timings, err = cellRows[Timing](dir, TableTimings, part, only, key); err != nil {
		return nil, err
	}
	if b.Lessons, err = cellRows[Lesson](dir, TableLessons, part, only, key); err != nil {
		return nil, err
	}
	if b.Selections, err = cellRows[Selection](dir, TableSelections, part, only, key); err != nil {
		return nil, err
	}
	if b.Results, err = cellRows[Result](dir, TableResults, part, only, key); err != nil {
		return nil, err
	}
	return b, nil
}

// keyed is every row type: each says which cell it belongs to.
type keyed interface {
	Cell | LLMCall | Candidate | Timing | Lesson | Selection | Result
	key() string
}

// key is the Key of the row's cell.
func (r CellRef) key() string { return Key(r.Strategy, r.Variant, r.ProblemID, r.Seed) }

// key is the Key of the row's cell.
func (c Cell) key() string { return Key(c.Strategy, c.Variant, c.ProblemID, c.Seed) }

// key is the Key of the row's cell.
func (r Result) key() string { return Key(r.Strategy, r.Variant, r.ProblemID, r.Seed) }

// cellRows reads the part named part of a table when only is set (no rows
// when there is none), else every part, and keeps the rows of cell key.
func cellRows[T keyed](dir, table, part string, only bool, key string) ([]T, error) {
	var all []T
	if only {
		parts, err := Parts(dir, table)
		if err != nil {
			return nil, err
		}
		want := filepath.Join(dir, "tables", table, part)
		if i := sort.SearchStrings(parts, want); i == len(parts) || parts[i] != want {
			return nil, nil
		}
		if all, err = parquet.ReadFile[T](want); err != nil {
			return nil, fmt.Errorf("read cell %s: %w", want, err)
		}
	} else {
		var err error
		if all, err = Read[T](dir, table); err != nil {
			return nil, err
		}
	}
	var out []T
	for _, x := range all {
		if x.key() == key {
			out = append(out, x)
		}
	}
	return out, nil
}
