package record

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// ManifestFile is the manifest's name in a run folder.
const ManifestFile = "manifest.json"

// Manifest says what ran, where and with what. It never holds a secret:
// the resolved spec names environment variables, never their values.
type Manifest struct {
	SchemaVersion int               `json:"schema_version"`
	RunID         string            `json:"run_id"` // the tables' run_id (see RunID)
	Name          string            `json:"name"`
	SpecHash      string            `json:"spec_hash"` // sha256 of the spec file as given
	Spec          json.RawMessage   `json:"spec"`      // the resolved spec
	Tool          string            `json:"tool"`      // lessonl version
	GitCommit     string            `json:"git_commit,omitempty"`
	Dirty         bool              `json:"dirty,omitempty"` // the tool was built from a checkout with uncommitted changes
	Host          string            `json:"host"`
	OS            string            `json:"os"`
	CPU           string            `json:"cpu"`
	Cores         int               `json:"cores"`
	Compiler      string            `json:"compiler"`  // first line of its --version
	Sandbox       map[string]string `json:"sandbox"`   // what the evaluator enforces
	Simulated     bool              `json:"simulated"` // some agents are the sim team (a simulator)
	// Recorded: some agents answer with recorded generations (real model
	// code that does not respond to prompts; see package recorded).
	Recorded bool      `json:"recorded,omitempty"`
	Started  time.Time `json:"started"`
	Ended    time.Time `json:"ended,omitzero"`
	Shards   []string  `json:"shards,omitempty"` // "i/n" of each shard run into this folder
	Cells    int       `json:"cells"`            // cells the spec expands to
	// State is the run's state as its last process left it (see the
	// State constants): running while a process is at it (or after one
	// died without a word), then complete, incomplete, failed or
	// interrupted. Done and Failed count the cells recorded as done and
	// as failed when it was set; Cells - Done - Failed were never
	// recorded. RunState reads the same from the tables.
	State  string `json:"state,omitempty"`
	Done   int    `json:"done"`
	Failed int    `json:"failed,omitempty"`
	// Overrides are the command line's changes to the spec file, e.g.
	// "--limit 2" (the resolved spec and the spec hash include them).
	Overrides []string `json:"overrides,omitempty"`
	// RerunOf is the run folder whose recorded calls this run replayed.
	RerunOf string `json:"rerun_of,omitempty"`
	// Replay counts how replay agents answered: from the record, with a
	// prompt that differed from the recorded one, or not at all.
	Replay *ReplayCounts `json:"replay,omitempty"`
	// Defaults are the parameters of each strategy kind the spec uses,
	// with the values a cell runs with where its params leave them unset
	// (e.g. lessonl's k and selection), by kind; readers take a cell's
	// full parameters from them and the cells table's params.
	Defaults map[string]map[string]any `json:"defaults,omitempty"`
	// Mode is the evaluation mode every cell ran in: serial or openmp
	// ("" in run folders written before it was recorded).
	Mode string `json:"mode,omitempty"`
	// Agents are the spec's agents as the run resolved them, in the
	// spec's order (nil in run folders written before they were recorded).
	Agents []Agent `json:"agents,omitempty"`
	// Dataset is the identity of the problems the run ran (nil in run
	// folders written before it was recorded); the problems table holds
	// each problem with its content hash.
	Dataset *Dataset `json:"dataset,omitempty"`
}

// Agent is one agent of a run: who answers, and at what price.
type Agent struct {
	Name     string `json:"name"`
	Provider string `json:"provider"` // sim, openai, replay or recorded
	Model    string `json:"model"`
	// InputPerMTok and OutputPerMTok are its price in dollars per million
	// tokens, when the spec gives one (Priced).
	Priced        bool    `json:"priced,omitempty"`
	InputPerMTok  float64 `json:"input_per_mtok,omitempty"`
	OutputPerMTok float64 `json:"output_per_mtok,omitempty"`
}

// Dataset is the identity of a run's problems, after the spec's filters.
type Dataset struct {
	Task   string `json:"task"`           // optimize or generate
	Source string `json:"source"`         // as the problems table's source column
	Path   string `json:"path,omitempty"` // the folder or file read, for sources outside the binary
	// Problems is the number of problems; Hash is the sha256 of their ids
	// and content hashes, in id order (see DatasetHash), so two runs with
	// the same hash ran the very same problems.
	Problems int    `json:"problems"`
	Hash     string `json:"hash"`
}

// DatasetHash is the hash of a set of problems: sha256 over each
// problem's id and content hash, in id order.
func DatasetHash(rows []Problem) string {
	sorted := append([]Problem(nil), rows...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ProblemID < sorted[j].ProblemID })
	h := sha256.New()
	for _, p := range sorted {
		fmt.Fprintf(h, "%s\x00%s\n", p.ProblemID, p.ContentHash)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ReplayCounts is how a run's replay agents answered.
type ReplayCounts struct {
	Answered int64 `json:"answered"`
	Differed int64 `json:"differed"`
	Misses   int64 `json:"misses"`
	// Differences explains each differing prompt: its place and the first
	// line that differs, as recorded and now.
	Differences []ReplayDifference `json:"differences,omitempty"`
}

// ReplayDifference is one call answered from the record with a prompt
// that differed from the recorded one (see llm.Difference).
type ReplayDifference struct {
	Cell     string `json:"cell"`    // the cell's id (see CellID)
	Agent    string `json:"agent"`   // the calling agent
	Ordinal  int    `json:"ordinal"` // the agent's call ordinal in the cell, from 1
	Purpose  string `json:"purpose"`
	Message  int    `json:"message"` // the first differing message; -1: only sampling parameters differ
	Recorded string `json:"recorded,omitempty"`
	Now      string `json:"now,omitempty"`
}

// WriteManifest writes m to dir atomically.
func WriteManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	path := filepath.Join(dir, ManifestFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if f, err := os.Open(tmp); err == nil {
		f.Sync()
		f.Close()
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return syncDir(dir)
}

// ReadManifest reads dir's manifest.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return &m, nil
}
