package evaluate

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestObjectsShared: with the object cache, a problem's checked objects
// are built beside its plain ones, even when no candidate validates (once
// per machine, not per evaluator). An evaluator that shares the object
// cache of one before it (another process, as far as the cache can tell)
// builds none of the problem's objects: it copies the plain and the
// checked set, its candidates get their verdicts, and the baseline's timed
// binary it runs is the first one's byte for byte. A cache folder that
// others may write is not used.
func TestObjectsShared(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs real code")
	}
	t.Setenv("LESSONL_LOCK_DIR", t.TempDir())
	p := loadTestProblem(t)
	dir := filepath.Join(t.TempDir(), "objects")
	wrong := strings.Replace(sumBody, "int64_t s = 0;", "int64_t s = 1;", 1)
	type candidate struct {
		code string
		want Status
	}
	identity, incorrect := candidate{p.BaselineCode, Correct}, candidate{wrong, Incorrect}
	evaluate := func(e *Evaluator, cs ...candidate) (ref []byte) {
		t.Helper()
		for _, c := range cs {
			out, err := e.Evaluate(context.Background(), p, c.code)
			if err != nil || out.Status != c.want {
				t.Fatalf("%s (%s), err %v; want %s", out.Status, out.Detail, err, c.want)
			}
		}
		e.background.Wait()
		for _, b := range e.builds {
			var err error
			if ref, err = os.ReadFile(filepath.Join(b.dir, refBinary)); err != nil {
				t.Fatal(err)
			}
		}
		return ref
	}
	var refs [][]byte
	for i, c := range []struct {
		cands []candidate
		want  BuildCounts
	}{
		{[]candidate{incorrect}, BuildCounts{Problems: 1, CheckedProblems: 1, Candidates: 1}},
		{[]candidate{identity, incorrect}, BuildCounts{Candidates: 2, Checked: 1, Reused: 2}},
	} {
		e := newTestEvaluator(t, Config{VerdictOnly: true})
		e.ShareObjects(dir)
		if err := e.ObjectsUnusable(); err != nil {
			t.Skipf("the object cache is not used on this machine: %v", err)
		}
		refs = append(refs, evaluate(e, c.cands...))
		if got := e.Builds(); got != c.want {
			t.Errorf("evaluator %d: builds %+v, want %+v", i+1, got, c.want)
		}
	}
	if len(refs[0]) == 0 || !bytes.Equal(refs[0], refs[1]) {
		t.Errorf("the second evaluator's baseline binary (%d bytes) is not the first's (%d bytes)", len(refs[1]), len(refs[0]))
	}

	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	e := newTestEvaluator(t, Config{VerdictOnly: true})
	e.ShareObjects(dir)
	if err := e.ObjectsUnusable(); err == nil || !strings.Contains(err.Error(), "writable by it alone") {
		t.Errorf("a cache folder everyone may write: %v, want it refused", err)
	}
	evaluate(e, incorrect)
	if got := e.Builds(); got.Problems != 1 || got.CheckedProblems != 0 || got.Reused != 0 {
		t.Errorf("with the cache refused: builds %+v, want the problem built, nothing reused, and no checked objects for a candidate that did not validate", got)
	}
}

// TestObjectKey: the key changes with every input of the build (sources,
// flags, outputs) and not otherwise.
func TestObjectKey(t *testing.T) {
	e := newTestEvaluator(t, Config{})
	src := storeKey(map[string]string{"driver.cpp": "int main() {}\n", "lessonl.hpp": "// h\n"})
	base := e.objectKey(src, []string{"-O3"}, []string{"driver.o"})
	for name, key := range map[string]string{
		"another header": e.objectKey(storeKey(map[string]string{"driver.cpp": "int main() {}\n", "lessonl.hpp": "// h2\n"}), []string{"-O3"}, []string{"driver.o"}),
		"a renamed file": e.objectKey(storeKey(map[string]string{"driver.cpp": "int main() {}\n", "other.hpp": "// h\n"}), []string{"-O3"}, []string{"driver.o"}),
		"other flags":    e.objectKey(src, []string{"-O2"}, []string{"driver.o"}),
		"split flags":    e.objectKey(src, []string{"-O", "3"}, []string{"driver.o"}),
		"other outputs":  e.objectKey(src, []string{"-O3"}, []string{"driver.o", "ref"}),
	} {
		if key == base {
			t.Errorf("%s: same key as before", name)
		}
	}
	if again := e.objectKey(storeKey(map[string]string{"lessonl.hpp": "// h\n", "driver.cpp": "int main() {}\n"}), []string{"-O3"}, []string{"driver.o"}); again != base {
		t.Error("the same build: another key")
	}
}
