// Package baselines holds the strategies LessonL is compared with. Each
// runs on the same agents, evaluator and records as the framework, starts
// from the same optimize prompt (strategy.Optimize), and counts its LLM
// calls, tokens and evaluations the same way, so that comparisons are fair
// and made at known cost.
//
//   - single: one agent answers n times; the best measured answer is kept.
//     With n = 1 it is the paper's single-LLM rows (Qwen14B, GPT-4o...);
//     with n = 20 its inference-time scaling row.
//   - cot: single with "Let's think step by step." appended, the paper's
//     chain-of-thought row (Kojima et al., 2022).
//   - voting: every agent proposes; every agent sees all proposals and votes
//     for the one it believes fastest and correct ("Vote: N"); the majority
//     wins, ties go to the lowest-numbered proposal among the tied, a vote
//     that cannot be read is an abstention. No execution feedback informs
//     the choice; only the winner is evaluated. After the majority-voting
//     ensembles of the multi-agent literature (Li et al., 2024, "More
//     agents is all you need").
//   - debate: agents propose, then for R rounds each sees the others'
//     latest code (and, with feedback, every proposal's measured outcome)
//     and revises; the final answer is chosen by a vote as above or by
//     measurement. After Du et al., 2023 ("Improving factuality and
//     reasoning through multiagent debate"). The paper has no debate row.
//   - best-of-n: n samples spread round-robin over the agents, all
//     evaluated; the best correct one wins. An upper reference that uses
//     execution feedback for selection only.
//   - moa: mixture-of-agents (Wang et al., 2024): the proposers answer in L
//     layers, each layer seeing the previous layer's answers, then the
//     aggregator (the last agent listed, or params.aggregator) writes the
//     final code; only that is evaluated. With 3 proposers and 3 layers it
//     makes 10 calls, as in the paper's Table 9.
//   - reflexion: one agent, R rounds (paper: 10): rewrite, evaluate, and
//     reflect on the evaluator's feedback (compiler output, validation,
//     measured speedup) before the next rewrite; the best is kept (Shinn et
//     al., 2023). The paper counts 20 calls; we make 2R − 1, because a
//     reflection after the last rewrite could inform nothing.
//   - mapcoder: plan, code, debug (Islam et al., 2024): one call writes P
//     plans (paper: 3); each plan gets a coding call and up to D − 1
//     debugging calls (paper: D = 5) driven by the evaluator's feedback,
//     stopping early once a plan's code is correct and at least 1.1× faster;
//     the best speedup is kept. At most 1 + P·D = 16 calls, the paper's count.
package baselines
