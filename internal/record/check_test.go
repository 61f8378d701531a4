package record

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeRun writes a run folder with a manifest planning planned cells and
// the sample cells of the given seeds.
func writeRun(t *testing.T, planned int, state string, seeds ...int64) string {
	t.Helper()
	dir := t.TempDir()
	writeSamples(t, dir, seeds...)
	m := &Manifest{SchemaVersion: SchemaVersion, Name: "sample", Cells: planned, State: state, Started: time.Unix(1, 0)}
	if state != StateRunning {
		m.Ended = time.Unix(2, 0)
	}
	if err := WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writeSamples writes the sample cells of lessonl with the given seeds
// into the run folder dir.
func writeSamples(t *testing.T, dir string, seeds ...int64) {
	t.Helper()
	w, err := NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range seeds {
		if err := w.Write(sampleBatch("lessonl", s)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCheckRepair cuts one cell's results part short and gives another a
// part under the wrong name: Check names both with their cells, Repair
// moves every part of those two cells (and only those) aside, and the
// folder then checks clean with those cells missing.
func TestCheckRepair(t *testing.T) {
	dir := writeRun(t, 3, StateComplete, 1, 2, 3)
	cut := filepath.Join(dir, "tables", TableResults, PartName(Key("lessonl", "k=2", "sort-insertion", 1)))
	b, err := os.ReadFile(cut)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	// Seed 2's lessons part holds seed 3's rows.
	wrong := filepath.Join(dir, "tables", TableLessons, PartName(Key("lessonl", "k=2", "sort-insertion", 2)))
	right := filepath.Join(dir, "tables", TableLessons, PartName(Key("lessonl", "k=2", "sort-insertion", 3)))
	b3, _ := os.ReadFile(right)
	if err := os.WriteFile(wrong, b3, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read[Result](dir, TableResults); err == nil || !strings.Contains(err.Error(), "lessonl check --repair "+dir) || !strings.Contains(err.Error(), cut) {
		t.Errorf("reading the damaged table: %v; want the part and the repair command named", err)
	}

	rep, err := Check(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Faults) != 2 {
		t.Fatalf("faults %v, want 2", rep.Faults)
	}
	want := map[string]string{cut: "lessonl[k=2]/sort-insertion/1", wrong: "lessonl[k=2]/sort-insertion/3"}
	for _, f := range rep.Faults {
		if cell, ok := want[f.Path]; !ok || f.Cell != cell {
			t.Errorf("fault %s; want one of %v", f, want)
		}
	}
	if f := rep.Faults[0]; !strings.HasPrefix(f.Err, "unreadable") && !strings.HasPrefix(rep.Faults[1].Err, "unreadable") {
		t.Errorf("no fault says unreadable: %v", rep.Faults)
	}
	moved, err := Repair(rep)
	if err != nil {
		t.Fatal(err)
	}
	// Seed 1: 7 parts; the wrongly named part's cell (seed 2): 7 parts.
	if len(moved) != 14 {
		t.Errorf("moved %d parts, want 14: %v", len(moved), moved)
	}
	if _, err := os.Stat(filepath.Join(dir, DamagedDir, TableResults, filepath.Base(cut))); err != nil {
		t.Errorf("the damaged part is not under %s: %v", DamagedDir, err)
	}
	again, err := Check(dir)
	if err != nil || len(again.Faults) != 0 {
		t.Errorf("after repair: %v, %v", again.Faults, err)
	}
	done, err := Finished(dir)
	if err != nil || len(done) != 1 || !done[Key("lessonl", "k=2", "sort-insertion", 3)] {
		t.Errorf("after repair, finished cells %v, %v; want seed 3 only", done, err)
	}
	st, err := RunState(dir)
	if err != nil || st.State != StateIncomplete || st.Done != 1 || st.Missing() != 2 {
		t.Errorf("after repair: %+v, %v; want incomplete, 1 done, 2 missing", st, err)
	}
}

// TestCheckRunFolder: a missing path, a file and a folder that holds no
// run are refused with what they are; a run folder passes.
func TestCheckRunFolder(t *testing.T) {
	empty := t.TempDir()
	file := filepath.Join(empty, "x.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, c := range []struct{ path, want string }{
		{filepath.Join(empty, "nope"), "does not exist"},
		{file, "is a file"},
		{empty, "is not a run folder"},
	} {
		if err := CheckRunFolder(c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.path, err, c.want)
		}
	}
	if err := CheckRunFolder(writeRun(t, 1, StateComplete, 1)); err != nil {
		t.Errorf("a run folder: %v", err)
	}
}

// TestStateOf: the state the manifest keeps, judged against the cells
// the tables hold.
func TestStateOf(t *testing.T) {
	failed := Cell{Strategy: "s", ProblemID: "p", Seed: 2, Status: "failed"}
	done := Cell{Strategy: "s", ProblemID: "p", Seed: 1, Status: "done"}
	for _, c := range []struct {
		name  string
		m     Manifest
		cells []Cell
		want  string
	}{
		{"whole", Manifest{Cells: 1, State: StateComplete, Ended: time.Unix(1, 0)}, []Cell{done}, "complete: 1 of 1 cells done"},
		{"interrupted", Manifest{Cells: 3, State: StateInterrupted, Ended: time.Unix(1, 0)}, []Cell{done}, "interrupted: 1 of 3 cells done, 2 missing"},
		{"failed", Manifest{Cells: 2, State: StateFailed, Ended: time.Unix(1, 0)}, []Cell{done, failed}, "failed: 1 of 2 cells done, 1 failed"},
		{"before states, ended", Manifest{Cells: 2, Ended: time.Unix(1, 0)}, []Cell{done}, "incomplete: 1 of 2 cells done, 1 missing"},
		{"before states, never ended", Manifest{Cells: 2}, []Cell{done}, "running: 1 of 2 cells done, 1 missing"},
		{"interrupted, then merged whole", Manifest{Cells: 1, State: StateInterrupted, Ended: time.Unix(1, 0)}, []Cell{done}, "complete: 1 of 1 cells done"},
		{"complete, then parts moved aside", Manifest{Cells: 2, State: StateComplete, Ended: time.Unix(1, 0)}, []Cell{done}, "incomplete: 1 of 2 cells done, 1 missing"},
	} {
		if got := StateOf(&c.m, c.cells).String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestExport writes every table as CSV and as JSONL: a CSV reader reads
// back the header and the rows with prompts spanning lines intact, JSONL
// rows are objects with the Parquet column names (a null stays null),
// and an unknown table is refused with the list of tables.
func TestExport(t *testing.T) {
	dir := writeRun(t, 2, StateComplete, 1, 2)
	out := t.TempDir()
	done, err := Export(dir, out, FormatCSV, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != len(Tables)+1 { // and problems
		t.Errorf("exported %d tables, want %d", len(done), len(Tables)+1)
	}
	f, err := os.Open(filepath.Join(out, "llm_calls.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "run_id" || rows[0][6] != "call_id" {
		t.Fatalf("llm_calls.csv: %d rows, header %v", len(rows), rows[0])
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if got := rows[1][col["prompt"]]; got != sampleBatch("lessonl", 1).LLMCalls[0].Prompt {
		t.Errorf("prompt read back %q", got)
	}
	if rows[1][col["request_seed"]] != "" || rows[1][col["temperature"]] != "0.2" || rows[1][col["usage_estimated"]] != "false" {
		t.Errorf("row %v", rows[1])
	}

	if _, err := Export(dir, out, FormatJSONL, []string{TableResults}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"run_id":"sample@01234567","cell_id":"lessonl[k=2]/sort-insertion/1"`) {
		t.Fatalf("results.jsonl:\n%s", b)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &r); err != nil || r["speedup"] != 2.5 || r["seed"] != 2.0 {
		t.Errorf("second row %v, %v", r, err)
	}
	if _, err := Export(dir, out, FormatCSV, []string{"result"}); err == nil || !strings.Contains(err.Error(), "\n  results\n") {
		t.Errorf("unknown table: %v", err)
	}
}
