package record

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestGroupRuns loads shards of one spec, a second run of that spec, and
// a run of another spec: the shards read as one run, the others apart,
// each labelled, and the notes say which is which.
func TestGroupRuns(t *testing.T) {
	root := t.TempDir()
	folder := func(name, spec, hash string, seeds ...int64) string {
		dir := filepath.Join(root, name)
		writeSamples(t, dir, seeds...)
		if err := WriteManifest(dir, &Manifest{SchemaVersion: SchemaVersion, RunID: RunID(spec, hash), Name: spec, SpecHash: hash}); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	shard1 := folder("shard1", "q", "aaaaaaaaaaaa", 1, 2)
	shard2 := folder("shard2", "q", "aaaaaaaaaaaa", 3)
	again := folder("again", "q", "aaaaaaaaaaaa", 1)
	other := folder("other", "p", "bbbbbbbbbbbb", 1)

	tests := []struct {
		name   string
		dirs   []string
		labels []string
		dirsOf [][]string
		notes  []string
	}{
		{"one folder", []string{shard1}, []string{"q"}, [][]string{{shard1}}, nil},
		{"shards", []string{shard1, shard2}, []string{"q"}, [][]string{{shard1, shard2}}, []string{"shards of one run (q@aaaaaaaa, 3 cells)"}},
		{"two specs", []string{shard1, other}, []string{"q", "p"}, [][]string{{shard1}, {other}}, []string{`2 runs, kept apart: "q"`}},
		{"one spec twice", []string{shard1, shard2, again}, []string{"shard1", "again"}, [][]string{{shard1, shard2}, {again}},
			[]string{"1 cells in common: kept apart", "shards of one run", `"again"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			groups, notes, err := GroupRuns(tt.dirs...)
			if err != nil {
				t.Fatal(err)
			}
			var labels []string
			var dirs [][]string
			for _, g := range groups {
				labels = append(labels, g.Label)
				dirs = append(dirs, g.Dirs)
			}
			if !reflect.DeepEqual(labels, tt.labels) || !reflect.DeepEqual(dirs, tt.dirsOf) {
				t.Errorf("groups %v of %v, want %v of %v", labels, dirs, tt.labels, tt.dirsOf)
			}
			all := strings.Join(notes, "\n")
			for _, want := range tt.notes {
				if !strings.Contains(all, want) {
					t.Errorf("notes lack %q:\n%s", want, all)
				}
			}
			if len(tt.notes) == 0 && len(notes) != 0 {
				t.Errorf("notes for one run: %v", notes)
			}
		})
	}
	// Records of another schema version are refused by name.
	old := folder("old", "q", "cccccccccccc", 1)
	m, _ := ReadManifest(old)
	m.SchemaVersion = 1
	WriteManifest(old, m)
	if _, _, err := GroupRuns(old); err == nil || !strings.Contains(err.Error(), "schema version 1") {
		t.Errorf("an old folder: %v", err)
	}
}

// TestMergeReport: merging shards into a new folder copies their cells;
// merging a folder into itself (shards that wrote into it) copies nothing
// and says the cells were there; a cell in two folders is copied once.
func TestMergeReport(t *testing.T) {
	a, b, out := t.TempDir(), t.TempDir(), t.TempDir()
	wa, _ := NewWriter(a)
	wb, _ := NewWriter(b)
	wa.Write(sampleBatch("s", 1))
	wb.Write(sampleBatch("s", 2))
	wb.Write(sampleBatch("s", 1))
	m, err := MergeReport(out, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Cells != 2 || m.Duplicate != 1 || m.Already != 0 || m.Total != 2 {
		t.Errorf("merge of two shards: %+v", m)
	}
	m, err = MergeReport(out, out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Cells != 0 || m.Already != 2 || m.Total != 2 || !strings.Contains(m.String(), "2 were there already") {
		t.Errorf("merge of a folder into itself: %+v (%s)", m, m)
	}
}
