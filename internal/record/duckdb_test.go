package record

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// DuckDBRead reads a run folder with DuckDB (testdata/duckdb-read.mjs) and
// returns its row counts and a few values. It needs node and a
// node_modules folder holding @duckdb/node-api, named by
// $LESSONL_DUCKDB_NODE_MODULES (.ci/install-duckdb.sh makes one); without
// them the test is skipped.
func DuckDBRead(t *testing.T, dir string) map[string]any {
	t.Helper()
	mods := os.Getenv("LESSONL_DUCKDB_NODE_MODULES")
	if mods == "" {
		t.Skip("set LESSONL_DUCKDB_NODE_MODULES to a node_modules folder with @duckdb/node-api (see .ci/install-duckdb.sh)")
	}
	script, _ := filepath.Abs("testdata/duckdb-read.mjs")
	// Node resolves ES module imports from the script's folder upwards,
	// so run a copy placed next to the node_modules folder.
	copyPath := filepath.Join(filepath.Dir(mods), "duckdb-read.mjs")
	src, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copyPath, src, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", copyPath, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("duckdb: %v\n%s", err, out)
	}
	var res map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("duckdb output %q: %v", out, err)
	}
	return res
}

func TestDuckDBReadsEveryTable(t *testing.T) {
	dir := t.TempDir()
	w, _ := NewWriter(dir)
	for seed := int64(1); seed <= 3; seed++ {
		if err := w.Write(sampleBatch("lessonl", seed)); err != nil {
			t.Fatal(err)
		}
	}
	got := DuckDBRead(t, dir)
	ours, err := Counts(dir)
	if err != nil {
		t.Fatal(err)
	}
	counts := got["counts"].(map[string]any)
	for table, n := range ours {
		if int64(counts[table].(float64)) != n {
			t.Errorf("%s: DuckDB reads %v rows, we wrote %d", table, counts[table], n)
		}
	}
	if got["speedup_sum"].(float64) != 7.5 || got["llm_calls_sum"].(float64) != 6 {
		t.Errorf("DuckDB sums: speedup %v (want 7.5), llm_calls %v (want 6)", got["speedup_sum"], got["llm_calls_sum"])
	}
	if want := sampleBatch("lessonl", 1).LLMCalls[0].Prompt; got["first_prompt"] != want {
		t.Errorf("DuckDB read the prompt as %q, want %q", got["first_prompt"], want)
	}
}
