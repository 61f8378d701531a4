package baselines

import (
	"github.com/lessonlab/lessonl/internal/strategy"
)

// Config holds the parameters of every baseline; each kind reads the ones
// it uses (see its registration in kinds), with the paper's defaults where
// it has them.
type Config struct {
	Kind        string
	Common      strategy.Common
	Samples     int     // single, cot: samples from the one agent; best-of-n: n
	Temperature float64 // code temperature
	Rounds      int     // debate: revision rounds; reflexion: iterations
	Feedback    bool    // debate: show measured outcomes when revising
	Final       string  // debate: "vote" or "measure"
	Layers      int     // moa: proposer layers
	Aggregator  string  // moa: the agent that aggregates; default the last listed
	// AggregatorTemperature is moa's aggregation temperature (the
	// authors' 0.7).
	AggregatorTemperature float64
	Plans                 int // mapcoder: plans
	Iterations            int // mapcoder: coding-and-debugging iterations per plan
	// RetrieveAttempts caps MapCoder's retrieval calls under protocol
	// paper (the authors ask again until the reply parses, without cap).
	RetrieveAttempts int

	prompts *strategy.Prompts
	def     *kindDef
}

// kindDef is one baseline kind: its registration and its behaviour.
type kindDef struct {
	name, doc string
	agents    int
	traits    strategy.Traits
	params    map[string]string
	parse     func(p *strategy.Params, c *Config)
	cost      func(c Config, agents int) (calls, evaluations int)
	build     func(c Config) strategy.Strategy
	// gen builds the kind's generate strategy and genCost is its cost
	// model there; both nil for a kind that solves optimize problems
	// alone.
	gen     func(c Config) strategy.Strategy
	genCost func(c Config, agents int) (calls, evaluations int)
}

// ParseConfig reads a spec's params for one baseline kind.
func ParseConfig(kind string, m map[string]any) (Config, error) {
	parsed, err := strategy.ParseKind(kind, m)
	if err != nil {
		return Config{}, err
	}
	c, ok := parsed.Config.(Config)
	if !ok {
		return Config{}, &strategy.ParamError{Key: "kind", Msg: kind + " is not a baseline"}
	}
	return c, nil
}

// Cost is the most LLM calls and evaluations one problem of task takes
// with n agents.
func (c Config) Cost(task string, n int) (calls, evaluations int) {
	if task == strategy.TaskGenerate && c.def.genCost != nil {
		return c.def.genCost(c, n)
	}
	return c.def.cost(c, n)
}

// New builds the baseline.
func (c Config) New(strategy.Build) (strategy.Strategy, error) {
	s := c.def.build(c)
	if c.def.gen != nil {
		return byTask{optimize: s, generate: c.def.gen(c), paper: c.paper()}, nil
	}
	return s, nil
}

// New returns the baseline cfg describes.
func New(cfg Config) (strategy.Strategy, error) { return cfg.New(strategy.Build{}) }

func (d *kindDef) register() {
	tasks := []string{strategy.TaskOptimize}
	if d.gen != nil {
		tasks = append(tasks, strategy.TaskGenerate)
	}
	strategy.Register(strategy.Kind{Name: d.name, Doc: d.doc, Agents: d.agents, Params: d.params, Tasks: tasks, Traits: d.traits,
		Parse: func(p *strategy.Params, common strategy.Common) (strategy.Config, error) {
			c := Config{Kind: d.name, Common: common, def: d, Temperature: p.Float("temperature", 0.2, 0, 2)}
			d.parse(p, &c)
			prompts, err := strategy.LoadPrompts(promptFS, common.Protocol, common.Prompts)
			if err != nil {
				return nil, &strategy.ParamError{Key: "prompts", Msg: err.Error()}
			}
			c.prompts = prompts
			return c, nil
		}})
}

const tempDoc = "sampling temperature of code calls (the paper's 0.2)"

// kinds are the baselines, each registered once; adding a baseline is
// adding an entry here, its Solve, and a row in the registry test.
var kinds = []*kindDef{
	{name: "single", agents: 1, traits: strategy.Traits{Plain: true, Samples: true}, doc: "one agent, n samples; the best measured one is kept",
		params: map[string]string{"temperature": tempDoc, "samples": "samples from the agent (1: the paper's single-LLM rows)"},
		parse:  func(p *strategy.Params, c *Config) { c.Samples = p.Int("samples", 1, 1) },
		cost:   samplesCost, build: func(c Config) strategy.Strategy { return samples{c} },
		gen: func(c Config) strategy.Strategy { return byProtocol(c, genSamples{c}, paperGenSamples{c}) }, genCost: genSamplesCost},
	{name: "cot", agents: 1, traits: strategy.Traits{Samples: true}, doc: "single with a think-step-by-step instruction",
		params: map[string]string{"temperature": tempDoc, "samples": "samples from the agent"},
		parse:  func(p *strategy.Params, c *Config) { c.Samples = p.Int("samples", 1, 1) },
		cost:   samplesCost, build: func(c Config) strategy.Strategy { return samples{c} },
		gen: func(c Config) strategy.Strategy { return byProtocol(c, genSamples{c}, paperGenSamples{c}) }, genCost: genSamplesCost},
	{name: "best-of-n", doc: "n samples spread over the agents; the best measured correct one wins",
		params: map[string]string{"temperature": tempDoc, "n": "samples, round-robin over the agents"},
		parse:  func(p *strategy.Params, c *Config) { c.Samples = p.Int("n", 8, 1) },
		cost:   samplesCost, build: func(c Config) strategy.Strategy { return samples{c} }},
	{name: "voting", doc: "every agent proposes, every agent votes; the majority wins without execution feedback",
		params: map[string]string{"temperature": tempDoc},
		parse:  func(*strategy.Params, *Config) {},
		// n proposals, n votes; only the winner is evaluated.
		cost:  func(_ Config, n int) (int, int) { return 2 * n, 1 },
		build: func(c Config) strategy.Strategy { return voting{c} }},
	{name: "debate", doc: "agents propose, then revise seeing each other's code for R rounds",
		params: map[string]string{"temperature": tempDoc, "rounds": "revision rounds after the first proposals",
			"feedback": "show every proposal's measured outcome when revising",
			"final":    "vote (the agents vote on the last proposals) or measure (the best measured candidate)"},
		parse: func(p *strategy.Params, c *Config) {
			c.Rounds = p.Int("rounds", 2, 1)
			c.Feedback = p.Bool("feedback", false)
			c.Final = p.String("final", "vote", "vote", "measure")
		},
		cost:  debateCost,
		build: func(c Config) strategy.Strategy { return debate{c} }},
	{name: "moa", doc: "mixture-of-agents: proposers in layers, then an aggregator",
		params: map[string]string{"temperature": tempDoc, "layers": "proposer layers (the paper's 3)",
			"aggregator":             "the agent that aggregates; default the last listed",
			"aggregator_temperature": "temperature of the aggregation call; default temperature, or the authors' 0.7 under protocol paper"},
		parse: func(p *strategy.Params, c *Config) {
			c.Layers = p.Int("layers", 3, 1)
			c.Aggregator = p.String("aggregator", "")
			def := c.Temperature
			if c.Common.Protocol == strategy.ProtocolPaper {
				def = 0.7
			}
			c.AggregatorTemperature = p.Float("aggregator_temperature", def, 0, 2)
		},
		cost:  moaCost,
		build: func(c Config) strategy.Strategy { return moa{c} },
		gen:   func(c Config) strategy.Strategy { return byProtocol(c, genMoA{c}, paperGenMoA{c}) }, genCost: genMoACost},
	{name: "reflexion", agents: 1, doc: "one agent, R rounds of evaluator feedback and self-reflection",
		params: map[string]string{"temperature": tempDoc, "rounds": "iterations (the paper's 10)"},
		parse:  func(p *strategy.Params, c *Config) { c.Rounds = p.Int("rounds", 10, 1) },
		cost:   reflexionCost,
		build:  func(c Config) strategy.Strategy { return reflexion{c} },
		gen:    func(c Config) strategy.Strategy { return byProtocol(c, genReflexion{c}, paperGenReflexion{c}) }, genCost: genReflexionCost},
	{name: "mapcoder", agents: 1, doc: "plan, code, debug: P plans with up to D iterations each",
		params: map[string]string{"temperature": tempDoc, "plans": "plans (the paper's 3)",
			"iterations":        "coding-and-debugging iterations per plan (lessonl: up to D calls, stopping at 1.1x; paper: 1 code + D rewrites)",
			"retrieve_attempts": "paper: most retrieval calls until one parses (the authors' code has no cap)"},
		parse: func(p *strategy.Params, c *Config) {
			c.Plans = p.Int("plans", 3, 1)
			c.Iterations = p.Int("iterations", 5, 1)
			c.RetrieveAttempts = p.Int("retrieve_attempts", 5, 1)
		},
		cost:  mapcoderCost,
		build: func(c Config) strategy.Strategy { return mapcoder{c} },
		gen:   func(c Config) strategy.Strategy { return genMapCoder{c} }, genCost: genMapCoderCost},
}

func init() {
	for _, d := range kinds {
		d.register()
	}
}

// paperFinal is the fresh evaluation of the answer under protocol paper.
func paperFinal(c Config) int {
	if c.paper() {
		return 1
	}
	return 0
}

// samplesCost: under paper, single and CoT are evaluated once, as the
// authors' simple.py and cot.py submit once; best-of-n's answer is
// evaluated again.
func samplesCost(c Config, _ int) (int, int) {
	if c.Kind != "best-of-n" {
		return c.Samples, c.Samples
	}
	return c.Samples, c.Samples + paperFinal(c)
}

func debateCost(c Config, n int) (int, int) {
	votes := 0
	if c.Final == "vote" {
		votes = n
	}
	evals := n
	if c.Feedback || c.Final == "measure" {
		evals = n*(c.Rounds+1) + paperFinal(c)
	}
	return n*(c.Rounds+1) + votes, evals
}

func moaCost(c Config, n int) (int, int) {
	// Every proposer answers in every layer, then one aggregation.
	proposers := n
	if n > 1 && c.Aggregator == "" {
		proposers = n - 1
	}
	if c.paper() {
		// A proposer call of a later layer that fails is sent again
		// without the system message.
		return proposers*(2*c.Layers-1) + 1, 1
	}
	return proposers*c.Layers + 1, 1
}

// reflexionCost: lessonl makes R rewrites and R-1 reflections; paper
// 1 + R × (reflect + rewrite) calls, R evaluations and the fresh one.
func reflexionCost(c Config, _ int) (int, int) {
	if c.paper() {
		return 1 + 2*c.Rounds, c.Rounds + 1
	}
	return 2 * c.Rounds, c.Rounds
}

// mapcoderCost: lessonl makes 1 planning call and up to D code calls per
// plan; paper up to A retrieval calls, a planning and a confidence call
// per plan, and 1 + D code calls per plan (a retrieval that recalls more
// problems than P plans more), each code evaluated, each improved one
// evaluated again first.
func mapcoderCost(c Config, _ int) (int, int) {
	if c.paper() {
		// Each improvement follows another run of the previous code.
		codes := c.Plans * (1 + c.Iterations)
		return c.RetrieveAttempts + 2*c.Plans + codes, codes + c.Plans*c.Iterations + 1
	}
	return 1 + c.Plans*c.Iterations, c.Plans * c.Iterations
}
