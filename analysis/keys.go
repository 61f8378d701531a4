package analysis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lessonlab/lessonl/internal/record"
)

// Result is one cell's answer with the keys analysis groups it by. The
// keys are data read from the run folder (its cells table and manifest),
// never parsed back out of a label.
type Result struct {
	record.Result
	Keys Keys
}

// The key names --group-by and the variant label know besides a
// strategy's own parameters.
const (
	KeyRun       = "run"
	KeyMode      = "mode"
	KeyProtocol  = "protocol"
	KeyModel     = "model"
	KeySelection = "selection"
	KeyK         = "k"
)

// Keys are what a cell ran with, as its run folder records it.
type Keys struct {
	Run  string `json:"run"`  // the run's label (see record.Group)
	Mode string `json:"mode"` // evaluation mode: serial or openmp
	// Task is the cell's task as recorded (cells.task; the manifest's
	// for older folders): optimize, generate, or another registered one.
	// It decides the cell's score columns and report (see Result.Task).
	Task     string `json:"-"`
	Protocol string `json:"protocol"` // lessonl or paper
	// Model is the strategy's models as the cell records them
	// (cells.models), in the order of its agents, comma-separated:
	// "sim/coder-a", or the team "sim/coder-a,sim/coder-b,sim/coder-c".
	Model  string `json:"model"`
	Agents string `json:"agents"` // the strategy's agents by spec name, comma-separated
	// Params are every parameter the cell ran with, as it recorded them
	// (cells.resolved_params: defaults included), each formatted as text;
	// selection and k among them for LessonL.
	Params map[string]string `json:"params,omitempty"`
	// Recorded is the cell's variant as its run recorded it (the
	// matrix's values; "" without a matrix).
	Recorded string `json:"variant,omitempty"`
	// Shown names the keys the variant label shows, in order: the
	// matrix's axes of the strategy, then mode when not serial, then run
	// when several runs are read apart.
	Shown []string `json:"shown,omitempty"`
}

// keyRecorded stands in Shown for the recorded variant when the spec
// names no matrix axes for it (records written by hand or by a tool):
// the label then shows the recorded variant as it is.
const keyRecorded = "\x00variant"

// Value is the value of the key name (run, mode, protocol, model,
// selection, k, or any parameter) and whether the cell has it.
func (k Keys) Value(name string) (string, bool) {
	switch name {
	case KeyRun:
		return k.Run, k.Run != ""
	case KeyMode:
		return k.Mode, k.Mode != ""
	case KeyProtocol:
		return k.Protocol, k.Protocol != ""
	case KeyModel:
		return k.Model, k.Model != ""
	case "agents":
		return k.Agents, k.Agents != ""
	case keyRecorded:
		return k.Recorded, k.Recorded != ""
	}
	v, ok := k.Params[name]
	return v, ok
}

// Names lists the keys the cell has, sorted: the fixed ones, then its
// parameters.
func (k Keys) Names() []string {
	var out []string
	for _, n := range []string{KeyRun, KeyMode, KeyProtocol, KeyModel, "agents"} {
		if _, ok := k.Value(n); ok {
			out = append(out, n)
		}
	}
	for p := range k.Params {
		if p != KeyMode && p != KeyProtocol {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// Variant is the variant label: name=value for each shown key, joined
// by commas, e.g. "k=2,selection=paper,run=before". It is the one place
// a label is made from keys; analysis groups by it and never parses it.
func (k Keys) Variant() string {
	var parts []string
	for _, n := range k.Shown {
		v, _ := k.Value(n)
		if n == keyRecorded {
			parts = append(parts, v)
			continue
		}
		parts = append(parts, n+"="+v)
	}
	return strings.Join(parts, ",")
}

// Without is k with name no longer shown in the label.
func (k Keys) Without(name string) Keys {
	var shown []string
	for _, n := range k.Shown {
		if n != name {
			shown = append(shown, n)
		}
	}
	k.Shown = shown
	return k
}

// Task is the result's task as its cell recorded it ("" for results made
// in memory without one; see WrapTask).
func (r Result) Task() string { return r.Keys.Task }

// Generate reports whether the result is of a generate cell.
func (r Result) Generate() bool { return r.Keys.Task == TaskGenerate }

// Label is a result's strategy with its variant, as tables show it.
func (r Result) Label() string { return label(r.Strategy, r.Variant) }

// Wrap makes analysis's rows of results made in memory (tests, tools),
// without a run folder to read keys from: their only key is the variant
// as recorded, shown as it is.
func Wrap(rs []record.Result) []Result { return WrapTask(TaskOptimize, rs) }

// WrapTask is Wrap for results of the named task.
func WrapTask(task string, rs []record.Result) []Result {
	out := make([]Result, len(rs))
	for i, r := range rs {
		out[i] = Result{Result: r, Keys: Keys{Task: task, Recorded: r.Variant}}
		if r.Variant != "" {
			out[i].Keys.Shown = []string{keyRecorded}
		}
	}
	return out
}

// keyer makes the keys of one run folder's cells from its records: each
// cells row says what the cell ran with (task, protocol, models, resolved
// parameters, matrix axes) and the manifest the evaluation mode. Cells
// recorded before those columns existed fall back on the manifest's copy
// of the spec (see legacyKeyer).
type keyer struct {
	run     string
	mode    string
	cells   map[string]record.Cell       // record.Key → the cell's row
	params  map[string]map[string]string // resolved params JSON → parsed, shared between cells
	showRun bool
	legacy  *legacyKeyer // nil until a cell needs it
	m       *record.Manifest
	dir     string
}

func newKeyer(d string, m *record.Manifest, run string, showRun bool) (*keyer, error) {
	k := &keyer{run: run, mode: m.Mode, cells: map[string]record.Cell{}, params: map[string]map[string]string{}, showRun: showRun, m: m, dir: d}
	cells, err := record.Read[record.Cell](d, record.TableCells)
	if err != nil {
		return nil, err
	}
	for _, c := range cells {
		k.cells[record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)] = c
	}
	if k.mode == "" {
		if k.mode, err = legacyMode(m); err != nil {
			return nil, fmt.Errorf("load %s: %w", d, err)
		}
	}
	return k, nil
}

// cell is the cells row of r's cell, if recorded.
func (k *keyer) cell(r record.Result) (record.Cell, bool) {
	c, ok := k.cells[record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)]
	return c, ok
}

// described reports whether every cell of the folder says what it ran
// with, so that no key comes from the spec.
func (k *keyer) described() bool { return k.legacy == nil }

// keys are the keys of the cell of r as recorded (its recorded variant).
func (k *keyer) keys(r record.Result) (Keys, error) {
	c, ok := k.cell(r)
	if !ok || !c.Described() {
		if k.legacy == nil {
			l, err := newLegacyKeyer(k.m)
			if err != nil {
				return Keys{}, fmt.Errorf("load %s: %w", k.dir, err)
			}
			k.legacy = l
		}
		return k.legacy.keys(k, r, c)
	}
	out := Keys{Run: k.run, Mode: k.mode, Task: c.Task, Protocol: c.Protocol, Model: c.Models, Agents: c.Agents, Recorded: r.Variant}
	params, err := k.parse(c.Resolved)
	if err != nil {
		return out, fmt.Errorf("cell %s: resolved_params: %w", record.CellID(r.Strategy, r.Variant, r.ProblemID, r.Seed), err)
	}
	out.Params = params
	var axes []string
	if c.Axes != "" {
		axes = strings.Split(c.Axes, ",")
	}
	k.show(&out, axes)
	return out, nil
}

// show sets the keys the label shows: the matrix's axes, the recorded
// variant when no axes are known for it, the mode when not serial, and
// the run when runs are read apart.
func (k *keyer) show(out *Keys, axes []string) {
	out.Shown = axes
	if len(out.Shown) == 0 && out.Recorded != "" {
		out.Shown = []string{keyRecorded}
	}
	if out.Mode != "serial" && !contains(out.Shown, KeyMode) {
		out.Shown = append(out.Shown, KeyMode)
	}
	if k.showRun {
		out.Shown = append(out.Shown, KeyRun)
	}
}

// parse reads a cell's resolved parameters as text values, once per
// distinct JSON text.
func (k *keyer) parse(raw string) (map[string]string, error) {
	if p, ok := k.params[raw]; ok {
		return p, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(m))
	for name, v := range m {
		out[name] = paramText(v)
	}
	k.params[raw] = out
	return out, nil
}

// paramText is a parameter's value as labels show it: a string without
// quotes, a number or bool as written, anything else as compact JSON.
func paramText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, v) == nil {
		return b.String()
	}
	return string(v)
}
