// Package pyeval judges Python candidates of the generate task on their
// problem's hidden tests: HumanEval's check() assertions, or EvalPlus's
// base and plus inputs compared with the canonical solution's outputs
// under EvalPlus's rules (float tolerance atol, special oracles, per-test
// time limits of max(4 s, 4 × the canonical solution's time)).
//
// Generated code is untrusted and never runs inside lessonl's process.
// Each candidate gets one `python3 -I -B` process running the embedded
// harness.py, started through internal/evaluate's Sandbox, so it gets
// exactly what a C++ candidate gets: an unprivileged user, rlimits (CPU,
// address space, file size, processes), fresh PID and network namespaces,
// a wall-clock watchdog that kills the process group, capped output, and
// a private folder. All of a candidate's tests run in that one process.
// The harness reads its configuration (tests, expected outputs, limits)
// from fd 4 and writes one JSON line per test to fd 3, each carrying a
// per-run nonce; the candidate's prints go to a sink, so its stdout cannot
// forge a result, and a forked child exits instead of reporting. A
// candidate in the same interpreter could still tamper with the harness
// (as in EvalPlus and HumanEval); the process boundary protects lessonl
// and the next candidate, not the verdict of a deliberately malicious one.
//
// A Verdict is passed/total with a Status (passed, failed, error,
// timeout, not_parsable) and the first failing test's message; for
// EvalPlus data it also counts the base tests alone, so one run gives
// both the HumanEval and the HumanEval+ score.
package pyeval
