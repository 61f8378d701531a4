package analysis

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lessonlab/lessonl/internal/record"
)

// This file reads run folders written before they described themselves:
// their cells rows lack task, protocol, models and resolved parameters,
// their manifests the agents, the mode and the dataset. What those records
// now say is re-derived from the manifest's copy of the spec and its kinds'
// defaults, as lessonl did then. Nothing else in analysis reads the spec;
// a folder read this way gets a note (see legacyNote).

// legacyNote says that a run folder's keys come from its spec.
func legacyNote(dir string) string {
	return fmt.Sprintf("%s was recorded before run folders described their cells: its protocol, models and parameters are re-derived from its manifest's copy of the spec", dir)
}

// legacySpec is what the fallback needs from a manifest's resolved spec.
type legacySpec struct {
	Protocol string `json:"protocol"`
	Dataset  struct {
		Suite     string          `json:"suite"`
		HumanEval json.RawMessage `json:"humaneval"`
		MBPP      json.RawMessage `json:"mbpp"`
	} `json:"dataset"`
	Evaluation struct {
		Mode string `json:"mode"`
	} `json:"evaluation"`
	Agents []struct {
		Name     string `json:"name"`
		Provider string `json:"provider"`
		Model    string `json:"model"`
		Price    *Price `json:"price"`
	} `json:"agents"`
	Strategies []struct {
		Name   string          `json:"name"`
		Agents []string        `json:"agents"`
		Params json.RawMessage `json:"params"`
	} `json:"strategies"`
	Matrix map[string]map[string]json.RawMessage `json:"matrix"`
}

func decodeLegacy(m *record.Manifest) (legacySpec, error) {
	var spec legacySpec
	if len(m.Spec) == 0 {
		return spec, nil
	}
	if err := json.Unmarshal(m.Spec, &spec); err != nil {
		return spec, fmt.Errorf("manifest spec: %w", err)
	}
	return spec, nil
}

// legacyMode is the evaluation mode of a run whose manifest does not
// record it: its spec's, serial when unset.
func legacyMode(m *record.Manifest) (string, error) {
	spec, err := decodeLegacy(m)
	if spec.Evaluation.Mode == "" {
		return "serial", err
	}
	return spec.Evaluation.Mode, err
}

// legacyTask is the task of a run whose records do not name it: generate
// when its spec's dataset block chose HumanEval, MBPP or the built-in
// Python suite (as lessonl's DatasetSpec.Task did then), else optimize.
func legacyTask(spec legacySpec) string {
	d := spec.Dataset
	if len(d.HumanEval) > 0 || len(d.MBPP) > 0 || d.Suite == "pysuite" {
		return TaskGenerate
	}
	return TaskOptimize
}

// legacyKeyer makes the keys of cells recorded without their resolved
// parameters.
type legacyKeyer struct {
	spec     legacySpec
	defaults map[string]map[string]any // kind → parameter → default (manifest)
	models   map[string]string         // agent name → model
	params   map[string]map[string]string
	task     string // the run's task: the manifest's, else its spec's
}

func newLegacyKeyer(m *record.Manifest) (*legacyKeyer, error) {
	spec, err := decodeLegacy(m)
	if err != nil {
		return nil, err
	}
	l := &legacyKeyer{spec: spec, defaults: m.Defaults, models: map[string]string{}, params: map[string]map[string]string{}}
	if l.task = legacyTask(spec); m.Dataset != nil && m.Dataset.Task != "" {
		l.task = m.Dataset.Task
	}
	for _, a := range spec.Agents {
		l.models[a.Name] = a.Model
	}
	return l, nil
}

// keys are the keys of r's cell c (zero when the cell has no row): its
// agents and params as the cells row has them, else the spec's; its
// parameters the kind's defaults under the spec's top-level protocol
// under the cell's params.
func (l *legacyKeyer) keys(k *keyer, r record.Result, c record.Cell) (Keys, error) {
	out := Keys{Run: k.run, Mode: k.mode, Task: c.Task, Protocol: "lessonl", Recorded: r.Variant}
	if out.Task == "" {
		out.Task = l.task
	}
	var agents []string
	raw := c.Params
	if c.Agents != "" {
		agents = strings.Split(c.Agents, ",")
	}
	for _, st := range l.spec.Strategies {
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
	params, err := l.parse(r.Kind, raw)
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
		if m := l.models[a]; m != "" {
			models = append(models, m)
		} else {
			models = append(models, a)
		}
	}
	out.Model, out.Agents = strings.Join(models, ","), strings.Join(agents, ",")
	k.show(&out, sortedKeys(l.spec.Matrix[r.Strategy]))
	return out, nil
}

// parse reads a cell's parameters as text values, once per kind and
// distinct params text: the kind's defaults as the manifest records them,
// under the spec's top-level protocol, under the cell's own params.
func (l *legacyKeyer) parse(kind, raw string) (map[string]string, error) {
	if p, ok := l.params[kind+"\x00"+raw]; ok {
		return p, nil
	}
	out := map[string]string{}
	for name, v := range l.defaults[kind] {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out[name] = paramText(b)
	}
	if p := l.spec.Protocol; p != "" {
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
	l.params[kind+"\x00"+raw] = out
	return out, nil
}

// legacyProtocols names the protocol of every strategy of a run from its
// resolved spec: "lessonl", "paper", or per strategy when they differ.
func legacyProtocols(m *record.Manifest) string {
	var spec struct {
		Protocol   string `json:"protocol"`
		Strategies []struct {
			Name   string         `json:"name"`
			Params map[string]any `json:"params"`
		} `json:"strategies"`
		Matrix map[string]map[string][]any `json:"matrix"`
	}
	if json.Unmarshal(m.Spec, &spec) != nil {
		return "–"
	}
	var ps protocolSet
	for _, st := range spec.Strategies {
		p, _ := st.Params["protocol"].(string)
		if p == "" {
			p = spec.Protocol
		}
		if p == "" {
			p = "lessonl"
		}
		if swept := spec.Matrix[st.Name]["protocol"]; len(swept) > 0 { // a matrix over the protocol
			for _, v := range swept {
				ps.add(fmt.Sprint(v), st.Name)
			}
			continue
		}
		ps.add(p, st.Name)
	}
	return ps.String()
}

// legacyAgents are a run's agents as its spec names them, for a manifest
// that does not record them.
func legacyAgents(m *record.Manifest) []record.Agent {
	spec, err := decodeLegacy(m)
	if err != nil {
		return nil
	}
	out := make([]record.Agent, len(spec.Agents))
	for i, a := range spec.Agents {
		out[i] = record.Agent{Name: a.Name, Provider: a.Provider, Model: a.Model}
		if a.Price != nil {
			out[i].Priced, out[i].InputPerMTok, out[i].OutputPerMTok = true, a.Price.InputPerMTok, a.Price.OutputPerMTok
		}
	}
	return out
}
