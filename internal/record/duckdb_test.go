package record_test

import (
	"os"
	"regexp"
	"strings"
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

// TestREADMEQueries runs every example query of README's table of tables
// with DuckDB on a recorded folder: each must run and return rows.
func TestREADMEQueries(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	w, _ := record.NewWriter(dir)
	for seed := int64(1); seed <= 2; seed++ {
		if err := w.Write(record.SampleBatch("lessonl", seed)); err != nil {
			t.Fatal(err)
		}
	}
	if err := record.WriteProblems(dir, []record.Problem{{RunID: "sample@01234567", ProblemID: "sort-insertion", Category: "sort",
		Task: "optimize", Source: "builtin", Language: "cpp", ContentHash: strings.Repeat("ab", 32)}}); err != nil {
		t.Fatal(err)
	}
	var queries []string
	tables := map[string]bool{}
	row := regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|.*`(SELECT [^`]+)` \\|$")
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		tables[m[1]] = true
		queries = append(queries, strings.ReplaceAll(m[2], "$R", dir))
	}
	for _, table := range append(record.Tables, record.TableProblems) {
		if !tables[table] {
			t.Errorf("README has no example query for table %s", table)
		}
	}
	got := recordtest.Query(t, dir, queries...)
	for i, q := range got.Queries {
		if q.Error != "" || q.Rows == 0 {
			t.Errorf("%s: %d rows, error %q", queries[i], q.Rows, q.Error)
		}
	}
}
