package analysis

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lessonlab/lessonl/internal/record"
)

// describedSpec is the spec copy a manifest of the described runs holds:
// the records say all of it, so no test below needs it.
const describedSpec = `{"name":"described","protocol":"paper","evaluation":{"mode":"openmp"},
"agents":[{"name":"coder-a","provider":"sim","model":"sim/coder-a","price":{"input_per_mtok":1,"output_per_mtok":3}},{"name":"coder-b","provider":"sim","model":"sim/coder-b"}],
"strategies":[{"name":"lessonl","kind":"lessonl","agents":["coder-a","coder-b"],"params":{"rounds":2}},{"name":"single","kind":"single","agents":["coder-a"]}],
"matrix":{"lessonl":{"k":[2]}}}`

// writeDescribed writes a run folder of two strategies on two problems.
// With described set, its cells say what they ran with and its manifest
// names agents and mode (as lessonl writes them now); else they do not,
// and the manifest holds the spec and the kinds' defaults (as lessonl
// wrote them before). The records are otherwise the same.
func writeDescribed(t *testing.T, described bool) string {
	t.Helper()
	dir := t.TempDir()
	w, err := record.NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := &record.Manifest{SchemaVersion: record.SchemaVersion, RunID: "described@01234567", Name: "described", SpecHash: "0123456789",
		Spec: []byte(describedSpec), Started: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Cells: 4,
		Defaults: map[string]map[string]any{
			"lessonl": {"k": 4, "rounds": 4, "selection": "paper", "protocol": "lessonl", "seed": "derived", "prompts": ""},
			"single":  {"temperature": 0.2, "samples": 1, "protocol": "lessonl", "seed": "derived", "prompts": ""}}}
	if described {
		m.Mode = "openmp"
		m.Agents = []record.Agent{{Name: "coder-a", Provider: "sim", Model: "sim/coder-a", Priced: true, InputPerMTok: 1, OutputPerMTok: 3},
			{Name: "coder-b", Provider: "sim", Model: "sim/coder-b"}}
	}
	if err := record.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	type strat struct {
		name, kind, variant, agents, models, params, resolved, axes string
		speedup                                                     float64
	}
	for _, s := range []strat{
		{"lessonl", "lessonl", "k=2", "coder-a,coder-b", "sim/coder-a,sim/coder-b", `{"k":2,"protocol":"paper","rounds":2}`,
			`{"k":2,"prompts":"","protocol":"paper","rounds":2,"seed":"derived","selection":"paper"}`, "k", 2.5},
		{"single", "single", "", "coder-a", "sim/coder-a", `{"protocol":"paper"}`,
			`{"prompts":"","protocol":"paper","samples":1,"seed":"derived","temperature":0.2}`, "", 1.5},
	} {
		for i, p := range []string{"p1", "p2"} {
			b := &record.Batch{Key: record.Key(s.name, s.variant, p, 1)}
			status, cellStatus, sp := "correct", record.CellDone, s.speedup
			if s.name == "single" && i == 1 {
				status, cellStatus, sp = "failed", record.CellFailed, 0 // a failed cell, recorded as before cell_failed existed
			}
			c := record.Cell{Strategy: s.name, Variant: s.variant, Kind: s.kind, ProblemID: p, Category: "sort", Seed: 1,
				Agents: s.agents, Params: s.params, Status: cellStatus}
			if described {
				c.Task, c.Protocol, c.Models, c.Resolved, c.Axes = "optimize", "paper", s.models, s.resolved, s.axes
				if status == "failed" {
					status = record.StatusCellFailed
				}
			}
			b.Cells = []record.Cell{c}
			b.Results = []record.Result{{Strategy: s.name, Variant: s.variant, Kind: s.kind, ProblemID: p, Category: "sort", Seed: 1,
				Status: status, Speedup: sp, Correct: sp > 0, Compiled: sp > 0, LLMCalls: 2, PromptTokens: 1000, CompletionTokens: 100}}
			b.LLMCalls = []record.LLMCall{{CellRef: record.CellRef{Strategy: s.name, Variant: s.variant, ProblemID: p, Seed: 1}, Agent: "coder-a", PromptTokens: 1000, CompletionTokens: 100}}
			if err := w.Write(b); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// stripSpec removes every copy of the spec from a run folder: the
// manifest's and spec.yaml.
func stripSpec(t *testing.T, dir string) {
	t.Helper()
	m, err := record.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Spec, m.Defaults = nil, nil
	if err := record.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "spec.yaml"))
}

// reportOf is the Markdown report of a run folder, its directory name
// replaced so that two folders compare.
func reportOf(t *testing.T, dir string) (*Runs, string) {
	t.Helper()
	r, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(r, Options{Resamples: 100, Seed: 3}, "")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rep.Markdown(&b)
	return r, strings.ReplaceAll(b.String(), dir, "RUN")
}

// TestLoadDecodesNoSpec: analysis reads a described run folder from its
// records alone: with the spec deleted from it, the keys, the report and
// its tables are what they were with it; and they are what the old
// records with the spec re-derive (the fallback), except the note saying
// so.
func TestLoadDecodesNoSpec(t *testing.T) {
	withSpec := writeDescribed(t, true)
	r1, md1 := reportOf(t, withSpec)
	noSpec := writeDescribed(t, true)
	stripSpec(t, noSpec)
	r2, md2 := reportOf(t, noSpec)
	if md1 != md2 {
		t.Errorf("the report changes when the spec is deleted:\n--- with\n%s\n--- without\n%s", md1, md2)
	}
	// A spec copy that no spec decoder accepts is never read.
	poisoned := writeDescribed(t, true)
	m, err := record.ReadManifest(poisoned)
	if err != nil {
		t.Fatal(err)
	}
	m.Spec = []byte(`42`)
	if err := record.WriteManifest(poisoned, m); err != nil {
		t.Fatal(err)
	}
	if _, md := reportOf(t, poisoned); md != md1 {
		t.Errorf("the report changes with an unreadable spec copy:\n%s", md)
	}
	old := writeDescribed(t, false)
	r3, md3 := reportOf(t, old)
	if md3 != md1 {
		t.Errorf("the old records' fallback reports otherwise:\n--- described\n%s\n--- old\n%s", md1, md3)
	}
	for i := range r2.Results {
		if a, b := r2.Results[i], r3.Results[i]; !reflect.DeepEqual(a.Keys.Params, b.Keys.Params) || a.Keys.Model != b.Keys.Model ||
			a.Keys.Protocol != b.Keys.Protocol || a.Keys.Mode != b.Keys.Mode || a.Variant != b.Variant || a.Status != b.Status {
			t.Errorf("%s: described keys %+v (status %s), old %+v (status %s)", a.Label(), a.Keys, a.Status, b.Keys, b.Status)
		}
	}
	want := map[string]string{"protocol": "paper", "temperature": "0.2", "samples": "1", "seed": "derived"}
	for _, x := range r2.Results {
		if x.Strategy != "single" {
			if x.Variant != "k=2,mode=openmp" {
				t.Errorf("lessonl's label %q, want the axis k and the mode", x.Variant)
			}
			continue
		}
		for name, v := range want {
			if got, _ := x.Keys.Value(name); got != v {
				t.Errorf("single's %s = %q, want %q", name, got, v)
			}
		}
		if x.Keys.Model != "sim/coder-a" || x.Keys.Mode != "openmp" {
			t.Errorf("single's keys %+v", x.Keys)
		}
	}
	if p := r2.Protocol(0); p != "paper" {
		t.Errorf("protocol %q, want paper", p)
	}
	if pr := r2.Prices(); pr["coder-a"] != (Price{1, 3}) || len(pr) != 1 {
		t.Errorf("prices %+v", pr)
	}
	note := legacyNote(old)
	if !strings.Contains(strings.Join(r3.Notes, "\n"), note) {
		t.Errorf("old records' notes %q lack %q", r3.Notes, note)
	}
	for _, n := range append(r1.Notes, r2.Notes...) {
		if strings.Contains(n, "re-derived") {
			t.Errorf("a described run is noted as re-derived: %s", n)
		}
	}
}

// TestFailedCellStatus: a failed cell's result reads as cell_failed,
// whether recorded so or, before that value, as "failed" (told apart by
// the cell's status); a failed test keeps "failed".
func TestFailedCellStatus(t *testing.T) {
	for _, described := range []bool{true, false} {
		t.Run(fmt.Sprint("described=", described), func(t *testing.T) {
			r, err := Load(writeDescribed(t, described))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, x := range r.Results {
				got[x.Strategy+"/"+x.ProblemID] = x.Status
			}
			want := map[string]string{"lessonl/p1": "correct", "lessonl/p2": "correct", "single/p1": "correct", "single/p2": record.StatusCellFailed}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("statuses %v, want %v", got, want)
			}
		})
	}
	dir := t.TempDir()
	w, _ := record.NewWriter(dir)
	record.WriteManifest(dir, &record.Manifest{SchemaVersion: record.SchemaVersion, Name: "gen", SpecHash: "g", Mode: "serial", Agents: []record.Agent{}})
	b := &record.Batch{Key: "gen"}
	b.Cells = []record.Cell{{Strategy: "single", Kind: "single", ProblemID: "HumanEval/0", Seed: 1, Status: record.CellDone,
		Task: "generate", Protocol: "lessonl", Resolved: "{}"}}
	b.Results = []record.Result{{Strategy: "single", Kind: "single", ProblemID: "HumanEval/0", Category: "humaneval", Seed: 1, Status: record.StatusTestsFailed, Total: 3, Passed: 1}}
	if err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	r, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s := r.Results[0].Status; s != record.StatusTestsFailed {
		t.Errorf("failed tests read as %q", s)
	}
}
