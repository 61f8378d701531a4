// Package bench runs lessonl's evaluators over whole suites, to check the
// evaluators and the datasets against each other and to measure what an
// evaluation costs: every problem's own code as its candidate and every
// known solution against the outcome it is tagged with (Check, GenCheck:
// `lessonl datasets check`), and ParEval's problems evaluated as the
// authors' driver would be, with the wall time beside the driver's
// (ParEval: `lessonl bench pareval`).
//
// Results are values; the text tables the CLI prints are written by the
// writers in text.go as results come, so a long check shows its rows as
// each problem finishes.
package bench
