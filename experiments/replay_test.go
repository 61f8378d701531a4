package experiments

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/lessonlab/lessonl/internal/record"
)

// cellCode is each cell's candidates: agent, round and code, sorted.
func cellCode(t *testing.T, dir string) map[string][]string {
	t.Helper()
	cands, err := record.Read[record.Candidate](dir, record.TableCandidates)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, c := range cands {
		k := record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)
		out[k] = append(out[k], fmt.Sprintf("%s round %d:\n%s", c.Agent, c.Round, c.Code))
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// TestReplayExact records a LessonL run against the sim team served over
// HTTP (provider openai), then reruns it with every agent replaying the
// record: every call is answered from the record although lesson prompts
// quote speedups measured again, every cell has the same candidates'
// code, and nothing misses. A record with one reply deleted fails exactly
// that reply's cell.
func TestReplayExact(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and times real code")
	}
	sp := miniSpec(t, simURL(t), `  - {name: lessonl, kind: lessonl, agents: [a, b, c], params: {rounds: 2}}
  - {name: best, kind: best-of-n, agents: [a, b], params: {n: 2}}`, "[1]")
	orig := filepath.Join(t.TempDir(), "orig")
	sum, _, err := Execute(context.Background(), sp, orig, Options{}, "test")
	if err != nil || sum.Failed != 0 {
		t.Fatalf("recording run: %+v, %v", sum, err)
	}
	calls, err := record.Read[record.LLMCall](orig, record.TableLLMCalls)
	if err != nil {
		t.Fatal(err)
	}
	want := cellCode(t, orig)

	replayed := filepath.Join(t.TempDir(), "replayed")
	sum, _, err = Rerun(context.Background(), orig, replayed, false, Options{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 || sum.Ran != len(want) {
		t.Fatalf("rerun summary %+v, want %d cells, none failed; errors %v", sum, len(want), sum.Errors)
	}
	if sum.Replay == nil || sum.Replay.Answered != int64(len(calls)) || sum.Replay.Misses != 0 {
		t.Errorf("replay stats %+v, want all %d recorded calls answered, no miss", sum.Replay, len(calls))
	}
	t.Logf("replay: %+v (prompts that quote a number measured again differ)", *sum.Replay)
	got := cellCode(t, replayed)
	for k, codes := range want {
		if strings.Join(got[k], "\x00") != strings.Join(codes, "\x00") {
			t.Errorf("cell %s: replayed candidates differ from the recorded ones (%d vs %d)", k, len(got[k]), len(codes))
		}
	}
	m, err := record.ReadManifest(replayed)
	if err != nil || m.RerunOf != orig || m.Replay == nil || m.Replay.Misses != 0 || m.Replay.Answered != int64(len(calls)) {
		t.Errorf("rerun manifest: %+v, %v", m, err)
	}
	rcalls, _ := record.Read[record.LLMCall](replayed, record.TableLLMCalls)
	for _, c := range rcalls {
		if c.Provider != "replay" || c.Error != "" {
			t.Errorf("replayed call %s/%s: provider %s, error %q", c.ProblemID, c.CallID, c.Provider, c.Error)
		}
	}

	// Delete one reply (the last call of one cell) from a copy of the
	// record; a rerun that reuses the measurements fails that cell only.
	cut := filepath.Join(t.TempDir(), "cut")
	if _, err := record.Merge(cut, orig); err != nil {
		t.Fatal(err)
	}
	if err := record.MergeManifests(cut, orig); err != nil {
		t.Fatal(err)
	}
	victim := record.Key("lessonl", "", "sort-insertion", 1)
	part := filepath.Join(cut, "tables", record.TableLLMCalls, record.PartName(victim))
	rows, err := parquet.ReadFile[record.LLMCall](part)
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].CallID < rows[j].CallID })
	if err := parquet.WriteFile(part, rows[:len(rows)-1]); err != nil {
		t.Fatal(err)
	}
	sum, out, err := Rerun(context.Background(), cut, "", true, Options{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 1 || len(sum.Errors) != 1 || !strings.HasPrefix(sum.Errors[0], record.CellIDOfKey(victim)+": ") || !strings.Contains(sum.Errors[0], "no recorded answer") {
		t.Errorf("rerun of the cut record: %+v, want exactly cell %s failed on a missing answer", sum, victim)
	}
	// A call's place is its agent's own ordinal, which concurrency does
	// not change: the deleted reply costs exactly its own call.
	if sum.Replay == nil || sum.Replay.Misses != 1 {
		t.Errorf("replay stats %+v, want 1 miss", sum.Replay)
	}
	for k, codes := range cellCode(t, out) {
		if k != victim && strings.Join(codes, "\x00") != strings.Join(want[k], "\x00") {
			t.Errorf("cell %s: candidates differ from the record after reusing measurements", k)
		}
	}
}
