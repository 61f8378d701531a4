package record

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestProblemsTable: the run's problems are written once, read back as
// written, merged into a shard's sibling folder, and hashed as a set
// independently of their order.
func TestProblemsTable(t *testing.T) {
	dir := t.TempDir()
	rows := []Problem{
		{RunID: "r@1", ProblemID: "sort-insertion", Category: "sort", Task: "optimize", Source: "builtin", Language: "cpp", ContentHash: "aa", BaselineCode: "int f();\n"},
		{RunID: "r@1", ProblemID: "sum-loop", Category: "loop", Task: "optimize", Source: "builtin", Language: "cpp", ContentHash: "bb"},
	}
	if HasProblems(dir) {
		t.Fatal("an empty folder has a problems table")
	}
	if err := WriteProblems(dir, rows); err != nil {
		t.Fatal(err)
	}
	got, err := Read[Problem](dir, TableProblems)
	if err != nil || !reflect.DeepEqual(got, rows) || !HasProblems(dir) {
		t.Fatalf("read %+v (%v), wrote %+v", got, err, rows)
	}
	out := t.TempDir()
	if _, err := MergeReport(out, dir); err != nil {
		t.Fatal(err)
	}
	if merged, err := Read[Problem](out, TableProblems); err != nil || len(merged) != 2 {
		t.Errorf("merged problems %+v (%v)", merged, err)
	}
	h := DatasetHash(rows)
	if len(h) != 64 || DatasetHash([]Problem{rows[1], rows[0]}) != h {
		t.Errorf("hash %q depends on order", h)
	}
	changed := append([]Problem(nil), rows...)
	changed[1].ContentHash = "bc"
	if DatasetHash(changed) == h {
		t.Error("a changed problem keeps the dataset's hash")
	}
}

// cellV2 is the cells table's row as run folders before the task,
// protocol, models, resolved_params and axes columns were written.
type cellV2 struct {
	RunID     string `parquet:"run_id"`
	CellID    string `parquet:"cell_id"`
	Strategy  string `parquet:"strategy"`
	Variant   string `parquet:"variant"`
	Kind      string `parquet:"kind"`
	ProblemID string `parquet:"problem_id"`
	Category  string `parquet:"category"`
	Seed      int64  `parquet:"seed"`
	Agents    string `parquet:"agents"`
	Params    string `parquet:"params"`
	Shard     string `parquet:"shard"`
	Status    string `parquet:"status"`
	Error     string `parquet:"error"`
	StartedMS int64  `parquet:"started_ms"`
	EndedMS   int64  `parquet:"ended_ms"`
	WallMS    int64  `parquet:"wall_ms"`
	Host      string `parquet:"host"`
}

// TestOldCellsRead: a cells part written before the descriptive columns
// reads with them empty, and says it is not described.
func TestOldCellsRead(t *testing.T) {
	dir := t.TempDir()
	if _, err := NewWriter(dir); err != nil {
		t.Fatal(err)
	}
	old := []cellV2{{Strategy: "single", ProblemID: "p1", Seed: 1, Params: "{}", Status: CellDone, Host: "h"}}
	if err := parquet.WriteFile(filepath.Join(dir, "tables", TableCells, PartName(Key("single", "", "p1", 1))), old); err != nil {
		t.Fatal(err)
	}
	cells, err := Read[Cell](dir, TableCells)
	if err != nil || len(cells) != 1 {
		t.Fatalf("read %+v: %v", cells, err)
	}
	if c := cells[0]; c.Strategy != "single" || c.Params != "{}" || c.Host != "h" || c.Task != "" || c.Resolved != "" || c.Described() {
		t.Errorf("old cell read as %+v (described %v)", c, c.Described())
	}
	if _, err := os.Stat(filepath.Join(dir, "tables", TableProblems)); err == nil {
		t.Error("NewWriter made a problems folder; the table is written by WriteProblems only")
	}
}

// TestResultStatus: a failed cell and a failed test are distinct values;
// an old record's "failed" is read by its cell's status.
func TestResultStatus(t *testing.T) {
	for _, tt := range []struct {
		status, cell, want string
	}{
		{StatusTestsFailed, CellDone, StatusTestsFailed},
		{StatusTestsFailed, CellFailed, StatusCellFailed}, // an old record of a failed cell
		{StatusCellFailed, CellFailed, StatusCellFailed},
		{"correct", CellDone, "correct"},
		{StatusNone, CellDone, StatusNone},
	} {
		if got := ResultStatus(Result{Status: tt.status}, tt.cell); got != tt.want {
			t.Errorf("ResultStatus(%q, cell %q) = %q, want %q", tt.status, tt.cell, got, tt.want)
		}
	}
	if StatusCellFailed == StatusTestsFailed {
		t.Error("a failed cell and failed tests share a status")
	}
}
