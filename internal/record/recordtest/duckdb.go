// Package recordtest reads run folders with DuckDB, the independent
// Parquet reader the tests hold lessonl's records against.
package recordtest

import (
	_ "embed"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

//go:embed duckdb-read.mjs
var script []byte

// DuckDB is what DuckDB read from a run folder.
type DuckDB struct {
	Counts      map[string]int64 `json:"counts"`
	SpeedupSum  float64          `json:"speedup_sum"`
	LLMCallsSum float64          `json:"llm_calls_sum"`
	FirstPrompt string           `json:"first_prompt"`
	Queries     []QueryResult    `json:"queries"` // one per query given to Query
}

// QueryResult is how one query went: its row count, or its error.
type QueryResult struct {
	Rows  int    `json:"rows"`
	Error string `json:"error"`
}

// Read reads the run folder dir with DuckDB (through node and the npm
// package @duckdb/node-api in $LESSONL_DUCKDB_NODE_MODULES, which
// .ci/install-duckdb.sh prepares); the test is skipped without them.
func Read(t testing.TB, dir string) DuckDB {
	t.Helper()
	return Query(t, dir)
}

// Query reads dir as Read does and also runs each SQL query.
func Query(t testing.TB, dir string, queries ...string) DuckDB {
	t.Helper()
	mods := os.Getenv("LESSONL_DUCKDB_NODE_MODULES")
	if mods == "" {
		t.Skip("set LESSONL_DUCKDB_NODE_MODULES to a node_modules folder with @duckdb/node-api (see .ci/install-duckdb.sh)")
	}
	// Node resolves imports from the script's folder upwards: place the
	// script next to node_modules.
	path := filepath.Join(filepath.Dir(mods), "lessonl-duckdb-read.mjs")
	if err := os.WriteFile(path, script, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{path, dir}
	if len(queries) > 0 {
		q, _ := json.Marshal(queries)
		args = append(args, string(q))
	}
	out, err := exec.Command("node", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("duckdb: %v\n%s", err, out)
	}
	var d DuckDB
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatalf("duckdb output %q: %v", out, err)
	}
	return d
}
