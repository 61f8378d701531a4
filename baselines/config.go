package baselines

import "github.com/lessonlab/lessonl/internal/strategy"

// Config holds the parameters of every baseline; each kind reads the ones
// it uses (see ParseConfig), with the paper's defaults where it has them.
type Config struct {
	Kind        string
	Samples     int     // single, cot: samples from the one agent; best-of-n: n
	Temperature float64 // code temperature
	Rounds      int     // debate: revision rounds; reflexion: iterations
	Feedback    bool    // debate: show measured outcomes when revising
	Final       string  // debate: "vote" or "measure"
	Layers      int     // moa: proposer layers
	Aggregator  string  // moa: the agent that aggregates; default the last listed
	Plans       int     // mapcoder: plans
	Iterations  int     // mapcoder: coding-and-debugging iterations per plan
}

// ParseConfig reads a spec's params for one baseline kind.
func ParseConfig(kind string, m map[string]any) (Config, error) {
	p := strategy.NewParams(m)
	c := Config{Kind: kind, Temperature: p.Float("temperature", 0.2, 0, 2)}
	switch kind {
	case "single", "cot":
		c.Samples = p.Int("samples", 1, 1)
	case "best-of-n":
		c.Samples = p.Int("n", 8, 1)
	case "voting":
	case "debate":
		c.Rounds = p.Int("rounds", 2, 1)
		c.Feedback = p.Bool("feedback", false)
		c.Final = p.String("final", "vote", "vote", "measure")
	case "moa":
		c.Layers = p.Int("layers", 3, 1)
		c.Aggregator = p.String("aggregator", "")
	case "reflexion":
		c.Rounds = p.Int("rounds", 10, 1)
	case "mapcoder":
		c.Plans = p.Int("plans", 3, 1)
		c.Iterations = p.Int("iterations", 5, 1)
	}
	return c, p.Err()
}

// Cost is the most LLM calls and evaluations one problem takes with n
// agents. The paper's Table 9 counts: MoA with 3 proposers and 3 layers 10,
// reflexion 20, MapCoder 16.
func (c Config) Cost(n int) (calls, evaluations int) {
	switch c.Kind {
	case "single", "cot", "best-of-n":
		return c.Samples, c.Samples
	case "voting":
		// n proposals, n votes; only the winner is evaluated.
		return 2 * n, 1
	case "debate":
		votes := 0
		if c.Final == "vote" {
			votes = n
		}
		evals := n
		if c.Feedback || c.Final == "measure" {
			evals = n * (c.Rounds + 1)
		}
		return n*(c.Rounds+1) + votes, evals
	case "moa":
		// Every proposer answers in every layer, then one aggregation.
		proposers := n
		if n > 1 {
			proposers = n - 1
		}
		return proposers*c.Layers + 1, 1
	case "reflexion":
		return 2 * c.Rounds, c.Rounds
	case "mapcoder":
		return 1 + c.Plans*c.Iterations, c.Plans * c.Iterations
	}
	return 0, 0
}
