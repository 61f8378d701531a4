package spec

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/lessonlab/lessonl/datasets"
	"github.com/lessonlab/lessonl/internal/evaluate"
)

// Spec is an experiment as written in YAML: which problems, how candidates
// are evaluated, which agents, which strategies (expanded by a matrix for
// ablations), which seeds, and where records go.
type Spec struct {
	Name        string          `yaml:"name" json:"name"`
	Description string          `yaml:"description" json:"description,omitempty"`
	Dataset     DatasetSpec     `yaml:"dataset" json:"dataset"`
	Evaluation  evaluate.Config `yaml:"evaluation" json:"evaluation"`
	Agents      []AgentSpec     `yaml:"agents" json:"agents"`
	Strategies  []StrategySpec  `yaml:"strategies" json:"strategies"`
	Embeddings  *EmbeddingsSpec `yaml:"embeddings" json:"embeddings,omitempty"`
	Matrix      map[string]Axes `yaml:"matrix" json:"matrix,omitempty"`
	Seeds       []int64         `yaml:"seeds" json:"seeds"`
	// Protocol, Seed and Prompts are every strategy's protocol (lessonl or
	// paper), seed policy (derived or none) and prompt folder, unless its
	// params set its own (see strategy.CommonParams).
	Protocol string `yaml:"protocol" json:"protocol,omitempty"`
	Seed     string `yaml:"seed" json:"seed,omitempty"`
	Prompts  string `yaml:"prompts" json:"prompts,omitempty"`
	Output   string `yaml:"output" json:"output,omitempty"`
	// CacheDir is the shared evaluation cache's folder: verdicts and timed
	// pairs are reused across runs from there (see evaluate.Config.CacheDir);
	// "" takes evaluate.DefaultCacheDir (~/.cache/lessonl), "none" turns it
	// off.
	CacheDir    string           `yaml:"cache_dir" json:"cache_dir,omitempty"`
	Budget      *BudgetSpec      `yaml:"budget" json:"budget,omitempty"`
	Concurrency *ConcurrencySpec `yaml:"concurrency" json:"concurrency,omitempty"`
	Tolerance   *ToleranceSpec   `yaml:"tolerance" json:"tolerance,omitempty"`
}

// Axes maps a parameter name to the values a matrix sweeps over.
type Axes map[string][]any

// DatasetSpec chooses the problems: one source (datasets.Source), then
// filters. Any registered source is chosen by source: NAME, with the file
// or folder it reads in path: and its settings in options:; the keys
// suite, path (alone), pareval, humaneval and mbpp are how specs have
// always named the sources lessonl ships (see DatasetSpec.Choice).
type DatasetSpec struct {
	Suite string `yaml:"suite" json:"suite,omitempty"` // "codeopt" (the built-in suite)
	Path  string `yaml:"path" json:"path,omitempty"`   // a folder of problems; with source:, what that source reads
	// ParEval reads the paper's own benchmarks from a checkout of
	// ParEval-PolyBench-Code-Opt; its mode follows evaluation.mode.
	ParEval *datasets.ParEval `yaml:"pareval" json:"pareval,omitempty"`
	// HumanEval and MBPP choose the generate task (Python, hidden tests):
	// HumanEval or HumanEval+, MBPP+ (see generate.go).
	HumanEval *GenDataset `yaml:"humaneval" json:"humaneval,omitempty"`
	MBPP      *GenDataset `yaml:"mbpp" json:"mbpp,omitempty"`
	// Source names a registered dataset source (datasets.Sources); Path
	// is then the file or folder it reads and Options its settings.
	Source     string         `yaml:"source" json:"source,omitempty"`
	Options    map[string]any `yaml:"options" json:"options,omitempty"`
	Categories []string       `yaml:"categories" json:"categories,omitempty"`
	Problems   []string       `yaml:"problems" json:"problems,omitempty"`
	Limit      int            `yaml:"limit" json:"limit,omitempty"`
}

// AgentSpec is one LLM endpoint. The API key is never in the spec: only
// the name of the environment variable that holds it.
type AgentSpec struct {
	Name           string   `yaml:"name" json:"name"`
	Provider       string   `yaml:"provider" json:"provider"` // sim | openai | replay
	Model          string   `yaml:"model" json:"model"`
	BaseURL        string   `yaml:"base_url" json:"base_url,omitempty"`
	APIKeyEnv      string   `yaml:"api_key_env" json:"api_key_env,omitempty"`
	MaxConcurrency int      `yaml:"max_concurrency" json:"max_concurrency,omitempty"`
	Timeout        Duration `yaml:"timeout" json:"timeout,omitempty"`
	// WaitReady, when set, makes a run wait up to this long for the
	// endpoint to list the model before it starts (a server loading its
	// weights).
	WaitReady Duration `yaml:"wait_ready" json:"wait_ready,omitempty"`
	// RetryFor is how long a call keeps retrying while the server is
	// unreachable (refused, 502, 503, 504) during a run; default 2m.
	RetryFor Duration `yaml:"retry_for" json:"retry_for,omitempty"`
	Latency  Duration `yaml:"latency" json:"latency,omitempty"` // sim only: injected per call
	Replay   string   `yaml:"replay" json:"replay,omitempty"`   // replay only: a run folder
	// Generations is a recorded agent's file of published generations (a
	// ParEval outputs or results JSON; see package recorded). ${VAR} in it
	// is expanded from the environment.
	Generations string     `yaml:"generations" json:"generations,omitempty"`
	Fallback    string     `yaml:"fallback" json:"fallback,omitempty"`
	Price       *PriceSpec `yaml:"price" json:"price,omitempty"`
}

// PriceSpec is an agent's token price in dollars per million tokens.
type PriceSpec struct {
	InputPerMTok  float64 `yaml:"input_per_mtok" json:"input_per_mtok"`
	OutputPerMTok float64 `yaml:"output_per_mtok" json:"output_per_mtok"`
}

// StrategySpec is one strategy: a kind, its agents and its parameters.
type StrategySpec struct {
	Name   string         `yaml:"name" json:"name"`
	Kind   string         `yaml:"kind" json:"kind"`
	Agents []string       `yaml:"agents" json:"agents"`
	Params map[string]any `yaml:"params" json:"params,omitempty"`
}

// BudgetSpec caps each cell's LLM use, for comparisons at equal budget.
type BudgetSpec struct {
	Calls  int `yaml:"calls" json:"calls,omitempty"`
	Tokens int `yaml:"tokens" json:"tokens,omitempty"`
}

// ConcurrencySpec bounds how many cells run at once.
type ConcurrencySpec struct {
	Cells int `yaml:"cells" json:"cells,omitempty"`
}

// Duration is a time.Duration written as "60s" or "200ms" in YAML.
type Duration = evaluate.Duration

// SpecError names the file, line and field of a problem in a spec; it is
// the same error the problem loader gives for problem.yaml.
type SpecError = datasets.FieldError

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}`)

// Expand replaces ${VAR} with the environment's value; an unset variable
// is an error naming its line and the field that uses it, unless a
// default follows as in the shell, ${VAR:-serial}. Every unset variable
// is reported (as SpecErrors); its value is left empty. Comments are left
// alone.
func Expand(file string, raw []byte, lookup func(string) (string, bool)) ([]byte, error) {
	var errs SpecErrors
	var paths []scalarPath
	lines := strings.Split(string(raw), "\n")
	for i, l := range lines {
		body, comment := l, ""
		if j := strings.Index(l, " #"); j >= 0 {
			body, comment = l[:j], l[j:]
		} else if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		var b strings.Builder
		last := 0
		for _, m := range envRef.FindAllStringSubmatchIndex(body, -1) {
			b.WriteString(body[last:m[0]])
			last = m[1]
			name := body[m[2]:m[3]]
			v, ok := lookup(name)
			switch {
			case !ok && m[4] >= 0:
				v = strings.TrimPrefix(body[m[4]:m[5]], ":-")
			case !ok:
				if paths == nil {
					paths = parseForPaths(raw)
				}
				errs = append(errs, &SpecError{File: file, Line: i + 1, Field: fieldAt(paths, i+1, m[0]+1),
					Msg: fmt.Sprintf("environment variable %s is not set", name)})
			}
			b.WriteString(v)
		}
		b.WriteString(body[last:])
		lines[i] = b.String() + comment
	}
	return []byte(strings.Join(lines, "\n")), errs.err()
}

// Load reads, expands and validates a spec file.
func Load(path string) (*Spec, []byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read spec: %w", err)
	}
	s, err := Parse(path, raw, os.LookupEnv)
	return s, raw, err
}

// Parse expands and decodes a spec strictly (unknown fields and wrong
// types are errors) and validates it; file names the spec in errors.
// Every problem found is reported at once (SpecErrors), except that a
// spec whose YAML does not parse, or whose fields have the wrong shape,
// is not validated further.
func Parse(file string, raw []byte, lookup func(string) (string, bool)) (*Spec, error) {
	var errs SpecErrors
	expanded, err := Expand(file, raw, lookup)
	if err != nil {
		var se SpecErrors
		var one *SpecError
		switch {
		case errors.As(err, &se):
			errs = append(errs, se...)
		case errors.As(err, &one):
			errs = append(errs, one)
		default:
			return nil, err
		}
	}
	f, err := parser.ParseBytes(expanded, 0)
	if err != nil {
		return nil, append(errs, syntaxError(file, expanded, err)).err()
	}
	if shape := checkShape(file, f); len(shape) > 0 {
		return nil, append(errs, shape...).err()
	}
	var s Spec
	if err := yaml.UnmarshalWithOptions(expanded, &s, yaml.Strict()); err != nil {
		return nil, append(errs, decodeError(file, expanded, err)).err()
	}
	errs = append(errs, s.validate(file, f, lookup)...)
	if err := errs.err(); err != nil {
		return nil, err
	}
	return &s, nil
}

// decodeError turns the YAML library's error into one line with the file,
// the line and the field first.
func decodeError(file string, raw []byte, err error) *SpecError {
	msg, line, placed := yamlMessage(err)
	if m := quotedValue.FindStringSubmatch(msg); !placed && m != nil {
		// Errors from a field's own decoder carry no position: find the
		// value they quote.
		line = lineContaining(raw, ": "+m[1])
	}
	se := &SpecError{File: file, Line: line, Msg: msg}
	if line > 0 && !strings.Contains(msg, "unknown field") {
		if m := keyOnLine.FindStringSubmatch(lineText(raw, line)); m != nil {
			se.Field = m[1]
		}
	}
	return se
}

// yamlMessage is the YAML library's error in one line and the line of
// the spec it names; placed says it named one, which the message then
// no longer holds.
func yamlMessage(err error) (msg string, line int, placed bool) {
	msg = yaml.FormatError(err, false, false)
	msg = strings.TrimSpace(strings.SplitN(msg, "\n", 2)[0])
	if m := positionPrefix.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		return strings.TrimPrefix(msg, m[0]), line, true
	}
	return msg, 0, false
}

var (
	positionPrefix = regexp.MustCompile(`^\[(\d+):(\d+)\] `)
	quotedValue    = regexp.MustCompile(`got "([^"]+)"`)
	keyOnLine      = regexp.MustCompile(`^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:`)
)

func lineText(raw []byte, line int) string {
	lines := strings.Split(string(raw), "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	return lines[line-1]
}

func lineContaining(raw []byte, s string) int {
	for i, l := range strings.Split(string(raw), "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	return 0
}

// lineOf finds the line of a field path such as "agents[1].model": the
// line of its key, or of its element in a sequence. A path that does not
// exist falls back to its nearest enclosing field.
func lineOf(f *ast.File, field string) int {
	if f == nil {
		return 0
	}
	for field != "" {
		if n := keyLine(f, field); n > 0 {
			return n
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			break
		}
		field = field[:i]
	}
	return 0
}

func keyLine(f *ast.File, field string) int {
	if strings.HasSuffix(field, "]") {
		return nodeLine(f, field)
	}
	parent, key := "", field
	if i := strings.LastIndex(field, "."); i >= 0 {
		parent, key = field[:i], field[i+1:]
	}
	var n ast.Node
	if parent == "" {
		if len(f.Docs) == 0 {
			return 0
		}
		n = f.Docs[0].Body
	} else {
		p, err := yaml.PathString("$." + parent)
		if err != nil {
			return 0
		}
		if n, err = p.FilterFile(f); err != nil || n == nil {
			return 0
		}
	}
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	}
	for _, v := range values {
		if v.Key.GetToken().Value == key {
			return v.Key.GetToken().Position.Line
		}
	}
	return 0
}

func nodeLine(f *ast.File, field string) int {
	p, err := yaml.PathString("$." + field)
	if err != nil {
		return 0
	}
	n, err := p.FilterFile(f)
	if err != nil || n == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ToleranceSpec says how many failed LLM calls a cell may absorb and still
// count as done. By default none: an answer that rests on fewer calls
// than the strategy's protocol makes is not the strategy's answer.
type ToleranceSpec struct {
	// FailedCalls is the fraction of a cell's calls that may fail (after
	// their retries), e.g. 0.1. A cell in which every call of one agent
	// failed is failed whatever this says.
	FailedCalls float64 `yaml:"failed_calls" json:"failed_calls,omitempty"`
}

// Simulated reports whether any agent is the sim team, in process or
// served over HTTP (its models are named sim/...).
func (s *Spec) Simulated() bool {
	for _, a := range s.Agents {
		if a.Provider == "sim" || strings.HasPrefix(a.Model, "sim/") {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// EvaluatorConfig is the evaluator configuration a spec asks for: its
// evaluation block and its cache folder.
func (s *Spec) EvaluatorConfig() evaluate.Config {
	cfg := s.Evaluation
	switch s.CacheDir {
	case "none":
	case "":
		cfg.CacheDir = evaluate.DefaultCacheDir()
	default:
		cfg.CacheDir = s.CacheDir
	}
	return cfg
}
