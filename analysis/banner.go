package analysis

// SimBanner says what a run whose agents are the sim team can and cannot
// show. Every place that shows such results says it: the Markdown report,
// the LaTeX captions, the figures, the run browser, `lessonl compare` and
// the quickstart's closing line.
const SimBanner = "Simulated agents: the sim team, a SIMULATOR, chose the code; every candidate was really compiled, validated and timed. " +
	"How a prompt changes the sim's choice is a documented rule of ours, not a model's behaviour, so these numbers check the wiring " +
	"(strategies, budgets, evaluator, records) and never rank strategies."

// SimBannerGenerate is SimBanner for code-generation runs, whose answers
// run against hidden tests and are never timed.
const SimBannerGenerate = "Simulated agents: the sim team, a SIMULATOR, chose the code; every answer really ran in the sandbox against its hidden tests. " +
	"How a prompt changes the sim's choice is a documented rule of ours, not a model's behaviour, so these numbers check the wiring " +
	"(strategies, budgets, sandbox, records) and never rank strategies."

// SimBannerFor is the sim banner for these results: their task's
// reporter's when every one is of one task (SimBanner for optimize,
// SimBannerGenerate for generate, SimBannerTask for another), else
// SimBanner.
func SimBannerFor(rs []Result) string { return commonLayout(rs).banner() }

// SimBannerTask is SimBanner for results of a task other than optimize
// and generate: what scoring did is the task's to say (TaskReport.Scored).
func SimBannerTask(task string) string {
	scored := taskReportOf(task).Scored
	if scored == "" {
		scored = "every answer was scored by the " + task + " task's own rule"
	}
	return "Simulated agents: the sim team, a SIMULATOR, chose the answers; " + scored + ". " +
		"How a prompt changes the sim's choice is a documented rule of ours, not a model's behaviour, so these numbers check the wiring " +
		"(strategies, budgets, scoring, records) and never rank strategies."
}

// SimBannerShort is SimBanner for a figure's title.
const SimBannerShort = "sim team (a simulator): checks the wiring, never ranks strategies"

// RecordedNote says what results from recorded generations are: real
// model code that never saw lessonl's prompts.
const RecordedNote = "Code from recorded generations (published model outputs): real model code, but it did not respond to these prompts, " +
	"so strategies that rely on feedback or lessons cannot show their effect."
