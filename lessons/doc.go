// Package lessons is the LessonL framework's own machinery: what a lesson
// is, the bank that keeps a problem's lessons, how k of them are selected
// for the next round, how their speedups are adjusted by how well they
// worked, and the prompts the framework sends (templates in
// prompts/<protocol>/, one set per protocol).
//
// The mechanism, after Liu et al., "Lessons Learned" (arXiv 2505.23946):
// every candidate's author writes a lesson chosen by the candidate's
// outcome; lessons enter the bank with the candidate's speedup (0 when it
// failed, so it never passes the 1.1 threshold but can still be picked for
// relevance); before each round k lessons are chosen — up to ⌈k/2⌉ with the
// highest adjusted speedup among those at least 1.1, the rest by relevance
// to the original code, and every lesson while the bank holds at most k;
// after the round each shown lesson's factor becomes the mean over the
// round's candidates of 1+ε when the candidate beat the lesson's speedup,
// else 1−ε (recomputed each round, not accumulated), and its adjusted
// speedup is speedup × factor.
//
// Under protocol paper (docs/protocol.md) the framework is the authors'
// code step by step: 3 agents × 4 rounds × (code + lesson) = 24 calls,
// their prompts (no speedups shown to the agents, the warning that
// earlier code may not be optimal, a closing call for other strategies,
// 7 compiler lines, "slightly"/"significantly" by raw speedup), top_p
// 0.95, and the highest raw speedup of all rounds evaluated again, fresh,
// as the answer. Under lessonl (the default) prompts show speedups and
// the best measured candidate is the answer.
//
// Every part is a parameter, because ablations of selection are a main
// use: the Policy (paper, speedup, relevance, random, recent, none), the
// Relevance scorer (TF-IDF over code tokens, or embeddings), k, ε and
// whether adjustment runs at all. Adding a selection policy touches this
// package only: a Policy constant in select.go, its case in Select, and a
// row in select_test.go.
//
// On the generate task (Python code generation, Env.Generate) the kind
// runs the authors' code-gen LessonL instead (codegen.go): LLM-written
// tests, agents in turn with an early exit at the first code passing them
// all, one lesson type, ranking by tests passed × factor, and the code
// that passed the most tests as the answer of an unsolved problem.
package lessons
