package analysis

// SimBanner says what a run whose agents are the sim team can and cannot
// show. Every place that shows such results says it: the Markdown report,
// the LaTeX captions, the figures, the run browser, `lessonl compare` and
// the quickstart's closing line.
const SimBanner = "Simulated agents: the sim team, a SIMULATOR, chose the code; every candidate was really compiled, validated and timed. " +
	"How a prompt changes the sim's choice is a documented rule of ours, not a model's behaviour, so these numbers check the wiring " +
	"(strategies, budgets, evaluator, records) and never rank strategies."

// SimBannerShort is SimBanner for a figure's title.
const SimBannerShort = "sim team (a simulator): checks the wiring, never ranks strategies"

// RecordedNote says what results from recorded generations are: real
// model code that never saw lessonl's prompts.
const RecordedNote = "Code from recorded generations (published model outputs): real model code, but it did not respond to these prompts, " +
	"so strategies that rely on feedback or lessons cannot show their effect."
