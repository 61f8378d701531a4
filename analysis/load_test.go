package analysis

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/internal/record"
)

// writeRun records a run of spec name (hash) with strategy "single" on
// the given seeds, every speedup sp.
func writeRun(t *testing.T, name, hash string, sp float64, seeds ...int64) string {
	t.Helper()
	dir := t.TempDir()
	w, err := record.NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	spec := fmt.Sprintf(`{"name":%q}`, name)
	if err := record.WriteManifest(dir, &record.Manifest{SchemaVersion: record.SchemaVersion, RunID: record.RunID(name, hash),
		Name: name, SpecHash: hash, Spec: []byte(spec), Started: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, seed := range seeds {
		b := &record.Batch{Key: record.Key("single", "", "p1", seed)}
		b.Results = []record.Result{{Strategy: "single", Kind: "single", ProblemID: "p1", Category: "sort", Seed: seed,
			Speedup: sp, Correct: true, Compiled: true, Status: "correct"}}
		b.Cells = []record.Cell{{Strategy: "single", ProblemID: "p1", Category: "sort", Seed: seed, Status: "done"}}
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLoadShardsAndDistinctRuns: shards of one spec read as one run with
// no run key; runs of two specs with the same strategy names both show,
// each labelled; and the notes say which happened.
func TestLoadShardsAndDistinctRuns(t *testing.T) {
	shard1, shard2 := writeRun(t, "a", "aaaaaaaaaa", 2, 1), writeRun(t, "a", "aaaaaaaaaa", 2, 2)
	other := writeRun(t, "b", "bbbbbbbbbb", 3, 1, 2)
	tests := []struct {
		name     string
		dirs     []string
		variants []string // of the overall rows, in order
		geo      []float64
		note     string
	}{
		{"shards", []string{shard1, shard2}, []string{""}, []float64{2}, "shards of one run"},
		{"distinct runs", []string{shard1, shard2, other}, []string{"run=a", "run=b"}, []float64{2, 3}, `2 runs, kept apart: "a"`},
		{"swapped", []string{other, shard1, shard2}, []string{"run=a", "run=b"}, []float64{2, 3}, `2 runs, kept apart: "b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Load(tt.dirs...)
			if err != nil {
				t.Fatal(err)
			}
			var variants []string
			var geo []float64
			for _, row := range Metrics(r.Results, Options{Resamples: 50}) {
				if row.Category == AllCategories {
					variants = append(variants, row.Variant)
					geo = append(geo, math.Round(row.GeoMean*1e9)/1e9)
				}
			}
			if fmt.Sprint(variants) != fmt.Sprint(tt.variants) || fmt.Sprint(geo) != fmt.Sprint(tt.geo) {
				t.Errorf("overall rows %v with geomeans %v, want %v and %v", variants, geo, tt.variants, tt.geo)
			}
			if !strings.Contains(strings.Join(r.Notes, "\n"), tt.note) {
				t.Errorf("notes %q lack %q", r.Notes, tt.note)
			}
		})
	}
}
