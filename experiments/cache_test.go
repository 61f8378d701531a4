package experiments

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
)

// ablationSpec is the k × selection ablation on one problem of
// testdata/mini (sort-insertion, whose sim answers vary) and one seed, the sim team served over HTTP, with the
// shared evaluation cache in cache.
func ablationSpec(t *testing.T, url, cache string) string {
	t.Helper()
	abs, _ := filepath.Abs("testdata/mini")
	text := fmt.Sprintf(`name: ablation-cache
dataset: {path: %s, problems: [sort-insertion]}
evaluation: {repetitions: 3, warmup: 1, timeout: 30s}
cache_dir: %s
agents:
  - {name: a, provider: openai, base_url: %s, model: sim/coder-a}
  - {name: b, provider: openai, base_url: %s, model: sim/coder-b}
  - {name: c, provider: openai, base_url: %s, model: sim/coder-c}
strategies:
  - {name: lessonl, kind: lessonl, agents: [a, b, c], params: {rounds: 2, k: 4, selection: paper, relevance: tfidf}}
matrix:
  lessonl:
    k: [2, 4, 8]
    selection: [paper, relevance, none]
seeds: [1]
`, abs, cache, url, url, url)
	path := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// evaluated is what a run's candidates say about reuse: the rows with
// code, how many of them were evaluated fresh, the distinct code hashes,
// and the rows by where they were reused from.
type evaluated struct {
	rows, fresh int
	distinct    map[string]int // code hash → fresh evaluations of it
	hits        map[string]int // cache_hit → rows
	origins     map[string]int // origin run → rows
	runID       string
}

func readEvaluated(t *testing.T, dir string) evaluated {
	t.Helper()
	cands, err := record.Read[record.Candidate](dir, record.TableCandidates)
	if err != nil {
		t.Fatal(err)
	}
	m, err := record.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	ev := evaluated{distinct: map[string]int{}, hits: map[string]int{}, origins: map[string]int{}, runID: m.RunID}
	for _, c := range cands {
		if c.Status == "no_code" {
			continue
		}
		ev.rows++
		if _, ok := ev.distinct[c.CodeHash]; !ok {
			ev.distinct[c.CodeHash] = 0
		}
		if !c.Cached {
			ev.fresh++
			ev.distinct[c.CodeHash]++
		}
		ev.hits[c.CacheHit]++
		ev.origins[c.OriginRun]++
		if c.OriginRun == "" || c.OriginCell == "" {
			t.Errorf("%s %s: no origin (run %q, cell %q)", c.CellID, c.CandidateID, c.OriginRun, c.OriginCell)
		}
		if c.Cached != (c.CacheHit != "") {
			t.Errorf("%s %s: cached %v but cache_hit %q", c.CellID, c.CandidateID, c.Cached, c.CacheHit)
		}
	}
	return ev
}

// TestAblationEvaluatesEachCandidateOnce runs a k ∈ {2, 4, 8} × selection
// ∈ {paper, relevance, none} ablation on the sim (a simulator) three
// times. The first evaluates each distinct candidate once and records the
// others as hits (round 0 is the same in every variant); a second,
// identical run evaluates nothing, every candidate a hit of the shared
// cache naming the first run; a third with NoCache evaluates every
// distinct candidate again and takes nothing from the cache (its fresh
// speedups reach the lessons, so its later rounds may differ).
func TestAblationEvaluatesEachCandidateOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	sp := ablationSpec(t, simURL(t), filepath.Join(t.TempDir(), "cache"))
	base := t.TempDir()
	run := func(name string, noCache bool) evaluated {
		out := filepath.Join(base, name)
		sum, _, err := Execute(context.Background(), sp, out, Options{NoCache: noCache}, "test")
		if err != nil {
			t.Fatal(err)
		}
		if sum.Ran != 9 || sum.Failed != 0 {
			t.Fatalf("%s: %d cells ran, %d failed (%v), want 9 and 0", name, sum.Ran, sum.Failed, sum.Errors)
		}
		return readEvaluated(t, out)
	}

	first := run("first", false)
	if first.rows == 0 {
		t.Fatal("the first run recorded no evaluated candidate")
	}
	for hash, n := range first.distinct {
		if n != 1 {
			t.Errorf("first run: code %.12s evaluated fresh %d times, want once", hash, n)
		}
	}
	if first.fresh != len(first.distinct) || first.hits["run"] != first.rows-first.fresh || first.hits["store"] != 0 {
		t.Errorf("first run: %d rows, %d fresh, %d distinct, hits %v; want one fresh row per distinct code, the rest run hits",
			first.rows, first.fresh, len(first.distinct), first.hits)
	}
	// Nine variants share round 0 (three agents): most rows are hits.
	if first.rows < 27 || first.hits["run"] < 24 {
		t.Errorf("first run: %d rows, %d hits; want 27 round-0 rows or more, all but three hits at least", first.rows, first.hits["run"])
	}
	t.Logf("first run: %d candidates, %d evaluated, %d reused within the run", first.rows, first.fresh, first.hits["run"])

	second := run("second", false)
	if second.fresh != 0 || second.hits["store"] != second.rows || second.origins[first.runID] != second.rows {
		t.Errorf("second run: %d rows, %d fresh, hits %v, origins %v; want every row a store hit of run %s",
			second.rows, second.fresh, second.hits, second.origins, first.runID)
	}
	if second.rows != first.rows || len(second.distinct) != len(first.distinct) {
		t.Errorf("second run: %d rows of %d codes, first %d of %d; the same answers were expected", second.rows, len(second.distinct), first.rows, len(first.distinct))
	}

	third := run("no-cache", true)
	if third.hits["store"] != 0 || third.fresh != len(third.distinct) || third.fresh == 0 {
		t.Errorf("--no-cache run: %d rows, %d fresh of %d codes, hits %v; want every code evaluated again, nothing from the cache",
			third.rows, third.fresh, len(third.distinct), third.hits)
	}
	t.Logf("second run: %d evaluated of %d; no-cache run: %d evaluated of %d", second.fresh, second.rows, third.fresh, third.rows)
}
