package strategy

import (
	"context"
	"fmt"
	"sort"
)

// Config is a strategy kind's parsed parameters: what a cell of that kind
// will cost and how to build it. Every kind's parameters parse into one.
type Config interface {
	// Cost is the most LLM calls and evaluations one problem of the task
	// (one of the kind's Tasks) takes with the given number of agents:
	// the kind's cost model. An evaluation is a candidate with code
	// judged, as Usage.Evaluations counts them: on generate, one
	// candidate's runs on its generated tests and on the hidden tests
	// are one evaluation (see GenCandidates).
	Cost(task string, agents int) (calls, evaluations int)
	// New builds the strategy.
	New(b Build) (Strategy, error)
}

// Build is what the runner hands a kind's constructor beside its
// parameters.
type Build struct {
	// Embed, when set, serves embeddings (lessonl's relevance:
	// embeddings); nil when the spec names no embeddings endpoint.
	Embed func(ctx context.Context, texts []string) ([][]float64, error)
}

// Kind is one strategy kind as a spec names it. Each kind registers once
// (see Register), and the spec validator, the planner and the runner read
// the registry, so that no other code switches on kind names.
type Kind struct {
	Name string
	// Doc says in a line what the kind does.
	Doc string
	// Agents is the exact number of agents the kind takes; 0 means any.
	Agents int
	// Tasks names the tasks the kind solves (see TaskKind); nil means
	// optimize alone. Its Config's Cost answers for each.
	Tasks []string
	// Traits say what readers of the kind's records may assume of them;
	// analysis asks them, never the kind's name.
	Traits Traits
	// Params documents every parameter the kind reads, by name; the
	// defaults come from Parse itself (see Kind.Defaults), so that they
	// are written once.
	Params map[string]string
	// Parse reads the kind's parameters from p; the common ones
	// (protocol, seed, prompts) are already read into c. Unknown and
	// badly typed parameters are reported by p.
	Parse func(p *Params, c Common) (Config, error)
}

// Traits are what a kind's records mean beyond its name, for analysis.
type Traits struct {
	// Plain: one agent asked plainly, each sample once; the kind's results
	// measure the agent alone (the per-agent tables).
	Plain bool
	// Samples: a cell's candidates are independent samples of one agent's
	// answer to one prompt, so pass@k estimates over them are unbiased.
	Samples bool
	// BestOfRounds: on generate, the answer after round r is the candidate
	// of rounds 0..r that passed the most generated tests, so pass@1 can
	// be followed round by round.
	BestOfRounds bool
}

var registry = map[string]Kind{}

// Register adds a kind to the registry; it panics on an empty name, a
// missing Parse or a name registered twice, which are programming errors
// found by every test run.
func Register(k Kind) {
	if k.Name == "" || k.Parse == nil {
		panic(fmt.Sprintf("strategy.Register: kind %q needs a name and a Parse", k.Name))
	}
	if _, dup := registry[k.Name]; dup {
		panic(fmt.Sprintf("strategy.Register: kind %q registered twice", k.Name))
	}
	if k.Tasks == nil {
		k.Tasks = []string{TaskOptimize}
	}
	registry[k.Name] = k
}

// Solves reports whether the kind solves problems of the named task.
func (k Kind) Solves(task string) bool {
	for _, t := range k.Tasks {
		if t == task {
			return true
		}
	}
	return false
}

// LookupKind returns the registered kind of that name.
func LookupKind(name string) (Kind, bool) {
	k, ok := registry[name]
	return k, ok
}

// Kinds returns every registered kind, sorted by name.
func Kinds() []Kind {
	out := make([]Kind, 0, len(registry))
	for _, k := range registry {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// KindNames returns the registered kinds' names, sorted.
func KindNames() []string {
	var out []string
	for _, k := range Kinds() {
		out = append(out, k.Name)
	}
	return out
}

// Parsed is a strategy's parameters read by its kind.
type Parsed struct {
	Kind   Kind
	Common Common
	Config Config
	// Resolved is every parameter the kind read, with the value it runs
	// with (see Params.Resolved): the record of what a cell ran with.
	Resolved map[string]any
}

// ParseKind reads params for the named kind: the common parameters, then
// the kind's own. Errors are *ParamError where a parameter is to blame.
func ParseKind(kind string, params map[string]any) (Parsed, error) {
	k, ok := registry[kind]
	if !ok {
		return Parsed{}, fmt.Errorf("unknown strategy kind %q (want one of %v)", kind, KindNames())
	}
	p := NewParams(params)
	c, err := readCommon(p)
	if err != nil {
		return Parsed{}, err
	}
	cfg, err := k.Parse(p, c)
	if err != nil {
		return Parsed{}, err
	}
	if err := p.Err(); err != nil {
		return Parsed{}, err
	}
	return Parsed{Kind: k, Common: c, Config: cfg, Resolved: p.Resolved()}, nil
}

// Defaults returns the kind's parameters with their default values, as
// Parse reads them from an empty params map (the common ones included).
func (k Kind) Defaults() (map[string]any, error) {
	p := NewParams(nil)
	c, err := readCommon(p)
	if err != nil {
		return nil, err
	}
	if _, err := k.Parse(p, c); err != nil {
		return nil, err
	}
	return p.Defaults(), p.Err()
}
