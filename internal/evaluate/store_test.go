package evaluate

import (
	"context"
	"os"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/sandbox"
)

// TestStoreSharedAcrossEvaluators evaluates with one evaluator and reuses
// from another, as a second run or process would: a stored verdict comes
// back whole (status, timed pairs) with where it was measured; what a
// loaded machine could have decided (a runtime error) is measured again;
// other evaluator settings miss; a damaged entry is a miss, not an error.
func TestStoreSharedAcrossEvaluators(t *testing.T) {
	p := loadTestProblem(t)
	dir := t.TempDir()
	cfg := Config{MinReps: 3, MaxReps: 3, CacheDir: dir}
	const offByOne = "#include <cstdint>\n#include <vector>\nint64_t sum_values(const std::vector<int64_t>& v) { int64_t s = 0; for (std::size_t i = 1; i < v.size(); ++i) s += v[i]; return s; }\n"
	const throws = "#include <cstdint>\n#include <vector>\n#include <stdexcept>\nint64_t sum_values(const std::vector<int64_t>& v) { throw std::runtime_error(\"boom\"); }\n"
	first := newTestEvaluator(t, cfg)
	ctx1 := WithOrigin(context.Background(), "run-1", "lessonl/reduce-sum/1")
	fresh := map[string]Outcome{}
	for _, code := range []string{sumBody, offByOne, throws} {
		out, err := first.Evaluate(ctx1, p, code)
		if err != nil {
			t.Fatal(err)
		}
		if out.Cached || out.CacheHit != "" {
			t.Fatalf("first evaluation of an empty cache was a hit: %+v", out)
		}
		fresh[code] = out
	}
	if fresh[sumBody].Status != Correct || fresh[offByOne].Status != Incorrect || fresh[throws].Status != RuntimeError {
		t.Fatalf("statuses %s %s %s, want correct, incorrect, runtime_error", fresh[sumBody].Status, fresh[offByOne].Status, fresh[throws].Status)
	}

	second := newTestEvaluator(t, cfg)
	ctx2 := WithOrigin(context.Background(), "run-2", "single/reduce-sum/1")
	for _, tt := range []struct {
		name string
		code string
		hit  bool
	}{{"correct", sumBody, true}, {"incorrect", offByOne, true}, {"runtime error", throws, false}} {
		out, err := second.Evaluate(ctx2, p, tt.code)
		if err != nil {
			t.Fatal(err)
		}
		was := fresh[tt.code]
		if !tt.hit {
			if out.Cached || out.Origin.Run != "run-2" {
				t.Errorf("%s: reused (%+v), want measured again in run-2", tt.name, out.Origin)
			}
			continue
		}
		if !out.Cached || out.CacheHit != HitStore || out.Origin != (Origin{"run-1", "lessonl/reduce-sum/1"}) {
			t.Errorf("%s: cached %v hit %q origin %+v, want a store hit from run-1's cell", tt.name, out.Cached, out.CacheHit, out.Origin)
		}
		if out.Status != was.Status || out.Speedup != was.Speedup || out.CodeHash != was.CodeHash ||
			!reflect.DeepEqual(out.BaselineReps, was.BaselineReps) || !reflect.DeepEqual(out.CandidateReps, was.CandidateReps) {
			t.Errorf("%s: hit %+v differs from the fresh verdict %+v", tt.name, out, was)
		}
		if out.CompileMS != 0 || out.RunMS != 0 {
			t.Errorf("%s: a hit reports %d ms compile, %d ms run; it spent none", tt.name, out.CompileMS, out.RunMS)
		}
	}
	// Within the evaluator, the second request of code found in the store
	// is an in-run hit that still names the store and the origin.
	again, err := second.Evaluate(ctx2, p, sumBody)
	if err != nil {
		t.Fatal(err)
	}
	if again.CacheHit != HitStore || again.Origin.Run != "run-1" {
		t.Errorf("in-run reuse of a store hit: hit %q origin %+v", again.CacheHit, again.Origin)
	}

	other := newTestEvaluator(t, Config{MinReps: 4, MaxReps: 4, CacheDir: dir})
	if out, err := other.Evaluate(ctx2, p, offByOne); err != nil || out.Cached {
		t.Errorf("other repetitions reused a verdict (err %v, cached %v)", err, out.Cached)
	}

	// A damaged entry is measured again and rewritten.
	key := storeKey(second.storeParts(p, offByOne))
	if err := os.WriteFile(second.entryPath(key), []byte(`{"format":"v1","key":`), 0o644); err != nil {
		t.Fatal(err)
	}
	third := newTestEvaluator(t, cfg)
	out, err := third.Evaluate(ctx2, p, offByOne)
	if err != nil || out.Cached || out.Status != Incorrect {
		t.Fatalf("damaged entry: err %v cached %v status %s, want a fresh incorrect", err, out.Cached, out.Status)
	}
	if _, ok := third.readEntry(key); !ok {
		t.Errorf("the damaged entry was not rewritten")
	}
}

// TestStoreOneEvaluationAcrossProcesses starts the same code on two
// evaluators at once (two processes sharing the cache): the key's lock
// lets one evaluate and the other reuse its verdict.
func TestStoreOneEvaluationAcrossProcesses(t *testing.T) {
	p := loadTestProblem(t)
	cfg := Config{MinReps: 3, MaxReps: 3, CacheDir: t.TempDir()}
	evs := []*Evaluator{newTestEvaluator(t, cfg), newTestEvaluator(t, cfg)}
	outs := make([]Outcome, len(evs))
	errs := make([]error, len(evs))
	var wg sync.WaitGroup
	for i, e := range evs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = e.Evaluate(context.Background(), p, sumBody)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if outs[0].Cached == outs[1].Cached {
		t.Fatalf("cached %v and %v, want exactly one fresh evaluation", outs[0].Cached, outs[1].Cached)
	}
	if !reflect.DeepEqual(outs[0].BaselineReps, outs[1].BaselineReps) {
		t.Errorf("the hit's timed pairs differ from the fresh ones")
	}
}

// TestStoreKey changes one thing at a time that can change a verdict or a
// timing and checks that the key changes with it, and that what cannot
// (the cache's own folder) leaves it alone.
func TestStoreKey(t *testing.T) {
	p := loadTestProblem(t)
	base := newTestEvaluator(t, Config{})
	want := storeKey(base.storeParts(p, sumBody))
	if got := storeKey(base.storeParts(p, sumBody+"  \n")); got != want {
		t.Errorf("trailing blanks changed the key")
	}
	changed := *p
	changed.Tolerance = p.Tolerance + 1e-3
	sizes := *p
	sizes.Sizes.Timing++
	cases := []struct {
		name string
		cfg  Config
		diff bool
	}{
		{"another cache folder", Config{CacheDir: t.TempDir()}, false},
		{"other flags", Config{Flags: []string{"-std=c++17", "-O2"}}, true},
		{"openmp", Config{Mode: ModeOpenMP, Threads: 2}, true},
		{"paper timing", Config{Timing: TimingPaper}, true},
		{"repetitions", Config{MinReps: 5, MaxReps: 5}, true},
		{"run-to-run", Config{RunToRun: 0.02}, true},
		{"no checked build", Config{NoCheckedBuild: true}, true},
		{"verdict only", Config{VerdictOnly: true}, true},
		{"slots", Config{Slots: 2}, true},
		{"a shorter time limit", Config{Timeout: Duration(5 * time.Second)}, true},
		{"more memory", Config{MemoryGiB: 8}, true},
	}
	for _, c := range cases {
		e := newTestEvaluator(t, c.cfg)
		if got := storeKey(e.storeParts(p, sumBody)); (got != want) != c.diff {
			t.Errorf("%s: key changed %v, want %v", c.name, got != want, c.diff)
		}
	}
	for name, q := range map[string]*datasets.Problem{"tolerance": &changed, "timing size": &sizes} {
		if got := storeKey(base.storeParts(q, sumBody)); got == want {
			t.Errorf("another %s kept the key", name)
		}
	}
	if got := storeKey(base.storeParts(p, sumBody+"// other\n")); got == want {
		t.Errorf("other code kept the key")
	}
}

// TestStorable keeps what the code alone decides and nothing a loaded
// machine could have decided.
func TestStorable(t *testing.T) {
	e := &Evaluator{}
	pairs := []int64{1, 2, 3}
	for _, c := range []struct {
		name string
		o    Outcome
		want bool
	}{
		{"correct with its pairs", Outcome{Status: Correct, BaselineReps: pairs, CandidateReps: pairs}, true},
		{"correct without pairs", Outcome{Status: Correct}, false},
		{"incorrect", Outcome{Status: Incorrect, Detail: "outputs differ"}, true},
		{"not compilable", Outcome{Status: NotCompilable, Detail: "error: expected ';'"}, true},
		{"compile hit its time limit", Outcome{Status: NotCompilable, Detail: sandbox.TimeLimitNote + " (wall 1m, cpu 1m)"}, false},
		{"not serial", Outcome{Status: NotSerial}, true},
		{"timeout", Outcome{Status: Timeout}, false},
		{"runtime error", Outcome{Status: RuntimeError, Detail: "killed: out of memory"}, false},
	} {
		if got := e.storable(c.o); got != c.want {
			t.Errorf("%s: storable %v, want %v", c.name, got, c.want)
		}
	}
}

// TestStoreRefusesAFolderOthersCanWrite: a cache folder that another
// user (a candidate's sandbox user) could write is not used, since an
// entry planted there would be trusted; this user's own folder is.
func TestStoreRefusesAFolderOthersCanWrite(t *testing.T) {
	open := t.TempDir()
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dir    string
		usable bool
	}{{t.TempDir(), true}, {open, false}} {
		e := newTestEvaluator(t, Config{CacheDir: c.dir})
		if err := e.StoreUnusable(); (err == nil) != c.usable {
			t.Errorf("%s: unusable because %v, want usable %v", c.dir, err, c.usable)
		}
	}
}
