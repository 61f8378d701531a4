// Package recorded serves published model generations as an LLM agent:
// the ParEval authors' outputs (parallelcodefoundry/ParEval, outputs/*.json
// and results/*/*.json), 20 samples per problem and parallelism model,
// written by real models for the same 60 problems as the LessonL paper's
// ParEval suite.
//
// A call for a problem answers one of the model's recorded outputs for that
// problem and mode, as ParEval assembles a candidate (the prompt, a newline
// and the generated output) in a code block. Outputs are drawn without
// replacement by (seed, agent, call ordinal), so a rerun or resume draws the
// same ones. The code is real model output, but it does not respond to
// prompts: feedback, lessons and debate cannot change it, so only
// strategies that sample and select (single, best-of-n, voting) mean
// anything with these agents. Reports call them "recorded generations".
package recorded
