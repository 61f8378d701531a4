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
// keys are data read from the run folder (its manifest's resolved spec
// and its cells table), never parsed back out of a label.
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
	Run      string `json:"run"`      // the run's label (see record.Group)
	Mode     string `json:"mode"`     // evaluation mode: serial or openmp
	Protocol string `json:"protocol"` // lessonl or paper
	// Model is the strategy's models as the spec names them, in the
	// order of its agents, comma-separated: "sim/coder-a", or the team
	// "sim/coder-a,sim/coder-b,sim/coder-c".
	Model  string `json:"model"`
	Agents string `json:"agents"` // the strategy's agents by spec name, comma-separated
	// Params are the strategy variant's parameters as the cell recorded
	// them (the spec's params, its top-level protocol, seed and prompts,
	// and the matrix's values), each formatted as text; selection and k
	// among them for LessonL.
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

// Label is a result's strategy with its variant, as tables show it.
func (r Result) Label() string { return label(r.Strategy, r.Variant) }

// Wrap makes analysis's rows of results made in memory (tests, tools),
// without a run folder to read keys from: their only key is the variant
// as recorded, shown as it is.
func Wrap(rs []record.Result) []Result {
	out := make([]Result, len(rs))
	for i, r := range rs {
		out[i] = Result{Result: r, Keys: Keys{Recorded: r.Variant}}
		if r.Variant != "" {
			out[i].Keys.Shown = []string{keyRecorded}
		}
	}
	return out
}

// runSpec is what keys need from a manifest's resolved spec.
type runSpec struct {
	Protocol   string `json:"protocol"`
	Evaluation struct {
		Mode string `json:"mode"`
	} `json:"evaluation"`
	Agents []struct {
		Name  string `json:"name"`
		Model string `json:"model"`
	} `json:"agents"`
	Strategies []struct {
		Name   string          `json:"name"`
		Agents []string        `json:"agents"`
		Params json.RawMessage `json:"params"`
	} `json:"strategies"`
	Matrix map[string]map[string]json.RawMessage `json:"matrix"`
}

// keyer makes the keys of one run folder's cells.
type keyer struct {
	run      string
	spec     runSpec
	defaults map[string]map[string]any    // kind → parameter → default (manifest)
	models   map[string]string            // agent name → model
	cells    map[string]record.Cell       // record.Key → the cell's row
	params   map[string]map[string]string // params JSON → parsed, shared between cells
	showRun  bool
}

func newKeyer(d string, m *record.Manifest, run string, showRun bool) (*keyer, error) {
	k := &keyer{run: run, defaults: m.Defaults, models: map[string]string{}, cells: map[string]record.Cell{}, params: map[string]map[string]string{}, showRun: showRun}
	if err := json.Unmarshal(m.Spec, &k.spec); err != nil {
		return nil, fmt.Errorf("load %s: manifest spec: %w", d, err)
	}
	for _, a := range k.spec.Agents {
		k.models[a.Name] = a.Model
	}
	cells, err := record.Read[record.Cell](d, record.TableCells)
	if err != nil {
		return nil, err
	}
	for _, c := range cells {
		k.cells[record.Key(c.Strategy, c.Variant, c.ProblemID, c.Seed)] = c
	}
	return k, nil
}

// mode is the run's evaluation mode, serial when unset.
func (k *keyer) mode() string {
	if m := k.spec.Evaluation.Mode; m != "" {
		return m
	}
	return "serial"
}

// keys are the keys of the cell of r as recorded (its recorded variant).
func (k *keyer) keys(r record.Result) (Keys, error) {
	out := Keys{Run: k.run, Mode: k.mode(), Protocol: "lessonl"}
	var agents []string
	raw := ""
	if c, ok := k.cells[record.Key(r.Strategy, r.Variant, r.ProblemID, r.Seed)]; ok {
		raw = c.Params
		if c.Agents != "" {
			agents = strings.Split(c.Agents, ",")
		}
	}
	for _, st := range k.spec.Strategies {
		if st.Name != r.Strategy {
			continue
		}
		if agents == nil {
			agents = st.Agents
		}
		if raw == "" || raw == "null" {
			raw = string(st.Params) // a cell recorded without its params: the spec's
		}
	}
	params, err := k.parse(r.Kind, raw)
	if err != nil {
		return out, fmt.Errorf("cell %s: params: %w", record.CellID(r.Strategy, r.Variant, r.ProblemID, r.Seed), err)
	}
	out.Params = params
	if p, ok := params[KeyProtocol]; ok && p != "" {
		out.Protocol = p
	}
	if m, ok := params[KeyMode]; ok {
		out.Mode = m
	}
	var models []string
	for _, a := range agents {
		if m := k.models[a]; m != "" {
			models = append(models, m)
		} else {
			models = append(models, a)
		}
	}
	out.Model, out.Agents = strings.Join(models, ","), strings.Join(agents, ",")
	out.Recorded = r.Variant
	out.Shown = sortedKeys(k.spec.Matrix[r.Strategy])
	if len(out.Shown) == 0 && r.Variant != "" {
		out.Shown = []string{keyRecorded}
	}
	if out.Mode != "serial" && !contains(out.Shown, KeyMode) {
		out.Shown = append(out.Shown, KeyMode)
	}
	if k.showRun {
		out.Shown = append(out.Shown, KeyRun)
	}
	return out, nil
}

// parse reads a cell's parameters as text values, once per kind and
// distinct params text: the kind's defaults as the manifest records them,
// under the spec's top-level protocol, under the cell's own params.
func (k *keyer) parse(kind, raw string) (map[string]string, error) {
	if p, ok := k.params[kind+"\x00"+raw]; ok {
		return p, nil
	}
	out := map[string]string{}
	for name, v := range k.defaults[kind] {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out[name] = paramText(b)
	}
	if p := k.spec.Protocol; p != "" {
		out[KeyProtocol] = p
	}
	if raw != "" && raw != "null" {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return nil, err
		}
		for name, v := range m {
			out[name] = paramText(v)
		}
	}
	k.params[kind+"\x00"+raw] = out
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
