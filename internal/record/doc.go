// Package record holds a run's records: the row type of every Parquet
// table, a writer that stores a finished cell's rows crash-safely, readers,
// the merge of shard folders, and the run manifest.
//
// A run folder is
//
//	manifest.json                 what ran, where, with what (Manifest)
//	spec.yaml                     the spec as given
//	tables/<table>/part-*.parquet one part per finished cell and table
//
// with the tables cells, llm_calls, candidates, timings, lessons,
// selections and results; their columns are the fields of Cell, LLMCall,
// Candidate, Timing, Lesson, Selection and Result, each documented there.
// One more table, problems (Problem), is the run's rather than a cell's:
// each problem with its source and content hash, written once.
//
// The folder describes itself: each cells row says what the cell ran
// with (task, protocol, models, every resolved parameter), and the
// manifest names the agents, the evaluation mode and the dataset's
// identity and hash, so that readers (analysis, the browser, DuckDB)
// never need the spec or lessonl's rules for defaults.
// Every row carries its run (run_id, see RunID) and its cell (cell_id, see
// CellID, and the key's columns strategy, variant, problem_id, seed), so
// any Parquet reader (DuckDB, pandas, polars) can join and group the tables
// without help: `SELECT * FROM 'run/tables/results/*.parquet'`.
//
// Reading belongs here too: Read a table, ReadCell one cell's rows (from
// its own parts), GroupRuns several folders into runs (shards of one spec
// merge; other runs are kept apart, with notes saying which), and
// MergeReport to join folders, counting what it copied.
//
// Crash safety: a part is written under a temporary name, fsynced, renamed
// and its folder fsynced, so a reader never sees half a part. A cell's
// cells part is written last: a cell without it is unfinished, resume
// redoes it, and its parts are rewritten under the same deterministic names
// (a hash of the cell key), so nothing is duplicated.
//
// Secrets are never recorded: agents are stored by name, model and base
// URL; API keys live only in environment variables named in the spec.
package record
