package lessons

import (
	"errors"
	"strings"

	"github.com/lessonlab/lessonl/internal/strategy"
)

// Config is the framework's parameters; the defaults are the paper's
// (Table 6): 4 rounds, k = 4, temperature 0.2, ε = 0.1, lessons written
// with frequency penalty 0.5 in at most 250 tokens.
type Config struct {
	Common            strategy.Common
	Rounds            int     // rounds of solicitation, round 0 included
	K                 int     // lessons shown per round
	Selection         Policy  // how the k lessons are chosen
	Relevance         string  // "tfidf" or "embeddings"
	Adjustment        bool    // run the effectiveness adjustment
	Epsilon           float64 // adjustment step
	CodeTemperature   float64
	LessonTemperature float64
	LessonPenalty     float64 // frequency penalty of lesson calls
	LessonMaxTokens   int
	// Base is what the next round rewrites: "original" (the paper) or
	// "best" (the best correct candidate so far).
	Base string
	// Tests is how many LLM-written unit tests a generate problem keeps
	// (the authors' 6).
	Tests int

	prompts *strategy.Prompts
}

// paramDocs documents every parameter of kind lessonl.
var paramDocs = map[string]string{
	"rounds":                   "rounds of solicitation, round 0 included (the paper's 4)",
	"k":                        "lessons shown per round (the paper's 4)",
	"selection":                "how the k lessons are chosen: " + strings.Join(policyNames(), ", "),
	"relevance":                "relevance scorer: tfidf or embeddings",
	"adjustment":               "run the effectiveness adjustment",
	"epsilon":                  "adjustment step ε (factors 1±ε)",
	"temperature":              "sampling temperature of code calls",
	"lesson_temperature":       "sampling temperature of lesson calls",
	"lesson_frequency_penalty": "frequency penalty of lesson calls",
	"lesson_max_tokens":        "most tokens a lesson may take",
	"base":                     "the code each round rewrites: original (the paper) or best (the best correct so far)",
	"tests":                    "generate task: LLM-written unit tests kept per problem (the authors' 6)",
}

func init() {
	strategy.Register(strategy.Kind{Name: "lessonl", Params: paramDocs, Tasks: []string{strategy.TaskOptimize, strategy.TaskGenerate},
		Traits: strategy.Traits{BestOfRounds: true},
		Doc:    "the LessonL framework: agents learn from each other's lessons over rounds",
		Parse: func(p *strategy.Params, c strategy.Common) (strategy.Config, error) {
			cfg := parse(p, c)
			prompts, err := strategy.LoadPrompts(promptFS, c.Protocol, c.Prompts)
			if err != nil {
				return nil, &strategy.ParamError{Key: "prompts", Msg: err.Error()}
			}
			cfg.prompts = prompts
			return cfg, nil
		}})
}

func parse(p *strategy.Params, common strategy.Common) Config {
	return Config{
		Common:            common,
		Rounds:            p.Int("rounds", 4, 1),
		K:                 p.Int("k", 4, 1),
		Selection:         Policy(p.String("selection", string(PolicyPaper), policyNames()...)),
		Relevance:         p.String("relevance", "tfidf", "tfidf", "embeddings"),
		Adjustment:        p.Bool("adjustment", true),
		Epsilon:           p.Float("epsilon", Epsilon, 0, 1),
		CodeTemperature:   p.Float("temperature", 0.2, 0, 2),
		LessonTemperature: p.Float("lesson_temperature", 0.2, 0, 2),
		LessonPenalty:     p.Float("lesson_frequency_penalty", 0.5, -2, 2),
		LessonMaxTokens:   p.Int("lesson_max_tokens", 250, 16),
		Base:              p.String("base", "original", "original", "best"),
		Tests:             p.Int("tests", 6, 1),
	}
}

// ParseConfig reads a spec's params for kind lessonl.
func ParseConfig(m map[string]any) (Config, error) {
	parsed, err := strategy.ParseKind("lessonl", m)
	if err != nil {
		return Config{}, err
	}
	return parsed.Config.(Config), nil
}

func policyNames() []string {
	out := make([]string, len(Policies))
	for i, p := range Policies {
		out[i] = string(p)
	}
	return out
}

// Cost is the most LLM calls and evaluations one problem of task takes.
// On optimize each agent writes code and a lesson in every round (3
// agents × 2 × 4 rounds = 24 calls, the paper's Table 9), and every code
// reply is evaluated once; under protocol paper the answer is evaluated
// once more, fresh. Generate's is genCost.
func (c Config) Cost(task string, agents int) (calls, evaluations int) {
	if task == strategy.TaskGenerate {
		return c.genCost(agents)
	}
	calls, evaluations = agents*2*c.Rounds, agents*c.Rounds
	if c.Common.Protocol == strategy.ProtocolPaper {
		evaluations++
	}
	return calls, evaluations
}

// New builds the framework; relevance embeddings need b.Embed.
func (c Config) New(b strategy.Build) (strategy.Strategy, error) {
	var rel Relevance
	if c.Relevance == "embeddings" {
		if b.Embed == nil {
			return nil, errors.New("relevance embeddings: no embeddings endpoint configured")
		}
		rel = NewEmbeddings(b.Embed)
	}
	return New(c, rel), nil
}
