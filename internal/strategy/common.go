package strategy

// The protocols a strategy may follow.
const (
	// ProtocolLessonl is this project's protocol: its prompts (with a
	// system message and measured speedups shown), the best measured
	// candidate as the answer, early stops where they save calls.
	ProtocolLessonl = "lessonl"
	// ProtocolPaper is the authors' code-opt pipeline step by step: their
	// prompt contents and order, sampling parameters per call type, call
	// structure, and a fresh evaluation of the final answer.
	ProtocolPaper = "paper"
)

// Seed policies: derived gives every call of a cell its own seed,
// derived from the cell's seed, the agent and the agent's call ordinal;
// none sends no seed at all, as the authors' code does.
const (
	SeedDerived = "derived"
	SeedNone    = "none"
)

// Common is what every kind reads beside its own parameters.
type Common struct {
	Protocol string // ProtocolLessonl or ProtocolPaper
	Seed     string // SeedDerived or SeedNone
	// Prompts is a folder of templates that replace the protocol's
	// embedded ones of the same name; "" for none.
	Prompts string
}

// CommonParams documents the parameters every kind takes. A spec may set
// them once at its top level (protocol:, seed:, prompts:) for every
// strategy, or per strategy in params.
var CommonParams = map[string]string{
	"protocol": "lessonl (this project's prompts and choices) or paper (the authors' code-opt pipeline step by step)",
	"seed":     "derived (every call of a cell gets its own seed from the cell's seed, the agent and its call ordinal) or none (no seed is sent, as in the authors' code)",
	"prompts":  "a folder of .tmpl files that replace the protocol's embedded prompt templates of the same name",
}

func readCommon(p *Params) (Common, error) {
	c := Common{
		Protocol: p.String("protocol", ProtocolLessonl, ProtocolLessonl, ProtocolPaper),
		Seed:     p.String("seed", SeedDerived, SeedDerived, SeedNone),
		Prompts:  p.String("prompts", ""),
	}
	return c, p.err
}
