package record

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func opening(spec string, resume bool, shard string) Opening {
	return Opening{Spec: []byte(spec), Resume: resume, Shard: shard,
		New: func(h string) Manifest {
			return Manifest{SchemaVersion: SchemaVersion, Name: "t", SpecHash: h, Started: time.Unix(1, 0)}
		}}
}

// TestOpenRunFolder: a folder is opened in turn by each step; a step
// either fails with the error named or leaves the manifest's shards and
// state as listed, so a run never mixes the records of two specs.
func TestOpenRunFolder(t *testing.T) {
	steps := []struct {
		name   string
		o      Opening
		err    string
		shards []string
	}{
		{name: "resume before any run", o: opening("a", true, ""), err: "holds no run"},
		{name: "new run", o: opening("a", false, "")},
		{name: "again without resume", o: opening("a", false, ""), err: "already holds this run"},
		{name: "another spec", o: opening("b", true, ""), err: "another spec"},
		{name: "resume", o: opening("a", true, "")},
		{name: "a shard joins", o: opening("a", false, "2/3"), shards: []string{"2/3"}},
		{name: "the same shard again", o: opening("a", false, "2/3"), shards: []string{"2/3"}},
		{name: "another shard", o: opening("a", false, "1/3"), shards: []string{"2/3", "1/3"}},
	}
	dir := filepath.Join(t.TempDir(), "run")
	for _, s := range steps {
		err := OpenRunFolder(dir, s.o)
		if s.err != "" {
			if err == nil || !strings.Contains(err.Error(), s.err) {
				t.Fatalf("%s: error %v, want one with %q", s.name, err, s.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		m, err := ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		if m.SpecHash != SpecHash([]byte("a")) || m.State != StateRunning || !slices.Equal(m.Shards, s.shards) {
			t.Fatalf("%s: manifest hash %.8s state %q shards %v, want hash %.8s running %v", s.name, m.SpecHash, m.State, m.Shards, SpecHash([]byte("a")), s.shards)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, SpecFile)); err != nil || string(b) != "a" {
		t.Fatalf("spec.yaml %q, %v; want the spec's text", b, err)
	}
}

// TestUpdateManifestConcurrent: shards updating the manifest at once lose
// none of each other's changes.
func TestUpdateManifestConcurrent(t *testing.T) {
	dir := t.TempDir()
	if err := OpenRunFolder(dir, opening("a", false, "")); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- UpdateManifest(dir, func(m *Manifest, _ bool) error { m.Done++; return nil })
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	m, err := ReadManifest(dir)
	if err != nil || m.Done != n {
		t.Fatalf("done %d, %v; want %d", m.Done, err, n)
	}
}

// TestMergeManifests: shards' manifests merge into the union of their
// shards with the earliest start and latest end; another spec is refused.
func TestMergeManifests(t *testing.T) {
	root := t.TempDir()
	write := func(name, spec, shard string, start, end int64) string {
		dir := filepath.Join(root, name)
		o := opening(spec, false, shard)
		o.New = func(h string) Manifest {
			return Manifest{SchemaVersion: SchemaVersion, SpecHash: h, Started: time.Unix(start, 0)}
		}
		if err := OpenRunFolder(dir, o); err != nil {
			t.Fatal(err)
		}
		if err := UpdateManifest(dir, func(m *Manifest, _ bool) error { m.Ended = time.Unix(end, 0); return nil }); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	one, two := write("one", "a", "1/2", 10, 20), write("two", "a", "2/2", 5, 30)
	out := filepath.Join(root, "merged")
	if err := MergeManifests(out, one, two); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Shards, []string{"1/2", "2/2"}) || m.Started.Unix() != 5 || m.Ended.Unix() != 30 {
		t.Fatalf("merged shards %v start %d end %d; want both shards, 5 and 30", m.Shards, m.Started.Unix(), m.Ended.Unix())
	}
	other := write("other", "b", "1/2", 1, 2)
	if err := MergeManifests(filepath.Join(root, "bad"), one, other); err == nil || !strings.Contains(err.Error(), "another spec") {
		t.Fatalf("merging another spec: %v, want a refusal", err)
	}
}
