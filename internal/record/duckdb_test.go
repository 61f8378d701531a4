package record_test

import (
	"testing"

	"github.com/lessonlab/lessonl/internal/record"
	"github.com/lessonlab/lessonl/internal/record/recordtest"
)

func TestDuckDBReadsEveryTable(t *testing.T) {
	dir := t.TempDir()
	w, _ := record.NewWriter(dir)
	for seed := int64(1); seed <= 3; seed++ {
		if err := w.Write(record.SampleBatch("lessonl", seed)); err != nil {
			t.Fatal(err)
		}
	}
	got := recordtest.Read(t, dir)
	ours, err := record.Counts(dir)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range ours {
		if got.Counts[table] != n {
			t.Errorf("%s: DuckDB reads %d rows, we wrote %d", table, got.Counts[table], n)
		}
	}
	if got.SpeedupSum != 7.5 || got.LLMCallsSum != 6 {
		t.Errorf("DuckDB sums: speedup %v (want 7.5), llm_calls %v (want 6)", got.SpeedupSum, got.LLMCallsSum)
	}
	if want := record.SampleBatch("lessonl", 1).LLMCalls[0].Prompt; got.FirstPrompt != want {
		t.Errorf("DuckDB read the prompt as %q, want %q", got.FirstPrompt, want)
	}
}
