// Package baselines holds the strategies LessonL is compared with. Each
// runs on the same agents, evaluator and records as the framework and
// counts its LLM calls, tokens and evaluations the same way, so that
// comparisons are fair and made at known cost. Each kind registers once
// (config.go: its agents, parameters with defaults and docs, cost and
// constructor) in the registry of package strategy, which the spec
// validator, the planner and the runner read.
//
// Every kind runs under a protocol (docs/protocol.md): paper follows the
// authors' code step by step, lessonl (the default) keeps this project's
// choices. Prompts are templates, prompts/<protocol>/*.tmpl, rendered by
// strategy.Prompts with the cues a simulator reads.
//
//   - single: one agent answers n times; the best measured answer is kept.
//     With n = 1 it is the paper's single-LLM rows (Qwen14B, GPT-4o...);
//     with n = 20 its inference-time scaling row.
//   - cot: single with "Let's think step by step.", the paper's
//     chain-of-thought row (Kojima et al., 2022).
//   - voting: every agent proposes; every agent sees all proposals and votes
//     for the one it believes fastest and correct ("Vote: N"); the majority
//     wins, ties go to the lowest-numbered proposal among the tied, a vote
//     that cannot be read is an abstention. No execution feedback informs
//     the choice; only the winner is evaluated. After the majority-voting
//     ensembles of the multi-agent literature (Li et al., 2024). Not in the
//     paper; under protocol paper it takes the paper's optimize prompt.
//   - debate: agents propose, then for R rounds each sees the others'
//     latest code (and, with feedback, every proposal's measured outcome)
//     and revises; the final answer is chosen by a vote as above or by
//     measurement. After Du et al., 2023. Not in the paper.
//   - best-of-n: n samples spread round-robin over the agents, all
//     evaluated; the best correct one wins.
//   - moa: mixture-of-agents (Wang et al., 2024): the proposers answer in L
//     layers, each later layer seeing the previous layer's answers, then
//     the aggregator (the last agent listed, or params.aggregator) writes
//     the final code; only that is evaluated. 3 proposers × 3 layers + 1 =
//     10 calls, as in the paper's Table 9; under paper the aggregation
//     runs at the authors' temperature 0.7 without top_p.
//   - reflexion: one agent (Shinn et al., 2023). lessonl: R rewrites, each
//     evaluated and reflected on before the next (2R − 1 calls), the best
//     kept. paper: the authors' 1 + R × (reflect + rewrite) = 21 calls,
//     prompts cut to 3,500 characters, and the code written right after
//     the best-scoring attempt submitted and evaluated fresh.
//   - mapcoder: plan, code, debug (Islam et al., 2024). lessonl: one call
//     writes P plans; each gets up to D code calls driven by the
//     evaluator's feedback, stopping at 1.1×; at most 1 + P·D = 16 calls.
//     paper: retrieval (XML, asked again until it parses, at most
//     retrieve_attempts times), a planning and a confidence call per
//     recalled problem, plans by confidence, 1 code + D improvement calls
//     per plan: 25 calls; the highest speedup is evaluated again, fresh.
//
// docs/protocol.md maps every official step to ours, with the calls each
// really makes beside the paper's Table 9.
//
// single, cot, reflexion, moa and mapcoder also solve generate problems
// (generate.go), each the same kind, chosen by the problem's task.
package baselines
