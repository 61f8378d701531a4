package record

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Writer stores finished cells in a run folder. It is safe for concurrent
// use: cells write different part files.
type Writer struct {
	dir string
}

// NewWriter prepares dir's tables folder.
func NewWriter(dir string) (*Writer, error) {
	for _, t := range Tables {
		if err := os.MkdirAll(filepath.Join(dir, "tables", t), 0o755); err != nil {
			return nil, fmt.Errorf("run folder %s: %w", dir, err)
		}
	}
	return &Writer{dir: dir}, nil
}

// PartName is the file name of a cell's part in every table: a hash of
// its key, so a rewrite of the cell replaces its parts.
func PartName(key string) string {
	h := sha256.Sum256([]byte(key))
	return "part-" + hex.EncodeToString(h[:10]) + ".parquet"
}

// Write stores b's rows, one part per non-empty table, the cells part
// last. Each part appears whole or not at all.
func (w *Writer) Write(b *Batch) error {
	if b.Key == "" {
		return errors.New("write cell: empty key")
	}
	name := PartName(b.Key)
	for _, t := range Tables {
		var err error
		switch t {
		case TableLLMCalls:
			err = writePart(w.dir, t, name, b.LLMCalls)
		case TableCandidates:
			err = writePart(w.dir, t, name, b.Candidates)
		case TableTimings:
			err = writePart(w.dir, t, name, b.Timings)
		case TableLessons:
			err = writePart(w.dir, t, name, b.Lessons)
		case TableSelections:
			err = writePart(w.dir, t, name, b.Selections)
		case TableResults:
			err = writePart(w.dir, t, name, b.Results)
		case TableCells:
			err = writePart(w.dir, t, name, b.Cells)
		}
		if err != nil {
			return fmt.Errorf("write cell %s: %w", b.Key, err)
		}
	}
	return nil
}

// writePart writes rows to dir/tables/table/name atomically; no rows, no
// part (and any earlier part of that name is removed, so a rewritten cell
// leaves nothing stale).
func writePart[T any](dir, table, name string, rows []T) error {
	folder := filepath.Join(dir, "tables", table)
	final := filepath.Join(folder, name)
	if len(rows) == 0 {
		if err := os.Remove(final); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	f, err := os.CreateTemp(folder, ".tmp-"+name+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	pw := parquet.NewGenericWriter[T](f, parquet.Compression(&parquet.Zstd))
	if _, err := pw.Write(rows); err != nil {
		f.Close()
		return fmt.Errorf("write part %s: %w", final, err)
	}
	if err := pw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("write part %s: %w", final, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync part %s: %w", final, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("rename part %s: %w", final, err)
	}
	return syncDir(folder)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Parts lists the finished parts of a table, sorted; temporary files of a
// write in flight (or of a crashed one) are not parts.
func Parts(dir, table string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "tables", table))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read table %s: %w", table, err)
	}
	var out []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, "part-") && strings.HasSuffix(n, ".parquet") {
			out = append(out, filepath.Join(dir, "tables", table, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// Read returns every row of a table of the run folder dir; an absent
// table has no rows.
func Read[T any](dir, table string) ([]T, error) {
	parts, err := Parts(dir, table)
	if err != nil {
		return nil, err
	}
	var rows []T
	for _, p := range parts {
		r, err := parquet.ReadFile[T](p)
		if err != nil {
			return nil, &DamagedError{Part: p, Run: dir, Err: err}
		}
		rows = append(rows, r...)
	}
	return rows, nil
}

// DamagedError is a part of a run folder that cannot be read.
type DamagedError struct {
	Part, Run string
	Err       error
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("read %s: %v; the part is damaged: `lessonl check %s` lists every damaged part, and `lessonl check --repair %s` moves their cells aside so that `lessonl run --resume` redoes them",
		e.Part, e.Err, e.Run, e.Run)
}

// Unwrap returns the reader's error.
func (e *DamagedError) Unwrap() error { return e.Err }

// Finished returns the keys of the cells recorded in dir, for resume.
func Finished(dir string) (map[string]bool, error) {
	cells, err := Read[Cell](dir, TableCells)
	if err != nil {
		return nil, err
	}
	done := make(map[string]bool, len(cells))
	for _, c := range cells {
		done[Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)] = true
	}
	return done, nil
}

// Counts returns the number of rows of every table.
func Counts(dir string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, t := range Tables {
		parts, err := Parts(dir, t)
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			st, err := f.Stat()
			if err != nil {
				f.Close()
				return nil, err
			}
			pf, err := parquet.OpenFile(f, st.Size())
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("open %s: %w", p, err)
			}
			out[t] += pf.NumRows()
			f.Close()
		}
	}
	return out, nil
}

// Merge copies the parts of each folder in dirs into out. A part of the
// same name in two folders is the same cell recorded twice (a shard rerun)
// and is copied once; Merge of a folder into itself changes nothing. It
// returns the number of parts copied; MergeReport says more.
func Merge(out string, dirs ...string) (int, error) {
	r, err := MergeReport(out, dirs...)
	return r.Parts, err
}

// Merged says what a merge did, in cells.
type Merged struct {
	Parts     int // part files copied
	Cells     int // cells copied into out
	Already   int // cells out held already (a folder merged into itself, as shards writing into out leave it)
	Duplicate int // cells recorded in two of dirs, copied once
	Total     int // cells out holds after the merge
}

// String says it in a sentence.
func (m Merged) String() string {
	return fmt.Sprintf("copied %d cells (%d parts); %d were there already, %d duplicates skipped; the folder holds %d cells",
		m.Cells, m.Parts, m.Already, m.Duplicate, m.Total)
}

// MergeReport merges as Merge does and counts the cells.
func MergeReport(out string, dirs ...string) (Merged, error) {
	var m Merged
	if _, err := NewWriter(out); err != nil {
		return m, err
	}
	copiedCell := map[string]bool{}
	for _, d := range dirs {
		// The run's own tables: every shard holds the same rows; the
		// first folder's part is kept.
		if err := mergeRunTables(out, d); err != nil {
			return m, err
		}
		for _, t := range Tables {
			parts, err := Parts(d, t)
			if err != nil {
				return m, err
			}
			for _, p := range parts {
				dst := filepath.Join(out, "tables", t, filepath.Base(p))
				isCell := t == TableCells
				if same(p, dst) {
					if isCell {
						m.Already++
					}
					continue
				}
				if _, err := os.Stat(dst); err == nil {
					if isCell {
						if copiedCell[filepath.Base(p)] {
							m.Duplicate++
						} else {
							m.Already++
						}
					}
					continue
				}
				if err := copyAtomic(p, dst); err != nil {
					return m, fmt.Errorf("merge %s: %w", p, err)
				}
				m.Parts++
				if isCell {
					m.Cells++
					copiedCell[filepath.Base(p)] = true
				}
			}
		}
	}
	done, err := Finished(out)
	m.Total = len(done)
	return m, err
}

func same(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

func copyAtomic(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	f, err := os.Open(tmp)
	if err == nil {
		f.Sync()
		f.Close()
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dst))
}

// problemsPart is the name of the problems table's one part: the table is
// the run's, not a cell's, and every shard writes the same rows.
const problemsPart = "part-problems.parquet"

// WriteProblems stores the run's problems (table problems), replacing any
// earlier part atomically.
func WriteProblems(dir string, rows []Problem) error {
	if err := os.MkdirAll(filepath.Join(dir, "tables", TableProblems), 0o755); err != nil {
		return fmt.Errorf("write problems: %w", err)
	}
	if err := writePart(dir, TableProblems, problemsPart, rows); err != nil {
		return fmt.Errorf("write problems: %w", err)
	}
	return nil
}

// HasProblems reports whether dir holds a problems table (run folders
// written before it existed do not).
func HasProblems(dir string) bool {
	parts, err := Parts(dir, TableProblems)
	return err == nil && len(parts) > 0
}

// mergeRunTables copies the parts of the run's own tables (problems) of
// folder d into out where out has none.
func mergeRunTables(out, d string) error {
	parts, err := Parts(d, TableProblems)
	if err != nil {
		return err
	}
	for _, p := range parts {
		dst := filepath.Join(out, "tables", TableProblems, filepath.Base(p))
		if _, err := os.Stat(dst); err == nil || same(p, dst) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("merge %s: %w", p, err)
		}
		if err := copyAtomic(p, dst); err != nil {
			return fmt.Errorf("merge %s: %w", p, err)
		}
	}
	return nil
}
