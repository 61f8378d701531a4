// Package strategy is what every strategy shares: the Strategy interface,
// the Agent (an LLM endpoint under a name), the Env a strategy works in —
// its agents, the evaluator, the recorder and the budget — the registry
// of strategy kinds, and the prompt templates.
//
// A strategy only decides what to ask and what to keep. Env.Ask sends one
// chat request on an agent's behalf, with its own seed (DeriveSeed: the
// cell's seed, the agent, the agent's call ordinal; none at all with
// NoSeed), and records it; Env.Evaluate extracts the code from a reply,
// evaluates it, and records the candidate (Env.Reevaluate measures a
// chosen answer again, fresh). Both count against the cell's budget, so
// every strategy reports LLM calls, tokens, evaluations and wall time the
// same way, and a comparison of strategies is a comparison at known cost.
// An evaluator failure is an *EvalError, which ends a strategy; an
// agent's failed call only costs its turn.
//
// Each kind registers once (Register: agents, the tasks it solves, its
// traits, parameters with docs, Parse with the defaults, Cost per task,
// New); the spec validator, planner and
// runner read the registry. Prompts are text/template files, one set per
// protocol (ProtocolLessonl, ProtocolPaper), loaded by LoadPrompts and
// rendered by Prompts.Render, which turns the templates' cue marks into
// llm.Cue spans for the simulator and sends none of them on the wire.
//
// A problem's task is one value registered with datasets.RegisterTask
// (optimize and generate here, others elsewhere); its strategies' part,
// TaskKind, takes a candidate's code out of a reply and scores it, and the
// Env dispatches every evaluation on it (task.go).
// The evaluators a task scores with are the Env's Evaluators, by task
// name (EvaluatorOf). Generate problems (Problem.Gen) are judged by a
// GenEvaluator: Env.
// EvaluateTests runs a candidate on the strategy's LLM-written tests and on
// the hidden ones, records both, and returns only the first (generate.go).
package strategy
