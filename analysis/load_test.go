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

// TestLoadKeys: a cell's keys come from the run's records: the model
// from the spec's agents, protocol and parameters from the cells table,
// the mode from the spec; the label shows the matrix's axes and a mode
// other than serial, and nothing parses it back.
func TestLoadKeys(t *testing.T) {
	for _, tt := range []struct {
		mode, variant string
	}{
		{"serial", "k=2"},
		{"openmp", "k=2,mode=openmp"},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			dir := t.TempDir()
			w, err := record.NewWriter(dir)
			if err != nil {
				t.Fatal(err)
			}
			spec := fmt.Sprintf(`{"name":"keys","protocol":"paper","evaluation":{"mode":%q},
			"agents":[{"name":"coder-a","model":"sim/coder-a"},{"name":"coder-b","model":"sim/coder-b"}],
			"strategies":[{"name":"lessonl","kind":"lessonl","agents":["coder-a","coder-b"],"params":{"rounds":2}}],
			"matrix":{"lessonl":{"k":[2,4]}}}`, tt.mode)
			// The kind's defaults: what a cell runs with where the params
			// leave a parameter unset (adjustment here); the spec's
			// top-level protocol overrides the kind's default one.
			defaults := map[string]map[string]any{"lessonl": {"k": 4, "selection": "paper", "adjustment": true, "protocol": "lessonl"}}
			if err := record.WriteManifest(dir, &record.Manifest{SchemaVersion: record.SchemaVersion, Name: "keys", SpecHash: "h", Spec: []byte(spec),
				Defaults: defaults, Started: time.Now()}); err != nil {
				t.Fatal(err)
			}
			b := &record.Batch{Key: "b"}
			b.Results = []record.Result{{Strategy: "lessonl", Variant: "k=2", Kind: "lessonl", ProblemID: "p1", Category: "sort", Seed: 1, Speedup: 2, Correct: true}}
			b.Cells = []record.Cell{{Strategy: "lessonl", Variant: "k=2", Kind: "lessonl", ProblemID: "p1", Category: "sort", Seed: 1, Status: "done",
				Agents: "coder-a,coder-b", Params: `{"k":2,"rounds":2,"selection":"random","temperature":0.2}`}}
			b.Candidates = []record.Candidate{{CellRef: record.CellRef{Strategy: "lessonl", Variant: "k=2", ProblemID: "p1", Seed: 1}, CandidateID: "k000"}}
			if err := w.Write(b); err != nil {
				t.Fatal(err)
			}
			r, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			got := r.Results[0]
			want := Keys{Run: "keys", Mode: tt.mode, Protocol: "paper", Model: "sim/coder-a,sim/coder-b", Agents: "coder-a,coder-b", Recorded: "k=2"}
			k := got.Keys
			if k.Run != want.Run || k.Mode != want.Mode || k.Protocol != want.Protocol || k.Model != want.Model || k.Agents != want.Agents || k.Recorded != want.Recorded {
				t.Errorf("keys %+v, want %+v", k, want)
			}
			for name, v := range map[string]string{"k": "2", "selection": "random", "temperature": "0.2", "rounds": "2", "model": "sim/coder-a,sim/coder-b", "adjustment": "true", "protocol": "paper"} {
				if got, _ := k.Value(name); got != v {
					t.Errorf("key %s = %q, want %q", name, got, v)
				}
			}
			if got.Variant != tt.variant || r.Candidates[0].Variant != tt.variant {
				t.Errorf("variant %q (candidate %q), want %q", got.Variant, r.Candidates[0].Variant, tt.variant)
			}
			if o, ok := r.Origin(record.Key("lessonl", tt.variant, "p1", 1)); !ok || o.Variant != "k=2" || o.Dir != dir {
				t.Errorf("origin %+v %v", o, ok)
			}
		})
	}
}
