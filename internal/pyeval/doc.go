// Package pyeval judges Python candidates of the generate task on their
// problem's hidden tests: HumanEval's check() assertions, or EvalPlus's
// base and plus inputs compared with the canonical solution's outputs
// under EvalPlus's rules (float tolerance atol, special oracles, per-test
// time limits of max(4 s, 4 × the canonical solution's time)).
//
// Generated code is untrusted and never runs inside lessonl's process,
// nor in the process that judges it. Each evaluation runs two `python3 -I
// -B` processes, each started through internal/sandbox's Sandbox in a
// folder of its own (so, where the machine allows, as a user of its own,
// in a PID namespace of its own): the judge (judge.py), which holds the
// tests and the expected values, and the candidate's process (worker.py),
// which loads the candidate and knows nothing else. The judge reads its
// configuration (tests, expected outputs, limits) from fd 4 and writes one
// JSON line per test to fd 3, each carrying a per-run nonce; neither fd is
// open in the candidate's process, whose only channel is a pair of pipes
// to the judge. The entry point that the tests call in the judge (and any
// other function of the candidate's that they name) is a proxy: each call's arguments go to the candidate's process, and its
// result comes back as plain data (plain.py: None, bool, int, float,
// complex, str, bytes, list, tuple, dict, set, frozenset, checked by exact
// type down to every element, within a size cap; a returned iterator as
// its items) that the judge rebuilds from JSON. Every test form (assert f(x) == y, abs(f(x) - y) < eps, loops
// in check(candidate), EvalPlus's oracles) is therefore computed by the
// judge on builtin values: a returned object with its own __eq__ is not
// plain data, the expected values are in another process under another
// user, and whatever the candidate replaces in its own interpreter (the
// worker, sys.exit, its output) decides nothing. Time limits are the
// judge's alarm; a candidate that ends, floods its output or passes its
// own limits is reported from its process's exit.
//
// A Verdict is passed/total with a Status (passed, failed, error,
// timeout, not_parsable) and the first failing test's message; for
// EvalPlus data it also counts the base tests alone, so one run gives
// both the HumanEval and the HumanEval+ score.
package pyeval
