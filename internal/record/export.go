package record

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// The export formats.
const (
	FormatCSV   = "csv"   // one header row of column names, RFC 4180 quoting; a null is an empty field
	FormatJSONL = "jsonl" // one JSON object per row, keys in column order; a null is null
)

// Export writes the named tables of the run folder dir (every table when
// tables is empty) to out, one file per table named <table>.<format>,
// with the Parquet column names and order, rows by cell (cell_id), and
// returns the files written
// with their row counts. Any CSV or JSON reader takes them without help.
func Export(dir, out, format string, tables []string) ([]Exported, error) {
	if format != FormatCSV && format != FormatJSONL {
		return nil, fmt.Errorf("export: unknown format %q (want csv or jsonl)", format)
	}
	if len(tables) == 0 {
		tables = ExportOrder
	}
	for _, t := range tables {
		if rowType(t) == nil {
			return nil, fmt.Errorf("export: unknown table %q; the tables are:\n  %s", t, strings.Join(ExportOrder, "\n  "))
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	var done []Exported
	for _, t := range tables {
		rows, err := readAny(dir, t)
		if err != nil {
			return done, fmt.Errorf("export %s: %w", t, err)
		}
		path := filepath.Join(out, t+"."+format)
		if err := writeFileAtomic(path, func(w io.Writer) error { return writeRows(w, format, rowType(t), rows) }); err != nil {
			return done, fmt.Errorf("export %s: %w", t, err)
		}
		done = append(done, Exported{Table: t, Path: path, Rows: rows.Len()})
	}
	return done, nil
}

// Exported is one table written by Export.
type Exported struct {
	Table string
	Path  string
	Rows  int
}

// ExportOrder is the tables in the order Export writes them: the cell
// and its answer first, then what happened inside it.
var ExportOrder = []string{TableCells, TableResults, TableCandidates, TableLLMCalls, TableLessons, TableSelections, TableTimings, TableProblems}

// rowType is the row struct of table, nil for an unknown table.
func rowType(table string) reflect.Type {
	switch table {
	case TableCells:
		return reflect.TypeFor[Cell]()
	case TableLLMCalls:
		return reflect.TypeFor[LLMCall]()
	case TableCandidates:
		return reflect.TypeFor[Candidate]()
	case TableTimings:
		return reflect.TypeFor[Timing]()
	case TableLessons:
		return reflect.TypeFor[Lesson]()
	case TableSelections:
		return reflect.TypeFor[Selection]()
	case TableResults:
		return reflect.TypeFor[Result]()
	case TableProblems:
		return reflect.TypeFor[Problem]()
	}
	return nil
}

// readAny reads every row of table as a slice value of its row type.
func readAny(dir, table string) (reflect.Value, error) {
	var rows any
	var err error
	switch table {
	case TableCells:
		rows, err = Read[Cell](dir, table)
	case TableLLMCalls:
		rows, err = Read[LLMCall](dir, table)
	case TableCandidates:
		rows, err = Read[Candidate](dir, table)
	case TableTimings:
		rows, err = Read[Timing](dir, table)
	case TableLessons:
		rows, err = Read[Lesson](dir, table)
	case TableSelections:
		rows, err = Read[Selection](dir, table)
	case TableResults:
		rows, err = Read[Result](dir, table)
	case TableProblems:
		rows, err = Read[Problem](dir, table)
	}
	if err != nil {
		return reflect.Value{}, err
	}
	// Parts come in the order of their hashed names; rows go out by
	// cell, each cell's rows in their recorded order.
	v := reflect.ValueOf(rows)
	ids := make([]string, v.Len())
	for i := range ids {
		row := v.Index(i)
		if f := row.FieldByName("CellID"); f.IsValid() {
			ids[i] = f.String()
		} else {
			ids[i] = row.FieldByName("ProblemID").String() // the problems table: one row per problem
		}
	}
	idx := make([]int, len(ids))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ids[idx[a]] < ids[idx[b]] })
	sorted := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	for i, j := range idx {
		sorted.Index(i).Set(v.Index(j))
	}
	return sorted, nil
}

// column is one exported field: its Parquet name and index (a path
// through an embedded CellRef).
type column struct {
	name  string
	index []int
}

// columns lists t's Parquet columns in declaration order, an embedded
// struct's in its place, as Parquet lays them out.
func columns(t reflect.Type) []column {
	var cols []column
	for _, f := range reflect.VisibleFields(t) {
		tag := f.Tag.Get("parquet")
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous || name == "" || name == "-" {
			continue
		}
		cols = append(cols, column{name, f.Index})
	}
	return cols
}

// writeRows writes rows (a slice of t) in format.
func writeRows(w io.Writer, format string, t reflect.Type, rows reflect.Value) error {
	cols := columns(t)
	if format == FormatCSV {
		cw := csv.NewWriter(w)
		head := make([]string, len(cols))
		for i, c := range cols {
			head[i] = c.name
		}
		if err := cw.Write(head); err != nil {
			return err
		}
		rec := make([]string, len(cols))
		for r := range rows.Len() {
			row := rows.Index(r)
			for i, c := range cols {
				rec[i] = csvField(row.FieldByIndex(c.index))
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	var line []byte
	for r := range rows.Len() {
		row := rows.Index(r)
		line = append(line[:0], '{')
		for i, c := range cols {
			if i > 0 {
				line = append(line, ',')
			}
			k, _ := json.Marshal(c.name)
			v, err := json.Marshal(jsonValue(row.FieldByIndex(c.index)))
			if err != nil {
				return fmt.Errorf("column %s: %w", c.name, err)
			}
			line = append(append(append(line, k...), ':'), v...)
		}
		line = append(line, '}', '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// csvField formats one value: numbers in Go's shortest exact form,
// booleans as true/false, a null as an empty field.
func csvField(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Int, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	}
	return fmt.Sprint(v.Interface())
}

// jsonValue is v for json.Marshal, with a nil pointer as null and a
// float that JSON cannot hold (NaN, ±Inf) as null too.
func jsonValue(v reflect.Value) any {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() == reflect.Float64 || v.Kind() == reflect.Float32 {
		f := v.Float()
		if f != f || f > 1.7976931348623157e308 || f < -1.7976931348623157e308 {
			return nil
		}
		return f
	}
	return v.Interface()
}

// writeFileAtomic writes path through a temporary file renamed into place.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
