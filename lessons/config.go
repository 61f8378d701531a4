package lessons

import "github.com/lessonlab/lessonl/internal/strategy"

// Config is the framework's parameters; the defaults are the paper's
// (Table 6): 4 rounds, k = 4, temperature 0.2, ε = 0.1, lessons written
// with frequency penalty 0.5 in at most 250 tokens.
type Config struct {
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
}

// ParseConfig reads a spec's params for kind lessonl.
func ParseConfig(m map[string]any) (Config, error) {
	p := strategy.NewParams(m)
	c := Config{
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
	}
	return c, p.Err()
}

func policyNames() []string {
	out := make([]string, len(Policies))
	for i, p := range Policies {
		out[i] = string(p)
	}
	return out
}

// Cost is the most LLM calls and evaluations one problem takes: each agent
// writes code and a lesson in every round (3 agents × 2 × 4 rounds = 24
// calls, the paper's Table 9), and every code reply is evaluated once.
func (c Config) Cost(agents int) (calls, evaluations int) {
	return agents * 2 * c.Rounds, agents * c.Rounds
}
