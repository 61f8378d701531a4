package analysis

import (
	"fmt"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/internal/record"
)

// writeModeRun records a run of spec "paper" in the given mode: two
// problems, one seed, every speedup sp.
func writeModeRun(t *testing.T, mode string, sp float64) string {
	t.Helper()
	dir := t.TempDir()
	w, err := record.NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	spec := fmt.Sprintf(`{"name":"paper","evaluation":{"mode":%q}}`, mode)
	if err := record.WriteManifest(dir, &record.Manifest{SchemaVersion: record.SchemaVersion, Name: "paper", SpecHash: "same", Spec: []byte(spec), Started: time.Now()}); err != nil {
		t.Fatal(err)
	}
	b := &record.Batch{Key: "b"}
	for _, p := range []string{"p1", "p2"} {
		b.Results = append(b.Results, record.Result{Strategy: "lessonl", Kind: "lessonl", ProblemID: p, Category: "sort", Seed: 1,
			Speedup: sp, Correct: true, Compiled: true})
		b.Cells = append(b.Cells, record.Cell{Strategy: "lessonl", ProblemID: p, Category: "sort", Seed: 1, Status: "done"})
	}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The serial and OpenMP runs of one spec have the same cell keys; loaded
// together they are two columns of the paper's table, not duplicates.
func TestSerialAndOpenMPRunsSideBySide(t *testing.T) {
	serial, omp := writeModeRun(t, "serial", 1.5), writeModeRun(t, "openmp", 4)
	r, err := Load(serial, omp)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Results) != 4 {
		t.Fatalf("%d results, want 4 (2 per mode)", len(r.Results))
	}
	rows := PaperTable(r, Options{})
	if len(rows) != 1 || rows[0].Label != "lessonl" {
		t.Fatalf("rows %+v, want one row for lessonl", rows)
	}
	s, o := rows[0].Modes["serial"], rows[0].Modes["openmp"]
	if s.Speedup != 1.5 || o.Speedup != 4 || o.TwoX != 1 || s.TwoX != 0 {
		t.Errorf("serial %+v, openmp %+v", s, o)
	}
}
