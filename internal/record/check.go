package record

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// DamagedDir is the folder of a run folder that Repair moves damaged
// parts into, by table: damaged/<table>/<part>.
const DamagedDir = "damaged"

// Fault is one thing wrong with a part of a run folder.
type Fault struct {
	Table string // the part's table
	Path  string // the part
	Cell  string // the cell it records (CellID); "" when no readable part names it
	Err   string // what is wrong: unreadable (and why), or inconsistent (and how)
}

func (p Fault) String() string {
	cell := p.Cell
	if cell == "" {
		cell = "cell unknown"
	}
	return fmt.Sprintf("%s (%s, %s): %s", p.Path, p.Table, cell, p.Err)
}

// CheckReport is what Check found in a run folder.
type CheckReport struct {
	Dir    string
	Parts  int     // parts read
	Rows   int64   // rows in the readable parts
	Faults []Fault // unreadable or inconsistent parts, by path
}

// Cells is the cells with a damaged part, sorted; a repair moves all of
// their parts aside, so that a resume redoes exactly these.
func (r CheckReport) Cells() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range r.Faults {
		if p.Cell != "" && !seen[p.Cell] {
			seen[p.Cell] = true
			out = append(out, p.Cell)
		}
	}
	sort.Strings(out)
	return out
}

// Check reads every part of every table of the run folder dir and
// reports the parts that cannot be read (cut short, say) and those that
// disagree with the rest: a part whose rows belong to another cell than
// its name says, rows of several cells in one part, or a cell recorded as
// finished (its cells part) without its results part. A cell is named by
// whichever of its parts can still be read.
func Check(dir string) (CheckReport, error) {
	rep := CheckReport{Dir: dir}
	if err := CheckRunFolder(dir); err != nil {
		return rep, err
	}
	cellOf := map[string]string{}         // part name → cell id
	present := map[string][]string{}      // part name → tables holding it
	bad := map[string]map[string]string{} // part name → table → error
	for _, t := range Tables {
		parts, err := Parts(dir, t)
		if err != nil {
			return rep, err
		}
		for _, p := range parts {
			rep.Parts++
			name := filepath.Base(p)
			present[name] = append(present[name], t)
			keys, n, err := partKeys(p, t)
			if err != nil {
				if bad[name] == nil {
					bad[name] = map[string]string{}
				}
				bad[name][t] = "unreadable: " + err.Error()
				continue
			}
			rep.Rows += n
			switch {
			case len(keys) > 1:
				rep.Faults = append(rep.Faults, Fault{t, p, "", fmt.Sprintf("inconsistent: rows of %d cells in one part", len(keys))})
			case len(keys) == 1 && PartName(keys[0]) != name:
				rep.Faults = append(rep.Faults, Fault{t, p, CellIDOfKey(keys[0]), "inconsistent: its rows belong to another cell than its name says"})
			case len(keys) == 1:
				cellOf[name] = CellIDOfKey(keys[0])
			}
		}
	}
	for name, tables := range present {
		for t, e := range bad[name] {
			rep.Faults = append(rep.Faults, Fault{t, filepath.Join(dir, "tables", t, name), cellOf[name], e})
		}
		if contains(tables, TableCells) && !contains(tables, TableResults) && bad[name][TableCells] == "" {
			rep.Faults = append(rep.Faults, Fault{TableCells, filepath.Join(dir, "tables", TableCells, name), cellOf[name],
				"inconsistent: the cell is recorded as finished but has no results part"})
		}
	}
	sort.Slice(rep.Faults, func(i, j int) bool { return rep.Faults[i].Path < rep.Faults[j].Path })
	return rep, nil
}

// Repair moves every part of each cell with a problem (the damaged part
// and its siblings in the other tables, which share its name) into
// dir/damaged/<table>/, so that `lessonl run --resume` redoes exactly
// those cells. It returns the parts moved.
func Repair(rep CheckReport) ([]string, error) {
	names := map[string]bool{}
	for _, p := range rep.Faults {
		names[filepath.Base(p.Path)] = true
	}
	var moved []string
	for _, t := range Tables {
		for name := range names {
			src := filepath.Join(rep.Dir, "tables", t, name)
			if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
				continue
			}
			dst := filepath.Join(rep.Dir, DamagedDir, t, name)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return moved, fmt.Errorf("repair: %w", err)
			}
			if err := os.Rename(src, dst); err != nil {
				return moved, fmt.Errorf("repair: %w", err)
			}
			moved = append(moved, src)
		}
	}
	sort.Strings(moved)
	return moved, nil
}

// CheckRunFolder reports whether dir is a run folder (one that `lessonl
// run` writes: a manifest.json or a tables folder), with an error that
// says what it is instead.
func CheckRunFolder(dir string) error {
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s does not exist; a run folder is what `lessonl run` writes (results/NAME by default)", dir)
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is a file, not a run folder (a folder with %s and tables/ that `lessonl run` writes)", dir, ManifestFile)
	}
	for _, n := range []string{ManifestFile, "tables"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%s is not a run folder: it holds no %s and no tables/ (a run folder is what `lessonl run` writes, results/NAME by default)", dir, ManifestFile)
}

// partKeys reads one part of table and returns the cell keys of its rows
// and its number of rows.
func partKeys(path, table string) ([]string, int64, error) {
	var keys []string
	var n int64
	add := func(k string) {
		n++
		if !contains(keys, k) {
			keys = append(keys, k)
		}
	}
	var err error
	switch table {
	case TableCells:
		err = eachRow[Cell](path, add)
	case TableLLMCalls:
		err = eachRow[LLMCall](path, add)
	case TableCandidates:
		err = eachRow[Candidate](path, add)
	case TableTimings:
		err = eachRow[Timing](path, add)
	case TableLessons:
		err = eachRow[Lesson](path, add)
	case TableSelections:
		err = eachRow[Selection](path, add)
	case TableResults:
		err = eachRow[Result](path, add)
	default:
		err = fmt.Errorf("unknown table %s", table)
	}
	return keys, n, err
}

func eachRow[T keyed](path string, f func(key string)) error {
	rows, err := parquet.ReadFile[T](path)
	if err != nil {
		return err
	}
	for _, r := range rows {
		f(r.key())
	}
	return nil
}

// CellIDOfKey turns a Key into its CellID.
func CellIDOfKey(key string) string {
	f := strings.SplitN(key, "|", 4)
	if len(f) != 4 {
		return key
	}
	return f[0] + bracket(f[1]) + "/" + f[2] + "/" + f[3]
}

func bracket(variant string) string {
	if variant == "" {
		return ""
	}
	return "[" + variant + "]"
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
