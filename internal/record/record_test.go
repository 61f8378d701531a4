package record

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// sampleBatch is one cell's rows with awkward text: quotes, newlines,
// unicode, an empty reply.
func sampleBatch(strategy string, seed int64) *Batch {
	key := Key(strategy, "k=2", "sort-insertion", seed)
	cell := Cell{Strategy: strategy, Variant: "k=2", Kind: "lessonl", ProblemID: "sort-insertion", Category: "sort",
		Seed: seed, Agents: "a,b", Params: `{"k":2}`, Status: "done", StartedMS: 1000, EndedMS: 2500, WallMS: 1500, Host: "h",
		Task: "optimize", Protocol: "lessonl", Models: "sim/coder-a,sim/coder-b", Resolved: `{"k":2,"protocol":"lessonl","rounds":4}`, Axes: "k"}
	b := &Batch{
		Key:   key,
		Cells: []Cell{cell},
		LLMCalls: []LLMCall{
			{CellRef: CellRef{Strategy: strategy, Variant: "k=2", ProblemID: "sort-insertion", Seed: seed}, CallID: "c001", Agent: "a", Provider: "sim",
				Model: "sim/coder-a", Purpose: "optimize", Prompt: `[{"role":"user","content":"say \"hi\"\nnow ✓"}]`,
				Reply: "```cpp\nint f();\n```", Temperature: 0.2, PromptTokens: 120, CompletionTokens: 30, Attempts: 1},
			{CellRef: CellRef{Strategy: strategy, Variant: "k=2", ProblemID: "sort-insertion", Seed: seed}, CallID: "c002", Agent: "b", Provider: "sim",
				Model: "sim/coder-b", Purpose: "lesson", Error: "endpoint down", Attempts: 3},
		},
		Candidates: []Candidate{{CellRef: CellRef{Strategy: strategy, Variant: "k=2", ProblemID: "sort-insertion", Seed: seed}, CandidateID: "k001",
			Agent: "a", CallID: "c001", Code: "int f();\n", Status: "correct", Speedup: 2.5, CILow: 2.4, CIHigh: 2.6, Repetitions: 3, FinalAnswer: true}},
		Timings: []Timing{
			{CellRef: CellRef{Strategy: strategy, Variant: "k=2", ProblemID: "sort-insertion", Seed: seed}, CandidateID: "k001", Rep: 0, BaselineNS: 250, CandidateNS: 100},
			{CellRef: CellRef{Strategy: strategy, Variant: "k=2", ProblemID: "sort-insertion", Seed: seed}, CandidateID: "k001", Rep: 1, BaselineNS: 251, CandidateNS: 99},
			{CellRef: CellRef{Strategy: strategy, Variant: "k=2", ProblemID: "sort-insertion", Seed: seed}, CandidateID: "k001", Placement: 1, Rep: 0, BaselineNS: 249, CandidateNS: 101},
		},
		Lessons: []Lesson{{CellRef: CellRef{Strategy: strategy, Variant: "k=2", ProblemID: "sort-insertion", Seed: seed}, LessonID: "r0-a", Agent: "a",
			Outcome: "significant", Speedup: 2.5, Text: "Use std::sort — it's O(n log n)."}},
		Selections: []Selection{{CellRef: CellRef{Strategy: strategy, Variant: "k=2", ProblemID: "sort-insertion", Seed: seed}, RoundShown: 1, Agent: "b",
			LessonID: "r0-a", Reason: "all", AdjustedSpeedup: 2.5, Factor: 1}},
		Results: []Result{{Strategy: strategy, Variant: "k=2", Kind: "lessonl", ProblemID: "sort-insertion", Category: "sort", Seed: seed,
			Status: "correct", Speedup: 2.5, CILow: 2.4, CIHigh: 2.6, Compiled: true, Correct: true, LLMCalls: 2,
			PromptTokens: 120, CompletionTokens: 30, Evaluations: 1, WallMS: 1500, RoundBest: "[2.5]"}},
	}
	b.Lessons[0].LessonID = CellID(strategy, "k=2", "sort-insertion", seed) + "/r0-a"
	b.Selections[0].LessonID = b.Lessons[0].LessonID
	b.stamp("sample@01234567")
	return b
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	b := sampleBatch("lessonl", 1)
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read %+v, wrote %+v", name, got, want)
		}
	}
	cells, _ := Read[Cell](dir, TableCells)
	check("cells", cells, b.Cells)
	calls, _ := Read[LLMCall](dir, TableLLMCalls)
	check("llm_calls", calls, b.LLMCalls)
	cands, _ := Read[Candidate](dir, TableCandidates)
	check("candidates", cands, b.Candidates)
	times, _ := Read[Timing](dir, TableTimings)
	check("timings", times, b.Timings)
	lessons, _ := Read[Lesson](dir, TableLessons)
	check("lessons", lessons, b.Lessons)
	sels, _ := Read[Selection](dir, TableSelections)
	check("selections", sels, b.Selections)
	res, _ := Read[Result](dir, TableResults)
	check("results", res, b.Results)

	// Rewriting the cell replaces its parts instead of adding rows.
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	counts, err := Counts(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{TableCells: 1, TableLLMCalls: 2, TableCandidates: 1, TableTimings: 3, TableLessons: 1, TableSelections: 1, TableResults: 1}
	check("counts after a rewrite", counts, want)
	done, _ := Finished(dir)
	if !done[b.Key] || len(done) != 1 {
		t.Errorf("finished %v, want just %s", done, b.Key)
	}
}

func TestAbsentTableIsEmpty(t *testing.T) {
	rows, err := Read[Lesson](t.TempDir(), TableLessons)
	if err != nil || len(rows) != 0 {
		t.Errorf("absent table: %d rows, %v", len(rows), err)
	}
}

func TestConcurrentCells(t *testing.T) {
	dir := t.TempDir()
	w, _ := NewWriter(dir)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.Write(sampleBatch("s", int64(i))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	done, err := Finished(dir)
	if err != nil || len(done) != 16 {
		t.Fatalf("%d finished cells, %v; want 16", len(done), err)
	}
	times, _ := Read[Timing](dir, TableTimings)
	if len(times) != 48 {
		t.Errorf("%d timing rows, want 48", len(times))
	}
}

// TestKilledWriter kills a process in the middle of writing a big part:
// readers must not see a partial part, and the cell is not finished.
func TestKilledWriter(t *testing.T) {
	if os.Getenv("LESSONL_RECORD_CHILD") != "" {
		w, _ := NewWriter(os.Getenv("LESSONL_RECORD_CHILD"))
		b := sampleBatch("big", 1)
		for i := 0; i < 2_000_000; i++ {
			b.Timings = append(b.Timings, Timing{CellRef: CellRef{Strategy: "big"}, CandidateID: fmt.Sprint(i), BaselineNS: int64(i)})
		}
		fmt.Println("writing")
		w.Write(b)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriter$")
	cmd.Env = append(os.Environ(), "LESSONL_RECORD_CHILD="+dir)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	out.Read(buf)
	// Wait for the temp file to appear, then kill.
	for i := 0; i < 500; i++ {
		m, _ := filepath.Glob(filepath.Join(dir, "tables", "*", ".tmp-*"))
		if len(m) > 0 {
			break
		}
		exec.Command("sleep", "0.01").Run()
	}
	cmd.Process.Kill()
	cmd.Wait()
	done, err := Finished(dir)
	if err != nil || len(done) != 0 {
		t.Errorf("after the kill: finished %v, %v; want none", done, err)
	}
	if _, err := Read[Timing](dir, TableTimings); err != nil {
		t.Errorf("a reader saw a partial part: %v", err)
	}
	tmp, _ := filepath.Glob(filepath.Join(dir, "tables", "*", ".tmp-*"))
	parts, _ := Parts(dir, TableTimings)
	for _, p := range parts {
		if strings.Contains(p, ".tmp-") {
			t.Errorf("temp file taken as a part: %s", p)
		}
	}
	t.Logf("left %d temp files, ignored by readers", len(tmp))
}

func TestMerge(t *testing.T) {
	a, b, out := t.TempDir(), t.TempDir(), t.TempDir()
	wa, _ := NewWriter(a)
	wb, _ := NewWriter(b)
	wa.Write(sampleBatch("s", 1))
	wb.Write(sampleBatch("s", 2))
	wb.Write(sampleBatch("s", 1)) // the same cell in both: a shard rerun
	if _, err := Merge(out, a, b); err != nil {
		t.Fatal(err)
	}
	done, _ := Finished(out)
	if len(done) != 2 {
		t.Errorf("merged %d cells, want 2", len(done))
	}
	if _, err := Merge(out, out); err != nil {
		t.Fatal(err)
	}
	if c, _ := Counts(out); c[TableCells] != 2 || c[TableTimings] != 6 {
		t.Errorf("after merging a folder into itself: %v", c)
	}
}

func TestManifestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	m := &Manifest{SchemaVersion: SchemaVersion, Name: "q", SpecHash: "abc", Spec: []byte(`{"name":"q"}`),
		Sandbox: map[string]string{"user": "nobody"}, Simulated: true, Shards: []string{"1/2"}}
	if err := WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(dir)
	var spec map[string]string
	json.Unmarshal(got.Spec, &spec)
	if err != nil || got.Name != "q" || spec["name"] != "q" || !got.Simulated || got.Sandbox["user"] != "nobody" {
		t.Errorf("read %+v, %v", got, err)
	}
}

// stamp sets every row's run_id to run and cell_id to its cell's.
func (b *Batch) stamp(run string) {
	for i := range b.Cells {
		x := &b.Cells[i]
		x.RunID, x.CellID = run, CellID(x.Strategy, x.Variant, x.ProblemID, x.Seed)
	}
	for i := range b.Results {
		x := &b.Results[i]
		x.RunID, x.CellID = run, CellID(x.Strategy, x.Variant, x.ProblemID, x.Seed)
	}
	var refs []*CellRef
	for i := range b.LLMCalls {
		refs = append(refs, &b.LLMCalls[i].CellRef)
	}
	for i := range b.Candidates {
		refs = append(refs, &b.Candidates[i].CellRef)
	}
	for i := range b.Timings {
		refs = append(refs, &b.Timings[i].CellRef)
	}
	for i := range b.Lessons {
		refs = append(refs, &b.Lessons[i].CellRef)
	}
	for i := range b.Selections {
		refs = append(refs, &b.Selections[i].CellRef)
	}
	for _, x := range refs {
		x.RunID, x.CellID = run, CellID(x.Strategy, x.Variant, x.ProblemID, x.Seed)
	}
}
