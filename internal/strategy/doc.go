// Package strategy is what every strategy shares: the Strategy interface,
// the Agent (an LLM endpoint under a name), and the Env a strategy works
// in — its agents, the evaluator, the recorder and the budget.
//
// A strategy only decides what to ask and what to keep. Env.Ask sends one
// chat request on an agent's behalf and records it; Env.Evaluate extracts
// the code from a reply, evaluates it, and records the candidate. Both
// count against the cell's budget, so every strategy reports LLM calls,
// tokens, evaluations and wall time the same way, and a comparison of
// strategies is a comparison at known cost.
package strategy
